"""What a Python block prints, shown under it: checked by the tests, written by ``make outputs``.

A Python fence of a page whose code calls ``print`` is followed directly (same container, same
indentation) by an output fence; a folded listing (the last block of a ``??? example``) by one
after the collapsed block, at its indentation, so that the output shows with the block closed::

    ```python
    print(2 + 2)
    ```

    ```text title="Output"
    4
    ```

``python -m tests.outputs`` runs every such block and writes what it printed into its output
fence, adding the fence where it is missing; ``tests/test_code_blocks.py`` fails, naming the
page and line, wherever the shown output differs from what the code prints.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

from tests.markdown_blocks import MARKDOWN, OUTPUT_INFO, ROOT, PythonFence, python_fences


def prints(fence: PythonFence) -> bool:
    """Whether the block calls ``print`` (so the page must show what it printed)."""
    return fence.tested and "print(" in fence.code


def run(fence: PythonFence) -> str:
    """What the block prints, run on its own from the project's folder, as the code-block tests run it."""
    out = io.StringIO()
    page = fence.path.relative_to(ROOT) if fence.path.is_relative_to(ROOT) else fence.path
    code = compile(fence.code, f"{page}:{fence.line}", "exec")
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(out):
            exec(code, {"__name__": "__main__"})
    finally:
        os.chdir(cwd)
    return out.getvalue().rstrip("\n")


def with_outputs(path: Path) -> str:
    """The text of the page ``path`` with every printing block's output fence written anew."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for fence in reversed([f for f in python_fences(path) if prints(f)]):
        indent = fence.output_indent
        shown = [(f"{indent}{line}" if line else "") + "\n" for line in run(fence).split("\n")]
        block = [f"{indent}```{OUTPUT_INFO}\n", *shown, f"{indent}```\n"]
        if fence.output_lines is not None:
            first, last = fence.output_lines
            lines[first - 1 : last] = block
        else:
            lines[fence.end : fence.end] = ["\n", *block]
    return "".join(lines)


def main() -> None:
    changed = []
    for path in MARKDOWN:
        text = with_outputs(path)
        if text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
            changed.append(str(path.relative_to(ROOT)))
    print(f"outputs written anew in: {', '.join(changed)}" if changed else "every shown output is up to date")


if __name__ == "__main__":
    sys.exit(main())
