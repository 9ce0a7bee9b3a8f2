"""A count-based bigram language model: ``P(x_n | x_<n)`` approximated by ``P(x_n | x_{n-1})``.

It is the smallest model that can drive the autoregressive loop of
:func:`diffusion_vs_llms.sampling.generate`, and a baseline for real language models.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .validation import as_int_array, require_int_in_range, require_positive


class BigramModel:
    """Next-token probabilities from counts of adjacent token pairs, with add-``smoothing``.

    ``token_ids`` is a non-empty 1-D sequence of integer ids in ``[0, vocab_size - 1]``;
    ``smoothing > 0`` is added to every count.

    Attributes:
        probs: shape ``(|𝒱|, |𝒱|)``; ``probs[a, b] = P(next = b | previous = a)``, rows sum to 1.
    """

    def __init__(self, token_ids: Sequence[int], vocab_size: int, smoothing: float = 1.0) -> None:
        vocab_size = require_int_in_range("vocab_size", vocab_size, 1)
        ids = as_int_array("token_ids", token_ids, ndim=1, low=0, high=vocab_size - 1)
        smoothing = require_positive("smoothing", smoothing)
        counts = np.full((vocab_size, vocab_size), smoothing)
        np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
        self.probs = counts / counts.sum(axis=1, keepdims=True)

    @property
    def vocab_size(self) -> int:
        """Number of tokens ``|𝒱|``."""
        return int(self.probs.shape[0])

    def next_token_probs(self, context: Sequence[int]) -> np.ndarray:
        """Shape ``(|𝒱|,)``: the distribution of the token after ``context`` (only its last token matters).

        ``context`` is a non-empty 1-D sequence of integer ids in ``[0, |𝒱| - 1]``.
        """
        ids = as_int_array("context", context, ndim=1, low=0, high=self.vocab_size - 1)
        return self.probs[int(ids[-1])]

    def logits(self, context: Sequence[int]) -> np.ndarray:
        """Shape ``(|𝒱|,)``: log-probabilities, usable as logits by the samplers."""
        return np.log(self.next_token_probs(context))
