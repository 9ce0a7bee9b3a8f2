"""Mistake 1, continued: the two generation loops do different things.

A diffusion sampler starts from noise the size of the whole output and changes
every value at every step; the number of steps is set by the sampler, not by
the size of the output. An autoregressive LLM appends one token per step and
never revisits the tokens it already wrote; the number of model calls equals
the number of new tokens (the first call reads the prompt and already gives the
first new token). A masked diffusion language model is neither: it commits
several tokens per step, in any order, and keeps them fixed afterwards.
"""

from collections.abc import Callable
from itertools import pairwise

import numpy as np

from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.reverse import sample_ddim
from diffusion_vs_llms.sampling import generate
from diffusion_vs_llms.schedules import linear_schedule
from diffusion_vs_llms.tokenizer import BPETokenizer

rng = np.random.default_rng(0)
schedule = linear_schedule()


def image_denoiser(
    height: int, width: int
) -> tuple[int, Callable[[np.ndarray, int], np.ndarray]]:
    """Exact noise predictor for flattened RGB images of two kinds: all dark
    (-0.5) or all light (+0.5).
    """
    size = height * width * 3
    images = GaussianMixture(
        means=np.stack([np.full(size, -0.5), np.full(size, 0.5)]),
        stds=[0.1, 0.1],
        weights=[0.5, 0.5],
    )
    return size, lambda x, t: images.optimal_epsilon(x, schedule.alpha_bar(t))


# Diffusion: 20 denoising steps, each one rewrites the whole 4x4 RGB image
size, eps_model = image_denoiser(4, 4)
run = sample_ddim(
    eps_model, (1, size), schedule, num_steps=20, rng=rng, keep_trajectory=True
)
# the sample has its final size from the first step
assert size == 48 and run.sample.shape == (1, 48)
assert run.network_evaluations == 20
# all 48 values change every step
assert all(
    np.all(after != before) for before, after in pairwise(run.trajectory)
)
# the result is a dark or a light image
assert abs(abs(run.sample.mean()) - 0.5) < 0.1
# an image 16 times larger ...
size, eps_model = image_denoiser(16, 16)
assert size == 16 * 48 == 768
# ... same 20 steps
assert (
    sample_ddim(
        eps_model, (1, size), schedule, num_steps=20, rng=rng
    ).network_evaluations
    == 20
)

# LLM: one step per new token, each step appends and keeps everything before it
text = "the cat sat on the mat. the cat ate the rat. the rat sat on the cat. "
tokenizer = BPETokenizer.train(text, num_merges=4)
ids = tokenizer.encode(text)
model = BigramModel(ids, len(tokenizer.vocabulary), smoothing=0.1)
for new_tokens in (10, 40):
    gen = generate(model.logits, tokenizer.encode("the "), new_tokens, rng=rng)
    # 4 times the text, 4 times the steps
    assert gen.model_calls == new_tokens
    for context, next_context in pairwise(gen.contexts):
        # the old tokens are untouched, one new token is added
        assert next_context[:-1] == context
