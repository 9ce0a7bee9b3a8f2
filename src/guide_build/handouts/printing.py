"""Print documents printed to PDF by Chromium (through Playwright): laid out for their pages, their
page numbers filled in from their own printout, compacted by qpdf, the same content giving the same
bytes, and each PDF kept in the cache by its document and every file it loads."""

from __future__ import annotations

import asyncio
import html
import io
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide_build import browser, cache
from guide_build.handouts.plan import MARGIN_MM, PAGE_MM, content_date, paper


def destination_pages(pdf: bytes) -> dict[str, int]:
    """The page (from 1) of each named destination of ``pdf``: Chromium makes each link's target one."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {
        name.lstrip("/"): reader.get_destination_page_number(d) + 1 for name, d in reader.named_destinations.items()
    }


FILL_PAGE_NUMBERS = """pages => {
    let changed = 0;
    for (const span of document.querySelectorAll("[data-page-of]")) {
        const page = pages[span.dataset.pageOf];
        if (page === undefined) return "#" + span.dataset.pageOf;
        if (span.textContent !== String(page)) {
            span.textContent = String(page);
            changed += 1;
        }
    }
    return changed;
}"""
"""Sets each page number to fill in (``data-page-of``: the id of its target) to the page given for that
id; returns how many changed, or ``"#id"`` for a target the pages do not give."""


PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([^)]*)\)")
NODE_ID = re.compile(rb"\(node(\d{8})\)")
STRUCT_ID = re.compile(rb"/ID \(node(\d{8})\)")
ID_TREE_LEAF = re.compile(rb"/Limits \[\(node\d{8}\) \(node\d{8}\)\]\n/Names \[(?P<names>[^\]]*)\]")
ID_TREE_ENTRY = re.compile(rb"\(node(\d{8})\) (\d+ \d+ R)")
LOCAL_URL = re.compile(r'(?:href|src)="(?![a-z][a-z0-9+.-]*:)([^"#]+)')
CSS_URL = re.compile(r"url\(['\"]?(?![a-z][a-z0-9+.-]*:)([^)'\"#?]+)")


def _cache_key(document: Path, chromium: str) -> str:
    """Hash of a print document, of every file it loads (stylesheets, the fonts and images they name,
    figures), of this module (which post-processes the PDF), the browser (:func:`browser.identity`) and
    the paper: same key, same PDF. Fonts matter: a PDF embeds glyphs by their number in the font file."""
    text = document.read_text(encoding="utf-8")
    paths = [(document.parent / html.unescape(url)).resolve() for url in sorted(set(LOCAL_URL.findall(text)))]
    for stylesheet in [p for p in paths if p.suffix == ".css" and p.is_file()]:
        named = CSS_URL.findall(stylesheet.read_text(encoding="utf-8"))
        paths += [(stylesheet.parent / url).resolve() for url in sorted(set(named))]
    parts: list[str | bytes] = [text, Path(__file__).read_bytes(), browser.identity(chromium), paper()]
    for path in paths:
        if path.is_file():  # named relative to the document: the same key wherever the site is built
            parts += [os.path.relpath(path, document.parent), path.read_bytes()]
    return cache.key(*parts)


def _sorted_id_tree_leaf(match: re.Match[bytes]) -> bytes:
    """An ID tree leaf with its entries sorted again and its limits set from them (same length)."""
    entries = sorted(ID_TREE_ENTRY.findall(match["names"]))
    names = b" ".join(b"(node" + node + b") " + ref for node, ref in entries)
    leaf = b"/Limits [(node%s) (node%s)]\n/Names [%s]" % (entries[0][0], entries[-1][0], names)
    if len(leaf) != len(match[0]):
        raise PluginError(f"handouts: unexpected ID tree in a PDF from Chromium: {match[0][:200]!r}")
    return leaf


def reproducible(pdf: bytes) -> bytes:
    """The same content gives the same bytes. Chromium stamps the time of printing (replaced by the date
    of the content) and names tagged table headers after DOM node counters, which it hands out in an
    order that depends on timing. They are renumbered 0, 1, 2, ... in the order the structure
    elements appear, and the ID tree's leaves are sorted again. Every replacement has the length of
    the original, so the cross-reference offsets stay valid."""
    stamp = content_date().replace("-", "").encode() + b"000000"
    pdf = PDF_DATE.sub(lambda m: b"/" + m[1] + b" (D:" + stamp + m[2] + b")", pdf)
    order = list(dict.fromkeys(m[1] for m in STRUCT_ID.finditer(pdf)))
    order += sorted({m[1] for m in NODE_ID.finditer(pdf)} - set(order))
    rank = {node: b"%08d" % i for i, node in enumerate(order)}
    pdf = NODE_ID.sub(lambda m: b"(node" + rank[m[1]] + b")", pdf)
    return ID_TREE_LEAF.sub(_sorted_id_tree_leaf, pdf)


def compact(pdf: bytes) -> bytes:
    """``pdf`` rewritten by qpdf with its small objects packed into compressed object streams (PDF 1.5,
    which every current reader opens). A tagged PDF is mostly such objects, one dictionary per element
    of its structure tree, and Chromium writes each uncompressed. The same bytes in give the same bytes
    out: the file's ID is computed from its content."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        out = io.BytesIO()
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return out.getvalue()


PAGINATE = """most => {
    const ROW_CM = 0.8, ROWS_BEFORE = 2, ROWS_AFTER = 2;  // extra.css rules a box to write in every 0.8 cm
    // A question too tall to keep whole may split, but not between its text and its answer: the
    // text and the answer's beginning (the box's first ruled lines, or the worked answer's title and
    // its first line) stay together whatever their height, and the rest of the answer continues after them.
    const keepStartTogether = (question, answer, height) => {
        const start = document.createElement("div");
        start.className = "question-start";
        while (question.firstChild !== answer) start.append(question.firstChild);
        question.prepend(start);
        if (answer.matches(".answer-space")) {
            start.append(answer);
            // a box to write in splits between its ruled rows only (print.css), with ROWS_BEFORE of them
            // under the question (the label's and one to write on) and ROWS_AFTER at least on the next page
            const rows = Math.round(height / ROW_CM);
            if (rows >= ROWS_BEFORE + ROWS_AFTER) {
                const rest = document.createElement("div");
                rest.className = "answer-space answer-space--continued";
                rest.style.height = "auto";
                for (let row = ROWS_BEFORE; row < rows; row++) rest.append(document.createElement("div"));
                answer.style.height = `${ROWS_BEFORE * ROW_CM}cm`;
                answer.classList.add("answer-space--continues");
                question.append(rest);
            }
            return;
        }
        const opened = document.createElement("div");  // the worked answer as a box in two pieces
        opened.className = "admonition success answer-start";
        const title = document.createElement("p");
        title.className = "admonition-title";
        title.textContent = answer.querySelector("summary").textContent;
        answer.querySelector("summary").remove();
        opened.append(title);
        start.append(opened);
        if (answer.firstElementChild) {  // the worked answer itself, in the box's second piece
            const rest = document.createElement("div");
            rest.className = "admonition success answer-rest";
            while (answer.firstChild) rest.append(answer.firstChild);
            // The title keeps the answer's first lines under it on its page when that first block
            // can split (text, or code): a title alone at the foot of a page says nothing.
            const first = rest.firstElementChild;
            if (first.matches("p, ul, ol, .choice-explanations, .highlight")) {
                rest.classList.add("answer-rest--joined");
                if (first.matches(".highlight")) first.setAttribute("data-may-split", "");
            }
            question.append(rest);
        }
        answer.remove();
    };
    const questions = [];
    for (const answer of document.querySelectorAll(".answer-space, details.success")) {
        let first = answer;
        while (first.previousElementSibling && !/^H[1-6]$/.test(first.tagName)) {
            first = first.previousElementSibling;
            if (first.matches(".answer-space, details.success")) break;  // a second answer to one question
        }
        if (!/^H[2-6]$/.test(first.tagName)) continue;
        const question = document.createElement("div");
        question.className = "question";
        first.before(question);
        for (let node = first, next; node !== answer; node = next) {
            next = node.nextElementSibling;
            question.append(node);
        }
        question.append(answer);
        let height = 0;
        if (answer.matches(".answer-space")) {  // as tall as the question's heading says (practice.py)
            height = +first.dataset.answerSpace;
            if (!(height > 0)) throw new Error(`no data-answer-space on the heading of ${first.textContent}`);
            answer.style.height = `${height}cm`;
        }
        questions.push([question, answer, height]);
    }
    // Every height is read before anything changes: a change between two reads would lay the
    // whole document out again for the second, once per block.
    // A chapter's last question, with a box to write in, stays whole: split, the end of its box took a
    // page of its own, with nothing after it.
    const chapters = [...document.querySelectorAll(".handout-chapter")];
    const ends = new Set(chapters.map(chapter => [...chapter.querySelectorAll(".question")].at(-1)));
    const last = block => ends.has(block) && block.matches(":has(> .answer-space)");
    const tall = questions.filter(([question]) => !last(question) && question.getBoundingClientRect().height > most);
    for (const [question, answer, height] of tall) keepStartTogether(question, answer, height);
    const blocks = ".md-typeset :is(.question, table, .admonition, details, .highlight), .jp-Cell";
    const split = Array.from(document.querySelectorAll(blocks))
        .filter(b => !last(b) && b.getBoundingClientRect().height > most);
    // an attribute, not a class: a table's class is its style (table.guide-table)
    for (const block of split) block.setAttribute("data-may-split", "");
}"""
"""Lays a print document out for its pages. Each question, from its heading to its answer (answer
key) or the space to write it (student edition; as tall as its heading's ``data-answer-space``),
goes into one block. Blocks taller than :data:`KEEP_WHOLE` of the page get ``data-may-split``;
print.css keeps the others whole. A block kept whole that does not fit moves to the next page, so
no page is left emptier than that (a chapter's last page aside), but for a tall question's start
(its text, and its answer's title and first line or its box's first two ruled rows), which moves
whole too."""
KEEP_WHOLE = 1 / 3


UNDRAWN = "body * { visibility: hidden !important }"
"""The style of a printout made only to read where its link targets fall: the same layout, nothing drawn."""

PRINTOUT = {"prefer_css_page_size": True, "print_background": True, "outline": True, "tagged": True}
"""Playwright's ``page.pdf`` options of a handout: tagged, with bookmarks, backgrounds printed."""


async def print_pdf(context, document: Path) -> bytes:
    """``document`` printed to PDF in a new page of the Playwright browser ``context``; paper size,
    margins and footer come from the document's ``@page`` rules, and the blocks that may split across
    pages from their height (:data:`PAGINATE`), measured at the width of the page's text.

    Page numbers to fill in (``data-page-of``, the booklet's contents and cross-references) are read
    from the document's own printout: printed once to measure (untagged and :data:`UNDRAWN`, since
    only the link targets are read), filled in, and printed again until a printout has the numbers
    it was printed with."""
    (width, height), (top, side, bottom) = PAGE_MM[paper()], MARGIN_MM
    px = 96 / 25.4
    page = await context.new_page()
    try:
        await page.set_viewport_size({"width": round((width - 2 * side) * px), "height": 900})
        await page.emulate_media(media="print")  # laid out for print from the start, no restyle
        await page.goto(document.as_uri(), wait_until="load", timeout=300_000)  # a booklet on a busy machine
        await page.evaluate("document.fonts.ready.then(() => true)")
        await page.evaluate(PAGINATE, (height - top - bottom) * px * KEEP_WHOLE)
        broken = await page.evaluate(
            "Array.from(document.images).filter(i => i.offsetParent !== null && !i.naturalWidth).map(i => i.src)"
        )
        if broken:
            raise PluginError(f"handouts: images failed to load in {document.name}: {broken[:3]}")
        if not await page.evaluate("document.querySelector('[data-page-of]') !== null"):
            return compact(reproducible(await page.pdf(**PRINTOUT)))
        hidden = await page.add_style_tag(content=UNDRAWN)
        pdf, printout = None, await page.pdf(prefer_css_page_size=True)  # to measure: untagged, no outline
        await hidden.evaluate("style => style.remove()")
        for _ in range(4):
            changed = await page.evaluate(FILL_PAGE_NUMBERS, destination_pages(printout))
            if isinstance(changed, str):
                raise PluginError(f"handouts: the printout of {document.name} has no page for {changed}")
            if not changed and pdf is not None:
                return compact(reproducible(pdf))
            pdf = printout = await page.pdf(**PRINTOUT)
        raise PluginError(f"handouts: the page numbers of {document.name} do not settle")
    finally:
        await page.close()


class Printer:
    """Prints documents, or takes the PDF printed earlier from the very same document and files.
    Playwright and Chromium start on first use only: a build whose handouts are all cached starts neither."""

    def __init__(self, chromium: str) -> None:
        self.chromium = chromium
        self.playwright = self.browser = self.context = None
        self.lock = asyncio.Lock()
        self.limit = asyncio.Semaphore(3)
        self.printed = 0

    async def __call__(self, document: Path) -> Path:
        """The cache entry of ``document``'s PDF, printed now if it is not there."""
        cached = cache.root() / "handouts" / f"{_cache_key(document, self.chromium)}.pdf"
        if cached.exists():
            return cached
        async with self.limit:
            async with self.lock:
                if self.context is None:
                    from playwright.async_api import async_playwright

                    self.playwright = await async_playwright().start()
                    self.browser = await self.playwright.chromium.launch(
                        executable_path=self.chromium, args=browser.FLAGS
                    )
                    self.context = await self.browser.new_context()
            data = await print_pdf(self.context, document)
        self.printed += 1
        return cache.write_atomic(cached, data)

    async def close(self) -> None:
        if self.browser is not None:
            await self.browser.close()
        if self.playwright is not None:
            await self.playwright.stop()
