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
# This notebook trains a real diffusion model from scratch, in numpy, in a few seconds. The data are
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

# %%
import matplotlib.pyplot as plt
import numpy as np

from diffusion_vs_llms.forward import forward_diffuse
from diffusion_vs_llms.nn import Adam, init_mlp, mlp_backward, mlp_forward, mse_loss_and_grad, timestep_embedding
from diffusion_vs_llms.reverse import sample_ddim, sample_ddpm
from diffusion_vs_llms.schedules import cosine_schedule

plt.rcParams.update({"figure.dpi": 64, "figure.facecolor": "white", "axes.grid": True, "grid.alpha": 0.3})
rng = np.random.default_rng(0)

# %% [markdown]
# ## The data: two moons
#
# Twenty thousand points on two noisy half-circles, centered and scaled so that each coordinate has a
# spread of about one, like the pixel values a real image model sees.


# %%
def two_moons(n: int, rng: np.random.Generator) -> np.ndarray:
    """n points on two interleaved half-circles with a little Gaussian noise, shape (n, 2)."""
    angle = rng.uniform(0, np.pi, n)
    upper = rng.integers(0, 2, n) == 0
    x = np.where(upper, np.cos(angle), 1 - np.cos(angle))
    y = np.where(upper, np.sin(angle), 0.5 - np.sin(angle))
    points = np.stack([x, y], axis=1) + rng.normal(0, 0.05, (n, 2))
    return (points - [0.5, 0.25]) / [1.0, 0.5]


data = two_moons(20_000, rng)
print(f"data: {data.shape[0]} points, mean {data.mean(axis=0).round(2)}, std {data.std(axis=0).round(2)}")

# %% [markdown]
# ## The network
#
# The noise predictor sees the noisy point (2 numbers) and the timestep, encoded as 32 sines and
# cosines of different frequencies (the sinusoidal embedding of the Transformer, used for timesteps
# by DDPM). Three hidden layers of 128 units with SiLU activations, 2 outputs: the predicted noise.
# Gradients are written by hand in `diffusion_vs_llms.nn` and checked against finite differences in
# the test suite. The network computes in 32-bit floats, as deep-learning frameworks train by
# default: each number takes 4 bytes instead of the 8 of numpy's default `float64`.

# %%
schedule = cosine_schedule()  # T = 1000 (Nichol and Dhariwal, 2021)
EMBEDDING = 32
params = init_mlp([2 + EMBEDDING, 128, 128, 128, 2], rng, dtype=np.float32)


def network_input(x_t: np.ndarray, t: np.ndarray) -> np.ndarray:
    return np.concatenate([x_t, timestep_embedding(t, EMBEDDING)], axis=1)


def eps_model(x_t: np.ndarray, t: int) -> np.ndarray:
    """The trained network as the samplers call it: eps_theta(x_t, t)."""
    return mlp_forward(params, network_input(x_t, np.full(len(x_t), t)))[0]


parameter_count, parameter_bytes = sum(p.size for p in params.values()), sum(p.nbytes for p in params.values())
print(f"{parameter_count:,} parameters, {parameter_bytes / 1024:.0f} KB as float32")

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
    x_t = forward_diffuse(x0, alpha_bars[t][:, None], eps)  # one alpha_bar per point, shape (256, 1)
    prediction, cache = mlp_forward(params, network_input(x_t, t))
    loss, d_prediction = mse_loss_and_grad(prediction, eps)
    grads, _ = mlp_backward(params, cache, d_prediction)
    optimizer.step(params, grads, learning_rate=2e-3 * max(0.05, 1 - step / STEPS))
    losses.append(loss)
final_loss = float(np.mean(losses[-200:]))
print(f"{STEPS} steps; loss {np.mean(losses[:50]):.3f} at the start, {final_loss:.3f} over the last 200 steps")

# %% alt="Line chart of the training loss over 3000 steps: the per-batch mean squared error starts near 1, drops quickly within the first few hundred steps and then levels off around 0.4, with a smoothed curve through the noisy per-batch values."
fig, ax = plt.subplots(figsize=(6, 3))
window = 50
smoothed = np.convolve(losses, np.ones(window) / window, mode="valid")
ax.plot(losses, alpha=0.3, lw=0.8, label="per batch")
ax.plot(np.arange(window - 1, STEPS), smoothed, lw=2, label=f"mean of {window}")
ax.set(xlabel="training step", ylabel="MSE on the noise", ylim=(0, 1.2), title="Training loss")
ax.legend()
plt.show()

# %% [markdown]
# The loss does not go to zero, and it should not: at large $t$ the noisy point carries almost no
# information about $x_0$, so part of the noise is unpredictable. A network that always predicted
# zero would score about 1, the variance of the noise.

# %%
assert final_loss < 0.6, final_loss

# %% [markdown]
# ## Sampling
#
# Generation runs the DDPM reverse process from pure noise: 1000 steps, one network evaluation
# each. The samples should lie on the moons; we measure how far each is from its nearest data
# point and compare with fresh real points.

# %%
SAMPLES = 600
result = sample_ddpm(eps_model, (SAMPLES, 2), schedule, np.random.default_rng(1), keep_trajectory=True)
samples = result.sample


def nearest_distance(points: np.ndarray, reference: np.ndarray) -> np.ndarray:
    return np.sqrt(((points[:, None, :] - reference[None, :, :]) ** 2).sum(axis=-1)).min(axis=1)


reference = data[:3000]
fresh = two_moons(SAMPLES, np.random.default_rng(2))
sample_distance = np.median(nearest_distance(samples, reference))
real_distance = np.median(nearest_distance(fresh, reference))
print(f"network evaluations: {result.network_evaluations}")
print(f"median distance to the nearest data point: samples {sample_distance:.3f}, real points {real_distance:.3f}")
assert result.network_evaluations == schedule.T == 1000
assert sample_distance < 2 * real_distance

# %% alt="Two scatter plots side by side: on the left 600 points of the data, two interleaved half-moons; on the right 600 samples generated by the trained model with 1000 DDPM steps, which trace the same two half-moons with a few stray points between them."
fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), sharex=True, sharey=True)
axes[0].scatter(*reference[:SAMPLES].T, s=3, color="#0072B2")
axes[0].set_title("data")
axes[1].scatter(*samples.T, s=3, color="#D55E00")
axes[1].set_title("samples (DDPM, 1000 steps)")
for ax in axes:
    ax.set_aspect("equal")
plt.show()

# %% [markdown]
# ## The reverse trajectory
#
# The same 600 samples at six moments of the reverse process: a Gaussian cloud at $t = 1000$, the
# moons emerging only in the last few hundred steps.

# %% alt="Six small scatter plots of the same 600 samples during the reverse process, at t = 1000, 600, 300, 150, 50 and 0: a round Gaussian cloud at first, still shapeless at 300, curving into two arcs by 150 and sharp half-moons at 0."
moments = [1000, 600, 300, 150, 50, 0]
fig, axes = plt.subplots(1, len(moments), figsize=(10, 2), sharex=True, sharey=True)
for ax, t in zip(axes, moments, strict=True):
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
fast = sample_ddim(eps_model, (SAMPLES, 2), schedule, 50, np.random.default_rng(1), x0_clip=3.0)
fast_distance = np.median(nearest_distance(fast.sample, reference))
print(f"DDIM: {fast.network_evaluations} evaluations, median distance {fast_distance:.3f}")
assert fast.network_evaluations == 50 and fast_distance < 2 * real_distance
