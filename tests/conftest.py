"""Shared fixtures: one strict site build for every test that reads the built site.

Every test that needs a MkDocs build, Node.js or Chromium is marked ``build``: those that use the
built site (the ``site_dir`` fixture, or ``site_pages`` and ``site_url`` built on it) are marked here,
the others that build a project of their own carry the mark themselves. ``make check`` runs the
rest, the fast tier (``pytest -m "not build"``).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from hypothesis import settings

from guide_build.mkdocs import mkdocs_build


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test run with ``mkdocs build --strict`` into ``$SITE_DIR`` (``make test``
    builds ``site/``, which CI publishes) or else a temporary folder.

    With pytest-xdist (``make test`` runs two workers) the first worker to ask builds it, in the folder
    the workers share, while the others wait on the lock; every worker then reads the same site.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    out, log = Path(os.environ.get("SITE_DIR") or shared / "site"), shared / "site-build.log"
    with (shared / "site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            proc = mkdocs_build(out)
            log.write_text(f"{proc.returncode}\n{proc.stdout}\n{proc.stderr}", encoding="utf-8")
    status, output = log.read_text(encoding="utf-8").split("\n", 1)
    if status != "0":
        pytest.fail(f"mkdocs build --strict failed:\n{output}")
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
