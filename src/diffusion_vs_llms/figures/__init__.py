"""Figures of the study guide, drawn from the numerics during the site build.

Importing this package registers every figure in :data:`REGISTRY`. Adding a figure is one
function plus one ``@figure(...)`` line in one of the modules below.
"""

from . import (  # noqa: F401 - importing registers the figures
    architecture_figures,
    comparison_figures,
    diffusion_figures,
    flow_figures,
    llm_figures,
)
from .registry import REGISTRY, FigureSpec, figure, themes

__all__ = ["REGISTRY", "FigureSpec", "figure", "themes"]
