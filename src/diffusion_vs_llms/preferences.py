"""Learning from human preferences: the Bradley–Terry model of a comparison, the optimum of the
KL-regularized reward objective that RLHF maximizes, and direct preference optimization (DPO).

In the guide's notation (the paper's in brackets): a prompt ``c`` (``x``), the preferred answer
``a⁺`` and the other ``a⁻`` (``y_w``, ``y_l``), the KL weight ``β_KL`` (``β``).

- Bradley–Terry (Bradley and Terry, 1952): ``P(a⁺ ≻ a⁻ | c) = sigmoid(r(c, a⁺) − r(c, a⁻))`` with
  ``sigmoid(u) = 1 / (1 + exp(−u))`` and a reward ``r``.
- RLHF (Ouyang et al., 2022), in the form of Rafailov et al. (2023, eq. 3), maximizes
  ``E_{a∼π}[r(c, a)] − β_KL KL(π(·|c) ‖ π_ref(·|c))``; its optimum is
  ``π*(a | c) = π_ref(a | c) exp(r(c, a) / β_KL) / Z(c)`` (Rafailov et al., 2023, eq. 4).
- DPO (Rafailov et al., 2023, eq. 7):
  ``−log sigmoid(β_KL log π(a⁺|c)/π_ref(a⁺|c) − β_KL log π(a⁻|c)/π_ref(a⁻|c))``.

``π(a | c)`` is the probability of a whole answer, the product of its tokens' probabilities, so the
functions take log-probabilities: the sums of the tokens' log-probabilities.
"""

from __future__ import annotations

import numpy as np

from .validation import as_real_array, require_int_in_range, require_positive, require_probabilities


def _minus_log_sigmoid(z: np.ndarray) -> np.ndarray:
    """``−log sigmoid(z) = log(1 + exp(−z))``, without overflow for large ``|z|``."""
    return np.logaddexp(0.0, -z)


def preference_probability(reward_preferred: float, reward_other: float) -> float:
    """Bradley–Terry: the probability that the first answer is preferred, ``sigmoid(r⁺ − r⁻)``."""
    difference = float(as_real_array("reward_preferred", reward_preferred, ndim=0)) - float(
        as_real_array("reward_other", reward_other, ndim=0)
    )
    return float(np.exp(-_minus_log_sigmoid(np.float64(difference))))


def dpo_loss(
    policy_preferred: float, policy_other: float, reference_preferred: float, reference_other: float, beta_kl: float
) -> float:
    """DPO's loss for one comparison (Rafailov et al., 2023, eq. 7), in nats.

    Args:
        policy_preferred, policy_other: ``log π_θ(a | c)`` of the preferred and the other answer
            under the model being trained (each a sum of token log-probabilities, so <= 0).
        reference_preferred, reference_other: the same under the frozen reference model ``π_ref``.
        beta_kl: ``β_KL > 0``, the weight of the KL penalty the loss stands for.

    Returns:
        ``−log sigmoid(β_KL (policy_preferred − reference_preferred) − β_KL (policy_other − reference_other))``:
        ``log 2`` while the model equals the reference, less when it has moved probability towards
        the preferred answer relative to the reference.
    """
    beta_kl = require_positive("beta_kl", beta_kl)
    given = {
        "policy_preferred": policy_preferred,
        "policy_other": policy_other,
        "reference_preferred": reference_preferred,
        "reference_other": reference_other,
    }
    values = {name: float(as_real_array(name, value, ndim=0)) for name, value in given.items()}
    for name, value in values.items():
        if value > 0:
            raise ValueError(f"{name} is a log-probability and must be <= 0, got {value!r}")
    policy_w, policy_l, reference_w, reference_l = values.values()
    margin = beta_kl * ((policy_w - reference_w) - (policy_l - reference_l))
    return float(_minus_log_sigmoid(np.float64(margin)))


def kl_regularized_optimum(reference: np.ndarray, rewards: np.ndarray, beta_kl: float) -> np.ndarray:
    """The answer distribution that maximizes ``E_{a∼π}[r(a)] − β_KL KL(π ‖ π_ref)`` for one prompt:
    ``π_ref(a) exp(r(a) / β_KL)``, normalized (Rafailov et al., 2023, eq. 4).

    Args:
        reference: ``π_ref`` over the answers, a probability vector with every entry > 0.
        rewards: ``r(a)`` for each answer, the same length.
        beta_kl: ``β_KL > 0``; a large one keeps the reference, a small one puts nearly everything on
            the best answer.
    """
    reference, rewards = _answers(reference, rewards)
    beta_kl = require_positive("beta_kl", beta_kl)
    logits = np.log(reference) + rewards / beta_kl
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def _answers(reference: np.ndarray, rewards: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    reference = require_probabilities("reference", reference, ndim=1)
    if np.any(reference <= 0):
        raise ValueError(f"reference must give every answer a probability > 0, got {reference.min()!r}")
    if reference.size < 2:
        raise ValueError(f"reference must hold at least 2 answers to compare, got {reference.size}")
    rewards = as_real_array("rewards", rewards, ndim=1)
    if rewards.shape != reference.shape:
        raise ValueError(f"rewards must have one entry per answer, shape {reference.shape}, got {rewards.shape}")
    return reference, rewards


def fit_dpo(reference: np.ndarray, rewards: np.ndarray, beta_kl: float, steps: int = 2000) -> np.ndarray:
    """A distribution over the answers to one prompt trained with DPO, started at ``reference``.

    Every pair of answers is compared, the first preferred with its Bradley–Terry probability
    under ``rewards`` (the limit of very many comparisons), and the expected DPO loss over all
    pairs is minimized by gradient descent on the model's logits. DPO never sees ``rewards``, only
    which answer people prefer how often. The loss is that of a logistic regression in the logits,
    so it is convex and its minimum is :func:`kl_regularized_optimum`.

    Args:
        reference: ``π_ref``, a probability vector with every entry > 0.
        rewards: the reward of each answer that generates the preferences.
        beta_kl: ``β_KL > 0`` in the DPO loss.
        steps: gradient steps, >= 1.
    """
    reference, rewards = _answers(reference, rewards)
    beta_kl = require_positive("beta_kl", beta_kl)
    steps = require_int_in_range("steps", steps, 1)
    n = reference.size
    i, j = np.triu_indices(n, k=1)
    preferred = 1.0 / (1.0 + np.exp(-(rewards[i] - rewards[j])))  # P(answer i ≻ answer j)
    log_reference = np.log(reference)
    logits = log_reference.copy()
    # The Hessian of the summed pair losses is at most β_KL²/4 times the complete graph's Laplacian,
    # whose largest eigenvalue is n: this step size keeps gradient descent stable.
    step_size = 4.0 / (beta_kl**2 * n)
    for _ in range(steps):
        h = logits - log_reference  # log π_θ − log π_ref, up to a constant that cancels in pairs
        z = beta_kl * (h[i] - h[j])
        slope = beta_kl * (1.0 / (1.0 + np.exp(-z)) - preferred)  # d loss / d h_i for each pair
        gradient = np.zeros(n)
        np.add.at(gradient, i, slope)
        np.add.at(gradient, j, -slope)
        logits -= step_size * gradient
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()
