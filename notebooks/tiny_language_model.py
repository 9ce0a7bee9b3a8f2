# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Train a tiny language model
#
# This notebook trains a character-level language model with one causal self-attention layer, in
# numpy, on a CPU, on the prose of this guide. It then generates text the way autoregressive
# LLMs, the usual kind, do: one token at a time, each new token appended to the context. The attention, softmax,
# cross-entropy and sampling code is the guide's own (`diffusion_vs_llms`); gradients are written by
# hand in `diffusion_vs_llms.nn` and checked against finite differences in the test suite.
#
# The model computes, at every position $n$, a distribution $P(x_n \mid x_{\lt n})$ over the
# character there, and is trained to minimize the cross-entropy $L = -\sum_i y_i \log p_i$, averaged over
# all positions of a batch at once (teacher forcing). Attention inside it is
# $\operatorname{softmax}\!\left(QK^\top / \sqrt{d_k} + M\right) V$ with the causal mask $M$. Symbols follow the guide's
# [notation table](../../formulas/#notation).

# %%
from itertools import pairwise

import matplotlib.pyplot as plt
import numpy as np

from diffusion_vs_llms.bigram import BigramModel
from diffusion_vs_llms.nn import (
    Adam,
    init_lm,
    lm_backward,
    lm_forward,
    lm_loss_and_grad,
)
from diffusion_vs_llms.sampling import generate
from diffusion_vs_llms.tiny_lm import (
    TinyLM,
    batch_of,
    held_out_loss,
    load_corpus,
)

# %config InlineBackend.figure_formats = ["retina"]
plt.rcParams.update(
    {
        # inches, drawn at 2 pixels per CSS pixel (retina): text of 12 points
        # stays legible in a phone's column
        "figure.figsize": (4.4, 3.0),
        "figure.dpi": 96,
        "figure.constrained_layout.use": True,
        "font.size": 12,
        "legend.fontsize": 12,
        "figure.facecolor": "white",
        "axes.grid": True,
        "grid.alpha": 0.3,
    }
)
rng = np.random.default_rng(0)

# %% [markdown]
# ## The corpus
#
# The corpus, `diffusion_vs_llms/data/guide-prose.txt`, is a snapshot of the running prose of this
# guide's chapters (no code, no formulas). It is kept fixed, so the numbers below do not change each
# time a page is edited; its wording can lag behind the pages.
# The vocabulary $\mathcal{V}$ is its set of characters; the end of the text is held out to measure
# how well the model predicts text it never trained on.

# %%
HELD_OUT_FRACTION = 0.1
corpus = load_corpus(held_out_fraction=HELD_OUT_FRACTION)
train, held_out = corpus.train, corpus.held_out
vocab_size = len(corpus.vocabulary)
print(f"{len(corpus.text):,} characters, vocabulary of {vocab_size}")
print(
    f"{len(train):,} for training, "
    f"the last {HELD_OUT_FRACTION:.0%} ({len(held_out):,}) held out"
)

# %% [markdown]
# ## Two baselines
#
# A **unigram** model ignores the context and predicts each character by its frequency. A
# **bigram** model looks at the previous character only. Both are counted on the training text
# (with a small pseudo-count added to every count, so no held-out character gets probability 0) and
# scored on the held-out text in nats per character.

# %%
# pseudo-count added to every count
SMOOTHING = 0.1
unigram = (np.bincount(train, minlength=vocab_size) + SMOOTHING) / (
    len(train) + SMOOTHING * vocab_size
)
unigram_loss = float(-np.mean(np.log(unigram[held_out])))
bigram = BigramModel(train, vocab_size=vocab_size, smoothing=SMOOTHING)
bigram_loss = float(
    -np.mean(np.log(bigram.probs[held_out[:-1], held_out[1:]]))
)
print(
    f"add-{SMOOTHING:g} smoothing; "
    "held-out cross-entropy in nats per character:"
)
print(f"unigram {unigram_loss:.3f}, bigram {bigram_loss:.3f}")

# %% [markdown]
# ## The model
#
# Each character is embedded as a vector plus a learned vector for its position (absolute
# positions added to the embeddings, as in GPT-2; most current LLMs rotate queries and keys with
# RoPE instead, see the chapter). One causal self-attention layer lets every position look back
# over the whole context window; a feed-forward layer four times as wide as the embedding follows;
# both have residual connections. A linear layer turns the result into logits $\ell$ over the
# vocabulary. The sizes are printed below.

# %%
CONTEXT, D_MODEL = 32, 48
D_FF = 4 * D_MODEL
params = init_lm(vocab_size, CONTEXT, D_MODEL, D_FF, rng)
print(
    f"context window {CONTEXT} characters, embedding width {D_MODEL}, "
    f"feed-forward width {D_FF}"
)
print(f"{sum(p.size for p in params.values()):,} parameters")


# %% [markdown]
# ## Training
#
# Each step takes a batch of random windows of the context length. One forward pass scores every
# position of every window in parallel (teacher forcing: the true previous characters are the
# input), and the mean cross-entropy over all these predictions is the loss. The learning rate
# falls linearly to a tenth of its initial value over the first nine tenths of training, then stays.
# (`batch_of` cuts the windows; `diffusion_vs_llms.tiny_lm.train` is this same loop, with which
# the language-model chapter trains this same model to step through its output.)

# %%
STEPS, BATCH = 1500, 16
print(
    f"{STEPS} steps; each step {BATCH} windows x {CONTEXT} positions "
    f"= {BATCH * CONTEXT} predictions"
)
optimizer = Adam(params, learning_rate=6e-3)
losses, checkpoints = [], []
for step in range(STEPS):
    starts = rng.integers(0, len(train) - CONTEXT - 1, BATCH)
    inputs, targets = batch_of(train, starts, CONTEXT)
    logits, cache = lm_forward(params, inputs)
    loss, d_logits = lm_loss_and_grad(logits, targets)
    optimizer.step(
        params,
        lm_backward(params, cache, d_logits),
        learning_rate=6e-3 * max(0.1, 1 - step / STEPS),
    )
    losses.append(loss)
    if (step + 1) % 250 == 0:
        checkpoints.append(
            (step + 1, held_out_loss(params, held_out, CONTEXT))
        )
model_loss = checkpoints[-1][1]

# %% alt="Line chart of cross-entropy in nats per character against the training step: the training-batch loss falls steeply at first and then slowly; the held-out loss, measured at regular checkpoints, falls with it and ends well below the dashed bigram and dotted unigram baselines."
fig, ax = plt.subplots(figsize=(4.4, 3.8))
ax.plot(losses, alpha=0.35, lw=0.8, label="training batch")
ax.plot(*zip(*checkpoints, strict=True), "o-", label="held out")
ax.axhline(bigram_loss, ls="--", color="gray", label="bigram (held out)")
ax.axhline(unigram_loss, ls=":", color="gray", label="unigram (held out)")
ax.set(
    xlabel="training step",
    ylabel="nats per character",
    ylim=(1, 4.5),
    title="Cross-entropy",
)
fig.legend(loc="outside lower center", ncols=2)
plt.show()

# %%
print("held-out cross-entropy in nats per character (perplexity in brackets):")
for name, value in (
    ("unigram", unigram_loss),
    ("bigram", bigram_loss),
    ("attention model", model_loss),
):
    print(f"  {name:16} {value:.3f}  ({np.exp(value):.1f})")
assert model_loss < bigram_loss < unigram_loss

# %% [markdown]
# The attention model beats both baselines on text it has never seen: looking back over its whole
# context window helps more than looking at one character. The perplexity in brackets, the exponential of the
# loss, is the number of equally likely characters the model is, on average, choosing among.
#
# ## Generating, one token at a time
#
# Generation calls the model once per new character. Each call sees the context so far (at most the
# last `CONTEXT` characters), the last position's logits become a distribution, one character is drawn and
# appended, and the loop repeats. The first steps, with the growing context:


# %%
# next_logits: the last position's logits
model = TinyLM(params, CONTEXT)
prompt = corpus.encode("The model ")
first = generate(
    model.next_logits,
    prompt,
    max_new_tokens=8,
    rng=np.random.default_rng(3),
    temperature=0.5,
)
for context, token in zip(first.contexts, first.new_tokens, strict=True):
    shown = corpus.decode(context)
    print(f"{shown!r:24} -> {corpus.decode([token])!r}")
assert first.model_calls == 8 and all(
    len(b) == len(a) + 1 for a, b in pairwise(first.contexts)
)

# %% [markdown]
# Temperature $\tau$ divides the logits before the softmax. At $\tau = 0.5$ the model mostly picks
# its favorite characters and writes plausible, repetitive English-like text; at $\tau = 1$ it
# samples its learned distribution as it is, with more variety and more mistakes.

# %%
for temperature in (0.5, 1.0):
    result = generate(
        model.next_logits,
        prompt,
        200,
        rng=np.random.default_rng(4),
        temperature=temperature,
    )
    print(f"temperature {temperature}:\n{corpus.decode(result.tokens)}\n")
