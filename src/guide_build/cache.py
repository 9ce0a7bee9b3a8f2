"""One cache directory for the build, content-addressed: an entry's name is a hash of its inputs, so an
entry is never stale (changed inputs give another name) and a build reuses only what it would make.

``$GUIDE_CACHE`` moves the whole cache (the reproducibility check and the tests use a fresh one);
by default it is ``.cache/`` in the repository. Each kind of entry has its own folder in it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from guide_build import ROOT


def root() -> Path:
    """The cache directory: ``$GUIDE_CACHE``, else ``.cache/`` in the repository (read at each call)."""
    return Path(os.environ.get("GUIDE_CACHE") or ROOT / ".cache")


def folder(kind: str) -> Path:
    """The folder for one kind of entry (``figures``, ``notebooks`` …), created if missing."""
    path = root() / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def key(*parts: str | bytes, length: int = 20) -> str:
    """A hex digest of ``parts``, each separated from the next (``"ab", "c"`` differs from ``"a", "bc"``)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:length]


def files_key(paths: Iterable[Path], relative_to: Path = ROOT) -> str:
    """A digest of the files' names (relative to ``relative_to``) and contents, in sorted order."""
    parts: list[str | bytes] = []
    for path in sorted(paths):
        parts += [path.relative_to(relative_to).as_posix(), path.read_bytes()]
    return key(*parts)


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed into place: a reader (another build,
    an interrupted one) sees the whole old file or the whole new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(data.encode() if isinstance(data, str) else data)
    partial.replace(path)
    return path
