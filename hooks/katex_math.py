"""MkDocs hook: render every formula with KaTeX at build time.

pymdownx.arithmatex (``generic: true``) wraps formulas as ``<span class="arithmatex">\\(...\\)</span>``
and ``<div class="arithmatex">\\[...\\]</div>``. This hook collects the formulas of all pages,
renders the new ones with a single Node.js call (``hooks/katex_render.cjs``), and puts HTML
plus MathML in their place, so the browser runs no math JavaScript. KaTeX's stylesheet and
WOFF2 fonts are served from the site itself. A TeX error fails the build and names the page
and the formula.

After the build, every font is cut down to the characters the site's formulas show (scanned from
the built pages, so a ``--dirty`` rebuild still sees the pages it did not rebuild), and pages with
math preload the two fonts nearly every formula uses, so text does not shift when they arrive.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from guide_build import ROOT, cache

RENDERER = ROOT / "hooks" / "katex_render.cjs"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
CSS_URI = "assets/katex/katex.min.css"

FORMULA = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<display>.*?)\\\]</div>',
    re.DOTALL,
)
NON_WOFF2_FONT = re.compile(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)')
FONT_DIR = "assets/katex/fonts"
PRELOADED_FONTS = ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2")
"""Upright text, digits and operators, and italic variables: in nearly every formula."""
KATEX_HTML = re.compile(r'<span class="katex-html"')
SPAN_OR_TEXT = re.compile(r"<(/?)span\b[^>]*>|<[^>]+>|[^<]+")
FONT_CACHE = cache.root() / "katex-fonts"

CACHE_FILE = cache.root() / "katex.json"
"""Rendered formulas kept between builds, keyed by the KaTeX version."""

_cache: dict[tuple[str, bool], str] = {}
_pending: list[Page] = []  # pages whose content holds formula placeholders


def _placeholder(index: int) -> str:
    """An empty element: the search index, built before formulas are put in, skips it."""
    return f'<span data-katex="{index}"></span>'


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if shutil.which("node") is None:
        raise PluginError("KaTeX math needs Node.js (node) on PATH; install Node.js 20 and run `npm ci`.")
    if not (KATEX_DIST / "katex.min.css").is_file():
        raise PluginError(f"KaTeX is not installed in {KATEX_DIST.parent}: run `npm ci` (or `make install`).")
    _pending.clear()
    if not _cache and CACHE_FILE.is_file():
        stored = json.loads(CACHE_FILE.read_text(encoding="utf-8"))
        if stored.get("katex") == _katex_version():
            _cache.update({(tex, display): out for tex, display, out in stored["formulas"]})
    return config


def _katex_version() -> str:
    return json.loads((KATEX_DIST.parent / "package.json").read_text(encoding="utf-8"))["version"]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    css = (KATEX_DIST / "katex.min.css").read_text(encoding="utf-8")
    files.append(File.generated(config, CSS_URI, content=NON_WOFF2_FONT.sub("", css)))
    for font in sorted((KATEX_DIST / "fonts").glob("*.woff2")):
        files.append(File.generated(config, f"{FONT_DIR}/{font.name}", abs_src_path=str(font)))
    return files


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    formulas: list[tuple[str, bool]] = []

    def collect(match: re.Match[str]) -> str:
        display = match.group("display") is not None
        tex = html.unescape(match.group("display") if display else match.group("inline")).strip()
        formulas.append((tex, display))
        return _placeholder(len(formulas) - 1)

    replaced = FORMULA.sub(collect, html_text)
    if formulas:
        page.meta["_katex_formulas"] = formulas
        _pending.append(page)
    return replaced


def _render(requests: list[tuple[str, bool]]) -> list[dict[str, str]]:
    payload = json.dumps([{"tex": tex, "display": display} for tex, display in requests])
    proc = subprocess.run(["node", str(RENDERER)], input=payload, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        raise PluginError(f"KaTeX renderer failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def on_env(env, config: MkDocsConfig, files: Files):
    wanted = {f for page in _pending for f in page.meta["_katex_formulas"] if f not in _cache}
    if wanted:
        ordered = sorted(wanted)
        for (tex, display), result in zip(ordered, _render(ordered), strict=True):
            if "error" in result:
                pages = sorted(p.file.src_uri for p in _pending if (tex, display) in p.meta["_katex_formulas"])
                raise PluginError(f"KaTeX error in docs/{', docs/'.join(pages)}: formula {tex!r}: {result['error']}")
            _cache[(tex, display)] = result["html"]
        formulas = [[tex, display, out] for (tex, display), out in sorted(_cache.items())]
        cache.write_atomic(CACHE_FILE, json.dumps({"katex": _katex_version(), "formulas": formulas}))
    return env


@event_priority(-100)  # after the search plugin has indexed the page's text
def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    """Put the rendered formulas in. Search indexes the page first: KaTeX's markup (HTML and MathML of
    every formula) would make indexing slow and fill the index with the pieces of formulas."""
    formulas = page.meta.pop("_katex_formulas", None)
    if formulas:
        content = page.content  # later hooks may have extended it since on_page_content
        for index, formula in enumerate(formulas):
            if _placeholder(index) not in content:
                raise PluginError(
                    f"docs/{page.file.src_uri}: formula {formula[0]!r} lost its placeholder "
                    f"{_placeholder(index)}: a hook changed it between on_page_content and on_page_context"
                )
            content = content.replace(_placeholder(index), _cache[formula], 1)
        page.content = content
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Preload the common KaTeX fonts on pages that show math."""
    if '<span class="katex">' not in output:
        return output
    links = "".join(
        f'<link rel="preload" href="{get_relative_url(f"{FONT_DIR}/{name}", page.url)}" as="font" '
        'type="font/woff2" crossorigin>'
        for name in PRELOADED_FONTS
    )
    return output.replace("</head>", links + "</head>", 1)


def font_rules(css: str) -> list[tuple[frozenset[str], str | None, bool, bool]]:
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


def katex_font_characters(page_html: str, rules, available: set[str]) -> dict[str, set[str]]:
    """For each KaTeX font file, the characters the page's formulas may draw with it.

    The visible markup (``katex-html``; the MathML copy is not drawn) is walked with the classes of
    the enclosing ``<span>`` elements. A text may use the default family (Main) and the family of any
    KaTeX rule whose classes all enclose it, in its regular style and in any style such a rule sets:
    a superset of the font the browser picks (which also depends on which rule is innermost), so no
    drawn character loses its glyph.
    """
    found: dict[str, set[str]] = {}
    fonts_for: dict[frozenset[str], set[str]] = {}  # enclosing classes -> font files (few distinct sets)
    for start in KATEX_HTML.finditer(page_html):
        stack: list[frozenset[str]] = []
        for token in SPAN_OR_TEXT.finditer(page_html, start.start()):
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


def subset_font(source: Path, characters: set[str]) -> bytes:
    """WOFF2 bytes of ``source`` with only the glyphs for ``characters`` (cached on disk)."""
    import fontTools
    from fontTools import subset

    codepoints = sorted({ord(c) for c in characters})
    key = hashlib.sha256(
        source.read_bytes() + repr((codepoints, fontTools.version, "retain_gids")).encode()
    ).hexdigest()[:20]
    cached = FONT_CACHE / f"{source.stem}-{key}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    # retain_gids: glyph numbers stay those of the full font, so a PDF (which embeds glyphs by number)
    # does not depend on which other characters the site happens to draw
    options = subset.Options(
        flavor="woff2", layout_features=["*"], name_IDs=["*"], notdef_outline=True, retain_gids=True
    )
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    FONT_CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".tmp")
    subset.save_font(font, str(partial), options)
    partial.replace(cached)
    return cached.read_bytes()


def on_post_build(config: MkDocsConfig) -> None:
    """Cut every KaTeX font in the built site down to the characters its formulas draw with it."""
    site = Path(config.site_dir)
    sources = sorted((KATEX_DIST / "fonts").glob("*.woff2"))
    rules = font_rules((KATEX_DIST / "katex.min.css").read_text(encoding="utf-8"))
    available = {source.name for source in sources}
    characters: dict[str, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        for name, found in katex_font_characters(page.read_text(encoding="utf-8"), rules, available).items():
            characters.setdefault(name, set()).update(found)
    for source in sources:
        target = site / FONT_DIR / source.name
        data = subset_font(source, characters.get(source.name, set()))
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
