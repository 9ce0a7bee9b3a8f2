"""Mistake 1: a diffusion model and an LLM are trained to predict different
kinds of things.

A diffusion training example is (noisy array, timestep) -> the real-valued
noise array, scored by mean squared error: a guess that is a little off costs a
little. An LLM training example is (token ids so far) -> the integer id y of
the next token, scored by cross-entropy -ln p_y: only the probability given to
the right id counts.
"""

import numpy as np

from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.forward import sample_forward
from diffusion_vs_llms.losses import mean_squared_error, token_cross_entropy
from diffusion_vs_llms.schedules import linear_schedule
from diffusion_vs_llms.tokenizer import BPETokenizer

rng = np.random.default_rng(0)

# Diffusion: one training example made from an 8x8 RGB image with values in
# [-1, 1]
image = rng.uniform(-1.0, 1.0, size=(8, 8, 3))
x_t, eps = sample_forward(image, t=500, schedule=linear_schedule(), rng=rng)
# input and target are both image-shaped
assert x_t.shape == eps.shape == image.shape == (8, 8, 3)
# 192 real numbers, no two alike
assert eps.dtype == np.float64 and eps.size == len(np.unique(eps)) == 192
# a network that always answers "no noise"
mse_zero = mean_squared_error(np.zeros_like(eps), eps)
# a network that is 0.1 off on every value
mse_close = mean_squared_error(eps + 0.1, eps)
# about 1, the variance of standard normal noise
assert round(mse_zero, 2) == 1.10
# a small error costs a small loss: distance is what counts
assert round(mse_close, 4) == 0.01

# LLM: one training example made from a sentence
text = "the cat sat on the mat. the cat ate the rat. the rat sat on the cat. "
tokenizer = BPETokenizer.train(text, num_merges=4)
ids = tokenizer.encode(text)
context, target = ids[:5], ids[5]
vocab_size = len(tokenizer.vocabulary)
# the target is one integer id
assert isinstance(target, int) and 0 <= target < vocab_size
assert (
    tokenizer.decode(context) == "the cat s"
    and tokenizer.decode([target]) == "at"
)

# an untrained model: every token equally likely
uniform = np.full(vocab_size, 1.0 / vocab_size)
bigram = BigramModel(ids, vocab_size, smoothing=0.1).next_token_probs(context)
# ln(vocabulary size) = ln 16 = 2.773 nats
assert np.isclose(token_cross_entropy(uniform, target), np.log(vocab_size))
assert vocab_size == 16 and round(np.log(vocab_size), 3) == 2.773
# counting adjacent pairs already helps
assert round(token_cross_entropy(bigram, target), 3) == 0.539

# Cross-entropy looks only at the right token: moving probability among wrong
# tokens changes nothing, and id target + 1 is not "nearly right": token ids
# are labels, not quantities.
shuffled = bigram.copy()
wrong = [i for i in range(vocab_size) if i != target]
shuffled[wrong] = bigram[wrong][::-1]
assert token_cross_entropy(shuffled, target) == token_cross_entropy(
    bigram, target
)
