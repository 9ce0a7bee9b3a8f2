"""The study guide's build machinery, shared by the MkDocs hooks (``hooks/``), the tools and the tests.

- :data:`ROOT`: the repository;
- :mod:`guide_build.cache`: one content-addressed cache directory for everything the build keeps
  between runs (figures, executed notebooks, rendered formulas, fonts, printed PDFs);
- :mod:`guide_build.browser`: where Chromium is, how it starts, and a local server for the built site;
- :mod:`guide_build.mkdocs`: ``mkdocs.yml`` as data, and ``mkdocs build --strict`` in a subprocess;
- :func:`plain_text`: the text of an HTML fragment.

It uses the numerics package (``diffusion_vs_llms``) and MkDocs, never a hook, a tool or a test.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository: ``mkdocs.yml``, ``docs/``, ``hooks/``, ``src/`` …"""
PACKAGE = ROOT / "src" / "diffusion_vs_llms"
"""The numerics package, which the figures and the notebooks use."""


def package_files(package: Path = PACKAGE) -> list[Path]:
    """Every file of ``package``, source and data (the tiny language model's corpus), less bytecode:
    what a cache of anything computed with the package keys on."""
    return sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, runs of white space made one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())
