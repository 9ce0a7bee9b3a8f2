"""The hand-written gradients of diffusion_vs_llms.nn against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from diffusion_vs_llms.nn import (
    Adam,
    init_lm,
    init_mlp,
    lm_backward,
    lm_forward,
    lm_loss_and_grad,
    mlp_backward,
    mlp_forward,
    mse_loss_and_grad,
    sigmoid_denominator,
    silu,
    silu_grad,
    timestep_embedding,
)

EPS = 1e-6


def numerical_gradient(loss_of, array: np.ndarray, index: tuple[int, ...]) -> float:
    old = array[index]
    array[index] = old + EPS
    plus = loss_of()
    array[index] = old - EPS
    minus = loss_of()
    array[index] = old
    return (plus - minus) / (2 * EPS)


def relative_error(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a) + abs(b), 1e-8)


def test_silu_gradient():
    x = np.linspace(-6, 6, 101)
    numeric = (silu(x + EPS) - silu(x - EPS)) / (2 * EPS)
    assert np.allclose(silu_grad(x), numeric, atol=1e-8)


def test_silu_from_a_known_denominator_is_bit_for_bit_the_same():
    """mlp_forward keeps 1 + exp(-z) for mlp_backward: reusing it must not change a single bit."""
    x = np.linspace(-6, 6, 101)
    denominator = sigmoid_denominator(x)
    assert np.array_equal(silu(x, denominator), silu(x))
    assert np.array_equal(silu_grad(x, denominator), silu_grad(x))
    assert np.array_equal(silu(x, denominator), x / (1.0 + np.exp(-x)))


def test_mlp_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    params = init_mlp([3, 5, 4, 2], rng)
    x, target = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))

    def loss_of() -> float:
        return mse_loss_and_grad(mlp_forward(params, x)[0], target)[0]

    out, cache = mlp_forward(params, x)
    _, d_out = mse_loss_and_grad(out, target)
    grads, d_x = mlp_backward(params, cache, d_out)
    for key, value in params.items():
        for index in np.ndindex(value.shape):
            assert relative_error(grads[key][index], numerical_gradient(loss_of, value, index)) < 1e-6, key
    for index in np.ndindex(x.shape):
        assert relative_error(d_x[index], numerical_gradient(loss_of, x, index)) < 1e-6


def test_a_float32_mlp_computes_in_float32_and_agrees_with_float64():
    """The tiny diffusion notebook trains in float32: same draws, same maths, rounded to 32 bits."""
    sizes = [4, 16, 16, 3]
    wide, narrow = init_mlp(sizes, np.random.default_rng(5)), init_mlp(sizes, np.random.default_rng(5), np.float32)
    for key, value in wide.items():
        assert narrow[key].dtype == np.float32, key
        assert np.array_equal(narrow[key], value.astype(np.float32)), key
    x, target = np.random.default_rng(6).standard_normal((8, 4)), np.random.default_rng(7).standard_normal((8, 3))
    results = {}
    for name, params in (("float64", wide), ("float32", narrow)):
        out, cache = mlp_forward(params, x)
        grads, d_x = mlp_backward(params, cache, mse_loss_and_grad(out, target)[1])
        results[name] = out, grads, d_x
    out, grads, d_x = results["float32"]
    assert out.dtype == d_x.dtype == np.float32
    assert all(grad.dtype == np.float32 for grad in grads.values())
    assert np.allclose(out, results["float64"][0], rtol=1e-5, atol=1e-6)
    assert np.allclose(d_x, results["float64"][2], rtol=1e-4, atol=1e-6)
    for key, grad in grads.items():
        assert np.allclose(grad, results["float64"][1][key], rtol=1e-4, atol=1e-6), key
    before = {key: value.copy() for key, value in narrow.items()}
    adam = Adam(narrow)
    adam.step(narrow, grads)
    for key, value in narrow.items():  # the moments would turn float64 if any gradient were float64
        assert adam.m[key].dtype == adam.v[key].dtype == value.dtype == np.float32, key
        assert not np.array_equal(value, before[key]), key


def test_mlp_dtype_must_be_a_float_of_32_or_64_bits():
    with pytest.raises(ValueError, match="dtype must be float32 or float64, got int64"):
        init_mlp([2, 2], np.random.default_rng(0), np.int64)
    with pytest.raises(ValueError, match="dtype must be float32 or float64, got float16"):
        init_mlp([2, 2], np.random.default_rng(0), np.float16)


def test_language_model_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    params = init_lm(vocab_size=7, context=5, d_model=6, d_ff=8, rng=rng)
    tokens, targets = rng.integers(0, 7, (2, 5)), rng.integers(0, 7, (2, 5))

    def loss_of() -> float:
        return lm_loss_and_grad(lm_forward(params, tokens)[0], targets)[0]

    logits, cache = lm_forward(params, tokens)
    _, d_logits = lm_loss_and_grad(logits, targets)
    grads = lm_backward(params, cache, d_logits)
    assert set(grads) == set(params)
    checked = 0
    for key, value in params.items():
        for index in [tuple(rng.integers(0, s) for s in value.shape) for _ in range(6)]:
            numeric = numerical_gradient(loss_of, value, index)
            assert relative_error(grads[key][index], numeric) < 1e-4, (key, index, grads[key][index], numeric)
            checked += 1
    assert checked == 6 * len(params)


def test_language_model_is_causal():
    rng = np.random.default_rng(2)
    params = init_lm(vocab_size=9, context=6, d_model=8, d_ff=16, rng=rng)
    tokens = rng.integers(0, 9, (1, 6))
    changed = tokens.copy()
    changed[0, -1] = (changed[0, -1] + 1) % 9
    before, _ = lm_forward(params, tokens)
    after, _ = lm_forward(params, changed)
    assert np.allclose(before[0, :-1], after[0, :-1])  # earlier positions never see the last token
    assert not np.allclose(before[0, -1], after[0, -1])


def test_adam_minimises_a_quadratic():
    params = {"x": np.array([3.0, -2.0])}
    optimizer = Adam(params, learning_rate=0.1)
    for _ in range(300):
        optimizer.step(params, {"x": 2 * params["x"]})
    assert np.allclose(params["x"], 0, atol=1e-2)


def test_adam_corrects_each_parameter_for_its_own_updates():
    """A parameter first updated at the fourth step moves as a fresh optimizer's first step moves it:
    Adam's first step is lr * g / (|g| + eps), about lr, whatever the gradient's size."""
    params = {"a": np.array([1.0]), "b": np.array([1.0])}
    optimizer = Adam(params, learning_rate=0.1)
    for _ in range(3):
        optimizer.step(params, {"a": np.array([1.0])})
    assert params["b"][0] == 1.0
    optimizer.step(params, {"b": np.array([5.0])})
    assert params["b"][0] == pytest.approx(1.0 - 0.1, abs=1e-6)  # with a shared count: 1 - 0.058


def test_timestep_embedding_shape_and_values():
    embedding = timestep_embedding(np.array([0, 10]), 8)
    assert embedding.shape == (2, 8)
    assert np.allclose(embedding[0], [0, 0, 0, 0, 1, 1, 1, 1])  # sines first, then cosines
    frequencies = 10_000.0 ** (-np.arange(4) / 4)  # Vaswani et al.'s 10000^(-2i/d) with d = 8
    assert np.allclose(embedding[1], np.concatenate([np.sin(10 * frequencies), np.cos(10 * frequencies)]))
    with pytest.raises(ValueError, match="dim must be even, got 7"):
        timestep_embedding(np.array([1]), 7)


def test_bad_shapes_are_named():
    rng = np.random.default_rng(3)
    with pytest.raises(ValueError, match=r"x must have shape \(n, 3\), got \(2, 4\)"):
        mlp_forward(init_mlp([3, 2], rng), np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"tokens.shape\[1\] must be in \[1, 5\], got 6"):
        lm_forward(init_lm(4, 5, 4, 4, rng), np.zeros((1, 6), dtype=int))
