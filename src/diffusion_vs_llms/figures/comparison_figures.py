"""Figures of the side-by-side chapter: generation time, and how generation proceeds."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..bigram import BigramModel
from ..gaussian_mixture import GaussianMixture
from ..reverse import sample_ddim
from ..sampling import generate
from ..schedules import cosine_schedule
from ..timing import diffusion_image_time, llm_generation_time, sequential_time
from ..tokenizer import BPETokenizer
from .diffusion_figures import byte_codes, bytes_base64, hopper
from .registry import figure
from .style import WIDTH, Theme, new_figure

DENOISING_STEPS = 50
SECONDS_PER_STEP = 0.08
IMAGES = 12
LLM_TOKENS = 40
SECONDS_PER_TOKEN = 0.1
"""The timeline's numbers: the practice question's diffusion system and an illustrative LLM."""
_IMAGE_SECONDS = diffusion_image_time(DENOISING_STEPS, SECONDS_PER_STEP)
_ANSWER_SECONDS = llm_generation_time(LLM_TOKENS, SECONDS_PER_TOKEN)  # the prompt pass gives the first token
_BATCH_SECONDS = sequential_time(IMAGES, _IMAGE_SECONDS)

CORPUS = "the model writes one token at a time . the model writes one word at a time . the image appears step by step ."
"""Word corpus of the bigram model in the side-by-side figure."""
SNAPSHOT_STEPS = (0, 2, 4, 6, 8, 10)
"""DDIM steps (of 10) shown in the side-by-side figure."""


@figure(
    "generation-timeline",
    alt=(
        f"Two timelines in seconds. Top: one diffusion image is a bar of {DENOISING_STEPS} equal denoising "
        f"steps of {SECONDS_PER_STEP:g} s ending at {_IMAGE_SECONDS:g} s, and nothing is visible until the end; "
        f"below it an LLM answer of {LLM_TOKENS} tokens at {SECONDS_PER_TOKEN:g} s each also ends at "
        f"{_ANSWER_SECONDS:g} s, but its tokens appear one by one from the start. Bottom, on a longer time axis: "
        f"{IMAGES} images generated one after another, {_IMAGE_SECONDS:g} s each, finish at {_BATCH_SECONDS:g} s."
    ),
    caption=(
        f"Generation time is network evaluations times seconds per evaluation. Top: one image with "
        f"{DENOISING_STEPS} denoising steps of {SECONDS_PER_STEP:g} s takes {_IMAGE_SECONDS:g} s; an LLM writing "
        f"{LLM_TOKENS} tokens at {SECONDS_PER_TOKEN:g} s per token also takes {_ANSWER_SECONDS:g} s, but shows its "
        f"first token after {SECONDS_PER_TOKEN:g} s, because the pass over the prompt (taken here to cost one "
        f"token's pass, as for a short prompt) already gives the first token. Bottom: {IMAGES} images one after "
        f"another take {IMAGES} × {_IMAGE_SECONDS:g} s = {_BATCH_SECONDS:g} s."
    ),
)
def generation_timeline(theme: Theme) -> Figure:
    image_seconds = diffusion_image_time(DENOISING_STEPS, SECONDS_PER_STEP)
    llm_seconds = llm_generation_time(LLM_TOKENS, SECONDS_PER_TOKEN)
    batch_seconds = sequential_time(IMAGES, image_seconds)
    fig = new_figure(4.2)
    one, many = fig.subplots(2, 1, height_ratios=(2.3, 1))
    diffusion_colour, llm_colour = theme.series[0], theme.series[1]
    for step in range(DENOISING_STEPS):
        shade = 0.45 + 0.55 * (step % 2)
        one.add_patch(
            Rectangle((step * SECONDS_PER_STEP, 1.3), SECONDS_PER_STEP, 0.5, color=diffusion_colour, alpha=shade, lw=0)
        )
    one.text(
        0,
        1.9,
        f"diffusion: {DENOISING_STEPS} steps × {SECONDS_PER_STEP:g} s, image done at {image_seconds:g} s",
        va="bottom",
    )
    for token in range(LLM_TOKENS):
        one.add_patch(
            Rectangle((token * SECONDS_PER_TOKEN + 0.012, 0.1), SECONDS_PER_TOKEN - 0.024, 0.5, color=llm_colour, lw=0)
        )
    one.text(
        0,
        0.7,
        f"LLM: {LLM_TOKENS} tokens × {SECONDS_PER_TOKEN:g} s, all shown by {llm_seconds:g} s",
        va="bottom",
    )
    one.set_xlim(0, max(image_seconds, llm_seconds) * 1.05)
    one.set_ylim(0, 2.5)
    one.set_title("one output", loc="left")
    for i in range(IMAGES):
        many.add_patch(Rectangle((i * image_seconds, 0.1), image_seconds * 0.96, 0.5, color=diffusion_colour, lw=0))
    many.text(0, 0.7, f"diffusion: {IMAGES} images, {batch_seconds:g} s", va="bottom")
    many.set_xlim(0, batch_seconds * 1.05)
    many.set_ylim(0, 1.3)
    many.set_xlabel("seconds")
    many.set_title(f"{IMAGES} images, one after another", loc="left")
    for ax in (one, many):
        ax.spines["left"].set_visible(False)
        ax.set_yticks([])
    return fig


def tiny_image_dataset(size: int = 32) -> np.ndarray:
    """Three grey-scale images, shape (3, size * size), values in [-1, 1]: a portrait, its mirror, its negative."""
    grey = hopper(size).mean(axis=2)
    return np.stack([grey, grey[:, ::-1], -grey]).reshape(3, -1)


def generated_words(new_tokens: int) -> list[str]:
    """``"the"`` and the ``new_tokens`` words a word bigram model trained on :data:`CORPUS` appends greedily."""
    words = CORPUS.split()
    vocabulary = sorted(set(words))
    ids = [vocabulary.index(w) for w in words]
    model = BigramModel(ids, vocab_size=len(vocabulary), smoothing=0.01)
    result = generate(model.logits, prompt=[vocabulary.index("the")], max_new_tokens=new_tokens)
    return [vocabulary[i] for i in result.tokens]


def text_steps() -> list[str]:
    """The sentence after each of the first six greedy steps of a word bigram model trained on :data:`CORPUS`."""
    words = generated_words(len(SNAPSHOT_STEPS) - 1)
    return [" ".join(words[: k + 1]) for k in range(len(SNAPSHOT_STEPS))]


def image_trajectory() -> np.ndarray:
    """The DDIM run of the side-by-side figure: shape (11, 1024), the 32 x 32 image before the first
    step and after each of 10 steps, with the exact denoiser of :func:`tiny_image_dataset`."""
    images = tiny_image_dataset()
    mixture = GaussianMixture(means=images, stds=np.full(3, 0.05), weights=np.full(3, 1 / 3))
    schedule = cosine_schedule()

    def eps_model(x: np.ndarray, t: int) -> np.ndarray:
        return mixture.optimal_epsilon(x, schedule.alpha_bar(t))

    result = sample_ddim(
        eps_model, (1, images.shape[1]), schedule, SNAPSHOT_STEPS[-1], np.random.default_rng(7), keep_trajectory=True
    )
    return np.stack([frame[0] for frame in result.trajectory])


def race_seconds(steps: int) -> tuple[list[float], list[float]]:
    """The seconds the image loop and the text loop have taken after 0, 1, ..., ``steps`` network
    evaluations, at the timeline figure's rates."""
    evaluations = range(1, steps + 1)
    image = [0.0] + [diffusion_image_time(k, SECONDS_PER_STEP) for k in evaluations]
    text = [0.0] + [llm_generation_time(k, SECONDS_PER_TOKEN) for k in evaluations]
    return image, text


def race_data() -> dict:
    """What the race explorable steps through, one network evaluation per step: the image of
    :func:`image_trajectory` after each step (8-bit grey levels of [-1, 1], base64), the words the
    language model has after as many evaluations, and the seconds each loop has taken by then at the
    timeline figure's rates (``timing``)."""
    frames = byte_codes(image_trajectory(), 1.0)
    image_seconds, text_seconds = race_seconds(len(frames) - 1)
    return {
        "side": int(np.sqrt(frames.shape[1])),
        "frames": [bytes_base64(frame) for frame in frames],
        "words": generated_words(SNAPSHOT_STEPS[-1]),
        # the timeline figure's rates: seconds after k evaluations of each loop, k = 0..10
        "seconds_per_step": SECONDS_PER_STEP,
        "seconds_per_token": SECONDS_PER_TOKEN,
        "image_seconds": image_seconds,
        "text_seconds": text_seconds,
    }


@figure(
    "generation-side-by-side",
    data=race_data,
    live_caption=(
        "How generation proceeds, one network evaluation at a time: diffusion refines the whole image at "
        "every step (DDIM, 10 steps, with the cosine schedule and the exact denoiser of a three-image toy "
        "dataset); a language model (a word bigram model) appends one token per step and never revises "
        "earlier tokens."
    ),
    alt=(
        "Six snapshots of each kind of generation. Top, diffusion: a row of six 32 by 32 grey images that starts "
        "as pure noise and, over 10 denoising steps, becomes a clear portrait; every snapshot shows the whole "
        "image at once, sharper each time. Below, language model: six lines in which the sentence 'the model "
        "writes one token at a time' grows by one word per step, from 'the' to 'the model writes one token at'. "
        f"Each snapshot and line gives its step, one network evaluation each, and the seconds taken by then at "
        f"{SECONDS_PER_STEP:g} s per denoising step and {SECONDS_PER_TOKEN:g} s per token."
    ),
    caption=(
        "How generation proceeds. Top: diffusion refines the whole image at every step (DDIM, 10 steps, with the "
        "cosine schedule and the exact denoiser of a three-image toy dataset). Bottom: a language model (a word "
        "bigram model) appends one token per step and never revises earlier tokens. Each step is one network "
        f"evaluation; the seconds are the timeline's rates, {SECONDS_PER_STEP:g} s per denoising step and "
        f"{SECONDS_PER_TOKEN:g} s per token."
    ),
)
def generation_side_by_side(theme: Theme) -> Figure:
    trajectory = image_trajectory()
    sentences = text_steps()
    side = int(np.sqrt(trajectory.shape[1]))
    fig = new_figure(4.3)
    top, bottom = fig.subfigures(2, 1, height_ratios=(1, 1.45))
    top.suptitle("diffusion: the whole image, refined every step", x=0.01, ha="left", fontsize=11)
    image_seconds, text_seconds = race_seconds(SNAPSHOT_STEPS[-1])  # as the explorable shows them
    for ax, step in zip(top.subplots(1, len(SNAPSHOT_STEPS)), SNAPSHOT_STEPS, strict=True):
        ax.imshow(np.clip(trajectory[step].reshape(side, side), -1, 1), cmap="gray", vmin=-1, vmax=1)
        ax.set_title(f"step {step}\n{image_seconds[step]:.2f} s", fontsize=11)
        ax.set_axis_off()
    bottom.suptitle("language model: one more token per step", x=0.01, ha="left", fontsize=11)
    text_ax = bottom.subplots()
    text_ax.set_axis_off()
    for row, sentence in enumerate(sentences):
        *old, new = sentence.split()
        y = 0.95 - row / len(sentences)
        prefix = f"step {row} ({text_seconds[row]:.1f} s): " + " ".join(old) + (" " if old else "")
        label = text_ax.text(0.02, y, prefix, transform=text_ax.transAxes, va="top", family="DejaVu Sans Mono")
        text_ax.annotate(
            new, xycoords=label, xy=(1, 0), va="bottom", family="DejaVu Sans Mono", color=theme.series[1], weight="bold"
        )
    return fig


PIXELS_SIDE = 32
"""Side of the grey image in the pixels-and-tokens figure."""
PIXELS_CROP = (13, 14)
"""Top-left pixel (row, column) of the 3 x 3 crop whose values the figure prints."""
TOKEN_TEXT = "the cat sat on the mat and the rat sat on the hat"
"""Training text of the tokenizer in the pixels-and-tokens figure (the page's example)."""
TOKEN_SENTENCE = "the rat sat"
"""The sentence the figure tokenizes."""


def pixel_crop() -> tuple[np.ndarray, np.ndarray]:
    """The grey portrait at :data:`PIXELS_SIDE` pixels a side, in [-1, 1], and its 3 x 3 crop."""
    grey = hopper(PIXELS_SIDE).mean(axis=2)
    row, col = PIXELS_CROP
    return grey, grey[row : row + 3, col : col + 3]


def sentence_tokens() -> tuple[list[str], list[int]]:
    """The tokens and ids of :data:`TOKEN_SENTENCE` by a BPE tokenizer trained on :data:`TOKEN_TEXT`."""
    tokenizer = BPETokenizer.train(TOKEN_TEXT, num_merges=5)
    return tokenizer.tokenize(TOKEN_SENTENCE), tokenizer.encode(TOKEN_SENTENCE)


_TOKENS, _IDS = sentence_tokens()


@figure(
    "pixels-and-tokens",
    alt=(
        f"Top: a {PIXELS_SIDE} by {PIXELS_SIDE} grey portrait with a small square marked, and beside it the 3 by 3 "
        "pixels of that square as numbers between -1 and 1, neighbours with close values. Bottom: the sentence "
        f"'{TOKEN_SENTENCE}' cut into the tokens {', '.join(repr(t) for t in _TOKENS)}, each in a box with its id "
        f"below it: {', '.join(map(str, _IDS))}."
    ),
    caption=(
        "The two data types. An image is a grid of numbers on a continuous scale (here grey values scaled to "
        "$[-1, 1]$): a value a little larger is a pixel a little brighter, and noise can nudge it. Text is a "
        "sequence of tokens from a vocabulary, each named by an integer id: an id a little larger is just "
        "another token (a byte-pair tokenizer trained on one sentence, as in the guide's first chapter)."
    ),
)
def pixels_and_tokens(theme: Theme) -> Figure:
    grey, crop = pixel_crop()
    fig = new_figure(3.6)
    top, bottom = fig.subfigures(2, 1, height_ratios=(1.35, 1))
    image_ax, values_ax = top.subplots(1, 2, width_ratios=(1, 1))
    image_ax.imshow(grey, cmap="gray", vmin=-1, vmax=1)
    row, col = PIXELS_CROP
    image_ax.add_patch(Rectangle((col - 0.5, row - 0.5), 3, 3, fill=False, edgecolor=theme.series[1], lw=2))
    image_ax.set_title("an image", loc="left")
    image_ax.set_axis_off()
    values_ax.imshow(crop, cmap="gray", vmin=-1, vmax=1)
    for (i, j), value in np.ndenumerate(crop):
        values_ax.text(j, i, f"{value:.2f}", ha="center", va="center", color="#000000" if value > 0 else "#ffffff")
    values_ax.set_title("3 × 3 of its pixels", loc="left")
    values_ax.set_axis_off()
    ax = bottom.subplots()
    ax.set_axis_off()
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, 1.4)
    ax.text(0.05, 1.3, f"text: tokens with ids ('{TOKEN_SENTENCE}')", va="top")
    x = 0.1
    for token, token_id in zip(_TOKENS, _IDS, strict=True):
        width = 0.25 + 0.16 * len(token)
        ax.add_patch(Rectangle((x, 0.45), width, 0.4, fill=False, edgecolor=theme.series[0], lw=1.4))
        ax.text(x + width / 2, 0.65, token.replace(" ", "␣"), ha="center", va="center", family="DejaVu Sans Mono")
        ax.text(x + width / 2, 0.3, str(token_id), ha="center", va="top", color=theme.series[1], weight="bold")
        x += width + 0.12
    return fig
