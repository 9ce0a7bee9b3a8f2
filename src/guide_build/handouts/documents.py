"""Print documents assembled from the built pages: a chapter's article with its ids prefixed and
its links rebased, in an edition (the student's has space to write where the answer key has the
worked answer), and the booklet (cover, contents, every chapter), each with the site's stylesheets
and its ``@page`` rules (paper, footer)."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide_build import plain_text
from guide_build.handouts.plan import EDITIONS, MARGIN_MM, Chapter, content_date, paper

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
MATHML = re.compile(r'<span class="katex-mathml"><math\b.*?</math></span>', re.S)
"""A formula's MathML, what screen readers read on the site. Chromium's PDF keeps nothing of it (the
same bytes without it) but lays it out all the same, so print documents leave it out; the formula
sheet keeps it, as its two balanced columns come out otherwise without it."""
FOOTER_FONT = 'font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #555;'


def _page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _article(site: Path, url: str) -> str:
    match = ARTICLE.search(_page(site, url))
    if not match:
        raise PluginError(f"handouts: no <article> in {url}index.html")
    body = GLOSSARY_LINK.sub(r"\1", FIGURE_LINK.sub(r"\1", DROP.sub("", match[1])))
    return body.replace(' loading="lazy"', "")  # a print document loads every image first


def article(site: Path, chapter: Chapter) -> str:
    """The articles of the chapter's pages, as built."""
    return "".join(_article(site, url) for url in chapter.urls)


def targets(chapters: list[Chapter]) -> dict[str, tuple[str, str]]:
    """For each page of the handouts (site-relative URL): the prefix of its ids in a print document,
    and the id of its start (a chapter's section element, a section's wrapper)."""
    found = {}
    for chapter in chapters:
        found[chapter.url] = (chapter.slug, f"chapter-{chapter.slug}")
        found |= {url: (chapter.prefix(url), chapter.prefix(url)) for url in chapter.sections}
    return found


def localise(body: str, url: str, pages: dict[str, tuple[str, str]], site_url: str) -> str:
    """Prefix the ids of the page at ``url`` and rebase its URLs to the print document (``pages``:
    :func:`targets`): a link to a page of the handouts goes to its place in them; a link to any
    other page or file (a download) goes to the site at ``site_url``, or, without one, prints as
    text; an image is loaded from the built site."""
    prefix = pages[url][0]
    body = ID_ATTRIBUTE.sub(lambda m: f'{m[1]}="{prefix}--{m[2]}"', body)

    def rebase(match: re.Match[str]) -> str:
        attribute, link = match[1], html.unescape(match[2])
        if link.startswith("#"):
            return f'{attribute}="#{prefix}--{link[1:]}"'
        if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # http:, mailto:, data:
            return match[0]
        path, _, fragment = link.partition("#")
        target = posixpath.normpath(posixpath.join(url, path)) if path else url.rstrip("/")
        anchor = "#" + fragment if fragment else ""
        if attribute == "src":
            return f'src="../../{target}{anchor}"'  # the print documents are in site/handouts/_print/
        if path.endswith("/") or path.endswith("index.html") or not path:
            target = posixpath.normpath(target.removesuffix("index.html")).strip("/")
            target = "" if target == "." else target + "/"
            if target in pages:
                other, start = pages[target]
                return f'href="#{other}--{fragment}"' if fragment else f'href="#{start}"'
        return (
            f'href="{html.escape(site_url.rstrip("/"))}/{html.escape(target)}{html.escape(anchor)}"' if site_url else ""
        )

    return URL_ATTRIBUTE.sub(rebase, body)


HEADING = re.compile(r"<(/?)h([1-5])\b")


def chapter_body(site: Path, chapter: Chapter, pages: dict[str, tuple[str, str]], site_url: str) -> str:
    """The chapter's pages, localised, each section in a ``<section>`` with its headings one level
    down: the chapter has one ``<h1>``, and each section's title is an ``<h2>`` of it."""
    parts = [localise(_article(site, chapter.url), chapter.url, pages, site_url)]
    for url in chapter.sections:
        body = HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", localise(_article(site, url), url, pages, site_url))
        parts.append(f'<section class="handout-section" id="{pages[url][1]}">{body}</section>')
    return "".join(parts)


NAME_LINE = '<p class="name-line"><span>Name</span><span>Class</span><span>Date</span></p>'
"""Where a student writes who handed the worksheet in, under the title of a student edition."""


def in_edition(body: str, edition: str) -> str:
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


def _chapter_html(site: Path, chapter: Chapter, all_chapters: list[Chapter], edition: str, site_url: str) -> str:
    body = in_edition(chapter_body(site, chapter, targets(all_chapters), site_url), edition)
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


def print_document(
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
    attributes = "".join(BODY_ATTRIBUTES.findall(_page(site, chapter.url).partition("<body")[2].partition(">")[0]))
    body = body if kind == "formula-sheet" else MATHML.sub("", body)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>{head}'
        f"{page_style(title, paper(), cover, footers)}</head><body{attributes}>"
        f'<main class="{f"md-typeset handout {kind}".strip()}">{body}</main></body></html>'
    )


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


def booklet_document(site: Path, all_chapters: list[Chapter], edition: str, site_name: str, site_url: str) -> str:
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
    return print_document(site, all_chapters[0], title, body, cover=True, footers=footers)


def chapter_document(
    site: Path, chapter: Chapter, all_chapters: list[Chapter], edition: str | None, site_name: str, site_url: str
) -> str:
    """A chapter's document; ``edition`` None for a chapter without answers (both editions alike)."""
    body = _chapter_html(site, chapter, all_chapters, edition or "answer-key", site_url)
    if edition == "student":
        body = body.replace("</h1>", f"</h1>{NAME_LINE}", 1)
    edition_label = f": {EDITIONS[edition]}" if edition else ""
    title = f"{chapter.title} ({site_name}, chapter {chapter.number}{edition_label})"
    return print_document(site, chapter, title, body, kind="formula-sheet" if chapter.sheet else "")
