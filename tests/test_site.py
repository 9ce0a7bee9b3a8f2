"""The built site: self-contained, math rendered at build time, the features readers rely on."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar
from urllib.parse import urlparse

import pytest

from guide_build import browser, katex, practice, reading
from guide_build.mkdocs import nav_pages
from tests.helpers import build_project, load_hook, text_of
from tests.markdown_blocks import ROOT

REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class ResourceParser(HTMLParser):
    """Collects every URL a page *loads* (scripts, stylesheets, images, fonts, frames, media)."""

    LOADING: ClassVar[set[tuple[str, str]]] = {
        ("script", "src"),
        ("link", "href"),
        ("img", "src"),
        ("img", "srcset"),
        ("source", "src"),
        ("source", "srcset"),
        ("iframe", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("video", "src"),
        ("video", "poster"),
        ("audio", "src"),
        ("track", "src"),
        ("input", "src"),
        ("image", "href"),
        ("use", "href"),
    }

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.inline_styles: list[str] = []
        self.scripts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") in {"canonical", "alternate", "prev", "next"}:
            return  # navigation hints, not loaded
        for name, value in attrs:
            if (tag, name) in self.LOADING and value:
                self.urls.append((tag, value))
            if name == "style" and value:
                self.inline_styles.append(value)
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.inline_styles.append(data)

    def handle_endtag(self, tag):
        self._in_style = False


def css_urls(css: str) -> list[str]:
    return [m.strip("'\"") for m in re.findall(r"url\(([^)]+)\)", css)] + re.findall(r"@import\s+['\"]([^'\"]+)", css)


def test_no_page_loads_anything_from_outside_the_site(site_dir: Path, site_pages):
    outside = []
    for page, text in site_pages.items():
        parser = ResourceParser()
        parser.feed(text)
        loaded = [url for _, url in parser.urls] + [u for style in parser.inline_styles for u in css_urls(style)]
        outside += [f"{page}: {url}" for url in loaded if REMOTE.match(url) and not url.startswith("data:")]
    for css in site_dir.rglob("*.css"):
        outside += [f"{css.relative_to(site_dir)}: {u}" for u in css_urls(css.read_text("utf-8")) if REMOTE.match(u)]
    assert not outside, f"resources loaded from outside the site: {outside[:10]}"
    assert "fonts.googleapis.com" not in "".join(site_pages.values())


def test_every_local_resource_exists(site_dir: Path, site_pages):
    missing = []
    for page, text in site_pages.items():
        parser = ResourceParser()
        parser.feed(text)
        base = (site_dir / page).parent
        for _, url in parser.urls:
            path = urlparse(url).path
            if REMOTE.match(url) or url.startswith("data:") or not path:
                continue
            if not (base / path).resolve().exists():
                missing.append(f"{page}: {url}")
    assert not missing, f"resources referenced but not built: {missing[:10]}"


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


CLOSES_A_PARAGRAPH = {
    *("address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt"),
    *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
    *("hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "pre", "search", "section", "summary"),
    *("table", "ul", "xmp"),
}
"""The elements whose start tag ends an open ``<p>`` (HTML's parsing rules): written inside one, they
stand after it in the browser, and the paragraph's end tag opens an empty paragraph of its own."""

PARAGRAPH_SCOPE = {"applet", "button", "caption", "html", "marquee", "object", "table", "td", "template", "th"}
"""The elements that a ``<p>`` open outside them does not reach into (HTML's "button scope")."""


class _Nesting(HTMLParser):
    """Records every end tag that does not close the element open last, and every block that a
    paragraph holds (:data:`CLOSES_A_PARAGRAPH`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int]] = []
        self.misnested: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in CLOSES_A_PARAGRAPH:
            for name, line in reversed(self.open):
                if name == "p":
                    self.misnested.append(f"line {self.getpos()[0]}: <{tag}> inside the <p> of line {line}")
                if name in PARAGRAPH_SCOPE or name == "p":
                    break
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self.open and self.open[-1][0] == tag:
            self.open.pop()
            return
        innermost = self.open[-1] if self.open else ("nothing", 0)
        self.misnested.append(
            f"line {self.getpos()[0]}: </{tag}> while <{innermost[0]}> of line {innermost[1]} is open"
        )
        names = [name for name, _ in self.open]
        if tag in names:  # recover as a browser does: close everything up to the matching element
            del self.open[len(names) - 1 - names[::-1].index(tag) :]


def test_every_page_closes_its_elements_in_order(site_pages):
    """An element closed out of order makes the browser move the rest of the page out of its column
    (a ``<`` inside math in a Markdown table once did: the page's text stood one letter per line). A
    ``<`` before a letter in a formula, as in ``x_{<n}``, opens a tag for Markdown: raw HTML after it
    was wrapped in a paragraph of its own (write ``\\lt``)."""
    for page, html in site_pages.items():
        checker = _Nesting()
        checker.feed(html)
        assert not checker.misnested, f"{page}: " + "; ".join(checker.misnested[:3])
        assert [name for name, _ in checker.open] == [], f"{page}: never closed: {checker.open[:5]}"


PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
LIST_ITEM_LINE = re.compile(r"\n[ \t]*[-*+][ \t]")


def test_no_list_item_is_run_into_the_paragraph_above(site_pages):
    """A list item written right under a paragraph, without the blank line Markdown needs, is printed
    as running text with a literal "- " (contributing.md once lost a bullet so)."""
    for page, html in site_pages.items():
        for paragraph in PARAGRAPH.findall(html):
            found = LIST_ITEM_LINE.search(paragraph)
            assert not found, f"{page}: a list item inside a paragraph: {paragraph[found.start() :][:80]!r}"


REFERENCE = re.compile(r"<dt[^>]*>(.*?)</dt>\s*<dd>(.*?)</dd>", re.S)


def test_every_reference_says_what_the_guide_takes_from_it(site_pages):
    """The references page promises it: after each entry's link (to arXiv, the proceedings or the
    publisher) comes what the guide takes from the work (eight entries once ended at their link)."""
    entries = REFERENCE.findall(site_pages["references/index.html"])
    assert len(entries) >= 60
    bare = [text_of(dt).strip() for dt, dd in entries if len(text_of(dd.rsplit("</a>", 1)[-1]).split()) < 2]
    assert not bare, f"references that do not say what the guide takes from them: {bare}"


def test_katex_stylesheet_and_fonts_are_served(site_dir: Path):
    css = (site_dir / "assets/katex/katex.min.css").read_text("utf-8")
    fonts = [u for u in css_urls(css) if u.startswith("fonts/")]
    assert fonts and all(u.endswith(".woff2") for u in fonts), "KaTeX CSS should reference WOFF2 fonts only"
    for font in fonts:
        assert (site_dir / "assets/katex" / font).is_file(), font


def test_math_is_rendered_at_build_time_with_mathml(site_pages):
    formulas = 0
    for page, text in site_pages.items():
        assert "arithmatex" not in text, f"{page}: a formula was left for the browser to render"
        assert not re.search(r"mathjax|katex(\.min)?\.js|auto-render", text, re.IGNORECASE), f"{page}: math JavaScript"
        formulas += text.count('class="katex"')
        assert text.count('class="katex"') == text.count("<math"), f"{page}: a formula has no MathML"
    assert formulas >= 40, f"expected the guide's formulas on the site, found {formulas}"


def test_no_formula_sets_a_colour_of_its_own():
    """Drawn formulas take the colour of the text around them, so axe's contrast check of that text
    covers them too (test_browser.py leaves the drawn copy out: AXE_CONTEXT). Only these KaTeX
    commands give a formula a colour of its own."""
    colour = re.compile(r"\\(?:color|textcolor|colorbox|fcolorbox)\b")
    sources = [*ROOT.glob("docs/**/*.md"), *ROOT.glob("notebooks/*.py"), *ROOT.glob("includes/**/*.*")]
    assert len(sources) > 10
    for path in sources:
        found = colour.search(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)}: {found[0]} colours a formula"


def test_math_looks_typeset(site_pages):
    everything = "".join(site_pages.values())
    # \log is an upright operator followed by a function-application mark, so "log p" is spaced
    assert re.search(r"<mi>log</mi><mo>\u2061</mo>", everything)
    # unary minus is an operator in MathML, never a hyphen
    assert "<mo>\u2212</mo>" in everything
    assert re.search(r"<mi( mathvariant=\"normal\")?>softmax</mi>", everything)


def test_site_features(site_dir: Path, site_pages):
    home = site_pages["index.html"]
    assert '<meta name="description" content="A study guide to image generation' in home
    assert 'data-md-color-scheme="slate"' in home or "prefers-color-scheme: dark" in home  # light/dark toggle
    assert "Switch to dark mode" in home and "Switch to light mode" in home
    search_index = json.loads((site_dir / "search/search_index.json").read_text("utf-8"))
    assert any("denoising" in doc["text"].lower() for doc in search_index["docs"])
    assert (site_dir / "assets/javascripts/workers").is_dir()  # offline search worker served locally
    for page, text in site_pages.items():
        if page in {"index.html"} or page.startswith("search"):
            continue
        match = re.search(r'href="https://github.com/diffusion-vs-llms/study-guide/edit/main/([^"]+)"', text)
        assert match, f"{page}: no edit-this-page link"
        assert (ROOT / match[1]).is_file(), f"{page}: the edit link points to {match[1]}, which does not exist"


def test_colour_toggle_and_tooltips_are_ours_and_not_also_materials(site_pages):
    """The toggle's script (after the header, overrides/main.html) and javascripts/glossary-tooltips.js take
    the place of Material's palette component and content.tooltips: with both, a term would get two
    tooltips, and the scheme would be set twice as the page loads."""
    for page, text in site_pages.items():
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', text, re.S)[1])
        assert "content.tooltips" not in config["features"], f"{page}: Material's tooltips are switched on"
        assert 'data-md-component="palette"' not in text, f"{page}: Material's palette component is mounted"
        assert text.count('<form class="md-header__option" data-palette-toggle>') == 1, page
        assert text.index("</header>") < text.index('querySelector("form[data-palette-toggle]")'), page
        assert "javascripts/glossary-tooltips.js" in text, page


def test_a_latex_error_fails_the_build_and_names_page_and_formula(tmp_path: Path):
    proc = build_project(
        tmp_path,
        {"broken.md": "# Broken\n\nAn unknown macro: $\\frac{1}{\\nosuchmacro}$\n"},
        "katex_math.py",
        "markdown_extensions:\n  - pymdownx.arithmatex: {generic: true}\n",
    )
    assert proc.returncode != 0
    assert "docs/broken.md" in proc.stderr
    assert "\\nosuchmacro" in proc.stderr
    assert "Undefined control sequence" in proc.stderr


def test_every_moved_anchor_leads_to_a_section_that_has_it(site_pages):
    """javascripts/moved-anchors.js sends llms/#the-causal-mask on to llms/attention/: each anchor it
    names is on that section's page and no longer on the chapter's, so no link it forwards misses."""
    script = (ROOT / "docs" / "javascripts" / "moved-anchors.js").read_text(encoding="utf-8")
    chapters = re.findall(r'^    "([a-z-]+/)": \{\n(.*?)^    \}', script, re.M | re.S)
    assert {folder for folder, _ in chapters} == {"diffusion/", "llms/"}
    for folder, entries in chapters:
        moved = re.findall(r'^      "([\w-]+)": "([a-z-]+/)",$', entries, re.M)
        assert len(moved) == entries.count("\n"), f"{folder}: an entry the test cannot read"
        for anchor, section in moved:
            assert f'id="{anchor}"' in site_pages[f"{folder}{section}index.html"], f"{folder}#{anchor} -> {section}"
            assert f'id="{anchor}"' not in site_pages[f"{folder}index.html"], f"{folder}#{anchor} is still there"


@pytest.mark.parametrize("page", ["llms/index.html", "diffusion/index.html", "comparison/index.html"])
def test_glossary_terms_show_tooltips_on_other_pages(site_pages, page):
    assert re.search(r'<abbr (?:tabindex="0" )?title="[^"]{20,}">[Tt]okens?</abbr>', site_pages[page]) or re.search(
        r'<abbr (?:tabindex="0" )?title="[^"]{20,}">[^<]*[Dd]enois', site_pages[page]
    ), f"{page}: no glossary tooltip"


def test_no_tooltips_where_the_front_matter_says_so(site_pages):
    """The references say ``tooltips: false``: their terms sit in the titles of papers."""
    assert "Denoising Diffusion Probabilistic Models" in site_pages["references/index.html"]
    assert "<abbr" not in site_pages["references/index.html"]


def test_code_blocks_are_out_of_the_search_index_but_on_the_page(site_dir: Path, site_pages):
    index_text = "".join(doc["text"] for doc in json.loads((site_dir / "search/search_index.json").read_text())["docs"])
    blocks = 0
    for page, text in site_pages.items():
        for block in re.findall(
            r'<div data-search-exclude class="language-python highlight"[^>]*>(.*?)</pre></div>', text, re.S
        ):
            blocks += 1
            lines = [re.sub(r"<[^>]+>", "", line).strip() for line in block.splitlines()]
            distinctive = max(lines, key=len)  # the longest line of the block
            assert distinctive not in index_text, f"{page}: code line {distinctive!r} is in the search index"
    assert blocks >= 60, f"expected the guide's code blocks, found {blocks}"
    assert "cross-entropy" in index_text.lower()  # prose is still indexed


def test_code_blocks_carry_their_line_count(site_pages):
    """extra.css sizes a code block that is not drawn yet from --lines (hooks/code_blocks.py)."""
    for page, text in site_pages.items():
        for attributes, body in re.findall(r"<pre>(?:<span></span>)?<code([^>]*)>(.*?)</code></pre>", text, re.S):
            lines = body.count("\n") + (0 if body.endswith("\n") else 1)
            assert f'style="--lines: {lines}"' in attributes, f"{page}: a code block of {lines} lines: {attributes!r}"


def test_katex_fonts_keep_every_character_the_formulas_draw(site_dir: Path, site_pages):
    from fontTools.ttLib import TTFont

    sources = sorted((katex.DIST / "fonts").glob("*.woff2"))
    rules = katex.font_rules((katex.DIST / "katex.min.css").read_text("utf-8"))
    drawn: dict[str, set[str]] = {}
    for text in site_pages.values():
        for name, found in katex.font_characters(text, rules, {s.name for s in sources}).items():
            drawn.setdefault(name, set()).update(found)
    assert {"α", "0", "x", "("} <= drawn["KaTeX_Main-Regular.woff2"]
    assert {"x", "θ"} <= drawn["KaTeX_Math-Italic.woff2"]
    assert "∑" in drawn["KaTeX_Size1-Regular.woff2"] and "E" in drawn["KaTeX_AMS-Regular.woff2"]  # \sum, \mathbb{E}
    original_total = served_total = 0
    for original in sources:
        served = site_dir / "assets/katex/fonts" / original.name
        had = {chr(c) for c in TTFont(original).getBestCmap()}
        has = {chr(c) for c in TTFont(served).getBestCmap() or {}}  # no cmap: no character kept
        wanted = drawn.get(original.name, set())
        assert (had & wanted) <= has, f"{original.name} lost glyphs the site draws: {sorted((had & wanted) - has)}"
        extra = has - wanted - {" ", "\u00a0"}  # a few come along with their variants (∈ brings ∋)
        assert len(extra) <= 5, f"{original.name} keeps glyphs no formula draws with it: {sorted(extra)}"
        original_total += original.stat().st_size
        served_total += served.stat().st_size
    assert served_total < 0.5 * original_total, (served_total, original_total)


def test_font_rules_follow_katex_classes():
    rules = katex.font_rules(
        ".katex .mathnormal{font-family:KaTeX_Math;font-style:italic}"
        ".katex .amsrm,.katex .mathbb{font-family:KaTeX_AMS}.katex .delimsizing.size1{font-family:KaTeX_Size1}"
    )
    available = {
        "KaTeX_Main-Regular.woff2",
        "KaTeX_Main-Italic.woff2",
        "KaTeX_Math-Italic.woff2",
        "KaTeX_AMS-Regular.woff2",
        "KaTeX_Size1-Regular.woff2",
    }
    page = (
        '<span class="katex-html"><span class="mord mathnormal">x</span><span class="mord mathbb">E</span>'
        '<span class="sizing size1">2</span><span class="delimsizing size1">(</span>1</span>'
    )
    assert katex.font_characters(page, rules, available) == {
        "KaTeX_Main-Regular.woff2": {"x", "E", "2", "(", "1"},  # the default family may draw anything
        "KaTeX_Main-Italic.woff2": {"x"},  # italic from .mathnormal, if an inner class chose Main
        "KaTeX_Math-Italic.woff2": {"x"},
        "KaTeX_AMS-Regular.woff2": {"E"},  # each selector of a list on its own
        "KaTeX_Size1-Regular.woff2": {"("},  # .delimsizing.size1 needs both classes, .size1 alone is a size
    }


def test_katex_characters_reads_only_the_drawn_markup():
    page = (
        '<p>prose ∞</p><span class="katex"><span class="katex-mathml"><math><mi>β</mi></math></span>'
        '<span class="katex-html" aria-hidden="true"><span class="base"><span class="mord">α</span>'
        '<span class="mord">&lt;1</span></span></span></span><p>after ∅</p>'
    )
    found = katex.font_characters(page, [], {"KaTeX_Main-Regular.woff2"})
    assert found == {"KaTeX_Main-Regular.woff2": {"α", "<", "1"}}


def test_katex_characters_of_a_page_are_kept_by_its_bytes(tmp_path, monkeypatch):
    """katex._page_characters: a page read once is not read again while its bytes stay the same (a warm
    build reads only the pages that changed); a changed page is read again."""
    monkeypatch.setenv("GUIDE_CACHE", str(tmp_path))
    page = '<span class="katex-html"><span class="mord">α</span></span>'
    available = {"KaTeX_Main-Regular.woff2"}
    read = []
    real = katex.font_characters
    monkeypatch.setattr(katex, "font_characters", lambda *args: read.append(args[0]) or real(*args))
    first = katex._page_characters(page.encode(), [], available)
    assert first == {"KaTeX_Main-Regular.woff2": {"α"}} and len(read) == 1
    assert katex._page_characters(page.encode(), [], available) == first and len(read) == 1, "read again"
    changed = page.replace("α", "β")
    assert katex._page_characters(changed.encode(), [], available) == {"KaTeX_Main-Regular.woff2": {"β"}}
    assert len(read) == 2


def test_pages_with_math_preload_the_common_katex_fonts(site_dir: Path, site_pages):
    for page, text in site_pages.items():
        preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', text)
        if '<span class="katex">' in text:
            assert [Path(p).name for p in preloads] == ["KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"], page
            assert all((site_dir / page).parent.joinpath(p).resolve().is_file() for p in preloads), page
        else:
            assert not preloads, f"{page} has no math but preloads its fonts"


def test_formulas_are_out_of_the_search_index_but_on_the_page(site_dir: Path, site_pages):
    index = json.loads((site_dir / "search/search_index.json").read_text())["docs"]
    text = "".join(doc["text"] + doc["title"] for doc in index)
    assert not re.search(r"katex-|<math|arithmatex|\\frac", text), "formula markup or TeX in the search index"
    assert sum(page.count('class="katex"') for page in site_pages.values()) >= 40
    # each formula's text form stands in its place: a search result reads "the noise level αˉ_t"
    assert "αˉ_t" in text and "L = − log p_y" in text


def test_a_formula_reads_as_one_line_of_text():
    """katex.text_form: what the search index holds in place of a formula, from KaTeX's MathML."""
    mathml = (
        '<span class="katex-mathml"><math><semantics><mrow><msub><mi>x</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn>'
        '</mrow></msub><mo>=</mo><mfrac><mn>1</mn><msqrt><msub><mover accent="true"><mi>α</mi><mo>ˉ</mo>'
        "</mover><mi>t</mi></msub></msqrt></mfrac><mo>\u2061</mo><mo>&lt;</mo><mn>2</mn></mrow>"
        '<annotation encoding="application/x-tex">x</annotation></semantics></math></span>'
    )
    assert katex.text_form(mathml) == "x_(t − 1) = 1/√(αˉ_t) < 2"


def test_a_mark_another_hook_puts_on_a_placeholder_goes_onto_the_formula():
    formulas = katex.Formulas()
    formulas.html[("x^2", True)] = '<span class="katex-display"><span class="katex">x²</span></span>'
    formulas.widths[("x^2", True)] = []  # measured already: no browser needed
    taken = formulas.take({"a.md": '<p>a</p>\n<div class="arithmatex">\\[x^2\\]</div>'})
    assert taken == {"a.md": '<p>a</p>\n<span data-katex="0"></span>'}
    page = "<head></head>" + taken["a.md"].replace('"0">', '"0" data-draw-late>')
    assert formulas.put(page, "fonts").endswith(
        '<p>a</p>\n<span class="katex-display" data-draw-late tabindex="0"><span class="katex">x²</span></span>'
    )


def test_formula_widths_are_reused_only_from_the_browser_that_measured_them(tmp_path, monkeypatch):
    """A piece's width is the browser's layout: another Chromium, or the same one upgraded in place,
    measures anew, while KaTeX's HTML (the same whatever the browser) is kept."""
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\necho Chromium 1.0\n", encoding="utf-8")
    chromium.chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(chromium))
    monkeypatch.setenv("GUIDE_CACHE", str(tmp_path / "cache"))
    here = browser.identity(str(chromium))
    assert "Chromium 1.0" in here and all(flag in here for flag in browser.FLAGS)

    def stored(measured_by: str) -> katex.Formulas:
        formula = ["x^2", True, "<span>x²</span>", [1.25]]
        entry = {"katex": katex.version(), "measured_by": measured_by, "formulas": [formula]}
        (tmp_path / "cache").mkdir(exist_ok=True)
        (tmp_path / "cache" / "katex.json").write_text(json.dumps(entry), encoding="utf-8")
        return katex.Formulas()

    assert stored(here).widths == {("x^2", True): [1.25]}
    elsewhere = stored(here.replace("Chromium 1.0", "Chromium 2.0"))
    assert elsewhere.html == {("x^2", True): "<span>x²</span>"} and elsewhere.widths == {}


@pytest.mark.parametrize(
    ("tex", "parts"),
    [
        (r"a = b, \qquad c = d", ["a = b,", "c = d"]),
        (r"a \qquad\xi \qquad c", ["a", r"\xi", "c"]),
        (r"\text{x \qquad y} \qquad z", [r"\text{x \qquad y}", "z"]),
        (r"\left\{ x \qquad y \right\} \qquad z", [r"\left\{ x \qquad y \right\}", "z"]),
        (r"\begin{aligned} x &= 1, \qquad v = 2 \\ y &= 3 \end{aligned}", None),
        (r"M = \begin{cases} 0 & n' \le n \\ 1 & \text{else} \end{cases}", None),
        (r"a \quad b", None),
    ],
)
def test_a_display_of_side_by_side_formulas_becomes_a_row_of_displays(tex, parts):
    r"""On a phone the row wraps (extra.css ``.math-row``): the formulas stand one under the other
    instead of the whole line scrolling sideways. Only a ``\qquad`` between whole formulas cuts."""
    assert katex.display_parts(tex) == (parts or [tex])
    page = f'<p>a</p><div class="arithmatex">\\[{tex}\\]</div>'
    row = "".join(f'<div class="arithmatex">\\[{part}\\]</div>' for part in parts or [])
    assert katex.split_displays(page) == (f'<p>a</p><div class="math-row">{row}</div>' if parts else page)


def test_each_piece_of_a_formula_gets_the_width_it_has_in_katex_fonts():
    formula = '<span class="katex-html"><span class="katex-base">a</span><span class="katex-base">=b</span></span>'
    assert katex.with_widths(formula, [0.5, 1.25]) == (
        '<span class="katex-html"><span class="katex-base" style="width:0.5em">a</span>'
        '<span class="katex-base" style="width:1.25em">=b</span></span>'
    )
    assert katex.with_widths(formula, None) == formula  # not measured (no Chromium): as KaTeX wrote it
    with pytest.raises(ValueError, match="2 pieces and 1 widths"):
        katex.with_widths(formula, [0.5])


def test_the_punctuation_around_an_inline_formula_keeps_to_its_line():
    """A line may break between a formula's pieces, and after its last, before a comma; its last piece
    goes into a span that does not wrap (extra.css), which keeps the comma with it. Not so before a
    space, nor for a display formula. An opening bracket before a formula goes with the formula into
    a span that does not wrap (the formula inside it may)."""
    drawn = '<span class="katex-html" aria-hidden="true"><span class="katex-base" style="width:1em">a</span>'
    last = '<span class="katex-base">=b</span>'
    inline = f'<span class="katex"><span class="katex-mathml">m</span>{drawn}{last}</span></span>'
    display = f'<span class="katex-display"><span class="katex">{drawn}</span></span></span>'
    formulas = katex.Formulas.__new__(katex.Formulas)
    formulas.rendered = [inline, display]
    page = '<p><span data-katex="0">a=b</span>, <span data-katex="0">a=b</span> (<span data-katex="0">a=b</span>)</p>'
    kept = inline.replace(last, f'<span class="katex-tail">{last}</span>')
    head = '<span class="katex-head">'
    assert formulas.put(page, "fonts").split("</head>")[-1] == f"<p>{kept}, {inline} {head}({kept}</span>)</p>"
    assert formulas.put('“<span data-katex="0">a</span>', "fonts").split("</head>")[-1] == f"{head}“{inline}</span>"
    assert "katex-tail" not in formulas.put('<span data-katex="1">a</span>.', "fonts")
    with pytest.raises(ValueError, match="without pieces"):
        katex.with_tail_kept('<span class="katex"><span class="katex-html"></span></span>')


def test_every_piece_of_every_formula_on_the_site_has_its_width(site_pages):
    """Measured at build time (``guide_build.katex.measure``), so the text does not move when the
    fonts arrive; the browser test that holds the fonts back checks that it does not."""
    pieces = 0
    for page, text in site_pages.items():
        for tag in re.findall(r'<span class="katex-base"[^>]*>', text):
            pieces += 1
            assert re.fullmatch(r'<span class="katex-base" style="width:\d+(\.\d+)?em">', tag), f"{page}: {tag}"
    assert pieces >= 500


def test_display_formulas_and_code_can_be_scrolled_with_the_keyboard(site_pages):
    """They scroll sideways on a phone; guide_build.katex and hooks/accessibility.py make them focusable."""
    displays = 0
    for page, text in site_pages.items():
        for tag in re.findall(r'<span class="katex-display"[^>]*>', text):
            displays += 1
            assert 'tabindex="0"' in tag, f"{page}: {tag}"
        for tag in re.findall(r"<pre>(?:<span></span>)?(<code[^>]*>)", text):
            assert 'tabindex="0"' in tag, f"{page}: {tag}"
    assert displays >= 30


@pytest.mark.parametrize(
    ("block", "focusable"),
    [
        ("<pre><span></span><code>x = 1</code></pre>", '<pre><span></span><code tabindex="0">x = 1</code></pre>'),
        ('<pre><code class="c">x</code></pre>', '<pre><code tabindex="0" class="c">x</code></pre>'),
        ('<pre><code id="a" tabindex="-1">x</code></pre>', '<pre><code id="a" tabindex="-1">x</code></pre>'),
        ("<pre><codex>x</codex></pre>", "<pre><codex>x</codex></pre>"),
    ],
)
def test_code_blocks_become_focusable_whatever_their_other_attributes(block: str, focusable: str):
    """hooks/accessibility.py adds one tabindex, keeps one already there, and touches no other tag."""
    page = SimpleNamespace(content=block)
    files = SimpleNamespace(documentation_pages=lambda: [SimpleNamespace(page=page)])
    load_hook("accessibility").on_env(None, None, files)
    assert page.content == focusable


def test_comparison_table_cells_carry_their_column_name():
    """guide_build.tables: the names a card shows on a phone come from the table's own header row."""
    from guide_build.tables import label_cells

    page = (
        '<div class="comparison-table">\n<table>\n<thead>\n<tr>\n<th>Aspect</th>\n<th><abbr title="x">LLM</abbr>'
        " (text)</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>Loss</td>\n<td>Cross-entropy</td>\n</tr>\n</tbody>\n"
        "</table>\n</div><table><tr><td>other</td></tr></table>"
    )
    labelled = label_cells(page)
    assert '<td data-label="Aspect">Loss</td>' in labelled
    assert '<td data-label="LLM (text)">Cross-entropy</td>' in labelled
    assert labelled.endswith("<table><tr><td>other</td></tr></table>")  # other tables stay as they are


def test_tables_are_written_in_materials_scrolling_box():
    """guide_build.tables.wrap: a table as Markdown writes it goes into Material's scrolling box, with the
    class that keeps Material's script from moving it; a table with attributes is left alone."""
    from guide_build.tables import CLASS, wrap

    page = '<p>a</p><table>\n<tr><td>x</td></tr>\n</table><table class="other"><tr><td>y</td></tr></table>'
    assert wrap(page) == (
        '<p>a</p><div class="md-typeset__scrollwrap" tabindex="0"><div class="md-typeset__table">'
        f'<table class="{CLASS}">\n<tr><td>x</td></tr>\n</table></div></div>'
        '<table class="other"><tr><td>y</td></tr></table>'
    )


def test_the_built_comparison_table_is_labelled(site_pages):
    cells = re.findall(r'<td data-label="([^"]*)"', site_pages["comparison/index.html"])
    assert len(cells) >= 30 and set(cells) == {"Aspect", "Diffusion model (images)", "LLM (text)"}


def test_reading_time_counts_the_prose_but_not_code_display_math_or_tags(tmp_path: Path):
    words = " ".join(["word"] * reading.WORDS_PER_MINUTE)
    code = "```python\n" + "x = 1\n" * 500 + "```\n"
    math = "$$\n" + "a + b = c \\\\\n" * 500 + "$$\n"
    assert reading.minutes(words) == 1 and reading.minutes(words + " one more") == 2
    assert reading.minutes(f"{words}\n\n{code}\n{math}\n    ```python\n    y = 2\n    ```\n") == 1
    assert reading.minutes(f'{words} <p class="self-check" data-slips="[[1.5, &quot;halve it&quot;]]">') == 1
    (tmp_path / "folder").mkdir()
    for name in ("index", "one", "two"):
        (tmp_path / "folder" / f"{name}.md").write_text(words, encoding="utf-8")
    assert reading.fill("<!-- reading time: folder/ -->", tmp_path, "docs/index.md") == "3\u00a0min\u00a0read"
    (tmp_path / "page.md").write_text(words + " more", encoding="utf-8")
    assert reading.fill("**[P](page.md)** · <!-- reading time: page.md -->", tmp_path, "docs/index.md") == (
        "**[P](page.md)** · 2\u00a0min\u00a0read"
    )
    shown = reading.fill("<!-- reading time: page.md -->", tmp_path, "docs/index.md", lambda text, page: text * 3)
    assert shown == "4\u00a0min\u00a0read"  # what readers get of the page: here, its words three times
    with pytest.raises(ValueError, match=r"docs/index.md:3: reading time of gone.md, which is not in "):
        reading.fill("a\n\n<!-- reading time: gone.md -->", tmp_path, "docs/index.md")


def test_the_home_page_cards_give_each_chapter_its_reading_time(site_pages):
    """Its questions included: the Practice page's Markdown is little more than its marker. A chapter
    that is a folder of sections is read in all of them."""
    card = r'<strong><a href="([a-z-]+)/">.*?</a></strong> · (\d+)\u00a0min\u00a0read'
    cards = re.findall(card, site_pages["index.html"])
    questions, titles = practice.load(), {src: title for title, src in nav_pages()}

    def chapter_markdown(page: str) -> str:
        folder = ROOT / "docs" / page
        sources = sorted(folder.glob("*.md")) if folder.is_dir() else [ROOT / "docs" / f"{page}.md"]
        relative = [source.relative_to(ROOT / "docs").as_posix() for source in sources]
        pairs = zip(sources, relative, strict=True)
        return "\n".join(practice.fill_in(s.read_text("utf-8"), r, questions, titles) for s, r in pairs)

    markdown = {page: chapter_markdown(page) for page, _ in cards}
    assert {"diffusion", "llms"} <= {page for page in markdown if (ROOT / "docs" / page).is_dir()}
    assert len(cards) == (ROOT / "docs" / "index.md").read_text(encoding="utf-8").count("<!-- reading time:")
    assert all(int(shown) == reading.minutes(markdown[page]) for page, shown in cards), cards
