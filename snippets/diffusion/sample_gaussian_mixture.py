"""DDPM sampling of a 2-D Gaussian mixture, with the exact noise predictor as
the "trained network".

Start from x_T ~ N(0, I), with I the identity matrix, and take all T = 1000
reverse steps (Ho et al., 2020, Algorithm 2). The samples end up with the
statistics of the data: the mean, the share of points near each mode and the
spread of each mode. Every step calls
the network once: 1000 evaluations.
"""

import numpy as np

from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.reverse import sample_ddpm
from diffusion_vs_llms.schedules import linear_schedule

# The "data set": three blobs in the plane, with 50 %, 30 % and 20 % of the
# points.
mixture = GaussianMixture(
    means=[[-2.0, -1.0], [2.0, -1.0], [0.0, 2.0]],
    stds=[0.3, 0.3, 0.3],
    weights=[0.5, 0.3, 0.2],
)
# DDPM: T = 1000, beta from 1e-4 to 0.02
schedule = linear_schedule()
calls = 0


def eps_model(x_t: np.ndarray, t: int) -> np.ndarray:
    """A perfectly trained noise predictor: the exact E[epsilon | x_t] of the
    mixture.
    """
    global calls
    calls += 1
    return mixture.optimal_epsilon(x_t, schedule.alpha_bar(t))


rng = np.random.default_rng(0)
n = 2000
result = sample_ddpm(eps_model, (n, 2), schedule, rng)
x = result.sample

# One network evaluation per reverse step, T steps in all.
assert calls == result.network_evaluations == schedule.T == 1000
assert result.timesteps[0] == 1000 and result.timesteps[-1] == 1

# Overall mean: the true mean is sum_k w_k mu_k = (-0.4, -0.4). Allow 4
# standard errors.
true_mean = mixture.weights @ mixture.means
second_moment = mixture.weights @ (
    mixture.means**2 + mixture.stds[:, None] ** 2
)
standard_error = np.sqrt((second_moment - true_mean**2) / n)
assert np.allclose(true_mean, [-0.4, -0.4])
assert np.all(np.abs(x.mean(axis=0) - true_mean) < 4 * standard_error)

# Share of samples nearest each mode matches the mixture weights (4 standard
# errors, about 0.04).
# (n, 3)
distance = np.linalg.norm(x[:, None, :] - mixture.means[None, :, :], axis=2)
nearest = distance.argmin(axis=1)
share = np.bincount(nearest, minlength=3) / n
assert np.all(np.abs(share - mixture.weights) < 4 * np.sqrt(0.25 / n))

# Each blob has the right width (std 0.3), and almost no sample lands between
# blobs.
for k in range(3):
    assert abs(x[nearest == k].std(axis=0).mean() - 0.3) < 0.03
# more than 3.3 stds from every mode
assert np.mean(distance.min(axis=1) > 1.0) < 0.01
print(
    "mean",
    x.mean(axis=0).round(2),
    "share",
    share.round(3),
    "evaluations",
    calls,
)
