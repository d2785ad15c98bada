"""Deep linear autoencoder: every critical point, up to gauge, with loss, index and nullity.

``L(W₁, W₂) = (1/k) tr[(I - W₂W₁) Σ (I - W₂W₁)ᵀ]``, W₁ ∈ ℝ^{p×k}, W₂ ∈ ℝ^{k×p}
(parameters ``x = concat(W₁.ravel(), W₂.ravel())``, 2pk of them). For Σ with
distinct positive eigenvalues ``λ_1 < … < λ_k`` (eigenvectors u_j), Baldi &
Hornik (1989): the critical points up to the GL(p) gauge ``W₁ ↦ CW₁,
W₂ ↦ W₂C⁻¹`` are the subsets I ⊂ {1..k} with ``|I| = m ≤ p``; ``W₂W₁`` is the
projector onto ``span{u_i : i ∈ I}`` and

- loss     ``Σ_{j∉I} λ_j / k``;
- index    ``Σ_{i∈I} #{j ∉ I : λ_j > λ_i} + (p - m)(k - m)``;
- nullity  ``p² - (p - m)² = m(2p - m)``;
- positive ``2pk - index - nullity``.

Derivation of the last two terms (checked numerically against the full
Hessian for every subset, see the tests). Represent the class by
``W₂ = [u_I, 0]``, ``W₁ = W₂ᵀ``: m live hidden units and p - m dead ones
(zero in and out). Perturbing a dead unit's input row a and output column b
changes ``W₂W₁`` by ``b aᵀ`` only, so its Hessian block is
``[[0, -(2/k)ΣE], [-(2/k)ΣE, 0]]`` with ``E = I - W₂W₁``: eigenvalues
``±(2/k)λ_j`` for each j ∉ I and 2m zeros. The dead units therefore add
``(p-m)(k-m)`` negative directions and ``2m(p-m)`` zero modes, which are the
gauge directions mixing live and dead units; the live block is the width-m
point with its ``m²`` gauge zeros and Baldi–Hornik's index. Total gauge-orbit
dimension ``p² - (p-m)²`` (the stabiliser is GL(p-m) on the dead units).

References
----------
P. Baldi and K. Hornik, "Neural networks and principal component analysis:
learning from examples without local minima", Neural Networks 2 (1989) 53-58.
C. G. Frye et al., "Numerically recovering the critical points of a deep
linear autoencoder", arXiv:1901.10603 (2019) (k = 16, p = 4: 2517 classes).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

__all__ = [
    "LINEAR_AE_COLUMNS",
    "linear_ae_critical_set",
    "linear_ae_class",
    "linear_ae_point",
    "linear_ae_hessian",
    "linear_ae_class_count",
    "linear_ae_gap",
]

LINEAR_AE_COLUMNS = ("subset", "m", "loss", "index", "nullity", "positive")


def _check(k, p, eigenvalues):
    for name, v in (("k", k), ("p", p)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
    if p > k:
        raise ValueError(f"width p must be <= k, got p={p}, k={k}")
    lam = np.arange(1.0, k + 1) if eigenvalues is None else np.asarray(eigenvalues, dtype=float)
    if lam.shape != (k,):
        raise ValueError(f"need k = {k} eigenvalues, got shape {lam.shape}")
    if not (np.all(np.isfinite(lam)) and np.all(lam > 0) and np.all(np.diff(lam) > 0)):
        raise ValueError("eigenvalues must be positive, finite, distinct and ascending")
    return int(k), int(p), lam


def linear_ae_class_count(k: int, p: int) -> int:
    """Number of gauge classes, ``Σ_{m=0}^{p} C(k, m)`` (2517 for k = 16, p = 4)."""
    return sum(math.comb(k, m) for m in range(p + 1))


def linear_ae_class(subset, k: int, p: int, eigenvalues=None) -> dict:
    """Loss, index, nullity and positive count of the class of one subset.

    Parameters
    ----------
    subset : iterable of int
        Eigendirections kept, 1-based (1 = smallest eigenvalue), at most p.
    k, p : int
        Data dimension and bottleneck width.
    eigenvalues : array_like, shape (k,), optional
        Ascending distinct positive eigenvalues of Σ (default 1, 2, …, k).

    Returns
    -------
    row : dict
        Keys :data:`LINEAR_AE_COLUMNS`; ``subset`` as a sorted tuple.
    """
    k, p, lam = _check(k, p, eigenvalues)
    I = tuple(sorted(int(i) for i in subset))
    if len(set(I)) != len(I) or len(I) > p or any(not 1 <= i <= k for i in I):
        raise ValueError(f"subset must hold at most p={p} distinct indices in 1..{k}, got {subset!r}")
    m = len(I)
    out = [j for j in range(1, k + 1) if j not in I]
    index = sum(1 for i in I for j in out if lam[j - 1] > lam[i - 1]) + (p - m) * (k - m)
    nullity = p * p - (p - m) ** 2
    return {
        "subset": I,
        "m": m,
        "loss": float(sum(lam[j - 1] for j in out) / k),
        "index": index,
        "nullity": nullity,
        "positive": 2 * p * k - index - nullity,
    }


def linear_ae_critical_set(k: int, p: int, eigenvalues=None) -> pd.DataFrame:
    """Every critical gauge class of the deep linear autoencoder.

    Parameters
    ----------
    k, p : int
        Data dimension and bottleneck width, ``1 <= p <= k``.
    eigenvalues : array_like, shape (k,), optional
        Ascending distinct positive eigenvalues of Σ (default 1, 2, …, k,
        i.e. Σ = diag(1…k) of Frye et al.).

    Returns
    -------
    classes : DataFrame
        One row per subset I (``|I| ≤ p``), columns :data:`LINEAR_AE_COLUMNS`
        (``subset`` a tuple of 1-based eigen-indices), sorted by loss then
        index. The global minimum is ``I = {k-p+1, …, k}`` (index 0, loss
        ``Σ_{j ≤ k-p} λ_j / k``).

    Examples
    --------
    >>> len(linear_ae_critical_set(16, 4))
    2517

    References
    ----------
    Baldi & Hornik, Neural Networks 2 (1989) 53-58.
    """
    k, p, lam = _check(k, p, eigenvalues)
    rows = [
        linear_ae_class(I, k, p, lam)
        for m in range(p + 1)
        for I in itertools.combinations(range(1, k + 1), m)
    ]
    df = pd.DataFrame(rows, columns=list(LINEAR_AE_COLUMNS))
    return df.sort_values(["loss", "index"], kind="stable").reset_index(drop=True)


def linear_ae_point(subset, k: int, p: int, eigenvectors=None) -> tuple[np.ndarray, np.ndarray]:
    """The representative ``W₂ = [u_I, 0]``, ``W₁ = W₂ᵀ`` of a subset's class.

    Parameters
    ----------
    subset : iterable of int
        1-based eigen-indices, at most p.
    k, p : int
    eigenvectors : ndarray, shape (k, k), optional
        Columns u_j in ascending-eigenvalue order (default: the identity, for
        a diagonal Σ).

    Returns
    -------
    W1 : ndarray, shape (p, k)
    W2 : ndarray, shape (k, p)
    """
    U = np.eye(k) if eigenvectors is None else np.asarray(eigenvectors, dtype=float)
    I = sorted(int(i) for i in subset)
    W2 = np.zeros((k, p))
    for col, i in enumerate(I):
        W2[:, col] = U[:, i - 1]
    return W2.T.copy(), W2


def linear_ae_hessian(W1: np.ndarray, W2: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Exact Hessian of L at ``(W₁, W₂)``, in the order ``concat(W₁.ravel(), W₂.ravel())``.

    Parameters
    ----------
    W1 : ndarray, shape (p, k)
    W2 : ndarray, shape (k, p)
    sigma : ndarray, shape (k, k)
        Symmetric positive semidefinite covariance Σ.

    Returns
    -------
    H : ndarray, shape (2pk, 2pk)

    Notes
    -----
    With ``E = I - W₂W₁`` and a perturbation (A, B) of (W₁, W₂), the change of
    W₂W₁ is ``D = BW₁ + W₂A + BA``, and
    ``L = L₀ - (2/k) tr(D Σ Eᵀ) + (1/k) tr(D Σ Dᵀ)``. The second-order part is
    ``(1/k)‖(BW₁ + W₂A) Σ^{1/2}‖² - (2/k) tr(B A Σ Eᵀ)``: a Gram matrix of the
    linear map ``(A, B) ↦ (BW₁ + W₂A)Σ^{1/2}`` plus a bilinear A–B coupling.
    """
    W1 = np.asarray(W1, dtype=float)
    W2 = np.asarray(W2, dtype=float)
    S = np.asarray(sigma, dtype=float)
    p, k = W1.shape
    ev, V = np.linalg.eigh((S + S.T) / 2)
    root = (V * np.sqrt(np.clip(ev, 0, None))) @ V.T
    n1 = p * k
    # Columns: vec((B W1 + W2 A) Σ^{1/2}) for each unit perturbation.
    G = np.empty((k * k, 2 * n1))
    for a in range(n1):
        A = np.zeros((p, k))
        A.flat[a] = 1.0
        G[:, a] = (W2 @ A @ root).ravel()
    for b in range(n1):
        B = np.zeros((k, p))
        B.flat[b] = 1.0
        G[:, n1 + b] = (B @ W1 @ root).ravel()
    H = (2.0 / k) * (G.T @ G)
    E = np.eye(k) - W2 @ W1
    SE = S @ E.T  # tr(B A Σ Eᵀ) = Σ_{i,h,l} B_ih A_hl (ΣEᵀ)_li
    coupling = np.zeros((n1, n1))  # rows: A_hl (index h*k + l); cols: B_ih (index i*p + h)
    for h in range(p):
        for l in range(k):
            for i in range(k):
                coupling[h * k + l, i * p + h] = -(2.0 / k) * SE[l, i]
    H[:n1, n1:] += coupling
    H[n1:, :n1] += coupling.T
    return H


def linear_ae_gap(subset, k: int, p: int, eigenvalues=None) -> float:
    """Smallest nonzero |eigenvalue| of the exact Hessian at a subset's class.

    The class's nullity is known exactly (:func:`linear_ae_class`), so the gap
    is the (nullity + 1)-th smallest |λ| of :func:`linear_ae_hessian` — by count,
    no threshold. It bounds how far an approximate critical point's loss can
    sit from the class's: near a critical point, L(x) − L* ≈ ½ gᵀH⁺g ≤
    |∇L|² / (2·gap) (second-order model; gauge directions carry no gradient).

    Parameters
    ----------
    subset : iterable of int
        1-based eigen-indices, at most p.
    k, p : int
    eigenvalues : array_like, shape (k,), optional
        Ascending distinct positive eigenvalues of Σ (default 1, …, k).

    Returns
    -------
    float
    """
    k, p, lam = _check(k, p, eigenvalues)
    row = linear_ae_class(subset, k, p, lam)
    W1, W2 = linear_ae_point(row["subset"], k, p)
    ev = np.sort(np.abs(np.linalg.eigvalsh(linear_ae_hessian(W1, W2, np.diag(lam)))))
    return float(ev[row["nullity"]])
