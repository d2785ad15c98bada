"""One-hidden-layer tanh network with squared loss on teacher–student data.

The student maps inputs x ∈ ℝ^d to outputs ∈ ℝ^o through h tanh units,

    A = X W₁ᵀ + 1 b₁ᵀ,   Z = tanh(A),   Y = Z W₂ᵀ + 1 b₂ᵀ,
    L = (1 / (2 m o)) ‖Y − T‖²_F,

for m samples X ∈ ℝ^{m×d} (rows i.i.d. N(0, I_d)) and targets T ∈ ℝ^{m×o}
produced by a *teacher*: a random network of the same shape (h_teacher = h
by default), weights N(0, 1/fan_in), biases N(0, 1) scaled by 0.1 — plus
optional label noise N(0, noise²). The loss is the mean squared error over
samples and outputs, halved, so the Gauss–Newton part of the Hessian is
JᵀJ/(m o) and L = 0 at the teacher when there is no noise.

A point is x = concat(W₁.ravel(), b₁, W₂.ravel(), b₂) with W₁ (h, d),
b₁ (h,), W₂ (o, h), b₂ (o,); ``bias=False`` drops b₁ and b₂. The ratio
φ = (number of parameters) / (m·o) of Pennington & Bahri (2017) is the
attribute ``phi``.

The gradient is backprop with the chain-rule formulas: ∂L/∂W = (∂L/∂Y)ᵀX,
∂L/∂X = (∂L/∂Y)W, ∂L/∂b = 1ᵀ∂L/∂Y, and through the nonlinearity
∂L/∂A = ∂L/∂Z ∘ h′(A) with h′ = 1 − tanh². The Hessian is exact: the
R-operator (Pearlmutter 1994) applied to that backprop gives exact
Hessian-vector products, evaluated on every basis vector at once.

Counting convention: tanh is odd, so flipping the sign of a hidden unit's
incoming weights, bias and outgoing weights leaves the network unchanged,
and so does permuting hidden units (a group of order 2^h·h!). One point is
counted per class; ``canonical`` flips each unit so that the entry of
largest magnitude in its (incoming, bias, outgoing) vector is positive, then
sorts the units lexicographically.

References
----------
Pennington & Bahri (2017), Geometry of neural network loss surfaces via
random matrix theory, ICML (the ratio φ and the index-vs-loss question).
Dauphin et al. (2014), Identifying and attacking the saddle point problem in
high-dimensional non-convex optimization, arXiv:1406.2572.
Pearlmutter (1994), Fast exact multiplication by the Hessian, Neural
Computation 6, 147–160.
"""

from __future__ import annotations

import numpy as np

from saddlesim.landscapes._checks import check_int, check_positive
from saddlesim.landscapes.base import Euclidean

__all__ = ["TanhMLP", "tanh_mlp"]


class TanhMLP(Euclidean):
    """Squared loss of a one-hidden-layer tanh network on fixed data.

    Parameters
    ----------
    X : ndarray, shape (m, d)
        Inputs, one sample per row.
    T : ndarray, shape (m, o)
        Targets.
    hidden : int
        Number of hidden units h.
    bias : bool
        Whether the hidden and output layers have biases.
    params : dict, optional
        JSON-able description recorded as ``self.params``.

    Attributes
    ----------
    d, h, m, outputs : int
    dim : int
        Number of parameters, h·d + o·h (+ h + o with biases).
    phi : float
        dim / (m · outputs).
    """

    name = "mlp"
    convention = (
        "one point per class under hidden-unit sign flips and permutations; "
        "canonical() flips each unit's largest entry positive and sorts units"
    )

    def __init__(self, X: np.ndarray, T: np.ndarray, hidden: int, bias: bool = True, params: dict | None = None):
        X = np.asarray(X, dtype=float)
        T = np.asarray(T, dtype=float)
        if T.ndim == 1:
            T = T[:, None]
        if X.ndim != 2 or T.ndim != 2 or X.shape[0] != T.shape[0]:
            raise ValueError(f"X (m, d) and T (m, o) must share m, got shapes {X.shape} and {T.shape}")
        self.X, self.T = X, T
        self.m, self.d = X.shape
        self.outputs = T.shape[1]
        self.h = check_int("hidden", hidden, 1)
        self.bias = bool(bias)
        h, d, o = self.h, self.d, self.outputs
        self._sizes = [h * d, h if self.bias else 0, o * h, o if self.bias else 0]
        self._offsets = np.cumsum([0, *self._sizes])
        self.dim = int(self._offsets[-1])
        self.phi = self.dim / (self.m * self.outputs)
        self.params = dict(params) if params is not None else {"d": d, "h": h, "m": self.m, "outputs": o}

    # -- coordinates -------------------------------------------------------------
    def split(self, x: np.ndarray):
        """(W₁ (…, h, d), b₁ (…, h), W₂ (…, o, h), b₂ (…, o)) from x of shape (…, dim).

        Without biases b₁ and b₂ are zero arrays (never parameters).
        """
        x = np.asarray(x, dtype=float)
        lead = x.shape[:-1]
        off = self._offsets
        W1 = x[..., off[0] : off[1]].reshape(*lead, self.h, self.d)
        W2 = x[..., off[2] : off[3]].reshape(*lead, self.outputs, self.h)
        if self.bias:
            b1 = x[..., off[1] : off[2]]
            b2 = x[..., off[3] : off[4]]
        else:
            b1 = np.zeros((*lead, self.h))
            b2 = np.zeros((*lead, self.outputs))
        return W1, b1, W2, b2

    def join(self, W1, b1, W2, b2) -> np.ndarray:
        """The point for given weights (biases ignored when ``bias=False``), shape (…, dim)."""
        W1, W2 = np.asarray(W1, float), np.asarray(W2, float)
        lead = W1.shape[:-2]
        parts = [W1.reshape(*lead, -1), W2.reshape(*lead, -1)]
        if self.bias:
            parts = [parts[0], np.asarray(b1, float), parts[1], np.asarray(b2, float)]
        return np.concatenate(parts, axis=-1)

    # -- the loss and its derivatives ---------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:
        """Network outputs Y, shape (m, o), on the training inputs."""
        W1, b1, W2, b2 = self.split(x)
        return np.tanh(self.X @ W1.T + b1) @ W2.T + b2

    def value(self, x: np.ndarray) -> float:
        """L at ``x``, shape (dim,)."""
        R = self.forward(x) - self.T
        return float(np.sum(R**2) / (2 * self.m * self.outputs))

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """∇L, shape (dim,), by backprop (the chain rule)."""
        W1, b1, W2, b2 = self.split(x)
        Z = np.tanh(self.X @ W1.T + b1)
        dY = (Z @ W2.T + b2 - self.T) / (self.m * self.outputs)
        dW2 = dY.T @ Z  # ∂L/∂W = (∂L/∂Y)ᵀ X
        db2 = dY.sum(axis=0)  # ∂L/∂b = 1ᵀ ∂L/∂Y
        dZ = dY @ W2  # ∂L/∂X = (∂L/∂Y) W
        dA = dZ * (1 - Z**2)  # ∂L/∂X = ∂L/∂Y ∘ h′(X), h′ = 1 − tanh²
        dW1 = dA.T @ self.X
        db1 = dA.sum(axis=0)
        return self.join(dW1, db1, dW2, db2)

    def hvp(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Exact Hessian-vector products ∇²L · v by the R-operator on the backprop.

        Parameters
        ----------
        x : ndarray, shape (dim,)
        v : ndarray, shape (dim,) or (r, dim)

        Returns
        -------
        ndarray, same shape as ``v``
        """
        W1, b1, W2, b2 = self.split(x)
        V1, c1, V2, c2 = self.split(v)
        X = self.X
        c = 1.0 / (self.m * self.outputs)
        Z = np.tanh(X @ W1.T + b1)
        S = 1 - Z**2
        dY = (Z @ W2.T + b2 - self.T) * c
        dZ = dY @ W2
        T_ = np.swapaxes  # transpose of the last two axes (batched over directions)
        # R{·}: directional derivative along v of each quantity in forward and backward pass
        RA = X @ T_(V1, -1, -2) + c1[..., None, :]
        RZ = S * RA
        RY = RZ @ W2.T + Z @ T_(V2, -1, -2) + c2[..., None, :]
        RdY = RY * c
        RdW2 = T_(RdY, -1, -2) @ Z + dY.T @ RZ
        Rdb2 = RdY.sum(axis=-2)
        RdZ = RdY @ W2 + dY @ V2
        RdA = RdZ * S - 2 * dZ * Z * RZ  # R{h′(A)} = −2 tanh(A) R{Z}
        RdW1 = T_(RdA, -1, -2) @ X
        Rdb1 = RdA.sum(axis=-2)
        return self.join(RdW1, Rdb1, RdW2, Rdb2)

    def hessian(self, x: np.ndarray) -> np.ndarray:
        """∇²L, shape (dim, dim): exact Hessian-vector products on every basis vector."""
        H = self.hvp(x, np.eye(self.dim))
        return (H + H.T) / 2

    def random_point(self, rng: np.random.Generator) -> np.ndarray:
        """Weights N(0, 1/fan_in), biases 0: a typical initialisation."""
        W1 = rng.standard_normal((self.h, self.d)) / np.sqrt(self.d)
        W2 = rng.standard_normal((self.outputs, self.h)) / np.sqrt(self.h)
        return self.join(W1, np.zeros(self.h), W2, np.zeros(self.outputs))

    def canonical(self, x: np.ndarray) -> np.ndarray:
        """The representative of x's sign-flip × permutation class, shape (dim,)."""
        W1, b1, W2, b2 = self.split(x)
        units = np.column_stack([W1, b1, W2.T]) if self.bias else np.column_stack([W1, W2.T])
        # the largest-|·| entry sits at the same place in u and −u, so its sign is a class invariant
        big = units[np.arange(self.h), np.argmax(np.abs(units), axis=1)]
        units = units * np.where(big < 0, -1.0, 1.0)[:, None]
        units = units[np.lexsort(units.T[::-1])]
        W1c = units[:, : self.d]
        b1c = units[:, self.d] if self.bias else None
        W2c = units[:, -self.outputs :].T
        return self.join(W1c, b1c, W2c, b2)

    def __repr__(self) -> str:
        return f"TanhMLP(d={self.d}, h={self.h}, m={self.m}, outputs={self.outputs}, bias={self.bias})"


def tanh_mlp(
    d: int = 4,
    h: int = 4,
    m: int = 32,
    outputs: int = 1,
    *,
    teacher_h: int | None = None,
    noise: float = 0.0,
    bias: bool = True,
    rng=None,
) -> TanhMLP:
    """Draw a teacher–student tanh-network landscape.

    Parameters
    ----------
    d, h, m, outputs : int
        Inputs, hidden units, samples, outputs (all >= 1).
    teacher_h : int, optional
        Hidden units of the teacher (default h: the student can fit it exactly).
    noise : float
        Standard deviation of Gaussian label noise added to the teacher's outputs.
    bias : bool
        Biases in both layers (student and teacher).
    rng : None, int, SeedSequence or Generator
        Inputs, then the teacher, then the noise are drawn from it in that
        order, so changing ``noise`` changes neither inputs nor teacher.

    Returns
    -------
    TanhMLP
        With ``teacher`` attribute: the teacher's parameter point when
        teacher_h == h (then L(teacher) = 0 without noise), else None.

    References
    ----------
    Pennington & Bahri (2017), ICML.
    """
    d = check_int("d", d, 1)
    h = check_int("h", h, 1)
    m = check_int("m", m, 1)
    outputs = check_int("outputs", outputs, 1)
    th = h if teacher_h is None else check_int("teacher_h", teacher_h, 1)
    noise = check_positive("noise", noise, allow_zero=True)
    rng = np.random.default_rng(rng)
    # inputs, then teacher, then noise from one stream: the noise level never changes X or the teacher
    X = rng.standard_normal((m, d))
    TW1 = rng.standard_normal((th, d)) / np.sqrt(d)
    TW2 = rng.standard_normal((outputs, th)) / np.sqrt(th)
    Tb1 = 0.1 * rng.standard_normal(th) if bias else np.zeros(th)
    Tb2 = 0.1 * rng.standard_normal(outputs) if bias else np.zeros(outputs)
    T = np.tanh(X @ TW1.T + Tb1) @ TW2.T + Tb2
    if noise > 0:
        T = T + noise * rng.standard_normal(T.shape)
    params = {"d": d, "h": h, "m": m, "outputs": outputs, "teacher_h": th, "noise": noise, "bias": bool(bias)}
    net = TanhMLP(X, T, h, bias=bias, params=params)
    net.teacher = net.join(TW1, Tb1, TW2, Tb2) if th == h else None
    return net
