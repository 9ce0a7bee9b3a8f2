"""Choosing the next token, and the autoregressive generation loop.

Decoding strategies act on the logits ``ℓ`` of one step (one score per token of the vocabulary 𝒱):

- greedy: the most probable token;
- temperature: ``softmax(ℓ / τ)``, written ``temperature`` in code;
- top-k (Fan et al., 2018): keep the ``k`` most probable tokens;
- top-p (nucleus, Holtzman et al., 2020): keep the smallest set of most probable tokens whose
  probability is at least ``p_top`` (Holtzman et al.'s ``p``; the argument is ``p`` in
  :func:`top_p_filter` and ``top_p`` elsewhere).

Logits may contain ``-inf`` (an impossible token) but not NaN or ``+inf``, and at least one
logit must be finite; anything else raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .probability import softmax
from .validation import (
    as_int_array,
    as_logits,
    require_callable,
    require_int_in_range,
    require_number_in_interval,
    require_positive,
    require_rng,
)

NextTokenLogits = Callable[[Sequence[int]], np.ndarray]
"""``model(context) -> logits``: scores of shape ``(|𝒱|,)`` for the token after ``context``."""

TOP_P_TOLERANCE = 1e-12
"""Slack of the top-p boundary: a token is kept while the mass before it is below ``p_top - 1e-12``."""


def _as_logits(logits: np.ndarray, name: str = "logits") -> np.ndarray:
    return as_logits(name, logits, ndim=1)


def _top_k(logits: np.ndarray, k: int) -> np.ndarray:
    keep = np.argsort(-logits, kind="stable")[:k]
    filtered = np.full_like(logits, -np.inf)
    filtered[keep] = logits[keep]
    return filtered


def _top_p(logits: np.ndarray, p: float, temperature: float) -> np.ndarray:
    probs = softmax(logits, temperature)
    order = np.argsort(-probs, kind="stable")
    cumulative = np.cumsum(probs[order])
    # keep every token whose preceding mass is still below p_top, so the kept mass first reaches p_top
    n_keep = int(np.searchsorted(cumulative, p - TOP_P_TOLERANCE) + 1)
    keep = order[: min(n_keep, logits.size)]
    filtered = np.full_like(logits, -np.inf)
    filtered[keep] = logits[keep]
    return filtered


def greedy(logits: np.ndarray) -> int:
    """Index of the largest logit; ties go to the lowest index (as ``torch.argmax``).

    ``logits`` has shape ``(|𝒱|,)``; NaN, ``+inf`` and all ``-inf`` are rejected.
    """
    return int(np.argmax(_as_logits(logits)))


def top_k_filter(logits: np.ndarray, k: int) -> np.ndarray:
    """Logits with all but the ``k`` largest set to ``-inf``; shape ``(|𝒱|,)``, ``k`` in ``[1, |𝒱|]``.

    Exactly ``k`` tokens are kept. Tie rule: among equal logits the lower index is kept, so a tie
    at the ``k``-th place keeps the first of the tied tokens. This differs from Hugging Face
    ``transformers`` (``TopKLogitsWarper``), which drops only logits strictly below the ``k``-th
    largest and so keeps every token tied with it (possibly more than ``k``).
    """
    logits = _as_logits(logits)
    k = require_int_in_range("k", k, 1, logits.size)
    return _top_k(logits, k)


def top_p_filter(logits: np.ndarray, p: float, temperature: float = 1.0) -> np.ndarray:
    """Nucleus filtering: keep the most probable tokens until their total probability reaches ``p``.

    ``p`` is the threshold ``p_top`` in ``(0, 1]``; probabilities are those of
    ``softmax(logits / temperature)``. Returns logits of shape ``(|𝒱|,)`` with the dropped tokens
    set to ``-inf``.

    Boundary: the kept set is the smallest set of most probable tokens whose mass is ``>= p``
    (a set that reaches ``p`` exactly stops there), with a tolerance of ``1e-12``
    (:data:`TOP_P_TOLERANCE`) so that a float sum such as ``0.5 + 0.3`` that misses ``0.8`` by rounding
    still stops at the boundary. Ties in probability are ordered by index, lower first. Hugging Face
    ``transformers`` (``TopPLogitsWarper``) has the same boundary in exact arithmetic (it drops the
    least probable tokens while their total is ``<= 1 - p``) but no tolerance, and its sort does
    not promise an order among ties.
    """
    logits = _as_logits(logits)
    p = require_number_in_interval("p", p, 0.0, 1.0, low_closed=False, high_closed=True)
    temperature = require_positive("temperature", temperature)
    return _top_p(logits, p, temperature)


def _decoding_options(
    temperature: float, top_k: int | None, top_p: float | None, vocabulary_size: int | None
) -> tuple[float, int | None, float | None]:
    temperature = require_positive("temperature", temperature)
    if top_k is not None:
        top_k = require_int_in_range("top_k", top_k, 1, vocabulary_size)
    if top_p is not None:
        top_p = require_number_in_interval("top_p", top_p, 0.0, 1.0, low_closed=False, high_closed=True)
    return temperature, top_k, top_p


def _distribution(logits: np.ndarray, temperature: float, top_k: int | None, top_p: float | None) -> np.ndarray:
    if top_k is not None:
        logits = _top_k(logits, top_k)
    if top_p is not None:
        logits = _top_p(logits, top_p, temperature)
    return softmax(logits, temperature)


def next_token_distribution(
    logits: np.ndarray, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None
) -> np.ndarray:
    """The distribution a sampler draws from after temperature, top-k and top-p; shape ``(|𝒱|,)``.

    Top-k is applied first, then top-p on the renormalised survivors (the order of Hugging Face
    ``transformers``); both use ``softmax(ℓ / τ)`` with ``τ = temperature``.
    """
    logits = _as_logits(logits)
    temperature, top_k, top_p = _decoding_options(temperature, top_k, top_p, logits.size)
    return _distribution(logits, temperature, top_k, top_p)


def sample_next_token(
    logits: np.ndarray,
    rng: np.random.Generator,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
) -> int:
    """Draw one token index from :func:`next_token_distribution`."""
    logits = _as_logits(logits)
    rng = require_rng("rng", rng)
    temperature, top_k, top_p = _decoding_options(temperature, top_k, top_p, logits.size)
    probs = _distribution(logits, temperature, top_k, top_p)
    return int(rng.choice(probs.size, p=probs))


@dataclass
class Generation:
    """Result of :func:`generate`.

    Attributes:
        tokens: prompt followed by the generated tokens.
        new_tokens: only the generated tokens.
        model_calls: how many times the model was evaluated (one per new token).
        contexts: the context the model saw at each step.
    """

    tokens: list[int]
    new_tokens: list[int]
    model_calls: int
    contexts: list[list[int]]


def generate(
    model: NextTokenLogits,
    prompt: Sequence[int],
    max_new_tokens: int,
    rng: np.random.Generator | None = None,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    stop_token: int | None = None,
) -> Generation:
    """Autoregressive generation: one model call per token, each new token appended to the context.

    With ``rng=None`` decoding is greedy (temperature, top-k and top-p cannot change the most
    probable token, so they are checked but have no effect); otherwise tokens are sampled with
    the given temperature, top-k and top-p. Generation stops after ``max_new_tokens`` tokens or
    right after ``stop_token`` is produced. ``prompt`` is a non-empty sequence of token ids
    ``>= 0``; ``model(context)`` must return logits of shape ``(|𝒱|,)``.
    """
    model = require_callable("model", model)
    prompt_ids = as_int_array("prompt", prompt, ndim=1, low=0)
    max_new_tokens = require_int_in_range("max_new_tokens", max_new_tokens, 0)
    if rng is not None:
        rng = require_rng("rng", rng)
    temperature, top_k, top_p = _decoding_options(temperature, top_k, top_p, None)
    if stop_token is not None:
        stop_token = require_int_in_range("stop_token", stop_token, 0)
    tokens = [int(t) for t in prompt_ids]
    contexts: list[list[int]] = []
    for _ in range(max_new_tokens):
        contexts.append(list(tokens))
        logits = _as_logits(model(tokens), "model(context)")
        if top_k is not None:
            require_int_in_range("top_k", top_k, 1, logits.size)
        if rng is None:
            token = int(np.argmax(logits))
        else:
            probs = _distribution(logits, temperature, top_k, top_p)
            token = int(rng.choice(probs.size, p=probs))
        tokens.append(token)
        if stop_token is not None and token == stop_token:
            break
    new_tokens = tokens[len(prompt_ids) :]
    return Generation(tokens, new_tokens, len(contexts), contexts)


def expected_tokens_per_pass(acceptance: float, draft_tokens: int) -> float:
    """Expected tokens a pass of the large model yields in speculative decoding (Leviathan et al.,
    2023, equation 1): ``(1 - a**(g + 1)) / (1 - a)`` for ``draft_tokens`` ``g >= 1`` drafted
    tokens, each accepted with probability ``acceptance`` ``a`` in ``[0, 1]`` independently; the
    pass always yields one token of its own after the accepted ones (a replacement, or a bonus token
    when all ``g`` are accepted), so the result runs from 1 (``a = 0``) to ``g + 1`` (``a = 1``)."""
    a = require_number_in_interval("acceptance", acceptance, 0.0, 1.0, low_closed=True, high_closed=True)
    g = require_int_in_range("draft_tokens", draft_tokens, 1)
    return float(g + 1) if a == 1.0 else (1.0 - a ** (g + 1)) / (1.0 - a)
