"""``mkdocs.yml`` as data, and ``mkdocs build --strict`` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import yaml

from guide_build import ROOT


class _Loader(yaml.SafeLoader):
    """YAML with MkDocs' tags read as plain values: ``!ENV [NAME, default]`` gives the default, and
    Python tags (``!!python/name:…``) give None."""


_Loader.add_constructor(
    "!ENV", lambda loader, node: loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None
)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_config(path: Path = ROOT / "mkdocs.yml") -> dict[str, Any]:
    """``mkdocs.yml`` as a dictionary, without MkDocs' validation (tools and tests read it as data)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def nav_pages(config: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """``(title, docs path)`` of every page in the nav of ``mkdocs.yml``, in reading order."""
    pages: list[tuple[str, str]] = []

    def walk(entries: list) -> None:
        for entry in entries:
            if isinstance(entry, str):
                pages.append((entry, entry))
                continue
            for title, target in entry.items():
                walk(target) if isinstance(target, list) else pages.append((title, target))

    walk((config or load_config())["nav"])
    return pages


def chapter_folder(page: str, pages: Collection[str]) -> str | None:
    """The folder of the docs page ``page`` when that folder is a chapter of sections: its ``index.md``
    is one of ``pages`` (the nav's docs paths). None for a page outside a folder, or in a folder that
    only groups chapters (the notebooks)."""
    folder = page.rsplit("/", 1)[0] if "/" in page else None
    return folder if folder is not None and f"{folder}/index.md" in pages else None


def page_url(src_uri: str) -> str:
    """The site-relative directory URL of a page: ``index.md`` -> ``""``, ``diffusion.md`` -> ``diffusion/``,
    ``notebooks/tiny-diffusion.ipynb`` -> ``notebooks/tiny-diffusion/``."""
    stem = src_uri.rsplit(".", 1)[0]
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def mkdocs_build(
    site_dir: Path, environ: Mapping[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Build the project in ``cwd`` (the repository) into ``site_dir``; output captured, exit status returned.

    ``environ`` replaces the whole environment (default: this process's); MkDocs' end-of-life banner
    is always off, so that a failure's output shows the build's own messages.
    """
    env = {**(os.environ if environ is None else environ), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
