"""Flow matching with straight paths (rectified flow), as Stable Diffusion 3 trains it.

Convention of Esser et al. (2024): time ``t`` runs from 0 (data) to 1 (noise) and the noisy
sample is ``x_t = (1 - t) x_0 + t epsilon``. Its rate of change along the straight path,
``dx_t/dt = epsilon - x_0``, is the velocity ``v_flow``, the network's training target (Lipman et
al., 2023; Liu, Gong and Liu, 2023); it is not v-prediction's ``v``. Sampling integrates
``dx/dt = v_flow(x, t)`` backwards, from pure noise at ``t = 1`` to ``t = 0``. (Lipman et al. and
Liu, Gong and Liu run time the other way: their ``t = 1`` is data.)

These paths are a diffusion process with another noise schedule: ``x_t / scale`` with
``scale = sqrt((1 - t)^2 + t^2)`` is DDPM's ``x_t`` at ``alpha_bar = (1 - t)^2 / scale^2``, so the
signal-to-noise ratio is ``((1 - t) / t)^2``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from .gaussian_mixture import GaussianMixture
from .reverse import SamplingResult, _model_output, _sampler_checks
from .validation import (
    as_real_array,
    require_broadcasts_to,
    require_instance,
    require_int_in_range,
    require_number_in_interval,
    require_real_array_in_interval,
    require_same_shape,
)

VelocityModel = Callable[[np.ndarray, float], np.ndarray]
"""``velocity_model(x_t, t) -> v_hat``: a velocity predictor; output shaped like ``x_t``."""


def interpolate(x0: np.ndarray, noise: np.ndarray, t: float | np.ndarray) -> np.ndarray:
    """The point ``x_t = (1 - t) x0 + t noise`` on the straight path from data to noise.

    ``x0`` and ``noise`` are finite and share one shape; ``t`` is in ``[0, 1]``: a number, or an
    array that broadcasts to ``x0.shape`` (one time per data point, e.g. shape ``(n, 1)``).
    """
    x0, noise = as_real_array("x0", x0), as_real_array("noise", noise)
    require_same_shape("x0", x0, "noise", noise)
    t = require_real_array_in_interval("t", t, 0.0, 1.0, low_closed=True, high_closed=True)
    require_broadcasts_to("t", t, "x0", x0.shape)
    return (1.0 - t) * x0 + t * noise


def equivalent_alpha_bar(t: float | np.ndarray) -> np.ndarray:
    """DDPM's ``alpha_bar`` with the same signal-to-noise ratio as time ``t`` in ``[0, 1]``:
    ``(1 - t)^2 / ((1 - t)^2 + t^2)``."""
    t = require_real_array_in_interval("t", t, 0.0, 1.0, low_closed=True, high_closed=True)
    return (1.0 - t) ** 2 / ((1.0 - t) ** 2 + t**2)


def mixture_velocity(mixture: GaussianMixture, x_t: np.ndarray, t: float) -> np.ndarray:
    """The exact velocity ``E[epsilon - x_0 | x_t]`` for data drawn from ``mixture``, at ``t`` in ``(0, 1]``:
    what a perfectly trained flow-matching network outputs. ``x_t`` has shape ``(n, D)`` or ``(D,)``;
    returns shape ``(n, D)``."""
    mixture = require_instance("mixture", mixture, GaussianMixture, "a GaussianMixture")
    t = require_number_in_interval("t", t, 0.0, 1.0, low_closed=False, high_closed=True)
    x0_hat = mixture.posterior_mean(x_t, 1.0 - t, t)
    eps_hat = (np.atleast_2d(np.asarray(x_t, dtype=float)) - (1.0 - t) * x0_hat) / t
    return eps_hat - x0_hat


def euler_times(num_steps: int) -> list[float]:
    """The ``num_steps + 1`` evenly spaced times ``1, ..., 0`` of :func:`sample_euler`."""
    num_steps = require_int_in_range("num_steps", num_steps, 1)
    return [float(t) for t in np.linspace(1.0, 0.0, num_steps + 1)]


def sample_euler(
    velocity_model: VelocityModel,
    shape: tuple[int, ...],
    num_steps: int,
    rng: np.random.Generator,
    keep_trajectory: bool = False,
) -> SamplingResult:
    """Sample by Euler steps from ``t = 1`` to ``t = 0``: start at ``x_1 ~ N(0, 𝐈)`` and repeat
    ``x <- x + (t_next - t) v(x, t)`` on :func:`euler_times`.

    Calls ``velocity_model`` exactly ``num_steps`` times (never at ``t = 0``); its output must be
    finite and shaped like ``x``. The result's ``timesteps`` are the times evaluated, from 1 down.
    """
    shape, rng, keep_trajectory = _sampler_checks("velocity_model", velocity_model, shape, rng, keep_trajectory)
    times = euler_times(num_steps)
    x = rng.standard_normal(shape)
    trajectory = [x] if keep_trajectory else []
    for t, t_next in itertools.pairwise(times):
        v = _model_output(f"velocity_model(x_t, t={t:g})", velocity_model(x, t), x)
        x = x + (t_next - t) * v
        if keep_trajectory:
            trajectory.append(x)
    return SamplingResult(x, num_steps, times[:-1], trajectory)
