"""pytest plugin (loaded with ``-p tests.markdown_plugin``, see pyproject.toml).

It hands pytest-markdown-docs the parser of :mod:`tests.markdown_blocks`, so Python fences
inside admonitions, collapsible "Answer" blocks and content tabs are collected and run,
wherever the Markdown file lives (``docs/`` or the top-level ``README.md``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.markdown_blocks import make_parser


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it():
    """Collect fences inside admonitions, collapsible blocks and tabs, with snippets expanded."""
    return make_parser()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Start the report of a failing code block with ``docs/<page>.md:<line>``.

    The line is the failing statement's line in the Markdown file when the traceback
    reaches it, otherwise the first line of the block.
    """
    outcome = yield
    report = outcome.get_result()
    definition = getattr(item, "test_definition", None)
    if definition is None or not report.failed or call.excinfo is None:
        return
    path = Path(definition.source_path)
    line = definition.start_line + 1
    for entry in call.excinfo.traceback:
        if Path(str(entry.path)) == path:
            line = entry.lineno + 1
    if isinstance(call.excinfo.value, SyntaxError) and call.excinfo.value.lineno:
        line = call.excinfo.value.lineno
    try:
        shown = path.resolve().relative_to(Path.cwd())
    except ValueError:
        shown = path
    error = call.excinfo.exconly().splitlines()[0] if call.excinfo.exconly() else call.excinfo.typename
    report.longrepr = f"{shown}:{line}: {error}\n{report.longrepr}"
