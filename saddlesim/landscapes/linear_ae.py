"""Deep linear autoencoder (Baldi & Hornik 1989): a non-convex loss whose critical points are known.

    L(W₁, W₂) = (1/k) tr[(I − W₂W₁) Σ (I − W₂W₁)ᵀ],   W₁ ∈ ℝ^{p×k},  W₂ ∈ ℝ^{k×p},

with data dimension k, bottleneck width p ≤ k, and data covariance Σ. A point
is ``x = concat(W₁.ravel(), W₂.ravel())`` (row-major), length 2pk.

As a network: write Σ = XᵀX for a "batch" X ∈ ℝ^{s×k} (rows are samples;
X = Σ^{1/2} for the default Σ, X = data/√m for a sample covariance). Then
L = (1/k)‖X − Y‖²_F with Z = X W₁ᵀ and Y = Z W₂ᵀ, two linear modules without
bias, and the gradient is backprop through them with the chain-rule formulas
∂L/∂W = (∂L/∂Y)ᵀX and ∂L/∂X = (∂L/∂Y)W. The Hessian is exact: it is built
from Pearlmutter's R-operator applied to that backprop (an exact
Hessian-vector product), one column per basis vector, all at once.

Counting convention
-------------------
L depends on (W₁, W₂) only through the k×k product A = W₂W₁, so it is
invariant under the GL(p) gauge W₁ ↦ CW₁, W₂ ↦ W₂C⁻¹ (p² exact zero modes of
the Hessian everywhere). One point is counted per gauge class and
``canonical(x) = (W₂W₁).ravel()``. That this *identifies* a class at a
critical point: if A = W₂W₁ = W₂'W₁' with W₂, W₂' of full rank p (the
generic critical points, |I| = p below), then range W₂ = range A = range W₂',
so W₂' = W₂C⁻¹ for an invertible C, and then W₁' = CW₁ because W₂ is
injective. At a rank-deficient critical point (|I| = m < p) the set of
pairs with the same A is a larger connected family of critical points with
one loss and one index, and Baldi–Hornik (and Frye et al.) count it once:
A is exactly that count. Critical points up to gauge ↔ subsets I of Σ's
eigendirections with |I| = m ≤ p; A is the orthogonal projector onto
span{u_i : i ∈ I} and L = Σ_{j∉I} λ_j / k.

References
----------
Baldi & Hornik (1989), Neural networks and principal component analysis:
learning from examples without local minima, Neural Networks 2, 53–58.
Frye, Simon, Wadia, Ligeralde, DeWeese & Bouchard (2019), Numerically
recovering the critical points of a deep linear autoencoder,
arXiv:1901.10603.
Pearlmutter (1994), Fast exact multiplication by the Hessian, Neural
Computation 6, 147–160.
"""

from __future__ import annotations

import numpy as np

from saddlesim.landscapes._checks import check_int
from saddlesim.landscapes.base import Euclidean

__all__ = ["LinearAutoencoder", "linear_autoencoder", "digits_variances"]


class LinearAutoencoder(Euclidean):
    """A deep linear autoencoder loss for a fixed data covariance.

    Parameters
    ----------
    X : ndarray, shape (s, k)
        A factor of the covariance, Σ = XᵀX (the "batch" the two linear
        modules act on).
    width : int
        Bottleneck width p, 1 <= p <= k.
    params : dict, optional
        JSON-able description recorded as ``self.params``.

    Attributes
    ----------
    k, width : int
        Data dimension and bottleneck width p.
    sigma : ndarray, shape (k, k)
        The covariance XᵀX.
    dim : int
        2·p·k.
    """

    name = "linear-ae"
    convention = "one point per GL(p) gauge class (W1 -> C W1, W2 -> W2 C^-1); canonical(x) = (W2 W1).ravel()"

    def __init__(self, X: np.ndarray, width: int, params: dict | None = None):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError(f"X must be a 2-d array (samples, k), got shape {X.shape}")
        self.X = X
        self.k = X.shape[1]
        self.width = check_int("width", width, 1)
        if self.width > self.k:
            raise ValueError(f"width must be <= k = {self.k}, got {self.width}")
        self.sigma = X.T @ X
        self.dim = 2 * self.width * self.k
        self.params = dict(params) if params is not None else {"k": self.k, "width": self.width}

    # -- coordinates -------------------------------------------------------------
    def split(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(W₁, W₂) of shapes (p, k) and (k, p) from a point of shape (2pk,) or (..., 2pk)."""
        x = np.asarray(x, dtype=float)
        n1 = self.width * self.k
        lead = x.shape[:-1]
        return x[..., :n1].reshape(*lead, self.width, self.k), x[..., n1:].reshape(*lead, self.k, self.width)

    @staticmethod
    def join(W1: np.ndarray, W2: np.ndarray) -> np.ndarray:
        """The point concat(W₁.ravel(), W₂.ravel())."""
        return np.concatenate([np.ravel(W1), np.ravel(W2)])

    # -- the loss and its derivatives ---------------------------------------------
    def _forward(self, W1, W2):
        Z = self.X @ W1.T  # (s, p)   first linear module, Y = X Wᵀ
        Y = Z @ W2.T  # (s, k)   second linear module
        return Z, Y

    def value(self, x: np.ndarray) -> float:
        """L at ``x``, shape (2pk,)."""
        W1, W2 = self.split(x)
        _, Y = self._forward(W1, W2)
        return float(np.sum((self.X - Y) ** 2) / self.k)

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """∇L, shape (2pk,), by backprop through the two linear modules (the chain rule)."""
        W1, W2 = self.split(x)
        Z, Y = self._forward(W1, W2)
        dY = -2.0 / self.k * (self.X - Y)
        dW2 = dY.T @ Z  # ∂L/∂W = (∂L/∂Y)ᵀ X for the second module (its input is Z)
        dZ = dY @ W2  # ∂L/∂X = (∂L/∂Y) W
        dW1 = dZ.T @ self.X
        return self.join(dW1, dW2)

    def hvp(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Exact Hessian-vector products ∇²L · v, by the R-operator on the backprop.

        Parameters
        ----------
        x : ndarray, shape (2pk,)
        v : ndarray, shape (2pk,) or (r, 2pk)
            One direction, or r directions as rows.

        Returns
        -------
        ndarray, same shape as ``v``
        """
        W1, W2 = self.split(x)
        V1, V2 = self.split(v)
        X = self.X
        Z, Y = self._forward(W1, W2)
        dY = -2.0 / self.k * (X - Y)
        # R{·}: directional derivative along v of every quantity in the backprop
        RZ = X @ np.swapaxes(V1, -1, -2)
        RY = RZ @ W2.T + Z @ np.swapaxes(V2, -1, -2)
        RdY = 2.0 / self.k * RY
        RdW2 = np.swapaxes(RdY, -1, -2) @ Z + dY.T @ RZ
        RdZ = RdY @ W2 + dY @ V2
        RdW1 = np.swapaxes(RdZ, -1, -2) @ X
        lead = np.shape(v)[:-1]
        return np.concatenate([RdW1.reshape(*lead, -1), RdW2.reshape(*lead, -1)], axis=-1)

    def hessian(self, x: np.ndarray) -> np.ndarray:
        """∇²L, shape (2pk, 2pk): the exact Hessian-vector product on every basis vector."""
        H = self.hvp(x, np.eye(self.dim))
        return (H + H.T) / 2

    def random_point(self, rng: np.random.Generator) -> np.ndarray:
        """Weights i.i.d. N(0, 1/fan_in): a typical initialisation."""
        W1 = rng.standard_normal((self.width, self.k)) / np.sqrt(self.k)
        W2 = rng.standard_normal((self.k, self.width)) / np.sqrt(self.width)
        return self.join(W1, W2)

    def canonical(self, x: np.ndarray) -> np.ndarray:
        """(W₂W₁).ravel(), shape (k²,): gauge invariant, and a class label at critical points."""
        W1, W2 = self.split(x)
        return (W2 @ W1).ravel()

    def balance(self, x: np.ndarray) -> np.ndarray:
        """A balanced point with the same product W₂W₁: W₂ = U S^½, W₁ = S^½ Vᵀ from the SVD of W₂W₁.

        Same loss (L depends on W₂W₁ only), and at a critical point another
        point of the same class; dead hidden units (singular values below
        ``√eps·max(1, s₁)``) get zero weights in and out, as in the
        Baldi–Hornik representative. Newton end points can drift far along
        the gauge orbit (W₁ huge, W₂ tiny): the Hessian's inertia is the same
        there (Sylvester), but its nonzero eigenvalues spread over many
        orders of magnitude and the nullity count by a threshold breaks, so
        points are balanced before they are labelled or hopped from.

        Parameters
        ----------
        x : ndarray, shape (2pk,)

        Returns
        -------
        ndarray, shape (2pk,)
        """
        W1, W2 = self.split(x)
        U, s, Vt = np.linalg.svd(W2 @ W1)
        p = self.width
        r = np.sqrt(np.where(s[:p] > np.sqrt(np.finfo(float).eps) * max(1.0, float(s[0])), s[:p], 0.0))
        return self.join(r[:, None] * Vt[:p], U[:, :p] * r[None, :])

    def __repr__(self) -> str:
        return f"LinearAutoencoder(k={self.k}, width={self.width})"


def digits_variances(k: int) -> np.ndarray:
    """The k leading principal variances of scikit-learn's digits (pixels / 16, ddof 0), ascending.

    Ascending, as :mod:`saddlesim.theory.linear_ae` numbers eigendirections:
    direction 1 has the smallest of the k variances, direction k the largest.

    In its principal coordinates the digits data have covariance diag(λ), so the
    autoencoder loss on the projected images equals the one on X = diag(√λ)
    (the loss depends on the data only through XᵀX / N).
    """
    from saddlesim.landscapes.datasets import load_dataset, principal_variances

    if not 1 <= k <= 64:
        raise ValueError(f"sigma='digits' has 64 principal directions: k must be in 1…64, got {k}")
    return principal_variances(load_dataset("digits").X)[0][:k][::-1].copy()


def linear_autoencoder(k: int = 5, width: int = 3, sigma="diag", samples: int | None = None, rng=None):
    """Build a deep linear autoencoder landscape.

    Parameters
    ----------
    k : int
        Data dimension, k >= 1.
    width : int
        Bottleneck width p, 1 <= p <= k.
    sigma : {"diag", "sample", "digits"} or sequence of k positive floats
        ``"diag"`` (default): Σ = diag(1, 2, …, k), as in Frye et al. (2019).
        ``"digits"``: real data — scikit-learn's digits, pixels / 16, centred
        and projected on their k leading principal directions (covariance
        ddof 0), so Σ = diag of those k variances in ascending order (the
        convention of :mod:`saddlesim.theory.linear_ae`) and the
        loss is (1/(N·k)) Σ_rows |x − W₂W₁x|² over the N = 1797 projected
        images (:mod:`saddlesim.landscapes.datasets`); k ≤ 64.
        ``"sample"``: the sample covariance Σ = DᵀD/m of m = ``samples`` rows
        D_i ~ N(0, diag(1, …, k)) drawn from ``rng`` (no centring: the
        population mean is known to be 0). A sequence: Σ = diag(sigma).
        Σ's eigenvalues should be distinct for Baldi–Hornik's count to hold.
    samples : int, optional
        m for ``sigma="sample"`` (default 10·k, at least k so Σ has full rank
        almost surely).
    rng : None, int, SeedSequence or Generator
        Used only by ``sigma="sample"``.

    Returns
    -------
    LinearAutoencoder

    References
    ----------
    Baldi & Hornik (1989); Frye et al. (2019), arXiv:1901.10603.
    """
    k = check_int("k", k, 1)
    width = check_int("width", width, 1)
    if width > k:
        raise ValueError(f"width must be <= k = {k}, got {width}")
    params: dict = {"k": k, "width": width}
    if isinstance(sigma, str):
        if sigma == "diag":
            X = np.diag(np.sqrt(np.arange(1.0, k + 1)))
            params["sigma"] = "diag"
        elif sigma == "digits":
            X = np.diag(np.sqrt(digits_variances(k)))
            params["sigma"] = "digits"
        elif sigma == "sample":
            m = 10 * k if samples is None else check_int("samples", samples, k)
            rng = np.random.default_rng(rng)
            D = rng.standard_normal((m, k)) * np.sqrt(np.arange(1.0, k + 1))
            X = D / np.sqrt(m)
            params.update(sigma="sample", samples=m)
        else:
            raise ValueError(f"sigma must be 'diag', 'sample', 'digits' or a list of k positive numbers, "
                             f"got {sigma!r}")
    else:
        try:
            lam = np.asarray(sigma, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"sigma must be 'diag', 'sample' or a list of k positive numbers, got {sigma!r}") from None
        if lam.shape != (k,) or not np.all(np.isfinite(lam)) or np.any(lam <= 0):
            raise ValueError(f"sigma as a list must hold k = {k} finite positive numbers, got {sigma!r}")
        X = np.diag(np.sqrt(lam))
        params["sigma"] = [float(v) for v in lam]
    if samples is not None and params.get("sigma") != "sample":
        raise ValueError("samples is only used with sigma='sample'")
    return LinearAutoencoder(X, width, params)
