"""The guide's tiny language model: characters of the guide's own prose, one causal self-attention
layer (:func:`~diffusion_vs_llms.nn.lm_forward`), trained by :func:`train`. The notebook *Train a
tiny language model* trains and samples it; the language-model chapter steps through its output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .nn import _LM_KEYS, Adam, Params, init_lm, lm_backward, lm_forward, lm_loss_and_grad
from .validation import (
    as_int_array,
    require_instance,
    require_int_in_range,
    require_number_in_interval,
    require_params,
    require_positive,
    require_text,
)

CORPUS = Path(__file__).parent / "data" / "guide-prose.txt"
"""A snapshot of the running prose of the guide's chapters (no code, no formulas), kept fixed so that
the model and its numbers do not change each time a page is edited."""


@dataclass(frozen=True)
class Corpus:
    """A text as character ids over its own sorted vocabulary, the last part held out."""

    text: str
    vocabulary: tuple[str, ...]
    ids: np.ndarray
    split: int
    """Index of the first held-out character."""

    @property
    def train(self) -> np.ndarray:
        return self.ids[: self.split]

    @property
    def held_out(self) -> np.ndarray:
        return self.ids[self.split :]

    def encode(self, text: str) -> list[int]:
        """The ids of ``text``'s characters; a character outside the vocabulary raises ValueError."""
        index = {character: i for i, character in enumerate(self.vocabulary)}
        unknown = sorted(set(require_text("text", text)) - set(index))
        if unknown:
            raise ValueError(f"text must use the corpus's characters only, got {unknown}")
        return [index[character] for character in text]

    def decode(self, ids: Sequence[int]) -> str:
        """The text of character ids; ``decode(encode(text)) == text``."""
        checked = as_int_array("ids", ids, ndim=1, low=0, high=len(self.vocabulary) - 1, allow_empty=True)
        return "".join(self.vocabulary[i] for i in checked)


def load_corpus(text: str | None = None, held_out_fraction: float = 0.1) -> Corpus:
    """``text`` (default: :data:`CORPUS`) as a :class:`Corpus` whose last ``held_out_fraction`` is held out."""
    text = CORPUS.read_text(encoding="utf-8") if text is None else require_text("text", text)
    if len(text) < 2:
        raise ValueError(f"text must have at least 2 characters (some to train on, some held out), got {text!r}")
    held_out_fraction = require_number_in_interval(
        "held_out_fraction", held_out_fraction, 0, 1, low_closed=False, high_closed=False
    )
    vocabulary = tuple(sorted(set(text)))
    index = {character: i for i, character in enumerate(vocabulary)}
    ids = np.array([index[c] for c in text])
    split = min(max(int((1 - held_out_fraction) * len(ids)), 1), len(ids) - 1)
    return Corpus(text, vocabulary, ids, split)


def batch_of(data: np.ndarray, starts: np.ndarray, context: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows of ``context`` ids from each start, and the ids one place later (their next tokens)."""
    data = as_int_array("data", data, ndim=1, low=0)
    context = require_int_in_range("context", context, 1, max(len(data) - 1, 1))
    starts = as_int_array("starts", starts, ndim=1, low=0, high=len(data) - context - 1)
    inputs = np.stack([data[s : s + context] for s in starts])
    targets = np.stack([data[s + 1 : s + context + 1] for s in starts])
    return inputs, targets


def held_out_loss(params: Params, data: np.ndarray, context: int) -> float:
    """Mean cross-entropy in nats per character over consecutive windows of ``data``."""
    params = require_params("params", params, _LM_KEYS, "init_lm")
    context = require_int_in_range("context", context, 1, params["position_embedding"].shape[0])
    data = as_int_array("data", data, ndim=1, low=0, high=params["token_embedding"].shape[0] - 1)
    if len(data) < context + 2:
        raise ValueError(f"data must hold at least context + 2 = {context + 2} ids, got {len(data)}")
    inputs, targets = batch_of(data, np.arange(0, len(data) - context - 1, context), context)
    return lm_loss_and_grad(lm_forward(params, inputs)[0], targets)[0]


@dataclass
class TinyLM:
    """A trained model: its parameters, context window, and the losses of its training."""

    params: Params
    context: int
    losses: list[float] = field(default_factory=list)
    """The training batch's loss at each step."""
    checkpoints: list[tuple[int, float]] = field(default_factory=list)
    """(step, held-out loss) at regular steps."""

    def __post_init__(self) -> None:
        self.params = require_params("params", self.params, _LM_KEYS, "init_lm")
        self.context = require_int_in_range("context", self.context, 1, self.params["position_embedding"].shape[0])

    def next_logits(self, tokens: Sequence[int]) -> np.ndarray:
        """Logits of the token after ``tokens``, seeing at most the last :attr:`context` of them."""
        vocab_size = self.params["token_embedding"].shape[0]
        window = as_int_array("tokens", tokens, ndim=1, low=0, high=vocab_size - 1)[-self.context :]
        return lm_forward(self.params, window[None, :])[0][0, -1]


def train(
    corpus: Corpus,
    context: int = 32,
    d_model: int = 48,
    steps: int = 1500,
    batch: int = 16,
    learning_rate: float = 6e-3,
    seed: int = 0,
    checkpoint_every: int = 250,
) -> TinyLM:
    """Train the model on ``corpus.train`` with Adam.

    Each step draws ``batch`` random windows of ``context`` characters, scores every position of every
    window in one forward pass (teacher forcing), and follows the gradient of the mean cross-entropy.
    The learning rate falls linearly to a tenth over the first nine tenths of training, then stays.
    The feed-forward layer is four times as wide as the embedding."""
    corpus = require_instance("corpus", corpus, Corpus, "a Corpus from load_corpus")
    for name, value in (
        ("d_model", d_model),
        ("steps", steps),
        ("batch", batch),
        ("checkpoint_every", checkpoint_every),
    ):
        require_int_in_range(name, value, 1)
    require_int_in_range("context", context, 1)
    require_int_in_range("seed", seed, 0)
    require_positive("learning_rate", learning_rate)
    if len(corpus.train) <= context + 1 or len(corpus.held_out) <= context + 1:
        raise ValueError(f"corpus: training and held-out text need more than context + 1 = {context + 1} characters")
    rng = np.random.default_rng(seed)
    params = init_lm(len(corpus.vocabulary), context, d_model, 4 * d_model, rng)
    optimizer = Adam(params, learning_rate=learning_rate)
    model = TinyLM(params, context)
    for step in range(steps):
        starts = rng.integers(0, len(corpus.train) - context - 1, batch)
        inputs, targets = batch_of(corpus.train, starts, context)
        logits, cache = lm_forward(params, inputs)
        loss, d_logits = lm_loss_and_grad(logits, targets)
        rate = learning_rate * max(0.1, 1 - step / steps)
        optimizer.step(params, lm_backward(params, cache, d_logits), learning_rate=rate)
        model.losses.append(loss)
        if (step + 1) % checkpoint_every == 0:
            model.checkpoints.append((step + 1, held_out_loss(params, corpus.held_out, context)))
    return model
