"""Turning scores into probabilities, and the chain rule of a sequence.

- ``softmax(z / T)_i = exp(z_i / T) / sum_j exp(z_j / T)`` with temperature ``T > 0``.
- ``P(x_1, ..., x_n) = prod_t P(x_t | x_<t)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .validation import require_in_interval, require_nonempty, require_positive


def softmax(logits: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """Probabilities from logits: ``exp(z / temperature)`` normalised along ``axis``.

    Args:
        logits: scores ``z``, any shape with at least one entry along ``axis``;
            ``-inf`` marks an impossible option.
        temperature: ``> 0``; below 1 sharpens, above 1 flattens the distribution.
        axis: the axis that indexes the options (the vocabulary).

    Returns:
        Probabilities with the shape of ``logits``, summing to 1 along ``axis``.
    """
    temperature = require_positive("temperature", temperature)
    logits = np.asarray(logits, dtype=float)
    if logits.size == 0:
        raise ValueError(f"logits must not be empty, got shape {logits.shape}")
    scaled = logits / temperature
    shifted = scaled - np.max(scaled, axis=axis, keepdims=True)  # the result is unchanged, overflow is avoided
    weights = np.exp(shifted)
    return weights / np.sum(weights, axis=axis, keepdims=True)


def log_softmax(logits: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """``log(softmax(logits, temperature))`` computed stably; same shape as ``logits``."""
    temperature = require_positive("temperature", temperature)
    scaled = np.asarray(logits, dtype=float) / temperature
    shifted = scaled - np.max(scaled, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def sequence_probability(conditional_probabilities: Sequence[float]) -> float:
    """Chain rule: ``P(x_1, ..., x_n)`` as the product of ``P(x_t | x_<t)``, each in ``[0, 1]``."""
    require_nonempty("conditional_probabilities", conditional_probabilities)
    probs = require_in_interval(
        "conditional_probabilities", conditional_probabilities, 0.0, 1.0, low_closed=True, high_closed=True
    )
    return float(np.prod(probs))


def sequence_log_probability(conditional_probabilities: Sequence[float]) -> float:
    """``log P(x_1, ..., x_n) = sum_t log P(x_t | x_<t)``: the numerically safe form of the chain rule."""
    require_nonempty("conditional_probabilities", conditional_probabilities)
    probs = require_in_interval(
        "conditional_probabilities", conditional_probabilities, 0.0, 1.0, low_closed=False, high_closed=True
    )
    return float(np.sum(np.log(probs)))
