# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Train a tiny diffusion model
#
# This notebook trains a real diffusion model from scratch, in numpy, on a CPU. The data are
# points in the plane shaped like two interleaved half-moons; the network is a small multilayer
# perceptron that learns to predict the noise in a noisy point. Everything else, the noise schedule,
# the forward process and the sampler, is the code the rest of the guide uses
# (`diffusion_vs_llms`), so no formula is written twice.
#
# The recipe is the one of [the diffusion chapter](../../diffusion/):
#
# 1. take a clean point $x_0$, a random timestep $t$ and noise $\epsilon \sim \mathcal{N}(0, \mathbf{I})$;
# 2. form $x_t = \sqrt{\bar\alpha_t}\, x_0 + \sqrt{1 - \bar\alpha_t}\, \epsilon$;
# 3. train the network $\epsilon_\theta(x_t, t)$ to predict $\epsilon$ with the mean squared error
#    $\lVert \epsilon - \epsilon_\theta(x_t, t) \rVert^2$;
# 4. to generate, start from pure noise and apply the DDPM reverse step $T$ times.
#
# Symbols follow the guide's [notation table](../../formulas/#notation).

# %%
import matplotlib.pyplot as plt
import numpy as np

from diffusion_vs_llms.forward import forward_diffuse
from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.nn import (
    Adam,
    init_mlp,
    mlp_backward,
    mlp_forward,
    mse_loss_and_grad,
    timestep_embedding,
)
from diffusion_vs_llms.reverse import sample_ddim, sample_ddpm
from diffusion_vs_llms.schedules import cosine_schedule

# %config InlineBackend.figure_formats = ["retina"]
plt.rcParams.update(
    {
        # inches, drawn at 2 pixels per CSS pixel (retina): text of 12 points
        # stays legible in a phone's column
        "figure.figsize": (4.4, 3.0),
        "figure.dpi": 96,
        "figure.constrained_layout.use": True,
        "font.size": 12,
        "legend.fontsize": 12,
        "figure.facecolor": "white",
        "axes.grid": True,
        "grid.alpha": 0.3,
    }
)
rng = np.random.default_rng(0)

# %% [markdown]
# ## The data: two moons
#
# The data are points on two interleaved half-circles, centered and scaled so that each coordinate has
# a spread of about one, like the pixel values a real image model sees. Each moon is a string of small
# Gaussian blobs of equal weight and equal width, so closely spaced that their sum is a smooth band.
# The data set is therefore a Gaussian mixture, and the package's exact mixture denoiser
# (`GaussianMixture.optimal_epsilon`) gives the best noise prediction any network could make on it:
# we use it below to see which part of the training loss no network can remove.


# %%
# standard deviation of each blob, in the scaled coordinates
NOISE = 0.1
# blobs per moon
COMPONENTS = 100
angle = (np.arange(COMPONENTS) + 0.5) * np.pi / COMPONENTS
upper = np.stack([np.cos(angle), np.sin(angle)], axis=1)
lower = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
centres = (np.vstack([upper, lower]) - [0.5, 0.25]) / [1.0, 0.5]
moons = GaussianMixture(
    means=centres,
    stds=np.full(len(centres), NOISE),
    weights=np.full(len(centres), 1 / len(centres)),
)
spacing = np.linalg.norm(np.diff(centres[:COMPONENTS], axis=0), axis=1).max()
# neighbouring blobs overlap: each moon is one smooth band
assert spacing < NOISE


def two_moons(n: int, rng: np.random.Generator) -> np.ndarray:
    """n points of the two-moons mixture, shape (n, 2)."""
    return moons.sample(n, rng)


data = two_moons(20_000, rng)
print(
    f"{len(centres)} blobs of std {NOISE}, at most {spacing:.3f} apart "
    "along a moon"
)
print(
    f"data: {data.shape[0]} points, mean {data.mean(axis=0).round(2)}, "
    f"std {data.std(axis=0).round(2)}"
)

# %% [markdown]
# ## The network
#
# The noise predictor sees the noisy point (2 numbers) and the timestep, encoded as 32 sines and
# cosines of different frequencies, all the sines first (the sinusoidal embedding of the
# Transformer, used for timesteps by DDPM; see the chapter's
# [timestep embedding](../../image-generators/#architectures-u-net-and-diffusion-transformers)). Three hidden layers of 128 units with SiLU activations, 2 outputs: the predicted noise.
# Gradients are written by hand in `diffusion_vs_llms.nn` and checked against finite differences in
# the test suite. The network computes in 32-bit floats, as deep-learning frameworks train by
# default: each number takes 4 bytes instead of the 8 of numpy's default `float64`.

# %%
# the cosine schedule (Nichol and Dhariwal, 2021) over DDPM's T = 1000 steps
schedule = cosine_schedule()
EMBEDDING = 32
params = init_mlp([2 + EMBEDDING, 128, 128, 128, 2], rng, dtype=np.float32)


def network_input(x_t: np.ndarray, t: np.ndarray) -> np.ndarray:
    return np.concatenate([x_t, timestep_embedding(t, EMBEDDING)], axis=1)


def eps_model(x_t: np.ndarray, t: int) -> np.ndarray:
    """The trained network as the samplers call it: eps_theta(x_t, t)."""
    return mlp_forward(params, network_input(x_t, np.full(len(x_t), t)))[0]


parameter_count, parameter_bytes = (
    sum(p.size for p in params.values()),
    sum(p.nbytes for p in params.values()),
)
print(
    f"{parameter_count:,} parameters, "
    f"{parameter_bytes / 1024:.0f} KB as float32"
)

# %% [markdown]
# ## Training
#
# Each step draws a batch of 256 clean points, a random timestep for each, and fresh noise; the
# loss is the mean squared error between the true and the predicted noise. The learning rate decays
# linearly.

# %%
STEPS, BATCH = 3000, 256
alpha_bars = schedule.alpha_bars
optimizer = Adam(params, learning_rate=2e-3)
losses = []
for step in range(STEPS):
    x0 = data[rng.integers(0, len(data), BATCH)]
    t = rng.integers(1, schedule.T + 1, BATCH)
    eps = rng.standard_normal((BATCH, 2))
    # one alpha_bar per point, shape (256, 1)
    x_t = forward_diffuse(x0, alpha_bars[t][:, None], eps)
    prediction, cache = mlp_forward(params, network_input(x_t, t))
    loss, d_prediction = mse_loss_and_grad(prediction, eps)
    grads, _ = mlp_backward(params, cache, d_prediction)
    optimizer.step(
        params, grads, learning_rate=2e-3 * max(0.05, 1 - step / STEPS)
    )
    losses.append(loss)
final_loss = float(np.mean(losses[-200:]))
print(
    f"{STEPS} steps; loss {np.mean(losses[:50]):.3f} at the start, "
    f"{final_loss:.3f} over the last 200 steps"
)

# %% alt="Line chart of the training loss over 3000 steps: the per-batch mean squared error starts above the top of the axis at 1.2, falls steeply at once and then levels off around 0.4, with a smoothed curve through the noisy per-batch values."
fig, ax = plt.subplots()
window = 50
smoothed = np.convolve(losses, np.ones(window) / window, mode="valid")
ax.plot(losses, alpha=0.3, lw=0.8, label="per batch")
ax.plot(
    np.arange(window - 1, STEPS), smoothed, lw=2, label=f"mean of {window}"
)
ax.set(
    xlabel="training step",
    ylabel="MSE on the noise",
    ylim=(0, 1.2),
    title="Training loss",
)
ax.legend()
plt.show()

# %% [markdown]
# ## Where the loss comes from
#
# The loss does not go to zero, and it should not. A network that always predicted zero would score
# about 1, the variance of the noise. The best possible network predicts the conditional mean
# $\mathbb{E}[\epsilon \mid x_t]$ (the minimizer of a mean squared error), and even that one keeps an
# error that depends on $t$:
#
# - At **large $t$** the signal weight $\sqrt{\bar\alpha_t}$ is tiny, so
#   $x_t = \sqrt{\bar\alpha_t}\, x_0 + \sqrt{1 - \bar\alpha_t}\, \epsilon \approx \epsilon$: the noisy
#   point *is* almost the noise, and the noise is almost perfectly predictable.
# - At **small $t$** the noisy point is the clean point plus a sliver of noise, smaller than the
#   spread of the data itself. From $x_t$ alone the sliver cannot be told apart from the data's own
#   variation, so the best prediction is close to zero and its error close to 1 per coordinate.
#
# For data that form one Gaussian cluster of standard deviation $\sigma_\text{data}$ this has a
# closed form. Then $x_t$ and $\epsilon$ are jointly Gaussian, with
# $\operatorname{Cov}(\epsilon, x_t) = \sqrt{1 - \bar\alpha_t}$ and
# $\operatorname{Var}(x_t) = \bar\alpha_t \sigma_\text{data}^2 + 1 - \bar\alpha_t$ per coordinate,
# and the part of $\epsilon$ that $x_t$ cannot explain has variance
#
# $$
# \begin{aligned}
# \mathbb{E}\!\left[(\epsilon - \mathbb{E}[\epsilon \mid x_t])^2\right]
# &= 1 - \frac{1 - \bar\alpha_t}{\bar\alpha_t \sigma_\text{data}^2 + 1 - \bar\alpha_t} \\
# &= \frac{\bar\alpha_t \sigma_\text{data}^2}{\bar\alpha_t \sigma_\text{data}^2 + 1 - \bar\alpha_t},
# \end{aligned}
# $$
#
# which tends to 1 as $t \to 0$ ($\bar\alpha_t \to 1$) and to 0 as $\bar\alpha_t \to 0$.
#
# The code measures the error of the exact denoiser by Monte Carlo: at each $t$ it draws fresh clean
# points and fresh noise, forms $x_t$, and compares $\epsilon$ with the exact
# $\mathbb{E}[\epsilon \mid x_t]$ and with the trained network's prediction, on the same points. For
# a single blob as wide as one blob of the moons ($\sigma_\text{data}$ = `NOISE`), it checks the
# measurement against the formula.


# %%
def noisy_batch(
    mixture: GaussianMixture, t: int, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """x_t and the noise eps in it, for n fresh clean points of the mixture."""
    x0 = mixture.sample(n, rng)
    eps = rng.standard_normal(x0.shape)
    return forward_diffuse(x0, schedule.alpha_bar(t), eps), eps


def squared_error(prediction: np.ndarray, eps: np.ndarray) -> float:
    """Mean squared error per coordinate, as in the training loss."""
    return float(np.mean((prediction - eps) ** 2))


measure_rng = np.random.default_rng(3)
timesteps = np.unique(np.geomspace(1, schedule.T, 30).round().astype(int))

# One blob of std NOISE: the Monte Carlo error of the exact denoiser against
# the closed form.
one_blob = GaussianMixture(means=[[0.0, 0.0]], stds=[NOISE], weights=[1.0])
BLOB_SAMPLES = 4000
one_blob_measured, one_blob_formula = [], []
for t in timesteps:
    x_t, eps = noisy_batch(one_blob, t, BLOB_SAMPLES, measure_rng)
    alpha_bar = schedule.alpha_bar(t)
    one_blob_measured.append(
        squared_error(one_blob.optimal_epsilon(x_t, alpha_bar), eps)
    )
    one_blob_formula.append(
        alpha_bar * NOISE**2 / (alpha_bar * NOISE**2 + 1 - alpha_bar)
    )
# Within 4 Monte Carlo standard errors (the estimate's relative standard error
# is 1 / sqrt(samples)).
assert np.allclose(
    one_blob_measured,
    one_blob_formula,
    rtol=4 / np.sqrt(BLOB_SAMPLES),
    atol=1e-9,
)

# The two moons: the exact denoiser (the best any network can do) and the
# trained network.
SAMPLES_PER_T = 1000
best, network = [], []
for t in timesteps:
    x_t, eps = noisy_batch(moons, t, SAMPLES_PER_T, measure_rng)
    best.append(
        squared_error(moons.optimal_epsilon(x_t, schedule.alpha_bar(t)), eps)
    )
    network.append(squared_error(eps_model(x_t, t), eps))
best, network = np.array(best), np.array(network)

# large at small t, tiny at large t
assert best[timesteps <= 10].mean() > 0.9 and best[-1] < 1e-3
assert best[timesteps <= 10].min() > best[timesteps >= 500].max()
# no network beats the exact denoiser (up to sampling noise)
assert np.all(network > best - 0.03)
for t in (1, 10, 100, 300, 600, 1000):
    i = int(np.argmin(np.abs(timesteps - t)))
    print(
        f"t = {timesteps[i]:4d}: best possible {best[i]:.3f}, "
        f"trained network {network[i]:.3f}, "
        f"one blob {one_blob_measured[i]:.3f} "
        f"(formula {one_blob_formula[i]:.3f})"
    )

# %% alt="Line chart of the noise-prediction error per coordinate against the timestep t, on a logarithmic axis from 1 to 1000. All curves start near 1 at small t and fall to nearly 0 at t = 1000. The single blob's closed-form curve, with the measured points on it, falls first; the exact denoiser on the two moons stays higher, on a plateau in the middle of the range, before it falls; the trained network's error lies above the exact denoiser's between t = 10 and t = 100, and on it from a few hundred steps on."
fig, ax = plt.subplots(figsize=(4.4, 4.4))
ax.plot(
    timesteps,
    one_blob_formula,
    color="#009E73",
    lw=1.5,
    label="one blob: closed form",
)
ax.plot(
    timesteps,
    one_blob_measured,
    "o",
    color="#009E73",
    ms=3,
    label="one blob: measured",
)
ax.plot(
    timesteps, best, color="#0072B2", lw=2, label="two moons: exact denoiser"
)
ax.plot(
    timesteps,
    network,
    "--",
    color="#D55E00",
    lw=1.5,
    label="two moons: trained network",
)
ax.set(
    xscale="log",
    xlabel="timestep t",
    ylabel="error per coordinate",
    ylim=(0, 1.1),
)
ax.set_title("Irreducible error of the noise prediction")
fig.legend(loc="outside lower center")
plt.show()

# %% [markdown]
# The irreducible error is largest at small $t$, where the noise hides among the data's own detail,
# and it vanishes only near $t = T$, where the noisy point is nearly all noise. On the moons it stays
# large well into the middle of the range, above the single blob's curve: there the noise is already
# larger than a blob but not yet larger than a moon, so where along a moon the point started is
# still uncertain.
#
# Training draws $t$ uniformly, so the average of this curve over all $T$ timesteps is the floor of
# the training loss, and most of that floor comes from the wide middle of the range, not from the
# few smallest timesteps. The trained network's final loss sits just above it: almost all of what is left
# is noise that no network could predict.

# %%
floor_rng = np.random.default_rng(4)
# per timestep, for every t = 1, ..., T
FLOOR_SAMPLES = 16
best_all, network_all = [], []
for t in range(1, schedule.T + 1):
    x_t, eps = noisy_batch(moons, t, FLOOR_SAMPLES, floor_rng)
    best_all.append(
        squared_error(moons.optimal_epsilon(x_t, schedule.alpha_bar(t)), eps)
    )
    network_all.append(squared_error(eps_model(x_t, t), eps))
floor, network_average = float(np.mean(best_all)), float(np.mean(network_all))
print(f"floor of the loss (exact denoiser, t uniform): {floor:.3f}")
print(
    f"trained network on the same samples: {network_average:.3f}; "
    f"final training loss: {final_loss:.3f}"
)
# where the loss curve above levels off
assert round(final_loss, 1) == 0.4, final_loss
assert floor < network_average < floor + 0.05
# most of the floor comes from the middle of the range, not the smallest t
middle = np.sum(best_all[100:700])
assert middle > np.sum(best_all) - middle

# %% [markdown]
# ## Sampling
#
# Generation runs the DDPM reverse process from pure noise: 1000 steps, one network evaluation
# each. The samples should lie on the moons; we measure how far each is from its nearest data
# point and compare with fresh real points.

# %%
SAMPLES = 600
result = sample_ddpm(
    eps_model,
    (SAMPLES, 2),
    schedule,
    np.random.default_rng(1),
    keep_trajectory=True,
)
samples = result.sample


def nearest_distance(points: np.ndarray, reference: np.ndarray) -> np.ndarray:
    return np.sqrt(
        ((points[:, None, :] - reference[None, :, :]) ** 2).sum(axis=-1)
    ).min(axis=1)


reference = data[:3000]
fresh = two_moons(SAMPLES, np.random.default_rng(2))
sample_distance = np.median(nearest_distance(samples, reference))
real_distance = np.median(nearest_distance(fresh, reference))
print(f"network evaluations: {result.network_evaluations}")
print(
    "median distance to the nearest data point: "
    f"samples {sample_distance:.3f}, real points {real_distance:.3f}"
)
assert result.network_evaluations == schedule.T == 1000
assert sample_distance < 2 * real_distance

# %% alt="Two scatter plots side by side: on the left, titled data, 600 points of the data, two interleaved half-moons; on the right, titled DDPM samples, 600 samples generated by the trained model with 1000 DDPM steps, which trace the same two half-moons less sharply, with more points scattered between them than in the data."
fig, axes = plt.subplots(1, 2, figsize=(4.4, 2.6), sharex=True, sharey=True)
axes[0].scatter(*reference[:SAMPLES].T, s=3, color="#0072B2")
axes[0].set_title("data")
axes[1].scatter(*samples.T, s=3, color="#D55E00")
axes[1].set_title("DDPM samples")
for ax in axes:
    ax.set_aspect("equal")
plt.show()

# %% [markdown]
# ## The reverse trajectory
#
# The same 600 samples at six moments of the reverse process: a Gaussian cloud at $t = 1000$, the
# moons emerging only in the last few hundred steps.

# %% alt="Six small scatter plots in two rows of three, of the same 600 samples during the reverse process, at t = 1000, 600, 300, 150, 50 and 0: a round Gaussian cloud at first, only faintly shaped at 300, curving into two arcs by 150 and sharp half-moons at 0."
moments = [1000, 600, 300, 150, 50, 0]
fig, axes = plt.subplots(2, 3, figsize=(4.4, 3.4), sharex=True, sharey=True)
for ax, t in zip(axes.flat, moments, strict=True):
    ax.scatter(*result.trajectory[schedule.T - t].T, s=1, color="#0072B2")
    ax.set_title(f"t = {t}")
    ax.set(xticks=[], yticks=[], xlim=(-3, 3), ylim=(-3, 3), aspect="equal")
plt.show()

# %% [markdown]
# ## Fewer steps with DDIM
#
# The trained network does not care which sampler calls it. DDIM's deterministic update reaches a
# comparable result with 50 network evaluations instead of 1000. DDIM's first jump starts where
# $\bar\alpha_t$ is tiny, so the predicted clean point is divided by a very small
# $\sqrt{\bar\alpha_t}$ and any error of the network explodes; as image samplers clip to the pixel
# range, we clip the predicted clean point to $[-3, 3]$, where all the data lie.

# %%
assert np.abs(data).max() < 3
fast = sample_ddim(
    eps_model,
    (SAMPLES, 2),
    schedule,
    50,
    np.random.default_rng(1),
    x0_clip=3.0,
)
fast_distance = np.median(nearest_distance(fast.sample, reference))
print(
    f"DDIM: {fast.network_evaluations} evaluations, "
    f"median distance {fast_distance:.3f}"
)
assert fast.network_evaluations == 50 and fast_distance < 2 * real_distance
