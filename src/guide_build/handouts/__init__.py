"""PDF handouts, printed by headless Chromium (through Playwright) from the built site.

- one PDF per chapter and one booklet of the whole guide (cover, contents with page numbers,
  numbered chapters each starting on a new page), each in two editions: ``student`` (worked answers
  left out, ruled space to write) and ``answer-key`` (answers shown);
- page numbers in the footer (the booklet's names the chapter) and after the booklet's
  cross-references ("(p. 12)"), bookmarks (outline), the document title, tagged PDF;
- blocks split across pages only when taller than a third of a page, each practice question with
  its answer (or the space for it) on one page, and a Name / Class / Date line on student editions;
- A4, or US Letter with ``HANDOUT_PAPER=letter``;
- the same content gives the same bytes.

The chapters are the pages of the nav, in order, except those whose front matter says
``handout: false``. The print documents take the site's stylesheets and the attributes Material
wrote on each page's ``<body>`` (text direction, and the palette of ``mkdocs.yml``).

Three modules, one job each: :mod:`~guide_build.handouts.plan` (which chapters, editions and paper),
:mod:`~guide_build.handouts.documents` (print documents assembled from the built pages) and
:mod:`~guide_build.handouts.printing` (PDFs printed from them); :func:`build` writes them all.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide_build import browser, cache
from guide_build.handouts.documents import ANSWER, article, booklet_document, chapter_document
from guide_build.handouts.plan import (
    BOOKLET,
    EDITIONS,
    Chapter,
    chapters,
    content_date,
    links_html,
    number_titles,
    paper,
    requested,
)
from guide_build.handouts.printing import Printer

# what hooks/handouts.py uses
__all__ = [
    "ANSWER",
    "BOOKLET",
    "EDITIONS",
    "Chapter",
    "build",
    "chapters",
    "links_html",
    "number_titles",
    "paper",
    "requested",
]


async def _render_all(site: Path, chromium: str, all_chapters: list[Chapter], site_name: str, site_url: str):
    """Print every chapter and both booklets (begun first: each is the longest print of the lot)."""
    work = site / "handouts" / "_print"
    work.mkdir(parents=True, exist_ok=True)
    jobs = []  # (chapter, editions it serves, document)
    for chapter in all_chapters:
        if bool(ANSWER.search(article(site, chapter))) != chapter.answers:
            raise PluginError(
                f"handouts: chapter {chapter.slug}: its Markdown {'has' if chapter.answers else 'has no'} worked "
                "answers (??? success or a questions marker), but its built pages disagree"
            )
        if chapter.answers:
            variants = [(f"{chapter.slug}-{edition}", edition, [edition]) for edition in EDITIONS]
        else:  # both editions are the same document
            variants = [(chapter.slug, None, list(EDITIONS))]
        for name, edition, editions in variants:
            document = work / f"{name}.html"
            document.write_text(
                chapter_document(site, chapter, all_chapters, edition, site_name, site_url), encoding="utf-8"
            )
            jobs.append((chapter, editions, document))

    outputs: dict[str, str] = {}  # handout -> its cache entry
    printer = Printer(chromium)

    async def chapter_pdf(chapter: Chapter, editions: list[str], document: Path) -> None:
        cached = await printer(document)  # a chapter's document has no page numbers to fill in
        for edition in editions:
            outputs[chapter.pdf(edition)] = cached.name

    async def booklet_pdf(edition: str) -> None:
        document = work / f"{BOOKLET}-{edition}.html"
        document.write_text(booklet_document(site, all_chapters, edition, site_name, site_url), encoding="utf-8")
        outputs[f"handouts/{BOOKLET}-{edition}.pdf"] = (await printer(document)).name

    try:
        await asyncio.gather(*(booklet_pdf(edition) for edition in EDITIONS), *(chapter_pdf(*job) for job in jobs))
    finally:
        await printer.close()
    shutil.rmtree(work)
    return printer.printed, outputs


def _code() -> list[bytes]:
    """The source of this package: what turns the built pages into PDFs."""
    return [path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))]


def _build_key(site: Path, chromium: str, all_chapters: list[Chapter]) -> str:
    """Hash of everything the handouts are made from: the built chapters, stylesheets, fonts, figures,
    this package's code, the browser, the paper and the content date."""
    files = [site / url / "index.html" for c in all_chapters for url in c.urls]
    files.append(site / "index.html")  # the cover's objectives
    for folder in ("assets/stylesheets", "stylesheets", "figures", "assets/katex"):
        files += [p for p in (site / folder).rglob("*") if p.is_file() and p.suffix != ".map"]
    return cache.key(cache.files_key(files, site), *_code(), browser.identity(chromium), paper(), content_date())


def build(site: Path, chromium: str, all_chapters: list[Chapter], site_name: str, site_url: str) -> tuple[int, int]:
    """Write every handout into ``site/handouts/``; returns (PDFs written, PDFs printed, not cached).

    Two cache layers: each print document's PDF (an edited page reprints its chapter and the
    booklets only), and for each set of inputs the list of those PDFs (a build where nothing
    changed copies them without assembling a document). On failure no handout is left behind.
    """
    entries = cache.folder("handouts")
    manifest = entries / f"build-{_build_key(site, chromium, all_chapters)}.json"
    outputs = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
    printed = 0
    try:
        if not outputs or not all((entries / entry).exists() for entry in outputs.values()):
            printed, outputs = asyncio.run(_render_all(site, chromium, all_chapters, site_name, site_url))
            cache.write_atomic(manifest, json.dumps(outputs, indent=1, sort_keys=True))
        (site / "handouts").mkdir(exist_ok=True)
        for name, entry in outputs.items():
            shutil.copyfile(entries / entry, site / name)
    except Exception as error:
        shutil.rmtree(site / "handouts", ignore_errors=True)
        if isinstance(error, PluginError):
            raise
        raise PluginError(f"handouts: printing with {chromium} failed: {error}") from error
    return len(outputs), printed
