"""Draw every figure into a folder, with a ``manifest.json`` describing them.

Usage::

    python -m diffusion_vs_llms.figures FOLDER

The folder gets ``<name>.<format>`` (light scheme) and ``<name>-dark.<format>`` (dark scheme) for
each figure, and ``manifest.json``: per figure its alt text, caption, pixel size and, per colour
scheme, its path in the site (``figures/<name>-dark.svg``); an explorable figure also gets
``<name>.json``, the numbers its controls show (``data``). The site build decides when to draw
(``guide_build.figures``); this only draws.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

from PIL import Image

from . import REGISTRY, themes

SVG_SIZE = re.compile(rb'<svg[^>]*\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')


def pixel_size(data: bytes, format: str) -> tuple[int, int]:
    """CSS pixel size of an SVG (from its width and height in points) or of a raster image."""
    if format == "svg":
        match = SVG_SIZE.search(data[:2000])
        if not match:
            raise ValueError("no width and height in points in the <svg> element")
        return round(float(match[1]) * 4 / 3), round(float(match[2]) * 4 / 3)
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def draw_all(folder: Path) -> list[dict[str, object]]:
    """Draw every figure in both colour schemes into ``folder``; return the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, spec in REGISTRY.items():
        files = {}
        for theme in themes():
            files[theme.name] = spec.uri(theme)
            (folder / Path(spec.uri(theme)).name).write_bytes(spec.render(theme))
        width, height = pixel_size((folder / Path(files["light"]).name).read_bytes(), spec.format)
        entry = {"name": name, "alt": spec.alt, "caption": spec.caption, "width": width, "height": height}
        manifest.append({**entry, "files": files})
        if spec.data is not None:
            data = json.dumps(spec.data(), sort_keys=True, separators=(",", ":"), allow_nan=False)
            (folder / Path(spec.data_uri).name).write_text(data, encoding="utf-8")
            manifest[-1]["data"] = spec.data_uri
            manifest[-1]["live_caption"] = spec.live_caption
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    draw_all(Path(sys.argv[1]))
