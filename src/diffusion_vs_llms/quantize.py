"""Vector quantization: how an image becomes discrete tokens (VQ-VAE, van den Oord et al., 2017).

An encoder turns an image into a grid of vectors; each vector is replaced by the nearest entry of a
learned *codebook*, and the entry's index is the token. The decoder rebuilds the image from the
codebook entries. Here the encoder is the identity on small patches and the codebook is learned by
k-means (Lloyd's algorithm), which minimizes the same squared error as VQ-VAE's codebook loss.
"""

from __future__ import annotations

import numpy as np

from .validation import as_int_array, as_real_array, require_int_in_range, require_rng


def _vectors(name: str, value: np.ndarray) -> np.ndarray:
    return as_real_array(name, value, ndim=2)


def nearest_code(vectors: np.ndarray, codebook: np.ndarray) -> np.ndarray:
    """The token of each vector: the index of the nearest codebook row (the first, on a tie).

    ``vectors`` has shape ``(n, d)`` and ``codebook`` ``(K, d)``, both finite and not empty;
    returns integers in ``[0, K)``, shape ``(n,)``.
    """
    vectors, codebook = _vectors("vectors", vectors), _vectors("codebook", codebook)
    if vectors.shape[1] != codebook.shape[1]:
        raise ValueError(
            f"vectors and codebook must have the same width d, got vectors of shape {vectors.shape} "
            f"and codebook of shape {codebook.shape}"
        )
    distances = np.sum((vectors[:, None, :] - codebook[None, :, :]) ** 2, axis=2)
    return distances.argmin(axis=1)


def decode_tokens(tokens: np.ndarray, codebook: np.ndarray) -> np.ndarray:
    """The codebook rows of ``tokens`` (integers in ``[0, K)``, shape ``(n,)``): shape ``(n, d)``."""
    codebook = _vectors("codebook", codebook)
    tokens = as_int_array("tokens", tokens, ndim=1, low=0, high=len(codebook) - 1)
    return codebook[tokens]


def fit_codebook(vectors: np.ndarray, size: int, rng: np.random.Generator, iterations: int = 20) -> np.ndarray:
    """Learn a codebook of ``size`` rows for ``vectors`` (shape ``(n, d)``, ``n >= size``) by k-means.

    Starts from ``size`` distinct vectors drawn with ``rng`` and runs ``iterations`` rounds of
    Lloyd's algorithm (assign each vector to its nearest row, move each row to the mean of its
    vectors; a row with no vectors stays where it is). Returns shape ``(size, d)``. The squared
    error of :func:`nearest_code` never increases from one round to the next.
    """
    vectors = _vectors("vectors", vectors)
    size = require_int_in_range("size", size, 1, len(vectors))
    rng = require_rng("rng", rng)
    iterations = require_int_in_range("iterations", iterations, 0)
    codebook = vectors[rng.choice(len(vectors), size=size, replace=False)].copy()
    for _ in range(iterations):
        tokens = nearest_code(vectors, codebook)
        for k in range(size):
            members = vectors[tokens == k]
            if len(members):
                codebook[k] = members.mean(axis=0)
    return codebook
