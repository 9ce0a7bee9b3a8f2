"""Find every number in the guide's prose and check that it is computed, cited or exempt.

Used by ``tests/test_prose_numbers.py``; ``python -m tests.prose_numbers`` prints the current
violations grouped by file, each followed by its sentence.

What counts as prose, per kind of file:

- ``docs/**/*.md``: paragraphs, list items, table cells, definitions of definition lists, admonition
  and tab bodies, blockquotes and image alt texts, after pymdownx.snippets ``--8<--`` lines are
  expanded. Headings, definition terms and admonition titles are labels, not statements: skipped.
- ``notebooks/*.py`` (jupytext percent files): the ``# %% [markdown]`` cells, and the ``alt="..."``
  of a ``# %%`` line.
- ``src/diffusion_vs_llms/figures/*.py``: the ``alt=`` and ``caption=`` strings of ``@figure(...)``.
  The replacement fields of an f-string are computed by definition and are left out.
- ``includes/glossary.yml``: each entry's long definition, as a definition of the glossary page,
  and its tooltip (``short``), against the long definitions.

A number in prose passes when

(a) it is computed: its value is a literal of the code of the same page: a Python fence that runs
    (not ``notest``; snippets expanded), a notebook's code cells, the figure module outside its
    alt and caption strings, or for the glossary the code of its definitions. Comments, docstrings
    and other strings are text that nothing checks, so they do not count, except the strings of
    an ``assert`` or ``==`` (``assert f"{x:.1e}" == "4.0e-05"``).
    Values are compared, not spellings: 1,000 = 1000 = 1_000; 85 % = 85 or 0.85 (but 2 % = 0.02
    only, and 50k = 50000 only: a bare 2 or 50 turns up in any code); 10^{-4} = 1e-4 = 0.0001;
    10^{-1000} also = its exponent 1000; a rounded 0.862 passes when the code holds the literal 0.862.
(b) it is cited: its unit contains a link to ``references.md#...``. A unit is one sentence of a
    paragraph, list item, definition, caption or alt text, and a whole table cell (a cell is too
    short to cite sentence by sentence).
    On the references page an entry (the definition under a term with an ``{#id}``) cites
    itself. A tooltip's number is also cited when the glossary page states it in a cited unit.
(c) it is exempt; :func:`_classify` gives each rule with its reason.

A number that counts the guide's own content ("four formulas", "Fifteen questions", "the two
previous chapters") fails whatever the code holds, unless cited: such a count goes stale as soon
as the guide grows, and a stray 4 or 15 in the page's code says nothing about it. Remove it.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from pytest_markdown_docs.plugin import parse_superfences_block_info

from guide_build import glossary
from tests.markdown_blocks import PYTHON_LANGS, ROOT, SNIPPET_LINE, make_parser

NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "src" / "diffusion_vs_llms" / "figures"
GLOSSARY = ROOT / "includes" / "glossary.yml"

# ---------------------------------------------------------------------------------------------
# How numbers are written
# ---------------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of ``text``, in order (the word lists below are written as one string)."""
    return text.split()


SEP = "[\u2009\u202f\u00a0 ]"  # thousands separators: thin, narrow no-break, no-break and plain space
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
NUMBER = re.compile(
    r"(?<![\d.])(?:"
    # scientific: 4.0 × 10^{-5}, 4.0 x 10^-5, 10^-4, 10⁻⁴
    r"(?:(?P<mantissa>\d+(?:\.\d+)?)\s*[×x·]\s*)?10"
    r"(?:\^\s*[{(]?\s*(?P<exp>[-−+]?\d+)\s*[})]?|(?P<supexp>⁻?[" + SUPERSCRIPTS + r"]+))"
    # 1,000 and 16 384 (groups of three), 0.862, 1e-4
    r"|(?P<digits>\d{1,3}(?:,\d{3})+(?![\d,]|\.\d)|\d{2,3}(?:" + SEP + r"\d{3})+(?![\d.,])|\d+(?:\.\d+)?)"
    r"(?P<e>[eE][-−+]?\d+(?![\w.]))?"
    r")"
)
PERCENT = re.compile(SEP + r"?%|\s+percent\b")
MULTIPLIERS = {"k": 10**3, "K": 10**3, "M": 10**6, "B": 10**9}
# Letters glued after a number that leave it a quantity: ordinals, multipliers, "x" for times, units.
QUANTITY_SUFFIX = re.compile(r"st|[nr]d|th|x|k|K|M|B|s|ms|KB|MB|GB|fold")  # 1st 2nd 3rd 4th, 16x, 50k, 2s
# A number joined to one of these (by a hyphen or not) names a type or a dimensionality: 8-bit, 2-D, 3D.
NAME_SUFFIX = re.compile(r"(?:bits?|D|d)")
WORD_CHAR = re.compile(r"[A-Za-z0-9_.:\-/]")

UNIT_WORDS = words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
)
TENS_WORDS = words("twenty thirty forty fifty sixty seventy eighty ninety")
SCALE_WORDS = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9}
NUMBER_WORDS = re.compile(
    r"\b(?:(?:(?:{tens})(?:-(?:{digits}))?|{units})(?:\s+(?:{scales}))*|(?:{scales}))\b".format(
        tens="|".join(TENS_WORDS),
        digits="|".join(UNIT_WORDS[1:10]),
        units="|".join(UNIT_WORDS),
        scales="|".join(SCALE_WORDS),
    ),
    re.IGNORECASE,
)

# Plural nouns that, after a number, count the guide's own content ("four formulas"). Nouns that
# often count other things are left out: entries (of a vector), tables, answers.
CONTENT_NOUNS = frozenset(
    words(
        "questions formulas formulae pages chapters figures notebooks sections snippets mistakes misconceptions "
        "terms exercises items"
    )
)
# Adjectives that make such a noun count something else: "three significant figures" is a precision.
OTHER_ADJECTIVES = frozenset(words("significant decimal"))
# Words that cannot sit between a count and its noun: "two of the questions" counts nothing.
FUNCTION_WORDS = frozenset(words("of the a an in on for to and or with from by at per than as is are was were"))
# A year stays a year before one of these: "the NeurIPS 2021 workshop".
YEAR_NOUNS = frozenset(words("paper papers workshop version versions release edition conference"))
YEAR_BEFORE = re.compile(r"(?:et al\.,?|[A-Z][\w&-]*,?|[(\[]|\b(?:in|since|until|early|late|mid|circa))\s*$")
CITATION_URL = re.compile(r"(?:^|/)references(?:\.md|/)?#[\w-]+$")


def to_decimal(text: str) -> Decimal | None:
    """The value of a number as written (thousands separators and underscores removed)."""
    cleaned = re.sub(SEP + "|[,_]", "", text).replace("−", "-")
    try:
        return Decimal(cleaned).normalize()
    except InvalidOperation:
        return None


def _superscript_value(text: str) -> int:
    sign = -1 if text.startswith("⁻") else 1
    return sign * int("".join(str(SUPERSCRIPTS.index(c)) for c in text.lstrip("⁻")))


@dataclass(frozen=True)
class Found:
    """One number in a piece of prose.

    Attributes:
        start: offset of the number in the unit's text (math numbers: the math line's offset).
        text: the number as written: "1,000", "85 %", "four", "10^{-4}".
        values: the values it may stand for (85 % is 85 or 0.85; 2 % is 0.02; 50k is 50000).
        exempt: why it needs neither computation nor citation, or None.
        count: the content noun it counts ("formulas" in "four formulas"), or "".
        cited: its sentence (or table cell) links to the references page.
    """

    start: int
    text: str
    values: frozenset[Decimal]
    exempt: str | None = None
    count: str = ""
    cited: bool = False


def _glued(text: str, start: int, end: int) -> tuple[str, str]:
    """The characters glued to a number (no space between): before it and after it, in its word."""
    left = start
    while left > 0 and WORD_CHAR.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and WORD_CHAR.match(text[right]):
        right += 1
    return text[left:start], text[end:right].rstrip(".,-/")


def _name_reason(text: str, start: int, end: int) -> str | None:
    """Why a number is part of a name rather than a quantity, or None."""
    before, after = _glued(text, start, end)
    if re.search(r"[A-Za-z_]", before) and not re.fullmatch(r"[a-z]+-", before):
        # ('add-0.1 smoothing', 'top-5': a lowercase word and a hyphen modify a quantity.)
        # A letter earlier in the same word: GPT-2, T5-XXL, float32, x_0, DiT-XL/2, Q9, arXiv:2006.11239.
        return "part of a name (GPT-2, float32, x_0)"
    if re.match(r"\.[xX]\b", after):
        return "a version family (SD 1.x)"
    suffix = after.removeprefix("-")
    if suffix and NAME_SUFFIX.fullmatch(suffix):
        return "part of a name (8-bit, 2-D, 3D)"
    if after[:1].isalpha() and not QUANTITY_SUFFIX.fullmatch(after):
        # Letters glued to the number (4o, 1a): a label. '1000-step' starts with a hyphen and stays checked.
        return "part of a name (letters glued to the number)"
    return None


def _following_words(text: str, end: int, count: int = 3) -> list[str]:
    """Up to ``count`` words right after ``end`` (hyphens and spaces between), stopping at punctuation."""
    words: list[str] = []
    for match in re.finditer(r"[\s\-]+|[A-Za-z][A-Za-z']*|.", text[end:]):
        token = match.group()
        if not token.strip(" \t\n-"):
            continue
        if not token[0].isalpha() or len(words) == count:
            break
        words.append(token)
    return words


def counted_content(text: str, end: int) -> str:
    """The plural noun naming the guide's content that the number counts (through at most two adjectives), or ""."""
    for word in _following_words(text, end):
        if word.lower() in CONTENT_NOUNS:
            return word.lower()
        if word.lower() in FUNCTION_WORDS | OTHER_ADJECTIVES or not word.islower():
            return ""
    return ""


def _is_year(text: str, start: int, end: int, written: str) -> bool:
    """1900-2099 written as four digits after an author, venue or preposition, and counting nothing."""
    if not re.fullmatch(r"(?:19|20)\d\d", written):
        return False
    following = _following_words(text, end, 1)
    if following and following[0].islower() and following[0] not in YEAR_NOUNS | FUNCTION_WORDS:
        return False  # "a context of 2048 tokens"
    return bool(YEAR_BEFORE.search(text[:start]))


VERSIONED = frozenset({"Python", "BY", "QTI"})
"""Names whose following decimal is a version: Python 3.11, CC BY 4.0. A list, not a pattern: after
"FID" or "BLEU" a decimal is a measured result that must be cited."""


def _is_version(text: str, start: int, end: int) -> bool:
    """A decimal right after one of the :data:`VERSIONED` names: Python 3.11, CC BY 4.0, QTI 1.2."""
    if "." not in text[start:end]:
        return False
    name = re.search(r"(?:^|\s)([A-Z][\w-]*)\s+$", text[:start])
    return bool(name) and name.group(1) in VERSIONED


def _classify(text: str, start: int, end: int, small: bool, *, math: bool, year_candidate: str = "") -> str | None:
    """Why the number at ``text[start:end]`` is exempt, or None when it must be computed or cited.

    The rules, in order:

    - Part of a name (GPT-2, T5-XXL, float32, SD 1.x, x_0, 2-D, 8-bit): a label, not a quantity.
    - A version (Python 3.11): a decimal right after one of the :data:`VERSIONED` names.
    - A year (Ho et al., 2020; ICML 2015): it dates a source, it is not a result.
    - An integer from 0 to 10 (in digits or words): "two evaluations", "a 3 x 3 grid" are part of
      the explanation and cannot drift from a computation, and writing them from code would make the
      prose unreadable. Never a count of the guide's own content (see the module docstring).

    Everything else is checked: decimals (even 0.5), percentages (a rate is a result, even 2 %),
    scientific notation, integers above 10, and spelled-out numbers above ten.
    """
    reason = _name_reason(text, start, end)
    if reason:
        return reason
    if not math and _is_version(text, start, end):
        return "a version (Python 3.11, CC BY 4.0)"
    if not math and year_candidate and _is_year(text, start, end, year_candidate):
        return "a year"
    if small:
        return "an integer from 0 to 10"
    return None


def _digit_numbers(text: str) -> Iterable[tuple[int, int, str, frozenset[Decimal], bool]]:
    """(start, end, as written, values, small integer) of every number written with digits."""
    for match in NUMBER.finditer(text):
        start, end = match.span()
        if match["digits"] is not None:
            value = to_decimal(match["digits"] + (match["e"] or ""))
            if value is None:
                continue
            small = not match["e"] and "." not in match["digits"] and value <= 10
        else:
            exp = int(match["exp"].replace("−", "-")) if match["exp"] else _superscript_value(match["supexp"])
            mantissa = Decimal(match["mantissa"]) if match["mantissa"] else Decimal(1)
            value = (mantissa * Decimal(10) ** exp).normalize()
            small = False
        values = {value}
        if match["exp"] is not None and not match["mantissa"] and abs(exp) > 10:
            # 10^{-1000} is computed when its exponent is (1000 * log10(0.1) == -1000); small
            # exponents are not taken, as a 4 turns up in any code.
            values.add(Decimal(abs(exp)))
        percent = PERCENT.match(text, end)
        if percent:
            end = percent.end()
            if small:  # 2 % is 0.02: a bare 2 turns up in any code
                values = set()
            values.add((value / 100).normalize())
            small = False
        elif text[end : end + 1] in MULTIPLIERS and not text[end + 1 : end + 2].isalnum():
            values = {(value * MULTIPLIERS[text[end]]).normalize()}  # 50k is 50000, not a stray 50
            small = False
            end += 1
        yield start, end, text[start:end], frozenset(values), small


def _word_value(phrase: str) -> Decimal:
    """The value of a spelled-out number: "twenty thousand" is 20000."""
    total, current = 0, 0
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word in SCALE_WORDS:
            current = max(current, 1) * SCALE_WORDS[word]
            if SCALE_WORDS[word] >= 1000:
                total, current = total + current, 0
        elif word in TENS_WORDS:
            current += 10 * (TENS_WORDS.index(word) + 2)
        else:
            current += UNIT_WORDS.index(word)
    return Decimal(total + current)


def _counting(number: Found, text: str, end: int) -> Found:
    """``number``, marked as a count when it counts the guide's content (names and years never do)."""
    if number.exempt and number.exempt != "an integer from 0 to 10":
        return number
    noun = counted_content(text, end)
    return replace(number, exempt=None, count=noun) if noun else number


def scan_plain(text: str) -> list[Found]:
    """Numbers of a prose text whose markup is already masked (see :func:`_mask_markup`)."""
    found = []
    for start, end, written, values, small in _digit_numbers(text):
        reason = _classify(text, start, end, small, math=False, year_candidate=written)
        found.append(_counting(Found(start, written, values, reason), text, end))
    for match in NUMBER_WORDS.finditer(text):
        value = _word_value(match.group())
        reason = _classify(text, match.start(), match.end(), value <= 10, math=False)
        found.append(_counting(Found(match.start(), match.group(), frozenset({value}), reason), text, match.end()))
    return sorted(found, key=lambda f: f.start)


MATH_TEXT = re.compile(r"\\(?:text|textrm|mathrm|operatorname|mathit|mathbf|mathcal|mathbb|boldsymbol)\s*\{([^{}]*)\}")


def _strip_group(text: str, index: int) -> int:
    """End of the TeX argument starting at ``text[index]``: a {balanced group}, a \\command or one character."""
    if index >= len(text):
        return index
    if text[index] == "{":
        depth = 0
        for position in range(index, len(text)):
            depth += {"{": 1, "}": -1}.get(text[position], 0)
            if depth == 0:
                return position + 1
        return len(text)
    if text[index] == "\\":
        command = re.match(r"\\(?:[A-Za-z]+|.)", text[index:])
        return index + (command.end() if command else 1)
    return index + 1


def scan_math(tex: str) -> list[Found]:
    """Numbers of one line of TeX. Offsets are all 0 (the caller places them at the line).

    Subscripts are indices ($\\alpha_{500}$, $x_{t-1}$) and superscripts in parentheses are
    indices ($x^{(2)}$): removed. Other superscripts are exponents or shapes, so they are checked
    ($2^{11}$, $\\mathbb{R}^{64 \\times 64}$), and $10^{-4}$ and $4.0 \\times 10^{-5}$ are numbers.
    """
    tex = tex.replace(r"\%", "%")
    tex = re.sub(r"(?<=\d)(?:\\,|\{,\}|\\ |~)(?=\d{3}(?!\d))", ",", tex)  # 16\,384 and 16{,}384
    out = []
    index = 0
    while index < len(tex):
        char = tex[index]
        if char == "_":
            index = _strip_group(tex, index + 1)
            out.append(" ")
            continue
        if char == "^" and re.match(r"\^\s*\{\s*\(", tex[index:]):
            index = _strip_group(tex, tex.index("{", index))
            out.append(" ")
            continue
        out.append(char)
        index += 1
    tex = "".join(out)
    tex = MATH_TEXT.sub(lambda m: " " + m[1] + " ", tex)
    tex = tex.replace(r"\times", "×").replace(r"\cdot", "·")
    tex = re.sub(r"\\(?:[A-Za-z]+|.)", " ", tex)
    found = []
    for start, end, written, values, small in _digit_numbers(tex):
        reason = _classify(tex, start, end, small, math=True)
        found.append(Found(0, written, values, reason))
    return found


# ---------------------------------------------------------------------------------------------
# Units of prose: markup, sentences, citations
# ---------------------------------------------------------------------------------------------

MARKUP = re.compile(
    r"(?P<comment><!--.*?-->)"
    r"|(?P<code>(?P<ticks>`+)(?P<code_body>.+?)(?P=ticks))"
    r"|(?P<dmath>\$\$(?P<dmath_body>.+?)\$\$)"
    r"|(?<!\\)(?P<math>\$(?P<math_body>[^$\s](?:[^$]*?[^$\s\\])?)\$)"
    r"|(?P<image>!\[(?=[^\]]*\]\())"
    r"|(?P<link>\[(?=(?:[^\[\]]|\[[^\]]*\])*\]\())"
    r"|(?P<target>\]\((?P<url>[^)\s]*)(?:\s+\"[^\"]*\")?\))"
    r"|(?P<autolink><https?://[^>]+>)"
    r"|(?P<bare>https?://\S+)"
    r"|(?P<attrs>\{\s*[:#.][^}]*\})"
    r"|(?P<html></?[A-Za-z][^>]*>)"
    r"|(?P<footnote>\[\^[^\]]+\])"
    r"|(?P<entity>&[A-Za-z]+;|&#\d+;)",
    re.DOTALL,
)
MARKUP_KINDS = words("comment code dmath math image link target autolink bare attrs html footnote entity")
ABBREVIATIONS = frozenset(words("al e.g i.e vs cf eq fig figs sec no approx resp etc ca"))
SENTENCE_END = re.compile(r"[.!?][\"')\]*_]*\s+(?=[A-Z0-9\"'(\[*_`$])")


@dataclass
class Masked:
    """A unit's text with its markup blanked out, offsets unchanged.

    Attributes:
        plain: the text with URLs, markup and citation links blanked; code span text kept.
        words: like ``plain``, but code spans and math are a run of "X" (one word to split sentences on).
        math: (offset, TeX line) of every line of math.
        citations: offsets of the links to the references page.
    """

    plain: list[str]
    words: list[str]
    math: list[tuple[int, str]] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)


def _blank(masked: Masked, start: int, end: int, fill: str = " ") -> None:
    """Blank ``start:end`` in ``plain`` and write ``fill`` there in ``words``, keeping line breaks."""
    for position in range(start, end):
        keep = masked.plain[position] == "\n"
        masked.plain[position] = "\n" if keep else " "
        masked.words[position] = "\n" if keep else fill


def _mask_markup(raw: str, *, references_page: bool = False) -> Masked:
    masked = Masked(list(raw), list(raw))
    opened: list[tuple[int, bool]] = []  # '[' of links and images not yet closed: (offset, is image)
    for match in MARKUP.finditer(raw):
        kind = next(name for name in MARKUP_KINDS if match[name] is not None)
        start, end = match.span()
        if kind in {"comment", "autolink", "bare", "attrs", "html", "footnote", "entity"}:
            _blank(masked, start, end)
        elif kind == "code":
            _blank(masked, start, start + len(match["ticks"]))
            _blank(masked, end - len(match["ticks"]), end)
            masked.words[start:end] = ["X" if c != "\n" else "\n" for c in raw[start:end]]
        elif kind in {"dmath", "math"}:
            body_start = match.start(f"{kind}_body")
            offset = body_start
            for line in match[f"{kind}_body"].split("\n"):
                masked.math.append((offset, line))
                offset += len(line) + 1
            _blank(masked, start, end, "X")
        elif kind in {"image", "link"}:
            opened.append((start, kind == "image"))
            _blank(masked, start, end)
        elif kind == "target":
            _blank(masked, start, end)
            if not opened:
                continue
            link_start, is_image = opened.pop()
            url = match["url"]
            cites = bool(CITATION_URL.search(url)) or (references_page and url.startswith("#"))
            if cites and not is_image:
                masked.citations.append(link_start)
            if (cites or url.startswith("#")) and not is_image:
                # The text of a citation link is its authors and year; the text of a link to a heading
                # of the same page repeats the heading, and heading numbers are exempt.
                _blank(masked, link_start, end)
                masked.math = [(o, t) for o, t in masked.math if not link_start <= o < end]
    return masked


def _sentences(words: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a text."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(words):
        word = re.search(r"([A-Za-z.]+)\.$", words[start : match.start() + 1])
        if word and word[1].lower().rstrip(".") in ABBREVIATIONS:
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(words)))
    return spans


def scan_unit(raw: str, *, whole: bool = False, cited: bool = False, references_page: bool = False) -> list[Found]:
    """Every number of one unit of prose (Markdown text), with its exemption and citation.

    ``whole``: the unit is a table cell (a citation anywhere covers it);
    otherwise each sentence is a unit of its own. ``cited``: the unit is cited whatever it links to.
    """
    masked = _mask_markup(raw, references_page=references_page)
    plain, words = "".join(masked.plain), "".join(masked.words)
    found = scan_plain(plain)
    for offset, line in masked.math:
        found.extend(replace(f, start=offset) for f in scan_math(line))
    spans = [(0, len(raw))] if whole else _sentences(words)
    result = []
    for number in sorted(found, key=lambda f: f.start):
        span = next((s for s in spans if s[0] <= number.start < s[1]), (0, len(raw)))
        is_cited = cited or any(span[0] <= c < span[1] for c in masked.citations)
        result.append(replace(number, cited=is_cited))
    return result


def sentence_at(raw: str, offset: int) -> str:
    """The sentence of ``raw`` around ``offset``, on one line (for reports)."""
    words = "".join(_mask_markup(raw).words)
    for start, end in _sentences(words):
        if start <= offset < end:
            return " ".join(raw[start:end].split())
    return " ".join(raw.split())


# ---------------------------------------------------------------------------------------------
# Code: the values it holds
# ---------------------------------------------------------------------------------------------

FSTRING_FIELD = re.compile(r"(?<!\{)\{(?!\{)[^{}]*\}")


def _string_text(token: str) -> str:
    """The text of a Python string literal; an f-string's replacement fields become spaces."""
    prefix = re.match(r"[A-Za-z]*", token).group()
    body = token[len(prefix) :]
    if "f" in prefix.lower():
        body = FSTRING_FIELD.sub(" ", body).replace("{{", "{").replace("}}", "}")
        prefix = prefix.replace("f", "").replace("F", "")
    try:
        value = ast.literal_eval(prefix + body)
    except (SyntaxError, ValueError):
        return body
    return value if isinstance(value, str) else ""


def _python_number(token: str) -> Decimal | None:
    text = token.replace("_", "").rstrip("jJlL")
    if re.match(r"0[xXoObB]", text):
        return Decimal(int(text, 0))
    return to_decimal(text)


@dataclass
class CodeValues:
    """The numbers a page's code writes (see :func:`code_values`)."""

    all: set[Decimal] = field(default_factory=set)

    def update(self, other: CodeValues) -> None:
        self.all |= other.all


def code_values(code: str, *, skip: Iterable[tuple[tuple[int, int], tuple[int, int]]] = ()) -> CodeValues:
    """Every number that the Python ``code`` writes: its numeric literals, and the numbers in the
    string literals of its comparisons (``assert f"{x:.1e}" == "4.0e-05"``).

    A number typed in any other string (a printed label, an error message) is text that nothing
    checks, like comments and docstrings: left out. So are tokens inside the (start, end)
    positions of ``skip`` (a figure's alt and caption).
    Code that does not tokenize is read as text, without its ``#`` lines.
    """
    skip = list(skip)
    result = CodeValues()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        text = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith("#"))
        result.all = {v for _s, _e, _w, vs, _small in _digit_numbers(text) for v in vs}
        return result
    statement: list[Decimal] = []
    in_strings: list[Decimal] = []  # numbers typed in string literals: code only when compared
    compares = False
    statement_start = True
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in {tokenize.NEWLINE, tokenize.ENDMARKER}:
            if compares:
                statement += in_strings
            result.all.update(statement)
            statement, in_strings, compares, statement_start = [], [], False, True
            continue
        if kind in {tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT}:
            continue
        first, statement_start = statement_start, False
        if any(a <= token.start and token.end <= b for a, b in skip):
            continue
        if (kind == tokenize.NAME and token.string == "assert") or (kind == tokenize.OP and token.string == "=="):
            compares = True
        elif kind == tokenize.NUMBER:
            value = _python_number(token.string)
            if value is not None:
                statement.append(value)
        elif kind == tokenize.STRING:
            following = next((t for t in tokens[index + 1 :] if t.type != tokenize.STRING), None)
            if first and (following is None or following.type in {tokenize.NEWLINE, tokenize.ENDMARKER}):
                continue  # a docstring
            text = _string_text(token.string)
            in_strings.extend(v for _s, _e, _w, vs, _small in _digit_numbers(text) for v in vs)
    return result


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """A number that is neither computed, cited nor exempt, or that counts the guide's content."""

    path: str
    line: int
    number: str
    where: str
    context: str = ""
    count: str = ""

    def __str__(self) -> str:
        if self.count:
            return (
                f"{self.path}:{self.line}: {self.number} counts the guide's own {self.count} "
                "(counts of content go stale: remove it)"
            )
        return f"{self.path}:{self.line}: {self.number} is not computed {self.where} (compute it, or cite it)"


@dataclass(frozen=True)
class Located:
    """A number with the file and line it was written on."""

    path: str
    line: int
    found: Found
    context: str


@dataclass
class Analysis:
    """Numbers in prose and values in code of one page."""

    numbers: list[Located] = field(default_factory=list)
    code: CodeValues = field(default_factory=CodeValues)


def _markdown_parser() -> MarkdownIt:
    """The code-block tests' parser (Material containers, snippets in fences) plus tables and definition lists."""
    return make_parser().enable("table").use(deflist_plugin)


ABBREVIATION_LINE = re.compile(r"^\*\[[^\]]+\]:")


def expand_snippets(text: str, name: str, root: Path = ROOT) -> tuple[str, list[tuple[str, int]]]:
    """``text`` with pymdownx.snippets lines replaced by their file (indented like the line).

    Returns the text and, for each of its lines, the (file, 1-based line) it comes from.
    """
    lines, origin = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        match = SNIPPET_LINE.match(line)
        if not match:
            lines.append(line)
            origin.append((name, number))
            continue
        indent = line[: len(line) - len(line.lstrip())]
        path = root / match["path"]
        if not path.is_file():
            raise FileNotFoundError(f"{name}:{number}: snippet {match['path']!r} does not exist")
        for included_number, included in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            lines.append(indent + included if included else included)
            origin.append((match["path"], included_number))
    return "\n".join(lines) + "\n", origin


def analyse_markdown(
    text: str, name: str, *, root: Path = ROOT, first_line: int = 1, origin: list[tuple[str, int]] | None = None
) -> Analysis:
    """The numbers in the prose of a Markdown page and the values in its runnable Python fences.

    ``first_line``: the file line of the text's first line (a notebook's Markdown cell).
    """
    text = "\n".join("" if ABBREVIATION_LINE.match(line) else line for line in text.splitlines())
    text, expanded_origin = expand_snippets(text, name, root)
    if origin is None:
        origin = [(path, line + first_line - 1 if path == name else line) for path, line in expanded_origin]
    references_page = Path(name).name == "references.md"
    analysis = Analysis()
    stack: list[str] = []
    last_term = ""
    for token in _markdown_parser().parse(text):
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            stack.pop()
        elif token.type == "fence":
            info = parse_superfences_block_info(token.info)
            if info and info[0] in PYTHON_LANGS and "notest" not in info[1:]:
                analysis.code.update(code_values(token.content))
        elif token.type == "inline" and token.map:
            if "dt_open" in stack:
                last_term = token.content  # a term is a label, like a heading
                continue
            if "heading_open" in stack:
                continue
            whole = any(kind in stack for kind in ("th_open", "td_open"))
            entry = references_page and "dd_open" in stack and re.search(r"\{#[\w-]+\}", last_term)
            for number in scan_unit(token.content, whole=whole, cited=bool(entry), references_page=references_page):
                path, line = origin[token.map[0] + token.content[: number.start].count("\n")]
                analysis.numbers.append(Located(path, line, number, sentence_at(token.content, number.start)))
    return analysis


def analyse_notebook(text: str, name: str) -> Analysis:
    """The numbers in a jupytext percent notebook's Markdown cells and alt texts, and the values in its code cells."""
    analysis = Analysis()
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("# %%")]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        header, body = lines[start], lines[start + 1 : end]
        if "[markdown]" in header:
            markdown = "\n".join(re.sub(r"^# ?", "", line) if line.startswith("#") else line for line in body)
            cell = analyse_markdown(markdown, name, first_line=start + 2)
            analysis.numbers.extend(cell.numbers)
            analysis.code.update(cell.code)
            continue
        alt = re.search(r'\balt="((?:[^"\\]|\\.)*)"', header)
        if alt:
            for number in scan_unit(alt[1]):
                analysis.numbers.append(Located(name, start + 1, number, sentence_at(alt[1], number.start)))
        analysis.code.update(code_values("\n".join(body)))
    return analysis


def _figure_strings(source: str) -> list[list[tokenize.TokenInfo]]:
    """The string tokens of every ``alt=`` and ``caption=`` argument of a ``figure(...)`` call."""
    spans = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "figure":
            for keyword in node.keywords:
                if keyword.arg in {"alt", "caption"}:
                    value = keyword.value
                    spans.append(((value.lineno, value.col_offset), (value.end_lineno, value.end_col_offset)))
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    return [[t for t in tokens if t.type == tokenize.STRING and a <= t.start and t.end <= b] for a, b in spans]


def analyse_figure_module(text: str, name: str) -> Analysis:
    """The numbers in a figure module's alt texts and captions, and the values in the rest of its code."""
    analysis = Analysis()
    strings = _figure_strings(text)
    for pieces in strings:
        joined, starts = "", []
        for piece in pieces:
            starts.append((len(joined), piece.start[0]))
            joined += _string_text(piece.string)
        for number in scan_unit(joined):
            line = max((s for s in starts if s[0] <= number.start), default=(0, pieces[0].start[0]))[1]
            analysis.numbers.append(Located(name, line, number, sentence_at(joined, number.start)))
    skip = [(pieces[0].start, pieces[-1].end) for pieces in strings if pieces]
    analysis.code = code_values(text, skip=skip)
    return analysis


def analyse_glossary(path: Path, name: str, root: Path = ROOT) -> tuple[Analysis, Analysis]:
    """The numbers in the glossary file: its long definitions, each read as a definition of the glossary
    page, and its tooltips, checked against the long definitions (a number they cite counts as cited)."""
    entries = glossary.load(path)
    definitions = Analysis()
    for entry in entries:
        if entry.long:
            text = f"{entry.term}\n:   " + entry.long.replace("\n", "\n    ")
            part = analyse_markdown(text, name, root=root, first_line=entry.lines["long"] - 1)
            definitions.numbers += part.numbers
            definitions.code.update(part.code)
    cited = {v for n in definitions.numbers if n.found.cited for v in n.found.values}
    tooltips = Analysis(code=CodeValues(definitions.code.all | cited))
    for entry in entries:
        for number in scan_unit(entry.short, whole=True):
            tooltips.numbers.append(Located(name, entry.lines["short"], number, entry.short))
    return definitions, tooltips


SHOWN_FIELD = re.compile(r"^\s*(?:- )?(?:text|why|hint): (?P<text>.+)$")
"""A line of a question's front matter that the page shows: a choice, its explanation, a slip's hint."""


def analyse_question(path: Path, name: str, root: Path = ROOT) -> Analysis:
    """A question of the bank as the site shows it (seed 0): its text and worked answer with the
    parameters filled in, and its choices, explanations and hints, each at its line of the file."""
    from guide_build import practice

    question = practice.load_question(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    end = lines.index("---", 1)
    shown = []
    for line in lines[1:end]:
        match = SHOWN_FIELD.match(line)
        shown.append(match["text"].strip("'\"") if match else "")
    body = practice.render_text("\n".join(lines[end + 1 :]), question, 0, "question")
    return analyse_markdown("\n" + "\n".join(shown) + "\n" + body, name, root=root)


def checked_files(root: Path = ROOT) -> list[Path]:
    """Every file whose prose is checked: pages, questions, notebooks, figure modules, the glossary."""
    figures = [
        path
        for path in sorted((root / FIGURES.relative_to(ROOT)).glob("*.py"))
        if re.search(r"^@figure\(", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    return [
        *sorted((root / "docs").rglob("*.md")),
        *sorted((root / "includes" / "questions").glob("*.md")),
        *sorted((root / "notebooks").glob("*.py")),
        *figures,
        root / GLOSSARY.relative_to(ROOT),
    ]


def file_id(path: Path, root: Path = ROOT) -> str:
    """The test id of a checked file: docs/diffusion.md, notebooks/tiny_diffusion.py, figures/llm_figures.py."""
    relative = path.relative_to(root).as_posix()
    return relative.removeprefix("src/diffusion_vs_llms/")


def violations(path: Path, root: Path = ROOT) -> list[Violation]:
    """The numbers in the prose of ``path`` that are neither computed, cited nor exempt."""
    name = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yml":
        analyses, where = analyse_glossary(path, name, root), "on the glossary page"
    elif path.suffix == ".md" and path.parent.name == "questions":
        analyses, where = [analyse_question(path, name, root)], "in this question"
    elif path.suffix == ".md":
        analyses, where = [analyse_markdown(text, name, root=root)], "on this page"
    elif path.parent.name == "notebooks":
        analyses, where = [analyse_notebook(text, name)], "on this page"
    else:
        analyses, where = [analyse_figure_module(text, name)], "in this module"
    return [
        Violation(n.path, n.line, n.found.text, where, n.context, n.found.count)
        for analysis in analyses
        for n in analysis.numbers
        if not passes(n.found, analysis.code)
    ]


def passes(number: Found, code: CodeValues) -> bool:
    """Exempt, cited, or computed; a count of the guide's content only when cited."""
    if number.exempt or number.cited:
        return True
    return not number.count and bool(number.values & code.all)


def main(argv: list[str]) -> int:
    """Print the violations of every checked file (or of the files named), grouped by file, with their sentences."""
    paths = [ROOT / a for a in argv] if argv else checked_files()
    total = 0
    for path in paths:
        found = violations(path)
        total += len(found)
        print(f"== {file_id(path)}: {len(found)}")
        for violation in found:
            print(violation)
            print(f"    | {violation.context}")
    print(f"== total: {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
