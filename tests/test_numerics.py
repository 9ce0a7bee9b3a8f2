"""Unit tests of the numerics in src/diffusion_vs_llms: values from the papers and error messages."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from diffusion_vs_llms.attention import (
    KVCache,
    causal_mask,
    grouped_query_attention,
    kv_cache_bytes,
    scaled_dot_product_attention,
)
from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.forward import forward_diffuse, sample_forward, signal_and_noise_scales
from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.losses import (
    cross_entropy,
    mean_squared_error,
    mean_token_cross_entropy,
    token_cross_entropy,
)
from diffusion_vs_llms.probability import log_softmax, sequence_log_probability, sequence_probability, softmax
from diffusion_vs_llms.reverse import (
    classifier_free_guidance,
    ddim_step,
    ddim_timesteps,
    ddpm_step,
    predict_x0,
    sample_ddim,
    sample_ddpm,
)
from diffusion_vs_llms.sampling import (
    expected_tokens_per_pass,
    generate,
    greedy,
    next_token_distribution,
    top_k_filter,
    top_p_filter,
)
from diffusion_vs_llms.schedules import NoiseSchedule, cosine_alpha_bar, cosine_schedule, linear_schedule
from diffusion_vs_llms.timing import diffusion_image_time, llm_generation_time, sequential_time
from diffusion_vs_llms.tokenizer import BPETokenizer

# --- schedules ---------------------------------------------------------------------------------


def test_linear_schedule_has_ddpm_endpoints():
    schedule = linear_schedule()
    assert schedule.T == 1000
    assert schedule.beta(1) == pytest.approx(1e-4)
    assert schedule.beta(1000) == pytest.approx(0.02)
    assert schedule.alpha(1) == pytest.approx(1 - 1e-4)
    assert schedule.alpha_bar(0) == 1.0


def test_alpha_bar_is_the_product_of_alphas():
    schedule = NoiseSchedule("tiny", np.array([0.1, 0.2, 0.5]))
    assert schedule.alpha_bar(3) == pytest.approx(0.9 * 0.8 * 0.5)
    assert schedule.alpha_bars.shape == (4,)


def test_linear_schedule_leaves_almost_no_signal_at_t_equals_T():
    # DDPM: alpha_bar_T = prod(1 - beta_t) is about 4e-5, so x_T is essentially pure noise.
    alpha_bar_T = linear_schedule().alpha_bar(1000)
    assert 3e-5 < alpha_bar_T < 5e-5
    assert alpha_bar_T == pytest.approx(np.prod(1 - np.linspace(1e-4, 0.02, 1000)))


def test_cosine_schedule_matches_its_closed_form_and_is_gentler():
    cosine, linear = cosine_schedule(), linear_schedule()
    t = np.arange(0, 1000)
    assert np.allclose(cosine.alpha_bars[:1000], cosine_alpha_bar(t.astype(float), 1000))
    # halfway through, the cosine schedule keeps much more signal than the linear one
    assert cosine.alpha_bar(500) > 0.45 > 0.1 > linear.alpha_bar(500)
    assert cosine.betas.max() == pytest.approx(0.999)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: linear_schedule(T=0), "T must be >= 1, got 0"),
        (lambda: linear_schedule(beta_start=0.0), "beta_start must be in (0, 1), got 0.0"),
        (lambda: linear_schedule().alpha_bar(1001), "t must be in [0, 1000], got 1001"),
        (lambda: linear_schedule().beta(0), "t must be in [1, 1000], got 0"),
        (lambda: NoiseSchedule("bad", np.array([0.5, 1.0])), "betas must be in (0, 1), got 1.0"),
    ],
)
def test_schedule_errors_name_argument_range_and_value(call, message):
    with pytest.raises(ValueError, match=r"^" + __import__("re").escape(message)):
        call()


# --- forward and reverse -----------------------------------------------------------------------


def test_forward_diffuse_formula():
    x0, noise = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    x_t = forward_diffuse(x0, 0.64, noise)
    assert np.allclose(x_t, 0.8 * x0 + 0.6 * noise)


@pytest.mark.parametrize("alpha_bar", [0.0, -0.1, 1.5, float("nan")])
def test_alpha_bar_outside_zero_one_is_rejected(alpha_bar):
    with pytest.raises(ValueError, match=r"alpha_bar must be in \(0, 1\], got"):
        signal_and_noise_scales(alpha_bar)


def test_forward_diffuse_rejects_mismatched_shapes_naming_both():
    with pytest.raises(
        ValueError, match=r"x0 and noise must have the same shape, got x0.shape=\(2,\) and noise.shape=\(3,\)"
    ):
        forward_diffuse(np.zeros(2), 0.5, np.zeros(3))


def test_sample_forward_returns_the_noise_it_used():
    rng = np.random.default_rng(0)
    schedule = linear_schedule()
    x0 = np.ones((4, 4))
    x_t, eps = sample_forward(x0, 300, schedule, rng)
    assert np.allclose(x_t, forward_diffuse(x0, schedule.alpha_bar(300), eps))


def test_predict_x0_inverts_the_forward_process():
    rng = np.random.default_rng(1)
    x0, eps = rng.standard_normal(5), rng.standard_normal(5)
    x_t = forward_diffuse(x0, 0.3, eps)
    assert np.allclose(predict_x0(x_t, eps, 0.3), x0)


def test_ddpm_step_at_t1_adds_no_noise_and_matches_formula():
    schedule = linear_schedule()
    x_t, eps, z = np.array([0.3]), np.array([0.1]), np.array([5.0])
    expected = (x_t - schedule.beta(1) / math.sqrt(1 - schedule.alpha_bar(1)) * eps) / math.sqrt(schedule.alpha(1))
    assert np.allclose(ddpm_step(x_t, 1, eps, schedule, z), expected)
    with_noise = ddpm_step(x_t, 2, eps, schedule, z)
    without_noise = ddpm_step(x_t, 2, eps, schedule, np.zeros(1))
    assert np.allclose(with_noise - without_noise, math.sqrt(schedule.beta(2)) * z)


def test_ddim_step_with_exact_noise_lands_on_the_forward_process():
    rng = np.random.default_rng(2)
    x0, eps = rng.standard_normal(3), rng.standard_normal(3)
    x_t = forward_diffuse(x0, 0.2, eps)
    assert np.allclose(ddim_step(x_t, eps, 0.2, 0.7), forward_diffuse(x0, 0.7, eps))
    assert np.allclose(ddim_step(x_t, eps, 0.2, 1.0), x0)
    with pytest.raises(ValueError, match=r"alpha_bar_prev must be >= alpha_bar_t=0\.2"):
        ddim_step(x_t, eps, 0.2, 0.1)


def test_ddim_timesteps_are_evenly_spaced_and_descending():
    steps = ddim_timesteps(1000, 50)
    assert len(steps) == 50 and steps[0] == 1000 and steps[-1] == 1
    assert all(a > b for a, b in pairwise(steps))
    with pytest.raises(ValueError, match=r"num_steps must be in \[1, 1000\], got 0"):
        ddim_timesteps(1000, 0)


def test_classifier_free_guidance():
    u, c = np.array([0.0, 1.0]), np.array([1.0, 1.0])
    assert np.allclose(classifier_free_guidance(u, c, 1.0), c)
    assert np.allclose(classifier_free_guidance(u, c, 0.0), u)
    assert np.allclose(classifier_free_guidance(u, c, 7.5), [7.5, 1.0])


def _two_modes() -> GaussianMixture:
    return GaussianMixture(means=np.array([[-2.0, 0.0], [2.0, 0.0]]), stds=np.array([0.3, 0.3]), weights=[0.5, 0.5])


def test_samplers_with_the_exact_denoiser_reproduce_the_data():
    mixture = _two_modes()
    schedule = linear_schedule()

    def eps_model(x, t):
        return mixture.optimal_epsilon(x, schedule.alpha_bar(t))

    ddpm = sample_ddpm(eps_model, (2000, 2), schedule, np.random.default_rng(0))
    ddim = sample_ddim(eps_model, (2000, 2), schedule, 50, np.random.default_rng(0), keep_trajectory=True)
    assert ddpm.network_evaluations == 1000 and ddim.network_evaluations == 50
    assert len(ddim.trajectory) == 51
    for result in (ddpm, ddim):
        x = result.sample
        assert abs(np.mean(x[:, 0] > 0) - 0.5) < 0.05
        assert np.std(x[x[:, 0] > 0, 0]) == pytest.approx(0.3, abs=0.05)
        assert np.mean(np.abs(x[:, 1])) < 0.4


def test_optimal_epsilon_is_exact_for_a_single_gaussian():
    mixture = GaussianMixture(means=np.array([[1.0]]), stds=np.array([2.0]), weights=[1.0])
    ab = 0.5
    x_t = np.array([[3.0]])
    # E[eps | x_t] = sqrt(1-ab) (x_t - sqrt(ab) mu) / (ab s^2 + 1 - ab)
    expected = math.sqrt(0.5) * (3.0 - math.sqrt(0.5)) / (0.5 * 4 + 0.5)
    assert mixture.optimal_epsilon(x_t, ab)[0, 0] == pytest.approx(expected)


def test_gaussian_mixture_validates_its_parts():
    with pytest.raises(ValueError, match="weights must sum to 1"):
        GaussianMixture(np.zeros((2, 2)), np.ones(2), [0.5, 0.6])
    with pytest.raises(ValueError, match="same number of components"):
        GaussianMixture(np.zeros((2, 2)), np.ones(3), [0.5, 0.5])
    with pytest.raises(ValueError, match=r"x_t must have shape \(n, 2\), got \(1, 3\)"):
        _two_modes().optimal_epsilon(np.zeros((1, 3)), 0.5)


# --- probability, attention, losses ------------------------------------------------------------


def test_softmax_values_and_temperature():
    p = softmax(np.array([0.0, np.log(3.0)]))
    assert np.allclose(p, [0.25, 0.75])
    sharp, flat = softmax([1.0, 2.0, 3.0], 0.5), softmax([1.0, 2.0, 3.0], 2.0)
    assert sharp.max() > softmax([1.0, 2.0, 3.0]).max() > flat.max()
    assert np.allclose(np.exp(log_softmax([1.0, 2.0, 3.0], 0.5)), sharp)


@pytest.mark.parametrize("temperature", [0, -1.0, float("inf")])
def test_softmax_rejects_non_positive_temperature(temperature):
    with pytest.raises(ValueError, match=r"temperature must be > 0, got"):
        softmax([1.0, 2.0], temperature)


def test_chain_rule():
    assert sequence_probability([0.5, 0.4, 0.1]) == pytest.approx(0.02)
    assert sequence_log_probability([0.5, 0.4, 0.1]) == pytest.approx(math.log(0.02))
    with pytest.raises(ValueError, match=r"conditional_probabilities must not be empty, got shape \(0,\)"):
        sequence_probability([])
    with pytest.raises(ValueError, match=r"conditional_probabilities must be in \[0, 1\], got 1.2"):
        sequence_probability([0.5, 1.2])


def test_attention_by_hand():
    q = np.array([[1.0, 0.0]])
    k = np.array([[1.0, 0.0], [0.0, 1.0]])
    v = np.array([[10.0], [20.0]])
    out, w = scaled_dot_product_attention(q, k, v)
    e = math.exp(1 / math.sqrt(2))
    assert np.allclose(w, [[e / (e + 1), 1 / (e + 1)]])
    assert np.allclose(out, w @ v)


def test_causal_mask_blocks_the_future():
    assert causal_mask(3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3))
    _, w = scaled_dot_product_attention(x, x, x, causal=True)
    assert np.allclose(np.triu(w, 1), 0)


def test_attention_shape_errors_name_both_arguments():
    with pytest.raises(ValueError, match=r"q and k must have the same last dimension d_k, got q.shape=\(2, 3\) and k"):
        scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"k and v must have the same number of positions"):
        scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((5, 1)))


def test_kv_cache_matches_full_causal_attention():
    rng = np.random.default_rng(3)
    q, k, v = rng.standard_normal((5, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    full, _ = scaled_dot_product_attention(q, k, v, causal=True)
    cache = KVCache(4, 2)
    with pytest.raises(ValueError, match="the KV cache must not be empty"):
        cache.attend(q[0])
    for i in range(5):
        cache.append(k[i], v[i])
        assert np.allclose(cache.attend(q[i]), full[i])
    assert len(cache) == 5


def test_grouped_query_attention_is_multi_head_attention_with_shared_keys_and_values():
    """Each group of h/g query heads uses one key/value head; g = h is ordinary multi-head attention."""
    rng = np.random.default_rng(4)
    h, g, n, d = 6, 2, 5, 4
    q, k, v = rng.standard_normal((h, n, d)), rng.standard_normal((g, n, d)), rng.standard_normal((g, n, 3))
    out, weights = grouped_query_attention(q, k, v, causal=True)
    assert out.shape == (h, n, 3) and weights.shape == (h, n, n)
    for head in range(h):
        group = head // (h // g)  # heads 0-2 share key/value head 0, heads 3-5 head 1
        alone, _ = scaled_dot_product_attention(q[head], k[group], v[group], causal=True)
        assert np.allclose(out[head], alone)
    full, _ = grouped_query_attention(q, np.repeat(k, 3, axis=0), np.repeat(v, 3, axis=0), causal=True)
    assert np.allclose(full, out)  # g = h with each key/value head repeated: the same attention
    with pytest.raises(ValueError, match=r"the 6 heads of q must split into equal groups over the 4 heads of k"):
        grouped_query_attention(q, rng.standard_normal((4, n, d)), rng.standard_normal((4, n, 3)))


def test_kv_cache_bytes_of_published_model_shapes():
    # smallest GPT-2: 12 layers of 12 heads of 64 (Radford et al., 2019), 16-bit numbers
    assert kv_cache_bytes(12, 12, 64, tokens=1) == 2 * 18_432
    # Mistral 7B: 32 layers, 8 key/value heads of 128 for 32 query heads (Jiang et al., 2023, Table 1)
    assert kv_cache_bytes(32, 8, 128, tokens=8192) == 2**30  # 1 GiB; with 32 heads, 4 GiB
    assert kv_cache_bytes(32, 32, 128, tokens=8192) == 4 * kv_cache_bytes(32, 8, 128, tokens=8192)
    with pytest.raises(ValueError, match=r"kv_heads must be >= 1, got 0"):
        kv_cache_bytes(32, 0, 128, tokens=8192)


def test_seed_practice_question_cross_entropy():
    p = np.array([0.5, 0.3, 0.2])
    loss = token_cross_entropy(p, 1)
    assert loss == pytest.approx(math.log(10 / 3))
    assert round(loss, 3) == 1.204
    assert cross_entropy(np.array([0.0, 1.0, 0.0]), p) == pytest.approx(loss)


def test_probability_errors():
    with pytest.raises(ValueError, match=r"p must be >= 0, got a negative entry -0.1"):
        token_cross_entropy(np.array([1.1, -0.1]), 0)
    with pytest.raises(ValueError, match=r"p must sum to 1 \(within 1e-06\) along axis -1, got a sum of 0.9"):
        token_cross_entropy(np.array([0.5, 0.4]), 0)
    with pytest.raises(ValueError, match=r"target must be in \[0, 2\], got 3"):
        token_cross_entropy(np.array([0.5, 0.3, 0.2]), 3)
    with pytest.raises(ValueError, match=r"y and p must have the same shape"):
        cross_entropy(np.array([1.0, 0.0]), np.array([0.5, 0.3, 0.2]))
    # within tolerance is accepted
    assert token_cross_entropy(np.array([0.5, 0.5 + 1e-9]), 0) == pytest.approx(math.log(2))


def test_mean_token_cross_entropy_matches_per_token_losses():
    rng = np.random.default_rng(4)
    logits, targets = rng.standard_normal((6, 5)), rng.integers(0, 5, 6)
    per_token = [token_cross_entropy(softmax(row), int(t)) for row, t in zip(logits, targets, strict=True)]
    assert mean_token_cross_entropy(logits, targets) == pytest.approx(np.mean(per_token))
    with pytest.raises(ValueError, match=r"targets must have shape \(6,\) to match logits.shape=\(6, 5\), got \(5,\)"):
        mean_token_cross_entropy(logits, targets[:5])


def test_mean_squared_error():
    assert mean_squared_error(np.array([1.0, 3.0]), np.array([0.0, 1.0])) == pytest.approx(2.5)
    with pytest.raises(ValueError, match="prediction and target must have the same shape"):
        mean_squared_error(np.zeros(2), np.zeros(3))


# --- sampling, generation, tokenizer, bigram ---------------------------------------------------


def test_decoding_filters():
    logits = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    assert greedy(logits) == 0
    assert np.isfinite(top_k_filter(logits, 2)).sum() == 2
    assert np.isfinite(top_p_filter(logits, 0.8)).sum() == 2  # 0.5 + 0.3 reaches 0.8
    assert np.isfinite(top_p_filter(logits, 0.81)).sum() == 3
    assert np.allclose(next_token_distribution(logits, top_k=1), [1, 0, 0, 0])
    with pytest.raises(ValueError, match=r"k must be in \[1, 4\], got 5"):
        top_k_filter(logits, 5)
    with pytest.raises(ValueError, match=r"p must be in \(0, 1\], got 0.0"):
        top_p_filter(logits, 0.0)


def test_generate_calls_the_model_once_per_token_and_stops():
    calls = []

    def model(context):
        calls.append(list(context))
        logits = np.full(5, -10.0)
        logits[(context[-1] + 1) % 5] = 0.0
        return logits

    result = generate(model, [0], 6)
    assert result.new_tokens == [1, 2, 3, 4, 0, 1]
    assert result.model_calls == 6 == len(calls)
    assert calls[2] == [0, 1, 2]
    stopped = generate(model, [0], 10, stop_token=3)
    assert stopped.new_tokens == [1, 2, 3]
    with pytest.raises(ValueError, match="prompt must not be empty"):
        generate(model, [], 3)


def test_bpe_tokenizer_round_trip_and_merges():
    tok = BPETokenizer.train("low lower lowest low low", num_merges=5)
    assert tok.merges[0] == ("l", "o")
    text = "lower low"
    assert tok.decode(tok.encode(text)) == text
    assert len(tok.tokenize(text)) < len(text)
    with pytest.raises(ValueError, match=r"characters not seen in training: \['z'\]"):
        tok.encode("zlow")
    with pytest.raises(ValueError, match=r"ids\[0\] must be in \[0,"):
        tok.decode([999])


def test_bigram_model_counts():
    model = BigramModel([0, 1, 0, 1, 0, 2], vocab_size=3, smoothing=1e-9)
    assert model.next_token_probs([0]) == pytest.approx([0, 2 / 3, 1 / 3], abs=1e-6)
    assert np.allclose(model.probs.sum(axis=1), 1)
    with pytest.raises(ValueError, match=r"token_ids\[1\] must be in \[0, 2\], got 5"):
        BigramModel([0, 5], vocab_size=3)


# --- timing ------------------------------------------------------------------------------------


def test_seed_practice_question_timing():
    per_image = diffusion_image_time(50, 0.08)
    assert per_image == pytest.approx(4.0)
    assert sequential_time(12, per_image) == pytest.approx(48.0)
    assert llm_generation_time(100, 0.02, prefill_seconds=0.5) == pytest.approx(0.5 + 99 * 0.02)
    with pytest.raises(ValueError, match=r"seconds_per_step must be > 0, got -0\.08"):
        diffusion_image_time(50, -0.08)
    with pytest.raises(ValueError, match="steps must be >= 1, got 0"):
        diffusion_image_time(0, 0.08)


def test_llm_generation_time_is_one_prefill_and_n_minus_one_decode_passes():
    # the prompt pass produces the first token's distribution: N tokens = 1 prefill + (N - 1) decodes
    assert llm_generation_time(1, 0.02, prefill_seconds=0.3) == pytest.approx(0.3)  # time to first token
    assert llm_generation_time(200, 0.02, prefill_seconds=0.3) == pytest.approx(0.3 + 199 * 0.02)
    # prefill_seconds=None: the prompt pass costs one decode pass, so N tokens take N passes
    assert llm_generation_time(1, 0.02) == pytest.approx(0.02)
    assert llm_generation_time(200, 0.02) == pytest.approx(200 * 0.02)
    assert llm_generation_time(200, 0.02, prefill_seconds=0.02) == llm_generation_time(200, 0.02)
    assert llm_generation_time(5, 0.02, prefill_seconds=0.0) == pytest.approx(4 * 0.02)


@pytest.mark.parametrize("prefill_seconds", [float("nan"), float("inf"), -0.1])
def test_llm_generation_time_rejects_a_prefill_that_is_not_a_duration(prefill_seconds):
    with pytest.raises(ValueError, match=r"^prefill_seconds must be >= 0 and finite, got"):
        llm_generation_time(10, 0.02, prefill_seconds=prefill_seconds)


def test_diffusion_image_time_counts_network_evaluations():
    assert diffusion_image_time(50, 0.08, evaluations_per_step=2) == pytest.approx(8.0)  # guidance, unbatched
    with pytest.raises(ValueError, match=r"^seconds_per_step must be > 0, got nan"):
        diffusion_image_time(50, float("nan"))
    with pytest.raises(ValueError, match=r"^evaluations_per_step must be >= 1, got 0"):
        diffusion_image_time(50, 0.08, evaluations_per_step=0)


def test_expected_tokens_per_pass_of_speculative_decoding():
    """Leviathan et al. (2023), eq. 1, against its ends and a direct sum over the first rejection."""
    assert expected_tokens_per_pass(0.0, 4) == 1.0  # every draft rejected: the pass's own token
    assert expected_tokens_per_pass(1.0, 4) == 5.0  # all 4 kept, plus the bonus token
    a, g = 0.775, 4
    # k drafted tokens kept, then one of the pass's own: k + 1 tokens, with probability a^k (1 - a),
    # or all g kept (probability a^g) and a bonus token: g + 1
    direct = sum((k + 1) * a**k * (1 - a) for k in range(g)) + (g + 1) * a**g
    assert expected_tokens_per_pass(a, g) == pytest.approx(direct)
    with pytest.raises(ValueError, match=r"acceptance must be in \[0, 1\], got 1.5"):
        expected_tokens_per_pass(1.5, 4)
    with pytest.raises(ValueError, match=r"draft_tokens must be >= 1, got 0"):
        expected_tokens_per_pass(0.5, 0)
