"""Property-based tests (hypothesis) of the invariants the guide states."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from diffusion_vs_llms.attention import KVCache, rope, scaled_dot_product_attention
from diffusion_vs_llms.evaluation import frechet_distance
from diffusion_vs_llms.figures.flow_figures import three_blobs
from diffusion_vs_llms.flow_matching import equivalent_alpha_bar, mixture_velocity, sample_euler
from diffusion_vs_llms.forward import forward_diffuse, signal_and_noise_scales, velocity
from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.losses import token_cross_entropy
from diffusion_vs_llms.preferences import dpo_loss, fit_dpo, kl_regularized_optimum, preference_probability
from diffusion_vs_llms.probability import sequence_log_probability, sequence_probability, softmax
from diffusion_vs_llms.quantize import decode_tokens, fit_codebook, nearest_code
from diffusion_vs_llms.reverse import ddim_step, predict_from_velocity, predict_x0
from diffusion_vs_llms.sampling import top_k_filter, top_p_filter
from diffusion_vs_llms.schedules import cosine_schedule, linear_schedule
from diffusion_vs_llms.tokenizer import BPETokenizer

finite = st.floats(min_value=-50, max_value=50, allow_nan=False)
logit_vectors = arrays(float, st.integers(1, 12), elements=finite)
unit_interval_open_closed = st.floats(min_value=1e-6, max_value=1.0)


@given(logit_vectors, st.floats(min_value=0.05, max_value=20))
def test_softmax_is_a_distribution(logits, temperature):
    p = softmax(logits, temperature)
    assert np.all(p >= 0)
    assert abs(p.sum() - 1) < 1e-9


@given(logit_vectors, finite)
def test_softmax_ignores_a_shift_of_all_logits(logits, shift):
    assert np.allclose(softmax(logits), softmax(logits + shift), atol=1e-9)


@given(logit_vectors)
def test_lower_temperature_never_lowers_the_top_probability(logits):
    assert softmax(logits, 0.5).max() >= softmax(logits, 1.0).max() - 1e-12 >= softmax(logits, 2.0).max() - 2e-12


@given(unit_interval_open_closed)
def test_forward_process_preserves_unit_variance(alpha_bar):
    signal, noise = signal_and_noise_scales(alpha_bar)
    # Var(x_t) = alpha_bar Var(x_0) + (1 - alpha_bar) Var(eps) = 1 for unit-variance x_0 and eps
    assert abs(signal**2 + noise**2 - 1) < 1e-12


@given(st.sampled_from([linear_schedule(), cosine_schedule()]))
def test_alpha_bar_decreases_within_zero_one(schedule):
    ab = schedule.alpha_bars
    assert ab[0] == 1.0
    assert np.all(np.diff(ab) < 0)
    assert np.all((ab > 0) & (ab <= 1))


@given(arrays(float, 4, elements=finite), arrays(float, 4, elements=finite), st.floats(0.01, 1.0))
def test_predict_x0_and_ddim_to_clean_agree(x_t, eps, alpha_bar):
    assert np.allclose(ddim_step(x_t, eps, alpha_bar, 1.0), predict_x0(x_t, eps, alpha_bar))


@given(st.lists(st.floats(min_value=1e-3, max_value=1.0), min_size=1, max_size=30))
def test_chain_rule_product_equals_exp_of_log_sum(probs):
    assert np.isclose(sequence_probability(probs), np.exp(sequence_log_probability(probs)), rtol=1e-9)


@given(arrays(float, st.integers(2, 10), elements=st.floats(0.01, 1.0)), st.data())
def test_cross_entropy_is_minus_log_p_and_non_negative(weights, data):
    p = weights / weights.sum()
    target = data.draw(st.integers(0, p.size - 1))
    loss = token_cross_entropy(p, target)
    assert loss >= 0
    assert np.isclose(loss, -np.log(p[target]))


@settings(deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(0, 10_000))
def test_causal_attention_output_ignores_later_positions(n, d, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n + 1, d))
    out, weights = scaled_dot_product_attention(x, x, x, causal=True)
    changed = x.copy()
    changed[-1] += 10.0
    out_changed, _ = scaled_dot_product_attention(changed, changed, changed, causal=True)
    assert np.allclose(out[:-1], out_changed[:-1])
    assert np.allclose(weights.sum(axis=-1), 1)


@settings(deadline=None)
@given(st.integers(1, 8), st.integers(0, 10_000))
def test_kv_cache_equals_full_causal_attention(n, seed):
    rng = np.random.default_rng(seed)
    q, k, v = rng.standard_normal((n, 3)), rng.standard_normal((n, 3)), rng.standard_normal((n, 2))
    full, _ = scaled_dot_product_attention(q, k, v, causal=True)
    cache = KVCache(3, 2)
    for i in range(n):
        cache.append(k[i], v[i])
        assert np.allclose(cache.attend(q[i]), full[i])


@given(logit_vectors, st.data())
def test_top_k_keeps_exactly_k(logits, data):
    k = data.draw(st.integers(1, logits.size))
    assert np.isfinite(top_k_filter(logits, k)).sum() == k


@given(logit_vectors, st.floats(0.01, 1.0))
def test_top_p_keeps_the_smallest_set_reaching_p(logits, p):
    kept = np.isfinite(top_p_filter(logits, p))
    probs = softmax(logits)
    assert probs[kept].sum() >= p - 1e-9
    # dropping the least probable kept token would fall below p
    if kept.sum() > 1:
        assert probs[kept].sum() - probs[kept].min() < p + 1e-9


@given(st.text(alphabet="abcde ", min_size=1, max_size=60), st.integers(0, 10))
def test_tokenizer_round_trips(text, merges):
    tokenizer = BPETokenizer.train(text, merges)
    assert tokenizer.decode(tokenizer.encode(text)) == text
    assert len(tokenizer.encode(text)) <= len(text)


answer_counts = st.integers(2, 6)


@st.composite
def preference_problems(draw):
    """A reference distribution over a few answers (each > 0), their rewards, and beta_KL."""
    n = draw(answer_counts)
    weights = draw(arrays(float, n, elements=st.floats(0.05, 1.0)))
    rewards = draw(arrays(float, n, elements=st.floats(-3, 3)))
    return weights / weights.sum(), rewards, draw(st.floats(0.2, 5.0))


@settings(max_examples=40, deadline=None)
@given(preference_problems())
def test_dpo_on_every_pair_reaches_the_optimum_of_the_kl_regularized_reward(problem):
    """Rafailov et al. (2023): the minimum of the expected DPO loss is pi_ref exp(r / beta_KL) / Z."""
    reference, rewards, beta_kl = problem
    optimum = kl_regularized_optimum(reference, rewards, beta_kl)
    assert np.allclose(fit_dpo(reference, rewards, beta_kl), optimum, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(preference_problems(), st.integers(0, 2**32 - 1))
def test_the_optimum_beats_every_other_distribution_on_the_objective(problem, seed):
    """No distribution q has a larger E_q[r] - beta_KL KL(q || pi_ref) than the closed-form optimum."""
    reference, rewards, beta_kl = problem

    def objective(q):
        return float(q @ rewards - beta_kl * np.sum(q * np.log(q / reference)))

    best = objective(kl_regularized_optimum(reference, rewards, beta_kl))
    others = np.random.default_rng(seed).dirichlet(np.ones(reference.size), size=20)
    assert all(objective(q) <= best + 1e-12 for q in others)


@given(*[st.floats(-30, 0) for _ in range(4)], st.floats(0.01, 10))
def test_the_dpo_loss_is_bradley_terry_on_the_implied_rewards(plus, minus, ref_plus, ref_minus, beta_kl):
    """-log P(a+ > a-) with rewards beta_KL log(pi / pi_ref): log 2 when the model is the reference."""
    loss = dpo_loss(plus, minus, ref_plus, ref_minus, beta_kl)
    implied = preference_probability(beta_kl * (plus - ref_plus), beta_kl * (minus - ref_minus))
    assert np.isclose(loss, -np.log(implied), rtol=1e-9, atol=1e-12)
    assert np.isclose(dpo_loss(ref_plus, ref_minus, ref_plus, ref_minus, beta_kl), np.log(2))


def test_preference_probability_is_finite_for_huge_reward_gaps():
    assert preference_probability(1000.0, 0.0) == 1.0
    assert preference_probability(0.0, 1000.0) == 0.0
    assert dpo_loss(0.0, -1e4, -1e4, 0.0, 1.0) == 0.0  # log(1 + exp(-2e4)), no overflow
    assert np.isclose(dpo_loss(-1e4, 0.0, 0.0, -1e4, 1.0), 2e4)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_the_frechet_distance_is_a_distance_between_the_fitted_gaussians(d, seed):
    """0 for the same samples, symmetric, >= 0, and for equal covariances the squared gap of the means."""
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(d, d))
    a = rng.normal(size=(50, d)) @ mixing
    b = rng.normal(size=(60, d)) @ mixing.T + rng.normal(size=d)
    assert abs(frechet_distance(a, a)) < 1e-9
    assert np.isclose(frechet_distance(a, b), frechet_distance(b, a), rtol=1e-7, atol=1e-9)
    assert frechet_distance(a, b) >= 0
    shift = rng.normal(size=d)
    assert np.isclose(frechet_distance(a, a + shift), shift @ shift, rtol=1e-7, atol=1e-9)


def test_the_frechet_distance_of_one_feature_is_the_gap_of_means_and_of_deviations():
    """In 1-D the formula is (mu_1 - mu_2)^2 + (s_1 - s_2)^2 with the sample standard deviations."""
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 2, (500, 1)), rng.normal(1, 0.5, (400, 1))
    expected = (a.mean() - b.mean()) ** 2 + (a.std(ddof=1) - b.std(ddof=1)) ** 2
    assert np.isclose(frechet_distance(a, b), expected, rtol=1e-9)


@given(st.integers(1, 8), st.floats(-1e4, 1e4), st.floats(-1e4, 1e4), st.floats(-100, 100), st.integers(0, 2**32 - 1))
def test_rope_keeps_lengths_and_scores_depend_on_the_offset_only(pairs, m, n, shift, seed):
    """Su et al. (2021): a rotation keeps the length, and shifting both positions keeps the score."""
    q, k = np.random.default_rng(seed).normal(size=(2, 2 * pairs))
    assert np.isclose(np.linalg.norm(rope(q, m)), np.linalg.norm(q))
    assert np.isclose(rope(q, m) @ rope(k, n), rope(q, m + shift) @ rope(k, n + shift), atol=1e-7)


mixtures = st.integers(0, 10_000).map(
    lambda seed: GaussianMixture(
        means=np.random.default_rng(seed).normal(0, 2, (3, 2)),
        stds=np.random.default_rng(seed + 1).uniform(0.2, 1.5, 3),
        weights=np.random.default_rng(seed + 2).dirichlet(np.ones(3)),
    )
)
points = arrays(float, (4, 2), elements=st.floats(-4, 4))


@settings(max_examples=40)
@given(mixtures, points, st.floats(0.0, 1.0))
def test_the_score_is_the_gradient_of_the_log_density(mixture, x, alpha_bar):
    h = 1e-5
    numeric = np.stack(
        [
            (mixture.log_density(x + d, alpha_bar) - mixture.log_density(x - d, alpha_bar)) / (2 * h)
            for d in h * np.eye(2)
        ],
        axis=1,
    )
    assert np.allclose(numeric, mixture.score(x, alpha_bar), rtol=1e-4, atol=1e-4)


def test_the_noisy_density_integrates_to_one():
    mixture = GaussianMixture(means=[[-2.0], [1.0]], stds=[0.3, 0.8], weights=[0.3, 0.7])
    grid = np.linspace(-12, 12, 48_001)
    for alpha_bar in (0.0, 0.4, 1.0):
        density = np.exp(mixture.log_density(grid[:, None], alpha_bar))
        assert abs(np.trapezoid(density, grid) - 1) < 1e-6


@settings(max_examples=40)
@given(mixtures, points, st.floats(1e-3, 1 - 1e-3))
def test_tweedie_links_the_score_the_noise_prediction_and_the_denoiser(mixture, x, alpha_bar):
    score = mixture.score(x, alpha_bar)
    eps_hat = mixture.optimal_epsilon(x, alpha_bar)
    assert np.allclose(eps_hat, -np.sqrt(1 - alpha_bar) * score, atol=1e-9)
    x0_hat = mixture.posterior_mean(x, np.sqrt(alpha_bar), np.sqrt(1 - alpha_bar))
    assert np.allclose(x0_hat, predict_x0(x, eps_hat, alpha_bar), rtol=1e-6, atol=1e-6)


def test_the_posterior_mean_is_the_average_clean_point_near_a_noisy_one():
    """Monte Carlo: among pairs whose x_t falls near a point, the clean x_0 average to posterior_mean."""
    mixture = GaussianMixture(means=[[-2.0], [1.0]], stds=[0.3, 0.8], weights=[0.3, 0.7])
    rng = np.random.default_rng(0)
    x0 = mixture.sample(2_000_000, rng)
    signal, noise_std = 0.6, 0.7
    x_t = signal * x0 + noise_std * rng.standard_normal(x0.shape)
    for point in (-1.0, 0.0, 0.8):
        near = np.abs(x_t[:, 0] - point) < 0.01
        assert abs(x0[near].mean() - mixture.posterior_mean([point], signal, noise_std)[0, 0]) < 0.02


@given(arrays(float, 5, elements=finite), arrays(float, 5, elements=finite), st.floats(1e-3, 1.0))
def test_velocity_predictions_give_back_the_clean_data_and_the_noise(x0, eps, alpha_bar):
    x_t = forward_diffuse(x0, alpha_bar, eps)
    x0_back, eps_back = predict_from_velocity(x_t, velocity(x0, eps, alpha_bar), alpha_bar)
    assert np.allclose(x0_back, x0, atol=1e-8) and np.allclose(eps_back, eps, atol=1e-8)


@settings(max_examples=40)
@given(mixtures, points, st.floats(0.05, 0.95), st.floats(0.0, 1.0))
def test_an_euler_step_of_rectified_flow_is_a_ddim_step(mixture, x, t, fraction):
    t_next = t * fraction
    scale, scale_next = np.hypot(1 - t, t), np.hypot(1 - t_next, t_next)
    euler = x + (t_next - t) * mixture_velocity(mixture, x, t)
    alpha_bar, alpha_bar_next = equivalent_alpha_bar(t), equivalent_alpha_bar(t_next)
    ddim = ddim_step(x / scale, mixture.optimal_epsilon(x / scale, alpha_bar), alpha_bar, alpha_bar_next)
    assert np.allclose(euler / scale_next, ddim, rtol=1e-6, atol=1e-6)


def test_the_exact_flow_carries_noise_to_the_data():
    mixture = three_blobs()
    result = sample_euler(lambda x, t: mixture_velocity(mixture, x, t), (4000, 2), 200, np.random.default_rng(0))
    nearest = np.linalg.norm(result.sample[:, None] - mixture.means[None], axis=2).argmin(axis=1)
    assert np.allclose(np.bincount(nearest, minlength=3) / 4000, mixture.weights, atol=0.03)
    assert result.network_evaluations == 200 and result.timesteps[0] == 1.0 and min(result.timesteps) > 0


@given(arrays(float, (12, 3), elements=st.floats(-5, 5)), arrays(float, (4, 3), elements=st.floats(-5, 5)))
def test_each_token_is_the_nearest_codebook_vector(vectors, codebook):
    tokens = nearest_code(vectors, codebook)
    chosen = np.sum((decode_tokens(tokens, codebook) - vectors) ** 2, axis=1)
    every = np.sum((vectors[:, None] - codebook[None]) ** 2, axis=2)
    assert np.all(chosen <= every.min(axis=1) + 1e-12)


@settings(max_examples=30)
@given(st.integers(0, 10_000), st.integers(1, 8))
def test_k_means_never_raises_the_squared_error_of_the_codebook(seed, size):
    vectors = np.random.default_rng(seed).normal(size=(40, 2))

    def error(iterations):
        codebook = fit_codebook(vectors, size, np.random.default_rng(seed), iterations)
        return np.sum((decode_tokens(nearest_code(vectors, codebook), codebook) - vectors) ** 2)

    errors = [error(n) for n in range(5)]
    assert all(later <= earlier + 1e-9 for earlier, later in itertools.pairwise(errors))


def test_a_codebook_as_large_as_the_data_rebuilds_it_exactly():
    vectors = np.random.default_rng(0).normal(size=(10, 4))
    codebook = fit_codebook(vectors, 10, np.random.default_rng(1))
    assert np.array_equal(decode_tokens(nearest_code(vectors, codebook), codebook), vectors)
