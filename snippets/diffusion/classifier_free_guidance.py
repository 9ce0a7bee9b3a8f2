"""Classifier-free guidance on a two-class toy: the guidance scale trades
diversity for adherence.

The data are two overlapping blobs, class A around (-1, 0) and class B around
(1, 0). The unconditional model knows the whole mixture; the model conditioned
on "class A" knows only A. Sampling with
eps = eps_uncond + w (eps_cond - eps_uncond) (Ho and Salimans, 2022) and DDIM:

- w = 0 ignores the condition, w = 1 samples class A as it is in the data;
- w > 1 pushes samples away from class B and makes them less diverse.

Each step costs two network evaluations (conditional and unconditional).
"""

import math

import numpy as np

from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.reverse import classifier_free_guidance, sample_ddim
from diffusion_vs_llms.schedules import linear_schedule

unconditional = GaussianMixture(
    means=[[-1.0, 0.0], [1.0, 0.0]], stds=[0.6, 0.6], weights=[0.5, 0.5]
)
class_a = GaussianMixture(means=[[-1.0, 0.0]], stds=[0.6], weights=[1.0])
schedule = linear_schedule()
steps, n = 50, 2000

results = {}
for w in (0.0, 1.0, 3.0, 7.5):
    calls = 0

    def guided_eps(x_t: np.ndarray, t: int, w: float = w) -> np.ndarray:
        global calls
        # one unconditional and one conditional evaluation
        calls += 2
        alpha_bar = schedule.alpha_bar(t)
        return classifier_free_guidance(
            unconditional.optimal_epsilon(x_t, alpha_bar),
            class_a.optimal_epsilon(x_t, alpha_bar),
            w,
        )

    x = sample_ddim(
        guided_eps, (n, 2), schedule, steps, np.random.default_rng(0)
    ).sample
    assert calls == 2 * steps == 100
    results[w] = {
        # how well the condition is followed
        "in A's half": float(np.mean(x[:, 0] < 0)),
        "mean x": float(x[:, 0].mean()),
        # diversity along the class direction
        "spread x": float(x[:, 0].std()),
        # diversity the classes do not care about
        "spread y": float(x[:, 1].std()),
    }

# w = 0: the condition is ignored, half the samples are on each side.
assert abs(results[0.0]["in A's half"] - 0.5) < 0.05
# w = 1: plain conditional sampling, class A as it is: mean -1, std 0.6, and
# 96 % of the samples left of 0 (the exact share for class A is 95 %).
assert (
    round(results[1.0]["mean x"], 1) == -1.0
    and round(results[1.0]["spread x"], 1) == 0.6
)
assert round(results[1.0]["in A's half"], 2) == 0.96
# P(x < 0) for N(-1, 0.6^2)
assert round(0.5 * (1 + math.erf((1.0 / 0.6) / math.sqrt(2))), 2) == 0.95
# w = 3 and 7.5: every sample in A's half, pushed away from B, and much less
# diverse along x.
for w in (3.0, 7.5):
    assert results[w]["in A's half"] == 1.0
assert (
    round(results[3.0]["mean x"], 1) == -1.6
    and round(results[7.5]["mean x"], 1) == -2.3
)
assert (
    round(results[3.0]["spread x"], 2) == 0.36
    and round(results[7.5]["spread x"], 2) == 0.28
)
# The direction the condition does not involve keeps its spread (about 0.6) at
# every scale.
assert all(
    np.isclose(r["spread y"], results[0.0]["spread y"])
    for r in results.values()
)
assert round(results[0.0]["spread y"], 1) == 0.6
for w, r in results.items():
    print(w, {k: round(v, 2) for k, v in r.items()})
