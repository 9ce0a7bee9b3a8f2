"""Reproducibility check: two clean builds give the same site, byte for byte, apart from the sitemap's dates.

Usage: ``python -m tools.check_reproducible [--against SITE_DIR]``. Without ``--against`` it makes two
clean builds; with it, one clean build compared with an existing one. A clean build starts from
empty caches (figures, notebooks, formulas, handouts, mkdocs-jupyter). Differences are printed, one
file a line; the exit status is 1 if there is any.
"""

from __future__ import annotations

import argparse
import filecmp
import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

from guide_build.mkdocs import mkdocs_build

ROOT = Path(__file__).resolve().parent.parent
SITEMAP_DATE = re.compile(rb"<lastmod>[^<]*</lastmod>")


def clean_build(out: Path, caches: Path) -> None:
    env = {
        **os.environ,
        "GUIDE_CACHE": str(caches),
    }
    proc = mkdocs_build(out, env)
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-3000:]}")


def normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name == "sitemap.xml.gz":
        data = gzip.decompress(data)
    if path.name.startswith("sitemap.xml"):
        data = SITEMAP_DATE.sub(b"<lastmod/>", data)
    return data


def differences(a: Path, b: Path) -> list[str]:
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    found = [f"only in one build: {p}" for p in sorted(files_a ^ files_b)]
    for relative in sorted(files_a & files_b):
        if not filecmp.cmp(a / relative, b / relative, shallow=False) and normalised(a / relative) != normalised(
            b / relative
        ):
            found.append(f"differs: {relative}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="an existing build to compare one clean build with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        first = args.against
        if first is None:
            first = tmp_path / "first"
            clean_build(first, tmp_path / "caches-first")
        second = tmp_path / "second"
        clean_build(second, tmp_path / "caches-second")
        found = differences(first, second)
    for line in found:
        print(line)
    print(f"{len(found)} differences between the two builds", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
