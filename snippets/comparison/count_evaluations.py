"""Count network evaluations in the two generation loops.

A diffusion sampler calls its noise predictor once per denoising step, and every call sees the
whole image. An LLM calls its network once per new token, and every call sees the context so far.
The noise predictor is the exact one of a toy data set (4 x 4 grayscale "images" that are either
dark or bright); the language model is a bigram model counted from one sentence.
"""

import numpy as np

from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.reverse import classifier_free_guidance, sample_ddim
from diffusion_vs_llms.sampling import generate
from diffusion_vs_llms.schedules import linear_schedule
from diffusion_vs_llms.tokenizer import BPETokenizer

rng = np.random.default_rng(0)

# Diffusion: 16 pixel values per image, data either all dark (-0.8) or all bright (+0.8).
schedule = linear_schedule()  # DDPM: T = 1000
images = GaussianMixture(means=[[-0.8] * 16, [0.8] * 16], stds=[0.05, 0.05], weights=[0.5, 0.5])
calls, shapes_seen = 0, set()


def eps_model(x_t, t):
    global calls
    calls += 1
    shapes_seen.add(x_t.shape)
    return images.optimal_epsilon(x_t, schedule.alpha_bar(t))


result = sample_ddim(eps_model, (1, 16), schedule, num_steps=50, rng=rng)
assert calls == result.network_evaluations == 50  # one evaluation per step
assert shapes_seen == {(1, 16)}  # every evaluation sees all 16 pixel values
assert np.allclose(np.abs(result.sample), 0.8, atol=0.2)  # a clean dark or bright image

# Classifier-free guidance: a conditional ("bright") and an unconditional prediction at every step.
bright = GaussianMixture(means=[[0.8] * 16], stds=[0.05], weights=[1.0])
calls = 0


def guided_eps(x_t, t):
    global calls
    calls += 2
    alpha_bar = schedule.alpha_bar(t)
    return classifier_free_guidance(images.optimal_epsilon(x_t, alpha_bar), bright.optimal_epsilon(x_t, alpha_bar), 3.0)


guided = sample_ddim(guided_eps, (1, 16), schedule, num_steps=50, rng=rng)
assert calls == 100  # guidance doubles the evaluations: 2 x 50
assert np.all(guided.sample > 0)  # the condition is followed: a bright image

# LLM: one evaluation per new token; each sees the prompt plus every token generated so far.
tokenizer = BPETokenizer.train("the cat sat on the mat and the dog sat on the log", num_merges=10)
ids = tokenizer.encode("the cat sat on the mat and the dog sat on the log")
model = BigramModel(ids, vocab_size=len(tokenizer.vocabulary))
prompt = tokenizer.encode("the dog")
out = generate(model.logits, prompt, max_new_tokens=20, rng=rng, temperature=0.8)
assert out.model_calls == len(out.new_tokens) == 20
assert [len(c) for c in out.contexts] == list(range(len(prompt), len(prompt) + 20))  # the context grows by one
print(tokenizer.decode(out.tokens))
