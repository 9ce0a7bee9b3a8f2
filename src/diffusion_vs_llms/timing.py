"""The arithmetic of generation time: network evaluations times seconds per evaluation.

One model for each family, used on every page of the guide:

- an image from a diffusion model: ``t_image = N_steps × (evaluations per step) × t_eval``
  (2 evaluations per step with classifier-free guidance: conditional and unconditional);
- text from an LLM: ``t_text = t_prefill + (N_tokens − 1) × t_token``. The prompt pass (prefill)
  itself produces the first new token's distribution, so ``N_tokens`` new tokens take one prefill
  pass and ``N_tokens − 1`` decode passes (Pope et al., 2023, separate these two phases).
  The time to the first token is ``t_prefill``.

Every duration must be a finite number (``> 0``, or ``>= 0`` for a prefill time); NaN and
infinity are rejected.
"""

from __future__ import annotations

from .validation import require_int_in_range, require_nonnegative, require_positive


def diffusion_image_time(steps: int, seconds_per_step: float, evaluations_per_step: int = 1) -> float:
    """Seconds for one image: ``steps × evaluations_per_step × seconds_per_step``.

    ``seconds_per_step`` is the time of one network evaluation; ``evaluations_per_step`` is 1,
    or 2 with classifier-free guidance when the two evaluations are not batched together.
    """
    steps = require_int_in_range("steps", steps, 1)
    seconds_per_step = require_positive("seconds_per_step", seconds_per_step)
    evaluations_per_step = require_int_in_range("evaluations_per_step", evaluations_per_step, 1)
    return steps * evaluations_per_step * seconds_per_step


def sequential_time(count: int, seconds_each: float) -> float:
    """Seconds to make ``count`` outputs one after another (no batching, no parallelism)."""
    count = require_int_in_range("count", count, 1)
    return count * require_positive("seconds_each", seconds_each)


def llm_generation_time(new_tokens: int, seconds_per_token: float, prefill_seconds: float | None = None) -> float:
    """Seconds to generate ``new_tokens`` tokens: ``prefill_seconds + (new_tokens − 1) × seconds_per_token``.

    The model: the prompt pass (prefill, all prompt tokens in parallel) ends with the distribution
    of the first new token, so the first token costs the prefill and each further token one decode
    pass (Pope et al., 2023, "Efficiently Scaling Transformer Inference", treat prefill and decode
    as the two phases of generation). The time to the first token is ``prefill_seconds``.

    Args:
        new_tokens: number of generated tokens ``N >= 1``.
        seconds_per_token: time of one decode pass, ``> 0``.
        prefill_seconds: time of the prompt pass, ``>= 0``; ``None`` (the default) means it takes as
            long as one decode pass (a short prompt), so the total is ``new_tokens × seconds_per_token``.
    """
    new_tokens = require_int_in_range("new_tokens", new_tokens, 1)
    seconds_per_token = require_positive("seconds_per_token", seconds_per_token)
    if prefill_seconds is None:
        prefill_seconds = seconds_per_token
    prefill_seconds = require_nonnegative("prefill_seconds", prefill_seconds)
    return prefill_seconds + (new_tokens - 1) * seconds_per_token
