"""MkDocs hook: printable PDF handouts, rendered by headless Chromium from the built site.

After ``mkdocs build`` (not ``serve``), ``on_post_build`` assembles print documents from the built
pages and prints them with Chromium through Playwright into ``site/handouts/``:

- one PDF per chapter and one booklet of the whole guide (cover, contents with page numbers,
  numbered chapters each starting on a new page), each in two editions: ``student`` (worked answers
  left out, ruled space to write) and ``answer-key`` (answers shown);
- page numbers in the footer, bookmarks (outline), the document title, tagged PDF;
- A4, or US Letter with ``HANDOUT_PAPER=letter``.

Chromium is ``/usr/bin/chromium`` or ``$CHROMIUM``; without it the HTML site is built alone and the
build says so, and the pages get no handout links (never a link to a missing or half-made PDF).
``HANDOUTS=0`` skips the handouts on purpose. Every page links to its chapter's PDFs and the booklet.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from guide_build import ROOT, cache
from guide_build import browser as browser_tools

BOOKLET = "diffusion-vs-llms"
CACHE = cache.root() / "handouts"
"""Printed PDFs are kept here, keyed by their document (``$GUIDE_CACHE/handouts``)."""
EDITIONS = {"student": "Student edition", "answer-key": "Answer key"}
PAPERS = {"a4": "A4", "letter": "Letter"}
NOT_CHAPTERS = {"index.md", "contributing.md"}
ANSWER = re.compile(r'<details class="success"[^>]*>.*?</details>', re.S)
DETAILS = re.compile(r"<details(?![^>]*\bopen\b)([^>]*)>")
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
DROP = [
    re.compile(r'<a[^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', re.S),
    re.compile(r'<aside class="handout-links".*?</aside>', re.S),
    re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S),
    re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S),
    re.compile(r'<p class="notebook-downloads">.*?</p>', re.S),
]
URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
ID_ATTRIBUTE = re.compile(r'\b(id|for)="([^"]+)"')

log = get_plugin_logger("handouts")


@dataclass(frozen=True)
class Chapter:
    """A page of the guide that becomes a chapter of the handouts."""

    number: int
    slug: str
    title: str
    url: str  # site-relative directory URL, such as "diffusion/"

    def pdf(self, edition: str) -> str:
        return f"handouts/{self.slug}-{edition}.pdf"


_state: dict[str, object] = {"command": "build", "chromium": None, "chapters": []}


def find_chromium() -> str | None:
    """Path of the Chromium binary (``$CHROMIUM``, else ``chromium`` on PATH), or None."""
    try:
        return browser_tools.find_chromium()
    except ValueError as error:
        raise PluginError(str(error)) from None


def paper() -> str:
    value = os.environ.get("HANDOUT_PAPER", "a4").lower()
    if value not in PAPERS:
        raise PluginError(f"HANDOUT_PAPER must be one of {sorted(PAPERS)}, got {value!r}")
    return PAPERS[value]


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    paper()  # fail early on a bad HANDOUT_PAPER
    _state["chromium"] = None
    if _state["command"] != "build" or os.environ.get("HANDOUTS", "1") == "0":
        return config
    chromium = find_chromium()
    if chromium is None:
        print(
            "handouts: Chromium not found, so the PDF handouts are not built (the HTML site is). "
            "Install it with `apt-get install chromium`, or set CHROMIUM=/path/to/chromium."
        )
    _state["chromium"] = chromium
    return config


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    pages = [p for p in nav.pages if p.file.src_uri not in NOT_CHAPTERS]
    _state["chapters"] = [
        Chapter(number, _slug(p.file.src_uri), p.title or "", p.url) for number, p in enumerate(pages, 1)
    ]
    return nav


def _slug(src_uri: str) -> str:
    return posixpath.splitext(posixpath.basename(src_uri))[0]


def _chapter_of(page: Page) -> Chapter | None:
    return next((c for c in _state["chapters"] if c.url == page.url), None)


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not _state["chromium"]:
        return html_text
    up = "../" * page.url.count("/")
    chapter = _chapter_of(page)

    def links(target: str) -> str:
        return " · ".join(
            f'<a href="{up}{target.format(edition=e)}" download>{label} (PDF)</a>' for e, label in EDITIONS.items()
        )

    parts = []
    if chapter:
        parts.append(f"<p><strong>This chapter:</strong> {links(chapter.pdf('{edition}'))}</p>")
    parts.append(f"<p><strong>The whole guide:</strong> {links(f'handouts/{BOOKLET}-{{edition}}.pdf')}</p>")
    return (
        html_text + '<aside class="handout-links" aria-label="Download PDF handout"><p class="handout-links__title">'
        "Download PDF handout</p>" + "".join(parts) + "</aside>"
    )


# --- assembling print documents ----------------------------------------------------------------


def _article(site: Path, chapter: Chapter) -> str:
    page = (site / chapter.url / "index.html").read_text(encoding="utf-8")
    match = ARTICLE.search(page)
    if not match:
        raise PluginError(f"handouts: no <article> in {chapter.url}index.html")
    body = match[1]
    for pattern in DROP:
        body = pattern.sub("", body)
    return body.replace(' loading="lazy"', "")  # a print document loads every image before printing


def _localise(body: str, chapter: Chapter, chapters: list[Chapter], to_root: str) -> str:
    """Prefix ids with the chapter's slug and rebase URLs from the chapter's page to the print document."""
    by_url = {c.url: c for c in chapters}
    body = ID_ATTRIBUTE.sub(lambda m: f'{m[1]}="{chapter.slug}--{m[2]}"', body)

    def rebase(match: re.Match[str]) -> str:
        attribute, url = match[1], html.unescape(match[2])
        if url.startswith("#"):
            return f'{attribute}="#{chapter.slug}--{url[1:]}"'
        if re.match(r"^[a-z][a-z0-9+.-]*:", url):  # http:, mailto:, data:
            return match[0]
        path, _, fragment = url.partition("#")
        target = posixpath.normpath(posixpath.join(chapter.url, path)) if path else chapter.url.rstrip("/")
        target_dir = target.removesuffix("/index.html").strip("/") + "/"
        if attribute == "href" and (path.endswith("/") or path.endswith("index.html") or not path):
            other = by_url.get(target_dir)
            if other is None:
                return 'href="#"' if not fragment else f'href="#{chapter.slug}--{fragment}"'
            anchor = f"{other.slug}--{fragment}" if fragment else f"chapter-{other.slug}"
            return f'href="#{anchor}"'
        suffix = f"#{fragment}" if fragment else ""
        return f'{attribute}="{to_root}{target}{suffix}"'

    return URL_ATTRIBUTE.sub(rebase, body)


def _edition(body: str, edition: str) -> str:
    if edition == "student":
        body = ANSWER.sub('<div class="answer-space" role="img" aria-label="Space for your answer"></div>', body)
    return DETAILS.sub(r"<details open\1>", body)  # every remaining collapsible block prints open


def has_answers(site: Path, chapter: Chapter) -> bool:
    return bool(ANSWER.search(_article(site, chapter)))


def _chapter_html(site: Path, chapter: Chapter, chapters: list[Chapter], edition: str, numbered: bool) -> str:
    body = _edition(_localise(_article(site, chapter), chapter, chapters, "../../"), edition)
    label = f'<span class="chapter-number">Chapter {chapter.number} </span>' if numbered else ""
    body = re.sub(r"<h1([^>]*)>", lambda m: f"<h1{m[1]}>{label}", body, count=1)
    return f'<section class="handout-chapter" id="chapter-{chapter.slug}">{body}</section>'


FOOTER_FONT = 'font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #555;'


def _page_style(footer: str, paper_format: str, cover: bool) -> str:
    """``@page`` rules: paper size, margins, and the footer (text and page number) in margin boxes."""
    text = footer.replace("\\", "\\\\").replace('"', '\\"')
    first = "@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }" if cover else ""
    return (
        f"<style>@page {{ size: {paper_format}; margin: 16mm 16mm 18mm; "
        f'@bottom-left {{ content: "{text}"; {FOOTER_FONT} }} '
        f'@bottom-right {{ content: counter(page) " / " counter(pages); {FOOTER_FONT} }} }}'
        f"{first}</style>"
    )


def _document(site: Path, title: str, body: str, cover: bool = False) -> str:
    styles = sorted((site / "assets" / "stylesheets").glob("main.*.min.css")) + sorted(
        (site / "assets" / "stylesheets").glob("palette.*.min.css")
    )
    links = [f"../../{p.relative_to(site).as_posix()}" for p in styles]
    links += ["../../assets/katex/katex.min.css"] + [
        f"../../stylesheets/{n}.css" for n in ("extra", "notebook", "print")
    ]
    head = "".join(f'<link rel="stylesheet" href="{href}">' for href in links)
    head += _page_style(title, paper(), cover)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>{head}</head>'
        f'<body data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="deep-orange">'
        f'<main class="md-typeset handout">{body}</main></body></html>'
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


def _booklet_html(site: Path, chapters: list[Chapter], edition: str, config: MkDocsConfig) -> str:
    toc = "".join(
        f'<li><a href="#chapter-{c.slug}">{c.number}. {html.escape(c.title)}</a><span class="toc-leader"></span>'
        f'<span class="toc-page" data-chapter="{c.slug}">0</span></li>'
        for c in chapters
    )
    cover = (
        '<section class="handout-cover">'
        f'<p class="handout-title">{html.escape(config.site_name)}</p>'
        '<p class="handout-subtitle">Image generation vs text generation: architecture differences</p>'
        f'<p class="handout-edition">{EDITIONS[edition]}</p>'
        f"<p>Content as of {content_date()}. {html.escape(config.site_url or '')}</p>"
        "</section>"
    )
    contents = f'<section class="handout-toc"><h1 id="contents">Contents</h1><ol>{toc}</ol></section>'
    chapters_html = "".join(_chapter_html(site, c, chapters, edition, numbered=True) for c in chapters)
    return _document(site, f"{config.site_name}: {EDITIONS[edition]}", cover + contents + chapters_html, cover=True)


def _single_html(site: Path, chapter: Chapter, chapters: list[Chapter], edition: str | None, config) -> str:
    body = _chapter_html(site, chapter, chapters, edition or "answer-key", numbered=True)
    title = (
        f"{chapter.title} ({config.site_name}, chapter {chapter.number}{': ' + EDITIONS[edition] if edition else ''})"
    )
    return _document(site, title, body)


# --- printing ----------------------------------------------------------------------------------


def _cache_key(document: Path) -> str:
    """Hash of a print document, of every file it loads (stylesheets, the fonts and images they name,
    figures) and of this hook, which post-processes the PDF: same key, same PDF. (Fonts matter: the
    KaTeX fonts are cut to what the site draws, and a PDF embeds glyphs by their number in the font
    file.)"""
    digest = hashlib.sha256(document.read_bytes())
    digest.update(Path(__file__).read_bytes())
    local = re.findall(r'(?:href|src)="(?![a-z][a-z0-9+.-]*:)([^"#]+)', document.read_text(encoding="utf-8"))
    paths = [(document.parent / html.unescape(url)).resolve() for url in sorted(set(local))]
    for stylesheet in [p for p in paths if p.suffix == ".css" and p.is_file()]:
        named = re.findall(r"url\(['\"]?(?![a-z][a-z0-9+.-]*:)([^)'\"#?]+)", stylesheet.read_text(encoding="utf-8"))
        paths += [(stylesheet.parent / url).resolve() for url in sorted(set(named))]
    for path in paths:
        if path.is_file():  # named relative to the document: the same key wherever the site is built
            digest.update(os.path.relpath(path, document.parent).encode() + b"\0" + path.read_bytes())
    digest.update(f"{_state['chromium']} {paper()}".encode())
    return digest.hexdigest()[:20]


async def _print_cached(browser: Browser, document: Path) -> bytes:
    """:func:`_print`, or the PDF printed earlier from the very same document and files."""
    cached = CACHE / f"{_cache_key(document)}.pdf"
    if cached.exists():
        return cached.read_bytes()
    data = await _print(await browser.context(), document)
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    _state["printed"] = int(_state.get("printed", 0)) + 1
    return data


PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([^)]*)\)")
NODE_ID = re.compile(rb"\(node(\d{8})\)")
STRUCT_ID = re.compile(rb"/ID \(node(\d{8})\)")
ID_TREE_LEAF = re.compile(rb"/Limits \[\(node\d{8}\) \(node\d{8}\)\]\n/Names \[(?P<names>[^\]]*)\]")
ID_TREE_ENTRY = re.compile(rb"\(node(\d{8})\) (\d+ \d+ R)")


def _sorted_id_tree_leaf(match: re.Match[bytes]) -> bytes:
    """An ID tree leaf with its entries sorted again and its limits set from them (same length)."""
    entries = sorted(ID_TREE_ENTRY.findall(match["names"]))
    names = b" ".join(b"(node" + node + b") " + ref for node, ref in entries)
    leaf = b"/Limits [(node%s) (node%s)]\n/Names [%s]" % (entries[0][0], entries[-1][0], names)
    if len(leaf) != len(match[0]):
        raise PluginError(f"handouts: unexpected ID tree in a PDF from Chromium: {match[0][:200]!r}")
    return leaf


def _reproducible(pdf: bytes) -> bytes:
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


async def _print(context, document: Path) -> bytes:
    page = await context.new_page()
    try:
        # Laid out for print from the start: the PDF then needs no style change from screen to print,
        # and a booklet prints in about 6 s instead of 8 (the same PDF).
        await page.emulate_media(media="print")
        await page.goto(document.as_uri(), wait_until="load")
        await page.evaluate("document.fonts.ready.then(() => true)")
        broken = await page.evaluate(
            "Array.from(document.images).filter(i => i.offsetParent !== null && !i.naturalWidth).map(i => i.src)"
        )
        if broken:
            raise PluginError(f"handouts: images failed to load in {document.name}: {broken[:3]}")
        # Paper size, margins and footer come from the document's @page rules.
        pdf = await page.pdf(prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
        return _reproducible(pdf)
    finally:
        await page.close()


class Browser:
    """Chromium, launched on first use only: a build whose handouts are all cached starts no browser."""

    def __init__(self, playwright, chromium: str) -> None:
        self.playwright, self.chromium = playwright, chromium
        self.browser = self._context = None
        self.lock = asyncio.Lock()

    async def context(self):
        async with self.lock:
            if self._context is None:
                self.browser = await self.playwright.chromium.launch(
                    executable_path=self.chromium, args=browser_tools.FLAGS
                )
                self._context = await self.browser.new_context()
            return self._context

    async def close(self) -> None:
        if self.browser is not None:
            await self.browser.close()


def _chapter_starts(pdf: bytes, chapters: list[Chapter]) -> dict[str, int]:
    """1-based first page of each chapter, read from the PDF's outline (its top-level bookmarks)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    starts: dict[str, int] = {}
    for item in reader.outline:
        if isinstance(item, list):
            continue
        for chapter in chapters:
            if item.title.endswith(chapter.title) and chapter.slug not in starts:
                starts[chapter.slug] = reader.get_destination_page_number(item) + 1
    return starts


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _number_contents(document: Path, starts: dict[str, int]) -> None:
    text = document.read_text(encoding="utf-8")
    text = re.sub(
        r'(<span class="toc-page" data-chapter="([^"]+)">)\d+(</span>)', lambda m: f"{m[1]}{starts[m[2]]}{m[3]}", text
    )
    document.write_text(text, encoding="utf-8")


async def _render_all(site: Path, chromium: str, config: MkDocsConfig) -> list[str]:
    """Print every chapter, then the booklets, whose contents take their page numbers from the chapters.

    A booklet chapter is laid out exactly like the chapter's own PDF and starts on a new page, so its
    first page follows from the cover, the contents and the chapters' page counts; the booklet's own
    outline then confirms every number, and a mismatch is printed again with the outline's numbers.
    """
    from playwright.async_api import async_playwright

    chapters: list[Chapter] = _state["chapters"]
    work = site / "handouts" / "_print"
    work.mkdir(parents=True, exist_ok=True)
    jobs = []  # (chapter, editions it serves, document)
    for chapter in chapters:
        if has_answers(site, chapter):
            for edition in EDITIONS:
                document = work / f"{chapter.slug}-{edition}.html"
                document.write_text(_single_html(site, chapter, chapters, edition, config), encoding="utf-8")
                jobs.append((chapter, [edition], document))
        else:  # both editions are the same document
            document = work / f"{chapter.slug}.html"
            document.write_text(_single_html(site, chapter, chapters, None, config), encoding="utf-8")
            jobs.append((chapter, list(EDITIONS), document))

    written: list[str] = []
    pages: dict[tuple[str, str], int] = {}
    async with async_playwright() as playwright:
        browser = Browser(playwright, chromium)
        limit = asyncio.Semaphore(3)

        async def chapter_pdf(chapter: Chapter, editions: list[str], document: Path) -> None:
            async with limit:
                data = await _print_cached(browser, document)
            for edition in editions:
                (site / chapter.pdf(edition)).write_bytes(data)
                written.append(chapter.pdf(edition))
                pages[(chapter.slug, edition)] = _page_count(data)

        async def booklet_pdf(edition: str) -> None:
            document = work / f"{BOOKLET}-{edition}.html"
            document.write_text(_booklet_html(site, chapters, edition, config), encoding="utf-8")
            expected, page = {}, 3  # cover, contents, then the chapters
            for chapter in chapters:
                expected[chapter.slug] = page
                page += pages[(chapter.slug, edition)]
            _number_contents(document, expected)
            async with limit:
                data = await _print_cached(browser, document)
                actual = _chapter_starts(data, chapters)
                if sorted(actual) != sorted(expected):
                    raise PluginError(
                        f"handouts: chapters missing from the booklet's outline: {set(expected) - set(actual)}"
                    )
                if actual != expected:
                    log.info(f"booklet ({edition}): contents renumbered from the outline")
                    _number_contents(document, actual)
                    data = await _print_cached(browser, document)
            name = f"handouts/{BOOKLET}-{edition}.pdf"
            (site / name).write_bytes(data)
            written.append(name)

        try:
            await asyncio.gather(*(chapter_pdf(*job) for job in jobs))
            await asyncio.gather(*(booklet_pdf(edition) for edition in EDITIONS))
        finally:
            await browser.close()
    shutil.rmtree(work)
    return written


def _inputs_key(site: Path) -> str:
    """Hash of everything the handouts are made from: the built chapters, stylesheets, figures, settings."""
    digest = hashlib.sha256(f"{_state['chromium']} {paper()} {content_date()}".encode())
    chapters: list[Chapter] = _state["chapters"]
    files = [site / c.url / "index.html" for c in chapters]
    for folder in ("assets/stylesheets", "stylesheets", "figures", "assets/katex"):
        files += sorted(p for p in (site / folder).rglob("*") if p.is_file() and p.suffix != ".map")
    for path in files:
        digest.update(str(path.relative_to(site)).encode() + b"\0" + path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:20]


def _cache_key_of_file(path: Path) -> str:
    return "out-" + hashlib.sha256(path.read_bytes()).hexdigest()[:20]


def _reuse(site: Path, key: str) -> list[str] | None:
    """Copy the handouts of an earlier build with the very same inputs, if all of them are cached."""
    manifest = CACHE / f"build-{key}.json"
    if not manifest.exists():
        return None
    outputs = json.loads(manifest.read_text(encoding="utf-8"))
    if not all((CACHE / pdf).exists() for pdf in outputs.values()):
        return None
    (site / "handouts").mkdir(parents=True, exist_ok=True)
    for name, pdf in outputs.items():
        shutil.copyfile(CACHE / pdf, site / name)
    return list(outputs)


def on_post_build(config: MkDocsConfig) -> None:
    chromium = _state["chromium"]
    if not chromium:
        return
    site = Path(config.site_dir)
    started = time.perf_counter()
    _state["printed"] = 0
    key = _inputs_key(site)
    reused = _reuse(site, key)
    if reused is not None:
        log.info(f"{len(reused)} PDF handouts reused, nothing changed ({time.perf_counter() - started:.1f} s)")
        return
    try:
        written = asyncio.run(_render_all(site, chromium, config))
        outputs = {name: f"{_cache_key_of_file(site / name)}.pdf" for name in written}
        for name, pdf in outputs.items():
            if not (CACHE / pdf).exists():
                shutil.copyfile(site / name, CACHE / pdf)
        (CACHE / f"build-{key}.json").write_text(json.dumps(outputs, indent=1), encoding="utf-8")
    except Exception as error:
        shutil.rmtree(site / "handouts", ignore_errors=True)  # never leave half-made handouts behind
        if isinstance(error, PluginError):
            raise
        raise PluginError(f"handouts: printing with {chromium} failed: {error}") from error
    seconds = time.perf_counter() - started
    log.info(f"{len(written)} PDF handouts ({paper()}) in {seconds:.1f} s; printed {_state['printed']}, others cached")
