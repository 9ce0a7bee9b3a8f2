"""Helpers shared by the tests: loading a build hook as a module, building a throwaway MkDocs project."""

from __future__ import annotations

import html
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from tests.markdown_blocks import ROOT


def load_hook(name: str) -> ModuleType:
    """``hooks/<name>.py`` as a fresh module (hooks are loaded by path, not imported as a package)."""
    spec = importlib.util.spec_from_file_location(f"{name}_hook", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def build_project(
    folder: Path, pages: dict[str, str], hook: str, config: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of a project in ``folder`` with ``pages`` (name -> Markdown), one of our
    hooks, and extra ``mkdocs.yml`` lines, in ``env`` (default: this process's environment); returns the
    finished process (output captured)."""
    (folder / "docs").mkdir()
    for name, text in pages.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(f"site_name: t\nhooks: [{ROOT / 'hooks' / hook}]\n{config}", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(folder / "out")],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        env={**(os.environ if env is None else env), "NO_MKDOCS_2_WARNING": "1"},
    )


def text_of(page_html: str) -> str:
    """Visible text of a page, with MathML annotations removed and whitespace collapsed."""
    page_html = re.sub(r"<annotation.*?</annotation>", "", page_html, flags=re.S)
    page_html = re.sub(r"<(script|style)\b.*?</\1>", "", page_html, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page_html)))
