"""Why an LLM reads a known sequence in one pass but must generate one token
per pass.

With a causal mask, one attention pass over N known positions gives every
position exactly the output it would get from a pass over its own prefix. That
is why training (teacher forcing) and reading the prompt (prefill) handle all
positions at once. During generation the token at position n + 1 is not known
until the output at position n has been turned into a token, so the passes run
one after another; a KV cache makes each pass cheap (one new query) but does
not remove the order.
Attention uses the row-vector convention: Q = X W_Q, K = X W_K, V = X W_V.
"""

import numpy as np

from diffusion_vs_llms.attention import KVCache, scaled_dot_product_attention

rng = np.random.default_rng(0)
num_tokens, d = 6, 4
# embeddings of 6 known tokens: a training text or a prompt
x = rng.standard_normal((num_tokens, d))
w_q, w_k, w_v = (rng.standard_normal((d, d)) for _ in range(3))
# one row per position
q, k, v = x @ w_q, x @ w_k, x @ w_v

# One pass with the causal mask: outputs for all 6 positions at once.
all_at_once, weights = scaled_dot_product_attention(q, k, v, causal=True)
# no position attends to a later one
assert np.allclose(np.triu(weights, k=1), 0)

# Six passes, each over one prefix: the same outputs.
one_by_one = np.stack(
    [
        scaled_dot_product_attention(q[: n + 1], k[: n + 1], v[: n + 1])[0][-1]
        for n in range(num_tokens)
    ]
)
assert np.allclose(all_at_once, one_by_one)

# Without the mask, early positions would see later tokens, which generation
# never has.
no_mask, _ = scaled_dot_product_attention(q, k, v, causal=False)
assert not np.allclose(no_mask[0], one_by_one[0])

# Generation order: one step per position, each adding one key and value to the
# cache.
cache = KVCache(d_k=d, d_v=d)
steps = []
for n in range(num_tokens):
    cache.append(k[n], v[n])
    steps.append(cache.attend(q[n]))
assert len(cache) == num_tokens and np.allclose(np.stack(steps), all_at_once)
