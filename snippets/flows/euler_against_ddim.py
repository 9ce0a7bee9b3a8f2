"""Few-step sampling of the three-blob data: Euler steps on rectified flow
against DDIM on DDPM's linear schedule, with the exact velocity and noise
predictors as the "trained networks".

Both samplers take the same number of network evaluations; the Frechet
distance between 2000 samples and 2000 data points says how close each gets.
"""

import numpy as np

from diffusion_vs_llms.evaluation import frechet_distance
from diffusion_vs_llms.figures.flow_figures import POINTS, three_blobs
from diffusion_vs_llms.flow_matching import mixture_velocity, sample_euler
from diffusion_vs_llms.reverse import ddim_step, sample_ddim
from diffusion_vs_llms.schedules import cosine_schedule, linear_schedule

mixture = three_blobs()
schedule = linear_schedule()
data = mixture.sample(POINTS, np.random.default_rng(1))
assert POINTS == 2000


def velocity_model(x_t: np.ndarray, t: float) -> np.ndarray:
    """A perfectly trained flow-matching network: E[epsilon - x_0 | x_t]."""
    return mixture_velocity(mixture, x_t, t)


def eps_model(x_t: np.ndarray, t: int) -> np.ndarray:
    """A perfectly trained noise predictor: E[epsilon | x_t]."""
    return mixture.optimal_epsilon(x_t, schedule.alpha_bar(t))


distance = {}
for n in (2, 4):
    shape, rng = (POINTS, 2), np.random.default_rng
    by_flow = sample_euler(velocity_model, shape, n, rng(0))
    by_ddim = sample_ddim(eps_model, shape, schedule, n, rng(0))
    assert by_flow.network_evaluations == by_ddim.network_evaluations == n
    distance[n] = [
        float(f"{frechet_distance(run.sample, data):.2g}")
        for run in (by_flow, by_ddim)
    ]
    print(f"{n} evaluations: flow {distance[n][0]}, DDIM {distance[n][1]}")

# rectified flow is several times closer at 2 and at 4 evaluations
assert distance == {2: [0.51, 4.5], 4: [0.078, 0.45]}
# 4.5 is the distance of samples all at the data's mean, where one step from
# pure noise puts them
collapsed = np.tile(mixture.weights @ mixture.means, (POINTS, 1))
collapsed += 1e-3 * np.random.default_rng(2).standard_normal(collapsed.shape)
assert abs(frechet_distance(collapsed, data) - distance[2][1]) < 0.2

# The update is the same (an Euler step is a DDIM step), so the gap is where
# the evaluations go. DDIM's timesteps 1000 and 1 spend the second one where
# almost nothing is left to remove; at 1000 and 500 DDIM does better, and on
# the cosine schedule, whose noise levels lie close to the flow's, as well as
# the flow.
halves = {}
for plan in (linear_schedule(), cosine_schedule()):
    x = np.random.default_rng(0).standard_normal((POINTS, 2))
    for t, t_prev in ((1000, 500), (500, 0)):
        eps = mixture.optimal_epsilon(x, plan.alpha_bar(t))
        x = ddim_step(x, eps, plan.alpha_bar(t), plan.alpha_bar(t_prev))
    halves[plan.name] = float(f"{frechet_distance(x, data):.2g}")
    name = plan.name
    print(f"DDIM at t = 1000 and 500, {name} schedule: {halves[name]}")
assert halves == {"linear": 1.7, "cosine": 0.51}
