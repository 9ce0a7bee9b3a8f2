"""Every page of the built site, the way readers see it: Debian's Chromium driven by Playwright.

The suite serves the built site on 127.0.0.1 itself and checks each page in the light and the dark
colour scheme at a desktop viewport, and in the light one on a phone (:data:`READINGS`): no request
leaves the machine, the console shows no error, the layout does not shift as it loads, every image
loads, every formula is rendered and none is cut, what scrolls sideways shows a cue, at the desktop
no line of code is wider than its box, every code block has its copy button once the reader has
scrolled to it, axe-core finds no accessibility violation (each rule where its result can differ,
:data:`AXE_RULES`), and a glossary term shows its tooltip on hover and on keyboard focus.
Then, once: blocks far below the first screen are drawn when the reader scrolls near them, offline
search, the colour toggle and its persistence, and printing.
"""

from __future__ import annotations

import base64
import json
import math
import re
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from diffusion_vs_llms.figures import comparison_figures, diffusion_figures, llm_figures
from diffusion_vs_llms.forward import forward_diffuse, signal_and_noise_scales
from diffusion_vs_llms.sampling import next_token_distribution
from diffusion_vs_llms.schedules import cosine_schedule, linear_schedule
from diffusion_vs_llms.timing import diffusion_image_time, llm_generation_time
from guide_build import plain_text, practice
from guide_build.browser import DRAW_EVERYTHING, FLAGS, find_chromium, serve
from guide_build.glossary import tooltips
from guide_build.mkdocs import nav_pages, page_url
from tests.helpers import smallest_text_px

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = {"light": "default", "dark": "slate"}
RAW_LATEX = re.compile(r"\\(frac|sqrt|bar|alpha|sum|prod|operatorname|begin|left|mathcal)\b|\$\$|\\\(|\\\[")


@pytest.fixture(scope="session")
def site_url(site_dir: Path):
    """The built site, served on 127.0.0.1 by this test session; stopped when the session ends."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        pytest.fail(
            "Chromium not found: apt-get install chromium-headless-shell (make test does it as root), or set CHROMIUM"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def contexts(browser):
    """One browser context per (scheme, viewport), created on first use."""
    made = {}

    def get(scheme: str, viewport: str):
        if (scheme, viewport) not in made:
            options = {
                "color_scheme": scheme,
                "viewport": VIEWPORTS[viewport],
                "is_mobile": viewport == "phone",
                "has_touch": viewport == "phone",
                "service_workers": "block",
            }
            made[(scheme, viewport)] = browser.new_context(**options)
            OPTIONS[made[(scheme, viewport)]] = options
        return made[(scheme, viewport)]

    yield get
    for context in [*made.values(), *RETRIES]:
        context.close()


PAGES = [page_url(path) for _, path in nav_pages()]
"""Every page of the nav; each is checked on its own, so that test workers share them out."""


def test_every_built_page_is_in_the_nav_and_checked(site_dir: Path):
    built = sorted(
        str(p.relative_to(site_dir).parent).replace(".", "") + "/"
        for p in site_dir.rglob("index.html")
        if "handouts" not in p.parts
    )
    assert built == sorted(path or "/" for path in PAGES)


LAYOUT_SHIFT = """
window.layoutShift = 0;
window.layoutShiftSources = [];
new PerformanceObserver(list => list.getEntries().forEach(shift => {
    if (shift.hadRecentInput) return;
    window.layoutShift += shift.value;
    for (const source of shift.sources) {
        const node = source.node, element = node && (node.nodeType === 1 ? node : node.parentElement);
        const name = element ? element.tagName.toLowerCase() + (element.className ? "." + element.className : "") : "?";
        const text = node ? (node.textContent || "").trim().slice(0, 30) : "";
        const [from, to] = [source.previousRect, source.currentRect];
        window.layoutShiftSources.push(`${shift.value.toFixed(3)} at ${Math.round(shift.startTime)} ms: `
            + `${name} "${text}" moved from (${from.x}, ${from.y}) ${from.width}x${from.height} `
            + `to (${to.x}, ${to.y}) ${to.width}x${to.height}`);
    }
})).observe({type: "layout-shift", buffered: true});
"""
"""Sums the page's layout shifts (CLS) into ``window.layoutShift``; what moved, and when, into
``window.layoutShiftSources``, so that a failure says where to look."""


def open_page(context, url: str, reuse: bool = False):
    """Open ``url`` and return (page, requests, console errors); every lazy image is loaded.

    With ``reuse`` the page opens in the context's tab kept for reuse (:data:`TABS`), made on first use
    and left open for the next: a tab made and closed for each page costs Chromium more work than the
    checks of the page. A test that changes the tab itself (its media, its viewport) closes it.

    A page whose images are still loading after 30 s is opened once more in a new context with the
    same options (``OPTIONS``): its own cache and connections, as a stuck request in a context that had
    shown the page before can hold images back. Only then do its unfinished images fail the test, by
    name."""
    page, requests, errors = _open(context, url, reuse)
    if _images_complete(page):
        return page, requests, errors
    waiting = page.evaluate(f"{INCOMPLETE}.map(img => img.src)")
    page.close()
    if context in OPTIONS:
        RETRIES.append(context.browser.new_context(**OPTIONS[context]))
        page, requests, errors = _open(RETRIES[-1], url, False)
        if _images_complete(page):
            return page, requests, errors
        waiting = page.evaluate(f"{INCOMPLETE}.map(img => img.src)")
        page.close()
        pytest.fail(f"{url}: images still loading after 30 s, and again in a new context: {waiting}")
    pytest.fail(f"{url}: images still loading after 30 s: {waiting}")


OPTIONS: dict = {}
"""The options each shared browser context was made with (the ``contexts`` fixture), to make another."""
RETRIES: list = []
"""The contexts :func:`open_page` made to open a page again; the ``contexts`` fixture closes them."""
TABS: dict = {}
"""Each context's tab kept for reuse, with the lists its requests and console errors go to."""


def _open(context, url: str, reuse: bool):
    tab = TABS.get(context) if reuse else None
    if tab is None or tab[0].is_closed():
        page, logs = context.new_page(), {"requests": [], "errors": []}
        page.on("request", lambda request: logs["requests"].append(request.url))
        page.on("console", lambda message: logs["errors"].append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: logs["errors"].append(str(error)))
        page.add_init_script(LAYOUT_SHIFT)
        tab = page, logs
        if reuse:
            TABS[context] = tab
    page, logs = tab
    if page.url.split("#")[0] == url.split("#")[0]:
        page.goto("about:blank")  # else the same page with another fragment only scrolls
    page.mouse.move(0, 0)  # where the last page left the pointer may hover over this one
    requests, errors = logs["requests"], logs["errors"] = [], []
    page.goto(url, wait_until="load")
    page.evaluate(SETTLED)
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })")
    return page, requests, errors


FRAMES = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
"""Resolves once two frames have been drawn: the page as it stands is on the screen."""

SETTLED = f"document.fonts.ready.then(() => {FRAMES})"
"""Resolves once the page's fonts have arrived and the page is drawn with them."""

INCOMPLETE = "Array.from(document.images).filter(img => !img.complete)"


def _images_complete(page, seconds: float = 30) -> bool:
    from playwright.sync_api import TimeoutError

    try:
        page.wait_for_function(f"{INCOMPLETE}.length === 0", timeout=seconds * 1000)
        return True
    except TimeoutError:
        return False


def scroll_through(page) -> None:
    """Draw every deferred block, bring every block into view, and scroll to the end and back.

    extra.css defers drawing blocks far below the screen (``content-visibility: auto``) until the
    reader scrolls near them, and Material sets up a code block (its copy button) when the block
    first comes into view (``content.lazy`` in mkdocs.yml). axe measures drawn boxes, and it should
    see the copy buttons too. The window is made as tall as the page for two frames, so that every
    block is in view at once (what a reader scrolling through brings into view a screen at a time),
    then the page scrolls to its end and back, a reader's scroll events. It returns once every
    explorable figure brought into view has its numbers (``aria-busy`` gone), as a reader sees it.
    """
    page.add_style_tag(content=DRAW_EVERYTHING)
    viewport = page.viewport_size
    page.set_viewport_size({**viewport, "height": page.evaluate("document.documentElement.scrollHeight")})
    page.evaluate(FRAMES)
    page.set_viewport_size(viewport)
    end = "document.documentElement.scrollHeight"
    page.evaluate(f"async () => {{ scrollTo(0, {end}); await {FRAMES}; scrollTo(0, 0); await {FRAMES}; }}")
    page.wait_for_function("document.querySelector('figure[aria-busy]') === null")


SCROLL_PROBLEMS = """() => {
    const problems = [];
    if (document.documentElement.scrollWidth > innerWidth)
        problems.push(`the page is ${document.documentElement.scrollWidth} px wide: it scrolls sideways`);
    for (const box of document.querySelectorAll("article *")) {
        if (!box.checkVisibility()) continue;  // in a closed answer
        const style = getComputedStyle(box);
        if (box.scrollWidth > box.clientWidth && /auto|scroll/.test(style.overflowX) && style.boxShadow === "none")
            problems.push(`${box.className || box.tagName} scrolls with no cue: ${box.textContent.slice(0, 40)}`);
    }
    for (const formula of document.querySelectorAll("article .katex-display"))
        if (formula.scrollHeight > formula.clientHeight)
            problems.push(`a formula is cut at its top or bottom: ${formula.textContent.slice(0, 40)}`);
    return problems;
}"""
"""What scrolls sideways shows a cue (extra.css draws an inner shadow at an edge with more beyond it),
the page itself does not scroll sideways, and no display formula is cut at its top or bottom."""


PUNCTUATION_OPENING_A_LINE = r"""Array.from(document.querySelectorAll("article .katex")).filter(formula => {
    const next = formula.nextSibling, drawn = formula.getClientRects();
    if (!drawn.length || !next || next.nodeType !== Node.TEXT_NODE || !/^[.,;:!?)\]]/.test(next.data)) return false;
    const character = document.createRange();
    character.setStart(next, 0);
    character.setEnd(next, 1);
    const [start, last] = [character.getClientRects()[0], drawn[drawn.length - 1]];
    return start && start.top >= last.bottom - 1;
}).map(formula => `$${formula.querySelector("annotation").textContent}$${formula.nextSibling.data.slice(0, 20)}`)"""
"""The inline formulas followed by a comma, stop or bracket that starts the next line."""

BRACKET_ENDING_A_LINE = r"""Array.from(document.querySelectorAll("article .katex")).filter(formula => {
    const before = formula.previousSibling, drawn = formula.getClientRects();
    if (!drawn.length || !before || before.nodeType !== Node.TEXT_NODE || !/[(\[{‘“]$/.test(before.data)) return false;
    const character = document.createRange();
    character.setStart(before, before.data.length - 1);
    character.setEnd(before, before.data.length);
    const ends = character.getClientRects();
    return ends.length > 0 && drawn[0].top >= ends[ends.length - 1].bottom - 1;
}).map(formula => `${formula.previousSibling.data.slice(-20)}$${formula.querySelector("annotation").textContent}$`)"""
"""The inline formulas after an opening bracket that ends the line before."""

PERMALINK_ALONE = r"""[...document.querySelectorAll("article .headerlink")].filter(link => {
    const before = document.createRange(), drawn = link.getClientRects();
    before.setStart(link.parentElement, 0);
    before.setEndBefore(link);
    const text = [...before.getClientRects()].filter(rect => rect.width > 0);
    return drawn.length > 0 && text.length > 0 && drawn[0].top >= text[text.length - 1].bottom - 1;
}).map(link => link.parentElement.textContent.slice(0, 60))"""
"""The headings whose (hidden) permalink wrapped onto a line of its own, an empty line under them."""


WIDE_CODE = """[...document.querySelectorAll("article :is(pre > code, .jp-RenderedText)")]
    .filter(code => code.checkVisibility() && code.scrollWidth > code.clientWidth)
    .map(code => code.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a)).slice(0, 60))"""
"""The longest line of each code block or output wider than its box: at a desktop's width every line
of code fits (lines of at most 79 characters), with no need to scroll."""


FIGURES_SHOWN = """[...document.querySelectorAll("figure.guide-figure img")]
    .filter(img => img.getClientRects().length)
    .map(img => [new URL(img.src).pathname, img.getBoundingClientRect().width])"""
"""(path, rendered width in CSS px) of each figure image the reader sees."""

SMALLEST_FIGURE_TEXT = {"phone": 11, "desktop": 12}
"""Smallest figure text allowed, in CSS px, on each viewport."""


def code_blocks_without_copy_button(page) -> int:
    """Code blocks the reader has seen (not in a closed answer) that have no copy button."""
    return page.evaluate(
        """Array.from(document.querySelectorAll('article pre:has(> code):not(:has(> .md-code__nav))'))
            .filter(pre => !pre.closest('details:not([open])')).length"""
    )


COLOUR_RULES = ["color-contrast", "link-in-text-block"]
"""axe-core's rules about colours: text against its background, and links told from the text around
them by colour."""
AXE_RULES = {
    ("desktop", "light"): {},
    ("desktop", "dark"): {"runOnly": COLOUR_RULES},
    ("phone", "light"): {"rules": {rule: {"enabled": False} for rule in COLOUR_RULES}},
}
"""Which of axe-core's rules run where: each rule once wherever its result can differ. The two
colour schemes differ in colours only, and the phone from the desktop in layout only (the same
elements in the same colours). So every rule runs at the desktop in the light scheme, the colour
rules again in the dark scheme, and every other rule again on the phone."""


AXE_CONTEXT = {"exclude": [[".katex-html"]]}
"""What axe leaves out: KaTeX's drawn formulas, hidden from assistive technology (``aria-hidden``),
which reads each formula's MathML instead, and which axe still checks. Their text takes the colour
of the text around it (test_site.py: no formula sets a colour of its own), whose contrast axe checks."""

DRAWN_FORMULAS_AS_BOXES = """() => {
    document.querySelectorAll(".katex-mathml math:has(*)").forEach(math => { math.textContent = math.textContent; });
    const drawn = Array.from(document.querySelectorAll(".katex-html:not(:empty)"));  // not yet a box
    // a display formula is a block as wide as the column: its own width is what it scrolls over
    const sizes = drawn.map(formula => [formula.scrollWidth, formula.getBoundingClientRect().height]);
    drawn.forEach((formula, i) => {
        const box = document.createElement("span");
        box.className = "katex-html";
        box.setAttribute("aria-hidden", "true");
        box.style.cssText = `display: inline-block; width: ${sizes[i][0]}px; height: ${sizes[i][1]}px`;
        formula.replaceWith(box);
    });
}"""
"""Each drawn formula (:data:`AXE_CONTEXT` leaves them out) replaced by an empty box of its size: axe
walks every element of the page whatever it leaves out, and the drawn formulas are half the elements
of a page of formulas; the boxes keep the layout, so a display formula still overflows its scrolling
box as it did (a box without keyboard access is still found). Sizes are all read before any box is
put in (one layout); a box already put in stays (axe runs twice on a page read in both schemes).

Each formula's MathML, which assistive technology reads, keeps its text in its ``<math>`` element but
not the elements inside, one per symbol, about as many as the rest of a page of formulas: KaTeX
gives them no attribute that an axe rule checks, and their text stays, hidden as it was."""


REPEATED_TOKENS_AS_TEXT = """() => {
    const tokens = Array.from(document.querySelectorAll("article pre span[class]:not(:has(*))"));
    const looks = tokens.map(token => {
        const style = getComputedStyle(token), block = getComputedStyle(token.closest("pre"));
        return [token.className, style.color, style.backgroundColor, style.fontSize, style.fontWeight,
            block.backgroundColor, token.closest(".hll") !== null].join("|");
    });
    const seen = new Set();
    tokens.forEach((token, i) => seen.has(looks[i]) ? token.replaceWith(...token.childNodes) : seen.add(looks[i]));
}"""
"""Each highlighted token of the page's code (Pygments' ``<span class>``) that looks like one before it,
in colour, size, weight and background, replaced by its text: axe checks the contrast of every
element with text, one by one, and a page of code has thousands of tokens in a few dozen looks. The
text stays where it was, in its block's own colour, whose contrast axe checks too. The looks are all
read before any token is replaced (one style computation); in the dark scheme the tokens left are
each of another class, so each look of that scheme is checked as well."""


def axe(page, context: dict, options: dict | None = None) -> list[str]:
    """axe-core's violations in ``context`` of the page, with ``options``, one line each. axe's script
    (half a megabyte) goes into the page once, and only the violations come back from it."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    found = page.evaluate(
        "([context, options]) => axe.run(context, options).then(results => results.violations)",
        [context, {"resultTypes": ["violations"], **(options or {})}],
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in found]


def axe_violations(page, options: dict) -> list[str]:
    """axe-core's violations on the page with ``options`` (call ``scroll_through`` first; the page's
    drawn formulas are then boxes, :data:`DRAWN_FORMULAS_AS_BOXES`, and its code one token of each
    look, :data:`REPEATED_TOKENS_AS_TEXT`)."""
    page.evaluate(DRAWN_FORMULAS_AS_BOXES)
    page.evaluate(REPEATED_TOKENS_AS_TEXT)
    return axe(page, AXE_CONTEXT, options)


def visible_text_without_code(page) -> str:
    return page.evaluate(
        """() => {
            const clone = document.querySelector('article').cloneNode(true);
            clone.querySelectorAll('pre, code, .katex').forEach(element => element.remove());
            return clone.innerText;
        }"""
    )


READINGS = {"desktop": ["light", "dark"], "phone": ["light"]}
"""The schemes each page is read in, at each viewport, where a check's result can differ (as with
:data:`AXE_RULES`): the dark scheme differs from the light in colours only, so it is read at the
desktop only (its contrast, its figure variants, the scheme the page shows), and the phone from the
desktop in layout only (no rule of extra.css depends on both the scheme and the width). The page
opens in the light scheme, the scheme its context's system asks for; the reader then switches it
with the header's toggle, as a reader does, which draws the same page in the other colours (that
the dark scheme is the one shown when the system asks for it, from the first paint, is
test_colour_scheme_follows_the_system_before_materials_script_runs)."""

TOGGLE = """() => {
    document.querySelector("form[data-palette-toggle] label:not([hidden])").click();
    return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(
        document.body.getAttribute("data-md-color-scheme")))));
}"""
"""Switch the colour scheme with the header's toggle (a click that leaves the pointer where it was)
and return the scheme shown once it is drawn."""

TOOLTIPS_GONE = """!document.querySelector(".md-tooltip2--active")
    && Array.from(document.querySelectorAll(".md-tooltip2"))
        .every(tooltip => tooltip.getAnimations({subtree: true}).length === 0)"""
"""No tooltip is shown, and none is still fading in or out."""

FORGET_SCHEME = (
    "Object.keys(localStorage).filter(k => k.endsWith('.__palette')).forEach(k => localStorage.removeItem(k))"
)
"""Forget the scheme the toggle stored: the next page the context opens follows its system again."""


def figure_text_problems(page, site_dir: Path, site_url: str, where: str, viewport: str) -> list[str]:
    """Each figure image the reader sees (:data:`FIGURES_SHOWN`) whose smallest text is too small."""
    problems = []
    for src, width in page.evaluate(FIGURES_SHOWN):
        text = smallest_text_px(site_dir / src.removeprefix(urlparse(site_url).path), width)
        if text < SMALLEST_FIGURE_TEXT[viewport]:
            problems.append(
                f"{where}: {src} is shown {width:.0f} px wide, its smallest text {text:.1f} px "
                f"(at least {SMALLEST_FIGURE_TEXT[viewport]})"
            )
    return problems


BROKEN_IMAGES = "Array.from(document.images).filter(i => i.getClientRects().length && !i.naturalWidth).map(i => i.src)"


@pytest.mark.parametrize("path", PAGES, ids=[path.strip("/") or "home" for path in PAGES])
@pytest.mark.parametrize("viewport", READINGS)
def test_every_page_as_readers_see_it(site_dir, site_url, contexts, viewport, path):
    context = contexts("light", viewport)
    problems = []
    page, requests, errors = open_page(context, site_url + path, reuse=True)
    try:
        where = f"{path} (light, {viewport})"
        scheme_shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if scheme_shown != SCHEMES["light"]:
            problems.append(f"{where}: colour scheme {scheme_shown!r}")
        broken = page.evaluate(BROKEN_IMAGES)
        if broken:
            problems.append(f"{where}: images that did not load: {broken[:3]}")
        raw = RAW_LATEX.search(visible_text_without_code(page))
        if raw:
            problems.append(f"{where}: raw LaTeX visible: {raw[0]!r}")
        shift = page.evaluate("window.layoutShift")
        if shift > 0.01:
            moved = "\n    ".join(page.evaluate("window.layoutShiftSources")[:8])
            problems.append(f"{where}: the layout shifts by {shift:.3f} as the page loads (at most 0.01):\n    {moved}")
        scroll_through(page)
        problems += [f"{where}: {problem}" for problem in page.evaluate(SCROLL_PROBLEMS)]
        opening = page.evaluate(PUNCTUATION_OPENING_A_LINE)
        problems += [f"{where}: a line starts with the punctuation after a formula: {text!r}" for text in opening]
        ending = page.evaluate(BRACKET_ENDING_A_LINE)
        problems += [f"{where}: a line ends with the bracket before a formula: {text!r}" for text in ending]
        alone = page.evaluate(PERMALINK_ALONE)
        problems += [f"{where}: a heading's permalink is alone on its last line: {text!r}" for text in alone]
        if viewport == "desktop":
            problems += [f"{where}: a code line wider than its box: {line!r}" for line in page.evaluate(WIDE_CODE)]
        else:  # the header's site name and page title, each whole
            cut = page.evaluate(
                "Array.from(document.querySelectorAll('.md-header__topic .md-ellipsis'))"
                ".filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent.trim())"
            )
            problems += [f"{where}: the header cuts {title!r}" for title in cut]
        problems += figure_text_problems(page, site_dir, site_url, where, viewport)
        uncopyable = code_blocks_without_copy_button(page)
        if uncopyable:
            problems.append(f"{where}: {uncopyable} code blocks without a copy button after scrolling through")
        problems += [f"{where}: axe: {v}" for v in axe_violations(page, AXE_RULES[viewport, "light"])]
        term = page.locator("article abbr[title]").first
        if term.count():
            definition = term.get_attribute("title")
            if viewport == "phone":  # the term's glossary link takes the focus, if it has one
                term.evaluate("term => (term.closest('a.glossary-term') || term).focus()")
            else:
                term.hover()
            tooltip = page.locator(".md-tooltip2--active")
            try:
                tooltip.wait_for(state="visible", timeout=3000)
                if definition[:30] not in tooltip.inner_text():
                    problems.append(f"{where}: the tooltip shows {tooltip.inner_text()[:40]!r}")
            except Exception:
                problems.append(f"{where}: no tooltip on {'focus' if viewport == 'phone' else 'hover'}")
        if "dark" in READINGS[viewport]:  # its colours: the scheme shown, its figures, their contrast
            dark = f"{path} (dark, {viewport})"
            page.mouse.move(0, 0)  # as the page was opened: no tooltip, nor one fading out, whose colours axe would mix
            page.wait_for_function(TOOLTIPS_GONE)
            scheme_shown = page.evaluate(TOGGLE)
            page.evaluate(FORGET_SCHEME)
            if scheme_shown != SCHEMES["dark"]:
                problems.append(f"{dark}: colour scheme {scheme_shown!r} after the toggle")
            if not _images_complete(page):
                waiting = page.evaluate(INCOMPLETE + ".map(img => img.src)")
                problems.append(f"{dark}: images still loading after 30 s: {waiting}")
            broken = page.evaluate(BROKEN_IMAGES)
            if broken:
                problems.append(f"{dark}: images that did not load: {broken[:3]}")
            problems += figure_text_problems(page, site_dir, site_url, dark, viewport)
            problems += [f"{dark}: axe: {v}" for v in axe_violations(page, AXE_RULES[viewport, "dark"])]
        where = f"{path} ({viewport})"
        if errors:  # as the page loaded, as the reader scrolled (a late block, an explorable's data) or switched
            problems.append(f"{where}: console errors: {errors[:3]}")
        outside = [u for u in requests if not u.startswith(site_url)]
        if outside:
            problems.append(f"{where}: requests outside the site: {outside[:3]}")
    except BaseException:
        page.close()  # in whatever state it was left: the next page opens in a tab of its own
        raise
    assert not problems, "\n".join(problems)


def test_axe_still_finds_a_kind_of_code_token_hard_to_read_in_either_scheme(site_url, contexts):
    """Of the code's tokens axe checks one of each look (:data:`REPEATED_TOKENS_AS_TEXT`): a kind of
    token made pale in the light scheme, and another dark in the dark one, is still found, each in its
    scheme only."""
    page, _, _ = open_page(contexts("light", "desktop"), site_url + "llms/tokens/")
    try:
        scroll_through(page)
        assert page.evaluate("document.querySelectorAll('article pre span.n').length") > 10
        page.add_style_tag(
            content='[data-md-color-scheme="default"] .highlight .kn { color: #ddd !important }'
            '[data-md-color-scheme="slate"] .highlight .n { color: #333 !important }'
        )
        found = [v for v in axe_violations(page, AXE_RULES["desktop", "light"]) if v.startswith("color-contrast")]
        assert len(found) == 1 and " > .kn" in found[0] and " > .n" not in found[0], found
        assert page.evaluate(TOGGLE) == SCHEMES["dark"]
        page.evaluate(FORGET_SCHEME)
        found = [v for v in axe_violations(page, AXE_RULES["desktop", "dark"]) if v.startswith("color-contrast")]
        assert len(found) == 1 and " > .n" in found[0] and " > .kn" not in found[0], found
    finally:
        page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_text_stays_put_when_the_formula_fonts_arrive_after_the_first_paint(site_url, browser, viewport):
    """A reader on a slow connection sees the page before KaTeX's fonts arrive; guide_build.katex
    gives each piece of a formula its final width, so the prose does not wrap again when they do.
    The glossary (formulas in nearly every line of the first screen) and the formula sheet."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], service_workers="block")
    held = []
    context.route("**/*.woff2", lambda route: held.append(route))
    try:
        for path in ["glossary/", "formulas/"]:
            page = context.new_page()
            page.add_init_script(LAYOUT_SHIFT)
            page.goto(site_url + path, wait_until="commit")
            page.wait_for_function("performance.getEntriesByType('paint').length > 0")
            page.wait_for_timeout(200)  # a few frames drawn in the fallback font
            assert held, f"{path}: no KaTeX font was requested"
            while held:
                held.pop().continue_()
            page.evaluate("document.fonts.ready.then(() => new Promise(done => requestAnimationFrame(done)))")
            assert page.evaluate("[...document.fonts].every(font => font.status !== 'loading')"), path
            shift = page.evaluate("window.layoutShift")
            assert shift <= 0.01, f"{path} ({viewport}): the text shifts by {shift:.3f} when the fonts arrive"
            page.close()
    finally:
        context.close()


def test_blocks_far_below_are_drawn_when_the_reader_scrolls_near_them(site_url, contexts):
    """hooks/late_drawing.py marks them, extra.css defers them: not drawn at load, drawn on the way."""
    page, _, _ = open_page(contexts("light", "phone"), site_url + "diffusion/sampling/")
    try:
        # An element inside a deferred block is hidden until the block is drawn.
        drawn = "el => el.checkVisibility({contentVisibilityAuto: true})"
        far = page.locator("article > p[data-draw-late] > *").last  # in a paragraph: shown once drawn
        code = page.locator("article > .highlight[data-draw-late] code > *").last
        first = page.locator("article > :first-child")
        assert first.evaluate(drawn), "the first screen is drawn at once"
        assert not far.evaluate(drawn), "a block far below the first screen is drawn at load"
        assert not code.evaluate(drawn), "the code of a block far below the first screen is drawn at load"
        for block in (far, code):
            block.scroll_into_view_if_needed()
            page.wait_for_function(drawn, arg=block.element_handle(), timeout=30_000)
        copy_button = "el => el.closest('pre').querySelector('.md-code__nav .md-code__button') !== null"
        # a bound on waiting, not a speed goal: on a busy machine the observers fire late
        page.wait_for_function(copy_button, arg=code.element_handle(), timeout=30_000)
    finally:
        page.close()
    practice_page = page_url(practice.load()[0].shown_on)
    page, _, _ = open_page(contexts("light", "desktop"), site_url + practice_page)
    try:
        answer = page.locator("article details:has(pre)").first
        # opened as a click on its summary would, but without toggling it: under load a click had
        # left it closed once (a fresh clone's make test), whatever the reason
        answer.evaluate("details => { details.open = true; }")
        code = answer.locator("pre > code").first
        # kept in view, as a reader reading it keeps it: blocks drawn above it while it opens (their
        # real heights replacing the estimates) can push it out of the window before Material sees it
        in_view = "el => { el.scrollIntoView({block: 'center'}); return true; }"
        kept_in_view_has_button = f"el => ({in_view})(el) && ({copy_button})(el)"
        try:
            page.wait_for_function(kept_in_view_has_button, arg=code.element_handle(), timeout=30_000)
        except Exception:  # say what the reader would see
            seen = code.evaluate(
                "el => [el.checkVisibility({contentVisibilityAuto: true}), innerHeight, "
                "Math.round(el.getBoundingClientRect().top)]"
            )
            pytest.fail(
                f"{practice_page}: no copy button on an opened answer's code; [drawn, window height, top]: {seen}"
            )
    finally:
        page.close()


def test_glossary_tooltip_on_keyboard_focus(site_url, contexts):
    """javascripts/glossary-tooltips.js: nothing is set up before a term is used; a focused term
    shows its definition, is described by it, and Escape hides it; the term keeps its title."""
    page, _, _ = open_page(contexts("light", "desktop"), site_url + "llms/tokens/")
    try:
        assert page.locator(".md-tooltip2").count() == 0, "a tooltip was built before any term was used"
        page.keyboard.press("Tab")
        focused_term = "document.activeElement.matches('a.glossary-term')"
        for _ in range(200):  # tab through the page until a glossary term (its link) has the focus
            if page.evaluate(focused_term):
                break
            page.keyboard.press("Tab")
        assert page.evaluate(focused_term), "no glossary term is reachable by Tab"
        term = page.evaluate_handle("document.activeElement.querySelector('abbr')").as_element()
        definition = tooltips()[term.text_content()]
        tooltip = page.locator(".md-tooltip2--active")
        tooltip.wait_for(state="visible", timeout=3000)
        assert tooltip.inner_text().strip() == definition
        described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
        assert described == tooltip.get_attribute("id"), "the focused link is not described by the definition"
        page.keyboard.press("Escape")
        page.wait_for_function("document.querySelectorAll('.md-tooltip2').length === 0", timeout=3000)
        # Dismissed, then hovered while still focused: the definition shows again, and survives.
        term.hover()
        tooltip.wait_for(state="visible", timeout=3000)
        assert tooltip.inner_text().strip() == definition
        page.mouse.move(0, 0)
        page.evaluate("document.activeElement.blur()")
        page.wait_for_function("document.querySelectorAll('.md-tooltip2').length === 0", timeout=3000)
        assert term.get_attribute("title") == definition
        assert page.locator("abbr:is([data-title], [aria-describedby]), a.glossary-term[aria-describedby]").count() == 0
        # Hovering one term, then another: one tooltip, the second term's.
        first, second = page.locator("article abbr[title]").element_handles()[:2]
        definition = second.get_attribute("title")
        first.hover()
        second.hover()
        page.wait_for_function("document.querySelectorAll('.md-tooltip2').length === 1", timeout=3000)
        assert page.locator(".md-tooltip2--active").inner_text().strip() == definition
        # A term hovered and another focused within one frame (a page scrolled under the pointer
        # while tabbing): only the focused one's definition fades in.
        page.mouse.move(0, 0)
        page.wait_for_function("document.querySelectorAll('.md-tooltip2').length === 0", timeout=3000)
        active = page.evaluate(
            """() => new Promise(resolve => {
                const links = document.querySelectorAll('article a.glossary-term');
                links[0].querySelector('abbr').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                links[1].focus();
                requestAnimationFrame(() => requestAnimationFrame(() => resolve(
                    [...document.querySelectorAll('.md-tooltip2--active')].map(t => t.textContent))));
            })"""
        )
        second_term = page.locator("article a.glossary-term").nth(1).locator("abbr")
        assert active == [second_term.get_attribute("data-title")], active
    finally:
        page.close()


def test_a_glossary_term_opens_its_entry_from_the_keyboard(site_url, contexts):
    """A term in the text links to its entry on the glossary page: Enter on the focused term goes there."""
    page, _, _ = open_page(contexts("light", "desktop"), site_url + "diffusion/forward-process/")
    try:
        link = page.locator("article p a.glossary-term").first
        term = link.locator("abbr").inner_text()
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/glossary/#*")
        entry = page.locator(":target")
        assert entry.evaluate("e => e.tagName") == "DT"
        assert term.casefold().rstrip("s") in entry.inner_text().casefold(), (term, entry.inner_text())
    finally:
        page.close()


def test_a_link_made_when_a_chapter_was_one_page_goes_on_to_its_section(site_url, contexts):
    """llms/#the-causal-mask, from before the chapter became a folder of sections, opens the section's
    page at the heading; an anchor the chapter's page still has stays there. So does a question's
    link from when the practice questions were one page."""
    context = contexts("light", "desktop")
    page = context.new_page()
    try:
        page.goto(site_url + "llms/#the-causal-mask")
        page.wait_for_url(site_url + "llms/attention/#the-causal-mask")
        assert page.locator("h2#the-causal-mask").is_visible()
        page.goto(site_url + "diffusion/#in-this-chapter", wait_until="load")
        assert page.url == site_url + "diffusion/#in-this-chapter"
        # a question's link from when the practice questions were one page: on to the page that shows it
        question = next(q for q in practice.load() if q.id == "q-top-p-nucleus")
        page.goto(site_url + "practice/#q-top-p-nucleus")
        page.wait_for_url(site_url + page_url(question.shown_on) + "#q-top-p-nucleus")
        assert page.locator("h2#q-top-p-nucleus").is_visible()
    finally:
        page.close()


def test_glossary_terms_are_underlined_once_and_not_in_headings(site_url, contexts):
    """extra.css: one dotted underline under a term in the text (Material's dotted border would be a
    second line), none under a term in a heading or a link (the link draws its own underline)."""
    page, _, _ = open_page(contexts("light", "desktop"), site_url + "llms/next-token/")
    try:
        lines = """selector => Array.from(document.querySelectorAll(selector)).map(term => {
            const style = getComputedStyle(term);
            return [style.textDecorationLine, style.borderBottomStyle];
        })"""
        in_text = page.evaluate(lines, "article p abbr[title]:not(a:not(.glossary-term) *)")
        in_headings = page.evaluate(lines, "article :is(h1, h2, h3) abbr[title]")
        in_links = page.evaluate(lines, "article p a:not(.glossary-term) abbr[title]")
        assert in_text and in_headings and in_links
        assert set(map(tuple, in_text)) == {("underline", "none")}
        assert set(map(tuple, in_headings)) == {("none", "none")}
        assert set(map(tuple, in_links)) == {("none", "none")}
    finally:
        page.close()


TABLE_STYLE = """() => {
    const properties = ["display", "max-width", "overflow-x", "font-size", "font-weight", "background-color",
        "border-top", "border-right", "border-bottom", "border-left", "border-radius", "padding", "min-width",
        "vertical-align", "text-align", "transition"];
    const table = document.querySelector("article table");
    const copy = table.cloneNode(true);
    copy.removeAttribute("class");  // as Markdown writes it: Material's own rules style it
    table.parentElement.append(copy);
    const style = element => {
        const computed = getComputedStyle(element);
        return properties.map(name => name + ": " + computed.getPropertyValue(name));
    };
    const parts = t => [t, t.querySelector("th"), t.querySelector("td")].map(style);
    const result = {
        ours: parts(table), materials: parts(copy),
        tables: document.querySelectorAll("article table").length - 1,
        wrapped: document.querySelectorAll(
            "article .md-typeset__scrollwrap[tabindex='0'] > .md-typeset__table > table.guide-table").length,
        twice: document.querySelectorAll("article .md-typeset__table .md-typeset__scrollwrap").length,
    };
    copy.remove();
    return result;
}"""


@pytest.mark.parametrize("scheme, viewport", [("light", "desktop"), ("dark", "phone")])
def test_tables_keep_materials_look_without_its_script_moving_them(site_url, contexts, scheme, viewport):
    """guide_build.tables writes each table in Material's scrolling box with the class guide-table, so
    that Material's script does not move it as the page loads; extra.css copies Material's table rules
    for the class. The same table without the class, styled by Material's own rules, looks the same."""
    page, _, _ = open_page(contexts(scheme, viewport), site_url + "mistakes/")
    try:
        found = page.evaluate(TABLE_STYLE)
        assert found["tables"] >= 1 and found["wrapped"] == found["tables"] and found["twice"] == 0, found
        for part, ours, materials in zip(("table", "th", "td"), found["ours"], found["materials"], strict=True):
            assert ours == materials, f"{part}: {sorted(set(ours) ^ set(materials))}"
    finally:
        page.close()


def test_search_works_offline(site_url, contexts):
    """Search finds pages with no network; the index is fetched when the reader opens search, not
    with the page (main.html holds Material's request back)."""
    page, requests, _ = open_page(contexts("light", "desktop"), site_url)
    try:
        page.wait_for_timeout(500)
        assert not [u for u in requests if u.endswith("search_index.json")], "the index came with the page"
        page.locator("input.md-search__input").click()
        page.keyboard.type("denoising", delay=30)  # Material searches on key events
        results = page.locator(".md-search-result__item a")
        results.first.wait_for(timeout=10_000)
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any("diffusion/" in href for href in hrefs), hrefs
        assert all(u.startswith(site_url) for u in requests)
    finally:
        page.close()


def test_a_page_opened_from_a_search_result_highlights_the_words(site_url, contexts):
    """Material marks the searched words on the page a result opens (search.highlight): that page
    asks for the index at once."""
    page, requests, _ = open_page(contexts("light", "desktop"), site_url + "llms/next-token/?h=softmax")
    try:
        page.locator("article mark").first.wait_for(timeout=10_000)
        assert page.locator("article mark").first.inner_text().casefold() == "softmax"
        assert [u for u in requests if u.endswith("search_index.json")]
    finally:
        page.close()


@pytest.mark.parametrize("opens", ["shortcut", "header-button"])
def test_search_index_loads_when_search_opens_from_the_keyboard_or_a_phones_header(site_url, contexts, opens):
    viewport = "desktop" if opens == "shortcut" else "phone"
    page, requests, _ = open_page(contexts("light", viewport), site_url + "llms/")
    try:
        if opens == "shortcut":
            page.keyboard.press("/")  # Material's shortcut: focuses the search field
        else:
            page.locator("label.md-header__button[for=__search]").click()
        page.keyboard.type("softmax", delay=30)
        page.locator(".md-search-result__item a").first.wait_for(timeout=10_000)
        assert [u for u in requests if u.endswith("search_index.json")]
    finally:
        page.close()


@pytest.fixture
def own_context(browser):
    """A light desktop context of the test's own: the colour it stores reaches no other test."""
    options = {"color_scheme": "light", "viewport": VIEWPORTS["desktop"]}
    context = browser.new_context(**options)
    OPTIONS[context] = options
    yield context
    OPTIONS.pop(context)
    context.close()


def test_colour_toggle_switches_and_persists(site_url, own_context):
    page, _, _ = open_page(own_context, site_url)
    try:
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
        page.locator("form[data-palette-toggle] label:visible").first.click()
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        page.goto(site_url + "glossary/", wait_until="networkidle")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background != "rgb(255, 255, 255)", "the dark scheme should have a dark background"
        assert page.evaluate("document.querySelector('meta[name=color-scheme]').content") == "dark"
        page.locator("form[data-palette-toggle] label:visible").first.click()
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
        assert page.evaluate("document.querySelector('meta[name=color-scheme]').content") == "light"
    finally:
        page.close()


SCHEME_SHOWN = """() => ({
    scheme: document.body.getAttribute('data-md-color-scheme'),
    meta: document.querySelector('meta[name=color-scheme]').content,
    toggle: Array.from(document.querySelectorAll('form[data-palette-toggle] label'))
        .filter(label => !label.hidden).map(label => label.title),
    stored: Object.keys(localStorage).filter(key => key.endsWith('.__palette')),
})"""


SCHEME_WHEN_CONTENT_ARRIVES = """
new MutationObserver((records, observer) => {
    if (document.querySelector('.md-container')) {
        window.schemeWhenContentArrived = document.body.getAttribute('data-md-color-scheme');
        observer.disconnect();
    }
}).observe(document, {childList: true, subtree: true});
"""
"""Records the body's colour scheme when the parser inserts the page below the header."""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_colour_scheme_follows_the_system_before_materials_script_runs(site_url, browser, scheme):
    """The scheme is set right after the header is parsed, before any of the page below it exists,
    so no paint of the content has the wrong scheme, and it does not need Material's script: with
    the bundle blocked, a reader whose system prefers dark still gets the dark page, and the toggle
    offers the other scheme. Nothing is stored until the reader chooses."""
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORTS["phone"])
    try:
        context.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
        page = context.new_page()
        page.add_init_script(SCHEME_WHEN_CONTENT_ARRIVES)
        page.goto(site_url + "diffusion/forward-process/", wait_until="load")
        other = "light" if scheme == "dark" else "dark"
        assert page.evaluate("window.schemeWhenContentArrived") == SCHEMES[scheme]
        assert page.evaluate(SCHEME_SHOWN) == {
            "scheme": SCHEMES[scheme],
            "meta": scheme,
            "toggle": [f"Switch to {other} mode"],
            "stored": [],
        }
    finally:
        context.close()


def test_colour_toggle_works_from_the_keyboard_and_colours_the_browser_bar(site_url, own_context):
    page, _, _ = open_page(own_context, site_url)
    try:
        page.focus("#__palette_0")
        page.keyboard.press("Enter")
        assert page.evaluate(SCHEME_SHOWN)["scheme"] == "slate"
        assert page.evaluate("document.activeElement.id") == "__palette_1"
        page.keyboard.press("Enter")
        shown = page.evaluate(SCHEME_SHOWN)
        assert (shown["scheme"], shown["toggle"], len(shown["stored"])) == ("default", ["Switch to dark mode"], 1)
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        assert page.evaluate("document.querySelector('meta[name=theme-color]').content") == header
    finally:
        page.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_print_media_hides_navigation_and_prints_black_on_white(site_url, contexts, scheme):
    page, _, _ = open_page(contexts(scheme, "desktop"), site_url + "diffusion/forward-process/")
    try:
        scroll_through(page)  # Material gives each code block its copy button as it comes into view
        page.emulate_media(media="print")
        chrome = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".handout-links"]
        shown = page.evaluate(
            """selectors => selectors.map(selector => {
                const elements = Array.from(document.querySelectorAll(selector));
                return [selector, elements.length, elements.filter(e => e.checkVisibility()).length];
            })""",
            [*chrome, ".md-code__nav"],
        )
        assert all(count for _, count, _ in shown), f"not on the page, so not checked: {shown}"
        visible = [(selector, seen) for selector, _, seen in shown if seen]
        assert not visible, f"visible when printing (selector, how many): {visible}"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") in ("rgb(255, 255, 255)", "#ffffff")
        text = page.evaluate("getComputedStyle(document.querySelector('article p')).color")
        channels = [int(c) for c in re.findall(r"\d+", text)[:3]]
        assert max(channels) < 90, f"body text prints as {text}, not black"
        shown = page.evaluate(
            "Array.from(document.querySelectorAll('figure.guide-figure img'))"
            ".filter(i => i.checkVisibility()).map(i => i.src.split('#')[1])"
        )
        assert shown and set(shown) == {"only-light"}, shown
    finally:
        page.close()


def test_an_admonitions_title_bar_spans_its_box(site_url, contexts):
    """The title of a note or warning is a paragraph, which extra.css caps near 75 characters for
    reading; its coloured bar still spans the box."""
    page, _, _ = open_page(contexts("light", "desktop"), site_url + "generative-ai/")
    try:
        widths = page.evaluate(
            """() => Array.from(document.querySelectorAll('.admonition > .admonition-title')).map(title =>
                [title.getBoundingClientRect().width, title.parentElement.clientWidth])"""
        )
        assert widths, "no admonition on the page"
        short = [(bar, box) for bar, box in widths if abs(bar - box) > 1]
        assert not short, f"title bars narrower than their box (bar, box): {short}"
    finally:
        page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_titled_blocks_copy_button_sits_in_its_title_bar(site_url, contexts, viewport):
    """Material puts a code block's copy button over the top right of the code, where a line as wide
    as the box runs under it (the output of classifier_free_guidance.py at both widths); extra.css
    moves it into the block's title bar, whose text wraps before it."""
    page, _, _ = open_page(contexts("light", viewport), site_url + "image-generators/")
    try:
        page.evaluate("document.querySelectorAll('article details').forEach(folded => { folded.open = true; })")
        scroll_through(page)  # Material adds the buttons as the blocks come into view
        placed = page.evaluate(
            """() => Array.from(document.querySelectorAll('article .highlight > span.filename + pre')).map(pre => {
                const bar = pre.previousElementSibling.getBoundingClientRect();
                const nav = pre.querySelector(':scope > .md-code__nav');
                if (!nav) return [pre.previousElementSibling.textContent, 'no copy button'];
                const button = nav.getBoundingClientRect(), text = document.createRange();
                text.selectNodeContents(pre.previousElementSibling);
                const inside = button.top >= bar.top && button.bottom <= bar.bottom && button.right <= bar.right;
                const clear = Array.from(text.getClientRects()).every(line => line.right <= button.left);
                return [pre.previousElementSibling.textContent, inside && clear ? 'ok' : 'over the code or title'];
            })"""
        )
        assert {title for title, _ in placed} >= {"Output", "snippets/diffusion/classifier_free_guidance.py"}
        misplaced = [(title, problem) for title, problem in placed if problem != "ok"]
        assert not misplaced, misplaced
    finally:
        page.close()


def test_formulas_print_with_their_own_spacing(site_url, contexts):
    """On paper a formula's pieces are as wide as what they hold: the width each piece gets on screen
    (guide_build.katex) would leave a gap after every subscript print.css narrows, and push the next
    symbol onto it."""
    page, _, _ = open_page(contexts("light", "desktop"), site_url + "formulas/")
    try:
        page.emulate_media(media="print")
        off = page.evaluate(
            """() => Array.from(document.querySelectorAll('.katex-html .katex-base')).flatMap(piece => {
                const given = piece.getBoundingClientRect().width;
                piece.style.setProperty('width', 'min-content', 'important');  // KaTeX's own
                const own = piece.getBoundingClientRect().width;
                return Math.abs(given - own) > 0.5 ? [[piece.textContent.slice(0, 30), given, own]] : [];
            })"""
        )
        assert page.evaluate("document.querySelectorAll('.katex-html .katex-base').length") > 100
        assert not off, f"{len(off)} printed formula pieces wider or narrower than what they hold: {off[:5]}"
    finally:
        page.close()


def test_practice_answers_back_and_remembers(site_url, own_context):
    """javascripts/practice.js: a right number in any written form is marked right, a known slip gets
    its hint, each choice shows its own explanation, progress survives a reload and can be forgotten,
    in the table of the first Practice page; the answers come from the bank (guide_build.practice),
    and nothing is fetched from elsewhere."""
    questions = {q.id: q for q in practice.load()}
    loss = practice.answers(questions["q-cross-entropy-one-token"])[0]["answer"]
    page, requests, errors = open_page(
        own_context, site_url + page_url(questions["q-cross-entropy-one-token"].shown_on)
    )

    def form_of(question: str):
        """The question's self-check, once practice.js answers in it."""
        page.locator(f"#{question}").scroll_into_view_if_needed()
        page.wait_for_selector(f".self-check[data-question={question}].self-check--live", timeout=5000)
        return page.locator(f".self-check[data-question={question}]")

    try:
        assert {questions[q].shown_on for q in ("q-kv-cache-saves", "q-softmax-temperature")} == {
            questions["q-cross-entropy-one-token"].shown_on
        }, "the test reads these three questions on one page"
        form = form_of("q-cross-entropy-one-token")
        field, feedback = form.locator("input"), form.locator(".self-check__feedback")
        for written in (f"{loss:.3f}", "ln(10/3)", "-ln 0.3", "ln10 - ln3", "1.204 nats"):
            field.fill(written)
            field.press("Enter")
            assert feedback.inner_text().strip() == "Right.", f"{written!r} was not read as {loss:.3f}"
        kv = practice.answers(questions["q-kv-cache-saves"])[0]["answer"]
        kv_field = form_of("q-kv-cache-saves").locator("#q-kv-cache-saves-0")
        for written in (f"{kv:,.0f}", f"{kv:.0f}", "100*101/2"):  # a comma separates thousands
            kv_field.fill(written)
            kv_field.press("Enter")
            mark = page.locator(".self-check[data-question=q-kv-cache-saves] .self-check__mark").first
            assert mark.inner_text() == "right", f"{written!r} was not read as {kv:.0f}"
        field.fill(f"{-math.log10(0.3):.3f}")
        form.locator("button").click()
        assert "base-10 logarithm" in feedback.inner_text(), "the base-10 slip got no hint"
        assert feedback.locator(".self-check__summary").inner_text() == "Not right."
        assert form.locator(".self-check__mark").inner_text() == "not right"

        choice = questions["q-softmax-temperature"].parts[2]
        form = form_of("q-softmax-temperature")
        for index, option in enumerate(choice.choices):
            form.locator(f"#q-softmax-temperature-2-{index}").check()
            form.locator("button").click()
            shown = form.locator(".self-check__note").last.inner_text()
            assert plain_text(option.why)[:40] in shown, f"choice {index} showed {shown!r}"

        page.goto(site_url + page_url(questions["q-time-to-generate-images"].shown_on))
        field = form_of("q-time-to-generate-images").locator("#q-time-to-generate-images-0")
        field.fill("4")
        page.locator("#q-time-to-generate-images-1").fill("48")
        field.press("Enter")

        def right_so_far() -> int:  # the chapters' counts in the table of all questions, added up
            return sum(int(text.split(" of ")[0]) for text in page.locator(".practice-progress").all_inner_texts())

        page.goto(site_url + "practice/")
        assert right_so_far() == 2  # the cross-entropy and the time to generate images
        page.reload()
        assert right_so_far() == 2, "progress lost on reload"
        page.get_by_role("button", name="Forget my answers").click()
        assert right_so_far() == 0
        assert not errors, errors
        outside = [url for url in requests if not url.startswith(site_url)]
        assert not outside, f"requests outside the site: {outside}"
    finally:
        page.close()


def test_practice_by_keyboard_alone_with_feedback_that_axe_accepts(site_url, desktop_or_phone):
    """A reader with a keyboard alone, at the desktop (light) and on a phone (dark): a field, its Check
    button and a choice group are reached by typing, Tab and the arrow keys, show their focus and
    answer back (the slip's hint, the chosen choice's explanation); axe finds nothing in the two
    answered questions, their feedback and marks included."""
    questions = {q.id: q for q in practice.load()}
    assert questions["q-cross-entropy-one-token"].shown_on == questions["q-softmax-temperature"].shown_on
    page, requests, errors = open_page(
        desktop_or_phone, site_url + page_url(questions["q-softmax-temperature"].shown_on)
    )

    def live(question: str):
        page.locator(f"#{question}").scroll_into_view_if_needed()
        page.wait_for_selector(f".self-check[data-question={question}].self-check--live", timeout=5000)
        return page.locator(f".self-check[data-question={question}]")

    def focused_shows_it(name: str) -> None:
        assert page.locator(":focus").evaluate(SEEN_FOCUS), f"{name} does not show that it has the focus"

    try:
        form = live("q-cross-entropy-one-token")
        form.locator("input").focus()
        focused_shows_it("the answer field")
        page.keyboard.type(f"{-math.log10(0.3):.3f}")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Check"
        focused_shows_it("the Check button")
        page.keyboard.press("Enter")
        assert "base-10 logarithm" in form.locator(".self-check__feedback").inner_text(), "no hint for the slip"

        choice = questions["q-softmax-temperature"].parts[2]
        form = live("q-softmax-temperature")
        form.locator("#q-softmax-temperature-2-0").focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")  # the next choice of the group, chosen
        assert form.locator("#q-softmax-temperature-2-1").is_checked()
        focused_shows_it("a choice")
        page.keyboard.press("Tab")
        assert form.locator("button").evaluate("button => button === document.activeElement")
        page.keyboard.press("Enter")
        shown = form.locator(".self-check__note").last.inner_text()
        assert plain_text(choice.choices[1].why)[:40] in shown, f"choice 1 showed {shown!r}"

        answered = [[f".self-check[data-question={q}]"] for q in ("q-cross-entropy-one-token", "q-softmax-temperature")]
        assert axe(page, {"include": answered, "exclude": [[".katex-html"]]}) == []
        assert not errors, errors
        assert {urlparse(url).hostname for url in requests} == {"127.0.0.1"}
    finally:
        page.close()


def test_practice_without_javascript_and_on_paper_is_the_plain_question(site_url, browser, own_context):
    """Without JavaScript a question shows its text and lettered choices and no field, and its collapsed
    answer opens; printed after answering, no field, button, choice control or progress shows."""
    question = next(q for q in practice.load() if q.id == "q-softmax-temperature")
    letters = [len(part.choices) for part in question.parts if part.kind == "choice"]
    without_script = browser.new_context(java_script_enabled=False)
    try:
        page = without_script.new_page()
        page.goto(site_url + page_url(question.shown_on))
        section = page.locator(".self-check[data-question=q-softmax-temperature] .choices").first
        section.scroll_into_view_if_needed()  # far down the page: drawn when the reader gets there
        assert section.is_visible() and section.locator("li").count() == letters[0]
        assert page.locator("article .self-check input:visible").count() == 0
        answer = page.locator("#q-softmax-temperature ~ details.success").first
        assert answer.get_attribute("open") is None
        answer.locator("summary").click()
        assert answer.get_attribute("open") is not None and answer.locator(".choice-explanations").first.is_visible()
    finally:
        without_script.close()
    page, _, _ = open_page(own_context, site_url + page_url(question.shown_on))
    try:
        page.locator("#q-softmax-temperature").scroll_into_view_if_needed()
        page.wait_for_selector(".self-check[data-question=q-softmax-temperature].self-check--live", timeout=5000)
        page.locator("#q-softmax-temperature-2-1").check()
        page.emulate_media(media="print")
        for control in ("input", "button", "textarea", "select", ".practice-progress", ".self-check__feedback"):
            assert page.locator(f"article {control}:visible").count() == 0, f"{control} printed"
        assert page.locator("#q-softmax-temperature").is_visible()
        choices = page.locator(".self-check[data-question=q-softmax-temperature] .choices").first
        assert choices.locator("li:visible").count() == letters[0]
    finally:
        page.close()


TYPOGRAPHY = """() => {
    const article = document.querySelector("article");
    const title = getComputedStyle(article.querySelector("h1"));
    const text = article.querySelector(":scope > p");
    const sample = document.createElement("span");  // the width of an average lower-case letter
    sample.textContent = "abcdefghijklmnopqrstuvwxyz ".repeat(4);
    sample.style.whiteSpace = "nowrap";  // one line, whatever the paragraph's width
    text.append(sample);
    const letter = sample.getBoundingClientRect().width / sample.textContent.length;
    sample.remove();
    const answer = article.querySelector("details.success");
    answer.open = true;
    return {
        weight: +title.fontWeight, titleColour: title.color, textColour: getComputedStyle(text).color,
        letters: text.getBoundingClientRect().width / letter,
        answerSize: getComputedStyle(answer.querySelector("p")).fontSize, textSize: getComputedStyle(text).fontSize,
        answerTitle: answer.querySelector("summary").textContent.trim(),
    };
}"""
"""The page title's weight and colour, the running text's colour, size and letters per line, and the
first worked answer's text size and title, opened."""


def test_titles_are_bold_lines_near_75_letters_and_answers_at_the_text_size(site_url, own_context):
    page, _, _ = open_page(own_context, site_url + page_url(practice.load()[0].shown_on))
    try:
        found = page.evaluate(TYPOGRAPHY)
        assert found["weight"] >= 700 and found["titleColour"] == found["textColour"], found
        assert 60 <= found["letters"] <= 85, f"{found['letters']:.0f} letters to a line of running text"
        assert found["answerSize"] == found["textSize"], found  # answers at body size, not Material's 12.8 px
        assert found["answerTitle"] == "Answer", found
    finally:
        page.close()


def test_the_worksheet_page_prints_the_chosen_questions_with_the_chosen_seed(site_url, own_context):
    """javascripts/worksheet.js: the ticked questions, numbered 1, 2 … in order, with the numbers of
    the chosen seed (the same as ``make worksheet``, guide_build.practice) in the chosen edition; on
    paper the worksheet alone; a seed whose file does not come keeps the numbers shown, and says so."""
    questions = {q.id: q for q in practice.load()}
    chosen = ["q-pixels-and-token-ids", "q-noising-one-value", "q-cross-entropy-one-token"]  # the nav's order
    loss = {seed: practice.answers(questions[chosen[2]], seed)[0]["answer"] for seed in (0, 7)}
    assert f"{loss[0]:.3f}" != f"{loss[7]:.3f}", "seed 7 should change the first question's numbers"
    page, requests, errors = open_page(own_context, site_url + "worksheet/")
    sheet, status = page.locator(".worksheet-sheet"), page.locator(".worksheet-status")
    shown = page.locator(".worksheet-question:not([hidden])")
    loss_question = page.locator(f".worksheet-question[data-question={chosen[2]}]")
    try:
        page.get_by_role("button", name="Untick all").click()
        assert shown.count() == 0 and page.get_by_role("button", name="Print").is_disabled()
        assert status.inner_text() == "0 questions, seed 0, student edition."
        for question in chosen:
            page.locator(f"input[value={question}]").check()
        page.select_option("#worksheet-seed", "7")
        page.wait_for_function("document.querySelector('.worksheet-seed').textContent === '7'", timeout=5000)
        assert status.inner_text() == "3 questions, seed 7, student edition."
        assert not RAW_LATEX.search(visible_text_without_code(page)), "a formula of seed 7 was not typeset"
        titles = [practice.render_text(questions[q].title, questions[q], 0, "title") for q in chosen]
        headings = [text.rstrip("¶").strip() for text in shown.locator("h3").all_inner_texts()]
        assert headings == [f"Question {n}: {title}" for n, title in enumerate(titles, 1)]
        assert shown.locator(".answer-space:visible").count() == 3
        assert shown.locator(".admonition:visible").count() == 0, "the student edition shows answers"
        assert sheet.locator("h2").inner_text().startswith("Worksheet: Student edition"), "a student sees the seed"
        calls = questions["q-model-calls-for-a-reply"]
        label = page.locator("input[value=q-model-calls-for-a-reply] + span").inner_text()
        assert label == practice.render_text(calls.title, calls, 7, "title"), "the list keeps seed 0's title"

        page.get_by_label("Answer key").check()
        assert sheet.locator("h2").inner_text().startswith("Worksheet, seed 7: Answer key")
        text = loss_question.inner_text()
        assert f"{loss[7]:.3f}" in text and f"{loss[0]:.3f}" not in text, text
        assert shown.locator(".answer-space:visible").count() == 0
        page.emulate_media(media="print")
        printed = page.evaluate("""() => Array.from(document.querySelector('.md-content__inner').children)
            .filter(e => getComputedStyle(e).display !== 'none').map(e => e.className)""")
        assert printed == ["worksheet-sheet"], printed
        page.emulate_media(media="screen")

        page.route("**/seed-3.html", lambda route: route.abort())
        page.select_option("#worksheet-seed", "3")
        page.wait_for_function("document.querySelector('#worksheet-seed').value === '7'", timeout=5000)
        assert "could not be loaded" in status.inner_text() and f"{loss[7]:.3f}" in loss_question.inner_text()
        page.select_option("#worksheet-seed", "0")
        assert f"{loss[0]:.3f}" in loss_question.inner_text()
        errors = [e for e in errors if "seed-3.html" not in e and "ERR_FAILED" not in e]
        assert not errors, errors
        outside = [url for url in requests if not url.startswith(site_url)]
        assert not outside, f"requests outside the site: {outside}"
    finally:
        page.close()
    without_script = own_context.browser.new_context(java_script_enabled=False)
    try:
        page = without_script.new_page()
        page.goto(site_url + "worksheet/")
        assert page.locator(".worksheet-nojs").is_visible() and not page.locator(".worksheet-controls").is_visible()
        assert page.locator(".worksheet-question .answer-space:visible").count() == len(questions)
    finally:
        without_script.close()


def test_explorables_without_javascript_show_their_drawn_figures(site_url, site_pages, browser):
    """A reader without JavaScript gets each explorable's drawn figure (loaded) and its caption, and
    none of its controls."""
    pages = {path.removesuffix("index.html"): text.count("data-explorable=") for path, text in site_pages.items()}
    pages = {path: count for path, count in pages.items() if count}
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for path, count in pages.items():
            page.goto(site_url + path, wait_until="load")
            figures = page.locator("figure[data-explorable]")
            assert figures.count() == count, path
            for figure in figures.all():
                name = f"{path}#{figure.get_attribute('id')}"
                figure.scroll_into_view_if_needed()
                image = figure.locator("img").first
                assert image.is_visible() and figure.locator("figcaption").is_visible(), name
                image.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done))")
                assert image.evaluate("img => img.naturalWidth") > 0, f"{name}: the drawn figure did not load"
                assert not figure.locator(".explorable").is_visible(), f"{name}: controls without their script"
    finally:
        context.close()
    assert sum(pages.values()) >= 5


def test_an_explorable_is_dimmed_and_busy_until_its_numbers_arrive(site_url, browser):
    """While its data is on its way (a slow connection), an explorable's controls show placeholders:
    the figure says it is busy and the controls are dimmed and take no pointer; when the data arrives
    both go, and the readout is written."""
    context = browser.new_context()
    held = []
    try:
        context.route("**/figures/causal-attention.json", lambda route: held.append(route))
        page = context.new_page()
        page.goto(site_url + "llms/attention/", wait_until="load")
        figure = page.locator("#figure-causal-attention")
        figure.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('#figure-causal-attention').ariaBusy === 'true'")
        for _ in range(200):  # the request reaches the route handler while Playwright waits
            if held:
                break
            page.wait_for_timeout(50)
        assert held, "the figure's data was not asked for within 10 s"
        controls = figure.locator(".explorable")
        assert controls.evaluate("e => [getComputedStyle(e).opacity, getComputedStyle(e).pointerEvents]") == [
            "0.4",
            "none",
        ]
        held[0].continue_()
        page.wait_for_function("document.querySelector('#figure-causal-attention').ariaBusy === null")
        assert controls.evaluate("e => getComputedStyle(e).opacity") == "1"
        assert figure.locator(".explorable__readout").inner_text() != ""
    finally:
        context.close()


def reach_explorable(page, name: str):
    """Scroll to the explorable figure ``name`` and wait until its data has arrived (its readout
    is written); return the figure and its readout."""
    figure = page.locator(f"#figure-{name}")
    figure.scroll_into_view_if_needed()
    page.wait_for_function(f"document.querySelector('#figure-{name} .explorable__readout').textContent !== ''")
    return figure, figure.locator(".explorable__readout")


CANVAS_BYTES = """name => {
    const canvas = document.querySelector(`#figure-${name} canvas`);
    const bytes = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let text = "";
    for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return btoa(text);
}"""
"""The RGBA bytes of an explorable figure's canvas, in Base64: one string for Playwright to carry
instead of an array of numbers, each of which it would carry as an object of its own."""


def canvas_pixels(page, name: str) -> np.ndarray:
    """The RGBA bytes of the canvas of the explorable figure ``name``, flat, as integers."""
    return np.frombuffer(base64.b64decode(page.evaluate(CANVAS_BYTES, name)), dtype=np.uint8).astype(int)


def shown_number(text: str) -> float:
    """A number as explorables.js writes it: ``0.396``, or ``4.04 × 10⁻⁵`` below 0.001."""
    return float(text.replace(" × 10", "e").translate(SUPERSCRIPTS))


def check_listed(listed: str, names, values, zero: str) -> None:
    """A readout's list, ``'name' value, 'name' value, ...``, against ``names`` and ``values``: each
    value as :func:`shown_number` reads it, within 0.5 %, and a value of 0 written as ``zero``."""
    for name, value, text in zip(names, values, listed.split(", "), strict=True):
        written_name, written = text.split(" ", 1)
        assert written_name == f"'{name}'"
        if value == 0:
            assert written == zero, text
        else:
            assert shown_number(written) == pytest.approx(value, rel=5e-3), text


EXPLORABLE_READINGS = [("light", "desktop"), ("dark", "phone")]


@pytest.fixture(params=EXPLORABLE_READINGS, ids=[f"{s}-{v}" for s, v in EXPLORABLE_READINGS])
def desktop_or_phone(browser, request):
    """A context of the test's own (the colour it stores reaches no other test), light at the desktop
    and dark on a phone asking for reduced motion: each explorable is driven in both."""
    scheme, viewport = request.param
    phone = viewport == "phone"
    options = {"color_scheme": scheme, "viewport": VIEWPORTS[viewport], "is_mobile": phone, "has_touch": phone}
    options["reduced_motion"] = "reduce" if phone else "no-preference"
    context = browser.new_context(**options)
    OPTIONS[context] = options
    yield context
    OPTIONS.pop(context)
    context.close()


SEEN_FOCUS = """control => {
    const seen = () => { const s = getComputedStyle(control);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.backgroundColor, s.boxShadow].join(" "); };
    const focused = seen();
    control.blur();
    const blurred = seen();
    control.focus();
    return focused !== blurred;
}"""
"""Whether the focused ``control`` looks other than when it is not focused (a ring or a fill)."""

MOVING = """figure => Array.from(figure.querySelectorAll(".explorable, .explorable *")).filter(e => {
    const s = getComputedStyle(e);
    return s.animationName !== "none" || s.transitionDuration.split(",").some(d => parseFloat(d) > 0);
}).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""))"""
"""The elements of an explorable that animate or transition."""


def check_quiet_and_printed_drawn(page, figure, requests, errors) -> None:
    """The closing checks of an explorable, its last moved control still focused: the control shows
    its focus, axe finds nothing in the figure in that state, and with reduced motion asked for
    nothing in it moves; no console error, no request outside the site; on paper the drawn
    figure, not the controls."""
    control = page.locator(":focus")
    assert figure.evaluate("(figure, control) => figure.contains(control)", control.element_handle())
    assert control.evaluate(SEEN_FOCUS), f"#{control.get_attribute('id')} does not show that it has the focus"
    # colours as they settle: a button just pressed or let go is still fading to its colours
    figure.evaluate("figure => Promise.all(figure.getAnimations({subtree: true}).map(a => a.finished))")
    assert axe(page, {"include": [[f"#{figure.get_attribute('id')}"]], "exclude": [[".katex-html"]]}) == []
    if page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches"):
        assert figure.evaluate(MOVING) == [], "moves although the reader asked for reduced motion"
    assert not errors, errors
    assert {urlparse(url).hostname for url in requests} == {"127.0.0.1"}
    page.emulate_media(media="print")
    assert not figure.locator(".explorable").is_visible(), "the controls are printed"
    assert figure.locator("img").first.is_visible(), "the drawn figure is not printed"


def test_noise_level_explorable_moves_by_keyboard(site_url, site_dir, desktop_or_phone):
    """javascripts/explorables.js on the diffusion chapter: the slider and the schedule switch, by
    keyboard, show x_t of the photograph and the numbers of the package at that t; the data file the
    page reads is recomputed here with the package; paper and no-JavaScript readers get the drawn
    figure."""
    data = json.loads((site_dir / "figures" / "forward-process-photo.json").read_text(encoding="utf-8"))
    size = data["size"]

    codes = np.frombuffer(base64.b64decode(data["x0"]), dtype=np.uint8).reshape(size, size, 3)
    x0 = diffusion_figures.decode_bytes(codes, 1.0)
    noise = diffusion_figures.seeded_normal(size * size * 3, data["noise_seed"]).reshape(size, size, 3)
    schedules = {"linear": linear_schedule(), "cosine": cosine_schedule()}
    for name, schedule in schedules.items():
        np.testing.assert_allclose(data["schedules"][name], schedule.alpha_bars, rtol=5e-6, atol=0)

    page, requests, errors = open_page(desktop_or_phone, site_url + "diffusion/forward-process/")
    try:
        figure, readout = reach_explorable(page, "forward-process-photo")
        assert not figure.locator("img").first.is_visible(), "the drawn figure shows beside the controls"
        slider = page.locator("#figure-forward-process-photo-t")

        def shown(t: int, schedule: str) -> None:
            """The readout, the slider's spoken value and the canvas at ``t`` against the package."""
            alpha_bar = schedules[schedule].alpha_bar(t)
            signal, noise_weight = signal_and_noise_scales(alpha_bar)
            lines = readout.inner_text().splitlines()
            assert lines[0] == f"t = {t}, {schedule} schedule"
            assert lines[2:4] == [f"signal weight √ᾱₜ = {signal:.2f}", f"noise weight √(1 − ᾱₜ) = {noise_weight:.2f}"]
            assert shown_number(lines[1].removeprefix("ᾱₜ = ")) == pytest.approx(alpha_bar, rel=5e-3), lines[1]
            if t == 0:
                assert lines[4].endswith("= infinite (no noise yet)")
            else:
                snr = alpha_bar / (1 - alpha_bar)
                assert shown_number(lines[4].split(" = ")[-1]) == pytest.approx(snr, rel=5e-3), lines[4]
            assert slider.get_attribute("aria-valuetext").startswith(f"t = {t}, {schedule} schedule; ")
            pixels = canvas_pixels(page, "forward-process-photo").reshape(size, size, 4)[..., :3]
            x_t = forward_diffuse(x0, data["schedules"][schedule][t], noise)
            expected = diffusion_figures.byte_codes(x_t, 1.0).astype(int)
            assert np.abs(pixels - expected).max() <= 1, f"the canvas is not x_t at t = {t} ({schedule})"

        shown(250, "linear")  # where the page opens it
        slider.focus()
        slider.press("Home")
        shown(0, "linear")
        slider.press("End")
        shown(1000, "linear")
        slider.press("ArrowLeft")
        shown(999, "linear")
        slider.press("PageDown")  # a tenth of the range at a time
        shown(899, "linear")
        page.locator("#figure-forward-process-photo-linear").focus()
        page.keyboard.press("ArrowRight")
        assert page.locator("#figure-forward-process-photo-cosine").is_checked()
        shown(899, "cosine")
        check_quiet_and_printed_drawn(page, figure, requests, errors)
    finally:
        page.close()


SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def test_next_token_explorable_moves_by_keyboard(site_url, site_dir, desktop_or_phone):
    """javascripts/explorables.js on the LLM chapter: the temperature, top-k and top-p sliders, moved
    by keyboard, show the distribution diffusion_vs_llms.sampling.next_token_distribution gives for
    the logits in the page's data file, which is what the package's figure module writes."""
    data = json.loads((site_dir / "figures" / "next-token-temperature.json").read_text(encoding="utf-8"))
    assert data == llm_figures.next_token_data()
    page, requests, errors = open_page(desktop_or_phone, site_url + "llms/sampling/")
    try:
        figure, readout = reach_explorable(page, "next-token-temperature")
        assert not figure.locator("img").first.is_visible(), "the drawn figure shows beside the controls"
        sliders = {
            name: page.locator(f"#figure-next-token-temperature-{name}") for name in ("temperature", "top-k", "top-p")
        }

        def shown(temperature: float, top_k: int, top_p: float) -> None:
            expected = next_token_distribution(np.array(data["logits"]), temperature, top_k, top_p)
            settings, listed = readout.inner_text().split(": ", 1)
            assert settings == f"τ = {temperature:g}, top-k = {top_k}, top-p = {top_p:g}"
            check_listed(listed, data["candidates"], expected, "0 (cut)")

        shown(1, 5, 1)
        sliders["top-p"].focus()
        for _ in range(4):  # p = 0.8: the top two (0.63 + 0.23) are the first to reach it
            sliders["top-p"].press("ArrowLeft")
        shown(1, 5, 0.8)
        for _ in range(6):  # p = 0.5: the top token alone reaches it
            sliders["top-p"].press("ArrowLeft")
        shown(1, 5, 0.5)
        sliders["top-p"].press("End")
        sliders["temperature"].focus()
        sliders["temperature"].press("End")
        shown(3, 5, 1)
        sliders["top-k"].focus()
        sliders["top-k"].press("ArrowLeft")
        sliders["top-k"].press("ArrowLeft")
        shown(3, 3, 1)
        sliders["temperature"].focus()
        sliders["temperature"].press("Home")
        shown(0.1, 3, 1)
        assert sliders["top-k"].get_attribute("aria-valuetext") == "3"
        check_quiet_and_printed_drawn(page, figure, requests, errors)
    finally:
        page.close()


def test_generation_explorable_steps_through_the_tiny_models_run_by_keyboard(site_url, site_dir, desktop_or_phone):
    """javascripts/explorables.js on the LLM chapter: the step slider walks through the tiny language
    model's run (the text so far, the character drawn), and the temperature, top-k and top-p sliders
    show the distribution next_token_distribution gives for that step's logits in the data file (which
    tests/test_figures.py recomputes with the package's model)."""
    data = json.loads((site_dir / "figures" / "tiny-lm-generation.json").read_text(encoding="utf-8"))
    vocabulary, size = data["vocabulary"], len(data["vocabulary"])
    page, requests, errors = open_page(desktop_or_phone, site_url + "llms/sampling/")

    def spoken(character: str) -> str:
        return {" ": "space", "\n": "line break"}.get(character, f"'{character}'")

    try:
        figure, readout = reach_explorable(page, "tiny-lm-generation")
        assert not figure.locator("img").first.is_visible(), "the drawn figure shows beside the controls"
        sliders = {
            name: page.locator(f"#figure-tiny-lm-generation-{name}")
            for name in ("step", "temperature", "top-k", "top-p")
        }

        def shown(step: int, temperature: float, top_k: int, top_p: float) -> None:
            logits = np.array(data["logits"][step - 1])
            expected = next_token_distribution(logits, temperature, top_k, top_p)
            drawn = data["drawn"][step - 1]
            context = data["prompt"] + "".join(vocabulary[i] for i in data["drawn"][: step - 1])
            k = f"{top_k} (all)" if top_k == size else str(top_k)
            head, likeliest = readout.inner_text().split(". Likeliest: ")
            start = f"Step {step}, after '{context}': the run drew {spoken(vocabulary[drawn])}"
            assert head.startswith(start) and head.endswith(f" at τ = {temperature:g}, top-k = {k}, top-p = {top_p:g}")
            middle = head.removeprefix(start).split(" at τ = ")[0]
            if expected[drawn] > 0:
                assert shown_number(middle.removeprefix(", probability ")) == pytest.approx(expected[drawn], rel=5e-3)
            else:
                assert middle == ", which these settings would cut"
            order = np.argsort(-logits, kind="stable")[:3]
            for index, text in zip(order, likeliest.removesuffix(".").split(", "), strict=True):
                name, value = text.rsplit(" ", 1) if expected[index] > 0 else text.split(" ", 1)
                assert name == spoken(vocabulary[index])
                if expected[index] > 0:
                    assert shown_number(value) == pytest.approx(expected[index], rel=5e-3), text
                else:
                    assert value == "0 (cut)", text
            assert figure.locator(".explorable__text").inner_text() == context + {" ": "␣", "\n": "↵"}.get(
                vocabulary[drawn], vocabulary[drawn]
            )
            assert sliders["step"].get_attribute("aria-valuetext") == f"{step} of {len(data['drawn'])}"

        shown(1, data["temperature"], size, 1)  # the run's own setting
        sliders["step"].focus()
        for _ in range(6):
            sliders["step"].press("ArrowRight")
        shown(7, data["temperature"], size, 1)
        sliders["top-k"].focus()
        sliders["top-k"].press("Home")  # top-k = 1: greedy, the drawn character may be cut
        shown(7, data["temperature"], 1, 1)
        sliders["top-k"].press("End")
        sliders["temperature"].focus()
        sliders["temperature"].press("End")
        sliders["top-p"].focus()
        for _ in range(10):
            sliders["top-p"].press("ArrowLeft")
        shown(7, 3, size, 0.5)
        sliders["step"].focus()
        sliders["step"].press("End")
        shown(len(data["drawn"]), 3, size, 0.5)
        check_quiet_and_printed_drawn(page, figure, requests, errors)
    finally:
        page.close()


def test_attention_explorable_moves_by_keyboard(site_url, site_dir, desktop_or_phone):
    """javascripts/explorables.js on the LLM chapter: focusing a token shows its attention weights
    over every token, and the checkbox turns the causal mask off and on; the weights are the
    package's (llm_figures.attention_weights), read from the page's data file."""
    data = json.loads((site_dir / "figures" / "causal-attention.json").read_text(encoding="utf-8"))
    assert data == llm_figures.attention_data()
    page, requests, errors = open_page(desktop_or_phone, site_url + "llms/attention/")
    try:
        figure, readout = reach_explorable(page, "causal-attention")
        buttons, mask = figure.locator(".explorable__tokens button"), page.locator("#figure-causal-attention-mask")

        def shown(query: int, causal: bool) -> None:
            weights = llm_figures.attention_weights(causal=causal)[query]
            head, listed = readout.inner_text().split(": ", 1)
            assert head == f"'{llm_figures.SENTENCE[query]}', causal mask {'on' if causal else 'off'}"
            check_listed(listed, llm_figures.SENTENCE, weights, "0 (masked)")
            assert buttons.nth(query).get_attribute("aria-pressed") == "true"

        buttons.first.focus()
        shown(0, True)
        for query in range(1, len(llm_figures.SENTENCE)):
            page.keyboard.press("Tab")
            shown(query, True)
        mask.focus()
        mask.press("Space")
        shown(len(llm_figures.SENTENCE) - 1, False)
        buttons.nth(2).focus()
        shown(2, False)
        mask.focus()
        mask.press("Space")
        shown(2, True)
        check_quiet_and_printed_drawn(page, figure, requests, errors)
    finally:
        page.close()


def test_race_explorable_moves_by_keyboard(site_url, site_dir, desktop_or_phone):
    """javascripts/explorables.js on the side-by-side chapter: each press of the button is one network
    evaluation of both loops; the canvas shows the package's DDIM image after that many steps and the
    text the bigram model's words after as many tokens, read from the page's data file."""
    data = json.loads((site_dir / "figures" / "generation-side-by-side.json").read_text(encoding="utf-8"))
    assert data == comparison_figures.race_data()
    trajectory = comparison_figures.image_trajectory()
    steps = len(trajectory) - 1
    page, requests, errors = open_page(desktop_or_phone, site_url + "comparison/")
    try:
        figure, readout = reach_explorable(page, "generation-side-by-side")
        more = page.locator("#figure-generation-side-by-side-more")

        def shown(evaluations: int) -> None:
            assert readout.inner_text().startswith(f"{evaluations} network evaluation")
            image = diffusion_image_time(evaluations, comparison_figures.SECONDS_PER_STEP) if evaluations else 0
            text = llm_generation_time(evaluations, comparison_figures.SECONDS_PER_TOKEN) if evaluations else 0
            assert readout.inner_text().endswith(f"s per token: image {image:.3g} s, text {text:.3g} s.")
            words = comparison_figures.generated_words(steps)[: evaluations + 1]
            assert figure.locator(".explorable__text").inner_text().split() == words
            pixels = canvas_pixels(page, "generation-side-by-side").reshape(-1, 4)[:, 0]
            expected = diffusion_figures.byte_codes(trajectory[evaluations], 1.0).astype(int)
            assert np.abs(pixels - expected).max() == 0, f"the canvas is not the image after {evaluations} steps"

        shown(0)
        more.focus()
        for evaluations in range(1, steps + 1):
            page.keyboard.press("Enter")
            shown(evaluations)
        assert more.is_disabled()
        assert page.evaluate("document.activeElement.id") == "figure-generation-side-by-side-again"
        page.keyboard.press("Enter")
        shown(0)
        check_quiet_and_printed_drawn(page, figure, requests, errors)
    finally:
        page.close()


def test_denoising_explorable_moves_by_keyboard(site_url, site_dir, desktop_or_phone):
    """javascripts/explorables.js on the diffusion chapter: the step slider and the sampler switch, by
    keyboard, step through the package's DDPM and DDIM runs; the readout gives the timestep, the
    network evaluations so far and the shares near a blob of the data file's frames, and the two
    canvases draw the frame's samples and predictions."""
    data = json.loads((site_dir / "figures" / "reverse-process-2d.json").read_text(encoding="utf-8"))
    assert data == diffusion_figures.denoising_data()
    runs = {run["name"]: run["frames"] for run in data["runs"]}
    page, requests, errors = open_page(desktop_or_phone, site_url + "diffusion/sampling/")
    try:
        figure, readout = reach_explorable(page, "reverse-process-2d")
        assert not figure.locator("img").first.is_visible(), "the drawn figure shows beside the controls"
        slider = page.locator("#figure-reverse-process-2d-step")
        canvases = figure.locator("canvas")

        def shown(run: str, index: int) -> None:
            frame, total = runs[run][index], runs[run][-1]["evaluations"]
            lines = readout.inner_text().splitlines()
            assert lines[:3] == [
                f"{run}, t = {frame['t']}",
                f"{frame['evaluations']} of {total} network evaluations so far",
                f"samples inside a grey circle: {math.floor(100 * frame['near'] + 0.5)} %",
            ], lines
            if frame["t"] > 0:
                near = math.floor(100 * frame["near_x0_hat"] + 0.5)
                assert lines[3] == f"predictions x̂₀ inside a grey circle: {near} %"
            assert slider.get_attribute("aria-valuetext") == f"t = {frame['t']}, {lines[1].removesuffix(' so far')}"
            for canvas, key in zip(canvases.all(), ("x", "x0_hat"), strict=True):
                assert canvas.get_attribute("role") == "img"
                assert f"t = {frame['t']}" in canvas.get_attribute("aria-label")
                codes = np.frombuffer(base64.b64decode(frame[key]), dtype=np.uint8).reshape(-1, 2)
                centres = np.clip(np.stack([codes[:, 0] / 255 * 320, 320 - codes[:, 1] / 255 * 320], 1), 0, 319)
                unpainted = canvas.evaluate(  # the points whose centre pixel the canvas left transparent
                    "(c, centres) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    " return centres.filter(([x, y]) => d[(y * c.width + x) * 4 + 3] === 0); }",
                    centres.astype(int).tolist(),
                )
                assert not unpainted, f"{run} at t = {frame['t']}: {key} lacks points at {unpainted[:3]}"

        shown("DDPM", 0)
        slider.focus()
        for index in range(1, len(runs["DDPM"])):
            page.keyboard.press("ArrowRight")
            shown("DDPM", index)
        page.keyboard.press("Home")
        shown("DDPM", 0)
        page.locator("#figure-reverse-process-2d-DDPM").focus()
        page.keyboard.press("ArrowRight")  # the next radio button: DDIM
        assert page.locator("#figure-reverse-process-2d-DDIM").is_checked()
        shown("DDIM", 0)
        slider.focus()
        page.keyboard.press("End")
        shown("DDIM", len(runs["DDIM"]) - 1)
        assert readout.inner_text().splitlines()[3] == "t = 0: the samples are the output"
        check_quiet_and_printed_drawn(page, figure, requests, errors)
    finally:
        page.close()
