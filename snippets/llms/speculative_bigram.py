"""Speculative decoding with a language model: the large model a character
bigram model of the guide's prose, the draft model the characters' overall
frequencies. Checks that the text follows the large model and measures the
tokens each pass of the large model yields.
"""

import numpy as np

from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.sampling import expected_tokens_per_pass
from diffusion_vs_llms.tiny_lm import load_corpus

# the guide's prose, as character ids
corpus = load_corpus()
V = len(corpus.vocabulary)
# large model: p(next | previous character), one row per previous character
p = BigramModel(corpus.train, V, smoothing=0.01).probs
# draft model: how often each character occurs, whatever came before
q = np.bincount(corpus.train, minlength=V) + 0.01
q /= q.sum()
rng = np.random.default_rng(0)
g, passes = 4, 10_000
previous, pairs = corpus.encode(" ")[0], []
for _ in range(passes):
    for _ in range(g):
        x = rng.choice(V, p=q)
        kept = rng.random() < min(1.0, p[previous, x] / q[x])
        # replaced from the remainder; the pass ends
        if not kept:
            rest = np.maximum(p[previous] - q, 0.0)
            x = rng.choice(V, p=rest / rest.sum())
        pairs.append((previous, x))
        previous = x
        if not kept:
            break
    # all g kept: the pass gives the next token too
    else:
        x = rng.choice(V, p=p[previous])
        pairs.append((previous, x))
        previous = x

pairs = np.array(pairs)
# tokens after each character
seen = np.bincount(pairs[:, 0], minlength=V)
# the three most frequent contexts
for c in np.argsort(-seen)[:3]:
    n = seen[c]
    f = np.bincount(pairs[pairs[:, 0] == c, 1], minlength=V) / n
    # one standard error of sampling
    error = np.sqrt(p[c] * (1 - p[c]) / n)
    # follows p
    assert np.all(np.abs(f - p[c]) <= 4 * error + 1 / n)

# per previous character
acceptance = np.minimum(p, q).sum(axis=1)
average = (seen * acceptance).sum() / seen.sum()
measured = len(pairs) / passes
formula = expected_tokens_per_pass(average, g)
assert round(average, 2) == 0.55
assert round(measured, 2) == 2.09 and round(formula, 2) == 2.10

print(f"tokens per pass: {measured:.2f} measured, {formula:.2f} by formula")
print(f"average acceptance: {average:.2f}")
