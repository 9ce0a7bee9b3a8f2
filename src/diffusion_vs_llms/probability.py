"""Turning scores into probabilities, and the chain rule of a sequence.

- ``softmax(ℓ / τ)_i = exp(ℓ_i / τ) / sum_j exp(ℓ_j / τ)`` over the vocabulary 𝒱 (i, j in 1..|𝒱|),
  with logits ``ℓ`` and temperature ``τ > 0`` (``temperature`` in code).
- ``P(x_1, ..., x_N) = prod_{n=1}^{N} P(x_n | x_<n)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .validation import as_logits, require_positive, require_real_array_in_interval


def _shifted_scaled(logits: np.ndarray, temperature: float, axis: int) -> np.ndarray:
    """``(ℓ - max ℓ) / τ``: subtracting the maximum first keeps ``ℓ / τ`` from overflowing at a tiny τ."""
    with np.errstate(over="ignore"):  # a difference beyond -1e308 becomes -inf, and exp(-inf) = 0 is right
        shifted = logits - np.max(logits, axis=axis, keepdims=True)  # every row has a finite maximum
        return shifted / temperature


def _softmax(logits: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """:func:`softmax` of logits already checked by :func:`~diffusion_vs_llms.validation.as_logits`."""
    weights = np.exp(_shifted_scaled(logits, temperature, axis))
    return weights / np.sum(weights, axis=axis, keepdims=True)


def _log_softmax(logits: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """:func:`log_softmax` of logits already checked by :func:`~diffusion_vs_llms.validation.as_logits`."""
    shifted = _shifted_scaled(logits, temperature, axis)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(logits: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """Probabilities from logits: ``exp(ℓ / τ)`` normalised along ``axis``, with ``τ = temperature``.

    Args:
        logits: scores ``ℓ``, any shape with at least one entry along ``axis``;
            ``-inf`` marks an impossible option. NaN and ``+inf`` are rejected, and so is a
            row of only ``-inf`` (no option is possible, so there is no distribution).
        temperature: ``τ > 0``; below 1 sharpens, above 1 flattens the distribution.
        axis: the axis that indexes the options (the vocabulary).

    Returns:
        Probabilities with the shape of ``logits``, summing to 1 along ``axis``. The maximum is
        subtracted before dividing by τ, so huge logits or a tiny τ cannot overflow.
    """
    temperature = require_positive("temperature", temperature)
    return _softmax(as_logits("logits", logits, axis=axis), temperature, axis)


def log_softmax(logits: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """``log(softmax(logits, temperature))`` computed stably; same shape and checks as :func:`softmax`.

    An option with logit ``-inf`` gets log-probability ``-inf``.
    """
    temperature = require_positive("temperature", temperature)
    return _log_softmax(as_logits("logits", logits, axis=axis), temperature, axis)


def _conditionals(conditional_probabilities: Sequence[float]) -> np.ndarray:
    return require_real_array_in_interval(
        "conditional_probabilities", conditional_probabilities, 0.0, 1.0, low_closed=True, high_closed=True, ndim=1
    )


def sequence_probability(conditional_probabilities: Sequence[float]) -> float:
    """Chain rule: ``P(x_1, ..., x_N)`` as the product of the ``P(x_n | x_<n)``, each in ``[0, 1]``.

    ``conditional_probabilities`` is a non-empty 1-D sequence.
    """
    return float(np.prod(_conditionals(conditional_probabilities)))


def sequence_log_probability(conditional_probabilities: Sequence[float]) -> float:
    """``log P(x_1, ..., x_N) = sum_n log P(x_n | x_<n)``: the numerically safe form of the chain rule.

    Each probability is in ``[0, 1]``. A probability of exactly 0 gives ``-inf`` (the sequence is
    impossible), the value of ``log`` of :func:`sequence_probability`; it is not an error. This is the
    same convention as :func:`diffusion_vs_llms.losses.token_cross_entropy`, which returns ``+inf``
    when the target's probability is 0, so ``-sequence_log_probability`` always equals the sum of the
    tokens' cross-entropies.
    """
    probs = _conditionals(conditional_probabilities)
    if np.any(probs == 0):
        return float("-inf")
    return float(np.sum(np.log(probs)))
