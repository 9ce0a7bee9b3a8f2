"""The glossary: one entry per term in ``includes/glossary.yml`` (its first lines show an entry's fields),
from which the build makes every page's tooltips and the glossary page's definitions; nothing generated
is kept in the repository.

The tooltips are the ``<abbr title="short">`` of Python-Markdown's abbr extension, given every written
form through its ``glossary`` option; :func:`first_uses_only` keeps one per term and ``##`` section,
and makes it a link to the term's entry on the glossary page where the term has one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from guide_build import ROOT, YAML_LOADER
from guide_build.mkdocs import nav_pages

SOURCE = ROOT / "includes" / "glossary.yml"
"""The repository's glossary; a build reads the one of its own project (:func:`source`)."""
MARKER = "<!-- the entries of includes/glossary.yml -->"
"""The line of the glossary page that the entries replace."""

FIELDS = ("term", "forms", "short", "long", "see", "under")
PLURAL = "(s)"


class GlossaryError(PluginError):
    """A mistake in the glossary file; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class Entry:
    term: str
    forms: tuple[str, ...]
    """As written in the file, ``token(s)`` included; :func:`written_forms` expands them."""
    short: str
    long: str
    """Empty for a term with a tooltip only."""
    see: tuple[str, ...]
    path: str
    lines: Mapping[str, int]
    """The file line where each field's text starts; ``"entry"``: the line of ``- term:``."""
    under: str = ""
    """For a term with a tooltip only: the headword whose entry explains it, where its tooltip links."""

    def where(self, field: str = "entry") -> str:
        return f"{self.path}:{self.lines.get(field, self.lines['entry'])}"


def written_forms(form: str) -> list[str]:
    """The words ``form`` stands for in the text: ``"token(s)"`` gives token, Token, tokens, Tokens."""
    singular = form.removesuffix(PLURAL)
    bases = [singular, singular + "s"] if form.endswith(PLURAL) else [singular]
    forms: dict[str, None] = {}
    for base in bases:
        first_word = base.split(" ")[0]
        forms.update({base: None, base[0].upper() + base[1:]: None})
        if first_word[1:] == first_word[1:].lower():  # "Attention" -> "attention", not "U-Net" -> "u-Net"
            forms[base[0].lower() + base[1:]] = None
    return list(forms)


def _text(node: yaml.Node, where: str, field: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
        raise GlossaryError(f"{where}: {field} must be text")
    return node.value


def _texts(node: yaml.Node, where: str, field: str) -> tuple[str, ...]:
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    return tuple(_text(item, where, f"{field} (a list, [a, b])") for item in items)


def source(config: Mapping[str, Any]) -> Path:
    """``includes/glossary.yml`` next to the ``mkdocs.yml`` being built."""
    return Path(config["config_file_path"]).parent / "includes" / "glossary.yml"


def load(path: Path = SOURCE) -> list[Entry]:
    """The entries of the glossary file, checked; a mistake raises :class:`GlossaryError` naming its line."""
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark else ""
        hint = " (text with ': ' goes on the lines below 'short: >-')" if "mapping values" in str(error.problem) else ""
        raise GlossaryError(f"{name}{line}: {error.problem or error.context}{hint}") from None
    if not isinstance(root, yaml.SequenceNode):
        raise GlossaryError(f"{name}:1: expected a list of entries, each starting with '- term:'")
    entries: list[Entry] = []
    owner: dict[str, Entry] = {}
    for node in root.value:
        where = f"{name}:{node.start_mark.line + 1}"
        if not isinstance(node, yaml.MappingNode):
            raise GlossaryError(f"{where}: expected an entry with {', '.join(FIELDS)}")
        fields: dict[str, yaml.Node] = {}
        lines = {"entry": node.start_mark.line + 1}
        for key, value in node.value:
            at = f"{name}:{key.start_mark.line + 1}"
            if key.value not in FIELDS:
                raise GlossaryError(f"{at}: unknown field {key.value!r} (the fields: {', '.join(FIELDS)})")
            if key.value in fields:
                raise GlossaryError(f"{at}: {key.value} given twice")
            fields[key.value] = value
            block = isinstance(value, yaml.ScalarNode) and value.style in ("|", ">")
            lines[key.value] = value.start_mark.line + 1 + block  # a block's text starts below its key
        for required in ("term", "short"):
            if required not in fields:
                raise GlossaryError(f"{where}: the entry has no {required}")
        term = _text(fields["term"], where, "term").strip()
        long = _text(fields["long"], where, "long").strip() if "long" in fields else ""
        if "see" in fields and not long:
            raise GlossaryError(f"{where}: {term!r} has see but no long definition to end with it")
        under = _text(fields["under"], where, "under").strip() if "under" in fields else ""
        if under and long:
            raise GlossaryError(f"{where}: {term!r} has an entry of its own (long), so it is not under {under!r}")
        entry = Entry(
            term=term,
            forms=_texts(fields["forms"], where, "forms") if "forms" in fields else (term,),
            short=" ".join(_text(fields["short"], where, "short").split()),
            long=long,
            see=_texts(fields["see"], where, "see") if "see" in fields else (),
            under=under,
            path=name,
            lines=lines,
        )
        for form in entry.forms:
            if "(" in form.removesuffix(PLURAL) or ")" in form.removesuffix(PLURAL):
                raise GlossaryError(
                    f"{entry.where('forms')}: {form!r} is not a written form: list the words as the text writes "
                    "them (forms: [...]), with (s) at the end for a plural"
                )
            for written in written_forms(form):
                other = owner.setdefault(written.casefold(), entry)
                if other is not entry:
                    raise GlossaryError(
                        f"{entry.where('forms')}: {written!r} is already a form of {other.term!r} ({other.where()})"
                    )
        entries.append(entry)
    headwords = {e.term: e for e in entries if e.long}
    for entry in entries:
        if entry.under and entry.under not in headwords:
            raise GlossaryError(
                f"{entry.where('under')}: under: {entry.under!r} is no headword with an entry (long) of its own"
            )
    return entries


def tooltips(entries: list[Entry] | None = None) -> dict[str, str]:
    """Every written form and its tooltip (the abbr extension's ``glossary``)."""
    entries = load() if entries is None else entries
    return {form: e.short for e in entries for f in e.forms for form in written_forms(f)}


def anchor(term: str) -> str:
    """The id of ``term``'s entry on the glossary page, so that a link can point at it
    (``glossary.md#kv-cache``): the words before any bracket, lower case, joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", term.partition(" (")[0].casefold()).strip("-")


def definition_list(entries: list[Entry], titles: Mapping[str, str]) -> str:
    """The glossary page's entries as a Markdown definition list, in alphabetical order of headword,
    each with its :func:`anchor`, after a line of links to the first entry of each initial letter;
    ``titles``: the nav title of each page (docs path -> title), the text of the see-also links."""
    parts, ids, letters = [], {}, {}
    for entry in sorted((e for e in entries if e.long), key=lambda e: e.term.casefold()):
        id_ = anchor(entry.term)
        if not id_:
            raise GlossaryError(f"{entry.where('term')}: {entry.term!r} has no letter or digit to make its anchor")
        if id_ in ids:
            raise GlossaryError(f"{entry.where('term')}: {entry.term!r} gives the anchor #{id_}, as {ids[id_]!r} does")
        ids[id_] = entry.term
        letters.setdefault(entry.term[0].upper(), id_)
        links = []
        for target in entry.see:
            title = titles.get(target.partition("#")[0])
            if title is None:
                raise GlossaryError(f"{entry.where('see')}: see: {target!r} is not a page of the nav in mkdocs.yml")
            links.append(f"[{title}]({target})")
        text = entry.long
        if links:
            text += " See " + (", ".join(links[:-1]) + " and " if len(links) > 1 else "") + links[-1] + "."
        parts.append(f"{entry.term} {{ #{id_} }}\n:   " + text.replace("\n", "\n    "))
    jump = "Terms by letter: " + " ".join(f"[{letter}](#{id_})" for letter, id_ in letters.items())
    jump += "\n{ .glossary-letters }"
    return "\n\n".join([jump, *parts])


def fill_in(markdown: str, config: Mapping[str, Any], path: Path = SOURCE) -> str:
    """``markdown`` with the :data:`MARKER` line replaced by the glossary's definition list."""
    if MARKER not in markdown:
        return markdown
    titles = {page: title for title, page in nav_pages(config)} if config.get("nav") else {}
    return markdown.replace(MARKER, definition_list(load(path), titles))


def outdate_pages(files: Files, path: Path) -> None:
    """Remove the built glossary page when it is older than the glossary file ``path``, so that
    ``mkdocs serve --dirty``, which rebuilds a page only when its own file is newer, rebuilds it."""
    for file in files.documentation_pages():
        built = Path(file.abs_dest_path)
        if built.exists() and built.stat().st_mtime < path.stat().st_mtime and MARKER in file.content_string:
            built.unlink()


TERM = re.compile(r'<abbr title="([^"]*)">(.*?)</abbr>', re.DOTALL)
SECTION_START = re.compile(r"(?=<h2[ >])")


def without_tooltips(html: str) -> str:
    """``html`` with every ``<abbr title=...>`` unwrapped: for a page whose front matter says
    ``tooltips: false``, such as the references, where terms sit in the titles of papers."""
    return TERM.sub(lambda match: match.group(2), html)


LINK_OR_HEADING = re.compile(r"<(a|h[1-6]|summary|label|button)\b.*?</\1>", re.DOTALL)
"""Where a term cannot become a link of its own: in a link, a heading, or a control's text (a
collapsible block's title, a tab's label: a click there opens the block or the tab)."""
HEADWORD = re.compile(r"<dt\b.*?</dt>", re.DOTALL)
"""A term a definition list defines, a glossary entry's or a page's own: the definition follows, so it
needs no tooltip, and is no use of a term either."""


def glossary_page(files: Files) -> str | None:
    """The URL of the page that shows the glossary's entries (its Markdown has the :data:`MARKER`)."""
    return next((f.url for f in files.documentation_pages() if MARKER in f.content_string), None)


def entry_links(entries: list[Entry], glossary_url: str) -> dict[str, str]:
    """Each tooltip text whose term has an entry on the glossary page, and the link to that entry
    (``glossary_url``: the glossary page, relative to the page the links are for)."""
    return {e.short: f"{glossary_url}#{anchor(e.under or e.term)}" for e in entries if e.long or e.under}


def first_uses_only(html: str, links: Mapping[str, str] | None = None) -> str:
    """``html`` with each ``<abbr title=...>`` kept at its first use per ``<h2>`` section, unwrapped after.

    One tooltip per term and section is enough to look a term up where it appears, and keeps
    paragraphs readable; later uses stay plain text, and so does a defined term (:data:`HEADWORD`).
    A kept term whose tooltip text is in ``links`` becomes a link to its glossary entry (the tooltip
    shows on hover and keyboard focus, a click or Enter opens the entry), except where
    :data:`LINK_OR_HEADING` says it cannot, where it takes the keyboard focus itself.
    """
    links = links or {}
    sections = []
    for section in SECTION_START.split(html):
        seen: set[str] = set()
        fixed = [match.span() for match in LINK_OR_HEADING.finditer(section)]
        defined = [match.span() for match in HEADWORD.finditer(section)]

        def first(match: re.Match[str], seen: set[str] = seen, fixed: list = fixed, defined: list = defined) -> str:
            if match.group(1) in seen or any(start <= match.start() < end for start, end in defined):
                return match.group(2)
            seen.add(match.group(1))
            href = links.get(unescape(match.group(1)))
            if href and not any(start <= match.start() < end for start, end in fixed):
                return f'<a class="glossary-term" href="{href}">{match.group(0)}</a>'
            return match.group(0).replace("<abbr ", '<abbr tabindex="0" ', 1)

        sections.append(TERM.sub(first, section))
    return "".join(sections)
