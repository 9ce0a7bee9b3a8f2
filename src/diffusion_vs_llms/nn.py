"""Tiny neural networks in numpy with hand-written gradients, for the two notebooks.

- :func:`mlp_forward` / :func:`mlp_backward`: a multilayer perceptron with SiLU activations,
  the noise predictor of the tiny diffusion model.
- :func:`lm_forward` / :func:`lm_backward`: a character language model with one causal
  self-attention layer and one feed-forward layer, both with residual connections.
- :class:`Adam`: the Adam optimizer (Kingma and Ba, 2015).

Parameters live in plain dicts of arrays, gradients in dicts with the same keys, so a
finite-difference check (``tests/test_nn.py``) can perturb any entry. The forward passes use
the package's own :func:`~diffusion_vs_llms.attention.scaled_dot_product_attention` and
:func:`~diffusion_vs_llms.probability.softmax`; only the backward passes are new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import DTypeLike

from .attention import scaled_dot_product_attention
from .losses import mean_token_cross_entropy
from .probability import softmax
from .validation import require_int_in_range, require_positive, require_same_shape

Params = dict[str, np.ndarray]


def sigmoid_denominator(x: np.ndarray) -> np.ndarray:
    """``1 + exp(-x)``, elementwise: ``sigmoid(x)`` is its reciprocal."""
    return 1.0 + np.exp(-x)


def silu(x: np.ndarray, denominator: np.ndarray | None = None) -> np.ndarray:
    """``x * sigmoid(x)``, elementwise; ``denominator`` is :func:`sigmoid_denominator` of ``x`` if known."""
    return x / (sigmoid_denominator(x) if denominator is None else denominator)


def silu_grad(x: np.ndarray, denominator: np.ndarray | None = None) -> np.ndarray:
    """Derivative of :func:`silu` at ``x``: ``s (1 + x (1 - s))`` with ``s = sigmoid(x)``."""
    s = 1.0 / (sigmoid_denominator(x) if denominator is None else denominator)
    return s * (1.0 + x * (1.0 - s))


def timestep_embedding(t: np.ndarray, dim: int, max_period: float = 10_000.0) -> np.ndarray:
    """Sinusoidal embedding of timesteps (as in the Transformer's positions and DDPM's U-Net).

    ``t`` has shape ``(n,)``; returns shape ``(n, dim)`` with ``dim`` even: cosines then sines of
    ``t`` at ``dim / 2`` frequencies from 1 down to ``1 / max_period``.
    """
    dim = require_int_in_range("dim", dim, 2)
    if dim % 2:
        raise ValueError(f"dim must be even, got {dim}")
    t = np.asarray(t, dtype=float).reshape(-1)
    frequencies = np.exp(-np.log(max_period) * np.arange(dim // 2) / (dim // 2))
    angles = t[:, None] * frequencies[None, :]
    return np.concatenate([np.cos(angles), np.sin(angles)], axis=1)


# --- multilayer perceptron ---------------------------------------------------------------------


def init_mlp(sizes: Sequence[int], rng: np.random.Generator, dtype: DTypeLike = np.float64) -> Params:
    """Weights ``W0..`` of shape ``(sizes[i], sizes[i + 1])`` (He-scaled) and zero biases ``b0..``.

    ``dtype`` is the floating-point type the network computes in: ``float64`` (the default, which the
    gradient checks need) or ``float32``, what deep-learning frameworks train in (the tiny diffusion
    notebook: 9.2 s instead of 18.3 s on one core, measured once). The random draws are the same for
    both, so a ``float32`` network starts from the rounded weights of the ``float64`` one.
    """
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output size, got {list(sizes)}")
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    params: Params = {}
    for i, (fan_in, fan_out) in enumerate(pairwise(sizes)):
        require_int_in_range(f"sizes[{i}]", fan_in, 1)
        params[f"W{i}"] = (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(dtype)
        params[f"b{i}"] = np.zeros(fan_out, dtype=dtype)
    return params


def _mlp_depth(params: Params) -> int:
    return sum(1 for key in params if key.startswith("W"))


@dataclass(frozen=True)
class MlpCache:
    """What :func:`mlp_backward` needs from a forward pass: the input ``x``, and for each hidden layer
    its pre-activation ``z``, ``1 + exp(-z)`` and its output ``silu(z)``, each of shape ``(n, width)``.
    Keeping them spares the backward pass two exponentials per layer and gives the same numbers."""

    x: np.ndarray
    hidden: list[tuple[np.ndarray, np.ndarray, np.ndarray]]


def mlp_forward(params: Params, x: np.ndarray) -> tuple[np.ndarray, MlpCache]:
    """Output of shape ``(n, sizes[-1])`` for input ``x`` of shape ``(n, sizes[0])``, and a cache.

    Hidden layers use SiLU; the last layer is linear. ``x`` is converted to the parameters' dtype,
    and every array returned has that dtype.
    """
    x = np.asarray(x, dtype=params["W0"].dtype)
    depth = _mlp_depth(params)
    if x.ndim != 2 or x.shape[1] != params["W0"].shape[0]:
        raise ValueError(f"x must have shape (n, {params['W0'].shape[0]}), got {x.shape}")
    hidden = []
    h = x
    for i in range(depth):
        z = h @ params[f"W{i}"] + params[f"b{i}"]
        if i < depth - 1:
            denominator = sigmoid_denominator(z)
            h = silu(z, denominator)
            hidden.append((z, denominator, h))
    return z, MlpCache(x, hidden)


def mlp_backward(params: Params, cache: MlpCache, d_out: np.ndarray) -> tuple[Params, np.ndarray]:
    """Gradients of a scalar loss with respect to every parameter and to the input.

    ``d_out`` is the loss gradient with respect to the output, shape ``(n, sizes[-1])``.
    Returns ``(grads, d_x)``, in the parameters' dtype.
    """
    depth = _mlp_depth(params)
    grads: Params = {}
    d_z = np.asarray(d_out, dtype=params["W0"].dtype)
    for i in reversed(range(depth)):
        h_in = cache.x if i == 0 else cache.hidden[i - 1][2]
        grads[f"W{i}"] = h_in.T @ d_z
        grads[f"b{i}"] = d_z.sum(axis=0)
        d_h = d_z @ params[f"W{i}"].T
        if i > 0:
            z, denominator, _ = cache.hidden[i - 1]
            d_z = d_h * silu_grad(z, denominator)
    return grads, d_h


def mse_loss_and_grad(prediction: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """``mean((prediction - target)^2)`` and its gradient with respect to ``prediction``."""
    require_same_shape("prediction", prediction, "target", target)
    diff = prediction - target
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


# --- one-layer causal attention language model -------------------------------------------------


def init_lm(vocab_size: int, context: int, d_model: int, d_ff: int, rng: np.random.Generator) -> Params:
    """Parameters of :func:`lm_forward`: embeddings, attention, feed-forward and output layers."""
    for name, value in (("vocab_size", vocab_size), ("context", context), ("d_model", d_model), ("d_ff", d_ff)):
        require_int_in_range(name, value, 1)

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
        tokens: integer ids, shape ``(batch, n)`` with ``n`` at most the model's context.

    Returns:
        ``(logits, cache)``; logits have shape ``(batch, n, V)``: position ``i`` scores the token
        that follows ``tokens[:, : i + 1]``, seeing no later token (causal mask).
    """
    tokens = np.asarray(tokens)
    if tokens.ndim != 2:
        raise ValueError(f"tokens must have shape (batch, n), got {tokens.shape}")
    context = params["position_embedding"].shape[0]
    n = tokens.shape[1]
    require_int_in_range("tokens.shape[1]", n, 1, context)
    x = params["token_embedding"][tokens] + params["position_embedding"][:n]
    q, k, v = x @ params["W_q"], x @ params["W_k"], x @ params["W_v"]
    attended, weights = scaled_dot_product_attention(q, k, v, causal=True)
    h = x + attended @ params["W_o"]
    pre_activation = h @ params["W_1"] + params["b_1"]
    hidden = np.maximum(pre_activation, 0.0)
    out = h + hidden @ params["W_2"] + params["b_2"]
    logits = out @ params["W_out"] + params["b_out"]
    return logits, LMCache(tokens, x, q, k, v, weights, attended, h, pre_activation, hidden, out)


def lm_loss_and_grad(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy (nats per token) of ``logits`` ``(batch, n, V)`` against ``targets`` ``(batch, n)``.

    Returns the loss and its gradient with respect to the logits, ``(softmax - one_hot) / (batch n)``.
    """
    batch, n, vocab = logits.shape
    flat_logits, flat_targets = logits.reshape(-1, vocab), np.asarray(targets).reshape(-1)
    loss = mean_token_cross_entropy(flat_logits, flat_targets)
    grad = softmax(flat_logits, axis=-1)
    grad[np.arange(flat_targets.size), flat_targets] -= 1.0
    return loss, (grad / flat_targets.size).reshape(batch, n, vocab)


def _summed_outer(inputs: np.ndarray, d_outputs: np.ndarray) -> np.ndarray:
    """Gradient of a weight matrix shared by every position: ``sum_{b,n} inputs[b,n]^T d_outputs[b,n]``.

    ``inputs`` (batch, n, d_in) and ``d_outputs`` (batch, n, d_out) give shape (d_in, d_out), as one
    matrix product (einsum without ``optimize`` would loop in Python-level C instead of BLAS).
    """
    return inputs.reshape(-1, inputs.shape[-1]).T @ d_outputs.reshape(-1, d_outputs.shape[-1])


def lm_backward(params: Params, cache: LMCache, d_logits: np.ndarray) -> Params:
    """Gradients of a scalar loss with respect to every parameter of :func:`lm_forward`."""
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


class Adam:
    """The Adam optimizer with bias correction (Kingma and Ba, 2015), updating params in place."""

    def __init__(self, params: Params, learning_rate: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999)):
        self.learning_rate = require_positive("learning_rate", learning_rate)
        self.beta1, self.beta2 = betas
        self.eps = 1e-8
        self.steps = 0
        self.m = {key: np.zeros_like(value) for key, value in params.items()}
        self.v = {key: np.zeros_like(value) for key, value in params.items()}

    def step(self, params: Params, grads: Params, learning_rate: float | None = None) -> None:
        """One update of every parameter that has a gradient."""
        lr = self.learning_rate if learning_rate is None else learning_rate
        self.steps += 1
        correction1 = 1 - self.beta1**self.steps
        correction2 = 1 - self.beta2**self.steps
        for key, grad in grads.items():
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grad
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grad**2
            params[key] -= lr * (self.m[key] / correction1) / (np.sqrt(self.v[key] / correction2) + self.eps)
