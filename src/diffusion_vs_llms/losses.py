"""Training losses: cross-entropy for language models, mean squared error for diffusion.

Convention for a probability of 0: the cross-entropy of a target whose predicted probability
is 0 is ``+inf`` (not an error), and :func:`~diffusion_vs_llms.probability.sequence_log_probability`
returns ``-inf`` for such a sequence, so the two always agree:
``-log P(text) = sum of the tokens' cross-entropies``.
"""

from __future__ import annotations

import numpy as np

from .probability import log_softmax
from .validation import as_int_array, as_logits, as_real_array, require_int_in_range, require_probabilities


def cross_entropy(y: np.ndarray, p: np.ndarray) -> float:
    """``L = -sum_i y_i ln p_i`` in nats; ``+inf`` if ``p_i = 0`` where ``y_i > 0``.

    Args:
        y: target distribution over the vocabulary 𝒱, shape ``(|𝒱|,)`` (one-hot for a known token).
        p: predicted distribution, shape ``(|𝒱|,)``.
    """
    y = require_probabilities("y", y, ndim=1)
    p = require_probabilities("p", p, ndim=1)
    if y.shape != p.shape:
        raise ValueError(f"y and p must have the same shape, got y.shape={y.shape} and p.shape={p.shape}")
    used = y > 0
    if np.any(p[used] == 0):
        return float("inf")
    return float(-np.sum(y[used] * np.log(p[used])))


def token_cross_entropy(p: np.ndarray, target: int) -> float:
    """``-ln p[target]``: cross-entropy against the one-hot target ``y = target``.

    ``p`` has shape ``(|𝒱|,)``; ``target`` is an index in ``[0, |𝒱| - 1]``. Returns ``+inf`` when
    ``p[target] = 0`` (see the module docstring for this convention).
    """
    p = require_probabilities("p", p, ndim=1)
    target = require_int_in_range("target", target, 0, p.size - 1)
    return float(-np.log(p[target])) if p[target] > 0 else float("inf")


def mean_token_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """Average ``-ln softmax(logits)[target]`` over positions, in nats per token.

    Args:
        logits: shape ``(N, |𝒱|)``, one row per position n (teacher forcing scores all at once);
            ``-inf`` marks an impossible token (its loss is ``+inf`` if it is the target).
        targets: integer ids of shape ``(N,)``, the correct next token at each position.
    """
    logits = as_logits("logits", logits, ndim=2)
    targets = as_int_array("targets", targets, low=None, allow_empty=True)
    if targets.shape != (logits.shape[0],):
        raise ValueError(
            f"targets must have shape ({logits.shape[0]},) to match logits.shape={logits.shape}, got {targets.shape}"
        )
    targets = as_int_array("targets", targets, ndim=1, low=0, high=logits.shape[1] - 1)
    log_probs = log_softmax(logits, axis=-1)
    return float(-np.mean(log_probs[np.arange(len(targets)), targets]))


def mean_squared_error(prediction: np.ndarray, target: np.ndarray) -> float:
    """``mean((prediction - target)^2)``: the diffusion loss when the target is the noise.

    ``prediction`` and ``target`` are finite, non-empty and of one shape.
    """
    prediction = as_real_array("prediction", prediction)
    target = as_real_array("target", target)
    if prediction.shape != target.shape:
        raise ValueError(
            "prediction and target must have the same shape, "
            f"got prediction.shape={prediction.shape} and target.shape={target.shape}"
        )
    return float(np.mean((prediction - target) ** 2))
