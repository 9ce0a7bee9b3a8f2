"""Shared fixtures: one strict site build for every test that reads the built site.

Every test that needs a MkDocs build, Node.js or Chromium is marked ``build``: those that use the
built site (the ``site_dir`` fixture, or ``site_pages`` and ``site_url`` built on it) are marked here,
the others that build a project of their own carry the mark themselves, as do the tests of the
build's own machinery (its figure cache). ``make check`` runs the rest, the fast tier
(``pytest -m "not build"``).
"""

from __future__ import annotations

import fcntl
import os
import pickle
import threading
from pathlib import Path

import pytest
from hypothesis import settings

from guide_build.mkdocs import mkdocs_build


def _build_site(shared: Path) -> Path:
    """The site with its PDF handouts (``HANDOUTS=1``), built once per test run with ``mkdocs build
    --strict`` into ``$SITE_DIR`` (``make test`` builds ``site/``, which CI publishes) or else into
    ``shared``; the build's log goes next to it.

    With pytest-xdist (``make test`` runs two workers) the first worker to ask builds it, in the folder
    the workers share, while the others wait on the lock; every worker then reads the same site.
    """
    out, log = Path(os.environ.get("SITE_DIR") or shared / "site"), shared / "site-build.log"
    with (shared / "site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            proc = mkdocs_build(out, {**os.environ, "HANDOUTS": "1"})
            log.write_text(f"{proc.returncode}\n{proc.stdout}\n{proc.stderr}", encoding="utf-8")
    return out


def _shared_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this test run that every xdist worker shares."""
    shared = factory.getbasetemp()
    return shared.parent if os.environ.get("PYTEST_XDIST_WORKER") else shared


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start building the site as soon as the tests are known, if any will read it (and they are to run,
    not only listed): the tests that do not read it run meanwhile, instead of a worker waiting for the
    build when it reaches one that does."""
    if session.config.option.collectonly:
        return
    if any("site_dir" in getattr(item, "fixturenames", ()) for item in session.items):
        shared = _shared_folder(session.config._tmp_path_factory)  # what the tmp_path_factory fixture returns
        _background.append(threading.Thread(target=_build_site, args=(shared,)))
        _background[-1].start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker whose tests are done still waits for a build it started, so none is left half written."""
    for thread in _background:
        thread.join()


_background: list[threading.Thread] = []


@pytest.fixture(scope="session")
def tiny_lm_generation(tmp_path_factory: pytest.TempPathFactory):
    """``diffusion_vs_llms.figures.llm_figures.tiny_lm_generation()``, the tiny language model trained and
    its generation run, computed once per test run: with pytest-xdist the first worker to ask trains
    the model while the others wait on the lock, and every worker reads the same pickled result."""
    from diffusion_vs_llms.figures import llm_figures

    shared = _shared_folder(tmp_path_factory)
    stored = shared / "tiny-lm-generation.pickle"
    with (shared / "tiny-lm-generation.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stored.exists():
            stored.write_bytes(pickle.dumps(llm_figures.tiny_lm_generation()))
    return pickle.loads(stored.read_bytes())


@pytest.fixture(scope="session")
def cold_figures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build cache holding only the figures, drawn from scratch (into an empty cache) once per test
    run: test_figures checks them, and the clean build of test_lint starts from them rather than
    drawing them a third time, so that two drawings from scratch, this one and the session build's,
    are still compared. With pytest-xdist the first worker to ask draws while the others wait."""
    from guide_build import figures

    shared = _shared_folder(tmp_path_factory)
    cache = shared / "cold-figures"
    with (shared / "cold-figures.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not cache.exists():
            partial = shared / "cold-figures.part"
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("GUIDE_CACHE", str(partial))
                drawing = figures.Drawing()
                if drawing.process is None:
                    pytest.fail(f"an empty cache ({partial}) started no drawing process")
                drawing.result()
            partial.rename(cache)
    return cache


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site (:func:`_build_site`); fails with the build's output if the build failed."""
    shared = _shared_folder(tmp_path_factory)
    out = _build_site(shared)
    status, output = (shared / "site-build.log").read_text(encoding="utf-8").split("\n", 1)
    if status != "0":
        pytest.fail(f"mkdocs build --strict failed:\n{output}")
    return out


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> dict[str, str]:
    """HTML of every built page, keyed by its path relative to the site root (not the 404 page, nor
    the files of HTML that pages fetch, such as the worksheet page's numbers of a seed)."""
    return {
        str(path.relative_to(site_dir)): path.read_text(encoding="utf-8")
        for path in sorted(site_dir.rglob("index.html"))
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "site_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)


# Hypothesis runs the same examples on every machine and keeps no example database, with no time
# limit per example: how fast a test runs belongs to `make bench`, and a busy machine is no failure.
settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True, deadline=None)
settings.load_profile("deterministic")
