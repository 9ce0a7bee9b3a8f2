"""Glossary: every term is defined, has a tooltip, and the tooltip shows wherever the term appears."""

from __future__ import annotations

import html
import re

import pytest

from tests.helpers import load_hook
from tests.markdown_blocks import ROOT

TOOLTIP_LINE = re.compile(r"^\*\[(?P<form>[^\]]+)\]:\s*(?P<definition>\S.*)$")
REQUIRED_TERMS = [
    # the source sheet's vocabulary
    "diffusion model",
    "large language model",
    "token",
    "autoregressive generation",
    "denoising",
    # terms the guide leans on
    "noise schedule",
    "timestep",
    "logits",
    "softmax",
    "temperature",
    "embedding",
    "context window",
    "latent",
    "u-net",
    "transformer",
]


def tooltips() -> dict[str, str]:
    """Every written form in includes/glossary-tooltips.md and its definition, the file's format checked."""
    entries = {}
    lines = (ROOT / "includes/glossary-tooltips.md").read_text("utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        match = TOOLTIP_LINE.match(line)
        assert match, f"includes/glossary-tooltips.md:{number}: expected '*[term]: definition', got {line!r}"
        assert match["form"] not in entries, f"includes/glossary-tooltips.md:{number}: {match['form']!r} twice"
        # Markdown's abbr extension takes one definition off a paragraph at a time and hands the rest
        # back, so every block processor re-reads a paragraph of n definitions n times, on every page.
        assert number == 1 or not lines[number - 2].strip(), (
            f"includes/glossary-tooltips.md:{number}: put a blank line before {match['form']!r}: "
            "each definition is a paragraph of its own (a block of definitions slows every build)"
        )
        entries[match["form"]] = match["definition"]
    return entries


def glossary_terms(site_pages) -> list[str]:
    page = site_pages["glossary/index.html"]
    return [html.unescape(re.sub(r"<[^>]+>", "", dt)).strip() for dt in re.findall(r"<dt[^>]*>(.*?)</dt>", page, re.S)]


def test_required_terms_are_in_the_glossary(site_pages):
    terms = [t.lower() for t in glossary_terms(site_pages)]
    missing = [r for r in REQUIRED_TERMS if not any(t == r or t.startswith(r + " ") or r in t for t in terms)]
    assert not missing, f"glossary lacks: {missing}"
    assert terms == sorted(terms, key=str.casefold), "glossary terms should be in alphabetical order"


def test_every_glossary_term_has_a_tooltip(site_pages):
    forms = {form.casefold() for form in tooltips()}
    lacking = []
    for term in glossary_terms(site_pages):
        names = [term, *re.findall(r"\(([^)]+)\)", term)]  # "Large language model (LLM)" also offers "LLM"
        names = [re.sub(r"\s*\([^)]*\)", "", n).strip() for n in names]
        if not any(n.casefold() in forms for n in names):
            lacking.append(term)
    assert not lacking, f"glossary terms without a tooltip line in includes/glossary-tooltips.md: {lacking}"


def test_tooltip_definitions_are_plain_and_consistent():
    entries = tooltips()
    for form, definition in entries.items():
        assert 20 <= len(definition) <= 200, f"{form!r}: keep tooltip definitions between 20 and 200 characters"
        assert not re.search(r"[*_`\[\]<>\"]", definition), f"{form!r}: tooltip text must be plain (no Markdown)"
    by_term: dict[str, set[str]] = {}
    for form, definition in entries.items():
        by_term.setdefault(form.casefold(), set()).add(definition)
    assert all(len(d) == 1 for d in by_term.values()), "forms that differ only in case should share one definition"


def _prose(markdown: str) -> str:
    """Markdown without fences, inline code, math, link targets and HTML comments."""
    text = re.sub(r"^(\s*)(`{3,}|~{3,}).*?^\1\2\s*$", "", markdown, flags=re.S | re.M)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", "", text)
    text = re.sub(r"`[^`\n]+`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return text


PAGES = sorted(p for p in (ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("source", PAGES, ids=lambda p: p.name)
def test_terms_in_a_page_carry_their_tooltip(site_pages, source):
    """Every term used in a page's prose shows its definition somewhere on the built page."""
    built = site_pages["index.html" if source.stem == "index" else f"{source.stem}/index.html"]
    shown = {html.unescape(m) for m in re.findall(r"<abbr tabindex=\"0\" title=\"([^\"]+)\">", built)}
    prose = _prose(source.read_text("utf-8"))
    missing = []
    # Longest forms first, as the abbr extension matches them: "diffusion transformer" covers "transformer".
    for form, definition in sorted(tooltips().items(), key=lambda item: len(item[0]), reverse=True):
        pattern = re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")
        if pattern.search(prose) and definition not in shown:
            missing.append(form)
        prose = pattern.sub(" ", prose)
    assert not missing, f"{source.name}: terms without a tooltip on the built page: {missing}"


@pytest.mark.parametrize("source", PAGES, ids=lambda p: p.name)
def test_a_term_has_one_tooltip_per_section(site_pages, source):
    """hooks/glossary_terms.py keeps the first use of a term in each ## section and unwraps the rest."""
    built = site_pages["index.html" if source.stem == "index" else f"{source.stem}/index.html"]
    article = built[built.index("<article") : built.index("</article>")]
    for section in re.split(r"(?=<h2[ >])", article):
        titles = re.findall(r"<abbr tabindex=\"0\" title=\"([^\"]+)\">", section)
        repeated = sorted({t for t in titles if titles.count(t) > 1})
        heading = re.sub(r"<[^>]+>", "", section[: section.find("</h2>")]) if section.startswith("<h2") else "top"
        assert not repeated, f"{source.name}, section {heading!r}: a term carries its tooltip more than once"


def test_later_uses_of_a_term_are_plain_text():
    hook = load_hook("glossary_terms")
    page = (
        '<p><abbr title="A unit of text.">Tokens</abbr> and <abbr title="A unit of text.">token</abbr>.</p>'
        '<h2 id="b">B</h2><p><abbr title="A unit of text.">token</abbr>, <abbr title="Noise.">noise</abbr>,'
        ' <abbr title="Noise.">noise</abbr></p>'
    )
    assert hook.first_uses_only(page) == (
        '<p><abbr title="A unit of text.">Tokens</abbr> and token.</p>'
        '<h2 id="b">B</h2><p><abbr title="A unit of text.">token</abbr>, <abbr title="Noise.">noise</abbr>,'
        " noise</p>"
    )
