"""Every snippet in snippets/ runs as a script and is included by some page."""

from __future__ import annotations

import re
import runpy
import sys

import pytest

from tests.markdown_blocks import MARKDOWN, ROOT

SNIPPETS = sorted((ROOT / "snippets").rglob("*.py"))


def test_there_are_snippets():
    assert len(SNIPPETS) >= 5, "expected the pages' longer examples in snippets/<topic>/*.py"


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_snippet_runs(path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [str(path)])
    runpy.run_path(str(path), run_name="__main__")


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_snippet_is_included_in_a_page(path):
    relative = str(path.relative_to(ROOT))
    include = re.compile(r'^\s*--8<--\s+"' + re.escape(relative) + '"', re.MULTILINE)
    pages = [md for md in MARKDOWN if include.search(md.read_text(encoding="utf-8"))]
    assert pages, f'{relative} is not included by any page or question (use --8<-- "{relative}" in a fence)'
