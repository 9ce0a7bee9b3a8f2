"""Autoregressive generation with a character bigram model: one model call per
new token.

A bigram model predicts the next character from the previous one only, so it is
far weaker than an LLM, but it plugs into the same loop: compute the next-token
distribution from the context, pick a token (greedily or by sampling at a
temperature τ), append it, repeat.
"""

import numpy as np

from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.sampling import generate

CORPUS = (
    "a diffusion model removes noise from an image step by step. "
    "a language model predicts the next token from the tokens before it. "
    "the model generates text one token at a time "
    "and adds each token to its context. "
    "the diffusion model refines the whole image at every step. "
)
# character-level tokens
vocabulary = sorted(set(CORPUS))
stoi = {ch: i for i, ch in enumerate(vocabulary)}


def encode(text: str) -> list[int]:
    return [stoi[ch] for ch in text]


def decode(ids: list[int]) -> str:
    return "".join(vocabulary[i] for i in ids)


class CountingModel:
    """The language model the loop calls: logits of the next token given the
    context.
    """

    def __init__(self, bigram: BigramModel) -> None:
        self.bigram = bigram
        self.calls = 0

    def __call__(self, context: list[int]) -> np.ndarray:
        self.calls += 1
        return self.bigram.logits(context)


bigram = BigramModel(encode(CORPUS), vocab_size=len(vocabulary), smoothing=0.1)
prompt = encode("the ")
new_tokens = 40


def mean_log_prob(tokens: list[int]) -> float:
    """Average log-probability per generated token under the bigram model."""
    positions = range(len(prompt), len(tokens))
    return float(
        np.mean(
            [np.log(bigram.probs[tokens[n - 1], tokens[n]]) for n in positions]
        )
    )


# Greedy decoding, with the growing context shown for the first steps
model = CountingModel(bigram)
greedy_run = generate(model, prompt, new_tokens)
for step, context in enumerate(greedy_run.contexts[:5], start=1):
    print(
        f"step {step}: context {decode(context)!r:<10} -> next "
        f"{decode([greedy_run.new_tokens[step - 1]])!r}"
    )
print(f"greedy : {decode(greedy_run.tokens)!r}")
# one model call per new token; the first call reads the prompt (prefill) and
# already gives the first new token
assert model.calls == greedy_run.model_calls == new_tokens
assert [len(c) for c in greedy_run.contexts] == list(
    range(len(prompt), len(prompt) + new_tokens)
)

# Greedy decoding is deterministic; a bigram's choice depends on one character
# only, so it loops
assert generate(bigram.logits, prompt, new_tokens).tokens == greedy_run.tokens
text = decode(greedy_run.new_tokens)
# the output repeats itself
assert text[20:30] in text[:20]

# Sampling at two temperatures (seeded, so the runs are reproducible)
scores = {}
for temperature in (0.5, 1.5):
    model = CountingModel(bigram)
    run = generate(
        model,
        prompt,
        new_tokens,
        rng=np.random.default_rng(0),
        temperature=temperature,
    )
    scores[temperature] = mean_log_prob(run.tokens)
    print(
        f"temperature {temperature}: {decode(run.tokens)!r}  "
        f"mean log-prob {scores[temperature]:.2f}"
    )
    assert model.calls == run.model_calls == len(run.new_tokens) == new_tokens
    # the prompt is kept, new tokens are appended
    assert run.tokens[: len(prompt)] == prompt

# Here the greedy text scores highest, and the low temperature beats the
# high one
assert mean_log_prob(greedy_run.tokens) > scores[0.5] > scores[1.5]
