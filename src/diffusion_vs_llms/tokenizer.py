"""A tiny byte-pair-encoding (BPE) tokenizer (Sennrich et al., 2016).

Training starts from the single characters of the training text and repeatedly merges the
most frequent adjacent pair into a new token. Token ids number the base symbols first and
then the merges in the order they were learned (GPT-2's convention).

Unlike a byte-level BPE (GPT-2 starts from all 256 byte values, so any text encodes), this
toy's base symbols are only the characters it saw in training: :meth:`BPETokenizer.encode`
raises ``ValueError`` on a character it has never seen. Real LLM tokenizers learn tens of
thousands of merges; this one is small enough to read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .validation import as_int_array, require_int_in_range, require_nonempty, require_text


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

    def __post_init__(self) -> None:
        if not isinstance(self.vocabulary, tuple) or not all(isinstance(t, str) and t for t in self.vocabulary):
            raise ValueError(f"vocabulary must be a tuple of non-empty strings, got {self.vocabulary!r:.80}")
        require_nonempty("vocabulary", self.vocabulary)
        known = set(self.vocabulary)
        if len(known) != len(self.vocabulary):
            # two ids for one string: encode would always pick the first and decode could not round-trip
            twice = next(t for i, t in enumerate(self.vocabulary) if t in self.vocabulary[:i])
            raise ValueError(f"vocabulary must not repeat a token, got {twice!r} at two ids")
        if not isinstance(self.merges, tuple) or not all(
            isinstance(m, tuple) and len(m) == 2 and m[0] in known and m[1] in known and m[0] + m[1] in known
            for m in self.merges
        ):
            raise ValueError(
                f"merges must be a tuple of pairs of vocabulary tokens whose join is in the vocabulary, "
                f"got {self.merges!r:.80}"
            )

    @classmethod
    def train(cls, text: str, num_merges: int) -> BPETokenizer:
        """Learn up to ``num_merges`` merges from the non-empty string ``text`` (ties broken by first occurrence)."""
        require_text("text", text)
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
        """Split the string ``text`` into token strings by replaying the merges in order.

        Raises ``ValueError`` naming the characters of ``text`` that never occurred in the training text.
        """
        require_text("text", text)
        unknown = sorted(set(text) - set(self.vocabulary))
        if unknown:
            raise ValueError(f"text contains characters not seen in training: {unknown!r}")
        symbols = list(text)
        for pair in self.merges:
            symbols = _merge(symbols, pair)
        return symbols

    def encode(self, text: str) -> list[int]:
        """Token ids of the string ``text``: integers in ``[0, len(vocabulary))``.

        Raises ``ValueError`` if ``text`` contains a character the tokenizer has never seen.
        """
        index = {token: i for i, token in enumerate(self.vocabulary)}
        return [index[token] for token in self.tokenize(text)]

    def decode(self, ids: list[int]) -> str:
        """Text of a 1-D sequence of integer token ids; ``decode(encode(text)) == text``."""
        checked = as_int_array("ids", ids, ndim=1, low=0, high=len(self.vocabulary) - 1, allow_empty=True)
        return "".join(self.vocabulary[i] for i in checked)
