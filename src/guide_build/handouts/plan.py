"""What the handouts are: the chapters (the nav's pages), the two editions, the paper, and the box of
links to them on every page."""

from __future__ import annotations

import os
import posixpath
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import meta

from guide_build import ROOT
from guide_build.mkdocs import load_config, nav_pages, page_url

BOOKLET = "diffusion-vs-llms"
EDITIONS = {"student": "Student edition", "answer-key": "Answer key"}
PAPERS = {"a4": "A4", "letter": "Letter"}
PAGE_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}
MARGIN_MM = (16, 16, 18)
"""Top, sides and bottom; the footer is printed in the bottom margin."""


@dataclass(frozen=True)
class Chapter:
    """A page of the guide that becomes a chapter of the handouts."""

    number: int
    slug: str
    title: str
    url: str  # site-relative directory URL, such as "diffusion/"
    sheet: bool = False  # front matter "handout: sheet": its own handout is a formula sheet (print.css)

    def pdf(self, edition: str) -> str:
        return f"handouts/{self.slug}-{edition}.pdf"


def chapters(pages: list[tuple[str, str]] | None = None, docs_dir: Path | None = None) -> list[Chapter]:
    """The chapters: ``(title, docs path)`` of the nav pages (default: those of ``mkdocs.yml``), less
    the Markdown pages whose front matter says ``handout: false``; ``handout: sheet`` makes the
    chapter's own handout a formula sheet (the booklet prints the whole page)."""
    if pages is None or docs_dir is None:
        config = load_config()
        pages = nav_pages(config) if pages is None else pages
        docs_dir = docs_dir or ROOT / config.get("docs_dir", "docs")
    result: list[Chapter] = []
    for title, src_uri in pages:
        source = Path(docs_dir) / src_uri
        text = source.read_text(encoding="utf-8") if source.suffix == ".md" and source.is_file() else ""
        handout = meta.get_data(text)[1].get("handout", True)
        if handout not in (True, False, "sheet"):
            raise ValueError(f"{source}: front matter handout: {handout!r}; expected true, false or sheet")
        if handout is False:
            continue
        stem = posixpath.splitext(src_uri)[0]
        chapter = Chapter(len(result) + 1, posixpath.basename(stem), title, page_url(src_uri), handout == "sheet")
        result.append(chapter)
    return result


def number_titles(pages: list, chapters: list[Chapter]) -> None:
    """Give each chapter's page (an MkDocs ``Page``) the title ``"N. Title"``, N its number in the
    booklet: the navigation, the window title and the previous/next links then read as its contents."""
    numbers = {chapter.url: chapter.number for chapter in chapters}
    for page in pages:
        if page.url in numbers:
            page.title = f"{numbers[page.url]}. {page.title}"


def requested() -> bool:
    """Whether ``$HANDOUTS`` asks for the PDF handouts: ``1`` (``make pdf``, the tests, CI) or ``0``, the
    default (``make build``, ``mkdocs build``: the HTML site alone)."""
    value = os.environ.get("HANDOUTS", "0")
    if value not in ("0", "1"):
        raise PluginError(f"HANDOUTS must be 0 (the HTML site alone) or 1 (with the PDF handouts), got {value!r}")
    return value == "1"


def paper() -> str:
    """The paper size of ``$HANDOUT_PAPER`` (``a4``, the default, or ``letter``) as CSS names it."""
    value = os.environ.get("HANDOUT_PAPER", "a4").lower()
    if value not in PAPERS:
        raise PluginError(f"HANDOUT_PAPER must be one of {sorted(PAPERS)}, got {value!r}")
    return PAPERS[value]


def links_html(page_url: str, chapter: Chapter | None, answers: bool = True) -> str:
    """The "Download PDF handout" box for the page at ``page_url``: its chapter's PDFs and the booklet's.
    A chapter without worked ``answers`` prints the same in both editions, and gets one link."""
    up = "../" * page_url.count("/")

    def links(target: str) -> str:
        return " · ".join(
            f'<a href="{up}{target.format(edition=e)}" download>{label} (PDF)</a>' for e, label in EDITIONS.items()
        )

    if chapter and not answers:
        label = "Formula sheet" if chapter.sheet else "Handout"
        link = f'<a href="{up}{chapter.pdf("student")}" download>{label} (PDF)</a>'
        parts = [f"<p><strong>This chapter:</strong> {link}</p>"]
    else:
        parts = [f"<p><strong>This chapter:</strong> {links(chapter.pdf('{edition}'))}</p>"] if chapter else []
    parts.append(f"<p><strong>The whole guide:</strong> {links(f'handouts/{BOOKLET}-{{edition}}.pdf')}</p>")
    return (
        '<aside class="handout-links" aria-label="Download PDF handout"><p class="handout-links__title">'
        "Download PDF handout</p>" + "".join(parts) + "</aside>"
    )


def content_date() -> str:
    """Date of the newest commit that touched the guide's content (YYYY-MM-DD), for the cover."""
    proc = subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", "docs", "notebooks", "src", "snippets", "includes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() or time.strftime("%Y-%m-%d", time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", "0"))))
