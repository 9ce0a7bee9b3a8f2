"""Glossary: one entry per term in includes/glossary.yml gives the glossary page and the tooltips, and
the tooltip shows wherever the term appears."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.utils import meta

from guide_build import glossary
from guide_build.mkdocs import load_config, page_url
from tests.helpers import build_project
from tests.markdown_blocks import ROOT

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
ENTRIES = glossary.load()
PAGES = sorted((ROOT / "docs").rglob("*.md"))


def _prose(markdown: str) -> str:
    """Markdown without fences, inline code, math, link targets and HTML comments."""
    text = re.sub(r"^(\s*)(`{3,}|~{3,}).*?^\1\2\s*$", "", markdown, flags=re.S | re.M)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", "", text)
    text = re.sub(r"`[^`\n]+`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return text


DEFINED_TERM = re.compile(r"^[^\s:].*\n(?=:   )", re.M)
"""The term of a definition list (Markdown's def_list: the line before its ``:   `` definition)."""


def _uses(form: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")


def glossary_terms(site_pages) -> list[str]:
    page = site_pages["glossary/index.html"]
    return [html.unescape(re.sub(r"<[^>]+>", "", dt)).strip() for dt in re.findall(r"<dt[^>]*>(.*?)</dt>", page, re.S)]


# --- the glossary file ------------------------------------------------------------------------


def test_every_term_has_one_entry():
    terms = [e.term.casefold() for e in ENTRIES]
    assert len(terms) == len(set(terms)), f"terms with two entries: {sorted({t for t in terms if terms.count(t) > 1})}"
    headwords = [e.term.casefold() for e in ENTRIES if e.long]
    missing = [r for r in REQUIRED_TERMS if not any(t == r or t.startswith(r + " ") or r in t for t in headwords)]
    assert not missing, f"the glossary page lacks: {missing}"


def test_tooltips_are_plain_text():
    for entry in ENTRIES:
        assert 20 <= len(entry.short) <= 200, f"{entry.where('short')}: keep a tooltip between 20 and 200 characters"
        assert not re.search(r"[*_`\[\]<>\"$]", entry.short), f"{entry.where('short')}: a tooltip is plain text"


def test_every_written_form_is_used():
    """A form nothing writes is a tooltip nobody sees: every form of an entry (in some case or number)
    is in the prose of a page or in the glossary page's own headwords and definitions."""
    text = "\n".join(_prose(p.read_text("utf-8")) for p in PAGES)
    text += "\n".join(f"{e.term}\n{_prose(e.long)}" for e in ENTRIES)
    unused = [
        f"{e.where('forms')}: {form}"
        for e in ENTRIES
        for form in e.forms
        if not any(_uses(w).search(text) for w in glossary.written_forms(form))
    ]
    assert not unused, "forms used on no page:\n" + "\n".join(unused)


def test_written_forms_add_capitals_and_plurals():
    assert glossary.written_forms("token(s)") == ["token", "Token", "tokens", "Tokens"]
    assert glossary.written_forms("Attention") == ["Attention", "attention"]
    assert glossary.written_forms("U-Net(s)") == ["U-Net", "U-Nets"]
    assert glossary.written_forms("KV cache") == ["KV cache"]
    assert glossary.written_forms("top-k sampling") == ["top-k sampling", "Top-k sampling"]


def test_the_glossary_page_takes_the_entries():
    page = (ROOT / "docs" / "glossary.md").read_text("utf-8")
    assert page.count(glossary.MARKER) == 1, f"docs/glossary.md: keep the line {glossary.MARKER} once"
    generated = glossary.fill_in(page, load_config())
    terms = re.findall(r"^(\S.*) \{ #([a-z0-9-]+) \}\n:   ", generated, re.M)
    assert terms == [(t, glossary.anchor(t)) for t in sorted((e.term for e in ENTRIES if e.long), key=str.casefold)]
    assert ("KV cache", "kv-cache") in terms and ("Large language model (LLM)", "large-language-model") in terms
    jump = re.search(r"^Terms by letter: (.*)\n\{ \.glossary-letters \}$", generated, re.M)
    assert jump, "no line of letters before the entries"
    assert re.findall(r"\[([A-Z])\]\(#([a-z0-9-]+)\)", jump[1]) == [
        (letter, next(a for t, a in terms if t[0].upper() == letter))
        for letter in sorted({t[0].upper() for t, _ in terms})
    ]
    assert "See [Large language models](llms/index.md)." in generated  # a see-also link, titled as in the nav


GOOD = "- term: Token\n  forms: [token(s)]\n  short: A small unit of text, used by an LLM.\n  long: |\n    A unit.\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "- term: Noise\n  short: Random values added.\n  colour: red\n", ":8: unknown field 'colour'"),
        (GOOD + "\n- term: Noise\n  long: Random values.\n", ":7: the entry has no short"),
        (GOOD + "- term: Tokens\n  short: Another definition of tokens.\n", ":6: 'Tokens' is already a form of"),
        (GOOD + "- term: Noise\n  short: Random: added to data.\n", ":7: mapping values are not allowed"),
        (GOOD + "- term: Noise (eps)\n  short: Random values added.\n", ":6: 'Noise (eps)' is not a written"),
        (GOOD + "- term: Noise\n  short: Random values added.\n  see: [llms.md]\n", ":6: 'Noise' has see but no long"),
        ("term: Token\n", ":1: expected a list of entries"),
        (GOOD + "- term: Noise\n  short: Random values added.\n  under: Nois\n", ":8: under: 'Nois' is no headword"),
        (
            GOOD + "- term: Noise\n  short: Random values.\n  long: Random.\n  under: Token\n",
            ":6: 'Noise' has an entry",
        ),
    ],
    ids=[
        "unknown field",
        "no short",
        "form twice",
        "yaml",
        "brackets",
        "see without long",
        "not a list",
        "under nothing",
        "under with long",
    ],
)
def test_a_malformed_entry_names_file_and_line(tmp_path: Path, text: str, message: str):
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(glossary.GlossaryError) as error:
        glossary.load(path)
    assert str(error.value).startswith(f"{path}:"), error.value
    assert message in str(error.value), error.value


def test_a_term_under_a_headword_links_to_its_entry(tmp_path: Path):
    path = tmp_path / "glossary.yml"
    path.write_text(
        GOOD + "- term: Tokenization\n  under: Token\n  short: Cutting text into tokens.\n", encoding="utf-8"
    )
    links = glossary.entry_links(glossary.load(path), "../glossary/")
    assert links == {
        "A small unit of text, used by an LLM.": "../glossary/#token",
        "Cutting text into tokens.": "../glossary/#token",
    }
    real = glossary.load()  # and every term with a tooltip only has its headword in the guide
    assert all(e.under for e in real if not e.long), [e.term for e in real if not e.long and not e.under]


def test_two_terms_with_one_anchor_name_the_line(tmp_path: Path):
    path = tmp_path / "glossary.yml"
    path.write_text(
        GOOD + "- term: Token (unit)\n  forms: [unit token]\n  short: A unit.\n  long: |\n    Units.\n", "utf-8"
    )
    with pytest.raises(glossary.GlossaryError, match=r"glossary.yml:6: 'Token \(unit\)' gives the anchor #token"):
        glossary.definition_list(glossary.load(path), {})


def test_a_see_link_to_a_page_not_in_the_nav_names_its_line(tmp_path: Path):
    path = tmp_path / "glossary.yml"
    path.write_text(GOOD + "  see: [llms/index.md, nowhere.md]\n", encoding="utf-8")
    page = f"# Glossary\n\n{glossary.MARKER}\n"
    with pytest.raises(glossary.GlossaryError, match=rf"^{re.escape(str(path))}:6: see: 'nowhere.md' is not a page"):
        glossary.fill_in(page, load_config(), path)
    path.write_text(GOOD + "  see: [llms/index.md, diffusion/training.md#summary]\n", encoding="utf-8")
    assert glossary.fill_in(page, load_config(), path) == (
        "# Glossary\n\nTerms by letter: [T](#token)\n{ .glossary-letters }\n\n"
        "Token { #token }\n:   A unit. See [Large language models](llms/index.md) and "
        "[Training: predict the noise](diffusion/training.md#summary).\n"
    )


def test_later_uses_of_a_term_are_plain_text():
    page = (
        '<p><abbr title="A unit of text.">Tokens</abbr> and <abbr title="A unit of text.">token</abbr>.</p>'
        '<h2 id="b">B</h2><p><abbr title="A unit of text.">token</abbr>, <abbr title="Noise.">noise</abbr>,'
        ' <abbr title="Noise.">noise</abbr></p>'
    )
    assert glossary.first_uses_only(page) == (
        '<p><abbr tabindex="0" title="A unit of text.">Tokens</abbr> and token.</p>'
        '<h2 id="b">B</h2><p><abbr tabindex="0" title="A unit of text.">token</abbr>, '
        '<abbr tabindex="0" title="Noise.">noise</abbr>, noise</p>'
    )


def test_a_kept_term_links_to_its_entry_unless_it_sits_in_a_link_heading_or_block_title_or_is_defined():
    entry = glossary.Entry("Token", ("token",), 'A unit of "text".', "Long.", (), "g.yml", {})
    links = glossary.entry_links([entry, replace(entry, term="Noise", short="Noise.", long="")], "../glossary/")
    assert links == {'A unit of "text".': "../glossary/#token"}  # no entry on the page, no link
    term = '<abbr title="A unit of &quot;text&quot;.">token</abbr>'  # the title as Markdown escapes it
    focusable = term.replace("<abbr ", '<abbr tabindex="0" ')
    assert glossary.first_uses_only(f"<p>A {term}.</p>", links) == (
        f'<p>A <a class="glossary-term" href="../glossary/#token">{term}</a>.</p>'
    )
    assert glossary.first_uses_only(f'<h2 id="t">The {term}</h2>', links) == f'<h2 id="t">The {focusable}</h2>'
    in_link = f'<p><a href="x/">a {term}</a></p>'
    assert glossary.first_uses_only(in_link, links) == in_link.replace(term, focusable)
    in_title = f"<details><summary>A {term}</summary><p>More.</p></details>"
    assert glossary.first_uses_only(in_title, links) == in_title.replace(term, focusable)
    headword = f'<dl><dt id="token">{term}</dt><dd>A {term}.</dd></dl>'  # defined here: its use follows
    linked = f'<a class="glossary-term" href="../glossary/#token">{term}</a>'
    assert glossary.first_uses_only(headword, links) == f'<dl><dt id="token">token</dt><dd>A {linked}.</dd></dl>'
    noise = '<abbr title="Noise.">noise</abbr>'
    assert glossary.first_uses_only(f"<p>{noise}</p>", links) == '<p><abbr tabindex="0" title="Noise.">noise</abbr></p>'


@pytest.mark.build
def test_a_new_entry_reaches_the_pages_and_a_dirty_rebuild(tmp_path: Path):
    """A project with the hook: one entry gives the glossary page its definition and the other pages
    their tooltip; after an edit of the entry, ``--dirty`` (as ``make serve``) rebuilds the glossary page."""
    pages = {"index.md": "# Home\n\nTokens are counted.\n", "glossary.md": f"# Glossary\n\n{glossary.MARKER}\n"}
    config = "nav: [Home: index.md, Glossary: glossary.md]\nmarkdown_extensions: [abbr, attr_list, def_list]\n"
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "glossary.yml").write_text(GOOD + "  see: [index.md]\n", encoding="utf-8")
    proc = build_project(tmp_path, pages, "glossary_terms.py", config)
    assert proc.returncode == 0, proc.stderr
    home = (tmp_path / "out" / "index.html").read_text("utf-8")
    term = '<abbr title="A small unit of text, used by an LLM.">Tokens</abbr>'
    assert f'<a class="glossary-term" href="glossary/#token">{term}</a> are counted' in home
    page = (tmp_path / "out" / "glossary" / "index.html").read_text("utf-8")
    assert '<dd>A unit. See <a href="../">Home</a>.</dd>' in page
    (tmp_path / "includes" / "glossary.yml").write_text(GOOD.replace("A unit.", "A piece of text."), encoding="utf-8")
    dirty = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--dirty", "-d", str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert dirty.returncode == 0, dirty.stderr
    assert "<dd>A piece of text.</dd>" in (tmp_path / "out" / "glossary" / "index.html").read_text("utf-8")


# --- the built site ---------------------------------------------------------------------------


def test_the_built_glossary_and_the_tooltips_come_from_the_entries(site_pages):
    assert glossary_terms(site_pages) == sorted((e.term for e in ENTRIES if e.long), key=str.casefold)
    ids = re.findall(r'<dt id="([^"]+)"', site_pages["glossary/index.html"])
    assert ids == [glossary.anchor(t) for t in glossary_terms(site_pages)]  # a link can point at any term
    letters = re.findall(r'<a href="#([^"]+)">([A-Z])</a>', site_pages["glossary/index.html"])
    assert {letter for _, letter in letters} == {t[0].upper() for t in glossary_terms(site_pages)}
    assert all(target in ids for target, _ in letters)
    shorts = {e.short for e in ENTRIES}
    shown = {html.unescape(t) for page in site_pages.values() for t in re.findall(r'<abbr[^>]* title="([^"]+)">', page)}
    assert shown <= shorts, f"tooltips from no entry: {sorted(shown - shorts)}"
    # every term written in words, on a page with tooltips or in a definition, shows its tooltip; a term
    # only its own headword writes (a symbol the pages write as math, a name only a reference gives) has none
    tooltips = [p for p in PAGES if meta.get_data(p.read_text("utf-8"))[1].get("tooltips") is not False]
    text = "\n".join([*(_prose(p.read_text("utf-8")) for p in tooltips), *(_prose(e.long) for e in ENTRIES)])
    written = {
        e.short for e in ENTRIES if any(_uses(w).search(text) for f in e.forms for w in glossary.written_forms(f))
    }
    assert written <= shown, f"entries whose tooltip shows nowhere: {sorted(written - shown)}"
    assert len(written) >= len(shorts) - 3, f"terms written only in their headword: {sorted(shorts - written)}"


@pytest.mark.parametrize("source", PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_terms_in_a_page_carry_their_tooltip(site_pages, source):
    """Every term used in a page's prose shows its definition somewhere on the built page, unless its
    front matter says ``tooltips: false`` (then none does)."""
    built = site_pages[page_url(source.relative_to(ROOT / "docs").as_posix()) + "index.html"]
    if meta.get_data(source.read_text("utf-8"))[1].get("tooltips") is False:
        assert "<abbr" not in built, f"{source.name} says tooltips: false"
        return
    shown = {html.unescape(m) for m in re.findall(r"<abbr(?: tabindex=\"0\")? title=\"([^\"]+)\">", built)}
    prose = _prose(glossary.fill_in(source.read_text("utf-8"), load_config()))
    prose = DEFINED_TERM.sub("", prose)  # a definition list's terms: the definition follows, no tooltip
    missing = []
    # Longest forms first, as the abbr extension matches them: "diffusion transformer" covers "transformer".
    for form, definition in sorted(glossary.tooltips(ENTRIES).items(), key=lambda item: len(item[0]), reverse=True):
        if _uses(form).search(prose) and definition not in shown:
            missing.append(form)
        prose = _uses(form).sub(" ", prose)
    assert not missing, f"{source.name}: terms without a tooltip on the built page: {missing}"


@pytest.mark.parametrize("source", PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_a_term_has_one_tooltip_per_section(site_pages, source):
    """guide_build.glossary.first_uses_only keeps the first use of a term in each ## section."""
    built = site_pages[page_url(source.relative_to(ROOT / "docs").as_posix()) + "index.html"]
    article = built[built.index("<article") : built.index("</article>")]
    for section in re.split(r"(?=<h2[ >])", article):
        titles = re.findall(r"<abbr(?: tabindex=\"0\")? title=\"([^\"]+)\">", section)
        repeated = sorted({t for t in titles if titles.count(t) > 1})
        heading = re.sub(r"<[^>]+>", "", section[: section.find("</h2>")]) if section.startswith("<h2") else "top"
        assert not repeated, f"{source.name}, section {heading!r}: a term carries its tooltip more than once"
