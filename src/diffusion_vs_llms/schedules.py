"""Noise schedules of denoising diffusion models.

Notation follows DDPM (Ho et al., 2020), with timesteps ``t = 1, ..., T`` (``T`` is only ever the
number of diffusion steps):

- ``beta_t`` (β_t): variance of the noise added at step ``t``;
- ``alpha_t = 1 - beta_t`` (α_t);
- ``alpha_bar_t = alpha_1 * alpha_2 * ... * alpha_t`` (ᾱ_t, and ``alpha_bar_0 = 1``).

The study guide's source writes ``alpha_t`` in ``x_t = sqrt(alpha_t) x_0 + ...``;
in DDPM notation that coefficient is ``alpha_bar_t``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import (
    as_real_array,
    require_int_in_range,
    require_number_in_interval,
    require_positive,
    require_real_array_in_interval,
    require_text,
)

DDPM_T = 1000
"""Number of diffusion steps in DDPM."""
DDPM_BETA_START = 1e-4
"""beta_1 of the DDPM linear schedule."""
DDPM_BETA_END = 0.02
"""beta_T of the DDPM linear schedule."""
COSINE_OFFSET = 0.008
"""The small offset ``s`` of the cosine schedule (Nichol and Dhariwal, 2021)."""
COSINE_MAX_BETA = 0.999
"""Cosine-schedule betas are clipped to this value to avoid a singularity at t = T."""


@dataclass(frozen=True)
class NoiseSchedule:
    """A discrete noise schedule.

    Attributes:
        name: a short label such as ``"linear"`` or ``"cosine"``.
        betas: shape ``(T,)``; ``betas[t - 1]`` is ``beta_t`` for ``t = 1, ..., T``.
    """

    name: str
    betas: np.ndarray

    def __post_init__(self) -> None:
        require_text("name", self.name)
        betas = as_real_array("betas", self.betas, ndim=1, finite=False)
        betas = require_real_array_in_interval("betas", betas, 0.0, 1.0, low_closed=False, high_closed=False)
        betas.setflags(write=False)
        object.__setattr__(self, "betas", betas)

    @property
    def T(self) -> int:
        """Number of diffusion steps."""
        return int(self.betas.size)

    @property
    def alphas(self) -> np.ndarray:
        """Shape ``(T,)``: ``alpha_t = 1 - beta_t`` for ``t = 1, ..., T``."""
        return 1.0 - self.betas

    @property
    def alpha_bars(self) -> np.ndarray:
        """Shape ``(T + 1,)``: ``alpha_bar_t`` for ``t = 0, ..., T`` (``alpha_bar_0 = 1``)."""
        return np.concatenate([[1.0], np.cumprod(self.alphas)])

    def beta(self, t: int) -> float:
        """``beta_t`` for an integer ``t`` in ``[1, T]``."""
        t = require_int_in_range("t", t, 1, self.T)
        return float(self.betas[t - 1])

    def alpha(self, t: int) -> float:
        """``alpha_t = 1 - beta_t`` for an integer ``t`` in ``[1, T]``."""
        return 1.0 - self.beta(t)

    def alpha_bar(self, t: int) -> float:
        """``alpha_bar_t``, the product of ``alpha_s`` for ``s <= t``; ``t`` in ``[0, T]``."""
        t = require_int_in_range("t", t, 0, self.T)
        return float(self.alpha_bars[t])

    def signal_to_noise_ratio(self) -> np.ndarray:
        """Shape ``(T,)``: ``alpha_bar_t / (1 - alpha_bar_t)`` for ``t = 1, ..., T``."""
        alpha_bars = self.alpha_bars[1:]
        return alpha_bars / (1.0 - alpha_bars)


def linear_schedule(
    T: int = DDPM_T,
    beta_start: float = DDPM_BETA_START,
    beta_end: float = DDPM_BETA_END,
) -> NoiseSchedule:
    """The DDPM linear schedule: ``beta_t`` evenly spaced from ``beta_start`` to ``beta_end``.

    Defaults are DDPM's: ``T = 1000``, ``beta_1 = 1e-4``, ``beta_T = 0.02``.
    """
    T = require_int_in_range("T", T, 1)
    beta_start = require_number_in_interval("beta_start", beta_start, 0.0, 1.0, low_closed=False, high_closed=False)
    beta_end = require_number_in_interval("beta_end", beta_end, 0.0, 1.0, low_closed=False, high_closed=False)
    return NoiseSchedule("linear", np.linspace(beta_start, beta_end, T))


def cosine_alpha_bar(t: np.ndarray | float, T: int, s: float = COSINE_OFFSET) -> np.ndarray:
    """The cosine schedule's ``alpha_bar(t) = f(t) / f(0)``, ``f(t) = cos²((t/T + s)/(1 + s) · π/2)``.

    ``t`` may be a number or a non-empty array of times in ``[0, T]`` (not necessarily integers);
    the result has the same shape. ``s > 0`` is the schedule's small offset.
    """
    T = require_int_in_range("T", T, 1)
    s = require_positive("s", s)
    t = require_real_array_in_interval("t", t, 0.0, float(T), low_closed=True, high_closed=True)
    if t.size == 0:
        raise ValueError(f"t must not be empty, got shape {t.shape}")

    def f(time: np.ndarray) -> np.ndarray:
        return np.cos((time / T + s) / (1 + s) * np.pi / 2) ** 2

    return f(t) / f(np.zeros_like(t))


def cosine_schedule(
    T: int = DDPM_T,
    s: float = COSINE_OFFSET,
    max_beta: float = COSINE_MAX_BETA,
) -> NoiseSchedule:
    """The cosine schedule of improved DDPM (Nichol and Dhariwal, 2021).

    ``beta_t = min(1 - alpha_bar(t) / alpha_bar(t - 1), max_beta)``.
    """
    T = require_int_in_range("T", T, 1)
    s = require_positive("s", s)
    max_beta = require_number_in_interval("max_beta", max_beta, 0.0, 1.0, low_closed=False, high_closed=False)
    alpha_bar = cosine_alpha_bar(np.arange(T + 1, dtype=float), T, s)
    betas = np.minimum(1.0 - alpha_bar[1:] / alpha_bar[:-1], max_beta)
    return NoiseSchedule("cosine", betas)
