"""DDPM with 1000 network evaluations against DDIM with 50, 10 and 1, on the
same 2-D mixture.

DDIM (Song, Meng and Ermon, 2021) reuses the same noise predictor but takes
deterministic jumps over a sub-sequence of timesteps. With the exact denoiser
of this toy, 50 evaluations match the data as well as DDPM's 1000; with 10 it
is close but sloppier; with a single jump it returns the average of the data.
The toy has no network error: with trained networks DDPM's own sampler is
better at 1000 steps (DDIM paper, Table 1), as the chapter explains.
"""

import numpy as np

from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.reverse import ddim_timesteps, sample_ddim, sample_ddpm
from diffusion_vs_llms.schedules import linear_schedule

mixture = GaussianMixture(
    means=[[-2.0, -1.0], [2.0, -1.0], [0.0, 2.0]],
    stds=[0.3, 0.3, 0.3],
    weights=[0.5, 0.3, 0.2],
)
# the same schedule (and "network") for every sampler
schedule = linear_schedule()
n = 2000


def eps_model(x_t: np.ndarray, t: int) -> np.ndarray:
    """A perfectly trained noise predictor: the exact E[epsilon | x_t] of the
    mixture.
    """
    return mixture.optimal_epsilon(x_t, schedule.alpha_bar(t))


def distances(x: np.ndarray) -> np.ndarray:
    """Shape (n, 3): the distance of every point to every mode."""
    return np.linalg.norm(x[:, None, :] - mixture.means[None, :, :], axis=2)


def statistics(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Mean, share of points nearest each mode, share more than 1.0 away from
    every mode.
    """
    d = distances(x)
    share = np.bincount(d.argmin(axis=1), minlength=3) / len(x)
    return x.mean(axis=0), share, float(np.mean(d.min(axis=1) > 1.0))


runs = {
    "DDPM 1000": sample_ddpm(
        eps_model, (n, 2), schedule, np.random.default_rng(0)
    )
}
for steps in (50, 10, 1):
    runs[f"DDIM {steps}"] = sample_ddim(
        eps_model, (n, 2), schedule, steps, np.random.default_rng(0)
    )

evaluations = {name: run.network_evaluations for name, run in runs.items()}
assert evaluations == {
    "DDPM 1000": 1000,
    "DDIM 50": 50,
    "DDIM 10": 10,
    "DDIM 1": 1,
}
# jumps of about 20 timesteps
assert ddim_timesteps(1000, 50)[:3] == [1000, 980, 959]

# the mixture's mean
true_mean = mixture.weights @ mixture.means
assert np.allclose(true_mean, [-0.4, -0.4])
for name in ("DDPM 1000", "DDIM 50"):
    mean, share, off_mode = statistics(runs[name].sample)
    # about 4 standard errors
    assert np.all(np.abs(mean - true_mean) < 0.15), (name, mean)
    assert np.all(np.abs(share - mixture.weights) < 0.04), (name, share)
    assert off_mode < 0.01, (name, off_mode)

# 10 evaluations: the modes have the right weights, but more points fall
# between them.
mean, share, off_mode = statistics(runs["DDIM 10"].sample)
assert np.all(np.abs(share - mixture.weights) < 0.04)
# 2 % of the points, against under 1 % above
assert round(off_mode, 3) == 0.02

# 1 evaluation: the sample is the network's estimate E[x_0 | x_T], and x_T
# carries almost no signal, so every sample lands within 0.1 of the data mean:
# one blurry average, no modes.
assert np.all(np.abs(runs["DDIM 1"].sample - true_mean) < 0.1)

# DDIM is a deterministic map from x_T to x_0: the same starting noise (same
# seed) and the same step schedule give the same sample; with 50 or 10 steps
# instead of 1000, nearly every point still lands in the same mode.
again = sample_ddim(
    eps_model, (n, 2), schedule, 50, np.random.default_rng(0)
).sample
# same noise, same 50 steps: the same sample
assert np.array_equal(again, runs["DDIM 50"].sample)
reference = distances(
    sample_ddim(
        eps_model, (n, 2), schedule, 1000, np.random.default_rng(0)
    ).sample
).argmin(axis=1)
agreement = {
    s: float(
        np.mean(
            distances(runs[f"DDIM {s}"].sample).argmin(axis=1) == reference
        )
    )
    for s in (50, 10)
}
assert agreement[50] > 0.99 and agreement[10] > 0.98, agreement
print(evaluations, agreement)
