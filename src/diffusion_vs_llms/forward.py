"""The forward (noising) process of a diffusion model.

``q(x_t | x_0) = N(sqrt(alpha_bar_t) x_0, (1 - alpha_bar_t) 𝐈)``, so a noisy sample is

``x_t = sqrt(alpha_bar_t) * x_0 + sqrt(1 - alpha_bar_t) * epsilon`` with ``epsilon ~ N(0, 𝐈)``.
"""

from __future__ import annotations

import numpy as np

from .schedules import NoiseSchedule
from .validation import (
    as_real_array,
    require_broadcasts_to,
    require_instance,
    require_real_array_in_interval,
    require_rng,
    require_same_shape,
)


def _alpha_bar(name: str, alpha_bar: float | np.ndarray) -> np.ndarray:
    """``alpha_bar`` as a float array with every entry in ``(0, 1]``, not empty."""
    array = require_real_array_in_interval(name, alpha_bar, 0.0, 1.0, low_closed=False, high_closed=True)
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return array


def signal_and_noise_scales(alpha_bar: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(sqrt(alpha_bar), sqrt(1 - alpha_bar))``; ``alpha_bar`` is a number or array in ``(0, 1]``."""
    alpha_bar = _alpha_bar("alpha_bar", alpha_bar)
    return np.sqrt(alpha_bar), np.sqrt(1.0 - alpha_bar)


def forward_diffuse(x0: np.ndarray, alpha_bar: float | np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Noise clean data in one jump: ``sqrt(alpha_bar) x0 + sqrt(1 - alpha_bar) noise``.

    Args:
        x0: clean data, any shape (an image is ``(height, width, channels)``), finite, not empty.
        alpha_bar: ``alpha_bar_t`` in ``(0, 1]``: one number, or an array that broadcasts to
            ``x0.shape`` (one value per data point, e.g. shape ``(n, 1)`` for ``x0`` of shape ``(n, D)``).
        noise: standard normal noise ``epsilon``, finite, with the same shape as ``x0``.

    Returns:
        ``x_t``, same shape as ``x0``.
    """
    x0 = as_real_array("x0", x0)
    noise = as_real_array("noise", noise)
    require_same_shape("x0", x0, "noise", noise)
    alpha_bar = _alpha_bar("alpha_bar", alpha_bar)
    require_broadcasts_to("alpha_bar", alpha_bar, "x0", x0.shape)
    return np.sqrt(alpha_bar) * x0 + np.sqrt(1.0 - alpha_bar) * noise


def velocity(x0: np.ndarray, noise: np.ndarray, alpha_bar: float | np.ndarray) -> np.ndarray:
    """The velocity ``v = sqrt(alpha_bar) noise - sqrt(1 - alpha_bar) x0``, the training target of
    v-prediction (Salimans and Ho, 2022); arguments as in :func:`forward_diffuse`, same shape as ``x0``."""
    x0 = as_real_array("x0", x0)
    noise = as_real_array("noise", noise)
    require_same_shape("x0", x0, "noise", noise)
    alpha_bar = _alpha_bar("alpha_bar", alpha_bar)
    require_broadcasts_to("alpha_bar", alpha_bar, "x0", x0.shape)
    return np.sqrt(alpha_bar) * noise - np.sqrt(1.0 - alpha_bar) * x0


def sample_forward(
    x0: np.ndarray, t: int, schedule: NoiseSchedule, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``x_t ~ q(x_t | x_0)`` for an integer timestep ``t`` in ``[0, T]``.

    Returns ``(x_t, epsilon)``, both shaped like ``x0``: the pair a diffusion model
    is trained on (input ``x_t`` and ``t``, target ``epsilon``).
    """
    x0 = as_real_array("x0", x0)
    schedule = require_instance("schedule", schedule, NoiseSchedule, "a NoiseSchedule")
    alpha_bar = schedule.alpha_bar(t)
    noise = require_rng("rng", rng).standard_normal(x0.shape)
    return forward_diffuse(x0, alpha_bar, noise), noise
