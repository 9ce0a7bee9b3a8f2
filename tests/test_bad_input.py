"""Bad input to any public function of diffusion_vs_llms gets a clear error (issue 15, section 6).

For every public function and every argument, hypothesis draws bad values of five classes:
NaN or infinity, a wrong shape, a wrong dtype (strings, bools, complex numbers, objects, None,
floats where integers belong), a value out of range, and an empty array or sequence. Each call
must raise ``ValueError`` whose message names the argument as the caller wrote it; another
exception, a message naming something else, or a returned value (often NaN or a plausible wrong
number) fails the test.

A second group checks valid edge cases that used to give a wrong answer: overflow at a tiny
temperature, DDIM at alpha_bar = 1, a probability of 0 in the chain rule and the cross-entropy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffusion_vs_llms import (
    attention,
    bigram,
    evaluation,
    flow_matching,
    forward,
    gaussian_mixture,
    losses,
    nn,
    preferences,
    probability,
    quantize,
    reverse,
    sampling,
    schedules,
    timing,
    tiny_lm,
    tokenizer,
)

NAN, INF = float("nan"), float("inf")
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- what a bad value of each class looks like, per kind of argument ----------------------------


@dataclass(frozen=True)
class Arg:
    """How one argument may go wrong. ``None`` means that class does not apply to it."""

    nonfinite: st.SearchStrategy | None = None
    dtype: st.SearchStrategy | None = None
    shape: st.SearchStrategy | None = None
    range: st.SearchStrategy | None = None
    empty: st.SearchStrategy | None = None


nonfinite_numbers = st.sampled_from([NAN, INF, -INF])
not_a_number = st.one_of(
    st.text(max_size=3),
    st.complex_numbers(allow_nan=False, allow_infinity=False).filter(lambda z: z.imag != 0),
    st.booleans(),
    st.lists(st.floats(-1, 1), min_size=2, max_size=3),
)
not_an_integer = st.one_of(
    st.floats(allow_nan=True),  # 3.0 is a float, not an integer
    st.text(max_size=3),
    st.booleans(),
    st.complex_numbers(allow_nan=False).filter(lambda z: z.imag != 0),
)


def with_entry(good: np.ndarray, values: st.SearchStrategy) -> st.SearchStrategy:
    """``good`` with one entry, at a drawn position, replaced by a drawn value."""
    good = np.asarray(good, dtype=float)

    def put(position: int, value: float) -> np.ndarray:
        bad = good.copy()
        bad.flat[position] = value
        return bad

    return st.builds(put, st.integers(0, max(good.size - 1, 0)), values)


def wrong_dtype_arrays(good: np.ndarray) -> st.SearchStrategy:
    shape = np.shape(good)
    return st.one_of(
        st.builds(lambda s: np.full(shape, s), st.text(min_size=1, max_size=2)),
        st.just(np.ones(shape, dtype=bool)),
        st.builds(lambda y: np.asarray(good, dtype=float) + 1j * y, st.floats(0.5, 2)),
        st.just(np.full(shape, None, dtype=object)),
    )


def floats_arg(good, *, shapes=None, out_of_range=None, empty=True) -> Arg:
    """A float array argument whose valid value is ``good``."""
    good = np.asarray(good, dtype=float)
    return Arg(
        nonfinite=with_entry(good, nonfinite_numbers),
        dtype=wrong_dtype_arrays(good),
        shape=None if shapes is None else st.sampled_from(shapes).map(np.ones),
        range=None if out_of_range is None else with_entry(good, out_of_range),
        empty=st.just(np.zeros((0, *good.shape[1:]))) if empty else None,
    )


def real_arg(out_of_range=None, *, optional=False) -> Arg:
    """A number argument (an array is a wrong shape for it)."""
    return Arg(
        nonfinite=nonfinite_numbers,
        dtype=not_a_number if optional else st.one_of(not_a_number, st.none()),
        shape=st.sampled_from([np.array([0.5, 0.5]), np.ones((2, 2))]),
        range=out_of_range,
    )


def int_arg(out_of_range=None, *, optional=False) -> Arg:
    return Arg(dtype=not_an_integer if optional else st.one_of(not_an_integer, st.none()), range=out_of_range)


def logits_arg(good, *, shapes=None) -> Arg:
    good = np.asarray(good, dtype=float)
    return Arg(
        nonfinite=st.one_of(with_entry(good, st.sampled_from([NAN, INF])), st.just(np.full(good.shape, -INF))),
        dtype=wrong_dtype_arrays(good),
        shape=None if shapes is None else st.sampled_from(shapes).map(np.zeros),
        empty=st.just(np.zeros((*good.shape[:-1], 0))),
    )


def ids_arg(good, high, *, shapes=None, empty=True) -> Arg:
    """Integer token ids in ``[0, high]`` (``high=None``: no upper bound)."""
    good = np.asarray(good)

    def put(position: int, value: int) -> np.ndarray:
        bad = good.copy()
        bad.flat[position] = value
        return bad

    return Arg(
        nonfinite=st.just(np.full(good.shape, NAN)),
        dtype=st.one_of(
            st.just(good.astype(float) + 0.5),
            st.just(good.astype(bool)),
            st.just(good.astype(str)),
            st.just(np.full(good.shape, None, dtype=object)),
        ),
        shape=None if shapes is None else st.sampled_from(shapes).map(lambda s: np.zeros(s, dtype=int)),
        range=st.builds(
            put,
            st.integers(0, good.size - 1),
            st.integers(-(10**6), -1)
            if high is None
            else st.integers(-(10**6), -1) | st.integers(high + 1, high + 10**6),
        ),
        empty=st.just(np.zeros((*good.shape[:-1], 0), dtype=int)) if empty else None,
    )


def other_arg(bad: st.SearchStrategy) -> Arg:
    """An argument that is not a number or an array (a model, a generator, a schedule, a flag)."""
    return Arg(dtype=bad)


not_an_rng = other_arg(st.one_of(st.integers(), st.text(max_size=3), st.none()))
not_a_flag = other_arg(st.one_of(st.integers(2, 5), st.text(min_size=1, max_size=3), st.none()))
not_a_schedule = other_arg(st.one_of(st.none(), st.text(max_size=3), st.just(np.linspace(0.1, 0.5, 5))))


def rng() -> np.random.Generator:
    return np.random.default_rng(0)


# --- objects the methods are called on ----------------------------------------------------------

SCHEDULE = schedules.NoiseSchedule("tiny", np.linspace(0.1, 0.5, 5))
MIXTURE = gaussian_mixture.GaussianMixture(np.array([[0.0, 0.0], [1.0, 1.0]]), np.ones(2), np.array([0.5, 0.5]))
TOKENIZER = tokenizer.BPETokenizer.train("low lower lowest", 3)
BIGRAM = bigram.BigramModel([0, 1, 2, 1], 3)
MLP = nn.init_mlp([2, 4, 2], rng())
_, MLP_CACHE = nn.mlp_forward(MLP, np.zeros((3, 2)))
LM = nn.init_lm(5, 4, 4, 6, rng())
_, LM_CACHE = nn.lm_forward(LM, np.array([[0, 1, 2]]))


def zero_model(x, t):
    return np.zeros_like(x)


def nan_model(x, t):
    return np.full_like(x, NAN)


def model_with_a_wrong_shape(x, t):
    return np.zeros(7)


def next_logits(context):
    return np.array([0.0, 1.0, 0.0])


def nan_logits(context):
    return np.array([NAN, 0.0, 0.0])


def kv_append(k, v):
    attention.KVCache(3, 2).append(k, v)


def kv_attend(q):
    cache = attention.KVCache(3, 2)
    cache.append(np.ones(3), np.ones(2))
    return cache.attend(q)


CORPUS = tiny_lm.load_corpus("the cat sat on the mat. the dog sat.", held_out_fraction=0.5)
TINY = tiny_lm.TinyLM(nn.init_lm(len(CORPUS.vocabulary), 4, 4, 6, rng()), 4)


def adam_step(grads, learning_rate=None):
    params = {key: value.copy() for key, value in MLP.items()}
    nn.Adam(params).step(params, grads, learning_rate)


eps_models = other_arg(
    st.one_of(st.integers(), st.just(nan_model), st.just(model_with_a_wrong_shape), st.text(max_size=2))
)
bad_sample_shapes = other_arg(
    st.one_of(st.just((-1,)), st.just((0,)), st.just((1.5,)), st.just("3"), st.just(()), st.none())
)
unit_open_closed_outside = st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.0, exclude_min=True))
probability_outside = st.one_of(st.floats(max_value=0.0, exclude_max=True), st.floats(min_value=1.0, exclude_min=True))
non_positive = st.floats(max_value=0.0)

# (label, function, valid keyword arguments, {argument: how it may go wrong})
CASES: list[tuple[str, Callable, dict, dict[str, Arg]]] = [
    (
        "NoiseSchedule",
        schedules.NoiseSchedule,
        dict(name="s", betas=[0.1, 0.2]),
        {
            "betas": floats_arg([0.1, 0.2], shapes=[(1, 2), (2, 1)], out_of_range=probability_outside),
            "name": other_arg(st.one_of(st.integers(), st.none())),
        },
    ),
    (
        "NoiseSchedule.beta",
        lambda t: SCHEDULE.beta(t),
        dict(t=1),
        {"t": int_arg(st.integers(6) | st.integers(None, 0))},
    ),
    ("NoiseSchedule.alpha", lambda t: SCHEDULE.alpha(t), dict(t=1), {"t": int_arg(st.integers(6))}),
    ("NoiseSchedule.alpha_bar", lambda t: SCHEDULE.alpha_bar(t), dict(t=1), {"t": int_arg(st.integers(None, -1))}),
    (
        "linear_schedule",
        schedules.linear_schedule,
        dict(T=10, beta_start=1e-4, beta_end=0.02),
        {
            "T": int_arg(st.integers(None, 0)),
            "beta_start": real_arg(probability_outside | st.just(0.0)),
            "beta_end": real_arg(st.floats(min_value=1.0)),
        },
    ),
    (
        "cosine_alpha_bar",
        schedules.cosine_alpha_bar,
        dict(t=[0.0, 5.0], T=10, s=0.008),
        {
            "t": floats_arg([0.0, 5.0], out_of_range=st.floats(max_value=0.0, exclude_max=True) | st.floats(10.5)),
            "T": int_arg(st.integers(None, 0)),
            "s": real_arg(non_positive),
        },
    ),
    (
        "cosine_schedule",
        schedules.cosine_schedule,
        dict(T=10, s=0.008, max_beta=0.999),
        {
            "T": int_arg(st.integers(None, 0)),
            "s": real_arg(non_positive),
            "max_beta": real_arg(probability_outside | st.just(1.0)),
        },
    ),
    (
        "signal_and_noise_scales",
        forward.signal_and_noise_scales,
        dict(alpha_bar=0.5),
        {"alpha_bar": floats_arg(0.5, out_of_range=unit_open_closed_outside)},
    ),
    (
        "forward_diffuse",
        forward.forward_diffuse,
        dict(x0=np.zeros(3), alpha_bar=0.5, noise=np.ones(3)),
        {
            "x0": floats_arg(np.zeros(3), shapes=[(2,), (4,), (3, 1)]),
            "alpha_bar": floats_arg(0.5, shapes=[(2,), (4,), (2, 3), (3, 1)], out_of_range=unit_open_closed_outside),
            "noise": floats_arg(np.ones(3), shapes=[(2,), (1, 3)]),
        },
    ),
    (
        "sample_forward",
        forward.sample_forward,
        dict(x0=np.zeros(3), t=2, schedule=SCHEDULE, rng=rng()),
        {"x0": floats_arg(np.zeros(3)), "t": int_arg(st.integers(6)), "schedule": not_a_schedule, "rng": not_an_rng},
    ),
    (
        "predict_x0",
        reverse.predict_x0,
        dict(x_t=np.zeros(3), eps=np.ones(3), alpha_bar=0.5),
        {
            "x_t": floats_arg(np.zeros(3), shapes=[(2,)]),
            "eps": floats_arg(np.ones(3), shapes=[(4,), (3, 1)]),
            "alpha_bar": real_arg(unit_open_closed_outside),
        },
    ),
    (
        "ddpm_step",
        reverse.ddpm_step,
        dict(x_t=np.zeros(3), t=2, eps=np.ones(3), schedule=SCHEDULE, noise=np.ones(3)),
        {
            "x_t": floats_arg(np.zeros(3), shapes=[(2,)]),
            "t": int_arg(st.integers(None, 0) | st.integers(6)),
            "eps": floats_arg(np.ones(3), shapes=[(4,)]),
            "schedule": not_a_schedule,
            "noise": floats_arg(np.ones(3), shapes=[(3, 1)]),
        },
    ),
    (
        "ddim_step",
        reverse.ddim_step,
        dict(x_t=np.zeros(3), eps=np.ones(3), alpha_bar_t=0.5, alpha_bar_prev=0.8),
        {
            "x_t": floats_arg(np.zeros(3), shapes=[(2,)]),
            "eps": floats_arg(np.ones(3), shapes=[(4,)]),
            "alpha_bar_t": real_arg(unit_open_closed_outside),
            "alpha_bar_prev": real_arg(st.floats(max_value=0.5, exclude_max=True) | st.floats(1.0, exclude_min=True)),
            "x0_clip": real_arg(non_positive, optional=True),
        },
    ),
    (
        "classifier_free_guidance",
        reverse.classifier_free_guidance,
        dict(eps_unconditional=np.zeros(3), eps_conditional=np.ones(3), scale=2.0),
        {
            "eps_unconditional": floats_arg(np.zeros(3), shapes=[(2,)]),
            "eps_conditional": floats_arg(np.ones(3), shapes=[(3, 3)]),
            "scale": real_arg(st.floats(max_value=0.0, exclude_max=True)),
        },
    ),
    (
        "sample_ddpm",
        reverse.sample_ddpm,
        dict(eps_model=zero_model, shape=(3,), schedule=SCHEDULE, rng=rng()),
        {
            "eps_model": eps_models,
            "shape": bad_sample_shapes,
            "schedule": not_a_schedule,
            "rng": not_an_rng,
            "keep_trajectory": not_a_flag,
        },
    ),
    (
        "ddim_timesteps",
        reverse.ddim_timesteps,
        dict(T=10, num_steps=5),
        {"T": int_arg(st.integers(None, 0)), "num_steps": int_arg(st.integers(None, 0) | st.integers(11))},
    ),
    (
        "sample_ddim",
        reverse.sample_ddim,
        dict(eps_model=zero_model, shape=(3,), schedule=SCHEDULE, num_steps=2, rng=rng()),
        {
            "eps_model": eps_models,
            "shape": bad_sample_shapes,
            "schedule": not_a_schedule,
            "num_steps": int_arg(st.integers(None, 0) | st.integers(6)),
            "rng": not_an_rng,
            "keep_trajectory": not_a_flag,
            "x0_clip": real_arg(non_positive, optional=True),
        },
    ),
    (
        "GaussianMixture",
        gaussian_mixture.GaussianMixture,
        dict(means=[[0.0, 0.0], [1.0, 1.0]], stds=[1.0, 1.0], weights=[0.5, 0.5]),
        {
            "means": floats_arg([[0.0, 0.0], [1.0, 1.0]], shapes=[(2, 1, 2), (3, 2)]),
            "stds": floats_arg([1.0, 1.0], shapes=[(3,), (2, 2)], out_of_range=non_positive),
            "weights": floats_arg([0.5, 0.5], shapes=[(3,), (1, 2)], out_of_range=st.floats(-1, 0.4)),
        },
    ),
    (
        "GaussianMixture.sample",
        lambda n, rng: MIXTURE.sample(n, rng),
        dict(n=2, rng=rng()),
        {"n": int_arg(st.integers(None, 0)), "rng": not_an_rng},
    ),
    (
        "GaussianMixture.optimal_epsilon",
        lambda x_t, alpha_bar: MIXTURE.optimal_epsilon(x_t, alpha_bar),
        dict(x_t=np.zeros((2, 2)), alpha_bar=0.5),
        {
            "x_t": floats_arg(np.zeros((2, 2)), shapes=[(2, 3), (1, 2, 2), (3,)]),
            "alpha_bar": real_arg(st.floats(max_value=0.0) | st.floats(min_value=1.0)),
        },
    ),
    (
        "GaussianMixture.log_density",
        lambda x_t, alpha_bar: MIXTURE.log_density(x_t, alpha_bar),
        dict(x_t=np.zeros((2, 2)), alpha_bar=0.5),
        {
            "x_t": floats_arg(np.zeros((2, 2)), shapes=[(2, 3), (1, 2, 2), (3,)]),
            "alpha_bar": real_arg(probability_outside),
        },
    ),
    (
        "GaussianMixture.score",
        lambda x_t, alpha_bar: MIXTURE.score(x_t, alpha_bar),
        dict(x_t=np.zeros((2, 2)), alpha_bar=0.5),
        {
            "x_t": floats_arg(np.zeros((2, 2)), shapes=[(2, 3), (1, 2, 2), (3,)]),
            "alpha_bar": real_arg(probability_outside),
        },
    ),
    (
        "GaussianMixture.posterior_mean",
        lambda x_t, signal, noise_std: MIXTURE.posterior_mean(x_t, signal, noise_std),
        dict(x_t=np.zeros((2, 2)), signal=0.5, noise_std=0.5),
        {
            "x_t": floats_arg(np.zeros((2, 2)), shapes=[(2, 3), (1, 2, 2), (3,)]),
            "signal": real_arg(st.floats(max_value=0.0, exclude_max=True)),
            "noise_std": real_arg(non_positive),
        },
    ),
    (
        "velocity",
        forward.velocity,
        dict(x0=np.zeros(3), noise=np.ones(3), alpha_bar=0.5),
        {
            "x0": floats_arg(np.zeros(3), shapes=[(2,), (4,), (3, 1)]),
            "noise": floats_arg(np.ones(3), shapes=[(2,), (1, 3)]),
            "alpha_bar": floats_arg(0.5, shapes=[(2,), (4,), (2, 3), (3, 1)], out_of_range=unit_open_closed_outside),
        },
    ),
    (
        "predict_from_velocity",
        reverse.predict_from_velocity,
        dict(x_t=np.zeros(3), v=np.ones(3), alpha_bar=0.5),
        {
            "x_t": floats_arg(np.zeros(3), shapes=[(2,)]),
            "v": floats_arg(np.ones(3), shapes=[(4,), (3, 1)]),
            "alpha_bar": real_arg(unit_open_closed_outside),
        },
    ),
    (
        "interpolate",
        flow_matching.interpolate,
        dict(x0=np.zeros(3), noise=np.ones(3), t=0.5),
        {
            "x0": floats_arg(np.zeros(3), shapes=[(2,), (4,), (3, 1)]),
            "noise": floats_arg(np.ones(3), shapes=[(2,), (1, 3)]),
            "t": floats_arg(0.5, shapes=[(2,), (4,), (2, 3), (3, 1)], out_of_range=probability_outside),
        },
    ),
    (
        "equivalent_alpha_bar",
        flow_matching.equivalent_alpha_bar,
        dict(t=0.5),
        {"t": floats_arg(0.5, out_of_range=probability_outside)},
    ),
    (
        "mixture_velocity",
        flow_matching.mixture_velocity,
        dict(mixture=MIXTURE, x_t=np.zeros((2, 2)), t=0.5),
        {
            "mixture": other_arg(st.one_of(st.none(), st.text(max_size=3), st.just(np.zeros((2, 2))))),
            "x_t": floats_arg(np.zeros((2, 2)), shapes=[(2, 3), (1, 2, 2), (3,)]),
            "t": real_arg(unit_open_closed_outside),
        },
    ),
    (
        "euler_times",
        flow_matching.euler_times,
        dict(num_steps=3),
        {"num_steps": int_arg(st.integers(None, 0))},
    ),
    (
        "sample_euler",
        flow_matching.sample_euler,
        dict(velocity_model=zero_model, shape=(3,), num_steps=2, rng=rng()),
        {
            "velocity_model": other_arg(
                st.one_of(st.integers(), st.just(nan_model), st.just(model_with_a_wrong_shape), st.text(max_size=2))
            ),
            "shape": bad_sample_shapes,
            "num_steps": int_arg(st.integers(None, 0)),
            "rng": not_an_rng,
            "keep_trajectory": not_a_flag,
        },
    ),
    (
        "nearest_code",
        quantize.nearest_code,
        dict(vectors=np.zeros((3, 2)), codebook=np.ones((2, 2))),
        {
            "vectors": floats_arg(np.zeros((3, 2)), shapes=[(3,), (3, 3), (1, 3, 2)]),
            "codebook": floats_arg(np.ones((2, 2)), shapes=[(2,), (2, 3), (1, 2, 2)]),
        },
    ),
    (
        "decode_tokens",
        quantize.decode_tokens,
        dict(tokens=np.array([0, 1, 1]), codebook=np.ones((2, 2))),
        {
            "tokens": ids_arg(np.array([0, 1, 1]), 1, shapes=[(3, 1), (1, 3)], empty=False),
            "codebook": floats_arg(np.ones((2, 2)), shapes=[(2,), (1, 2, 2)]),
        },
    ),
    (
        "fit_codebook",
        quantize.fit_codebook,
        dict(vectors=np.arange(8.0).reshape(4, 2), size=2, rng=rng(), iterations=3),
        {
            "vectors": floats_arg(np.arange(8.0).reshape(4, 2), shapes=[(4,), (1, 4, 2)]),
            "size": int_arg(st.integers(None, 0) | st.integers(5)),
            "rng": not_an_rng,
            "iterations": int_arg(st.integers(None, -1)),
        },
    ),
    (
        "softmax",
        probability.softmax,
        dict(logits=[1.0, 2.0, 3.0], temperature=1.0, axis=-1),
        {
            "logits": logits_arg([1.0, 2.0, 3.0]),
            "temperature": real_arg(non_positive),
            "axis": int_arg(st.integers(1) | st.integers(None, -2)),
        },
    ),
    (
        "log_softmax",
        probability.log_softmax,
        dict(logits=[1.0, 2.0, 3.0], temperature=1.0, axis=-1),
        {
            "logits": logits_arg([1.0, 2.0, 3.0]),
            "temperature": real_arg(non_positive),
            "axis": int_arg(st.integers(1) | st.integers(None, -2)),
        },
    ),
    (
        "sequence_probability",
        probability.sequence_probability,
        dict(conditional_probabilities=[0.5, 0.4]),
        {"conditional_probabilities": floats_arg([0.5, 0.4], shapes=[(1, 2)], out_of_range=probability_outside)},
    ),
    (
        "sequence_log_probability",
        probability.sequence_log_probability,
        dict(conditional_probabilities=[0.5, 0.4]),
        {"conditional_probabilities": floats_arg([0.5, 0.4], shapes=[(2, 2)], out_of_range=probability_outside)},
    ),
    ("causal_mask", attention.causal_mask, dict(n=3), {"n": int_arg(st.integers(None, 0))}),
    (
        "scaled_dot_product_attention",
        attention.scaled_dot_product_attention,
        dict(q=np.zeros((2, 2, 3)), k=np.ones((4, 3)), v=np.ones((4, 2))),
        {
            "q": floats_arg(np.zeros((2, 2, 3)), shapes=[(3,), (2, 4), (2, 2, 0)]),
            "k": floats_arg(np.ones((4, 3)), shapes=[(3, 4, 3), (4, 2), (3,)]),
            "v": floats_arg(np.ones((4, 2)), shapes=[(5, 2), (4, 0), (3, 4, 2)]),
            "causal": not_a_flag,
        },
    ),
    (
        "grouped_query_attention",
        attention.grouped_query_attention,
        dict(q=np.zeros((4, 2, 3)), k=np.ones((2, 5, 3)), v=np.ones((2, 5, 2))),
        {
            "q": floats_arg(np.zeros((4, 2, 3)), shapes=[(2, 3), (3, 2, 3), (4, 2, 0)]),
            "k": floats_arg(np.ones((2, 5, 3)), shapes=[(3, 5, 3), (2, 5, 4), (5, 3)]),
            "v": floats_arg(np.ones((2, 5, 2)), shapes=[(4, 5, 2), (2, 4, 2), (2, 5, 0)]),
            "causal": not_a_flag,
        },
    ),
    (
        "rope",
        attention.rope,
        dict(x=np.ones(4), position=3.0, base=10_000.0),
        {
            "x": floats_arg(np.ones(4), shapes=[(3,), (2, 2)]),
            "position": real_arg(),
            "base": real_arg(st.floats(None, 1.0)),
        },
    ),
    (
        "kv_cache_bytes",
        attention.kv_cache_bytes,
        dict(layers=2, kv_heads=2, head_dim=4, tokens=3, bytes_per_number=2),
        {
            name: int_arg(st.integers(None, 0))
            for name in ("layers", "kv_heads", "head_dim", "tokens", "bytes_per_number")
        },
    ),
    (
        "expected_tokens_per_pass",
        sampling.expected_tokens_per_pass,
        dict(acceptance=0.5, draft_tokens=4),
        {"acceptance": real_arg(st.floats(1.01, 5)), "draft_tokens": int_arg(st.integers(None, 0))},
    ),
    (
        "frechet_distance",
        evaluation.frechet_distance,
        dict(real=np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]]), generated=np.array([[0.5, 0.5], [1.0, 2.0]])),
        {
            "real": floats_arg(np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]]), shapes=[(3,), (1, 2)]),
            "generated": floats_arg(np.array([[0.5, 0.5], [1.0, 2.0]]), shapes=[(2, 3), (1, 2), (4,)]),
        },
    ),
    (
        "preference_probability",
        preferences.preference_probability,
        dict(reward_preferred=1.0, reward_other=0.0),
        {"reward_preferred": real_arg(), "reward_other": real_arg()},
    ),
    (
        "dpo_loss",
        preferences.dpo_loss,
        dict(policy_preferred=-1.0, policy_other=-2.0, reference_preferred=-1.5, reference_other=-1.5, beta_kl=0.1),
        {
            **{
                name: real_arg(st.floats(0.01, 5))
                for name in ("policy_preferred", "policy_other", "reference_preferred", "reference_other")
            },
            "beta_kl": real_arg(st.floats(None, 0)),
        },
    ),
    (
        "kl_regularized_optimum",
        preferences.kl_regularized_optimum,
        dict(reference=np.array([0.5, 0.3, 0.2]), rewards=np.array([0.0, 1.0, -1.0]), beta_kl=0.5),
        {
            "reference": floats_arg([0.5, 0.3, 0.2], shapes=[(3, 3), (1,)], out_of_range=st.floats(-5, 0)),
            "rewards": floats_arg([0.0, 1.0, -1.0], shapes=[(2,), (3, 1)]),
            "beta_kl": real_arg(st.floats(None, 0)),
        },
    ),
    (
        "fit_dpo",
        preferences.fit_dpo,
        dict(reference=np.array([0.5, 0.3, 0.2]), rewards=np.array([0.0, 1.0, -1.0]), beta_kl=0.5, steps=3),
        {
            "reference": floats_arg([0.5, 0.3, 0.2], shapes=[(3, 3), (1,)], out_of_range=st.floats(-5, 0)),
            "rewards": floats_arg([0.0, 1.0, -1.0], shapes=[(2,), (3, 1)]),
            "beta_kl": real_arg(st.floats(None, 0)),
            "steps": int_arg(st.integers(None, 0)),
        },
    ),
    (
        "KVCache",
        attention.KVCache,
        dict(d_k=3, d_v=2),
        {"d_k": int_arg(st.integers(None, 0)), "d_v": int_arg(st.integers(None, 0))},
    ),
    (
        "KVCache.append",
        kv_append,
        dict(k=np.ones(3), v=np.ones(2)),
        {"k": floats_arg(np.ones(3), shapes=[(4,), (1, 3)]), "v": floats_arg(np.ones(2), shapes=[(3,)])},
    ),
    ("KVCache.attend", kv_attend, dict(q=np.ones(3)), {"q": floats_arg(np.ones(3), shapes=[(1, 3), (2,)])}),
    (
        "cross_entropy",
        losses.cross_entropy,
        dict(y=[0.0, 1.0], p=[0.5, 0.5]),
        {
            "y": floats_arg([0.0, 1.0], shapes=[(2, 2)], out_of_range=st.floats(-2, -0.1)),
            "p": floats_arg([0.5, 0.5], out_of_range=st.floats(1.1, 3)),
        },
    ),
    (
        "token_cross_entropy",
        losses.token_cross_entropy,
        dict(p=[0.5, 0.5], target=1),
        {
            "p": floats_arg([0.5, 0.5], shapes=[(2, 2)], out_of_range=st.floats(-1, -0.01)),
            "target": int_arg(st.integers(2) | st.integers(None, -1)),
        },
    ),
    (
        "mean_token_cross_entropy",
        losses.mean_token_cross_entropy,
        dict(logits=np.zeros((3, 4)), targets=[0, 1, 2]),
        {"logits": logits_arg(np.zeros((3, 4)), shapes=[(4,), (1, 3, 4)]), "targets": ids_arg([0, 1, 2], 3)},
    ),
    (
        "mean_squared_error",
        losses.mean_squared_error,
        dict(prediction=np.zeros(3), target=np.ones(3)),
        {"prediction": floats_arg(np.zeros(3), shapes=[(2,)]), "target": floats_arg(np.ones(3), shapes=[(3, 1)])},
    ),
    ("greedy", sampling.greedy, dict(logits=[1.0, 2.0, 3.0]), {"logits": logits_arg([1.0, 2.0, 3.0], shapes=[(2, 3)])}),
    (
        "top_k_filter",
        sampling.top_k_filter,
        dict(logits=[1.0, 2.0, 3.0], k=2),
        {"logits": logits_arg([1.0, 2.0, 3.0], shapes=[(1, 3)]), "k": int_arg(st.integers(None, 0) | st.integers(4))},
    ),
    (
        "top_p_filter",
        sampling.top_p_filter,
        dict(logits=[1.0, 2.0, 3.0], p=0.9, temperature=1.0),
        {
            "logits": logits_arg([1.0, 2.0, 3.0], shapes=[(3, 1)]),
            "p": real_arg(st.floats(max_value=0.0) | st.floats(min_value=1.0, exclude_min=True)),
            "temperature": real_arg(non_positive),
        },
    ),
    (
        "next_token_distribution",
        sampling.next_token_distribution,
        dict(logits=[1.0, 2.0, 3.0]),
        {
            "logits": logits_arg([1.0, 2.0, 3.0], shapes=[(2, 3)]),
            "temperature": real_arg(non_positive),
            "top_k": int_arg(st.integers(None, 0) | st.integers(4), optional=True),
            "top_p": real_arg(st.floats(max_value=0.0) | st.floats(min_value=1.0, exclude_min=True), optional=True),
        },
    ),
    (
        "sample_next_token",
        sampling.sample_next_token,
        dict(logits=[1.0, 2.0, 3.0], rng=rng()),
        {
            "logits": logits_arg([1.0, 2.0, 3.0], shapes=[(2, 3)]),
            "rng": not_an_rng,
            "temperature": real_arg(non_positive),
            "top_k": int_arg(st.integers(None, 0) | st.integers(4), optional=True),
            "top_p": real_arg(st.floats(max_value=0.0) | st.floats(min_value=1.0, exclude_min=True), optional=True),
        },
    ),
    (
        "generate",
        sampling.generate,
        dict(model=next_logits, prompt=[0], max_new_tokens=2),
        {
            "model": other_arg(st.one_of(st.integers(), st.just(nan_logits), st.text(max_size=2))),
            "prompt": ids_arg([0, 1], None, shapes=[(1, 2)]),
            "max_new_tokens": int_arg(st.integers(None, -1)),
            "rng": other_arg(st.one_of(st.integers(), st.text(max_size=3))),
            "temperature": real_arg(non_positive),
            "top_k": int_arg(st.integers(None, 0), optional=True),
            "top_p": real_arg(st.floats(max_value=0.0) | st.floats(min_value=1.0, exclude_min=True), optional=True),
            "stop_token": int_arg(st.integers(None, -1), optional=True),
        },
    ),
    (
        "BPETokenizer",
        tokenizer.BPETokenizer,
        dict(vocabulary=("a", "b", "ab"), merges=(("a", "b"),)),
        {
            "vocabulary": Arg(
                dtype=st.sampled_from([["a", "b", "ab"], ("", "a"), (1, 2), None]),
                range=st.sampled_from([("a", "a", "b"), ("a", "b", "ab", "b")]),  # a token at two ids
                empty=st.just(()),
            ),
            "merges": other_arg(st.sampled_from([(("a", "c"),), "ab", (("a",),), None])),
        },
    ),
    (
        "BPETokenizer.train",
        tokenizer.BPETokenizer.train,
        dict(text="low lower", num_merges=2),
        {
            "text": Arg(dtype=st.one_of(st.integers(), st.lists(st.text(max_size=1), max_size=3)), empty=st.just("")),
            "num_merges": int_arg(st.integers(None, -1)),
        },
    ),
    (
        "BPETokenizer.tokenize",
        lambda text: TOKENIZER.tokenize(text),
        dict(text="low"),
        {"text": Arg(dtype=st.one_of(st.integers(), st.just(["l", "o"])), range=st.text("xyz", min_size=1))},
    ),
    (
        "BPETokenizer.encode",
        lambda text: TOKENIZER.encode(text),
        dict(text="low"),
        {"text": Arg(dtype=st.one_of(st.integers(), st.just(["l", "o"])), range=st.text("xyz", min_size=1))},
    ),
    (
        "BPETokenizer.decode",
        lambda ids: TOKENIZER.decode(ids),
        dict(ids=[0, 1]),
        {"ids": ids_arg([0, 1], len(TOKENIZER.vocabulary) - 1, shapes=[(1, 2)], empty=False)},
    ),
    (
        "BigramModel",
        bigram.BigramModel,
        dict(token_ids=[0, 1, 2], vocab_size=3),
        {
            "token_ids": ids_arg([0, 1, 2], 2, shapes=[(1, 3)]),
            "vocab_size": int_arg(st.integers(None, 0)),
            "smoothing": real_arg(non_positive),
        },
    ),
    (
        "BigramModel.next_token_probs",
        lambda context: BIGRAM.next_token_probs(context),
        dict(context=[0]),
        {"context": ids_arg([0, 1], 2, shapes=[(1, 2)])},
    ),
    (
        "BigramModel.logits",
        lambda context: BIGRAM.logits(context),
        dict(context=[0]),
        {"context": ids_arg([0, 1], 2, shapes=[(2, 1)])},
    ),
    (
        "diffusion_image_time",
        timing.diffusion_image_time,
        dict(steps=50, seconds_per_step=0.1),
        {
            "steps": int_arg(st.integers(None, 0)),
            "seconds_per_step": real_arg(non_positive),
            "evaluations_per_step": int_arg(st.integers(None, 0)),
        },
    ),
    (
        "sequential_time",
        timing.sequential_time,
        dict(count=3, seconds_each=0.1),
        {"count": int_arg(st.integers(None, 0)), "seconds_each": real_arg(non_positive)},
    ),
    (
        "llm_generation_time",
        timing.llm_generation_time,
        dict(new_tokens=3, seconds_per_token=0.1),
        {
            "new_tokens": int_arg(st.integers(None, 0)),
            "seconds_per_token": real_arg(non_positive),
            "prefill_seconds": real_arg(st.floats(max_value=0.0, exclude_max=True), optional=True),
        },
    ),
    ("sigmoid_denominator", nn.sigmoid_denominator, dict(x=np.zeros(3)), {"x": floats_arg(np.zeros(3))}),
    (
        "silu",
        nn.silu,
        dict(x=np.zeros(3)),
        {
            "x": floats_arg(np.zeros(3)),
            # 1 + exp(-x) is +inf for x below about -709, so only NaN is a non-finite bad denominator
            "denominator": Arg(
                nonfinite=with_entry(np.full(3, 2.0), st.just(NAN)),
                dtype=wrong_dtype_arrays(np.full(3, 2.0)),
                shape=st.just(np.full(2, 2.0)),
                range=with_entry(np.full(3, 2.0), st.floats(max_value=1.0, exclude_max=True)),
            ),
        },
    ),
    (
        "silu_grad",
        nn.silu_grad,
        dict(x=np.zeros(3)),
        {
            "x": floats_arg(np.zeros(3)),
            "denominator": Arg(
                nonfinite=with_entry(np.full(3, 2.0), st.just(NAN)),
                shape=st.just(np.full((3, 1), 2.0)),
                range=with_entry(np.full(3, 2.0), st.floats(max_value=1.0, exclude_max=True)),
            ),
        },
    ),
    (
        "timestep_embedding",
        nn.timestep_embedding,
        dict(t=np.arange(3.0), dim=4),
        {
            "t": floats_arg(np.arange(3.0), shapes=[(2, 2)]),
            "dim": int_arg(st.integers(None, 1) | st.integers(1, 50).map(lambda n: 2 * n + 1)),
            "max_period": real_arg(non_positive),
        },
    ),
    (
        "init_mlp",
        nn.init_mlp,
        dict(sizes=[2, 3, 1], rng=rng()),
        {
            "sizes": Arg(
                dtype=st.sampled_from([[2, 1.5], "ab", 3, [2, "3"], None]),
                range=st.lists(st.integers(1, 4), min_size=1, max_size=3).flatmap(
                    lambda sizes: st.sampled_from([[*sizes, 0], [0, *sizes], [*sizes[:1], -1, *sizes]])
                ),
                empty=st.sampled_from([[], [3]]),
            ),
            "rng": not_an_rng,
            "dtype": other_arg(st.sampled_from(["int32", "abc", np.float16, bool])),
        },
    ),
    (
        "mlp_forward",
        nn.mlp_forward,
        dict(params=MLP, x=np.zeros((3, 2))),
        {
            "params": other_arg(st.sampled_from([{}, 3, None, LM])),
            "x": floats_arg(np.zeros((3, 2)), shapes=[(3, 3), (2,)]),
        },
    ),
    (
        "mlp_backward",
        nn.mlp_backward,
        dict(params=MLP, cache=MLP_CACHE, d_out=np.ones((3, 2))),
        {
            "params": other_arg(st.sampled_from([{}, None])),
            "cache": other_arg(st.sampled_from([3, None, LM_CACHE])),
            "d_out": floats_arg(np.ones((3, 2)), shapes=[(3, 1), (2, 2)]),
        },
    ),
    (
        "mse_loss_and_grad",
        nn.mse_loss_and_grad,
        dict(prediction=np.zeros(3), target=np.ones(3)),
        {"prediction": floats_arg(np.zeros(3), shapes=[(2,)]), "target": floats_arg(np.ones(3), shapes=[(3, 1)])},
    ),
    (
        "init_lm",
        nn.init_lm,
        dict(vocab_size=5, context=4, d_model=4, d_ff=6, rng=rng()),
        {
            "vocab_size": int_arg(st.integers(None, 0)),
            "context": int_arg(st.integers(None, 0)),
            "d_model": int_arg(st.integers(None, 0)),
            "d_ff": int_arg(st.integers(None, 0)),
            "rng": not_an_rng,
        },
    ),
    (
        "lm_forward",
        nn.lm_forward,
        dict(params=LM, tokens=np.array([[0, 1]])),
        {
            "params": other_arg(st.sampled_from([{}, MLP, None])),
            "tokens": ids_arg(np.array([[0, 1]]), 4, shapes=[(2,), (1, 5), (1, 1, 2)]),
        },
    ),
    (
        "lm_loss_and_grad",
        nn.lm_loss_and_grad,
        dict(logits=np.zeros((1, 2, 5)), targets=np.array([[0, 1]])),
        {
            "logits": logits_arg(np.zeros((1, 2, 5)), shapes=[(2, 5), (5,)]),
            "targets": ids_arg(np.array([[0, 1]]), 4, shapes=[(1, 3), (2,)]),
        },
    ),
    (
        "lm_backward",
        nn.lm_backward,
        dict(params=LM, cache=LM_CACHE, d_logits=np.ones((1, 3, 5))),
        {
            "params": other_arg(st.sampled_from([{}, MLP])),
            "cache": other_arg(st.sampled_from([3, MLP_CACHE])),
            "d_logits": floats_arg(np.ones((1, 3, 5)), shapes=[(1, 2, 5), (3, 5)]),
        },
    ),
    (
        "Adam",
        nn.Adam,
        dict(params=MLP, learning_rate=1e-3, betas=(0.9, 0.999)),
        {
            "params": Arg(
                dtype=st.sampled_from([3, None, {"W": "abc"}, {"W": np.array([1, 2])}, {"W": [1.0, 2.0]}]),
                empty=st.just({}),
            ),
            "learning_rate": real_arg(non_positive),
            "betas": Arg(
                nonfinite=st.tuples(nonfinite_numbers, st.just(0.9)),
                dtype=st.sampled_from(["ab", (0.9, "x"), None, (True, 0.9)]),
                shape=st.sampled_from([(0.9,), (0.9, 0.99, 0.999)]),
                range=st.tuples(st.just(0.9), st.floats(max_value=0.0, exclude_max=True) | st.floats(min_value=1.0)),
                empty=st.just(()),
            ),
        },
    ),
    (
        "Adam.step",
        adam_step,
        dict(grads={"W0": np.ones((2, 4))}),
        {
            "grads": Arg(
                nonfinite=with_entry(np.ones((2, 4)), nonfinite_numbers).map(lambda g: {"W0": g}),
                dtype=st.sampled_from([3, None, {"W0": "abc"}]),
                shape=st.sampled_from([{"W0": np.ones((4, 2))}, {"W9": np.ones(2)}]),
                empty=st.just({}),  # no gradient would still advance the bias correction
            ),
            "learning_rate": real_arg(non_positive, optional=True),
        },
    ),
]

CASES += [
    (
        "load_corpus",
        tiny_lm.load_corpus,
        dict(text="abcab", held_out_fraction=0.2),
        {
            "text": Arg(dtype=st.one_of(st.integers(), st.just(["a", "b"])), range=st.just("a"), empty=st.just("")),
            "held_out_fraction": real_arg(st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.0))),
        },
    ),
    (
        "Corpus.encode",
        lambda text: CORPUS.encode(text),
        dict(text="the cat"),
        {"text": Arg(dtype=st.one_of(st.integers(), st.just(["t"])), range=st.text("XYZ", min_size=1))},
    ),
    (
        "Corpus.decode",
        lambda ids: CORPUS.decode(ids),
        dict(ids=[0, 1]),
        {"ids": ids_arg([0, 1], len(CORPUS.vocabulary) - 1, shapes=[(1, 2)], empty=False)},
    ),
    (
        "batch_of",
        tiny_lm.batch_of,
        dict(data=CORPUS.train, starts=[0, 3], context=4),
        {
            "data": ids_arg(CORPUS.train, None, shapes=[(2, 9)]),
            "starts": ids_arg([0, 3], len(CORPUS.train) - 5, shapes=[(1, 2)]),
            "context": int_arg(st.integers(None, 0) | st.integers(len(CORPUS.train), 10**6)),
        },
    ),
    (
        "held_out_loss",
        tiny_lm.held_out_loss,
        dict(params=TINY.params, data=CORPUS.held_out, context=4),
        {
            "params": other_arg(st.sampled_from([{}, MLP, None])),
            "data": ids_arg(CORPUS.held_out, len(CORPUS.vocabulary) - 1, shapes=[(2, 9)]),
            "context": int_arg(st.integers(None, 0) | st.integers(5, 10**6)),
        },
    ),
    (
        "TinyLM",
        tiny_lm.TinyLM,
        dict(params=TINY.params, context=4),
        {
            "params": other_arg(st.sampled_from([{}, MLP, None])),
            "context": int_arg(st.integers(None, 0) | st.integers(5, 10**6)),
        },
    ),
    (
        "TinyLM.next_logits",
        lambda tokens: TINY.next_logits(tokens),
        dict(tokens=[0, 1, 2]),
        {"tokens": ids_arg([0, 1, 2], len(CORPUS.vocabulary) - 1, shapes=[(1, 3)])},
    ),
    (
        "train",
        tiny_lm.train,
        dict(corpus=CORPUS, context=4, d_model=4, steps=2, batch=2, learning_rate=1e-3, seed=0, checkpoint_every=1),
        {
            "corpus": other_arg(st.sampled_from([None, "the cat", CORPUS.train])),
            "context": int_arg(st.integers(None, 0) | st.integers(len(CORPUS.held_out) - 1, 10**6)),
            "d_model": int_arg(st.integers(None, 0)),
            "steps": int_arg(st.integers(None, 0)),
            "batch": int_arg(st.integers(None, 0)),
            "learning_rate": real_arg(non_positive),
            "seed": int_arg(st.integers(None, -1)),
            "checkpoint_every": int_arg(st.integers(None, 0)),
        },
    ),
]


def names_argument(message: str, name: str) -> bool:
    return re.search(r"(?<![\w])" + re.escape(name) + r"(?![\w])", message) is not None


def call_with(function: Callable, baseline: dict, argument: str, value: object) -> None:
    kwargs = {**baseline, argument: value}
    if isinstance(kwargs.get("rng"), np.random.Generator):
        kwargs["rng"] = rng()
    with pytest.raises(ValueError) as caught:
        function(**kwargs)
    message = str(caught.value)
    assert names_argument(message, argument), f"the error does not name {argument!r}: {message}"


KINDS = ("nonfinite", "dtype", "shape", "range", "empty")
"""The classes of bad input: NaN or infinity, a wrong dtype, a wrong shape, a value out of range, nothing."""


def bad_input_cases() -> list:
    return [
        pytest.param(function, baseline, argument, getattr(arg, kind), id=f"{kind}-{label}-{argument}")
        for kind in KINDS
        for label, function, baseline, arguments in CASES
        for argument, arg in arguments.items()
        if getattr(arg, kind) is not None
    ]


@pytest.mark.parametrize(("function", "baseline", "argument", "bad"), bad_input_cases())
@FAST
@given(data=st.data())
def test_bad_input_is_rejected_naming_the_argument(function, baseline, argument, bad, data):
    """Each class of bad input (the id starts with its kind) raises ValueError naming the argument."""
    call_with(function, baseline, argument, data.draw(bad))


def test_every_public_function_is_covered():
    """A new public function (or method) must be added to CASES, so its bad input is tested too."""
    import inspect

    modules = [schedules, forward, reverse, gaussian_mixture, probability, attention, losses]
    modules += [sampling, tokenizer, bigram, timing, nn, preferences, evaluation, flow_matching, quantize, tiny_lm]
    records = {"SamplingResult", "Generation", "MlpCache", "LMCache", "Corpus"}  # results, not called by users
    without_arguments = {"NoiseSchedule.signal_to_noise_ratio"}
    public = set()
    for module in modules:
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__ or name in records:
                continue
            if inspect.isfunction(obj):
                public.add(name)
            elif inspect.isclass(obj):
                public.add(name)
                public.update(
                    f"{name}.{attr}"
                    for attr, member in vars(obj).items()
                    if not attr.startswith("_") and (inspect.isfunction(member) or isinstance(member, classmethod))
                )
    covered = {label for label, *_ in CASES}
    assert public - without_arguments <= covered, sorted(public - without_arguments - covered)
    for _label, function, baseline, _ in CASES:  # every baseline call is valid, so a rejection is the bad value's
        kwargs = {key: rng() if isinstance(value, np.random.Generator) else value for key, value in baseline.items()}
        function(**kwargs)


# --- valid edge cases that used to give a wrong answer ------------------------------------------


@FAST
@given(st.floats(1e-300, 1e-3), st.floats(-1e300, 1e300))
def test_softmax_at_a_tiny_temperature_does_not_overflow(temperature, top):
    p = probability.softmax([top, top - 1.0, -1e308], temperature)
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0)
    assert p[0] >= p[1] >= p[2]


def test_log_softmax_and_softmax_of_impossible_options():
    assert probability.log_softmax([0.0, -INF]).tolist() == [0.0, -INF]
    assert probability.softmax([[0.0, -INF], [-INF, 1.0]]).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_greedy_and_top_k_ties_go_to_the_lowest_index():
    assert sampling.greedy([1.0, 3.0, 3.0]) == 1
    assert np.isfinite(sampling.top_k_filter([3.0, 1.0, 3.0, 3.0], 2)).tolist() == [True, False, True, False]


def test_top_p_stops_where_a_rounded_sum_reaches_the_threshold():
    logits = np.log([0.5, 0.3, 0.2])
    # 0.5 + 0.3 is 0.8 within 1e-12: exactly two tokens, not three
    assert np.isfinite(sampling.top_p_filter(logits, 0.8)).sum() == 2
    assert np.isfinite(sampling.top_p_filter(logits, 0.8 + 1e-9)).sum() == 3


def test_ddim_step_at_alpha_bar_one_returns_the_clean_sample():
    x = np.array([0.5, 2.0])
    assert reverse.ddim_step(x, np.ones(2), 1.0, 1.0).tolist() == [0.5, 2.0]
    assert reverse.ddim_step(x, np.ones(2), 1.0, 1.0, x0_clip=1.0).tolist() == [0.5, 1.0]


def test_ddim_timesteps_conventions():
    assert reverse.ddim_timesteps(1000, 1) == [1000]
    assert reverse.ddim_timesteps(10, 4) == [10, 7, 4, 1]
    assert reverse.ddim_timesteps(10, 10) == list(range(10, 0, -1))


@FAST
@given(st.lists(st.floats(0.01, 1.0), min_size=1, max_size=8), st.integers(0, 8))
def test_a_zero_probability_gives_minus_infinity_in_the_chain_rule_and_infinity_in_the_loss(probs, where):
    probs = [*probs[:where], 0.0, *probs[where:]]
    assert probability.sequence_probability(probs) == 0.0
    assert probability.sequence_log_probability(probs) == -INF
    # the same convention for one token: its cross-entropy is +inf, and -log P(text) is the sum of them
    assert losses.token_cross_entropy([1.0, 0.0], 1) == INF
    total = sum(losses.token_cross_entropy([p, 1 - p], 0) for p in probs)
    assert total == -probability.sequence_log_probability(probs) == INF


def test_cross_entropy_of_an_impossible_target_is_infinite():
    assert losses.cross_entropy([0.0, 1.0], [1.0, 0.0]) == INF
    assert losses.mean_token_cross_entropy(np.array([[0.0, -INF]]), np.array([1])) == INF
    assert math.isfinite(losses.mean_token_cross_entropy(np.array([[0.0, -INF]]), np.array([0])))


def test_a_component_count_mismatch_reports_the_shapes_the_caller_passed():
    """A 1-D ``means`` is one component; the error gives the shape as passed, not the reshaped (1, D)."""
    with pytest.raises(ValueError, match=r"means of shape \(2,\) \(1 component\(s\)\), stds of shape \(2,\)"):
        gaussian_mixture.GaussianMixture(means=np.zeros(2), stds=np.ones(2), weights=[0.5, 0.5])
