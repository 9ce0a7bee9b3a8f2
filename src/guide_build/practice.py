"""The question bank: one Markdown file per question in ``includes/questions/``, listed in
``includes/questions/index.yml`` under the Practice page that shows it (the order and numbering of
the questions, and the retired ids). From it the build makes the Practice pages (their questions
with worked answers), the table of all questions by chapter on the Practice section's first page,
and each chapter's self-check (its own questions, a short answer, a link to the worked one);
nothing generated is kept.

A question file is YAML front matter (title, the section it practises, parameters, the parts to
answer), the question in Markdown, a line ``## Answer`` and the worked answer in Markdown. The
front matter's fields are described in ``includes/questions/index.yml``. Numbers in the text may
be ``{{ name }}`` of a parameter or a computed value (Jinja); the published site uses seed 0, the
``value`` of each parameter, and a worksheet's other seeds draw them from their ranges.
"""

from __future__ import annotations

import functools
import html
import json
import math
import posixpath
import re
import traceback
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from guide_build import ROOT, YAML_LOADER, cache
from guide_build.mkdocs import chapter_folder

BANK = ROOT / "includes" / "questions"
INDEX = "index.yml"
ANSWER_LINE = "## Answer"
KINDS = ("numeric", "choice", "select", "text", "explain")
LETTERS = "ABCDEFGH"
"""The letters of a part's choices: at most eight."""
"""A part is answered with a number, one choice, several choices, a word or phrase, or in words."""
QUESTION_FIELDS = ("title", "practises", "params", "values", "parts")
PART_FIELDS = {
    "numeric": ("kind", "label", "answer", "tolerance", "unit", "slips"),
    "choice": ("kind", "label", "choices"),
    "select": ("kind", "label", "choices"),
    "text": ("kind", "label", "accept"),
    "explain": ("kind", "label", "checklist"),
}
PRACTISES = re.compile(r"^\[(?P<text>[^\]]+)\]\((?P<page>[\w/.-]+\.md)#(?P<anchor>[\w-]+)\)$")
REFERENCE = re.compile(r"\[\]\(#(?P<id>q-[\w-]+)\)")
"""``[](#q-some-id)`` in any page or question: a link reading "question N" to the question on its
Practice page."""
MARKER = re.compile(r"^<!-- questions: (?P<which>practice|overview|self-check|worksheet) -->$", re.MULTILINE)
"""The line a page puts where its questions go: those ``index.yml`` lists under this page, with
worked answers (a Practice page); the table of every question by chapter; the questions that
practise this page (a self-check); or the worksheet page's (filled in from the page's HTML by
``guide_build.worksheet``)."""
LINK_TARGET = re.compile(r"\]\((?P<target>[\w./-]+\.md)(?P<anchor>#[\w-]*)?\)")
"""A Markdown link to a page of the guide, as the bank writes it: relative to ``docs/``."""


def rebase(markdown: str, page: str) -> str:
    """``markdown`` written for ``docs/``, with its links to pages made relative to ``page`` (a docs
    path such as ``diffusion/training.md``): the bank's links work from a section in a folder."""
    folder = posixpath.dirname(page)
    if not folder:
        return markdown
    return LINK_TARGET.sub(lambda m: f"]({posixpath.relpath(m['target'], folder)}{m['anchor'] or ''})", markdown)


class BankError(PluginError):
    """A mistake in the question bank; the message starts with ``file:line:``."""


def _ln(x: float) -> float:
    if x <= 0:
        raise ValueError(f"ln needs a positive number, got {x}")
    return math.log(x)


FUNCTIONS: dict[str, Any] = {
    "ln": _ln, "log2": math.log2, "log10": math.log10, "exp": math.exp, "sqrt": math.sqrt,
    "e": math.e, "pi": math.pi, "abs": abs, "min": min, "max": max, "round": round, "sum": sum,
    "prod": math.prod, "range": range, "len": len, "float": float, "int": int,
}  # fmt: skip
"""What an answer's expression may call besides the package's modules (``timing.diffusion_image_time``)."""


def _package() -> dict[str, Any]:
    import importlib

    names = (
        "attention",
        "bigram",
        "flow_matching",
        "forward",
        "losses",
        "preferences",
        "probability",
        "reverse",
        "sampling",
        "schedules",
        "timing",
        "tokenizer",
    )
    return {name: importlib.import_module(f"diffusion_vs_llms.{name}") for name in names}


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Part:
    kind: str
    label: str
    answer: str = ""  # numeric: an expression of the parameters and values
    tolerance: float = 0.0
    unit: str = ""
    slips: tuple[tuple[str, str], ...] = ()  # numeric: (expression, hint) of a common wrong answer
    choices: tuple[Choice, ...] = ()
    accept: tuple[str, ...] = ()  # text: the accepted answers
    checklist: tuple[str, ...] = ()  # explain: what a good answer must contain, for grading


@dataclass(frozen=True)
class Question:
    id: str
    path: str  # as shown in errors: includes/questions/<id>.md
    title: str
    practises: str  # a Markdown link to the section, [text](page.md#anchor)
    params: Mapping[str, Mapping[str, Any]]
    values: Mapping[str, str]
    parts: tuple[Part, ...]
    question: str
    solution: str
    lines: Mapping[str, int] = field(default_factory=dict)  # file line of "question", "solution", fields
    shown_on: str = ""  # the Practice page with its worked answer (docs path), as load() reads it from index.yml

    def where(self, what: str = "question") -> str:
        return f"{self.path}:{self.lines.get(what, 1)}"

    @property
    def page(self) -> str:
        return PRACTISES.match(self.practises)["page"]

    @property
    def checkable(self) -> bool:
        return any(part.kind != "explain" for part in self.parts)


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _compose(text: str, name: str, first_line: int = 0) -> yaml.Node:
    try:
        return yaml.compose(text, Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line if mark else 0) + first_line + 1
        raise BankError(f"{name}:{line}: {error.problem or error.context}") from None


def _plain(node: yaml.Node) -> Any:
    return yaml.constructor.SafeConstructor().construct_document(node) if node is not None else None


def load_question(path: Path) -> Question:
    """One question file, checked; a mistake raises :class:`BankError` naming its line."""
    name = _name(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0] != "---" or "---" not in lines[1:]:
        raise BankError(f"{name}:1: a question starts with front matter between two '---' lines")
    end = lines.index("---", 1)
    if ANSWER_LINE not in lines[end:]:
        raise BankError(f"{name}:{len(lines)}: no '{ANSWER_LINE}' line before the worked answer")
    answer = lines.index(ANSWER_LINE, end)
    node = _compose("\n".join(lines[1:end]), name, 1)
    if not isinstance(node, yaml.MappingNode):
        raise BankError(f"{name}:2: the front matter must give {', '.join(QUESTION_FIELDS)}")
    fields: dict[str, Any] = {}
    where = {"question": end + 2, "solution": answer + 2}
    for key, value in node.value:
        where[key.value] = key.start_mark.line + 2
        if key.value not in QUESTION_FIELDS:
            raise BankError(f"{name}:{where[key.value]}: unknown field {key.value!r} ({', '.join(QUESTION_FIELDS)})")
        fields[key.value] = (value, _plain(value))
    for required in ("title", "practises", "parts"):
        if required not in fields:
            raise BankError(f"{name}:2: no {required}: (a question needs title, practises and parts)")
    practises = fields["practises"][1]
    if not isinstance(practises, str) or not PRACTISES.match(practises.strip()):
        raise BankError(f"{name}:{where['practises']}: practises must be a link, [Section](page.md#anchor)")
    parts_node = fields["parts"][0]
    if not isinstance(parts_node, yaml.SequenceNode) or not parts_node.value:
        raise BankError(f"{name}:{where['parts']}: parts must be a list of parts, each starting with '- kind:'")
    parts = tuple(_part(item, name) for item in parts_node.value)
    params = fields.get("params", (None, {}))[1] or {}
    for param, spec in params.items():
        if not isinstance(spec, dict) or "value" not in spec or not ({"range", "choices"} & set(spec)):
            raise BankError(
                f"{name}:{where['params']}: parameter {param!r} needs value (seed 0) and range: [low, high, step]"
                " or choices: [...]"
            )
    question = Question(
        id=path.stem,
        path=name,
        title=str(fields["title"][1]),
        practises=practises.strip(),
        params=params,
        values=fields.get("values", (None, {}))[1] or {},
        parts=parts,
        question="\n".join(lines[end + 1 : answer]),  # from the line after "---", so that a line
        solution="\n".join(lines[answer + 1 :]),  # number in the text is one in the file
        lines=where,
    )
    check(question)
    return question


NOTATION = re.compile(r"\$|\\[A-Za-z]|[A-Za-z]_[A-Za-z0-9{]|\^")
"""TeX in a part's label or a slip's hint, which the page shows as plain text (an answer field's label,
the message under it), where it would read as d_k or W^Q."""


def _plain_text(text: str, line: str, what: str) -> str:
    notation = NOTATION.search(text)
    if notation:
        raise BankError(
            f"{line}: a {what} is shown as plain text, not typeset; say {notation[0]!r} in words (got {text!r})"
        )
    return text


def _part(node: yaml.Node, name: str) -> Part:
    line = f"{name}:{node.start_mark.line + 2}"
    data = _plain(node)
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind not in KINDS:
        raise BankError(f"{line}: a part needs kind: one of {', '.join(KINDS)} (got {kind!r})")
    unknown = set(data) - set(PART_FIELDS[kind])
    if unknown:
        raise BankError(f"{line}: a {kind} part has no field {sorted(unknown)[0]!r} ({', '.join(PART_FIELDS[kind])})")
    label = _plain_text(str(data.get("label", "")), line, "label")
    if kind == "numeric":
        tolerance = data.get("tolerance")
        if (
            "answer" not in data
            or isinstance(tolerance, bool)
            or not isinstance(tolerance, int | float)
            or tolerance <= 0
        ):
            raise BankError(f"{line}: a numeric part needs answer: (an expression) and tolerance: (a positive number)")
        slips = []
        for slip in data.get("slips") or []:
            if not isinstance(slip, dict) or set(slip) != {"answer", "hint"}:
                raise BankError(f"{line}: each slip is answer: (an expression) and hint: (what went wrong)")
            slips.append((str(slip["answer"]), _plain_text(str(slip["hint"]), line, "slip's hint")))
        return Part(kind, label, str(data["answer"]), float(data["tolerance"]), str(data.get("unit", "")), tuple(slips))
    if kind in ("choice", "select"):
        choices = []
        for choice in data.get("choices") or []:
            if (
                not isinstance(choice, dict)
                or set(choice) != {"text", "correct", "why"}
                or not isinstance(choice["correct"], bool)
                or not str(choice["why"])
            ):
                raise BankError(f"{line}: each choice is text:, correct: (true or false) and why: (its explanation)")
            choices.append(Choice(str(choice["text"]), choice["correct"] is True, str(choice["why"]).strip()))
        right = sum(c.correct for c in choices)
        if (
            not 2 <= len(choices) <= len(LETTERS)
            or (kind == "choice" and right != 1)
            or (kind == "select" and right < 1)
        ):
            raise BankError(
                f"{line}: a {kind} part needs 2 to {len(LETTERS)} choices and "
                + ("exactly one correct" if kind == "choice" else "at least one correct")
                + f" (got {len(choices)} choices, {right} correct)"
            )
        return Part(kind, label, choices=tuple(choices))
    if kind == "text":
        accept = data.get("accept")
        if not isinstance(accept, list) or not accept:
            raise BankError(f"{line}: a text part needs accept: [the answers counted right]")
        return Part(kind, label, accept=tuple(str(a) for a in accept))
    checklist = data.get("checklist")
    if not isinstance(checklist, list) or not checklist or not all(isinstance(c, str) and c.strip() for c in checklist):
        raise BankError(f"{line}: an explain part needs checklist: [the points a good answer must contain]")
    return Part(kind, label, checklist=tuple(c.strip() for c in checklist))


def draw(question: Question, seed: int) -> dict[str, float]:
    """The parameters of ``question`` for a seed: their ``value`` for seed 0, else drawn from their
    ranges by a generator seeded with the seed and the question's id (the same whatever else is drawn)."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    rng = np.random.default_rng([seed, zlib.crc32(question.id.encode())])
    drawn: dict[str, float] = {}
    for param, spec in question.params.items():
        if seed == 0:
            drawn[param] = spec["value"]
        elif "choices" in spec:
            drawn[param] = spec["choices"][int(rng.integers(len(spec["choices"])))]
        else:
            low, high, step = spec["range"]
            decimals = max(0, -Decimal(str(step)).as_tuple().exponent)
            value = round(low + step * int(rng.integers(round((high - low) / step) + 1)), decimals)
            drawn[param] = value if decimals else int(value)
    return drawn


def evaluate(expression: str, names: Mapping[str, Any]) -> Any:
    """An answer's expression, with the parameters and values ``names``, :data:`FUNCTIONS` and the package."""
    return eval(expression, {"__builtins__": {}, **FUNCTIONS, **_package()}, dict(names))


def values(question: Question, seed: int = 0) -> dict[str, Any]:
    """The parameters for ``seed`` and every computed value, in the order the front matter gives them."""
    names: dict[str, Any] = draw(question, seed)
    for name, expression in question.values.items():
        try:
            names[name] = evaluate(str(expression), names)
        except Exception as error:
            raise BankError(f"{question.where('values')}: value {name} = {expression}: {error}") from None
    return names


def answers(question: Question, seed: int = 0) -> list[dict[str, Any]]:
    """Each numeric part's answer and slips as numbers, for ``seed``."""
    names = values(question, seed)
    result = []
    for part in question.parts:
        if part.kind != "numeric":
            result.append({})
            continue
        computed = {}
        for what, expression in [("answer", part.answer), *((f"slip {i}", s) for i, (s, _) in enumerate(part.slips))]:
            try:
                value = float(evaluate(expression, names))
            except Exception as error:
                raise BankError(f"{question.where('parts')}: {what} {expression}: {error}") from None
            if not math.isfinite(value):
                raise BankError(f"{question.where('parts')}: {what} {expression} is {value}, not a finite number")
            computed[what] = value
        result.append(computed)
    return result


LETTERED = re.compile(r"\([a-z]\) ")
"""A part's label that starts with its letter in the question's text, "(b) Tokens per second"."""


def check(question: Question) -> None:
    """Fail with the question's file and line when its answers, slips or text do not work out at seed 0."""
    numbers = answers(question)
    for part, computed in zip(question.parts, numbers, strict=True):
        for i, (_, hint) in enumerate(part.slips):
            if abs(computed[f"slip {i}"] - computed["answer"]) <= part.tolerance:
                where = question.where("parts")
                raise BankError(f"{where}: the slip {hint[:40]!r} is within the tolerance of the answer")
    lettered = [LETTERED.match(part.label) is not None for part in question.parts]
    if any(lettered) and not all(lettered):
        unlettered = next(part.label for part, has in zip(question.parts, lettered, strict=True) if not has)
        raise BankError(f"{question.where('parts')}: the label {unlettered!r} needs its letter, as the others have")
    render_text(question.question, question, 0, "question")
    render_text(question.solution, question, 0, "solution")


def number_text(value: Any, decimals: int | None = None) -> str:
    """A number as the guide writes it: ``4`` for 4.0, ``decimals`` places when given."""
    if decimals is not None:
        return f"{value:.{decimals}f}"
    if isinstance(value, float):
        return f"{value:.10g}"  # 4.000000000000001 is 4, as the reader computes it
    return str(value)


_JINJA = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
_JINJA.filters["dp"] = lambda value, decimals: number_text(value, decimals)
_JINJA.finalize = lambda value: number_text(value) if isinstance(value, int | float) else value


_TEMPLATE_SYNTAX = re.compile(r"\{[{%#]")
"""Where a text needs Jinja: an expression, a statement or a comment."""


@functools.lru_cache(maxsize=4096)
def _template(text: str) -> jinja2.Template:
    """``text`` compiled once: each build renders every question's texts several times (the page, the
    self-checks, the exports, the handouts)."""
    return _JINJA.from_string(text)


def render_text(text: str, question: Question, seed: int, where: str) -> str:
    """``text`` with its ``{{ name }}`` filled in for ``seed``; an unknown name names the file and line."""
    try:
        if not _TEMPLATE_SYNTAX.search(text):
            return text  # what Jinja would give, without compiling a template
        return _template(text).render(values(question, seed))
    except jinja2.TemplateError as error:
        # a syntax error knows its line; a runtime one (an unknown name) has it in the traceback
        frames = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
        offset = getattr(error, "lineno", None) or (frames[-1] if frames else 1)
        raise BankError(f"{question.path}:{question.lines.get(where, 1) + offset - 1}: {error}") from None


def source(config: Mapping[str, Any]) -> Path:
    """``includes/questions/`` next to the ``mkdocs.yml`` being built."""
    return Path(config["config_file_path"]).parent / "includes" / "questions"


def load(bank: Path = BANK) -> list[Question]:
    """Every question of the bank, in the order of its index (page by page); checks that every file is
    listed once, under a page, and every listed or retired id is either a file or retired, not both.
    The same files, byte for byte, are read and checked once: the hooks of one build (the questions,
    the reading times) share them."""
    paths = [*sorted(bank.glob("*.md")), bank / INDEX]
    contents = cache.key(*(part for path in paths if path.is_file() for part in (path.name, path.read_bytes())))
    return list(_load(bank.resolve(), contents))


@functools.lru_cache(maxsize=8)
def _load(bank: Path, contents: str) -> tuple[Question, ...]:
    """:func:`load` of ``bank`` whose files hash to ``contents``."""
    index_path = bank / INDEX
    name = _name(index_path)
    index = _plain(_compose(index_path.read_text(encoding="utf-8"), name)) or {}
    pages = index.get("parts") or {}
    if not isinstance(pages, dict) or not all(isinstance(ids, list) for ids in pages.values()):
        raise BankError(f"{name}: parts must map each Practice page (practice/part.md) to a list of question ids")
    if bad_pages := [page for page in pages if not re.fullmatch(r"[\w/-]+\.md", str(page))]:
        raise BankError(f"{name}: {bad_pages[0]} is not a page of docs/ such as practice/part.md")
    shown_on = {i: page for page, ids in pages.items() for i in ids}
    listed, retired = [i for ids in pages.values() for i in ids], set(index.get("retired") or [])
    files = {path.stem: path for path in bank.glob("*.md")}
    problems = [f"{name}: {i} is listed twice" for i in {i for i in listed if listed.count(i) > 1}]
    problems += [f"{name}: {i} is both listed and retired (an id is never reused)" for i in retired & set(listed)]
    problems += [f"{name}: {i} is listed but {i}.md does not exist" for i in listed if i not in files]
    problems += [f"{_name(files[i])}: not listed in {name} (add its id)" for i in files if i not in listed]
    problems += [f"{name}: retired {i} still has a file" for i in retired & set(files)]
    bad = [i for i in listed if not re.fullmatch(r"q-[a-z0-9]+(-[a-z0-9]+)*", i)]
    problems += [f"{name}: {i} is not an id like q-cross-entropy-one-token (q-, lower case, hyphens)" for i in bad]
    if problems:
        raise BankError("; ".join(sorted(problems)))
    return tuple(replace(load_question(files[i]), shown_on=shown_on[i]) for i in listed)


# ---- Markdown for the pages -------------------------------------------------------------------------


def _indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line if line.strip() else "" for line in text.splitlines())


def explanation(question: Question, choice: Choice) -> str:
    """Why ``choice`` is right or wrong; a wrong one whose explanation links nowhere sends the reader
    to the section the question practises, which sets the misconception right."""
    if choice.correct or "](" in choice.why:
        return choice.why
    return f"{choice.why} See {question.practises}."


def _choices_markdown(question: Question, index: int, part: Part, solution: bool, inputs: bool = False) -> str:
    """The choices as a lettered list (question), or each choice's explanation (worked answer);
    ``inputs``: each choice with its radio button (one right) or checkbox (several) to pick it."""
    kind = "choice-explanations" if solution else "choices choices--live" if inputs else "choices"
    items = []
    for letter, choice in zip(LETTERS, part.choices, strict=False):
        if solution:
            verdict = "right" if choice.correct else "wrong"
            items.append(f"1. **({letter}) is {verdict}.** {explanation(question, choice)}")
        elif inputs:
            control = f"{question.id}-{index}-{len(items)}"
            kind_of_input = "radio" if part.kind == "choice" else "checkbox"
            items.append(
                f'1. <input type="{kind_of_input}" name="{question.id}-{index}" id="{control}" value="{len(items)}">'
                f'<label for="{control}">{choice.text}</label>'
            )
        else:
            items.append(f"1. {choice.text}")
    correct = ",".join(str(i) for i, c in enumerate(part.choices) if c.correct)
    label = html.escape(part.label or "Your choice", quote=True)
    label_id = f"{question.id}-{index}-label"
    data = f' data-part="{index}"'
    if not solution:
        role = "radiogroup" if inputs and part.kind == "choice" else "group"
        data += f' data-kind="{part.kind}" data-correct="{correct}" role="{role}" aria-labelledby="{label_id}"'
    heading = f'<p class="choices__label" id="{label_id}">{label}</p>\n' if not solution else ""
    return heading + f'<div class="{kind}" markdown{data}>\n\n' + "\n".join(items) + "\n\n</div>"


def _self_check(question: Question, seed: int) -> str:
    """The parts to answer, in order: each choice part's lettered list with a button or box to pick
    each choice, the fields for the other parts, and the Check button that ``practice.js`` answers.
    The page is laid out with them from the start, so nothing moves when the script runs; without
    JavaScript (overrides/main.html) and on paper (print.css) they are hidden, and the lettered list
    remains."""
    numbers = answers(question, seed)
    rows = []
    for index, (part, computed) in enumerate(zip(question.parts, numbers, strict=True)):
        control = f"{question.id}-{index}"
        label = html.escape(part.label or "Your answer")
        if part.kind in ("choice", "select"):
            rows.append(_choices_markdown(question, index, part, solution=False, inputs=True))
            continue
        if part.kind == "numeric":
            slips = [[computed[f"slip {i}"], hint] for i, (_, hint) in enumerate(part.slips)]
            data = (
                f' data-answer="{computed["answer"]!r}" data-tolerance="{part.tolerance!r}"'
                f' data-slips="{html.escape(json.dumps(slips))}"'
            )
        elif part.kind == "text":
            data = f' data-accept="{html.escape(json.dumps(list(part.accept)))}"'
        else:
            continue
        unit = f' <span class="self-check__unit">{html.escape(part.unit)}</span>' if part.unit else ""
        rows.append(
            f'<p class="self-check__part" data-part="{index}" data-kind="{part.kind}"{data}>'
            f'<label for="{control}">{label}</label> '
            f'<input id="{control}" type="text" autocomplete="off" spellcheck="false">{unit}</p>'
        )
    return (
        f'<div class="self-check" role="group" aria-label="Check your answer" data-question="{question.id}"'
        " markdown>\n\n"
        + "\n\n".join(rows)
        + '\n\n<p class="self-check__actions"><button type="button" class="md-button">Check</button></p>\n'
        '<div class="self-check__feedback" role="status"></div>\n\n</div>'
    )


def worked_markdown(question: Question, seed: int) -> str:
    """The worked answer of ``question`` for ``seed``, with the grading checklist of each part to
    explain in words."""
    worked = render_text(question.solution, question, seed, "solution").strip("\n")
    return "".join([worked, *(_checklist(part) for part in question.parts if part.kind == "explain")])


def _checklist(part: Part) -> str:
    """What a good answer to a part to explain in words must contain, as a list under a sentence."""
    to = f" to *{part.label}*" if part.label else ""
    return f"\n\nA good answer{to} must contain:\n\n" + "\n".join(f"- {c}" for c in part.checklist)


def _short_answer(question: Question, seed: int) -> str:
    """A chapter self-check's answer: each part's result (what a good answer contains, for a part to
    explain in words), and a link to the worked answer."""
    lines = []
    for index, (part, computed) in enumerate(zip(question.parts, answers(question, seed), strict=True)):
        label = f"{part.label}: " if part.label else ""
        if part.kind == "numeric":
            decimals = max(0, math.ceil(-math.log10(2 * part.tolerance)))  # as many as the tolerance asks
            lines.append(f"- {label}{computed['answer']:.{decimals}f} {part.unit}".rstrip())
        elif part.kind == "text":
            lines.append(f"- {label}{part.accept[0]}")
        elif part.kind in ("choice", "select"):
            lines.append(f"\n{_choices_markdown(question, index, part, solution=True)}\n")
        else:
            lines.append(f"{_checklist(part)}\n")
    lines.append(f"\nThe worked answer: [question {{number}}]({question.shown_on}#{question.id}).")
    return "\n".join(lines)


def answer_space_cm(question: Question) -> float:
    """The height of a question's box to write the answer in, on paper (handouts, worksheets): room for
    its first written part and 1.6 cm for each further one; 1.6 cm to write the letters when every
    part is a choice. Its heading carries it (``data-answer-space``) for the handouts' layout."""
    written = sum(part.kind not in ("choice", "select") for part in question.parts)
    return round(3.2 + 1.6 * (written - 1), 1) if written else 1.6


def question_markdown(
    question: Question, number: int, *, seed: int = 0, level: int = 2, worked: bool = True, form: bool = True
) -> str:
    """The Markdown of one question: heading, text, choices, self-check form (or, ``form=False``, the
    choices alone) and collapsed answer (the worked answer, or a chapter self-check's short one)."""
    text = render_text(question.question, question, seed, "question").strip("\n")
    title = render_text(question.title, question, seed, "title")
    space = f'data-answer-space="{answer_space_cm(question):g}"'
    practises = f"Practises: {question.practises}\n{{: .question-practises }}"
    blocks = [f"{'#' * level} Question {number}: {title} {{#{question.id} {space}}}", practises, text]
    if question.checkable and form:
        blocks.append(_self_check(question, seed))
    elif question.checkable:
        blocks += [
            _choices_markdown(question, i, part, solution=False)
            for i, part in enumerate(question.parts)
            if part.kind in ("choice", "select")
        ]
    if worked:
        answer = worked_markdown(question, seed)
        for index, part in enumerate(question.parts):
            if part.kind in ("choice", "select"):
                answer += "\n\n" + _choices_markdown(question, index, part, solution=True)
    else:
        answer = _short_answer(question, seed).replace("{number}", str(number))
    blocks.append('??? success "Answer"\n' + _indent(answer))
    return "\n\n".join(blocks) + "\n"


def _progress(questions: list[Question]) -> str:
    """Where ``practice.js`` shows how many of ``questions`` this browser answered right."""
    return f'<span class="practice-progress" data-questions="{" ".join(q.id for q in questions)}" hidden></span>'


def section_titles(titles: Mapping[str, str]) -> dict[str, str]:
    """The nav's page titles (docs path -> title) with a section of a chapter folder named with its
    chapter, "Diffusion models: Noise schedules", as the question lists show it."""
    named = {}
    for page, title in titles.items():
        folder = chapter_folder(page, titles)
        section = folder is not None and page != f"{folder}/index.md"
        named[page] = f"{titles[f'{folder}/index.md']}: {title}" if section else title
    return named


def places(questions: list[Question]) -> dict[str, tuple[int, str]]:
    """Each question's number (its place in the bank's order) and the Practice page that shows it, by id."""
    return {q.id: (n, q.shown_on) for n, q in enumerate(questions, 1)}


def overview(questions: list[Question], titles: Mapping[str, str]) -> str:
    """The table of the questions by chapter, in the order of the nav, each linked to its Practice page."""
    numbers = {i: number for i, (number, _) in places(questions).items()}
    rows = ["| Chapter | Questions |", "| --- | --- |"]
    for page, title in titles.items():
        own = [q for q in questions if q.page == page]
        if own:
            links = ", ".join(f"[{numbers[q.id]}]({q.shown_on}#{q.id})" for q in own)
            rows.append(f"| [{title}]({page}) | {links} {_progress(own)} |")
    missing = sorted({q.page for q in questions} - set(titles))
    if missing:
        raise BankError(f"{questions[0].path}: questions practise {missing[0]}, which is not in the nav")
    return "\n".join(rows) + '\n\n<p class="practice-reset" hidden></p>\n'


def fill_in(markdown: str, page: str, questions: list[Question], titles: Mapping[str, str]) -> str:
    """``markdown`` of the page ``page`` (docs path) with its question marker replaced and every
    ``[](#q-id)`` made a "question N" link to the question's Practice page; ``titles``: the nav's
    page titles."""
    where = places(questions)
    numbers = {i: number for i, (number, _) in where.items()}

    def questions_here(match: re.Match[str]) -> str:
        if match["which"] == "worksheet":
            return match[0]
        if match["which"] == "overview":
            return rebase(overview(questions, titles), page)
        if match["which"] == "practice":
            here = [q for q in questions if q.shown_on == page]
            if not here:
                raise BankError(f"docs/{page}: '<!-- questions: practice -->' but {INDEX} lists no questions for it")
            return rebase("\n".join(question_markdown(q, numbers[q.id]) for q in here), page)
        own = [q for q in questions if q.page == page]
        if not own:
            raise BankError(f"docs/{page}: '<!-- questions: self-check -->' but no question practises this page")
        intro = f"<p>{_progress(own)}</p>\n\n"
        return rebase(intro + "\n".join(question_markdown(q, numbers[q.id], level=3, worked=False) for q in own), page)

    def reference(match: re.Match[str]) -> str:
        if match["id"] not in where:
            raise BankError(f"docs/{page}: [](#{match['id']}) names no question of the bank")
        number, home = where[match["id"]]
        target = "" if page == home else posixpath.relpath(home, posixpath.dirname(page) or ".")
        return f"[question {number}]({target}#{match['id']})"

    return REFERENCE.sub(reference, MARKER.sub(questions_here, markdown))


def outdate_pages(files: Files, bank: Path) -> None:
    """Remove the built pages that show questions when the bank is newer, so that ``mkdocs serve
    --dirty``, which rebuilds a page only when its own file is newer, rebuilds them."""
    newest = max(path.stat().st_mtime for path in bank.iterdir())
    for file in files.documentation_pages():
        built = Path(file.abs_dest_path)
        uses = MARKER.search(file.content_string) or REFERENCE.search(file.content_string)
        if uses and built.exists() and built.stat().st_mtime < newest:
            built.unlink()
