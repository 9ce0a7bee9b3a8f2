"""Scaled dot-product attention (Vaswani et al., 2017), the causal mask, a KV cache, and keys and values
shared by groups of heads (grouped-query attention, Ainslie et al., 2023) with the memory they save,
and rotary position embedding (RoPE, Su et al., 2021).

``Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V``, in the row-vector convention: each row of
``Q``, ``K`` and ``V`` is one position (``Q = X W_Q``, ``K = X W_K``, ``V = X W_V``).
"""

from __future__ import annotations

import numpy as np

from .probability import _softmax
from .validation import (
    as_real_array,
    require_bool,
    require_finite_real,
    require_int_in_range,
    require_number_in_interval,
)


def causal_mask(n: int) -> np.ndarray:
    """Shape ``(n, n)`` booleans: ``mask[i, j]`` is True where position ``i`` may attend to ``j <= i``."""
    n = require_int_in_range("n", n, 1)
    return np.tril(np.ones((n, n), dtype=bool))


def scaled_dot_product_attention(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Attention of every query over all keys.

    Args:
        q: queries, shape ``(..., n_q, d_k)``, finite.
        k: keys, shape ``(..., n_k, d_k)``, finite.
        v: values, shape ``(..., n_k, d_v)``, finite.
        causal: if True, query ``i`` sees only keys ``j <= i + (n_k - n_q)``
            (the last query is aligned with the last key, as when a KV cache holds the past).

    The leading ``...`` dimensions (batch, heads) must broadcast against each other, and
    ``n_q``, ``n_k``, ``d_k`` and ``d_v`` must all be at least 1.

    Returns:
        ``(output, weights)``: output ``(..., n_q, d_v)``; weights ``(..., n_q, n_k)``,
        each row a probability distribution over the keys.
    """
    q, k, v = (as_real_array(name, a, allow_empty=True) for name, a in (("q", q), ("k", k), ("v", v)))
    causal = require_bool("causal", causal)
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise ValueError(
            f"q, k and v must have at least 2 dimensions, got q.shape={q.shape}, k.shape={k.shape}, v.shape={v.shape}"
        )
    for name, array, what in (("q", q, "(..., n_q, d_k)"), ("k", k, "(..., n_k, d_k)"), ("v", v, "(..., n_k, d_v)")):
        if 0 in array.shape:
            raise ValueError(f"{name} must have shape {what} with every size >= 1, got {name}.shape={array.shape}")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must have the same last dimension d_k, got q.shape={q.shape} and k.shape={k.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v must have the same number of positions, got k.shape={k.shape} and v.shape={v.shape}")
    try:
        np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            "q, k and v must have leading (batch) dimensions that broadcast together, "
            f"got q.shape={q.shape}, k.shape={k.shape}, v.shape={v.shape}"
        ) from None
    if causal and q.shape[-2] > k.shape[-2]:
        raise ValueError(f"causal attention needs n_q <= n_k, got q.shape={q.shape} and k.shape={k.shape}")
    return _attention(q, k, v, causal)


def _attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool) -> tuple[np.ndarray, np.ndarray]:
    """:func:`scaled_dot_product_attention` of arguments it has already checked."""
    n_q, n_k, d_k = q.shape[-2], k.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    if causal:
        allowed = np.tril(np.ones((n_q, n_k), dtype=bool), k=n_k - n_q)
        scores = np.where(allowed, scores, -np.inf)
    weights = _softmax(scores, axis=-1)  # every row keeps at least one finite score
    return weights @ v, weights


def grouped_query_attention(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Attention of ``h`` query heads over ``g`` key/value heads (Ainslie et al., 2023): query heads
    ``j * h/g`` to ``(j + 1) * h/g - 1`` all use key/value head ``j``. ``g = h`` is ordinary
    multi-head attention, ``g = 1`` multi-query attention (Shazeer, 2019).

    Args:
        q: queries, shape ``(..., h, n_q, d_k)``, finite.
        k: keys, shape ``(..., g, n_k, d_k)``, finite, with ``h`` a multiple of ``g``.
        v: values, shape ``(..., g, n_k, d_v)``, finite.
        causal: as in :func:`scaled_dot_product_attention`.

    Returns:
        ``(output, weights)`` of every query head: ``(..., h, n_q, d_v)`` and ``(..., h, n_q, n_k)``.
    """
    q, k, v = (as_real_array(name, a, allow_empty=True) for name, a in (("q", q), ("k", k), ("v", v)))
    if q.ndim < 3 or k.ndim < 3 or v.ndim < 3:
        raise ValueError(
            "q, k and v must have a head dimension before positions and width, (..., heads, n, d), "
            f"got q.shape={q.shape}, k.shape={k.shape}, v.shape={v.shape}"
        )
    h, g = q.shape[-3], k.shape[-3]
    if v.shape[-3] != g:
        raise ValueError(f"k and v must have the same number of heads, got k.shape={k.shape} and v.shape={v.shape}")
    if g == 0 or h % g:
        raise ValueError(
            f"the {h} heads of q must split into equal groups over the {g} heads of k and v, "
            f"got q.shape={q.shape} and k.shape={k.shape}"
        )
    repeat = h // g  # each key/value head serves this many query heads
    return scaled_dot_product_attention(q, np.repeat(k, repeat, axis=-3), np.repeat(v, repeat, axis=-3), causal)


def kv_cache_bytes(layers: int, kv_heads: int, head_dim: int, tokens: int, bytes_per_number: int = 2) -> int:
    """Memory of a KV cache: one key and one value of ``head_dim`` numbers for every key/value head,
    layer and token, ``2 * layers * kv_heads * head_dim * tokens * bytes_per_number`` bytes
    (``bytes_per_number=2`` for 16-bit numbers). Every argument is an integer >= 1."""
    sizes = {"layers": layers, "kv_heads": kv_heads, "head_dim": head_dim, "tokens": tokens}
    sizes |= {"bytes_per_number": bytes_per_number}
    checked = [require_int_in_range(name, value, 1) for name, value in sizes.items()]
    return 2 * int(np.prod(checked, dtype=object))


class KVCache:
    """Keys and values of the tokens seen so far, so each new token costs one query.

    Without a cache, generating token ``n`` recomputes keys and values for all ``n``
    previous positions; with it, each step appends one key and one value.
    """

    def __init__(self, d_k: int, d_v: int) -> None:
        self.d_k = require_int_in_range("d_k", d_k, 1)
        self.d_v = require_int_in_range("d_v", d_v, 1)
        self.keys = np.empty((0, self.d_k))
        self.values = np.empty((0, self.d_v))

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    def append(self, k: np.ndarray, v: np.ndarray) -> None:
        """Add one position: finite ``k`` of shape ``(d_k,)`` and ``v`` of shape ``(d_v,)``."""
        k, v = as_real_array("k", k, allow_empty=True), as_real_array("v", v, allow_empty=True)
        if k.shape != (self.d_k,) or v.shape != (self.d_v,):
            raise ValueError(
                f"k and v must have shapes ({self.d_k},) and ({self.d_v},), got k.shape={k.shape} and v.shape={v.shape}"
            )
        self.keys = np.vstack([self.keys, k])
        self.values = np.vstack([self.values, v])

    def attend(self, q: np.ndarray) -> np.ndarray:
        """Attention output, shape ``(d_v,)``, of one finite query ``q`` (shape ``(d_k,)``) over the cache."""
        q = as_real_array("q", q, allow_empty=True)
        if q.shape != (self.d_k,):
            raise ValueError(f"q must have shape ({self.d_k},), got q.shape={q.shape}")
        if len(self) == 0:
            raise ValueError("the KV cache must not be empty: append a key and a value first, got 0 positions")
        out, _ = scaled_dot_product_attention(q[None, :], self.keys, self.values)
        return out[0]


def rope(x: np.ndarray, position: float, base: float = 10_000.0) -> np.ndarray:
    """RoPE (Su et al., 2021): the coordinate pairs ``(x_1, x_2), (x_3, x_4), ...`` of a query or key
    ``x`` rotated by ``position`` times each pair's frequency ``base ** (-2i / d)``, ``i = 0 … d/2 - 1``.

    Rotations keep the length, and ``rope(q, m) @ rope(k, n)`` depends on the positions only through
    ``m - n``. ``position`` may be fractional, as position interpolation makes it (Chen et al., 2023).

    Args:
        x: one vector of even width ``d >= 2``, finite.
        position: the token's position, a finite real number.
        base: ``> 1``; sets the slowest frequency, ``base ** (-(d - 2) / d)``.
    """
    x = as_real_array("x", x, ndim=1)
    if x.size % 2:
        raise ValueError(f"x must have an even width (coordinate pairs), got {x.size}")
    position = require_finite_real("position", position)
    base = require_number_in_interval("base", base, 1.0, np.inf, low_closed=False, high_closed=False)
    frequencies = base ** (-np.arange(0, x.size, 2) / x.size)
    cos, sin = np.cos(position * frequencies), np.sin(position * frequencies)
    rotated = np.empty_like(x)
    rotated[0::2] = x[0::2] * cos - x[1::2] * sin
    rotated[1::2] = x[0::2] * sin + x[1::2] * cos
    return rotated
