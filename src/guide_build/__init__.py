"""The study guide's build machinery, shared by the MkDocs hooks (``hooks/``), the tools and the tests.

- :data:`ROOT`: the repository;
- :mod:`guide_build.cache`: one content-addressed cache directory for everything the build keeps
  between runs (figures, executed notebooks, rendered formulas, fonts, printed PDFs);
- :mod:`guide_build.browser`: where Chromium is, how it starts, and a local server for the built site;
- :mod:`guide_build.mkdocs`: ``mkdocs.yml`` as data, and ``mkdocs build --strict`` in a subprocess.

It uses the numerics package (``diffusion_vs_llms``) and MkDocs, never a hook, a tool or a test.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository: ``mkdocs.yml``, ``docs/``, ``hooks/``, ``src/`` …"""
