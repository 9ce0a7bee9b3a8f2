"""Mistake 3: a diffusion model generates new samples from the learned
distribution, not copies of training data.

The data are 2-D points from a mixture of three Gaussians; 20 of them are the
"training set". Two exact noise predictors stand in for trained networks:

- the ideal denoiser of the data distribution, which a model that generalizes
  approximates;
- the ideal denoiser of the 20 training points themselves (20 spikes of width
  0.001), which a model that memorized its training set would approximate.

Both are sampled with the same DDIM sampler. The first gives new points, about
as far from the training points as fresh real data are; the second gives back
training points.
"""

import numpy as np

from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.reverse import sample_ddim
from diffusion_vs_llms.schedules import linear_schedule

rng = np.random.default_rng(0)
schedule = linear_schedule()
data = GaussianMixture(
    means=[[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]],
    stds=[0.5, 0.5, 0.5],
    weights=[0.5, 0.3, 0.2],
)
train = data.sample(20, rng)
# new real data, never seen in training
fresh = data.sample(1000, rng)


def sample(mixture: GaussianMixture, n: int) -> np.ndarray:
    """n points from DDIM with 100 steps, driven by the mixture's exact noise
    predictor.
    """
    return sample_ddim(
        lambda x, t: mixture.optimal_epsilon(x, schedule.alpha_bar(t)),
        (n, 2),
        schedule,
        100,
        rng,
    ).sample


def distance_to_nearest(
    points: np.ndarray, reference: np.ndarray
) -> np.ndarray:
    return np.linalg.norm(
        points[:, None, :] - reference[None, :, :], axis=2
    ).min(axis=1)


def cluster_shares(points: np.ndarray) -> np.ndarray:
    nearest_mean = np.linalg.norm(
        points[:, None, :] - data.means[None, :, :], axis=2
    ).argmin(axis=1)
    return np.bincount(nearest_mean, minlength=3) / len(points)


# A model that learned the distribution: new points, with the data's
# proportions
generated = sample(data, 1000)
d_generated, d_fresh = (
    distance_to_nearest(generated, train),
    distance_to_nearest(fresh, train),
)
# no generated point is a training point, or even very close to one
assert d_generated.min() > 0.02
# as novel as fresh data
assert (
    round(np.median(d_generated), 2) == 0.29
    and round(np.median(d_fresh), 2) == 0.30
)
# 50%, 30%, 20%, as in the data
assert np.allclose(cluster_shares(generated), data.weights, atol=0.03)

# A model that memorized 20 training points: every sample lands on one of them
memorizer = GaussianMixture(
    means=train, stds=np.full(20, 0.001), weights=np.full(20, 1 / 20)
)
copies = sample(memorizer, 1000)
# all 1000 samples are copies of training points
assert distance_to_nearest(copies, train).max() < 0.002
copied = np.linalg.norm(copies[:, None, :] - train[None, :, :], axis=2).argmin(
    axis=1
)
# between them they reproduce every one of the 20
assert len(set(copied)) == 20

# The extreme case: a model trained on a single example can only give that
# example back
single = GaussianMixture(means=train[:1], stds=[0.001], weights=[1.0])
assert np.allclose(sample(single, 5), train[0], atol=0.002)
