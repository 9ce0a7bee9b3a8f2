"""The arithmetic of generation time: network evaluations times seconds per evaluation."""

from __future__ import annotations

from .validation import require_int_in_range, require_positive


def diffusion_image_time(steps: int, seconds_per_step: float) -> float:
    """Seconds for one image: ``steps`` denoising steps, each one network evaluation."""
    steps = require_int_in_range("steps", steps, 1)
    return steps * require_positive("seconds_per_step", seconds_per_step)


def sequential_time(count: int, seconds_each: float) -> float:
    """Seconds to make ``count`` outputs one after another (no batching, no parallelism)."""
    count = require_int_in_range("count", count, 1)
    return count * require_positive("seconds_each", seconds_each)


def llm_generation_time(new_tokens: int, seconds_per_token: float, prefill_seconds: float = 0.0) -> float:
    """Seconds to generate ``new_tokens`` tokens one at a time after reading the prompt.

    ``prefill_seconds`` is the one-off cost of processing the prompt (all prompt tokens in
    parallel); it must be ``>= 0``.
    """
    new_tokens = require_int_in_range("new_tokens", new_tokens, 1)
    seconds_per_token = require_positive("seconds_per_token", seconds_per_token)
    if prefill_seconds < 0:
        raise ValueError(f"prefill_seconds must be >= 0, got {prefill_seconds!r}")
    return prefill_seconds + new_tokens * seconds_per_token
