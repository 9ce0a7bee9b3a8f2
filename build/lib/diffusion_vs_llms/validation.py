"""Argument checks shared by the numerics.

Every check raises :class:`ValueError` with a message that names the argument,
the expected range and the value received, for example::

    temperature must be > 0, got 0.0
"""

from __future__ import annotations

from collections.abc import Sized

import numpy as np

PROBABILITY_TOLERANCE = 1e-6
"""How far a probability vector may sum away from 1 before it is rejected."""


def require_positive(name: str, value: float) -> float:
    """Return ``value`` as a float if it is finite and > 0, else raise ValueError."""
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return value


def require_int_in_range(name: str, value: int, low: int, high: int | None = None) -> int:
    """Return ``value`` if it is an integer in ``[low, high]`` (``high=None``: no upper bound)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        expected = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {expected}, got {value}")
    return value


def require_in_interval(
    name: str,
    value: float | np.ndarray,
    low: float,
    high: float,
    *,
    low_closed: bool,
    high_closed: bool,
) -> np.ndarray:
    """Check that every entry of ``value`` lies in the interval from ``low`` to ``high``.

    Returns ``value`` as a float array. The message names the interval with
    brackets, for example ``alpha_bar must be in (0, 1], got 1.5``.
    """
    array = np.asarray(value, dtype=float)
    above_low = array >= low if low_closed else array > low
    below_high = array <= high if high_closed else array < high
    inside = above_low & below_high & np.isfinite(array)
    if not np.all(inside):
        bad = array[~inside].flat[0] if array.ndim else float(array)
        interval = f"{'[' if low_closed else '('}{low:g}, {high:g}{']' if high_closed else ')'}"
        raise ValueError(f"{name} must be in {interval}, got {float(bad)!r}")
    return array


def require_same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Raise ValueError naming both arguments and shapes when their shapes differ."""
    shape_a, shape_b = np.shape(a), np.shape(b)
    if shape_a != shape_b:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {name_a}.shape={shape_a} and {name_b}.shape={shape_b}"
        )


def require_nonempty(name: str, value: Sized) -> None:
    """Raise ValueError if ``value`` has no elements."""
    if len(value) == 0:
        raise ValueError(f"{name} must not be empty, got a sequence of length 0")


def require_probabilities(name: str, probs: np.ndarray, axis: int = -1) -> np.ndarray:
    """Check a probability vector (or a batch of them along ``axis``).

    Entries must lie in [0, 1] and sum to 1 within :data:`PROBABILITY_TOLERANCE`.
    Returns the probabilities as a float array.
    """
    array = np.asarray(probs, dtype=float)
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {array.tolist()!r}")
    if np.any(array < 0):
        raise ValueError(f"{name} must be >= 0, got a negative entry {float(array.min())!r}")
    totals = array.sum(axis=axis)
    worst = float(np.max(np.abs(totals - 1.0)))
    if worst > PROBABILITY_TOLERANCE:
        total = float(np.ravel(totals)[np.argmax(np.abs(np.ravel(totals) - 1.0))])
        raise ValueError(
            f"{name} must sum to 1 (within {PROBABILITY_TOLERANCE:g}) along axis {axis}, got a sum of {total!r}"
        )
    return array
