"""How much key/value work a KV cache saves when an LLM generates 100 tokens.

Each generation step runs the model on the whole context. Without a cache, the
keys and values of every position are computed again at every step; with a
cache, each step computes them only for the newest position and reuses the
rest. The new query still attends to every cached key, so the attention itself
is unchanged, as the last check shows.
"""

import numpy as np

from diffusion_vs_llms.attention import KVCache, scaled_dot_product_attention
from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.sampling import generate

# A toy model drives the real generation loop: a 1-token prompt and 100 new
# tokens.
model = BigramModel([0, 1, 2, 3, 1, 0, 2], vocab_size=4)
run = generate(model.logits, prompt=[0], max_new_tokens=100)
context_lengths = [len(context) for context in run.contexts]
assert run.model_calls == 100 and context_lengths == list(range(1, 101))

# every position's key and value, recomputed at every step
without_cache = sum(context_lengths)
# one new key and value per step
with_cache = len(context_lengths)
# 1 + 2 + ... + 100 = 100 * 101 / 2
assert without_cache == 5050
assert with_cache == 100

# The cache changes the cost, not the result: the newest query sees the same
# keys and values.
rng = np.random.default_rng(0)
n, d_k, d_v = 6, 8, 4
q, k, v = (
    rng.standard_normal((n, d_k)),
    rng.standard_normal((n, d_k)),
    rng.standard_normal((n, d_v)),
)
cache = KVCache(d_k, d_v)
for position in range(n):
    cache.append(k[position], v[position])
# recompute everything
full, _ = scaled_dot_product_attention(q, k, v, causal=True)
assert np.allclose(cache.attend(q[-1]), full[-1])
print(
    f"key/value computations: {without_cache} without a cache, "
    f"{with_cache} with one"
)
