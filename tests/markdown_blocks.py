"""The Markdown parser the code-block tests use, and helpers to list Python fences.

It understands what Material for MkDocs renders but CommonMark does not:

- containers whose body is indented by four spaces: admonitions (``!!!``),
  collapsible blocks (``???``, ``???+``) and content tabs (``===``, ``===+``);
- pymdownx.snippets lines (``--8<-- "snippets/topic/file.py"``) inside a fence, which are
  replaced by the file's text, exactly as the site shows it.

pytest-markdown-docs gets this parser through the ``pytest_markdown_docs_markdown_it`` hook
(``tests/conftest.py``), so fences inside containers are collected and run too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from pytest_markdown_docs.plugin import parse_superfences_block_info

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN = [*sorted((ROOT / "docs").rglob("*.md")), *sorted((ROOT / "includes" / "questions").glob("*.md"))]
"""The Markdown files whose code blocks run as tests: the pages and the questions of the bank."""
CONTAINER_MARKERS = ("???+", "===+", "!!!", "???", "===")
SNIPPET_LINE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+)"\s*$')
NOTEST_REASON = re.compile(r"<!--\s*notest:\s*(?P<reason>\S.*?)\s*-->", re.DOTALL)
PYTHON_LANGS = {"py", "python", "python3"}
OUTPUT_INFO = 'text title="Output"'
"""The info string of the fence that shows what the Python fence before it prints (tests/outputs.py)."""


def _container(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule for Material containers: a marker line, then a body indented by 4 spaces."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[start : state.eMarks[start_line]]
    marker = next((m for m in CONTAINER_MARKERS if line.startswith(m + " ")), None)
    if marker is None:
        return False
    if silent:
        return True
    indent = state.blkIndent + 4
    next_line = start_line + 1
    while next_line < end_line:
        is_blank = state.isEmpty(next_line)
        if not is_blank and state.sCount[next_line] < indent:
            break
        next_line += 1
    while next_line - 1 > start_line and state.isEmpty(next_line - 1):
        next_line -= 1  # trailing blank lines belong to the parent
    old_indent, old_parent, old_max = state.blkIndent, state.parentType, state.lineMax
    token = state.push("container_open", "div", 1)
    token.markup, token.info, token.map, token.block = (
        marker,
        line[len(marker) :].strip(),
        [start_line, next_line],
        True,
    )
    state.parentType, state.blkIndent, state.lineMax = "container", indent, next_line
    state.md.block.tokenize(state, start_line + 1, next_line)
    state.parentType, state.blkIndent, state.lineMax = old_parent, old_indent, old_max
    token = state.push("container_close", "div", -1)
    token.markup, token.block = marker, True
    state.line = next_line
    return True


def expand_snippet_lines(content: str, source: str = "<markdown>") -> str:
    """Replace ``--8<-- "path"`` lines with the text of ``ROOT / path``, as pymdownx.snippets does."""
    lines = content.splitlines(keepends=True)
    if not any(SNIPPET_LINE.match(line) for line in lines):
        return content
    expanded = []
    for line in lines:
        match = SNIPPET_LINE.match(line)
        if not match:
            expanded.append(line)
            continue
        path = ROOT / match["path"]
        if not path.is_file():
            raise FileNotFoundError(f"{source}: snippet {match['path']!r} does not exist (looked in {path})")
        text = path.read_text(encoding="utf-8")
        expanded.append(text if text.endswith("\n") else text + "\n")
    return "".join(expanded)


def _snippets_in_fences(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "fence":
            token.content = expand_snippet_lines(token.content)


def make_parser() -> MarkdownIt:
    """A CommonMark parser with Material containers and snippet expansion in fences."""
    md = MarkdownIt("commonmark")
    md.block.ruler.before("fence", "material_container", _container, {"alt": ["paragraph", "blockquote"]})
    md.core.ruler.after("block", "snippets_in_fences", _snippets_in_fences)
    return md


@dataclass(frozen=True)
class PythonFence:
    """One Python fence of a Markdown file.

    Attributes:
        path: the Markdown file.
        line: 1-based line of the opening fence.
        code: the code as the site shows it (snippets expanded).
        tested: False for fences marked ``notest``.
        reason: the text of a ``<!-- notest: ... -->`` comment right before the fence.
        end: where the output fence goes (0-based: the index of the line after the closing fence, or
            after the collapsed block the fence closes, for a folded listing).
        output: the text of the output fence right after it (:data:`OUTPUT_INFO`), or None.
        output_lines: the first and last line (1-based) of that output fence, or None.
        folded: inside a collapsed block (``???``), shown when the reader opens it.
        output_indent: the indentation of the output fence: the fence's own, or the collapsed
            block's for a folded listing (its output shows after the block).
    """

    path: Path
    line: int
    code: str
    tested: bool
    reason: str | None
    end: int = 0
    output: str | None = None
    output_lines: tuple[int, int] | None = None
    folded: bool = False
    output_indent: str = ""


def _is_listing_fold(container) -> bool:
    """A collapsed ``??? example`` block: a listing folded away, whose output shows after it (not an
    answer, whose output stays inside with it, nor a note or a tab)."""
    return container.markup == "???" and container.info.split(" ", 1)[0] == "example"


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def python_fences(path: Path) -> list[PythonFence]:
    """All Python fences of the Markdown file ``path``, in order."""
    text = path.read_text(encoding="utf-8")
    source_lines = text.splitlines()
    tokens = make_parser().parse(text)
    # a question of the bank: its worked answer, after "## Answer", is shown collapsed
    in_bank = path.parent.name == "questions" and "## Answer" in source_lines
    worked_answer = source_lines.index("## Answer") if in_bank else len(source_lines)
    fences = []
    containers: list = []  # the container_open tokens around the current token
    for index, token in enumerate(tokens):
        if token.type in ("container_open", "container_close"):
            containers.append(token) if token.nesting == 1 else containers.pop()
        if token.type != "fence" or not token.map:
            continue
        info = parse_superfences_block_info(token.info)
        if not info or info[0] not in PYTHON_LANGS:
            continue
        previous = tokens[index - 1] if index else None
        match = (
            NOTEST_REASON.search(previous.content) if previous is not None and previous.type == "html_block" else None
        )
        # A folded listing (the last block of its "??? example") shows its output after the fold.
        closed = 0
        while (
            index + 1 + closed < len(tokens)
            and tokens[index + 1 + closed].type == "container_close"
            and _is_listing_fold(containers[-1 - closed])
        ):
            closed += 1
        following = tokens[index + 1 + closed] if index + 1 + closed < len(tokens) else None
        shown = following is not None and following.type == "fence" and following.info.strip() == OUTPUT_INFO
        fences.append(
            PythonFence(
                path=path,
                line=token.map[0] + 1,
                code=token.content,
                tested="notest" not in info[1:],
                reason=match["reason"] if match else None,
                end=containers[-closed].map[1] if closed else token.map[1],
                output_indent=_indent(source_lines[(containers[-closed] if closed else token).map[0]]),
                folded=any(c.markup == "???" for c in containers) or token.map[0] > worked_answer,
                output=following.content.rstrip("\n") if shown else None,
                output_lines=(following.map[0] + 1, following.map[1]) if shown else None,
            )
        )
    return fences


def normalise_code(code: str) -> str:
    """Code compared line by line without trailing spaces or surrounding blank lines."""
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines()).strip("\n")
