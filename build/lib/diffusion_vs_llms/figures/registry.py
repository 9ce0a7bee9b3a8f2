"""The figure registry: each figure is a function plus one ``@figure(...)`` line.

A figure function takes a :class:`~.style.Theme` and returns a matplotlib ``Figure``; the
registry draws it once per colour scheme and encodes it as SVG (line art) or WebP
(photographs). The cache key of a figure hashes its own code, the helpers it calls in its
module, the shared style, the numerics package and the library versions, so editing one
figure redraws that figure only.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from .style import THEMES, Theme, rc_params, to_svg, to_webp

PACKAGE_DIR = Path(__file__).resolve().parent.parent
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
        alt: alt text, a complete description for readers who cannot see the image.
        caption: the caption printed under the figure.
        draw: the function that draws it.
    """

    name: str
    format: str
    alt: str
    caption: str
    draw: DrawFunction

    def uri(self, theme: Theme) -> str:
        """Path of the figure inside the site, for example ``figures/noise-schedules-dark.svg``."""
        suffix = "" if theme.name == "light" else f"-{theme.name}"
        return f"figures/{self.name}{suffix}.{self.format}"

    def render(self, theme: Theme) -> bytes:
        """Draw the figure for ``theme`` and encode it; deterministic for the same code and versions."""
        np.random.seed(0)  # figure code should use its own seeded Generator; this guards stray global use
        with matplotlib.rc_context(rc_params(theme)):
            fig = self.draw(theme)
            data = to_svg(fig) if self.format == "svg" else to_webp(fig)
        plt.close("all")
        if len(data) > MAX_BYTES:
            raise ValueError(f"figure {self.name!r} ({theme.name}) is {len(data)} bytes, more than {MAX_BYTES}")
        return data

    def cache_key(self) -> str:
        """Hex digest over everything that can change the figure's bytes."""
        digest = hashlib.sha256()
        for part in (
            _code_of(self.draw),
            self.name,
            self.format,
            _shared_sources(),
            matplotlib.__version__,
            np.__version__,
            sys.version.split()[0],
        ):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()[:16]


REGISTRY: dict[str, FigureSpec] = {}


def figure(name: str, *, alt: str, caption: str, format: str = "svg") -> Callable[[DrawFunction], DrawFunction]:
    """Register the decorated function as the figure ``name``."""
    if not NAME.match(name):
        raise ValueError(f"name must be kebab-case (a-z, 0-9, single hyphens), got {name!r}")
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {format!r}")
    if len(alt.strip()) < 40:
        raise ValueError(f"alt of figure {name!r} must describe the image in at least 40 characters, got {alt!r}")
    if not caption.strip():
        raise ValueError(f"caption of figure {name!r} must not be empty")

    def register(draw: DrawFunction) -> DrawFunction:
        if name in REGISTRY:
            raise ValueError(f"figure {name!r} is registered twice")
        REGISTRY[name] = FigureSpec(name=name, format=format, alt=alt.strip(), caption=caption.strip(), draw=draw)
        return draw

    return register


def _code_of(function: Callable[..., object], seen: set[str] | None = None) -> str:
    """Source of ``function`` and, recursively, of the functions of its module that it calls."""
    seen = set() if seen is None else seen
    seen.add(function.__qualname__)
    module = sys.modules[function.__module__]
    parts = [inspect.getsource(function)]
    for name in sorted(function.__code__.co_names):
        helper = getattr(module, name, None)
        if isinstance(helper, types.FunctionType) and helper.__module__ == module.__name__ and name not in seen:
            parts.append(_code_of(helper, seen))
    return "\n".join(parts)


def _shared_sources() -> str:
    """Source of the numerics package and of the figure style and registry."""
    files = [*sorted(PACKAGE_DIR.glob("*.py")), Path(__file__), Path(__file__).with_name("style.py")]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def themes() -> tuple[Theme, ...]:
    """The colour schemes every figure is drawn for."""
    return THEMES
