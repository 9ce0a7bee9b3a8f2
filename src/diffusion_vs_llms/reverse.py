"""The reverse (denoising) process: one step at a time from noise to data.

A trained network ``eps_model(x_t, t)`` (ε_θ) predicts the noise ``epsilon`` in ``x_t``.
DDPM (Ho et al., 2020) turns that prediction into a sample of ``x_{t-1}``, adding fresh noise
ξ ~ N(0, 𝐈) at every step (DDPM's paper calls it z). DDIM (Song, Meng and Ermon, 2021) defines
non-Markovian forward processes with the same marginals ``q(x_t | x_0)``, whose deterministic
reverse steps may skip timesteps, so far fewer network evaluations are needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .schedules import NoiseSchedule
from .validation import (
    as_real_array,
    require_bool,
    require_callable,
    require_instance,
    require_int_in_range,
    require_number_in_interval,
    require_positive,
    require_rng,
    require_same_shape,
    require_shape,
)

EpsilonModel = Callable[[np.ndarray, int], np.ndarray]
"""``eps_model(x_t, t) -> epsilon_hat``: a noise predictor; output shaped like ``x_t``."""


def _alpha_bar(name: str, value: float) -> float:
    return require_number_in_interval(name, value, 0.0, 1.0, low_closed=False, high_closed=True)


def _sample_and_noise(name_x: str, x: np.ndarray, name_eps: str, eps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, eps = as_real_array(name_x, x), as_real_array(name_eps, eps)
    require_same_shape(name_x, x, name_eps, eps)
    return x, eps


def predict_x0(x_t: np.ndarray, eps: np.ndarray, alpha_bar: float) -> np.ndarray:
    """Invert the forward process: ``x0_hat = (x_t - sqrt(1 - alpha_bar) eps) / sqrt(alpha_bar)``.

    ``x_t`` and ``eps`` are finite and share one shape; ``alpha_bar`` is a number in ``(0, 1]``.
    """
    x_t, eps = _sample_and_noise("x_t", x_t, "eps", eps)
    alpha_bar = _alpha_bar("alpha_bar", alpha_bar)
    return (x_t - np.sqrt(1.0 - alpha_bar) * eps) / np.sqrt(alpha_bar)


def predict_from_velocity(x_t: np.ndarray, v: np.ndarray, alpha_bar: float) -> tuple[np.ndarray, np.ndarray]:
    """Turn a velocity prediction into ``(x0_hat, eps_hat)`` (Salimans and Ho, 2022):
    ``x0_hat = sqrt(alpha_bar) x_t - sqrt(1 - alpha_bar) v`` and
    ``eps_hat = sqrt(1 - alpha_bar) x_t + sqrt(alpha_bar) v``.

    ``x_t`` and ``v`` are finite and share one shape; ``alpha_bar`` is a number in ``(0, 1]``. Unlike
    :func:`predict_x0`, nothing is divided by ``sqrt(alpha_bar)``, so an error in ``v`` is never amplified.
    """
    x_t, v = _sample_and_noise("x_t", x_t, "v", v)
    alpha_bar = _alpha_bar("alpha_bar", alpha_bar)
    signal, noise = np.sqrt(alpha_bar), np.sqrt(1.0 - alpha_bar)
    return signal * x_t - noise * v, noise * x_t + signal * v


def ddpm_step(
    x_t: np.ndarray,
    t: int,
    eps: np.ndarray,
    schedule: NoiseSchedule,
    noise: np.ndarray,
) -> np.ndarray:
    """One DDPM reverse step (Algorithm 2 of Ho et al., 2020), with ``sigma_t^2 = beta_t``.

    ``x_{t-1} = (x_t - beta_t / sqrt(1 - alpha_bar_t) * eps) / sqrt(alpha_t) + sigma_t * ξ``,
    and no noise is added at ``t = 1``.

    Args:
        x_t: the current sample, any shape, finite.
        t: the current timestep, an integer in ``[1, T]``.
        eps: the predicted noise, shaped like ``x_t``.
        schedule: the noise schedule the model was trained with.
        noise: the fresh standard normal noise ξ, shaped like ``x_t`` (ignored at ``t = 1``).

    Returns:
        ``x_{t-1}``, shaped like ``x_t``.
    """
    x_t, eps = _sample_and_noise("x_t", x_t, "eps", eps)
    noise = as_real_array("noise", noise)
    require_same_shape("x_t", x_t, "noise", noise)
    schedule = require_instance("schedule", schedule, NoiseSchedule, "a NoiseSchedule")
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
    many timesteps. Both are numbers in ``(0, 1]`` and ``alpha_bar_prev >= alpha_bar_t`` (less noise).

    With ``x0_clip > 0``, ``x0_hat`` is clipped to ``[-x0_clip, x0_clip]`` and ``eps`` recomputed to match, as
    image samplers clip to the pixel range: near ``t = T``, where ``alpha_bar_t`` is tiny, a small error
    of a trained network would otherwise be blown up by the division by ``sqrt(alpha_bar_t)``.

    At ``alpha_bar_t = 1`` (``t = 0``, no noise left) ``alpha_bar_prev`` is 1 too and the step
    returns ``x0_hat = x_t`` (clipped if ``x0_clip`` is given) without dividing by ``1 - alpha_bar_t = 0``.
    """
    x_t, eps = _sample_and_noise("x_t", x_t, "eps", eps)
    alpha_bar_t = _alpha_bar("alpha_bar_t", alpha_bar_t)
    alpha_bar_prev = _alpha_bar("alpha_bar_prev", alpha_bar_prev)
    if alpha_bar_prev < alpha_bar_t:
        raise ValueError(
            f"alpha_bar_prev must be >= alpha_bar_t={alpha_bar_t!r} (a step removes noise), got {alpha_bar_prev!r}"
        )
    if x0_clip is not None:
        x0_clip = require_positive("x0_clip", x0_clip)
    x0_hat = (x_t - np.sqrt(1.0 - alpha_bar_t) * eps) / np.sqrt(alpha_bar_t)
    if x0_clip is not None:
        x0_hat = np.clip(x0_hat, -x0_clip, x0_clip)
        if alpha_bar_t == 1.0:
            return x0_hat
        eps = (x_t - np.sqrt(alpha_bar_t) * x0_hat) / np.sqrt(1.0 - alpha_bar_t)
    return np.sqrt(alpha_bar_prev) * x0_hat + np.sqrt(1.0 - alpha_bar_prev) * eps


def classifier_free_guidance(eps_unconditional: np.ndarray, eps_conditional: np.ndarray, scale: float) -> np.ndarray:
    """Classifier-free guidance (Ho and Salimans, 2022), with guidance scale ``w = scale >= 0``.

    ``eps = eps_unconditional + w * (eps_conditional - eps_unconditional)``; ``w = 1`` is
    the plain conditional model, larger values follow the prompt more closely.
    """
    eps_u, eps_c = _sample_and_noise("eps_unconditional", eps_unconditional, "eps_conditional", eps_conditional)
    scale = require_number_in_interval("scale", scale, 0.0, np.inf, low_closed=True, high_closed=False)
    return eps_u + scale * (eps_c - eps_u)


@dataclass
class SamplingResult:
    """What a sampler returns.

    Attributes:
        sample: the generated ``x_0``, shape ``shape`` given to the sampler.
        network_evaluations: how many times the noise model was called.
        timesteps: the timesteps visited, in order (starting at ``T``); for
            :func:`~.flow_matching.sample_euler`, the times in ``(0, 1]`` (starting at 1).
        trajectory: ``x`` before every step and the final sample, if requested.
    """

    sample: np.ndarray
    network_evaluations: int
    timesteps: list[int] | list[float]
    trajectory: list[np.ndarray] = field(default_factory=list)


def _model_output(call: str, output: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A sampler's check of what its model returned for ``x``: finite and shaped like ``x``; errors
    name the ``call``, such as ``"eps_model(x_t, t=3)"``."""
    output = as_real_array(f"{call} output", output, allow_empty=True)
    if output.shape != x.shape:
        raise ValueError(f"{call} must return an array shaped like x_t {x.shape}, got shape {output.shape}")
    return output


def _sampler_checks(model_name: str, model, shape, rng, keep_trajectory):
    """A sampler's checks of its model (callable, named ``model_name``), shape, generator and flag."""
    require_callable(model_name, model)
    return require_shape("shape", shape), require_rng("rng", rng), require_bool("keep_trajectory", keep_trajectory)


def _predict_noise(eps_model: EpsilonModel, x: np.ndarray, t: int) -> np.ndarray:
    """``eps_model(x, t)``, checked: finite and shaped like ``x``; errors name ``eps_model``."""
    return _model_output(f"eps_model(x_t, t={t})", eps_model(x, t), x)


def _sampler_arguments(eps_model, shape, schedule, rng, keep_trajectory):
    shape, rng, keep_trajectory = _sampler_checks("eps_model", eps_model, shape, rng, keep_trajectory)
    schedule = require_instance("schedule", schedule, NoiseSchedule, "a NoiseSchedule")
    return shape, schedule, rng, keep_trajectory


def sample_ddpm(
    eps_model: EpsilonModel,
    shape: tuple[int, ...],
    schedule: NoiseSchedule,
    rng: np.random.Generator,
    keep_trajectory: bool = False,
) -> SamplingResult:
    """Ancestral DDPM sampling: start from ``x_T ~ N(0, 𝐈)`` and take all ``T`` reverse steps.

    Calls ``eps_model`` exactly ``T`` times; its output must be finite and shaped like ``x_t``.
    """
    shape, schedule, rng, keep_trajectory = _sampler_arguments(eps_model, shape, schedule, rng, keep_trajectory)
    x = rng.standard_normal(shape)
    trajectory = [x] if keep_trajectory else []
    timesteps = list(range(schedule.T, 0, -1))
    for t in timesteps:
        x = ddpm_step(x, t, _predict_noise(eps_model, x, t), schedule, rng.standard_normal(shape))
        if keep_trajectory:
            trajectory.append(x)
    return SamplingResult(x, len(timesteps), timesteps, trajectory)


def ddim_timesteps(T: int, num_steps: int) -> list[int]:
    """``num_steps`` evenly spaced timesteps from ``T`` down to 1 (a DDIM sub-sequence).

    Conventions (they differ from diffusers' ``DDIMScheduler``):

    - timesteps are numbered ``1..T`` as in DDPM's paper (diffusers numbers them ``0..T-1``);
    - the sequence always starts at ``T`` (pure noise) and, for ``num_steps >= 2``, ends at 1:
      ``round(linspace(T, 1, num_steps))``, with numpy's rounding of halves to the nearest even
      integer, so the gaps may differ by one. diffusers' default "leading" spacing instead takes
      multiples of ``T // num_steps`` (plus ``steps_offset``) and never visits the noisiest timestep;
      its "trailing" spacing does start there;
    - ``ddim_timesteps(T, 1) == [T]``: one step from pure noise straight to ``x0_hat`` (with
      diffusers' "leading" spacing one step would start from the least noisy timestep instead).

    The sampler ends each run with a step to ``alpha_bar_0 = 1`` (diffusers' ``set_alpha_to_one=True``).
    """
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

    The timesteps are :func:`ddim_timesteps`; ``x0_clip`` is passed to :func:`ddim_step`.
    """
    shape, schedule, rng, keep_trajectory = _sampler_arguments(eps_model, shape, schedule, rng, keep_trajectory)
    timesteps = ddim_timesteps(schedule.T, num_steps)
    if x0_clip is not None:
        x0_clip = require_positive("x0_clip", x0_clip)
    x = rng.standard_normal(shape)
    trajectory = [x] if keep_trajectory else []
    for i, t in enumerate(timesteps):
        t_prev = timesteps[i + 1] if i + 1 < len(timesteps) else 0
        x = ddim_step(x, _predict_noise(eps_model, x, t), schedule.alpha_bar(t), schedule.alpha_bar(t_prev), x0_clip)
        if keep_trajectory:
            trajectory.append(x)
    return SamplingResult(x, len(timesteps), timesteps, trajectory)
