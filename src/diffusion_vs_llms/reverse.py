"""The reverse (denoising) process: one step at a time from noise to data.

A trained network ``eps_model(x_t, t)`` predicts the noise ``epsilon`` in ``x_t``.
DDPM (Ho et al., 2020) turns that prediction into a sample of ``x_{t-1}``;
DDIM (Song et al., 2021) takes deterministic jumps that skip timesteps, so far
fewer network evaluations are needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .schedules import NoiseSchedule
from .validation import require_in_interval, require_int_in_range, require_same_shape

EpsilonModel = Callable[[np.ndarray, int], np.ndarray]
"""``eps_model(x_t, t) -> epsilon_hat``: a noise predictor; output shaped like ``x_t``."""


def predict_x0(x_t: np.ndarray, eps: np.ndarray, alpha_bar: float) -> np.ndarray:
    """Invert the forward process: ``x0_hat = (x_t - sqrt(1 - alpha_bar) eps) / sqrt(alpha_bar)``.

    ``x_t`` and ``eps`` share one shape; ``alpha_bar`` is in ``(0, 1]``.
    """
    x_t, eps = np.asarray(x_t, dtype=float), np.asarray(eps, dtype=float)
    require_same_shape("x_t", x_t, "eps", eps)
    alpha_bar = float(require_in_interval("alpha_bar", alpha_bar, 0.0, 1.0, low_closed=False, high_closed=True))
    return (x_t - np.sqrt(1.0 - alpha_bar) * eps) / np.sqrt(alpha_bar)


def ddpm_step(
    x_t: np.ndarray,
    t: int,
    eps: np.ndarray,
    schedule: NoiseSchedule,
    noise: np.ndarray,
) -> np.ndarray:
    """One DDPM reverse step (Algorithm 2 of Ho et al., 2020), with ``sigma_t^2 = beta_t``.

    ``x_{t-1} = (x_t - beta_t / sqrt(1 - alpha_bar_t) * eps) / sqrt(alpha_t) + sigma_t * z``,
    and no noise is added at ``t = 1``.

    Args:
        x_t: the current sample, any shape.
        t: the current timestep, an integer in ``[1, T]``.
        eps: the predicted noise, shaped like ``x_t``.
        schedule: the noise schedule the model was trained with.
        noise: standard normal ``z``, shaped like ``x_t`` (ignored at ``t = 1``).

    Returns:
        ``x_{t-1}``, shaped like ``x_t``.
    """
    x_t, eps, noise = (np.asarray(a, dtype=float) for a in (x_t, eps, noise))
    require_same_shape("x_t", x_t, "eps", eps)
    require_same_shape("x_t", x_t, "noise", noise)
    t = require_int_in_range("t", t, 1, schedule.T)
    beta, alpha, alpha_bar = schedule.beta(t), schedule.alpha(t), schedule.alpha_bar(t)
    mean = (x_t - beta / np.sqrt(1.0 - alpha_bar) * eps) / np.sqrt(alpha)
    if t == 1:
        return mean
    return mean + np.sqrt(beta) * noise


def ddim_step(
    x_t: np.ndarray, eps: np.ndarray, alpha_bar_t: float, alpha_bar_prev: float, x0_clip: float | None = None
) -> np.ndarray:
    """One deterministic DDIM step (eta = 0) from ``alpha_bar_t`` to ``alpha_bar_prev``.

    ``x_prev = sqrt(alpha_bar_prev) x0_hat + sqrt(1 - alpha_bar_prev) eps``; the jump may skip
    many timesteps. ``alpha_bar_prev`` must be ``>= alpha_bar_t`` (less noise).

    With ``x0_clip = c``, ``x0_hat`` is clipped to ``[-c, c]`` and ``eps`` recomputed to match, as
    image samplers clip to the pixel range: near ``t = T``, where ``alpha_bar_t`` is tiny, a small error
    of a trained network would otherwise be blown up by the division by ``sqrt(alpha_bar_t)``.
    """
    alpha_bar_prev = float(
        require_in_interval("alpha_bar_prev", alpha_bar_prev, 0.0, 1.0, low_closed=False, high_closed=True)
    )
    if alpha_bar_prev < alpha_bar_t:
        raise ValueError(
            f"alpha_bar_prev must be >= alpha_bar_t={alpha_bar_t!r} (a step removes noise), got {alpha_bar_prev!r}"
        )
    x0_hat = predict_x0(x_t, eps, alpha_bar_t)
    eps = np.asarray(eps, dtype=float)
    if x0_clip is not None:
        x0_clip = float(require_in_interval("x0_clip", x0_clip, 0.0, np.inf, low_closed=False, high_closed=False))
        x0_hat = np.clip(x0_hat, -x0_clip, x0_clip)
        eps = (np.asarray(x_t, dtype=float) - np.sqrt(alpha_bar_t) * x0_hat) / np.sqrt(1.0 - alpha_bar_t)
    return np.sqrt(alpha_bar_prev) * x0_hat + np.sqrt(1.0 - alpha_bar_prev) * eps


def classifier_free_guidance(eps_unconditional: np.ndarray, eps_conditional: np.ndarray, scale: float) -> np.ndarray:
    """Classifier-free guidance (Ho and Salimans, 2022).

    ``eps = eps_unconditional + scale * (eps_conditional - eps_unconditional)``; ``scale = 1`` is
    the plain conditional model, larger values follow the prompt more closely.
    """
    eps_u, eps_c = np.asarray(eps_unconditional, dtype=float), np.asarray(eps_conditional, dtype=float)
    require_same_shape("eps_unconditional", eps_u, "eps_conditional", eps_c)
    scale = float(require_in_interval("scale", scale, 0.0, np.inf, low_closed=True, high_closed=False))
    return eps_u + scale * (eps_c - eps_u)


@dataclass
class SamplingResult:
    """What a sampler returns.

    Attributes:
        sample: the generated ``x_0``, shape ``shape`` given to the sampler.
        network_evaluations: how many times the noise model was called.
        timesteps: the timesteps visited, in order (starting at ``T``).
        trajectory: ``x`` before every step and the final sample, if requested.
    """

    sample: np.ndarray
    network_evaluations: int
    timesteps: list[int]
    trajectory: list[np.ndarray] = field(default_factory=list)


def sample_ddpm(
    eps_model: EpsilonModel,
    shape: tuple[int, ...],
    schedule: NoiseSchedule,
    rng: np.random.Generator,
    keep_trajectory: bool = False,
) -> SamplingResult:
    """Ancestral DDPM sampling: start from ``x_T ~ N(0, I)`` and take all ``T`` reverse steps.

    Calls ``eps_model`` exactly ``T`` times.
    """
    x = rng.standard_normal(shape)
    trajectory = [x] if keep_trajectory else []
    timesteps = list(range(schedule.T, 0, -1))
    for t in timesteps:
        x = ddpm_step(x, t, eps_model(x, t), schedule, rng.standard_normal(shape))
        if keep_trajectory:
            trajectory.append(x)
    return SamplingResult(x, len(timesteps), timesteps, trajectory)


def ddim_timesteps(T: int, num_steps: int) -> list[int]:
    """``num_steps`` evenly spaced timesteps from ``T`` down to 1 (a DDIM sub-sequence)."""
    T = require_int_in_range("T", T, 1)
    num_steps = require_int_in_range("num_steps", num_steps, 1, T)
    steps = np.round(np.linspace(T, 1, num_steps)).astype(int)
    return [int(s) for s in steps]


def sample_ddim(
    eps_model: EpsilonModel,
    shape: tuple[int, ...],
    schedule: NoiseSchedule,
    num_steps: int,
    rng: np.random.Generator,
    keep_trajectory: bool = False,
    x0_clip: float | None = None,
) -> SamplingResult:
    """Deterministic DDIM sampling with ``num_steps`` network evaluations instead of ``T``.

    ``x0_clip`` is passed to :func:`ddim_step`.
    """
    timesteps = ddim_timesteps(schedule.T, num_steps)
    x = rng.standard_normal(shape)
    trajectory = [x] if keep_trajectory else []
    for i, t in enumerate(timesteps):
        t_prev = timesteps[i + 1] if i + 1 < len(timesteps) else 0
        x = ddim_step(x, eps_model(x, t), schedule.alpha_bar(t), schedule.alpha_bar(t_prev), x0_clip)
        if keep_trajectory:
            trajectory.append(x)
    return SamplingResult(x, len(timesteps), timesteps, trajectory)
