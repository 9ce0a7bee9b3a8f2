"""Colours, fonts and file output shared by all figures.

Every figure is drawn twice, once per colour scheme of the site (Material's light ``default``
and dark ``slate``), with a transparent background so it sits on the page like text. Series
colours come from the Okabe-Ito palette, which stays distinguishable with the common forms of
colour blindness; the dark variant uses its lighter members for contrast on a dark page.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from PIL import Image

SVG_HASH_SALT = "diffusion-vs-llms"
"""Fixed salt for the ids matplotlib writes into SVG files, so two builds give the same bytes."""


@dataclass(frozen=True)
class Theme:
    """Colours of one colour scheme.

    Attributes:
        name: ``"light"`` or ``"dark"``.
        foreground: text, axes and tick colour.
        muted: secondary text and annotations.
        grid: grid lines and masked cells.
        series: line and bar colours, in order of use (Okabe-Ito).
        surface: the page background, used where a figure needs an opaque patch.
    """

    name: str
    foreground: str
    muted: str
    grid: str
    series: tuple[str, ...]
    surface: str


LIGHT = Theme(
    name="light",
    foreground="#1f2328",
    muted="#57606a",
    grid="#d0d7de",
    series=("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"),
    surface="#ffffff",
)
DARK = Theme(
    name="dark",
    foreground="#e6edf3",
    muted="#adb5bd",
    grid="#444c56",
    series=("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#0072B2"),
    surface="#1e2129",
)
THEMES = (LIGHT, DARK)


def rc_params(theme: Theme) -> dict[str, object]:
    """matplotlib settings for ``theme``: transparent background, theme colours, legible sizes."""
    return {
        "svg.hashsalt": SVG_HASH_SALT,
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "font.size": SMALLEST_TEXT,
        "axes.titlesize": 12,
        "axes.labelsize": SMALLEST_TEXT,
        "legend.fontsize": SMALLEST_TEXT,
        "legend.title_fontsize": SMALLEST_TEXT,
        "legend.frameon": False,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "text.color": theme.foreground,
        "axes.labelcolor": theme.foreground,
        "axes.edgecolor": theme.muted,
        "axes.titlecolor": theme.foreground,
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "xtick.labelcolor": theme.foreground,
        "ytick.labelcolor": theme.foreground,
        "grid.color": theme.grid,
        "grid.linewidth": 0.8,
        "axes.grid": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=list(theme.series)),
        "lines.linewidth": 2.2,
        "image.interpolation": "nearest",
        "path.simplify": True,
    }


WIDTH = 4.8
"""Width of every figure, in inches. A page shows a figure at this size (461 CSS px) or narrower,
never stretched: the phone's column at a 390 px viewport is 358 px wide, so text of
:data:`SMALLEST_TEXT` points is at least 11 CSS px there (4.8 in = 345.6 pt) and 14.7 px on a
desktop. Panels that would not fit side by side at this width are stacked."""

SMALLEST_TEXT = 11
"""Smallest font size of any text in a figure, in points (the registry refuses smaller)."""


def new_figure(height: float, **subplot_kw: object) -> Figure:
    """A figure :data:`WIDTH` inches wide and ``height`` inches high, with a constrained layout."""
    return plt.figure(figsize=(WIDTH, height), layout="constrained", **subplot_kw)


RASTER_COLOURS = 32
"""Palette size of the raster parts of an SVG (``rasterized=True`` scatter points): two colours and
their anti-aliased edges need few; an 8-bit palette PNG is a third of the size of full RGBA."""

_EMBEDDED_PNG = re.compile(rb"data:image/png;base64,\s*([A-Za-z0-9+/=\s]+)")


def to_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes, reproducible: fixed hash salt and no date in the metadata.

    Raster parts are stored as palette PNGs of :data:`RASTER_COLOURS` colours.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    plt.close(fig)
    return _EMBEDDED_PNG.sub(_palette_png, buffer.getvalue())


def _palette_png(match: re.Match[bytes]) -> bytes:
    png = palette_png(base64.b64decode(re.sub(rb"\s", b"", match.group(1))))
    return b"data:image/png;base64," + base64.b64encode(png)


def palette_png(png: bytes, colours: int = RASTER_COLOURS) -> bytes:
    """A PNG re-encoded with a palette of ``colours`` colours: a third to a quarter of the bytes of
    full RGBA for plots, which use a few colours and their anti-aliased edges."""
    image = Image.open(io.BytesIO(png))
    palette = image.convert("RGBA").quantize(colors=colours, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def to_webp(fig: Figure, dpi: int = 96, quality: int = 60) -> bytes:
    """The figure as lossy WebP bytes (for photographs and noise, which SVG stores badly), at 96 dpi:
    one image pixel per CSS pixel, as the SVGs are sized."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, transparent=True)
    plt.close(fig)
    image = Image.open(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=quality, method=5, exact=False)
    return out.getvalue()
