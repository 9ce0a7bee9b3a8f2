"""Choosing the next token, and the autoregressive generation loop.

Decoding strategies act on the logits of one step:

- greedy: the most probable token;
- temperature: ``softmax(z / T)``;
- top-k: keep the ``k`` most probable tokens;
- top-p (nucleus, Holtzman et al., 2020): keep the smallest set whose probability is at least ``p``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .probability import softmax
from .validation import require_in_interval, require_int_in_range, require_nonempty

NextTokenLogits = Callable[[Sequence[int]], np.ndarray]
"""``model(context) -> logits``: scores of shape ``(V,)`` for the token after ``context``."""


def _as_logits(logits: np.ndarray) -> np.ndarray:
    logits = np.asarray(logits, dtype=float)
    if logits.ndim != 1 or logits.size == 0:
        raise ValueError(f"logits must have shape (V,) with V >= 1, got {logits.shape}")
    return logits


def greedy(logits: np.ndarray) -> int:
    """Index of the largest logit (ties go to the lowest index)."""
    return int(np.argmax(_as_logits(logits)))


def top_k_filter(logits: np.ndarray, k: int) -> np.ndarray:
    """Logits with all but the ``k`` largest set to ``-inf``; shape ``(V,)``, ``k`` in ``[1, V]``."""
    logits = _as_logits(logits)
    k = require_int_in_range("k", k, 1, logits.size)
    keep = np.argsort(-logits, kind="stable")[:k]
    filtered = np.full_like(logits, -np.inf)
    filtered[keep] = logits[keep]
    return filtered


def top_p_filter(logits: np.ndarray, p: float, temperature: float = 1.0) -> np.ndarray:
    """Nucleus filtering: keep the most probable tokens until their total probability reaches ``p``.

    ``p`` is in ``(0, 1]``; probabilities are those of ``softmax(logits / temperature)``.
    Returns logits of shape ``(V,)`` with the dropped tokens set to ``-inf``.
    """
    logits = _as_logits(logits)
    p = float(require_in_interval("p", p, 0.0, 1.0, low_closed=False, high_closed=True))
    probs = softmax(logits, temperature)
    order = np.argsort(-probs, kind="stable")
    cumulative = np.cumsum(probs[order])
    # keep every token whose preceding mass is still below p, so the kept mass first reaches p
    n_keep = int(np.searchsorted(cumulative, p - 1e-12) + 1)
    keep = order[: min(n_keep, logits.size)]
    filtered = np.full_like(logits, -np.inf)
    filtered[keep] = logits[keep]
    return filtered


def next_token_distribution(
    logits: np.ndarray, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None
) -> np.ndarray:
    """The distribution a sampler draws from after temperature, top-k and top-p; shape ``(V,)``."""
    logits = _as_logits(logits)
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p, temperature)
    return softmax(logits, temperature)


def sample_next_token(
    logits: np.ndarray,
    rng: np.random.Generator,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
) -> int:
    """Draw one token index from :func:`next_token_distribution`."""
    probs = next_token_distribution(logits, temperature, top_k, top_p)
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

    With ``rng=None`` decoding is greedy; otherwise tokens are sampled with the given
    temperature, top-k and top-p. Generation stops after ``max_new_tokens`` tokens or
    right after ``stop_token`` is produced.
    """
    require_nonempty("prompt", prompt)
    max_new_tokens = require_int_in_range("max_new_tokens", max_new_tokens, 0)
    tokens = [int(t) for t in prompt]
    contexts: list[list[int]] = []
    for _ in range(max_new_tokens):
        contexts.append(list(tokens))
        logits = model(tokens)
        token = greedy(logits) if rng is None else sample_next_token(logits, rng, temperature, top_k, top_p)
        tokens.append(token)
        if stop_token is not None and token == stop_token:
            break
    new_tokens = tokens[len(prompt) :]
    return Generation(tokens, new_tokens, len(contexts), contexts)
