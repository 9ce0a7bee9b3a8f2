"""Shared fixtures: one strict site build for every test that reads the built site.

Every test that needs a MkDocs build, Node.js or Chromium is marked ``build``: those that use the
built site (the ``site_dir`` fixture, or ``site_pages`` and ``site_url`` built on it) are marked here,
the others that build a project of their own carry the mark themselves. ``make check`` runs the
rest, the fast tier (``pytest -m "not build"``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from guide_build.mkdocs import mkdocs_build


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test session with ``mkdocs build --strict`` into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(out)
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    return out


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> dict[str, str]:
    """HTML of every built page, keyed by its path relative to the site root."""
    return {
        str(path.relative_to(site_dir)): path.read_text(encoding="utf-8")
        for path in sorted(site_dir.rglob("*.html"))
        if path.name != "404.html"
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "site_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)


# Hypothesis runs the same examples on every machine and keeps no example database.
settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True)
settings.load_profile("deterministic")
