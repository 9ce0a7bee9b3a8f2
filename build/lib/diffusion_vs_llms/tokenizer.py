"""A tiny byte-pair-encoding (BPE) tokenizer (Sennrich et al., 2016).

Training starts from single characters and repeatedly merges the most frequent
adjacent pair into a new token. Real LLM tokenizers work the same way on bytes
with tens of thousands of merges; this one is small enough to read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .validation import require_int_in_range, require_nonempty


def _merge(symbols: list[str], pair: tuple[str, str]) -> list[str]:
    merged: list[str] = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            merged.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return merged


@dataclass(frozen=True)
class BPETokenizer:
    """A trained tokenizer.

    Attributes:
        vocabulary: token strings; a token's id is its index.
        merges: the learned merges, in the order they are applied.
    """

    vocabulary: tuple[str, ...]
    merges: tuple[tuple[str, str], ...]

    @classmethod
    def train(cls, text: str, num_merges: int) -> BPETokenizer:
        """Learn up to ``num_merges`` merges from ``text`` (ties broken by first occurrence)."""
        require_nonempty("text", text)
        num_merges = require_int_in_range("num_merges", num_merges, 0)
        vocabulary = list(dict.fromkeys(sorted(set(text))))
        symbols = list(text)
        merges: list[tuple[str, str]] = []
        for _ in range(num_merges):
            pairs = Counter(pairwise(symbols))
            if not pairs:
                break
            best, count = max(pairs.items(), key=lambda item: item[1])
            if count < 2:
                break
            merges.append(best)
            vocabulary.append(best[0] + best[1])
            symbols = _merge(symbols, best)
        return cls(tuple(vocabulary), tuple(merges))

    def tokenize(self, text: str) -> list[str]:
        """Split ``text`` into token strings by replaying the merges in order."""
        unknown = sorted(set(text) - set(self.vocabulary))
        if unknown:
            raise ValueError(f"text contains characters not seen in training: {unknown!r}")
        symbols = list(text)
        for pair in self.merges:
            symbols = _merge(symbols, pair)
        return symbols

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``: integers in ``[0, len(vocabulary))``."""
        index = {token: i for i, token in enumerate(self.vocabulary)}
        return [index[token] for token in self.tokenize(text)]

    def decode(self, ids: list[int]) -> str:
        """Text of a list of token ids; ``decode(encode(text)) == text``."""
        size = len(self.vocabulary)
        for position, token_id in enumerate(ids):
            if not 0 <= token_id < size:
                raise ValueError(f"ids[{position}] must be in [0, {size - 1}], got {token_id}")
        return "".join(self.vocabulary[i] for i in ids)
