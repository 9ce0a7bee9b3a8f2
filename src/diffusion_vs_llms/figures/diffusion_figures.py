"""Figures of the diffusion chapter: noise schedules, the forward process, the reverse process."""

from __future__ import annotations

import base64

import numpy as np
from matplotlib import cbook
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from PIL import Image

from ..forward import forward_diffuse
from ..gaussian_mixture import GaussianMixture
from ..reverse import predict_x0, sample_ddim, sample_ddpm
from ..schedules import cosine_schedule, linear_schedule
from ..validation import require_int_in_range
from .registry import figure
from .style import Theme, new_figure

FORWARD_TIMESTEPS = (0, 100, 250, 500, 1000)
"""Timesteps shown in the forward-process figure."""
REVERSE_SNAPSHOTS = (1000, 300, 120, 0)
"""Timesteps at which the reverse-process figure shows the samples of its DDPM run."""
PREDICTION_SNAPSHOTS = (1000, 300, 120, 40)
"""Timesteps at which the reverse-process figure shows the DDPM run's predictions ``x0_hat``."""
DDIM_SNAPSHOTS = (0, 6, 8, 10)
"""Network evaluations after which the reverse-process figure shows the samples of its DDIM run."""
DENOISING_POINTS = 200
"""Number of samples the denoising explorable steps through."""
DENOISING_DDPM_FRAMES = (1000, 900, 800, 700, 600, 500, 400, 300, 250, 200, 160, 120, 90, 60, 40, 20, 10, 5, 0)
"""Timesteps of the DDPM run at which the denoising explorable shows the samples, closer together
at the end, where the structure appears."""
DENOISING_DDIM_STEPS = 10
"""Network evaluations of the DDIM run of the denoising explorable."""
POINT_RANGE = 3.5
"""The denoising explorable stores each coordinate as an 8-bit code (:func:`byte_codes`) of
``[-POINT_RANGE, POINT_RANGE]``."""
NEAR_ZERO_STEP = 600
"""A timestep by which the linear schedule's signal fraction is near 0 (tests/test_figures.py checks it)."""


def half_signal_step(alpha_bars: np.ndarray) -> int:
    """The first timestep at which the signal fraction ``alpha_bar_t`` drops below one half."""
    return int(np.argmax(alpha_bars < 0.5))


_LINEAR, _COSINE = linear_schedule(), cosine_schedule()


@figure(
    "noise-schedules",
    alt=(
        "A line chart over timesteps 0 to 1000 of alpha-bar, the fraction of signal variance kept, read on the left "
        "axis; the right axis, numbered from 1 at the bottom to 0 at the top, reads the same curves as the noise "
        "fraction 1 minus alpha-bar. Both schedules fall from 1 to almost 0; the linear DDPM schedule drops fast and "
        f"is near 0 by step {NEAR_ZERO_STEP}, the cosine schedule falls slowly and evenly. The curves cross the "
        f"one-half line at step {half_signal_step(_LINEAR.alpha_bars)} for the linear and step "
        f"{half_signal_step(_COSINE.alpha_bars)} for the cosine schedule."
    ),
    caption=(
        f"Noise schedules with $T = {_LINEAR.T}$: the signal fraction $\\bar\\alpha_t$ (left axis), which is also "
        f"the noise fraction $1 - \\bar\\alpha_t$ read on the right axis. The linear schedule of DDPM ($\\beta_t$ "
        f"from {_LINEAR.beta(1):g} to {_LINEAR.beta(_LINEAR.T):g}) destroys the signal "
        "early, so its last steps add noise to almost pure noise; the cosine schedule of Nichol and Dhariwal (2021) "
        "falls almost linearly in the middle and changes slowly near both ends."
    ),
)
def noise_schedules(theme: Theme) -> Figure:
    fig = new_figure(3.4)
    ax = fig.subplots()
    for schedule, style in ((linear_schedule(), "-"), (cosine_schedule(), "--")):
        t = np.arange(schedule.T + 1)
        half = half_signal_step(schedule.alpha_bars)
        ax.plot(t, schedule.alpha_bars, style, label=f"{schedule.name} (half at t = {half})")
    ax.set_xlabel("timestep t")
    ax.set_ylabel(r"signal fraction $\bar\alpha_t$")
    noise_axis = ax.secondary_yaxis("right", functions=(lambda y: 1 - y, lambda y: 1 - y))
    noise_axis.set_ylabel(r"noise fraction $1-\bar\alpha_t$")
    noise_axis.spines["right"].set_visible(True)
    ax.set_xlim(0, 1000)
    ax.set_ylim(0, 1.02)
    ax.axhline(0.5, color=theme.grid, lw=1, zorder=0)
    ax.grid(True, axis="y")
    ax.legend(loc="upper right")
    return fig


def hopper(size: int = 192) -> np.ndarray:
    """Grace Hopper's portrait from matplotlib's sample data, square, in [-1, 1], shape (size, size, 3)."""
    with cbook.get_sample_data("grace_hopper.jpg") as file:
        image = Image.open(file).convert("RGB")
    side = min(image.size)
    image = image.crop((0, 0, side, side)).resize((size, size), Image.Resampling.LANCZOS)
    return np.asarray(image, dtype=float) / 127.5 - 1.0


EXPLORABLE_SIZE = 96
"""Side in pixels of the photograph the noise-level explorable mixes with noise in the browser."""
NOISE_SEED = 0
"""Seed of the noise in the forward-process figure and its explorable."""
_UINT32 = np.uint64(0xFFFFFFFF)


def bytes_base64(codes: np.ndarray) -> str:
    """8-bit codes as base64 text, the form the explorables' data files hold images in."""
    return base64.b64encode(codes.astype(np.uint8).tobytes()).decode("ascii")


def byte_codes(values: np.ndarray, limit: float) -> np.ndarray:
    """8-bit codes of ``values`` clipped to ``[-limit, limit]`` (0 stands for ``-limit``, 255 for
    ``limit``), the form the explorables' data files hold images and points in; raises ValueError
    for a value that is not finite."""
    values = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"values must be finite, got {float(values[~np.isfinite(values)][0])} among them")
    return np.rint((np.clip(values, -limit, limit) + limit) * (127.5 / limit)).astype(np.uint8)


def decode_bytes(codes: np.ndarray, limit: float) -> np.ndarray:
    """The values that :func:`byte_codes`' codes of ``[-limit, limit]`` stand for."""
    return codes.astype(float) * (limit / 127.5) - limit


def _imul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """JavaScript's ``Math.imul`` on unsigned 32-bit values: the low 32 bits of the product."""
    return (a * b) & _UINT32  # uint64 products wrap modulo 2**64, which keeps the low 32 bits exact


def seeded_uniform(count: int, seed: int) -> np.ndarray:
    """``count`` numbers in ``[0, 1)`` from mulberry32 started at ``seed`` (an integer in ``[0, 2**32)``).

    mulberry32 is a 32-bit generator small enough to write again in ``explorables.js``, which makes
    the same numbers in the browser, so a data file holds the seed instead of the numbers. Its k-th
    output hashes ``seed + k * 0x6D2B79F5``, so all ``count`` are computed at once here.
    """
    count = require_int_in_range("count", count, 1)
    seed = require_int_in_range("seed", seed, 0, 2**32 - 1)
    t = (np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x6D2B79F5)) & _UINT32
    t = _imul(t ^ (t >> np.uint64(15)), t | np.uint64(1))
    t ^= (t + _imul(t ^ (t >> np.uint64(7)), t | np.uint64(61))) & _UINT32
    return (t ^ (t >> np.uint64(14))).astype(float) / 2**32


def seeded_normal(count: int, seed: int) -> np.ndarray:
    """``count`` standard normal numbers made from :func:`seeded_uniform` by the Box–Muller transform:
    each pair of uniforms ``u1, u2`` gives ``r cos(2 pi u2)`` and ``r sin(2 pi u2)``, ``r = sqrt(-2 ln(1 - u1))``."""
    count = require_int_in_range("count", count, 1)
    uniform = seeded_uniform(2 * ((count + 1) // 2), seed).reshape(-1, 2)
    radius = np.sqrt(-2.0 * np.log(1.0 - uniform[:, 0]))  # 1 - u1 is in (0, 1]: the log is finite
    angle = 2.0 * np.pi * uniform[:, 1]
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1).ravel()[:count]


def photo_noise(shape: tuple[int, ...]) -> np.ndarray:
    """The noise of the forward-process figure: :func:`seeded_normal` with ``NOISE_SEED``, in ``shape``."""
    return seeded_normal(int(np.prod(shape)), NOISE_SEED).reshape(shape)


def forward_process_data() -> dict:
    """What the noise-level explorable shows: a small photograph ``x0`` as 8-bit RGB rows (base64),
    the seed of its noise (the browser makes :func:`photo_noise` again), and ``alpha_bar_t`` for
    ``t = 0..T`` of the linear and cosine schedules (6 significant digits). The browser shows
    ``sqrt(alpha_bar) x0 + sqrt(1 - alpha_bar) noise``."""
    x0 = hopper(EXPLORABLE_SIZE)
    schedules = {schedule.name: schedule for schedule in (linear_schedule(), cosine_schedule())}
    return {
        "size": EXPLORABLE_SIZE,
        "x0": bytes_base64(byte_codes(x0, 1.0)),
        "noise_seed": NOISE_SEED,
        "schedules": {
            name: [float(f"{value:.6g}") for value in schedule.alpha_bars] for name, schedule in schedules.items()
        },
    }


@figure(
    "forward-process-photo",
    data=forward_process_data,
    live_caption=(
        "The forward process on a photograph (Grace Hopper, from matplotlib's sample data), "
        "$x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\epsilon$ with the same noise "
        "$\\epsilon$ at every $t$: move $t$, and switch between DDPM's linear schedule and the cosine "
        "schedule; the readout gives $\\bar\\alpha_t$, the weights of signal and noise and their ratio."
    ),
    format="webp",
    alt=(
        "Ten copies of a portrait photograph of Grace Hopper in two rows of five, at timesteps 0, 100, 250, 500 "
        "and 1000 of the forward process: the top row with DDPM's linear schedule, the bottom row with the cosine "
        "schedule. At 0 both photos are sharp. In the linear row the face is clear under light noise at 100, "
        "still visible under heavy noise at 250, a faint outline at 500 and colored static at 1000. In the cosine "
        "row the photo is almost clean at 100 and lightly noisy at 250; at 500 it looks like the linear row at "
        "250, whose signal fraction is about the same; at 1000 it is static."
    ),
    caption=(
        "The forward process on a photograph (Grace Hopper, from matplotlib's sample data), "
        "$x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\epsilon$ with the same noise "
        "$\\epsilon$ at every $t$: DDPM's linear schedule (top) and the cosine schedule (bottom)."
    ),
)
def forward_process_photo(theme: Theme) -> Figure:
    x0 = hopper()
    noise = photo_noise(x0.shape)
    fig = new_figure(3.1)
    rows = fig.subfigures(2, 1)
    for row, schedule in zip(rows, (linear_schedule(), cosine_schedule()), strict=True):
        row.suptitle(f"{schedule.name} schedule", x=0.01, ha="left", fontsize=11)
        for ax, t in zip(row.subplots(1, len(FORWARD_TIMESTEPS)), FORWARD_TIMESTEPS, strict=True):
            alpha_bar = schedule.alpha_bar(t)
            x_t = forward_diffuse(x0, alpha_bar, noise)
            ax.imshow(np.clip((x_t + 1) / 2, 0, 1), interpolation="antialiased")
            ax.set_title(f"t = {t}\n" + rf"$\bar\alpha_t$={alpha_bar:.2g}", fontsize=11)
            ax.set_axis_off()
    return fig


def ring_mixture() -> GaussianMixture:
    """Eight Gaussian blobs on a circle of radius 2: 2-D data with an exact denoiser."""
    angles = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    means = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return GaussianMixture(means=means, stds=np.full(8, 0.15), weights=np.full(8, 1 / 8))


def near_a_blob(mixture: GaussianMixture, points: np.ndarray) -> float:
    """The share of ``points`` (shape ``(n, 2)``) within two standard deviations of a blob's centre."""
    distances = np.linalg.norm(points[:, None, :] - mixture.means[None, :, :], axis=2)
    return float(np.mean(np.any(distances < 2 * mixture.stds, axis=1)))


def denoising_runs() -> dict[str, list[tuple[int, int, np.ndarray, np.ndarray]]]:
    """A DDPM run (1000 network evaluations, at ``DENOISING_DDPM_FRAMES``) and a DDIM run
    (``DENOISING_DDIM_STEPS`` evaluations, after each) of ``DENOISING_POINTS`` samples of
    :func:`ring_mixture`, from the same noise, with the exact noise predictor: for each frame its
    timestep, the evaluations so far, the samples ``x_t`` and the step's prediction ``x0_hat`` (at
    ``t = 0``, the samples themselves)."""
    mixture, schedule = ring_mixture(), linear_schedule()

    def eps_model(x: np.ndarray, t: int) -> np.ndarray:
        return mixture.optimal_epsilon(x, schedule.alpha_bar(t))

    def predicted(t: int, x: np.ndarray) -> np.ndarray:
        return predict_x0(x, eps_model(x, t), schedule.alpha_bar(t)) if t > 0 else x

    shape = (DENOISING_POINTS, 2)
    ddpm = sample_ddpm(eps_model, shape, schedule, np.random.default_rng(0), keep_trajectory=True)
    ddim = sample_ddim(eps_model, shape, schedule, DENOISING_DDIM_STEPS, np.random.default_rng(0), True)
    steps = {
        "DDPM": [(t, schedule.T - t, ddpm.trajectory[schedule.T - t]) for t in DENOISING_DDPM_FRAMES],
        "DDIM": list(zip([*ddim.timesteps, 0], range(len(ddim.trajectory)), ddim.trajectory, strict=True)),
    }
    return {name: [(t, n, x, predicted(t, x)) for t, n, x in frames] for name, frames in steps.items()}


def denoising_data() -> dict:
    """What the denoising explorable steps through: :func:`denoising_runs` in order (DDPM first), each
    frame's samples and prediction as 8-bit codes (base64), with the share of each within two
    standard deviations of a blob (:func:`near_a_blob`)."""
    mixture = ring_mixture()

    def frame(t: int, evaluations: int, x: np.ndarray, x0_hat: np.ndarray) -> dict:
        return {
            "t": t,
            "evaluations": evaluations,
            "x": bytes_base64(byte_codes(x, POINT_RANGE)),
            "x0_hat": bytes_base64(byte_codes(x0_hat, POINT_RANGE)),
            "near": near_a_blob(mixture, x),
            "near_x0_hat": near_a_blob(mixture, x0_hat),
        }

    return {
        "range": POINT_RANGE,
        "means": mixture.means.round(6).tolist(),
        "stds": mixture.stds.round(6).tolist(),
        "runs": [
            {"name": name, "frames": [frame(*step) for step in steps]} for name, steps in denoising_runs().items()
        ],
    }


@figure(
    "reverse-process-2d",
    data=denoising_data,
    live_caption=(
        "The reverse process on 2-D data, eight blobs on a ring (grey circles: two standard deviations), "
        "step by step: the 200 samples $x_t$ and what the step predicts as the clean sample, $\\hat x_0$, "
        "for 1000 DDPM steps or, from the same noise, 10 DDIM steps. The network is replaced by the exact "
        "noise predictor of this data, so nothing is trained."
    ),
    alt=(
        "Scatter plots of the same 200 points in three rows of four, each over eight grey circles on a "
        "ring that mark the data's blobs. Top row, DDPM samples at timesteps 1000, 300, 120 and 0: a shapeless "
        "round cloud of noise, still shapeless at 300, a ring forming at 120, and at 0 the points sit in eight "
        "tight blobs on the ring. Middle row, the prediction x-hat-0 of the DDPM step at timesteps 1000, 300, "
        "120 and 40: every point at the centre, then a disk that fills the ring, then points on the ring bunched "
        "at the blobs, then nearly all on the blobs. Bottom row, a DDIM run from the same noise after 0, 6, 8 "
        "and 10 network evaluations: the same shapeless cloud, still a cloud, a loose ring, and the eight "
        "blobs, looser than DDPM's."
    ),
    caption=(
        "The reverse process on 2-D data, eight blobs on a ring (grey circles: two standard deviations). "
        "Top: 200 samples start as Gaussian noise and are denoised by 1000 DDPM steps. Middle: what each of "
        "those steps predicts as the clean sample, $\\hat x_0$. Bottom: DDIM from the same noise in 10 steps. "
        "The network is replaced by the exact noise predictor of this data, so nothing is trained."
    ),
)
def reverse_process_2d(theme: Theme) -> Figure:
    mixture = ring_mixture()
    runs = denoising_runs()
    ddpm = {t: (x, x0_hat) for t, _, x, x0_hat in runs["DDPM"]}
    ddim = {n: (t, x) for t, n, x, _ in runs["DDIM"]}
    rows = [
        ("DDPM: the samples $x_t$", [(f"t = {t}", ddpm[t][0]) for t in REVERSE_SNAPSHOTS]),
        ("DDPM: the prediction $\\hat x_0$", [(f"t = {t}", ddpm[t][1]) for t in PREDICTION_SNAPSHOTS]),
        ("DDIM, 10 steps: the samples $x_t$", [(f"{n} eval.", ddim[n][1]) for n in DDIM_SNAPSHOTS]),
    ]
    fig = new_figure(4.6)
    for row, (title, panels) in zip(fig.subfigures(len(rows), 1), rows, strict=True):
        row.suptitle(title, x=0.01, ha="left", fontsize=11)
        for ax, (label, points) in zip(row.subplots(1, len(panels)), panels, strict=True):
            for mean, std in zip(mixture.means, mixture.stds, strict=True):
                ax.add_patch(Circle(mean, 2 * std, fill=False, color=theme.grid, lw=1))
            ax.scatter(points[:, 0], points[:, 1], s=3, color=theme.series[0], linewidths=0, rasterized=True)
            ax.set_title(label, fontsize=11)
            ax.set_xlim(-3.3, 3.3)
            ax.set_ylim(-3.3, 3.3)
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.spines[:].set_visible(True)
            ax.spines[:].set_color(theme.grid)
    return fig
