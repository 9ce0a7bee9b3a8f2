"""Training losses: cross-entropy for language models, mean squared error for diffusion."""

from __future__ import annotations

import numpy as np

from .probability import log_softmax
from .validation import require_int_in_range, require_probabilities, require_same_shape


def cross_entropy(y: np.ndarray, p: np.ndarray) -> float:
    """``L = -sum_i y_i ln p_i`` in nats.

    Args:
        y: target distribution over the vocabulary, shape ``(V,)`` (one-hot for a known token).
        p: predicted distribution, shape ``(V,)``.
    """
    y = require_probabilities("y", y)
    p = require_probabilities("p", p)
    require_same_shape("y", y, "p", p)
    used = y > 0
    if np.any(p[used] == 0):
        return float("inf")
    return float(-np.sum(y[used] * np.log(p[used])))


def token_cross_entropy(p: np.ndarray, target: int) -> float:
    """``-ln p[target]``: cross-entropy against a one-hot target; ``p`` has shape ``(V,)``."""
    p = require_probabilities("p", p)
    target = require_int_in_range("target", target, 0, p.shape[-1] - 1)
    return float(-np.log(p[target])) if p[target] > 0 else float("inf")


def mean_token_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """Average ``-ln softmax(logits)[target]`` over positions, in nats per token.

    Args:
        logits: shape ``(n, V)``, one row per position (teacher forcing scores all at once).
        targets: shape ``(n,)``, the correct next token at each position.
    """
    logits = np.asarray(logits, dtype=float)
    targets = np.asarray(targets)
    if logits.ndim != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must have shape (n, V) with n >= 1, got {logits.shape}")
    if targets.shape != (logits.shape[0],):
        raise ValueError(
            f"targets must have shape ({logits.shape[0]},) to match logits.shape={logits.shape}, got {targets.shape}"
        )
    if targets.min() < 0 or targets.max() >= logits.shape[1]:
        raise ValueError(f"targets must be in [0, {logits.shape[1] - 1}], got {targets.min()}..{targets.max()}")
    log_probs = log_softmax(logits, axis=-1)
    return float(-np.mean(log_probs[np.arange(len(targets)), targets]))


def mean_squared_error(prediction: np.ndarray, target: np.ndarray) -> float:
    """``mean((prediction - target)^2)``: the diffusion loss when the target is the noise."""
    prediction, target = np.asarray(prediction, dtype=float), np.asarray(target, dtype=float)
    require_same_shape("prediction", prediction, "target", target)
    if prediction.size == 0:
        raise ValueError("prediction must not be empty, got shape (0,)")
    return float(np.mean((prediction - target) ** 2))
