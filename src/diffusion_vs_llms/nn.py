"""Tiny neural networks in numpy with hand-written gradients, for the two notebooks.

- :func:`mlp_forward` / :func:`mlp_backward`: a multilayer perceptron with SiLU activations,
  the noise predictor of the tiny diffusion model.
- :func:`lm_forward` / :func:`lm_backward`: a character language model with one causal
  self-attention layer and one feed-forward layer, both with residual connections.
- :class:`Adam`: the Adam optimizer (Kingma and Ba, 2015).

Parameters live in plain dicts of arrays, gradients in dicts with the same keys, so a
finite-difference check (``tests/test_nn.py``) can perturb any entry. The forward passes use
the package's own :func:`~diffusion_vs_llms.attention.scaled_dot_product_attention` and
:func:`~diffusion_vs_llms.probability.softmax` (their cores, without re-checking arrays that
:func:`lm_forward` has already checked); only the backward passes are new.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import DTypeLike

from .attention import _attention
from .probability import _log_softmax, _softmax
from .validation import (
    as_int_array,
    as_logits,
    as_real_array,
    describe,
    require_instance,
    require_int_in_range,
    require_number_in_interval,
    require_params,
    require_positive,
    require_real_array_in_interval,
    require_rng,
    require_same_shape,
)

Params = dict[str, np.ndarray]


def _sigmoid_denominator(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(-x) for x below about -709 is inf, and 1 / inf = 0 is sigmoid's limit
        return 1.0 + np.exp(-x)


def _silu(x: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    return x / denominator


def _silu_grad(x: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    s = 1.0 / denominator
    return s * (1.0 + x * (1.0 - s))


def _activation_arguments(x: np.ndarray, denominator: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    x = as_real_array("x", x, keep_float_dtype=True)
    if denominator is None:
        return x, _sigmoid_denominator(x)
    denominator = require_real_array_in_interval(
        "denominator", denominator, 1.0, np.inf, low_closed=True, high_closed=True
    ).astype(x.dtype)
    require_same_shape("x", x, "denominator", denominator)
    return x, denominator


def sigmoid_denominator(x: np.ndarray) -> np.ndarray:
    """``1 + exp(-x)``, elementwise, for finite ``x``: ``sigmoid(x)`` is its reciprocal.

    It is ``inf`` for ``x`` below about -709, where ``sigmoid(x)`` rounds to 0.
    """
    return _sigmoid_denominator(as_real_array("x", x, keep_float_dtype=True))


def silu(x: np.ndarray, denominator: np.ndarray | None = None) -> np.ndarray:
    """``x * sigmoid(x)``, elementwise; ``denominator`` is :func:`sigmoid_denominator` of ``x`` if known
    (shaped like ``x``, every entry ``>= 1``)."""
    return _silu(*_activation_arguments(x, denominator))


def silu_grad(x: np.ndarray, denominator: np.ndarray | None = None) -> np.ndarray:
    """Derivative of :func:`silu` at ``x``: ``s (1 + x (1 - s))`` with ``s = sigmoid(x)``."""
    return _silu_grad(*_activation_arguments(x, denominator))


def timestep_embedding(t: np.ndarray, dim: int, max_period: float = 10_000.0) -> np.ndarray:
    """Sinusoidal embedding of timesteps (as in the Transformer's positions and DDPM's U-Net).

    ``t`` is a number or a finite 1-D array of shape ``(n,)``; returns shape ``(n, dim)`` with
    ``dim >= 2`` even: the first half sines, the second half cosines (sin then cos, the order of
    DDPM's code and of diffusers' default ``flip_sin_to_cos=False``; Stable Diffusion flips it) of
    ``t`` at the ``dim / 2`` frequencies ``max_period^(-i / (dim / 2))``, ``i = 0, ..., dim/2 - 1``
    (Vaswani et al.'s ``10000^(-2i / d)``; DDPM's code divides by ``dim/2 - 1`` instead, so its
    lowest frequency is exactly ``1 / max_period``). ``max_period > 0``.
    """
    dim = require_int_in_range("dim", dim, 2)
    if dim % 2:
        raise ValueError(f"dim must be even, got {dim}")
    max_period = require_positive("max_period", max_period)
    t = as_real_array("t", t, ndim=(0, 1)).reshape(-1)
    frequencies = np.exp(-np.log(max_period) * np.arange(dim // 2) / (dim // 2))
    angles = t[:, None] * frequencies[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1)


# --- multilayer perceptron ---------------------------------------------------------------------


def init_mlp(sizes: Sequence[int], rng: np.random.Generator, dtype: DTypeLike = np.float64) -> Params:
    """Weights ``W0..`` of shape ``(sizes[i], sizes[i + 1])`` (He-scaled) and zero biases ``b0..``.

    ``sizes`` lists at least two layer widths, each an integer ``>= 1``.

    ``dtype`` is the floating-point type the network computes in: ``float64`` (the default, which the
    gradient checks need) or ``float32``, what deep-learning frameworks train in, and about twice as fast for the
    tiny diffusion notebook. The random draws are the same for
    both, so a ``float32`` network starts from the rounded weights of the ``float64`` one.
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (Sequence, np.ndarray)) or len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output size, got {describe(sizes)}")
    sizes = [require_int_in_range(f"sizes[{i}]", size, 1) for i, size in enumerate(sizes)]
    rng = require_rng("rng", rng)
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise ValueError(f"dtype must be float32 or float64, got {describe(dtype)}") from None
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    params: Params = {}
    for i, (fan_in, fan_out) in enumerate(pairwise(sizes)):
        params[f"W{i}"] = (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(dtype)
        params[f"b{i}"] = np.zeros(fan_out, dtype=dtype)
    return params


def _mlp_depth(params: Params) -> int:
    return sum(1 for key in params if key.startswith("W"))


def _mlp_params(params: Params) -> Params:
    params = require_params("params", params, ("W0", "b0"), "init_mlp")
    for i in range(_mlp_depth(params)):
        require_params("params", params, (f"W{i}", f"b{i}"), "init_mlp")
    return params


@dataclass(frozen=True)
class MlpCache:
    """What :func:`mlp_backward` needs from a forward pass: the input ``x``, and for each hidden layer
    its pre-activation ``a``, ``1 + exp(-a)`` and its output ``silu(a)``, each of shape ``(n, width)``.
    Keeping them spares the backward pass two exponentials per layer and gives the same numbers."""

    x: np.ndarray
    hidden: list[tuple[np.ndarray, np.ndarray, np.ndarray]]


def mlp_forward(params: Params, x: np.ndarray) -> tuple[np.ndarray, MlpCache]:
    """Output of shape ``(n, sizes[-1])`` for input ``x`` of shape ``(n, sizes[0])``, and a cache.

    Hidden layers use SiLU; the last layer is linear. ``x`` is converted to the parameters' dtype,
    and every array returned has that dtype.
    """
    params = _mlp_params(params)
    x = as_real_array("x", x, keep_float_dtype=True)
    depth = _mlp_depth(params)
    if x.ndim != 2 or x.shape[1] != params["W0"].shape[0]:
        raise ValueError(f"x must have shape (n, {params['W0'].shape[0]}), got {x.shape}")
    x = x.astype(params["W0"].dtype, copy=False)
    hidden = []
    h = x
    for i in range(depth):
        pre = h @ params[f"W{i}"] + params[f"b{i}"]
        if i < depth - 1:
            denominator = _sigmoid_denominator(pre)
            h = _silu(pre, denominator)
            hidden.append((pre, denominator, h))
    return pre, MlpCache(x, hidden)


def mlp_backward(params: Params, cache: MlpCache, d_out: np.ndarray) -> tuple[Params, np.ndarray]:
    """Gradients of a scalar loss with respect to every parameter and to the input.

    ``d_out`` is the loss gradient with respect to the output, shape ``(n, sizes[-1])``.
    Returns ``(grads, d_x)``, in the parameters' dtype.
    """
    params = _mlp_params(params)
    cache = require_instance("cache", cache, MlpCache, "the MlpCache returned by mlp_forward")
    depth = _mlp_depth(params)
    d_out = as_real_array("d_out", d_out, keep_float_dtype=True)
    expected = (cache.x.shape[0], params[f"W{depth - 1}"].shape[1])
    if d_out.shape != expected:
        raise ValueError(f"d_out must have shape {expected} like the network's output, got {d_out.shape}")
    grads: Params = {}
    d_pre = d_out.astype(params["W0"].dtype, copy=False)
    for i in reversed(range(depth)):
        h_in = cache.x if i == 0 else cache.hidden[i - 1][2]
        grads[f"W{i}"] = h_in.T @ d_pre
        grads[f"b{i}"] = d_pre.sum(axis=0)
        d_h = d_pre @ params[f"W{i}"].T
        if i > 0:
            pre, denominator, _ = cache.hidden[i - 1]
            d_pre = d_h * _silu_grad(pre, denominator)
    return grads, d_h


def mse_loss_and_grad(prediction: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """``mean((prediction - target)^2)`` and its gradient with respect to ``prediction``.

    Both are finite, non-empty and of one shape; a ``float32`` prediction gives a ``float32`` gradient.
    """
    prediction = as_real_array("prediction", prediction, keep_float_dtype=True)
    target = as_real_array("target", target, keep_float_dtype=True)
    require_same_shape("prediction", prediction, "target", target)
    diff = prediction - target
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


# --- one-layer causal attention language model -------------------------------------------------


def init_lm(vocab_size: int, context: int, d_model: int, d_ff: int, rng: np.random.Generator) -> Params:
    """Parameters of :func:`lm_forward`: embeddings, attention, feed-forward and output layers."""
    for name, value in (("vocab_size", vocab_size), ("context", context), ("d_model", d_model), ("d_ff", d_ff)):
        require_int_in_range(name, value, 1)
    rng = require_rng("rng", rng)

    def dense(fan_in: int, fan_out: int) -> np.ndarray:
        return rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)

    return {
        "token_embedding": rng.standard_normal((vocab_size, d_model)) * 0.1,
        "position_embedding": rng.standard_normal((context, d_model)) * 0.1,
        "W_q": dense(d_model, d_model),
        "W_k": dense(d_model, d_model),
        "W_v": dense(d_model, d_model),
        "W_o": dense(d_model, d_model) * 0.5,
        "W_1": dense(d_model, d_ff),
        "b_1": np.zeros(d_ff),
        "W_2": dense(d_ff, d_model) * 0.5,
        "b_2": np.zeros(d_model),
        "W_out": dense(d_model, vocab_size),
        "b_out": np.zeros(vocab_size),
    }


_LM_KEYS = (
    "token_embedding",
    "position_embedding",
    "W_q",
    "W_k",
    "W_v",
    "W_o",
    "W_1",
    "b_1",
    "W_2",
    "b_2",
    "W_out",
    "b_out",
)


@dataclass
class LMCache:
    """Intermediate values of :func:`lm_forward` that :func:`lm_backward` needs."""

    tokens: np.ndarray
    x: np.ndarray
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    weights: np.ndarray
    attended: np.ndarray
    h: np.ndarray
    pre_activation: np.ndarray
    hidden: np.ndarray
    out: np.ndarray


def lm_forward(params: Params, tokens: np.ndarray) -> tuple[np.ndarray, LMCache]:
    """Next-token logits for a batch of token sequences.

    Args:
        params: from :func:`init_lm`.
        tokens: integer ids in ``[0, |𝒱| - 1]``, shape ``(batch, n)`` with ``1 <= n <= context``
            (a negative id is rejected, not counted from the end).

    Returns:
        ``(logits, cache)``; logits have shape ``(batch, n, |𝒱|)``: ``logits[:, m]`` scores the token
        that follows ``tokens[:, : m + 1]``, seeing no later token (causal mask).
    """
    params = require_params("params", params, _LM_KEYS, "init_lm")
    vocab_size, context = params["token_embedding"].shape[0], params["position_embedding"].shape[0]
    tokens = as_int_array("tokens", tokens, ndim=2, low=0, high=vocab_size - 1)
    n = tokens.shape[1]
    require_int_in_range("tokens.shape[1]", n, 1, context)
    x = params["token_embedding"][tokens] + params["position_embedding"][:n]
    q, k, v = x @ params["W_q"], x @ params["W_k"], x @ params["W_v"]
    attended, weights = _attention(q, k, v, causal=True)  # the checked forms, without re-checking in the loop
    h = x + attended @ params["W_o"]
    pre_activation = h @ params["W_1"] + params["b_1"]
    hidden = np.maximum(pre_activation, 0.0)
    out = h + hidden @ params["W_2"] + params["b_2"]
    logits = out @ params["W_out"] + params["b_out"]
    return logits, LMCache(tokens, x, q, k, v, weights, attended, h, pre_activation, hidden, out)


def lm_loss_and_grad(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy (nats per token) of ``logits`` ``(batch, n, |𝒱|)`` against ``targets`` ``(batch, n)``.

    ``targets`` holds integer ids in ``[0, |𝒱| - 1]``. Returns the loss and its gradient with respect
    to the logits, ``(softmax - one_hot) / (batch n)``.
    """
    logits = as_logits("logits", logits, ndim=3)
    batch, n, vocab = logits.shape
    targets = as_int_array("targets", targets, low=None)
    if targets.shape != (batch, n):
        raise ValueError(
            f"targets must have shape {(batch, n)} to match logits.shape={logits.shape}, got {targets.shape}"
        )
    targets = as_int_array("targets", targets, low=0, high=vocab - 1)
    flat_logits, flat_targets = logits.reshape(-1, vocab), targets.reshape(-1)
    loss = float(-np.mean(_log_softmax(flat_logits, axis=-1)[np.arange(flat_targets.size), flat_targets]))
    grad = _softmax(flat_logits, axis=-1)
    grad[np.arange(flat_targets.size), flat_targets] -= 1.0
    return loss, (grad / flat_targets.size).reshape(batch, n, vocab)


def _summed_outer(inputs: np.ndarray, d_outputs: np.ndarray) -> np.ndarray:
    """Gradient of a weight matrix shared by every position: ``sum_{b,n} inputs[b,n]^T d_outputs[b,n]``.

    ``inputs`` (batch, n, d_in) and ``d_outputs`` (batch, n, d_out) give shape (d_in, d_out), as one
    matrix product (einsum without ``optimize`` would loop in Python-level C instead of BLAS).
    """
    return inputs.reshape(-1, inputs.shape[-1]).T @ d_outputs.reshape(-1, d_outputs.shape[-1])


def lm_backward(params: Params, cache: LMCache, d_logits: np.ndarray) -> Params:
    """Gradients of a scalar loss with respect to every parameter of :func:`lm_forward`.

    ``cache`` is the one :func:`lm_forward` returned; ``d_logits`` is the finite loss gradient with
    respect to its logits, of the same shape ``(batch, n, |𝒱|)``.
    """
    params = require_params("params", params, _LM_KEYS, "init_lm")
    cache = require_instance("cache", cache, LMCache, "the LMCache returned by lm_forward")
    d_logits = as_real_array("d_logits", d_logits)
    expected = (*cache.tokens.shape, params["W_out"].shape[1])
    if d_logits.shape != expected:
        raise ValueError(f"d_logits must have shape {expected} like the logits, got {d_logits.shape}")
    d_k = params["W_q"].shape[1]
    grads: Params = {}
    grads["W_out"] = _summed_outer(cache.out, d_logits)
    grads["b_out"] = d_logits.sum(axis=(0, 1))
    d_out = d_logits @ params["W_out"].T
    # out = h + relu(h W_1 + b_1) W_2 + b_2
    grads["W_2"] = _summed_outer(cache.hidden, d_out)
    grads["b_2"] = d_out.sum(axis=(0, 1))
    d_pre = (d_out @ params["W_2"].T) * (cache.pre_activation > 0)
    grads["W_1"] = _summed_outer(cache.h, d_pre)
    grads["b_1"] = d_pre.sum(axis=(0, 1))
    d_h = d_out + d_pre @ params["W_1"].T
    # h = x + attended W_o, attended = weights v, weights = softmax(q k^T / sqrt(d) + mask)
    grads["W_o"] = _summed_outer(cache.attended, d_h)
    d_attended = d_h @ params["W_o"].T
    d_weights = d_attended @ np.swapaxes(cache.v, -1, -2)
    d_v = np.swapaxes(cache.weights, -1, -2) @ d_attended
    d_scores = cache.weights * (d_weights - np.sum(d_weights * cache.weights, axis=-1, keepdims=True))
    d_scores /= np.sqrt(d_k)  # masked entries have weight 0, so their gradient is 0 too
    d_q = d_scores @ cache.k
    d_k = np.swapaxes(d_scores, -1, -2) @ cache.q
    grads["W_q"] = _summed_outer(cache.x, d_q)
    grads["W_k"] = _summed_outer(cache.x, d_k)
    grads["W_v"] = _summed_outer(cache.x, d_v)
    d_x = d_h + d_q @ params["W_q"].T + d_k @ params["W_k"].T + d_v @ params["W_v"].T
    n = cache.tokens.shape[1]
    grads["position_embedding"] = np.zeros_like(params["position_embedding"])
    grads["position_embedding"][:n] = d_x.sum(axis=0)
    grads["token_embedding"] = np.zeros_like(params["token_embedding"])
    np.add.at(grads["token_embedding"], cache.tokens.reshape(-1), d_x.reshape(-1, d_x.shape[-1]))
    return grads


# --- optimizer ---------------------------------------------------------------------------------


def _require_updatable(key: str, value: object) -> None:
    """Adam updates each parameter in place: a list or an integer array cannot take the update."""
    if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
        kind = f"{type(value).__name__} of dtype {np.asarray(value).dtype}"
        raise ValueError(f"params[{key!r}] must be a float numpy array (updated in place), got a {kind}")


class Adam:
    """The Adam optimizer with bias correction (Kingma and Ba, 2015), updating params in place.

    ``params`` is a dict of float arrays; ``learning_rate > 0``; ``betas`` are the two decay rates
    ``(beta1, beta2)``, each in ``[0, 1)``.
    """

    def __init__(self, params: Params, learning_rate: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999)):
        if not isinstance(params, Mapping) or not params:
            raise ValueError(f"params must be a non-empty dict of parameter arrays, got {describe(params)}")
        for key, value in params.items():
            as_real_array(f"params[{key!r}]", value, keep_float_dtype=True)
            _require_updatable(key, value)
        self.learning_rate = require_positive("learning_rate", learning_rate)
        if isinstance(betas, (str, bytes)) or not isinstance(betas, (Sequence, np.ndarray)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), each in [0, 1), got {describe(betas)}")
        self.beta1, self.beta2 = (
            require_number_in_interval(f"betas[{i}]", beta, 0.0, 1.0, low_closed=True, high_closed=False)
            for i, beta in enumerate(betas)
        )
        self.eps = 1e-8
        # per parameter, as in PyTorch's Adam: a parameter first updated at the k-th step gets the
        # bias correction of its own first update, not of the k-th
        self.steps = {key: 0 for key in params}
        self.m = {key: np.zeros_like(value) for key, value in params.items()}
        self.v = {key: np.zeros_like(value) for key, value in params.items()}

    def step(self, params: Params, grads: Params, learning_rate: float | None = None) -> None:
        """One update of every parameter that has a gradient.

        ``grads`` maps some of the parameters' keys to finite arrays of the parameters' shapes;
        ``learning_rate`` (``> 0``) overrides the optimizer's for this step.
        """
        lr = self.learning_rate if learning_rate is None else require_positive("learning_rate", learning_rate)
        if not isinstance(params, Mapping):
            raise ValueError(f"params must be the dict of arrays given to Adam, got {describe(params)}")
        if not isinstance(grads, Mapping):
            raise ValueError(f"grads must be a dict of gradient arrays, got {describe(grads)}")
        if not grads:
            raise ValueError("grads must hold at least one gradient, got an empty dict")
        for key, grad in grads.items():
            if key not in self.m or key not in params:
                raise ValueError(f"grads has the key {key!r}, which is not a parameter; parameters: {list(self.m)}")
            grad = as_real_array(f"grads[{key!r}]", grad, keep_float_dtype=True)
            if grad.shape != self.m[key].shape or np.shape(params[key]) != self.m[key].shape:
                raise ValueError(
                    f"grads[{key!r}] must have the parameter's shape {self.m[key].shape}, got {grad.shape}"
                )
            _require_updatable(key, params[key])
        for key, grad in grads.items():
            self.steps[key] += 1
            correction1 = 1 - self.beta1 ** self.steps[key]
            correction2 = 1 - self.beta2 ** self.steps[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grad
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grad**2
            params[key] -= lr * (self.m[key] / correction1) / (np.sqrt(self.v[key] / correction2) + self.eps)
