"""Measuring generated images against real ones: the Fréchet distance behind FID.

FID (Heusel et al., 2017) fits a Gaussian to the features of real images and another to the
features of generated images, and reports the squared Fréchet (2-Wasserstein) distance between the two:

``‖μ_r − μ_g‖² + Tr(Σ_r + Σ_g − 2 (Σ_r Σ_g)^{1/2})``

FID takes the features from the Inception-v3 image classifier; the formula works on any feature
vectors, here the guide's 2-D toy data.
"""

from __future__ import annotations

import numpy as np

from .validation import as_real_array


def _features(name: str, value: np.ndarray) -> np.ndarray:
    features = as_real_array(name, value, ndim=2)
    if features.shape[0] < 2:
        raise ValueError(f"{name} must hold at least 2 samples (rows) for a covariance, got {features.shape[0]}")
    return features


def frechet_distance(real: np.ndarray, generated: np.ndarray) -> float:
    """The squared Fréchet distance between Gaussians fitted to two sets of feature vectors (FID's formula).

    Args:
        real: features of real samples, shape ``(n_real, d)``, ``n_real >= 2``.
        generated: features of generated samples, shape ``(n_generated, d)``, the same ``d``.

    Returns:
        ``‖μ_r − μ_g‖² + Tr(Σ_r) + Tr(Σ_g) − 2 Tr((Σ_r Σ_g)^{1/2})`` with the sample means and
        covariances; 0 for identical statistics, and >= 0 always. ``Tr((Σ_r Σ_g)^{1/2})`` is the
        sum of the square roots of the eigenvalues of ``Σ_r Σ_g``, which are real and >= 0: they are
        those of the positive semi-definite ``Σ_r^{1/2} Σ_g Σ_r^{1/2}``, as ``AB`` and ``BA`` share
        their eigenvalues.
    """
    real, generated = _features("real", real), _features("generated", generated)
    if generated.shape[1] != real.shape[1]:
        raise ValueError(
            f"generated must have the features' width of real, {real.shape[1]}, got shape {generated.shape}"
        )
    mean_gap = real.mean(axis=0) - generated.mean(axis=0)
    cov_real = np.atleast_2d(np.cov(real, rowvar=False))
    cov_generated = np.atleast_2d(np.cov(generated, rowvar=False))
    eigenvalues = np.linalg.eigvals(cov_real @ cov_generated).real
    cross = np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None)))  # rounding can leave -1e-17
    distance = mean_gap @ mean_gap + np.trace(cov_real) + np.trace(cov_generated) - 2.0 * cross
    return float(max(distance, 0.0))
