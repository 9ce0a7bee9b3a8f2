"""What the handouts are: the chapters (the nav's pages), the two editions, the paper, and the box of
links to them on every page."""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import meta

from guide_build import ROOT
from guide_build.mkdocs import chapter_folder, load_config, nav_pages, page_url

BOOKLET = "diffusion-vs-llms"
ANSWERS_IN_MARKDOWN = re.compile(r"^\s*\?\?\?\+?\s+success\b|^<!-- questions: (?:self-check|practice) -->", re.M)
"""A collapsed answer in a page's Markdown (``??? success``), or a marker the question bank fills with
answers: its chapter prints in two editions, the student's without them."""
EDITIONS = {"student": "Student edition", "answer-key": "Answer key"}
PAPERS = {"a4": "A4", "letter": "Letter"}
PAGE_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}
MARGIN_MM = (16, 16, 18)
"""Top, sides and bottom; the footer is printed in the bottom margin."""


@dataclass(frozen=True)
class Chapter:
    """A page of the guide, or a folder of sections, that becomes a chapter of the handouts."""

    number: int
    slug: str
    title: str
    url: str  # site-relative directory URL of its (first) page, such as "diffusion/"
    sheet: bool = False  # front matter "handout: sheet": its own handout is a formula sheet (print.css)
    sections: tuple[str, ...] = ()  # for a folder: the URLs of its other pages, in nav order
    answers: bool = False  # whether a page of it has worked answers (:data:`ANSWERS_IN_MARKDOWN`)

    def pdf(self, edition: str) -> str:
        return f"handouts/{self.slug}-{edition}.pdf"

    @property
    def urls(self) -> tuple[str, ...]:
        """Its pages in reading order: the chapter's page, then its sections."""
        return (self.url, *self.sections)

    def prefix(self, url: str) -> str:
        """What the print documents put before the ids of the page at ``url``: the chapter's slug, and
        for a section also the section's, so that two sections' ids never collide."""
        return self.slug if url == self.url else f"{self.slug}-{url.rstrip('/').rsplit('/', 1)[-1]}"


def chapters(pages: list[tuple[str, str]] | None = None, docs_dir: Path | None = None) -> list[Chapter]:
    """The chapters: ``(title, docs path)`` of the nav pages (default: those of ``mkdocs.yml``), less
    the Markdown pages whose front matter says ``handout: false``; ``handout: sheet`` makes the
    chapter's own handout a formula sheet (the booklet prints the whole page). A folder with an
    ``index.md`` is one chapter: its index page, then the folder's other pages as its sections."""
    if pages is None or docs_dir is None:
        config = load_config()
        pages = nav_pages(config) if pages is None else pages
        docs_dir = docs_dir or ROOT / config.get("docs_dir", "docs")
    result: list[Chapter] = []
    paths = [src for _, src in pages]
    for title, src_uri in pages:
        folder = chapter_folder(src_uri, paths)
        if folder is not None and src_uri != f"{folder}/index.md":  # a section of the chapter before it
            last = result[-1] if result else None
            if last is None or last.url != page_url(f"{folder}/index.md"):
                raise ValueError(f"nav: {src_uri} must follow {folder}/index.md, the page of its chapter")
            answers = last.answers or bool(ANSWERS_IN_MARKDOWN.search(_source(docs_dir, src_uri)))
            result[-1] = replace(last, sections=(*last.sections, page_url(src_uri)), answers=answers)
            continue
        text = _source(docs_dir, src_uri)
        handout = meta.get_data(text)[1].get("handout", True)
        if handout not in (True, False, "sheet"):
            where = Path(docs_dir) / src_uri
            raise ValueError(f"{where}: front matter handout: {handout!r}; expected true, false or sheet")
        if handout is False:
            continue
        stem = posixpath.splitext(src_uri)[0].removesuffix("/index")
        answers = bool(ANSWERS_IN_MARKDOWN.search(text))
        url, sheet = page_url(src_uri), handout == "sheet"
        chapter = Chapter(len(result) + 1, posixpath.basename(stem), title, url, sheet, (), answers)
        result.append(chapter)
    return result


def _source(docs_dir: Path, src_uri: str) -> str:
    """The Markdown of a page; nothing for a notebook."""
    source = Path(docs_dir) / src_uri
    return source.read_text(encoding="utf-8") if source.suffix == ".md" and source.is_file() else ""


def number_titles(items: list, chapters: list[Chapter]) -> None:
    """Number the nav ``items`` (MkDocs ``Page`` and ``Section`` objects) as the booklet numbers them:
    a chapter's page and its nav section ``"N. Title"``, a section's page ``"N.k. Title"``; the
    navigation, the breadcrumbs, the window title and the previous/next links then read as its contents."""
    numbers = {chapter.url: str(chapter.number) for chapter in chapters}
    numbers |= {url: f"{c.number}.{k}" for c in chapters for k, url in enumerate(c.sections, 1)}
    folders = {chapter.url: chapter.number for chapter in chapters if chapter.sections}
    for item in items:
        if item.is_section:  # a chapter's folder, or a group of chapters (the notebooks): only the first is one
            first = item.children[0] if item.children else None
            if first is not None and first.is_page and first.url in folders:
                item.title = f"{folders[first.url]}. {item.title}"
            number_titles(item.children, chapters)
        elif item.is_page and item.url in numbers:
            item.title = f"{numbers[item.url]}. {item.title}"


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


def links_html(page_url: str, chapter: Chapter | None) -> str:
    """The "Download PDF handout" box for the page at ``page_url``: its chapter's PDFs and the booklet's.
    A chapter without worked answers prints the same in both editions, and gets one link."""
    up = "../" * page_url.count("/")

    def links(target: str) -> str:
        return " · ".join(
            f'<a href="{up}{target.format(edition=e)}" download>{label} (PDF)</a>' for e, label in EDITIONS.items()
        )

    if chapter and not chapter.answers:
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
