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
"""

from __future__ import annotations

import asyncio
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

from mkdocs.exceptions import PluginError
from mkdocs.utils import meta

from guide_build import ROOT, browser, cache, plain_text
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


# --- assembling print documents ----------------------------------------------------------------

ANSWER = re.compile(r'<details class="success"[^>]*>.*?</details>', re.S)
DETAILS = re.compile(r"<details(?![^>]*\bopen\b)([^>]*)>")
BODY_ATTRIBUTES = re.compile(r'\s(?:dir|data-md-color-[a-z]+)="[^"]*"')
"""On Material's ``<body>``: the text direction, which its list, admonition and quotation styles
key on (``[dir=ltr] .md-typeset ul li``), and the colour scheme, primary and accent colours."""
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
DROP = re.compile(
    r'<a[^>]*class="md-content__button[^"]*"[^>]*>.*?</a>|<aside class="handout-links".*?</aside>'
    r'|<a class="(?:headerlink|anchor-link)"[^>]*>.*?</a>|<p class="notebook-downloads">.*?</p>',
    re.S,
)
FIGURE_LINK = re.compile(r'<a href="[^"]*figures/[^"]*">(<img [^>]*>)</a>')
"""A figure image's link to its own file (on screen, tap to zoom): on paper it would be a link into the
build folder, so the image prints without it."""
GLOSSARY_LINK = re.compile(r'<a class="glossary-term" href="[^"]*">(.*?)</a>', re.DOTALL)
"""A term's link to its glossary entry: on paper the term prints as text, with no page reference."""
URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
ID_ATTRIBUTE = re.compile(r'\b(id|for)="([^"]+)"')
FOOTER_FONT = 'font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #555;'


def _page(site: Path, chapter: Chapter) -> str:
    return (site / chapter.url / "index.html").read_text(encoding="utf-8")


def _article(site: Path, chapter: Chapter) -> str:
    match = ARTICLE.search(_page(site, chapter))
    if not match:
        raise PluginError(f"handouts: no <article> in {chapter.url}index.html")
    body = GLOSSARY_LINK.sub(r"\1", FIGURE_LINK.sub(r"\1", DROP.sub("", match[1])))
    return body.replace(' loading="lazy"', "")  # a print document loads every image first


def _localise(body: str, chapter: Chapter, by_url: dict[str, Chapter], site_url: str) -> str:
    """Prefix ids with the chapter's slug and rebase URLs from the chapter's page to the print document:
    a link to a chapter goes to its place in the handout; a link to any other page or file (a
    download) goes to the site at ``site_url``, or, without one, prints as text; an image is
    loaded from the built site."""
    body = ID_ATTRIBUTE.sub(lambda m: f'{m[1]}="{chapter.slug}--{m[2]}"', body)

    def rebase(match: re.Match[str]) -> str:
        attribute, url = match[1], html.unescape(match[2])
        if url.startswith("#"):
            return f'{attribute}="#{chapter.slug}--{url[1:]}"'
        if re.match(r"^[a-z][a-z0-9+.-]*:", url):  # http:, mailto:, data:
            return match[0]
        path, _, fragment = url.partition("#")
        target = posixpath.normpath(posixpath.join(chapter.url, path)) if path else chapter.url.rstrip("/")
        anchor = "#" + fragment if fragment else ""
        if attribute == "src":
            return f'src="../../{target}{anchor}"'  # the print documents are in site/handouts/_print/
        if path.endswith("/") or path.endswith("index.html") or not path:
            target = posixpath.normpath(target.removesuffix("index.html")).strip("/")
            target = "" if target == "." else target + "/"
            other = by_url.get(target)
            if other is not None:
                return f'href="#{other.slug}--{fragment}"' if fragment else f'href="#chapter-{other.slug}"'
        return (
            f'href="{html.escape(site_url.rstrip("/"))}/{html.escape(target)}{html.escape(anchor)}"' if site_url else ""
        )

    return URL_ATTRIBUTE.sub(rebase, body)


NAME_LINE = '<p class="name-line"><span>Name</span><span>Class</span><span>Date</span></p>'
"""Where a student writes who handed the worksheet in, under the title of a student edition."""


def _edition(body: str, edition: str) -> str:
    if edition == "student":
        body = ANSWER.sub('<div class="answer-space" role="img" aria-label="Space for your answer"></div>', body)
    return DETAILS.sub(r"<details open\1>", body)  # every remaining collapsible block prints open


UNNUMBERED = "000"
"""A page number before it is known: as wide as one of three digits, so that filling in the numbers
rarely moves the text onto other pages, and the next printing has the same numbers."""
INTERNAL_LINK = re.compile(r'<a href="#([^"]+)"[^>]*>.*?</a>', re.S)
ID = re.compile(r'\bid="([^"]+)"')


def with_page_references(document: str, unnumbered: tuple[str, ...] = ("references--",)) -> str:
    """``document`` with the page of its target after each link to another place in it ("(p. 12)"),
    except targets starting with ``unnumbered``: a citation leads to the references, which are in
    alphabetical order."""
    ids = set(ID.findall(document))

    def reference(match: re.Match[str]) -> str:
        if match[1] not in ids or match[1].startswith(unnumbered):
            return match[0]
        return f'{match[0]}<span class="page-ref" data-page-of="{match[1]}">{UNNUMBERED}</span>'

    return INTERNAL_LINK.sub(reference, document)


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


def _chapter_html(site: Path, chapter: Chapter, all_chapters: list[Chapter], edition: str, site_url: str) -> str:
    by_url = {c.url: c for c in all_chapters}
    body = _edition(_localise(_article(site, chapter), chapter, by_url, site_url), edition)
    label = f'<span class="chapter-number">Chapter {chapter.number} </span>'
    body = re.sub(r"<h1([^>]*)>", lambda m: f"<h1{m[1]}>{label}", body, count=1)
    slug = chapter.slug  # a named page: the booklet's footer names the chapter (page_style)
    return f'<section class="handout-chapter" id="chapter-{slug}" style="page: chapter-{slug}">{body}</section>'


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_style(footer: str, paper_format: str, cover: bool, chapter_footers: dict[str, str] | None = None) -> str:
    """``@page`` rules: paper size, margins, and the footer (text and page number) in margin boxes;
    ``chapter_footers``: the footer text of each chapter's pages (slug -> text), by named pages."""
    first = "@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }" if cover else ""
    named = "".join(
        f"@page chapter-{slug} {{ @bottom-left {{ content: {_css_string(text)}; }} }}"
        for slug, text in (chapter_footers or {}).items()
    )
    return (
        f"<style>@page {{ size: {paper_format}; margin: {' '.join(f'{m}mm' for m in MARGIN_MM)}; "
        f"@bottom-left {{ content: {_css_string(footer)}; {FOOTER_FONT} }} "
        f'@bottom-right {{ content: counter(page) " / " counter(pages); {FOOTER_FONT} }} }}'
        f"{first}{named}</style>"
    )


def _document(
    site: Path,
    chapter: Chapter,
    title: str,
    body: str,
    cover: bool = False,
    footers: dict[str, str] | None = None,
    kind: str = "",
) -> str:
    """A print document of ``body`` with the site's stylesheets and the text direction and colours
    that Material gave ``chapter``'s page's ``<body>`` (:data:`BODY_ATTRIBUTES`)."""
    css = site / "assets" / "stylesheets"
    styles = sorted(css.glob("main.*.min.css")) + sorted(css.glob("palette.*.min.css"))
    links = [p.relative_to(site).as_posix() for p in styles] + ["assets/katex/katex.min.css"]
    links += [f"stylesheets/{n}.css" for n in ("extra", "print")]
    head = "".join(f'<link rel="stylesheet" href="../../{href}">' for href in links)
    attributes = "".join(BODY_ATTRIBUTES.findall(_page(site, chapter).partition("<body")[2].partition(">")[0]))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>{head}'
        f"{page_style(title, paper(), cover, footers)}</head><body{attributes}>"
        f'<main class="{f"md-typeset handout {kind}".strip()}">{body}</main></body></html>'
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


SECTION = re.compile(r'<h2\b[^>]*\sid="([^"]+)"[^>]*>(.*?)</h2>', re.S)


def _contents_entry(target: str, text: str, kind: str) -> str:
    return (
        f'<li class="toc-{kind}"><a class="toc-entry" href="#{target}">{text}</a>'
        f'<span class="toc-leader"></span><span class="toc-page" data-page-of="{target}">{UNNUMBERED}</span></li>'
    )


def _contents(parts: dict[Chapter, str]) -> str:
    """The booklet's contents: each chapter and its sections (the ``<h2>`` headings of its part of the
    booklet, ids already prefixed with the chapter's slug), with their pages."""
    entries = []
    for c, part in parts.items():
        entries.append(_contents_entry(f"chapter-{c.slug}", f"{c.number}. {html.escape(c.title)}", "chapter"))
        for target, title in SECTION.findall(part):
            entries.append(_contents_entry(target, html.escape(plain_text(title)), "section"))
    return f'<section class="handout-toc"><h1 id="contents">Contents</h1><ol>{"".join(entries)}</ol></section>'


OBJECTIVES = re.compile(r'<h2\b[^>]*\sid="learning-objectives"[^>]*>.*?</h2>(.*?)(?=<h2\b|$)', re.S)
"""The home page's section of learning objectives, which the booklet's cover lists."""


def _objectives(site: Path) -> str:
    """The home page's learning objectives (its section with the id ``learning-objectives``), as on the
    site with the glossary links and heading anchors left out; nothing if the home page has none."""
    home = ARTICLE.search((site / "index.html").read_text(encoding="utf-8"))
    found = OBJECTIVES.search(home[1]) if home else None
    if not found:
        return ""
    body = GLOSSARY_LINK.sub(r"\1", DROP.sub("", found[1]))
    title = '<p class="handout-objectives__title">Learning objectives</p>'
    return f'<section class="handout-objectives">{title}{body}</section>'


def _booklet_html(site: Path, all_chapters: list[Chapter], edition: str, site_name: str, site_url: str) -> str:
    cover = (
        '<section class="handout-cover">'
        f'<p class="handout-title">{html.escape(site_name)}</p>'
        '<p class="handout-subtitle">Image generation vs text generation: architecture differences</p>'
        f'<p class="handout-edition">{EDITIONS[edition]}</p>'
        + (NAME_LINE if edition == "student" else "")
        + _objectives(site)
        + f"<p>Content as of {content_date()}. {html.escape(site_url)}</p>"
        "</section>"
    )
    parts = {c: _chapter_html(site, c, all_chapters, edition, site_url) for c in all_chapters}
    body = cover + _contents(parts) + with_page_references("".join(parts.values()))
    title = f"{site_name}: {EDITIONS[edition]}"
    footers = {c.slug: f"{title} · Chapter {c.number}: {c.title}" for c in all_chapters}
    return _document(site, all_chapters[0], title, body, cover=True, footers=footers)


def _single_html(
    site: Path, chapter: Chapter, all_chapters: list[Chapter], edition: str | None, site_name: str, site_url: str
) -> str:
    """A chapter's document; ``edition`` None for a chapter without answers (both editions alike)."""
    body = _chapter_html(site, chapter, all_chapters, edition or "answer-key", site_url)
    if edition == "student":
        body = body.replace("</h1>", f"</h1>{NAME_LINE}", 1)
    edition_label = f": {EDITIONS[edition]}" if edition else ""
    title = f"{chapter.title} ({site_name}, chapter {chapter.number}{edition_label})"
    return _document(site, chapter, title, body, kind="formula-sheet" if chapter.sheet else "")


# --- printing ----------------------------------------------------------------------------------

PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([^)]*)\)")
NODE_ID = re.compile(rb"\(node(\d{8})\)")
STRUCT_ID = re.compile(rb"/ID \(node(\d{8})\)")
ID_TREE_LEAF = re.compile(rb"/Limits \[\(node\d{8}\) \(node\d{8}\)\]\n/Names \[(?P<names>[^\]]*)\]")
ID_TREE_ENTRY = re.compile(rb"\(node(\d{8})\) (\d+ \d+ R)")
LOCAL_URL = re.compile(r'(?:href|src)="(?![a-z][a-z0-9+.-]*:)([^"#]+)')
CSS_URL = re.compile(r"url\(['\"]?(?![a-z][a-z0-9+.-]*:)([^)'\"#?]+)")


def _cache_key(document: Path, chromium: str) -> str:
    """Hash of a print document, of every file it loads (stylesheets, the fonts and images they name,
    figures), of this module (which post-processes the PDF), the browser and the paper: same key,
    same PDF. Fonts matter: a PDF embeds glyphs by their number in the font file."""
    text = document.read_text(encoding="utf-8")
    paths = [(document.parent / html.unescape(url)).resolve() for url in sorted(set(LOCAL_URL.findall(text)))]
    for stylesheet in [p for p in paths if p.suffix == ".css" and p.is_file()]:
        named = CSS_URL.findall(stylesheet.read_text(encoding="utf-8"))
        paths += [(stylesheet.parent / url).resolve() for url in sorted(set(named))]
    parts: list[str | bytes] = [text, Path(__file__).read_bytes(), chromium, paper()]
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


PAGINATE = """most => {
    // A question too tall to keep whole may split, but not between its text and its answer: the
    // text and the answer's beginning (the box's first ruled line, or the worked answer's title)
    // stay together whatever their height, and the rest of the answer continues after them.
    const keepStartTogether = (question, answer, height) => {
        const start = document.createElement("div");
        start.className = "question-start";
        while (question.firstChild !== answer) start.append(question.firstChild);
        question.prepend(start);
        if (answer.matches(".answer-space")) {
            start.append(answer);
            if (height > 0.8) {
                const rest = document.createElement("div");
                rest.className = "answer-space answer-space--continued";
                rest.style.height = `${height - 0.8}cm`;
                answer.style.height = "0.8cm";
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
    const tall = questions.filter(([question]) => question.getBoundingClientRect().height > most);
    for (const [question, answer, height] of tall) keepStartTogether(question, answer, height);
    const blocks = ".md-typeset :is(.question, table, .admonition, details, .highlight), .jp-Cell";
    const split = Array.from(document.querySelectorAll(blocks)).filter(b => b.getBoundingClientRect().height > most);
    // an attribute, not a class: a table's class is its style (table.guide-table)
    for (const block of split) block.setAttribute("data-may-split", "");
}"""
"""Lays a print document out for its pages. Each question, from its heading to its answer (answer
key) or the space to write it (student edition; as tall as its heading's ``data-answer-space``),
goes into one block. Blocks taller than :data:`KEEP_WHOLE` of the page get ``data-may-split``;
print.css keeps the others whole. A block kept whole that does not fit moves to the next page, so
no page is left emptier than that (a chapter's last page aside)."""
KEEP_WHOLE = 1 / 3


PRINTOUT = {"prefer_css_page_size": True, "print_background": True, "outline": True, "tagged": True}
"""Playwright's ``page.pdf`` options of a handout: tagged, with bookmarks, backgrounds printed."""


async def print_pdf(context, document: Path) -> bytes:
    """``document`` printed to PDF in a new page of the Playwright browser ``context``; paper size,
    margins and footer come from the document's ``@page`` rules, and the blocks that may split across
    pages from their height (:data:`PAGINATE`), measured at the width of the page's text.

    Page numbers to fill in (``data-page-of``, the booklet's contents and cross-references) are read
    from the document's own printout: printed once to measure (untagged, since only the link targets
    are read), filled in, and printed again until a printout has the numbers it was printed with."""
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
            return reproducible(await page.pdf(**PRINTOUT))
        pdf, printout = None, await page.pdf(prefer_css_page_size=True)  # to measure: untagged, no outline
        for _ in range(4):
            changed = await page.evaluate(FILL_PAGE_NUMBERS, destination_pages(printout))
            if isinstance(changed, str):
                raise PluginError(f"handouts: the printout of {document.name} has no page for {changed}")
            if not changed and pdf is not None:
                return reproducible(pdf)
            pdf = printout = await page.pdf(**PRINTOUT)
        raise PluginError(f"handouts: the page numbers of {document.name} do not settle")
    finally:
        await page.close()


class _Printer:
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


async def _render_all(site: Path, chromium: str, all_chapters: list[Chapter], site_name: str, site_url: str):
    """Print every chapter and both booklets (begun first: each is the longest print of the lot)."""
    work = site / "handouts" / "_print"
    work.mkdir(parents=True, exist_ok=True)
    jobs = []  # (chapter, editions it serves, document)
    for chapter in all_chapters:
        if ANSWER.search(_article(site, chapter)):
            variants = [(f"{chapter.slug}-{edition}", edition, [edition]) for edition in EDITIONS]
        else:  # both editions are the same document
            variants = [(chapter.slug, None, list(EDITIONS))]
        for name, edition, editions in variants:
            document = work / f"{name}.html"
            document.write_text(
                _single_html(site, chapter, all_chapters, edition, site_name, site_url), encoding="utf-8"
            )
            jobs.append((chapter, editions, document))

    outputs: dict[str, str] = {}  # handout -> its cache entry
    printer = _Printer(chromium)

    async def chapter_pdf(chapter: Chapter, editions: list[str], document: Path) -> None:
        cached = await printer(document)  # a chapter's document has no page numbers to fill in
        for edition in editions:
            outputs[chapter.pdf(edition)] = cached.name

    async def booklet_pdf(edition: str) -> None:
        document = work / f"{BOOKLET}-{edition}.html"
        document.write_text(_booklet_html(site, all_chapters, edition, site_name, site_url), encoding="utf-8")
        outputs[f"handouts/{BOOKLET}-{edition}.pdf"] = (await printer(document)).name

    try:
        await asyncio.gather(*(booklet_pdf(edition) for edition in EDITIONS), *(chapter_pdf(*job) for job in jobs))
    finally:
        await printer.close()
    shutil.rmtree(work)
    return printer.printed, outputs


def _build_key(site: Path, chromium: str, all_chapters: list[Chapter]) -> str:
    """Hash of everything the handouts are made from: the built chapters, stylesheets, fonts, figures,
    this module, the browser, the paper and the content date."""
    files = [site / c.url / "index.html" for c in all_chapters] + [site / "index.html"]  # the cover's objectives
    for folder in ("assets/stylesheets", "stylesheets", "figures", "assets/katex"):
        files += [p for p in (site / folder).rglob("*") if p.is_file() and p.suffix != ".map"]
    return cache.key(cache.files_key(files, site), Path(__file__).read_bytes(), chromium, paper(), content_date())


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
