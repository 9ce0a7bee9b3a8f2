"""The figure registry: each figure is a function plus one ``@figure(...)`` line.

A figure function takes a :class:`~.style.Theme` and returns a matplotlib ``Figure``; the
registry draws it once per colour scheme and encodes it as SVG (line art) or WebP
(photographs).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np

from .style import SMALLEST_TEXT, THEMES, WIDTH, Theme, rc_params, to_svg, to_webp

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FORMATS = ("svg", "webp")
MAX_BYTES = 150 * 1024
"""Largest allowed size of one figure file."""

DrawFunction = Callable[[Theme], "matplotlib.figure.Figure"]


@dataclass(frozen=True)
class FigureSpec:
    """One registered figure.

    Attributes:
        name: kebab-case name; the files are ``figures/<name>.<format>`` (light scheme) and
            ``figures/<name>-dark.<format>`` (dark scheme).
        format: ``"svg"`` for line art, ``"webp"`` for photographs.
        written_alt: alt text, a complete description for readers who cannot see the image, or the
            function that writes it from the figure's data (computed when first read: :attr:`alt`).
        caption: the caption printed under the figure.
        draw: the function that draws it.
        data: for an explorable figure, the function that computes what its controls show (a
            JSON-ready dict, written to ``figures/<name>.json`` and read by
            ``javascripts/explorables.js``); the drawn figure is what readers without JavaScript,
            and paper, get.
        live_caption: for an explorable figure, its caption while the controls show on screen in
            place of the drawing (``caption`` describes the drawing's panels).
    """

    name: str
    format: str
    written_alt: str | Callable[[], str]
    caption: str
    draw: DrawFunction
    data: Callable[[], dict] | None = None
    live_caption: str = ""

    @functools.cached_property
    def alt(self) -> str:
        """The alt text (written now if it is computed from the figure's data)."""
        return _checked_alt(self.name, self.written_alt() if callable(self.written_alt) else self.written_alt)

    @property
    def data_uri(self) -> str | None:
        """Path of the explorable's data inside the site, or None for a figure without controls."""
        return None if self.data is None else f"figures/{self.name}.json"

    def uri(self, theme: Theme) -> str:
        """Path of the figure inside the site, for example ``figures/noise-schedules-dark.svg``."""
        suffix = "" if theme.name == "light" else f"-{theme.name}"
        return f"figures/{self.name}{suffix}.{self.format}"

    def render(self, theme: Theme) -> bytes:
        """Draw the figure for ``theme`` and encode it; deterministic for the same code and versions."""
        np.random.seed(0)  # figure code should use its own seeded Generator; this guards stray global use
        with matplotlib.rc_context(rc_params(theme)):
            fig = self.draw(theme)
            _check_size(self.name, fig)
            data = to_svg(fig) if self.format == "svg" else to_webp(fig)
        plt.close("all")
        if len(data) > MAX_BYTES:
            raise ValueError(f"figure {self.name!r} ({theme.name}) is {len(data)} bytes, more than {MAX_BYTES}")
        return data


def _checked_alt(name: str, alt: str) -> str:
    if not isinstance(alt, str) or len(alt.strip()) < 40:
        raise ValueError(f"alt of figure {name!r} must describe the image in at least 40 characters, got {alt!r}")
    return alt.strip()


def _check_size(name: str, fig: matplotlib.figure.Figure) -> None:
    """Raise ValueError unless ``fig`` is :data:`~.style.WIDTH` inches wide and every text in it is at
    least :data:`~.style.SMALLEST_TEXT` points: what keeps figure text legible on a phone."""
    width = fig.get_figwidth()
    if abs(width - WIDTH) > 1e-9:
        raise ValueError(f"figure {name!r} is {width:g} in wide; draw it with new_figure(height), {WIDTH:g} in wide")
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_visible() and text.get_text().strip() and text.get_fontsize() < SMALLEST_TEXT:
            raise ValueError(
                f"figure {name!r}: text {text.get_text()!r} is {text.get_fontsize():g} pt, "
                f"smaller than {SMALLEST_TEXT} pt (stack the panels if they do not fit)"
            )


REGISTRY: dict[str, FigureSpec] = {}


def figure(
    name: str,
    *,
    alt: str | Callable[[], str],
    caption: str,
    format: str = "svg",
    data: Callable[[], dict] | None = None,
    live_caption: str = "",
) -> Callable[[DrawFunction], DrawFunction]:
    """Register the decorated function as the figure ``name`` (explorable when ``data`` is given,
    with the ``live_caption`` its controls show under them). ``alt`` may be a function that writes the
    alt text from what the figure computes, so that importing the figures computes nothing."""
    if not NAME.match(name):
        raise ValueError(f"name must be kebab-case (a-z, 0-9, single hyphens), got {name!r}")
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {format!r}")
    if not callable(alt):
        _checked_alt(name, alt)
    if not caption.strip():
        raise ValueError(f"caption of figure {name!r} must not be empty")
    if (data is None) != (not live_caption.strip()):
        raise ValueError(f"figure {name!r}: an explorable (data=...) needs a live_caption; no other figure has one")

    def register(draw: DrawFunction) -> DrawFunction:
        if name in REGISTRY:
            raise ValueError(f"figure {name!r} is registered twice")
        REGISTRY[name] = FigureSpec(
            name=name,
            format=format,
            written_alt=alt,
            caption=caption.strip(),
            draw=draw,
            data=data,
            live_caption=live_caption.strip(),
        )
        return draw

    return register


def themes() -> tuple[Theme, ...]:
    """The colour schemes every figure is drawn for."""
    return THEMES
