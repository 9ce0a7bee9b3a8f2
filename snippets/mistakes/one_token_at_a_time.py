"""Mistake 2: an LLM does not produce a paragraph at once; it produces one
token per model call.

A bigram model over word tokens stands in for the LLM (real LLMs use subword
tokens; the loop is the same). It only ever returns scores (logits) for the
next token. The script records every call, checks that the first call sees only
the prompt (that pass already gives the first new token) and each later call
the previous context plus the token just chosen, and shows that changing one
token changes what follows: the rest of the text was not decided in advance.
"""

import numpy as np

from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.sampling import generate

TEXT = (
    "the model reads the prompt . the model predicts the next token . "
    "the token is added to the prompt . "
    "then the model reads the new prompt and predicts the next token again ."
)
# 15 word tokens; a token's id is its index here
vocabulary = sorted(set(TEXT.split()))
bigram = BigramModel(
    [vocabulary.index(w) for w in TEXT.split()],
    len(vocabulary),
    smoothing=0.001,
)


def encode(text: str) -> list[int]:
    return [vocabulary.index(word) for word in text.split()]


def decode(ids: list[int]) -> str:
    return " ".join(vocabulary[i] for i in ids)


class RecordingModel:
    """The 'LLM': one logit per vocabulary entry, for the next token only; it
    records every context it is shown.
    """

    def __init__(self) -> None:
        self.seen: list[list[int]] = []

    def __call__(self, context: list[int]) -> np.ndarray:
        self.seen.append(list(context))
        return bigram.logits(context)


prompt = encode("the model")
model = RecordingModel()
run = generate(model, prompt, max_new_tokens=12, rng=np.random.default_rng(0))
assert decode(run.tokens) == (
    "the model reads the model predicts the token again . the token is added"
)

# 12 tokens, 12 calls
assert len(model.seen) == run.model_calls == len(run.new_tokens) == 12
# the first call sees only the prompt ...
assert model.seen[0] == prompt
for context, next_context, token in zip(
    model.seen, model.seen[1:], run.new_tokens, strict=False
):
    # ... every later call sees the previous context plus one token
    assert next_context == [*context, token]
# contexts of 2 to 13 tokens
assert [len(context) for context in model.seen] == list(range(2, 14))
assert len(model.seen[-1]) == 13
# one call: scores for the next token, nothing more
assert bigram.logits(prompt).shape == (len(vocabulary),) == (15,)

# Greedy decoding; then swap the 3rd generated token and let the model carry on
# from there
greedy = generate(bigram.logits, prompt, max_new_tokens=12)
assert decode(greedy.tokens) == (
    "the model reads the model reads the model reads the model reads the model"
)
edited_prefix = greedy.tokens[:4] + encode("prompt")
edited = generate(bigram.logits, edited_prefix, max_new_tokens=9)
assert decode(edited.tokens) == (
    "the model reads the prompt . the model reads the model reads the model"
)
# everything before the change stays as it was
assert edited.tokens[:4] == greedy.tokens[:4]
# what comes after is computed again from the new context
assert edited.tokens[4:6] != greedy.tokens[4:6]
