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

import yaml

ROOT = Path(__file__).resolve().parents[2]
"""The repository: ``mkdocs.yml``, ``docs/``, ``hooks/``, ``src/`` …"""
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""Environment of the processes that compute with the package during a build (the notebook kernels,
the figure drawing): they run side by side, and with BLAS threads each they fight over the cores while
their small matrices gain nothing from threads. One thread also makes the sums' order, and so the
printed numbers, the same on every machine."""
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it (several times faster), for the question bank and
the glossary; its nodes carry the same line marks as the Python parser's."""
PACKAGE = ROOT / "src" / "diffusion_vs_llms"
"""The numerics package, which the figures and the notebooks use."""


def package_files(package: Path = PACKAGE) -> list[Path]:
    """Every file of ``package``, source and data (the tiny language model's corpus), less bytecode:
    what a cache of anything computed with the package keys on."""
    return sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, runs of white space made one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())
