"""Formulas typeset by KaTeX at build time: HTML for the eye and MathML for screen readers, no math
JavaScript in the browser.

pymdownx.arithmatex (``generic: true``) writes formulas as ``<span class="arithmatex">\\(...\\)</span>``
and ``<div class="arithmatex">\\[...\\]</div>``. Once every page is converted to HTML,
:meth:`Formulas.take` swaps each for an empty placeholder, so the search index holds the prose and
not the pieces of formulas, and typesets the new ones in a single Node.js call, kept between builds
in the cache. :meth:`Formulas.put` puts them in the finished page. A TeX error names the page and the
formula. KaTeX's stylesheet and WOFF2 fonts are served by the site itself (:func:`assets`).
"""

from __future__ import annotations

import html
import json
import logging
import math
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path
from xml.etree import ElementTree

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from guide_build import ROOT, browser, cache

log = logging.getLogger("mkdocs.plugins.guide_build.katex")

DIST = ROOT / "node_modules" / "katex" / "dist"
CSS = "assets/katex/katex.min.css"
FONTS = "assets/katex/fonts"
PRELOADED = ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2")
"""Upright text, digits and operators, and italic variables: in nearly every formula."""

FORMULA = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>|<div class="arithmatex">\\\[(?P<display>.*?)\\\]</div>',
    re.DOTALL,
)
DOLLARS = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?!\s)(?P<inline>[^$\n]+?)(?<!\s)\$", re.DOTALL)
"""``$$...$$`` or ``$...$`` (no space inside the dollars, no ``\\$``) in text that Python-Markdown did not see."""


def mark_dollars(text: str, escape=lambda part: part) -> str:
    """``text`` with its ``$$...$$`` and ``$...$`` formulas marked as pymdownx.arithmatex marks them, so
    :class:`Formulas` typesets them; ``escape`` applies to the text and to each formula (plain text
    such as a figure caption needs ``html.escape``; HTML such as a notebook's Markdown cell does not)."""
    parts, last = [], 0
    for match in DOLLARS.finditer(text):
        parts.append(escape(text[last : match.start()]))
        if match["display"] is not None:
            parts.append(f'<div class="arithmatex">\\[{escape(match["display"])}\\]</div>')
        else:
            parts.append(f'<span class="arithmatex">\\({escape(match["inline"])}\\)</span>')
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


GROUPING = re.compile(r"\\[{}]|\\(?:begin|end|left|right|qquad)\b|[{}]")


def display_parts(tex: str) -> list[str]:
    """A display formula cut at each ``\\qquad`` outside braces, environments and ``\\left…\\right``:
    the formulas it sets side by side (``a = b, \\qquad c = d``). Each becomes a display of its own in
    one row (:func:`split_displays`), so that a phone too narrow for the row puts them one under the
    other instead of scrolling the whole row sideways."""
    parts, depth, start = [], 0, 0
    for token in GROUPING.finditer(tex):
        word = token.group(0)
        if word in ("{", "\\begin", "\\left"):
            depth += 1
        elif word in ("}", "\\end", "\\right"):
            depth -= 1
        elif word == "\\qquad" and depth == 0:
            parts.append(tex[start : token.start()])
            start = token.end()
    parts.append(tex[start:])
    return [part.strip() for part in parts if part.strip()]


def split_displays(text: str) -> str:
    """``text`` (HTML by pymdownx.arithmatex) with each display formula of several parts
    (:func:`display_parts`) as a ``math-row`` of one display per part (extra.css wraps the row)."""

    def row(match: re.Match[str]) -> str:
        parts = display_parts(match["display"]) if match["display"] is not None else []
        if len(parts) < 2:
            return match.group(0)
        return '<div class="math-row">' + "".join(f'<div class="arithmatex">\\[{p}\\]</div>' for p in parts) + "</div>"

    return FORMULA.sub(row, text)


PLACEHOLDER = re.compile(r'(?P<opening>[(\[{‘“])?<span data-katex="(?P<number>\d+)"(?P<attributes>[^>]*)>[^<]*</span>')
"""A formula's place, holding its text form (:func:`text_form`) for the search index, with the opening
bracket right before it; attributes another hook gives it go onto the formula's outer element."""
MATHML = re.compile(r"<semantics>(.*?)<annotation", re.S)
INVISIBLE = dict.fromkeys(range(0x2061, 0x2065))
"""MathML's invisible operators (function application, times, separator, plus)."""


def _linear(node: ElementTree.Element) -> str:
    tag, parts = node.tag, [_linear(child) for child in node]
    if tag in ("mi", "mn", "mo", "mtext"):
        return " ".join((node.text or "").translate(INVISIBLE).split())

    def group(text: str) -> str:
        whole = len(text) <= 1 or text.isalnum() or (text.startswith("√(") and text.count("(") == 1)
        return text if whole else f"({text})"

    if tag == "mfrac":
        return f"{group(parts[0])}/{group(parts[1])}"
    if tag in ("msqrt", "mroot"):
        return "√" + group(" ".join(parts[:1] if tag == "mroot" else parts))
    if tag in ("msub", "munder") and len(parts) == 2:
        return f"{parts[0]}_{group(parts[1])}"
    if tag in ("msup", "mover") and len(parts) == 2:
        accent = node.get("accent") == "true"
        return parts[0] + parts[1] if accent else f"{parts[0]}^{group(parts[1])}"
    if tag in ("msubsup", "munderover") and len(parts) == 3:
        return f"{parts[0]}_{group(parts[1])}^{group(parts[2])}"
    return " ".join(part for part in parts if part)


def text_form(rendered: str) -> str:
    """A formula as one line of plain text, read from KaTeX's MathML: ``-\\log p_y`` becomes
    ``− log p_y``, ``\\frac{1}{\\sqrt{\\bar\\alpha_t}}`` ``1/√(αˉ_t)``. What a search result shows
    where the formula stands."""
    mathml = MATHML.search(rendered)
    if not mathml:
        return ""
    text = _linear(ElementTree.fromstring(f"<mrow>{mathml[1]}</mrow>"))
    return re.sub(r"([([{]) | (?=[,;)\]}])", r"\1", text)  # no space inside brackets or before a comma


NON_WOFF2_FONT = re.compile(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)')
RENDER = """
const katex = require("katex");
const formulas = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(formulas.map(([tex, displayMode]) => {
  try {
    const options = {displayMode, output: "htmlAndMathml", throwOnError: true, strict: "error"};
    return {html: katex.renderToString(tex, options)};
  } catch (error) {
    return {error: String(error.message || error)};
  }
})));
"""
"""Node.js program: a JSON list of ``[tex, display]`` on stdin, ``{html}`` or ``{error}`` for each on stdout."""


def version() -> str:
    """The installed KaTeX's version; raises :class:`PluginError` if Node.js or KaTeX is missing."""
    if shutil.which("node") is None:
        raise PluginError("KaTeX math needs Node.js (node) on PATH; install Node.js 20 and run `npm ci`.")
    if not (DIST / "katex.min.css").is_file():
        raise PluginError(f"KaTeX is not installed in {DIST.parent}: run `npm ci` (or `make install`).")
    return json.loads((DIST.parent / "package.json").read_text(encoding="utf-8"))["version"]


def assets(config: MkDocsConfig) -> list[File]:
    """KaTeX's stylesheet (with WOFF2 fonts only) and its WOFF2 fonts, as files of the site."""
    css = NON_WOFF2_FONT.sub("", (DIST / "katex.min.css").read_text(encoding="utf-8"))
    fonts = sorted((DIST / "fonts").glob("*.woff2"))
    return [File.generated(config, CSS, content=css)] + [
        File.generated(config, f"{FONTS}/{font.name}", abs_src_path=str(font)) for font in fonts
    ]


def render(formulas: list[tuple[str, bool]]) -> list[dict[str, str]]:
    """KaTeX's ``{"html": ...}`` or ``{"error": ...}`` for each ``(tex, display)``, in one Node.js call."""
    proc = subprocess.run(
        ["node", "-e", RENDER], input=json.dumps(formulas), capture_output=True, text=True, check=False, cwd=ROOT
    )
    if proc.returncode != 0:
        raise PluginError(f"KaTeX renderer failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout)


BASE = '<span class="katex-base">'
"""KaTeX's unbreakable pieces of a formula; a line may break between two of them."""
MEASURE = """async () => {
    document.body.offsetHeight;  // lay out, so that every font the formulas use starts loading
    await document.fonts.ready;
    const failed = [...document.fonts].filter(font => font.status === "error").map(font => font.family);
    if (failed.length) throw new Error("KaTeX fonts did not load: " + failed);
    return [...document.body.children].map(formula =>
        [...formula.querySelectorAll(".katex-html > .katex-base")].map(piece =>
            piece.getBoundingClientRect().width / parseFloat(getComputedStyle(piece).fontSize)));
}"""


def measure(formulas: list[str], chromium: str | None) -> list[list[float]] | None:
    """The width in em of each piece (:data:`BASE`) of each formula (KaTeX's HTML), as laid out by
    ``chromium`` with KaTeX's fonts; None, with a note in the log, if there is none (not installed).

    The browser lays a formula out in a fallback font until KaTeX's fonts arrive, and the prose
    around it wraps again when they do: the text jumps (a layout shift). A piece given its final
    width (:func:`with_widths`) takes the same room in either font, so nothing around it moves.
    """
    if chromium is None:
        log.info("Chromium not found: formulas not measured, so the text may shift as their fonts arrive")
        return None
    from playwright.sync_api import sync_playwright

    with browser.serve(DIST) as url, sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=browser.FLAGS)
        try:
            page = launched.new_page()
            page.goto(url + "katex.min.css")
            page.set_content(
                '<link rel="stylesheet" href="katex.min.css"><body>'
                + "".join(f"<div>{formula}</div>" for formula in formulas)
            )
            widths = page.evaluate(MEASURE)
        finally:
            launched.close()
    # rounded up, so that a piece is never narrower than its glyphs (they would overlap the next)
    return [[math.ceil(width * 10_000) / 10_000 for width in pieces] for pieces in widths]


def with_widths(formula: str, widths: list[float] | None) -> str:
    """``formula`` (KaTeX's HTML) with each of its pieces given its width from :func:`measure`."""
    if widths is None:
        return formula
    pieces = formula.split(BASE)
    if len(pieces) != len(widths) + 1:
        raise ValueError(f"a formula has {len(pieces) - 1} pieces and {len(widths)} widths: {formula[:200]}")
    return pieces[0] + "".join(
        f'<span class="katex-base" style="width:{width:g}em">{rest}'
        for width, rest in zip(widths, pieces[1:], strict=True)
    )


PUNCTUATION = tuple(".,;:!?)]}%'’”")
"""What may follow an inline formula and must not start the next line."""
TAIL = '<span class="katex-tail">'
"""Holds an inline formula's last piece, with which the punctuation after it stays (extra.css)."""
HEAD = '<span class="katex-head">'
"""Holds the opening bracket before an inline formula and the formula, so that the bracket does not
end a line the formula starts after (extra.css); the formula may still wrap between its pieces."""


def with_tail_kept(formula: str) -> str:
    """``formula`` (an inline formula's HTML) with its last piece (:data:`BASE`) in :data:`TAIL`.

    A line may break between two pieces of a formula, and after it, even before a comma: the
    browser breaks after an inline block however the text after it is styled. Inside a span that
    does not wrap, the last piece keeps the next character on its line; the pieces before it may
    still go onto lines of their own."""
    last, end = formula.rfind(BASE.removesuffix(">")), len(formula) - len("</span></span>")
    if last < 0 or not formula.endswith("</span></span>"):
        raise ValueError(f"an inline formula without pieces: {formula[:200]}")
    return formula[:last] + TAIL + formula[last:end] + "</span>" + formula[end:]


class Formulas:
    """The formulas of one build: taken out of the pages, typeset, and put back into them."""

    def __init__(self) -> None:
        self.version = version()
        self.chromium = browser.find_chromium()  # which measures the widths, and they depend on its layout
        self.measured_by = browser.identity(self.chromium) if self.chromium else None
        self.file = cache.root() / "katex.json"
        self.html: dict[tuple[str, bool], str] = {}
        self.widths: dict[tuple[str, bool], list[float]] = {}  # of each formula's pieces, see measure()
        if self.file.is_file():
            stored = json.loads(self.file.read_text(encoding="utf-8"))
            if stored.get("katex") == self.version:
                measured_here = stored.get("measured_by") == self.measured_by
                for tex, display, out, *widths in stored["formulas"]:  # (no widths: a cache from before them)
                    self.html[(tex, display)] = out
                    if measured_here and widths and widths[0] is not None:
                        self.widths[(tex, display)] = widths[0]
        self.numbers: dict[tuple[str, bool], int] = {}  # formula -> the number in its placeholder
        self.rendered: list[str] = []  # KaTeX's HTML of each numbered formula

    def take(self, pages: dict[str, str]) -> dict[str, str]:
        """``pages`` (source path -> HTML) with each formula replaced by a placeholder holding its text
        form, and every new formula typeset. Raises :class:`PluginError` naming the pages of a formula
        that is not valid TeX."""

        def formula_of(match: re.Match[str]) -> tuple[str, bool]:
            display = match["display"] is not None
            return html.unescape(match["display"] if display else match["inline"]).strip(), display

        pages = {where: split_displays(text) for where, text in pages.items()}
        found: dict[tuple[str, bool], set[str]] = {}
        for where, text in pages.items():
            for match in FORMULA.finditer(text):
                found.setdefault(formula_of(match), set()).add(where)
        new = sorted(set(found) - set(self.html))
        for (tex, display), result in zip(new, render(new) if new else [], strict=True):
            if "error" in result:
                where = ", docs/".join(sorted(found[(tex, display)]))
                raise PluginError(f"KaTeX error in docs/{where}: formula {tex!r}: {result['error']}")
            self.html[(tex, display)] = result["html"]
        unmeasured = sorted(set(found) - set(self.widths))
        widths = measure([self.html[formula] for formula in unmeasured], self.chromium) if unmeasured else None
        if widths:
            self.widths.update(zip(unmeasured, widths, strict=True))
        if new or widths:
            stored = [[*formula, out, self.widths.get(formula)] for formula, out in sorted(self.html.items())]
            cache.write_atomic(
                self.file, json.dumps({"katex": self.version, "measured_by": self.measured_by, "formulas": stored})
            )

        def placeholder(match: re.Match[str]) -> str:
            formula = formula_of(match)
            number = self.numbers.setdefault(formula, len(self.numbers))
            return f'<span data-katex="{number}">{html.escape(text_form(self.html[formula]), quote=False)}</span>'

        taken = {where: FORMULA.sub(placeholder, text) for where, text in pages.items()}
        self.rendered = [with_widths(self.html[formula], self.widths.get(formula)) for formula in self.numbers]
        return taken

    def put(self, page: str, fonts_url: str) -> str:
        """``page`` (a finished HTML page) with its formulas in place of their placeholders, and, if it
        has any, preloads of the common fonts (``fonts_url``: the font folder relative to the page)."""

        def formula(match: re.Match[str]) -> str:
            rendered = self.rendered[int(match["number"])]
            start = rendered.index(">")
            attributes, opening = match["attributes"], match["opening"] or ""
            if rendered.startswith('<span class="katex-display"'):
                attributes += ' tabindex="0"'  # it scrolls sideways: a keyboard must reach it (axe)
                return opening + rendered[:start] + attributes + rendered[start:]
            if page.startswith(PUNCTUATION, match.end()):
                rendered = with_tail_kept(rendered)
            rendered = rendered[:start] + attributes + rendered[start:]
            return f"{HEAD}{opening}{rendered}</span>" if opening else rendered

        page, count = PLACEHOLDER.subn(formula, page)
        if not count:
            return page
        links = "".join(
            f'<link rel="preload" href="{fonts_url}/{name}" as="font" type="font/woff2" crossorigin>'
            for name in PRELOADED
        )
        return page.replace("</head>", links + "</head>", 1)


KATEX_HTML = re.compile(r'<span class="katex-html"')
SPAN_OR_TEXT = re.compile(r"<(/?)span\b[^>]*>|<[^>]+>|[^<]+")
Rule = tuple[frozenset[str], "str | None", bool, bool]


def font_rules(css: str) -> list[Rule]:
    """KaTeX's rules that choose a font: (classes in the selector, family, sets bold, sets italic)."""
    rules = []
    for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", css):
        family = re.search(r"font-family:KaTeX_(\w+)", body)
        bold = bool(re.search(r"font-weight:(?:700|bold)", body))
        italic = "font-style:italic" in body
        for selector in selectors.split(","):
            classes = frozenset(re.findall(r"\.([\w-]+)", selector)) - {"katex"}
            if classes and (family or bold or italic):  # (@font-face rules name no class)
                rules.append((classes, family[1] if family else None, bold, italic))
    return rules


def _font_files(families: set[str], bold: bool, italic: bool, available: set[str]) -> set[str]:
    """Every font file a text could be drawn with, given the families and styles its classes allow."""
    files = set()
    for family in families:
        if family == "Math":  # KaTeX's math italic has no upright style
            styles = {"Italic"} | ({"BoldItalic"} if bold else set())
        else:
            styles = {"Regular"} | ({"Italic"} if italic else set()) | ({"Bold"} if bold else set())
            styles |= {"BoldItalic"} if bold and italic else set()
        files |= {f"KaTeX_{family}-{style}.woff2" for style in styles}
    return files & available


def font_characters(page: str, rules: list[Rule], available: set[str]) -> dict[str, set[str]]:
    """For each KaTeX font file, the characters the page's formulas may draw with it.

    The visible markup (``katex-html``; the MathML copy is not drawn) is walked with the classes of
    the enclosing ``<span>`` elements. A text may use the default family (Main) and the family of any
    KaTeX rule whose classes all enclose it, in its regular style and in any style such a rule sets:
    a superset of the font the browser picks (which also depends on which rule is innermost), so no
    drawn character loses its glyph.
    """
    found: dict[str, set[str]] = {}
    fonts_for: dict[frozenset[str], set[str]] = {}  # enclosing classes -> font files (few distinct sets)
    for start in KATEX_HTML.finditer(page):
        stack: list[frozenset[str]] = []
        for token in SPAN_OR_TEXT.finditer(page, start.start()):
            text = token.group(0)
            if text.startswith("<span"):
                classes = re.search(r'class="([^"]*)"', text)
                stack.append(frozenset(classes[1].split()) if classes else frozenset())
            elif text == "</span>":
                stack.pop()
                if not stack:
                    break
            elif not text.startswith("<"):
                enclosing = frozenset().union(*stack)
                if enclosing not in fonts_for:
                    matching = [rule for rule in rules if rule[0] <= enclosing]  # a selector needs all its classes
                    families = {"Main", *(rule[1] for rule in matching if rule[1])}
                    bold, italic = any(rule[2] for rule in matching), any(rule[3] for rule in matching)
                    fonts_for[enclosing] = _font_files(families, bold, italic, available)
                for name in fonts_for[enclosing]:
                    found.setdefault(name, set()).update(html.unescape(text))
    return found


def _page_characters(page: bytes, rules: list[Rule], available: set[str]) -> dict[str, set[str]]:
    """:func:`font_characters` of a built page, kept in the cache (``katex-characters``) by the page's
    bytes, KaTeX's font rules and its font files: a build reads again only the pages that changed."""
    rules_text = json.dumps([[sorted(classes), family, bold, italic] for classes, family, bold, italic in rules])
    stored = cache.folder("katex-characters") / f"{cache.key(page, rules_text, repr(sorted(available)))}.json"
    if stored.is_file():
        return {name: set(chars) for name, chars in json.loads(stored.read_text(encoding="utf-8")).items()}
    found = font_characters(page.decode("utf-8"), rules, available)
    cache.write_atomic(stored, json.dumps({name: "".join(sorted(chars)) for name, chars in sorted(found.items())}))
    return found


def subset_font(source: Path, characters: set[str]) -> bytes:
    """WOFF2 bytes of ``source`` with only the glyphs for ``characters`` (kept in the cache)."""
    codepoints = sorted({ord(c) for c in characters})
    cached = (
        cache.folder("katex-fonts")
        / f"{source.stem}-{cache.key(source.read_bytes(), repr(codepoints), metadata.version('fonttools'))}.woff2"
    )
    if not cached.is_file():
        from fontTools import subset  # only to cut a font not in the cache

        # retain_gids: glyph numbers stay those of the full font, so a PDF (which embeds glyphs by
        # number) does not depend on which other characters the site happens to draw
        options = subset.Options(
            flavor="woff2", layout_features=["*"], name_IDs=["*"], notdef_outline=True, retain_gids=True
        )
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        partial = cached.with_suffix(".part")
        subset.save_font(font, str(partial), options)
        partial.replace(cached)
    return cached.read_bytes()


def subset_fonts(site: Path) -> None:
    """Cut every KaTeX font in the built ``site`` down to the characters its formulas draw with it,
    read from every built page (so a ``--dirty`` rebuild still counts the pages it did not rebuild)."""
    sources = sorted((DIST / "fonts").glob("*.woff2"))
    rules = font_rules((DIST / "katex.min.css").read_text(encoding="utf-8"))
    available = {source.name for source in sources}
    characters: dict[str, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        for name, found in _page_characters(page.read_bytes(), rules, available).items():
            characters.setdefault(name, set()).update(found)
    for source in sources:
        target = site / FONTS / source.name
        data = subset_font(source, characters.get(source.name, set()))
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
