"""Count network evaluations in the two generation loops.

A diffusion sampler calls its noise predictor once per denoising step (twice
with classifier-free guidance), and every call sees the whole image. An LLM
calls its network once per new token, and every call sees the context so far:
the first call reads the prompt (prefill) and gives the first new token, so N
new tokens take 1 prefill pass and N - 1 decode passes.
The noise predictor is the exact one for a toy data set (4 x 4 grayscale
"images" that are either dark or bright), the language model a bigram model
counted from two short sentences.
"""

import numpy as np

from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.gaussian_mixture import GaussianMixture
from diffusion_vs_llms.reverse import classifier_free_guidance, sample_ddim
from diffusion_vs_llms.sampling import generate
from diffusion_vs_llms.schedules import linear_schedule


class Counted:
    """Wrap a model and count its calls: one call is one network evaluation."""

    def __init__(self, model):
        self.model, self.calls, self.input_shapes = model, 0, set()

    def __call__(self, x, *args):
        self.calls += 1
        self.input_shapes.add(np.shape(x))
        return self.model(x, *args)


rng = np.random.default_rng(0)
# DDPM's schedule, T = 1000
schedule = linear_schedule()

# Diffusion: 16 pixel values per image; the data are all dark (-0.8) or all
# bright (+0.8) images.
images = GaussianMixture(
    means=[[-0.8] * 16, [0.8] * 16], stds=[0.05, 0.05], weights=[0.5, 0.5]
)
# the "prompt": a bright image
bright = GaussianMixture(means=[[0.8] * 16], stds=[0.05], weights=[1.0])
unconditional = Counted(
    lambda x_t, t: images.optimal_epsilon(x_t, schedule.alpha_bar(t))
)
conditional = Counted(
    lambda x_t, t: bright.optimal_epsilon(x_t, schedule.alpha_bar(t))
)

result = sample_ddim(unconditional, (1, 16), schedule, num_steps=50, rng=rng)
# one evaluation per step
assert unconditional.calls == result.network_evaluations == 50
# every evaluation sees all 16 pixel values
assert unconditional.input_shapes == {(1, 16)}
# a clean dark or bright image
assert np.allclose(np.abs(result.sample), 0.8, atol=0.2)

# Classifier-free guidance: an unconditional and a conditional prediction at
# every step.
unconditional.calls = 0
guided = sample_ddim(
    lambda x_t, t: classifier_free_guidance(
        unconditional(x_t, t), conditional(x_t, t), scale=3.0
    ),
    (1, 16),
    schedule,
    num_steps=50,
    rng=rng,
)
# 2 x 50: guidance doubles the evaluations
assert unconditional.calls + conditional.calls == 100
# the condition is followed: a bright image
assert np.all(guided.sample > 0)

# LLM: one evaluation per new token; each sees the prompt plus every token
# generated so far. The first call is the prefill pass over the 2-token prompt;
# the other 19 are decode passes.
text = "the cat sat on the mat . the dog sat on the log ."
# one token per word keeps the example readable
words = text.split()
vocabulary = sorted(set(words))
model = BigramModel(
    [vocabulary.index(w) for w in words],
    vocab_size=len(vocabulary),
    smoothing=0.01,
)
network = Counted(model.logits)
prompt = [vocabulary.index("the"), vocabulary.index("dog")]
out = generate(network, prompt, max_new_tokens=20, rng=rng, temperature=0.5)
# one evaluation per token
assert network.calls == out.model_calls == len(out.new_tokens) == 20
# one token longer per step
assert sorted(network.input_shapes) == [(length,) for length in range(2, 22)]
generated = " ".join(vocabulary[i] for i in out.tokens)
# a bigram model falls into a loop
assert generated.startswith("the dog sat on the dog sat on the dog sat on")
