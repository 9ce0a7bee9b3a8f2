"""A count-based bigram language model: ``P(x_t | x_<t)`` approximated by ``P(x_t | x_{t-1})``.

It is the smallest model that can drive the autoregressive loop of
:func:`diffusion_vs_llms.sampling.generate`, and a baseline for real language models.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .validation import require_int_in_range, require_nonempty, require_positive


class BigramModel:
    """Next-token probabilities from counts of adjacent token pairs, with add-``smoothing``.

    Attributes:
        probs: shape ``(V, V)``; ``probs[a, b] = P(next = b | previous = a)``, rows sum to 1.
    """

    def __init__(self, token_ids: Sequence[int], vocab_size: int, smoothing: float = 1.0) -> None:
        require_nonempty("token_ids", token_ids)
        vocab_size = require_int_in_range("vocab_size", vocab_size, 1)
        smoothing = require_positive("smoothing", smoothing)
        ids = np.asarray(token_ids)
        if ids.min() < 0 or ids.max() >= vocab_size:
            raise ValueError(f"token_ids must be in [0, {vocab_size - 1}], got {ids.min()}..{ids.max()}")
        counts = np.full((vocab_size, vocab_size), smoothing)
        np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
        self.probs = counts / counts.sum(axis=1, keepdims=True)

    @property
    def vocab_size(self) -> int:
        """Number of tokens ``V``."""
        return int(self.probs.shape[0])

    def next_token_probs(self, context: Sequence[int]) -> np.ndarray:
        """Shape ``(V,)``: the distribution of the token after ``context`` (only its last token matters)."""
        require_nonempty("context", context)
        last = require_int_in_range("context[-1]", int(context[-1]), 0, self.vocab_size - 1)
        return self.probs[last]

    def logits(self, context: Sequence[int]) -> np.ndarray:
        """Shape ``(V,)``: log-probabilities, usable as logits by the samplers."""
        return np.log(self.next_token_probs(context))
