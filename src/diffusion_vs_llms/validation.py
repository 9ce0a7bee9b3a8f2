"""Argument checks shared by the numerics.

Every check raises :class:`ValueError` with a message that names the argument as the
caller wrote it, the expected range and the value received, for example::

    temperature must be > 0, got 0.0
    x0 must be finite, got nan at index (0,)
    tokens[0, 1] must be in [0, 64], got -1

Public functions call these checks on their own arguments, with their own parameter
names, before doing any arithmetic: no function lets NaN, infinity, a wrong shape or a
wrong dtype through to return a plausible-looking wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Sized

import numpy as np

PROBABILITY_TOLERANCE = 1e-6
"""How far a probability vector may sum away from 1 before it is rejected."""


def describe(value: object, limit: int = 80) -> str:
    """A short ``repr`` of ``value`` for an error message (long arrays are cut)."""
    if isinstance(value, np.ndarray):
        text = f"array(shape={value.shape}, dtype={value.dtype})" if value.size > 8 else repr(value.tolist())
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_real_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


# --- scalars -----------------------------------------------------------------------------------


def require_real(name: str, value: float) -> float:
    """Return ``value`` as a float if it is a real number (an int or a float, not a bool, string,
    complex number or array with more than one entry); infinities and NaN pass, see
    :func:`require_finite_real`."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iuf":
        value = value.item()
    if not _is_real_number(value):
        raise ValueError(f"{name} must be a real number, got {describe(value)}")
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a finite real number, got {describe(value)}") from None


def require_finite_real(name: str, value: float) -> float:
    """Return ``value`` as a float if it is a finite real number."""
    number = require_real(name, value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number!r}")
    return number


def require_positive(name: str, value: float) -> float:
    """Return ``value`` as a float if it is finite and > 0, else raise ValueError."""
    number = require_real(name, value)
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be > 0, got {number!r}")
    return number


def require_nonnegative(name: str, value: float) -> float:
    """Return ``value`` as a float if it is finite and >= 0, else raise ValueError."""
    number = require_real(name, value)
    if not np.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be >= 0 and finite, got {number!r}")
    return number


def _interval(low: float, high: float, low_closed: bool, high_closed: bool) -> str:
    return f"{'[' if low_closed else '('}{low:g}, {high:g}{']' if high_closed else ')'}"


def require_number_in_interval(
    name: str, value: float, low: float, high: float, *, low_closed: bool, high_closed: bool
) -> float:
    """Return ``value`` as a float if it is a real number in the interval, for example
    ``alpha_bar_t must be in (0, 1], got 1.5``. NaN is never inside."""
    number = require_real(name, value)
    above_low = number >= low if low_closed else number > low
    below_high = number <= high if high_closed else number < high
    if not (above_low and below_high and not np.isnan(number)):
        raise ValueError(f"{name} must be in {_interval(low, high, low_closed, high_closed)}, got {number!r}")
    return number


def require_int_in_range(name: str, value: int, low: int, high: int | None = None) -> int:
    """Return ``value`` if it is an integer in ``[low, high]`` (``high=None``: no upper bound)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {describe(value)}")
    value = int(value)
    if value < low or (high is not None and value > high):
        expected = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {expected}, got {value}")
    return value


def require_bool(name: str, value: bool) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (not a truthy string or number)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def require_rng(name: str, value: np.random.Generator) -> np.random.Generator:
    """Return ``value`` if it is a :class:`numpy.random.Generator` (``np.random.default_rng(seed)``)."""
    if not isinstance(value, np.random.Generator):
        raise ValueError(f"{name} must be a numpy Generator such as np.random.default_rng(0), got {describe(value)}")
    return value


def require_callable(name: str, value: Callable) -> Callable:
    """Return ``value`` if it can be called."""
    if not callable(value):
        raise ValueError(f"{name} must be callable, got {describe(value)}")
    return value


def require_instance(name: str, value: object, kind: type | tuple[type, ...], expected: str) -> object:
    """Return ``value`` if it is an instance of ``kind``; ``expected`` says what that is in words."""
    if not isinstance(value, kind):
        raise ValueError(f"{name} must be {expected}, got {describe(value)}")
    return value


def require_text(name: str, value: str) -> str:
    """Return ``value`` if it is a string."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {describe(value)}")
    return value


def require_shape(name: str, value: int | Sequence[int]) -> tuple[int, ...]:
    """An array shape: an integer or a sequence of integers, each ``>= 1``; returned as a tuple."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        value = (value,)
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) == 0:
        raise ValueError(f"{name} must be a non-empty tuple of sizes >= 1, got {describe(value)}")
    return tuple(require_int_in_range(f"{name}[{i}]", size, 1) for i, size in enumerate(value))


# --- arrays ------------------------------------------------------------------------------------


def _first_index(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def as_real_array(
    name: str,
    value: object,
    *,
    ndim: int | tuple[int, ...] | None = None,
    allow_empty: bool = False,
    finite: bool = True,
    keep_float_dtype: bool = False,
) -> np.ndarray:
    """``value`` as an array of real numbers, checked.

    Args:
        name: the argument's name as the caller wrote it.
        value: anything ``np.asarray`` accepts; its dtype must be integer or floating point
            (not bool, string, complex or object).
        ndim: the allowed number of dimensions (one or a tuple of them); ``None``: any.
        allow_empty: whether an array without entries is accepted.
        finite: whether every entry must be finite (no NaN, no infinity).
        keep_float_dtype: keep a ``float32`` input in ``float32``; otherwise the result is ``float64``.
    """
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested lists
        raise ValueError(f"{name} must be an array of real numbers, got {describe(value)} ({error})") from None
    if array.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold real numbers (int or float), got dtype {array.dtype}: {describe(value)}")
    if not (keep_float_dtype and array.dtype.kind == "f"):
        array = array.astype(float)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if array.ndim not in allowed:
            expected = " or ".join(str(n) for n in allowed)
            raise ValueError(f"{name} must have {expected} dimension(s), got shape {array.shape}")
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if finite:
        bad = ~np.isfinite(array)
        if bad.any():
            index = _first_index(bad) if array.ndim else ()
            raise ValueError(f"{name} must be finite, got {array[index]!r} at index {index}")
    return array


def require_real_array_in_interval(
    name: str, value: object, low: float, high: float, *, low_closed: bool, high_closed: bool, ndim=None
) -> np.ndarray:
    """:func:`as_real_array` whose every entry lies in the interval; returns a float array."""
    array = as_real_array(name, value, ndim=ndim, finite=False)
    above_low = array >= low if low_closed else array > low
    below_high = array <= high if high_closed else array < high
    outside = ~(above_low & below_high)  # NaN compares False, so it is outside
    if outside.any():
        index = _first_index(outside) if array.ndim else ()
        where = f" at index {index}" if array.ndim else ""
        raise ValueError(
            f"{name} must be in {_interval(low, high, low_closed, high_closed)}, got {float(array[index])!r}{where}"
        )
    return array


def as_logits(name: str, value: object, *, axis: int = -1, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Logits as a float array: no NaN, no ``+inf``, and at least one finite entry along ``axis``.

    ``-inf`` is allowed and marks an impossible option. A row of only ``-inf`` has no possible
    option, so there is no distribution to return and it is rejected.
    """
    array = as_real_array(name, value, ndim=ndim, finite=False)
    if array.ndim == 0:
        raise ValueError(f"{name} must have at least 1 dimension (one entry per option), got a scalar {array!r}")
    axis = require_int_in_range("axis", axis, -array.ndim, array.ndim - 1)
    if array.shape[axis] == 0:
        raise ValueError(f"{name} must have at least one entry along axis {axis}, got shape {array.shape}")
    bad = np.isnan(array) | (array == np.inf)
    if bad.any():
        index = _first_index(bad)
        raise ValueError(f"{name} must be finite or -inf, got {array[index]!r} at index {index}")
    hopeless = ~np.any(np.isfinite(array), axis=axis)
    if np.any(hopeless):
        row = _first_index(np.atleast_1d(hopeless)) if hopeless.ndim else ()
        raise ValueError(
            f"{name} must have at least one finite entry along axis {axis} (all -inf leaves no possible option), "
            f"got all -inf" + (f" at index {row} of the other axes" if hopeless.ndim else "")
        )
    return array


def as_int_array(
    name: str,
    value: object,
    *,
    ndim: int | None = None,
    low: int | None = 0,
    high: int | None = None,
    allow_empty: bool = False,
) -> np.ndarray:
    """``value`` as an integer array (token ids, targets): integer dtype, every entry in ``[low, high]``.

    An out-of-range entry is named with its index, for example ``ids[3] must be in [0, 9], got 12``.
    """
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name} must be an array of integers, got {describe(value)} ({error})") from None
    if array.size == 0 and array.dtype.kind == "f":
        array = array.astype(int)  # [] becomes float64; an empty list of ids is still a list of ids
    if array.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}: {describe(value)}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    outside = np.zeros(array.shape, dtype=bool)
    if low is not None:
        outside |= array < low
    if high is not None:
        outside |= array > high
    if outside.any():
        index = _first_index(outside) if array.ndim else ()
        label = f"{name}[{', '.join(str(i) for i in index)}]" if index else name
        expected = f"in [{low}, {high}]" if low is not None and high is not None else f">= {low}"
        if low is None:
            expected = f"<= {high}"
        raise ValueError(f"{label} must be {expected}, got {int(array[index])}")
    return array.astype(np.int64, copy=False)


def require_same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Raise ValueError naming both arguments and shapes when their shapes differ."""
    shape_a, shape_b = np.shape(a), np.shape(b)
    if shape_a != shape_b:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {name_a}.shape={shape_a} and {name_b}.shape={shape_b}"
        )


def require_broadcasts_to(name: str, value: np.ndarray, target_name: str, target_shape: tuple[int, ...]) -> None:
    """Raise ValueError unless ``value`` broadcasts to ``target_shape`` (a scalar always does)."""
    try:
        shape = np.broadcast_shapes(np.shape(value), target_shape)
    except ValueError:
        shape = None
    if shape != tuple(target_shape):
        raise ValueError(
            f"{name} must be a number or an array that broadcasts to {target_name}.shape={tuple(target_shape)}, "
            f"got {name}.shape={np.shape(value)}"
        )


def require_nonempty(name: str, value: Sized) -> None:
    """Raise ValueError if ``value`` has no elements (or has no length at all)."""
    try:
        length = len(value)
    except TypeError:
        raise ValueError(f"{name} must be a sequence, got {describe(value)}") from None
    if length == 0:
        raise ValueError(f"{name} must not be empty, got a sequence of length 0")


def require_probabilities(name: str, probs: np.ndarray, axis: int = -1, *, ndim: int | None = None) -> np.ndarray:
    """Check a probability vector (or a batch of them along ``axis``).

    Entries must lie in [0, 1] and sum to 1 within :data:`PROBABILITY_TOLERANCE`.
    Returns the probabilities as a float array.
    """
    array = as_real_array(name, probs, ndim=ndim, finite=False)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {describe(array)}")
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


def require_params(name: str, value: object, keys: Sequence[str], made_by: str) -> Mapping[str, np.ndarray]:
    """A dict of parameter arrays holding at least ``keys`` (as made by the function ``made_by``)."""
    if not isinstance(value, Mapping) or any(key not in value for key in keys):
        raise ValueError(
            f"{name} must be the dict of arrays made by {made_by} (keys {', '.join(keys)}), got {describe(value)}"
        )
    return value
