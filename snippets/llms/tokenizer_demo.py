"""Byte-pair encoding in action: train a tiny BPE tokenizer and watch a
sentence get shorter.

Training starts from single characters and repeatedly merges the most frequent
adjacent pair into a new token (Sennrich et al., 2016). The script prints the
first merges, tokenizes a sentence with more and more merges, and checks that
decoding gives back the exact text. The sentence's words are new but its
characters all occur in the training text: this toy has no id for a character
it never saw (byte-level BPE, as in GPT-2, has one for every byte).
"""

from itertools import pairwise

from diffusion_vs_llms.tokenizer import BPETokenizer

TEXT = (
    "the model predicts the next token. "
    "the model adds the token to the context. "
    "then the model predicts the next token again. "
    "a token can be a word, a part of a word or a symbol. "
    "the tokenizer turns the text into tokens and the tokens into numbers. "
)
# "reads" and "contexts" never occur in TEXT
SENTENCE = "the model reads the contexts."

tokenizer = BPETokenizer.train(TEXT, num_merges=30)
for rank, (left, right) in enumerate(tokenizer.merges[:6], start=1):
    print(f"merge {rank}: {left!r} + {right!r} -> {left + right!r}")

counts = []
for num_merges in (0, 5, 10, 20, 30):
    bpe = BPETokenizer.train(TEXT, num_merges)
    ids = bpe.encode(SENTENCE)
    # lossless: the ids decode to the exact text
    assert bpe.decode(ids) == SENTENCE
    # every id indexes the vocabulary
    assert all(0 <= i < len(bpe.vocabulary) for i in ids)
    counts.append(len(ids))
    print(
        f"{num_merges:>2} merges, vocabulary {len(bpe.vocabulary)}: "
        f"{len(ids):>2} tokens {bpe.tokenize(SENTENCE)}"
    )

print("token ids:", tokenizer.encode(SENTENCE))

# the first merges join the most frequent pairs of this text
assert tokenizer.merges[:3] == ((" ", "t"), ("h", "e"), (" t", "he"))
# a merge only ever joins tokens, so the count never grows as merges
# are learned
assert all(later <= earlier for earlier, later in pairwise(counts))
# one token per character without merges, 16 tokens after 20
assert counts == [29, 25, 23, 16, 16]
# 26 distinct characters plus one token per merge
assert len(tokenizer.vocabulary) == 26 + 30 == 56
# GPT-2's id order: the base symbols first (here the sorted characters), then
# one id per merge, in order
assert tokenizer.vocabulary[:26] == tuple(sorted(set(TEXT)))
assert tokenizer.vocabulary[26:] == tuple(
    left + right for left, right in tokenizer.merges
)
# the unseen word "reads" falls back to single characters: every character of
# it occurs in TEXT
assert tokenizer.tokenize(" reads") == [" ", "r", "e", "a", "d", "s"]
# the unseen word "contexts" is spelled from learned pieces of "context"
# plus "s"
assert tokenizer.tokenize("contexts") == ["c", "o", "nt", "ext", "s"]
# merges may cross spaces in this toy, so "model " (with its space) became a
# single token
assert "model " in tokenizer.tokenize(SENTENCE)
