"""``mkdocs build --strict`` in a subprocess, as the tests and the reproducibility check run it (the bench
times its builds with its own command, since it also builds a second ``mkdocs.yml``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def mkdocs_build(site_dir: Path, environ: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Build the site of the repository into ``site_dir``; the output is captured, the exit status returned.

    ``environ`` replaces the whole environment (default: this process's); MkDocs' end-of-life banner
    is always off, so that a failure's output shows the build's own messages.
    """
    env = {**(os.environ if environ is None else environ), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
