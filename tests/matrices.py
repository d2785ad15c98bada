"""Test matrices with a chosen spectrum, shared by the curvature tests."""

from __future__ import annotations

import numpy as np


def rotated_with_basis(lam, seed):
    """(Q diag(lam) Qᵀ, Q) with Q Haar-orthogonal from ``seed``: a matrix with exactly these eigenvalues."""
    rng = np.random.default_rng(seed)
    Q, R = np.linalg.qr(rng.standard_normal((len(lam), len(lam))))
    Q *= np.sign(np.diag(R))                 # the sign fix that makes Q Haar-distributed
    return (Q * np.asarray(lam)) @ Q.T, Q


def rotated(lam, seed):
    """Q diag(lam) Qᵀ with Q Haar-orthogonal from ``seed``: a matrix with exactly these eigenvalues."""
    return rotated_with_basis(lam, seed)[0]
