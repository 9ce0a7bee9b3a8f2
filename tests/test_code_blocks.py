"""No Python block on the built site escapes testing.

The Python blocks rendered in the built site are compared with the fences that
pytest-markdown-docs collects from docs/ (through the same parser, tests/markdown_blocks.py).
A block may stay untested only if its fence is marked ``notest`` and the line right before it
is a ``<!-- notest: reason -->`` comment.
"""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import sys
import tokenize
from collections import Counter
from pathlib import Path

import jupytext
import pytest

from tests import outputs
from tests.markdown_blocks import MARKDOWN, ROOT, PythonFence, normalise_code, python_fences

PYTHON_BLOCK = re.compile(
    r'<div (?:data-[\w-]+ )*class="language-(?:python|py|python3) highlight"[^>]*>'
    r".*?<code[^>]*>(?P<code>.*?)</code>",
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")


def rendered_python_blocks(page_html: str) -> list[str]:
    """Text of every highlighted Python block in one built page."""
    return [normalise_code(html.unescape(TAG.sub("", m["code"]))) for m in PYTHON_BLOCK.finditer(page_html)]


@pytest.fixture(scope="module")
def fences() -> list[PythonFence]:
    return [fence for md in MARKDOWN for fence in python_fences(md)]


def test_collector_finds_fences_in_containers(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text(
        '# P\n\n??? success "Answer"\n\n    ```python\n    a = 1\n    ```\n\n'
        '=== "Tab"\n\n    ```{.python}\n    b = 2\n    ```\n\n'
        "<!-- notest: shows what an error looks like -->\n```{.python notest}\nraise ValueError\n```\n",
        encoding="utf-8",
    )
    found = python_fences(page)
    assert [(f.line, f.code, f.tested, f.reason) for f in found] == [
        (5, "a = 1\n", True, None),
        (11, "b = 2\n", True, None),
        (16, "raise ValueError\n", False, "shows what an error looks like"),
    ]


def test_every_line_of_python_fits_its_code_block(fences):
    """At most 79 characters a line: a code block shows its lines whole at a desktop's width (the
    browser test measures it) and on paper. Snippets and notebooks are held to it by ruff."""
    long = [
        f"{fence.path.relative_to(ROOT)}:{fence.line + number}"
        for fence in fences
        for number, line in enumerate(fence.code.splitlines(), 1)
        if len(line) > 79
    ]
    assert not long, f"lines of code over 79 characters (wrap them as `ruff format --line-length 79` does): {long}"


ANNOTATION_OR_PRAGMA = re.compile(r"#\s*(\(\d+\)!?|noqa|type:|pragma|fmt:)")
"""A trailing comment that is not an explanation: a Material code annotation marker, or a pragma."""


def trailing_comments(code: str) -> list[tuple[int, str]]:
    """(line, text) of each comment that follows code on its line, other than annotation markers and
    pragmas."""
    lines = code.splitlines()
    return [
        (token.start[0], lines[token.start[0] - 1].strip())
        for token in tokenize.generate_tokens(io.StringIO(code).readline)
        if token.type == tokenize.COMMENT
        and lines[token.start[0] - 1][: token.start[1]].strip()
        and not ANNOTATION_OR_PRAGMA.match(token.string)
    ]


def test_trailing_comments_are_found():
    code = "x = 1  # one\n# own line\ny = [  # (1)!\n    2,  # two\n]  # noqa: E501\ns = '# not a comment'\n"
    assert trailing_comments(code) == [(1, "x = 1  # one"), (4, "2,  # two")]


def test_explaining_comments_sit_on_their_own_lines(fences):
    """A comment beside the code is what a phone cuts off first and what a narrow box scrolls out of
    view; on a line of its own, above the code it explains, it is read before the code."""
    shown = [(f"{fence.path.relative_to(ROOT)}:{fence.line}", fence.code) for fence in fences]
    shown += [
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "notebooks").glob("*.py"))
    ]
    beside = [f"{where} (+{number}): {line}" for where, code in shown for number, line in trailing_comments(code)]
    assert not beside, f"put these comments on their own line, above the code they explain: {beside}"


SCREEN_OF_CODE = 40
"""Lines of code a desktop screen shows at once."""


def test_a_listing_longer_than_a_screen_is_folded(fences):
    """A Python block longer than a screen sits in a collapsed block (``??? example "Show the code"``):
    the reader keeps the prose and the output, shown after it, in view, and opens the code to read it.
    The handouts print it open."""
    unfolded = [
        f"{fence.path.relative_to(ROOT)}:{fence.line} ({len(fence.code.splitlines())} lines)"
        for fence in fences
        if len(fence.code.splitlines()) > SCREEN_OF_CODE and not fence.folded
    ]
    assert not unfolded, f'fold these into ??? example "Show the code" (see CONTRIBUTING): {unfolded}'


def test_every_untested_fence_gives_a_reason(fences):
    missing = [f"{f.path.relative_to(ROOT)}:{f.line}" for f in fences if not f.tested and not f.reason]
    assert not missing, f"notest fences need a '<!-- notest: reason -->' line right before them: {missing}"


def notebook_cells() -> Counter:
    """Code cells of the notebooks, which the build executes (hooks/notebooks.py)."""
    return Counter(
        normalise_code(cell.source)
        for notebook in sorted((ROOT / "notebooks").glob("*.py"))
        for cell in jupytext.read(notebook).cells
        if cell.cell_type == "code"
    )


def test_every_rendered_python_block_is_tested(site_pages, fences):
    tested = Counter(normalise_code(f.code) for f in fences if f.tested) + notebook_cells()
    excused = {normalise_code(f.code) for f in fences if not f.tested and f.reason}
    rendered = [(page, block) for page, text in site_pages.items() for block in rendered_python_blocks(text)]
    assert rendered, "no Python block found in the built site: has the highlight markup changed?"
    escaped = [
        f"{page}: {block.splitlines()[0][:60]!r}"
        for page, block in rendered
        if block not in tested and block not in excused
    ]
    assert not escaped, f"Python blocks on the site that no test runs: {escaped}"


def test_every_collected_fence_is_on_the_site(site_pages, fences):
    rendered = Counter(block for text in site_pages.values() for block in rendered_python_blocks(text))
    collected = Counter(normalise_code(f.code) for f in fences)
    missing = collected - rendered
    assert not missing, f"fences collected from docs/ but not rendered as Python on the site: {list(missing)[:3]}"


def test_a_failing_block_is_reported_as_page_and_line(tmp_path: Path):
    """A broken example inside a collapsed answer names docs/<page>.md:<line> of the failing statement."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.md").write_text(
        '# Broken\n\n??? success "Answer"\n\n    ```python\n    total = 2 + 2\n    assert total == 5, total\n    ```\n',
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            os.devnull,
            "--rootdir",
            str(tmp_path),
            "-p",
            "tests.markdown_plugin",
            "--markdown-docs",
            "--markdown-docs-syntax=superfences",
            "-p",
            "no:cacheprovider",
            "docs/broken.md",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "docs/broken.md:7: AssertionError: 4" in proc.stdout, proc.stdout


def test_every_block_that_prints_shows_what_it_prints(fences):
    """Under a Python block that calls print, an output fence shows exactly what it prints
    (tests/outputs.py; ``make outputs`` writes them)."""
    problems = []
    for fence in filter(outputs.prints, fences):
        where = f"{fence.path.relative_to(ROOT)}:{fence.line}"
        printed = outputs.run(fence)
        if fence.output is None:
            problems.append(f"{where}: the block prints, but no output fence follows it")
        elif fence.output != printed:
            problems.append(f"{where}: the output shown is\n{fence.output}\nbut the block prints\n{printed}")
    assert not problems, "\n".join(problems) + "\n(run `make outputs` to write what each block prints)"


def test_make_outputs_writes_and_corrects_output_fences(tmp_path: Path):
    page = tmp_path / "page.md"
    code = '```python\nfor i in range(2):\n    print("line", i)\n```\n'
    page.write_text(f"# P\n\n!!! note\n\n    ```python\n    print(6 * 7)\n    ```\n\n{code}\nText.\n", encoding="utf-8")
    written = outputs.with_outputs(page)
    assert written == (
        '# P\n\n!!! note\n\n    ```python\n    print(6 * 7)\n    ```\n\n    ```text title="Output"\n    42\n    ```\n\n'
        f'{code}\n```text title="Output"\nline 0\nline 1\n```\n\nText.\n'
    )
    page.write_text(written.replace("line 1", "line 9"), encoding="utf-8")
    [_, second] = python_fences(page)
    assert second.output == "line 0\nline 9" != outputs.run(second)
    assert outputs.with_outputs(page) == written
    # A folded listing's output goes after the fold, unindented, and stays there when written anew.
    folded = '??? example "Show the code"\n\n    ```python\n    print(6 * 7)\n    ```\n\nText.\n'
    page.write_text(folded, encoding="utf-8")
    written = outputs.with_outputs(page)
    assert written == folded.replace("\n\nText.", '\n\n```text title="Output"\n42\n```\n\nText.')
    page.write_text(written, encoding="utf-8")
    [fence] = python_fences(page)
    assert fence.folded and fence.output == "42"
    assert outputs.with_outputs(page) == written
