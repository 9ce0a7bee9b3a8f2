"""Figures of the chapter on scores and flows: schedules on the log-SNR axis, flow-matching paths."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..evaluation import frechet_distance
from ..flow_matching import mixture_velocity, sample_euler
from ..gaussian_mixture import GaussianMixture
from ..reverse import sample_ddim, sample_ddpm
from ..schedules import cosine_schedule, linear_schedule
from .registry import figure
from .style import Theme, new_figure

LOG_SNR_LIMIT = 5.0
"""The band ``-5 < log-SNR < 5`` drawn in the log-SNR figure (tests check the shares quoted with it)."""
STEP_COUNTS = (1, 2, 4, 8, 16, 32, 64)
"""Numbers of sampling steps compared in the flow-matching figure."""
POINTS = 2000
"""Samples per run in the flow-matching figure's lower panel."""
PATHS = 8
"""Paths of the flow drawn in the flow-matching figure's upper panel."""
DDPM_STRIDE = 20
"""The DDPM paths are drawn through every 20th step."""
DDPM_PATHS = 3
"""Of those starting points, how many also get a DDPM path (they wander, so few keep the panel legible)."""


def three_blobs() -> GaussianMixture:
    """The diffusion chapter's toy data: three blobs of weights 0.5, 0.3 and 0.2."""
    return GaussianMixture(means=[[-2, -1], [2, -1], [0, 2]], stds=[0.3, 0.3, 0.3], weights=[0.5, 0.3, 0.2])


def flow_log_snr(t: np.ndarray) -> np.ndarray:
    """log-SNR of rectified flow at times ``t`` in ``(0, 1)``: ``2 log((1 - t) / t)``."""
    return 2.0 * np.log((1.0 - t) / t)


def share_below(log_snr: np.ndarray, limit: float = -LOG_SNR_LIMIT) -> float:
    """The share of the steps whose log-SNR is below ``limit``."""
    return float(np.mean(log_snr < limit))


_LINEAR, _COSINE = linear_schedule(), cosine_schedule()
_FLOW_TIMES = (np.arange(_LINEAR.T) + 0.5) / _LINEAR.T  # 1000 evenly spaced times, as many as DDPM's steps


@figure(
    "log-snr-schedules",
    alt=(
        "A line chart of the log signal-to-noise ratio against the fraction of the way from data to noise, "
        "from 0 to 1, for three schedules. All three fall from high values near the data end to low values "
        "near the noise end. DDPM's linear schedule falls fastest and is below minus 5 for the last "
        f"{share_below(np.log(_LINEAR.signal_to_noise_ratio())):.0%} of its steps; the cosine schedule and "
        "rectified flow fall along nearly the same curve, steep only near the two ends, and are below minus 5 "
        f"for {share_below(np.log(_COSINE.signal_to_noise_ratio())):.0%} and "
        f"{share_below(flow_log_snr(_FLOW_TIMES)):.0%} of their steps. A shaded band marks log-SNR between "
        "minus 5 and 5."
    ),
    caption=(
        "Three schedules on one axis: the log signal-to-noise ratio $\\log(\\bar\\alpha_t / (1 - \\bar\\alpha_t))$ "
        f"against how far along the forward process a step is ($t / T$ with $T = {_LINEAR.T}$; $t$ for rectified "
        "flow). The shaded band is where both signal and noise are visible; below it, $x_t$ is nearly pure noise."
    ),
)
def log_snr_schedules(theme: Theme) -> Figure:
    fig = new_figure(3.4)
    ax = fig.subplots()
    fraction = np.arange(1, _LINEAR.T + 1) / _LINEAR.T
    ax.axhspan(-LOG_SNR_LIMIT, LOG_SNR_LIMIT, color=theme.grid, alpha=0.5, lw=0, zorder=0)
    ax.plot(fraction, np.log(_LINEAR.signal_to_noise_ratio()), "-", label="linear (DDPM)")
    ax.plot(fraction, np.log(_COSINE.signal_to_noise_ratio()), "--", label="cosine")
    ax.plot(_FLOW_TIMES, flow_log_snr(_FLOW_TIMES), ":", lw=2.2, label="rectified flow")
    ax.set_xlabel("fraction of the way to noise, t / T")
    ax.set_ylabel("log-SNR")
    ax.set_xlim(0, 1)
    ax.set_ylim(-16, 12)
    ax.grid(True, axis="y")
    ax.legend(loc="lower left")
    return fig


def _ddim_model(mixture: GaussianMixture):
    return lambda x, t: mixture.optimal_epsilon(x, _LINEAR.alpha_bar(t))


def _flow_model(mixture: GaussianMixture):
    return lambda x, t: mixture_velocity(mixture, x, t)


def frechet_by_steps(mixture: GaussianMixture, data: np.ndarray) -> dict[str, list[float]]:
    """Fréchet distance to ``data`` of :data:`POINTS` samples after each of :data:`STEP_COUNTS` steps:
    Euler on rectified flow, DDIM on DDPM's linear schedule; both with the exact model of ``mixture``."""
    shape = (POINTS, mixture.dim)
    flow = [sample_euler(_flow_model(mixture), shape, n, np.random.default_rng(0)).sample for n in STEP_COUNTS]
    ddim = [sample_ddim(_ddim_model(mixture), shape, _LINEAR, n, np.random.default_rng(0)).sample for n in STEP_COUNTS]
    return {
        "flow": [frechet_distance(x, data) for x in flow],
        "ddim": [frechet_distance(x, data) for x in ddim],
    }


@figure(
    "flow-matching-paths",
    alt=(
        f"Paths of {PATHS} samples on the three-blob toy data, from Gaussian noise (circles) to the data (grey "
        f"points), drawn by the exact flow and by 4 Euler steps, and for {DDPM_PATHS} of the same starting points "
        "by DDPM. The exact flow, in fine Euler steps, gives smooth paths that bend towards the blobs; 4 Euler "
        "steps follow them in straight pieces and end near the same points; 1000 DDPM steps from the same starts "
        "wander in jagged lines and may end in other blobs."
    ),
    caption=(
        "Flow matching on the toy data, with the exact velocity and noise predictors in place of networks: "
        "paths from noise (circles) to samples, with the exact flow, with 4 Euler steps (dots at each step) and "
        f"with DDPM's 1000 stochastic steps (drawn through every {DDPM_STRIDE}th step)."
    ),
)
def flow_matching_paths(theme: Theme) -> Figure:
    mixture = three_blobs()
    data = mixture.sample(POINTS, np.random.default_rng(1))
    fig = new_figure(3.6)
    ax = fig.subplots()
    shape = (PATHS, 2)
    fine = sample_euler(_flow_model(mixture), shape, 200, np.random.default_rng(3), keep_trajectory=True)
    coarse = sample_euler(_flow_model(mixture), shape, 4, np.random.default_rng(3), keep_trajectory=True)
    ddpm = sample_ddpm(_ddim_model(mixture), shape, _LINEAR, np.random.default_rng(3), keep_trajectory=True)
    ax.scatter(data[:, 0], data[:, 1], s=3, color=theme.grid, linewidths=0, rasterized=True)
    paths = (
        (np.stack(ddpm.trajectory)[::DDPM_STRIDE], dict(color=theme.series[1], lw=0.6, alpha=0.7), "DDPM, 1000 steps"),
        (np.stack(fine.trajectory)[::5], dict(color=theme.series[0], lw=1.6), "exact flow"),
        (np.stack(coarse.trajectory), dict(color=theme.series[2], lw=1.2, marker="o", ms=3), "4 Euler steps"),
    )
    for trajectory, style, label in paths:
        for i in range(DDPM_PATHS if label.startswith("DDPM") else PATHS):
            ax.plot(trajectory[:, i, 0], trajectory[:, i, 1], label=label if i == 0 else None, **style)
    start = fine.trajectory[0]
    ax.scatter(start[:, 0], start[:, 1], s=28, facecolors="none", edgecolors=theme.foreground, lw=1, zorder=3)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2, fontsize=11, frameon=False, handlelength=1.4)
    return fig


@figure(
    "flow-matching-steps",
    alt=(
        f"A log-log chart of the Fréchet distance between {POINTS} samples of the three-blob toy data and the "
        f"data, against the number of network evaluations, {STEP_COUNTS[0]} to {STEP_COUNTS[-1]}, for Euler steps "
        "on rectified flow and DDIM on DDPM's linear schedule. Both fall steeply; at 2 and 4 evaluations "
        "rectified flow is several times closer to the data, and from 16 on the two are close. One marker shows "
        "DDPM at 1000 evaluations."
    ),
    caption=(
        f"How far {POINTS} samples are from the data (Fréchet distance, lower is better) against network "
        "evaluations: Euler steps on rectified flow, DDIM on DDPM's linear schedule, and DDPM; exact predictors "
        "in place of networks."
    ),
)
def flow_matching_steps(theme: Theme) -> Figure:
    mixture = three_blobs()
    data = mixture.sample(POINTS, np.random.default_rng(1))
    fig = new_figure(3.0)
    ax = fig.subplots()
    distances = frechet_by_steps(mixture, data)
    ax.loglog(STEP_COUNTS, distances["flow"], "o-", color=theme.series[0], label="rectified flow, Euler")
    ax.loglog(STEP_COUNTS, distances["ddim"], "s--", color=theme.series[1], label="DDIM, linear schedule")
    x_ddpm = sample_ddpm(_ddim_model(mixture), (POINTS, 2), _LINEAR, np.random.default_rng(0)).sample
    ax.loglog([_LINEAR.T], [frechet_distance(x_ddpm, data)], "^", color=theme.series[2], label="DDPM")
    ax.set_xlabel("network evaluations")
    ax.set_ylabel("Fréchet distance")
    ax.set_xticks([1, 4, 16, 64, 1000], ["1", "4", "16", "64", "1000"])
    ax.grid(True, which="major")
    ax.legend(loc="upper right", fontsize=11)
    return fig
