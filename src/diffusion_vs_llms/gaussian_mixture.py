"""Toy data whose ideal denoiser is known exactly: a mixture of isotropic Gaussians.

For data ``x_0 ~ sum_k weights[k] N(means[k], stds[k]^2 𝐈)`` the noisy marginal is again a mixture,
``x_t ~ sum_k weights[k] N(sqrt(alpha_bar) means[k], (alpha_bar stds[k]^2 + 1 - alpha_bar) 𝐈)``, and the
best possible noise prediction ``E[epsilon | x_t]`` has a closed form. It stands in for a
perfectly trained network, so sampling can be shown without training anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import (
    as_real_array,
    require_int_in_range,
    require_number_in_interval,
    require_probabilities,
    require_real_array_in_interval,
    require_rng,
)


@dataclass(frozen=True)
class GaussianMixture:
    """Isotropic Gaussian mixture.

    Attributes:
        means: shape ``(K, D)``, one row per component (a 1-D array is one component), finite.
        stds: shape ``(K,)``, each component's standard deviation, ``> 0``, finite.
        weights: shape ``(K,)``, mixture weights summing to 1.
    """

    means: np.ndarray
    stds: np.ndarray
    weights: np.ndarray

    def __post_init__(self) -> None:
        means = np.atleast_2d(as_real_array("means", self.means, ndim=(1, 2)))
        stds = as_real_array("stds", self.stds, ndim=(0, 1), finite=False).reshape(-1)
        stds = require_real_array_in_interval("stds", stds, 0.0, np.inf, low_closed=False, high_closed=False)
        weights = require_probabilities("weights", self.weights, ndim=1)
        if not (len(means) == len(stds) == len(weights)):
            raise ValueError(
                "means, stds and weights must describe the same number of components, "
                f"got means of shape {np.shape(self.means)} ({len(means)} component(s)), stds of shape "
                f"{np.shape(self.stds)}, weights of shape {np.shape(self.weights)}"
            )
        object.__setattr__(self, "means", means)
        object.__setattr__(self, "stds", stds)
        object.__setattr__(self, "weights", weights)

    @property
    def dim(self) -> int:
        """Dimension ``D`` of a data point."""
        return int(self.means.shape[1])

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` points; returns shape ``(n, D)``."""
        n = require_int_in_range("n", n, 1)
        rng = require_rng("rng", rng)
        component = rng.choice(len(self.weights), size=n, p=self.weights)
        return self.means[component] + self.stds[component, None] * rng.standard_normal((n, self.dim))

    def _points(self, x_t: np.ndarray) -> np.ndarray:
        x_t = np.atleast_2d(as_real_array("x_t", x_t, ndim=(1, 2)))
        if x_t.shape[1] != self.dim:
            raise ValueError(f"x_t must have shape (n, {self.dim}), got {x_t.shape}")
        return x_t

    def _noisy_components(self, x_t: np.ndarray, signal: float, noise_std: float):
        """For ``x_t = signal x_0 + noise_std epsilon``: each component's variance ``(K,)``, the points
        centred on each component's mean ``(n, K, D)``, and ``log(weight_k N(x_t; ...))`` ``(n, K)``."""
        variances = signal**2 * self.stds**2 + noise_std**2
        centred = x_t[:, None, :] - signal * self.means[None, :, :]
        log_joint = (
            np.log(self.weights)
            - 0.5 * self.dim * np.log(2 * np.pi * variances)
            - 0.5 * np.sum(centred**2, axis=2) / variances
        )
        return variances, centred, log_joint

    def log_density(self, x_t: np.ndarray, alpha_bar: float) -> np.ndarray:
        """``log q_t(x_t)`` of the noisy data ``sqrt(alpha_bar) x_0 + sqrt(1 - alpha_bar) epsilon``, for
        finite ``x_t`` of shape ``(n, D)`` (or ``(D,)``) and ``alpha_bar`` in ``[0, 1]``; shape ``(n,)``."""
        x_t = self._points(x_t)
        alpha_bar = require_number_in_interval("alpha_bar", alpha_bar, 0.0, 1.0, low_closed=True, high_closed=True)
        _, _, log_joint = self._noisy_components(x_t, np.sqrt(alpha_bar), np.sqrt(1.0 - alpha_bar))
        top = log_joint.max(axis=1)
        return top + np.log(np.exp(log_joint - top[:, None]).sum(axis=1))

    def score(self, x_t: np.ndarray, alpha_bar: float) -> np.ndarray:
        """The score ``grad log q_t(x_t)`` of the noisy data (see :meth:`log_density`), from the
        gradient of each component's Gaussian density; shape ``(n, D)``."""
        x_t = self._points(x_t)
        alpha_bar = require_number_in_interval("alpha_bar", alpha_bar, 0.0, 1.0, low_closed=True, high_closed=True)
        variances, centred, log_joint = self._noisy_components(x_t, np.sqrt(alpha_bar), np.sqrt(1.0 - alpha_bar))
        responsibility = _normalized(log_joint)
        return np.sum(responsibility[:, :, None] * -centred / variances[None, :, None], axis=1)

    def posterior_mean(self, x_t: np.ndarray, signal: float, noise_std: float) -> np.ndarray:
        """The exact ``E[x_0 | x_t]`` for ``x_t = signal x_0 + noise_std epsilon``, any scales with
        ``signal >= 0`` and ``noise_std > 0`` (DDPM's are ``sqrt(alpha_bar)`` and ``sqrt(1 - alpha_bar)``,
        rectified flow's ``1 - t`` and ``t``); ``x_t`` finite, shape ``(n, D)`` or ``(D,)``; shape ``(n, D)``.
        """
        x_t = self._points(x_t)
        signal = require_number_in_interval("signal", signal, 0.0, np.inf, low_closed=True, high_closed=False)
        noise_std = require_number_in_interval("noise_std", noise_std, 0.0, np.inf, low_closed=False, high_closed=False)
        variances, centred, log_joint = self._noisy_components(x_t, signal, noise_std)
        responsibility = _normalized(log_joint)
        # Per component, x_0 and x_t are jointly Gaussian: E[x_0 | x_t, k] = mu_k + Cov / Var * (x_t - signal mu_k).
        x0_given_k = self.means[None] + (signal * self.stds**2 / variances)[None, :, None] * centred
        return np.sum(responsibility[:, :, None] * x0_given_k, axis=1)

    def optimal_epsilon(self, x_t: np.ndarray, alpha_bar: float) -> np.ndarray:
        """The exact ``E[epsilon | x_t]`` for finite ``x_t`` of shape ``(n, D)`` (or one point of shape
        ``(D,)``) at a number ``alpha_bar`` in ``(0, 1)``.

        Returns shape ``(n, D)`` (``(1, D)`` for one point): what a perfectly trained noise-prediction
        network outputs.
        """
        x_t = self._points(x_t)
        alpha_bar = require_number_in_interval("alpha_bar", alpha_bar, 0.0, 1.0, low_closed=False, high_closed=False)
        variances, centred, log_joint = self._noisy_components(x_t, np.sqrt(alpha_bar), np.sqrt(1.0 - alpha_bar))
        responsibility = _normalized(log_joint)
        # Per component, E[eps | x_t, k] = sqrt(1 - alpha_bar) (x_t - sqrt(alpha_bar) mu_k) / variance_k.
        eps_given_k = np.sqrt(1.0 - alpha_bar) * centred / variances[None, :, None]
        return np.sum(responsibility[:, :, None] * eps_given_k, axis=1)


def _normalized(log_joint: np.ndarray) -> np.ndarray:
    """Each row of ``exp(log_joint)`` divided by its sum: the components' posterior probabilities."""
    shifted = np.exp(log_joint - log_joint.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
