"""Helpers shared by the tests: loading a build hook as a module, building a throwaway MkDocs project, the
text of a printed PDF."""

from __future__ import annotations

import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

from diffusion_vs_llms.figures.style import SMALLEST_TEXT
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


def normalise(text: str) -> str:
    """NFKC (ligatures such as "ﬀ" become "ff"), no soft hyphens, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip().lower()


def pdf_text(path: Path) -> list[str]:
    """The text of each page of the PDF at ``path``, read by poppler's pdftotext (``make system-deps``
    installs it with Chromium; pypdf reads the same text more than ten times slower)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext not found: apt-get install poppler-utils (make test does it as root)")
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    return proc.stdout.split("\f")[:-1]  # every page ends with a form feed


GLYPHS = re.compile(r'<g [^>]*transform="[^"]*scale\(([\d.]+) -\1\)"')
SVG_WIDTH = re.compile(r'<svg [^>]*width="([\d.]+)pt"')


def smallest_text_px(file: Path, rendered_width: float) -> float:
    """Size in CSS px of the smallest text of a figure shown ``rendered_width`` px wide. matplotlib
    draws SVG text as glyph paths scaled to the font size (``scale(0.11 -0.11)`` is 11 pt); a WebP
    figure was drawn with text no smaller than the registry allows, one pixel per CSS px."""
    if file.suffix == ".svg":
        svg = file.read_text(encoding="utf-8")
        points = min(float(scale) * 100 for scale in GLYPHS.findall(svg))
        return points * rendered_width / float(SVG_WIDTH.search(svg)[1])
    with Image.open(file) as image:
        return SMALLEST_TEXT * 4 / 3 * rendered_width / image.width
