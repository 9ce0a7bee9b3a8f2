"""Draw the figures that are missing from a cache folder and print a JSON manifest.

Usage::

    python -m diffusion_vs_llms.figures --cache .cache/figures [--only NAME ...]

A figure file is named ``<name>[-dark]-<key>.<format>``, where ``key`` hashes the figure's
code and inputs, so a file that exists is up to date and is reused without drawing. Older
files of the same figure are deleted. The manifest (stdout) lists, per figure, its alt text,
caption, pixel size and, per colour scheme, the site URI and the cached file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from PIL import Image

from . import REGISTRY, themes
from .registry import FigureSpec
from .style import Theme

SVG_SIZE = re.compile(rb'<svg[^>]*\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')


def pixel_size(path: Path) -> tuple[int, int]:
    """CSS pixel size of an SVG (from its width and height in points) or of a raster image."""
    if path.suffix == ".svg":
        match = SVG_SIZE.search(path.read_bytes()[:2000])
        if not match:
            raise ValueError(f"{path}: no width and height in points in the <svg> element")
        return round(float(match[1]) * 4 / 3), round(float(match[2]) * 4 / 3)
    with Image.open(path) as image:
        return image.size


def cached_file(cache: Path, spec: FigureSpec, theme: Theme, key: str) -> Path:
    suffix = "" if theme.name == "light" else f"-{theme.name}"
    return cache / f"{spec.name}{suffix}-{key}.{spec.format}"


def build(cache: Path, names: list[str]) -> tuple[list[dict[str, object]], list[str]]:
    """Draw what is missing; return the manifest and the names of the figures that were drawn."""
    cache.mkdir(parents=True, exist_ok=True)
    manifest, drawn = [], []
    for name in names:
        spec = REGISTRY[name]
        key = spec.cache_key()
        variants = {}
        for theme in themes():
            path = cached_file(cache, spec, theme, key)
            if not path.exists():
                data = spec.render(theme)
                partial = path.with_suffix(path.suffix + ".part")
                partial.write_bytes(data)
                partial.replace(path)
                if name not in drawn:
                    drawn.append(name)
            same_variant = re.compile(
                rf"{re.escape(path.name[: -len(key) - len(spec.format) - 2])}-[0-9a-f]{{16}}\.\w+"
            )
            for stale in cache.iterdir():
                if stale != path and same_variant.fullmatch(stale.name):
                    stale.unlink()
            variants[theme.name] = {"uri": spec.uri(theme), "path": str(path.resolve())}
        width, height = pixel_size(Path(variants["light"]["path"]))
        manifest.append(
            {
                "name": name,
                "alt": spec.alt,
                "caption": spec.caption,
                "width": width,
                "height": height,
                "files": variants,
            }
        )
    return manifest, drawn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="folder that keeps drawn figures between builds")
    parser.add_argument("--only", nargs="*", default=None, help="figure names (default: all)")
    args = parser.parse_args(argv)
    names = list(REGISTRY) if args.only is None else args.only
    unknown = sorted(set(names) - set(REGISTRY))
    if unknown:
        parser.error(f"--only: unknown figure(s) {unknown}; known: {sorted(REGISTRY)}")
    started = time.perf_counter()
    manifest, drawn = build(args.cache, names)
    json.dump({"figures": manifest, "drawn": drawn, "seconds": round(time.perf_counter() - started, 3)}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
