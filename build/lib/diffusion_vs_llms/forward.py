"""The forward (noising) process of a diffusion model.

``q(x_t | x_0) = N(sqrt(alpha_bar_t) x_0, (1 - alpha_bar_t) I)``, so a noisy sample is

``x_t = sqrt(alpha_bar_t) * x_0 + sqrt(1 - alpha_bar_t) * epsilon`` with ``epsilon ~ N(0, I)``.
"""

from __future__ import annotations

import numpy as np

from .schedules import NoiseSchedule
from .validation import require_in_interval, require_same_shape


def signal_and_noise_scales(alpha_bar: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(sqrt(alpha_bar), sqrt(1 - alpha_bar))``; ``alpha_bar`` in ``(0, 1]``."""
    alpha_bar = require_in_interval("alpha_bar", alpha_bar, 0.0, 1.0, low_closed=False, high_closed=True)
    return np.sqrt(alpha_bar), np.sqrt(1.0 - alpha_bar)


def forward_diffuse(x0: np.ndarray, alpha_bar: float, noise: np.ndarray) -> np.ndarray:
    """Noise clean data in one jump: ``sqrt(alpha_bar) x0 + sqrt(1 - alpha_bar) noise``.

    Args:
        x0: clean data, any shape (an image is ``(height, width, channels)``).
        alpha_bar: ``alpha_bar_t`` in ``(0, 1]``.
        noise: standard normal noise with the same shape as ``x0``.

    Returns:
        ``x_t``, same shape as ``x0``.
    """
    x0 = np.asarray(x0, dtype=float)
    noise = np.asarray(noise, dtype=float)
    require_same_shape("x0", x0, "noise", noise)
    signal_scale, noise_scale = signal_and_noise_scales(alpha_bar)
    return signal_scale * x0 + noise_scale * noise


def sample_forward(
    x0: np.ndarray, t: int, schedule: NoiseSchedule, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``x_t ~ q(x_t | x_0)`` for an integer timestep ``t`` in ``[0, T]``.

    Returns ``(x_t, epsilon)``, both shaped like ``x0``: the pair a diffusion model
    is trained on (input ``x_t`` and ``t``, target ``epsilon``).
    """
    x0 = np.asarray(x0, dtype=float)
    noise = rng.standard_normal(x0.shape)
    return forward_diffuse(x0, schedule.alpha_bar(t), noise), noise
