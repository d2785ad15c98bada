"""Real data for network landscapes: the data sets scikit-learn ships inside its wheel.

``digits`` (1797 images of 8×8 pixels, 10 classes), ``iris`` (150×4, 3),
``wine`` (178×13, 3) and ``breast_cancer`` (569×30, 2) load from disk with no
network access, so every experiment on them reruns anywhere.

Inputs
------
``"raw"``
    digits: pixel intensities / 16, in [0, 1]; the others: each feature
    standardised to mean 0 and variance 1 (ddof 0), since their features
    have unrelated units.
``"pool4"``
    digits only: 2×2 average pooling of the raw image, 8×8 → 4×4 = 16 inputs
    (a smaller network on the same task).
``"pca"``
    the raw inputs centred and projected on the ``components`` leading
    principal directions of their covariance (ddof 0), in decreasing order of
    variance; the covariance of the projected data is then exactly
    diagonal, ``diag(λ₁ ≥ … ≥ λ_c)`` — the form Baldi & Hornik's exact
    solution of the linear autoencoder is written in. An eigenvector's sign
    is arbitrary (LAPACK drivers, SVD and sklearn's PCA return different
    ones, and a flipped input changes every trained network), so each
    direction is signed by :data:`PCA_SIGN_CONVENTION`: its entry of largest
    absolute value is positive (the first such entry on a tie). The
    description in ``meta.json`` records the convention.

References
----------
Alpaydin & Kaynak (1998), UCI optical recognition of handwritten digits
(scikit-learn's ``load_digits``: the 8×8 test set, 1797 images).
Baldi & Hornik (1989), Neural networks and principal component analysis,
Neural Networks 2, 53–58.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DATASETS", "INPUTS", "PCA_SIGN_CONVENTION", "Dataset", "load_dataset", "principal_variances"]

#: data set name → scikit-learn loader name
DATASETS = {
    "digits": "load_digits",
    "iris": "load_iris",
    "wine": "load_wine",
    "breast_cancer": "load_breast_cancer",
}
INPUTS = ("raw", "pool4", "pca")
#: How a principal direction's sign is fixed (recorded in every description of PCA inputs).
PCA_SIGN_CONVENTION = "each principal direction's entry of largest |value| is positive (first such entry on a tie)"
_SCALING = {"digits": "pixel intensities / 16"}


@dataclass(frozen=True, eq=False)
class Dataset:
    """A classification data set as float64 inputs and integer labels.

    Attributes
    ----------
    name, inputs : str
        Which data set and which input transform (see the module docstring).
    X : ndarray, shape (N, d)
    y : ndarray of int64, shape (N,)
        Labels 0 … n_classes − 1.
    n_classes : int
    """

    name: str
    inputs: str
    X: np.ndarray
    y: np.ndarray
    n_classes: int

    @property
    def shape(self) -> tuple[int, int]:
        return self.X.shape

    def describe(self) -> dict:
        """JSON-ready description (what rebuilds it, and its size)."""
        N, d = self.X.shape
        out = {"dataset": self.name, "inputs": self.inputs, "rows": int(N), "features": int(d),
               "classes": int(self.n_classes)}
        out["scaling"] = _SCALING.get(self.name, "each feature standardised to mean 0, variance 1 (ddof 0)")
        if self.inputs == "pool4":
            out["transform"] = "2×2 average pooling of the 8×8 image, row-major"
        if self.inputs == "pca":
            out["components"] = int(d)
            out["transform"] = ("centred, projected on the leading principal directions of the covariance (ddof 0, "
                                "numpy.linalg.eigh), in decreasing order of variance")
            out["pca_sign_convention"] = PCA_SIGN_CONVENTION
        return out


def _sklearn_data(name: str):
    try:
        from sklearn import datasets
    except ImportError:
        raise ValueError("real-data landscapes need scikit-learn: pip install 'saddlesim[data]'") from None
    return getattr(datasets, DATASETS[name])()


def principal_variances(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (decreasing) and eigenvectors of the covariance of ``X`` (ddof 0).

    Parameters
    ----------
    X : ndarray, shape (N, d)

    Returns
    -------
    lam : ndarray, shape (d,)
        Variances along the principal directions, λ₁ ≥ … ≥ λ_d ≥ 0.
    V : ndarray, shape (d, d)
        Column j is the j-th principal direction, signed by
        :data:`PCA_SIGN_CONVENTION` (its largest-|entry| is positive).
    """
    X = np.asarray(X, dtype=np.float64)
    Xc = X - X.mean(axis=0)
    lam, V = np.linalg.eigh(Xc.T @ Xc / X.shape[0])
    order = np.argsort(lam)[::-1]
    V = V[:, order]
    # eigh's signs are LAPACK's choice: fix them so that anyone's eigensolver gives the same projection
    V = V * np.where(V[np.argmax(np.abs(V), axis=0), np.arange(V.shape[1])] < 0, -1.0, 1.0)
    return np.clip(lam[order], 0.0, None), V


def load_dataset(name: str, inputs: str = "raw", components: int | None = None) -> Dataset:
    """One of scikit-learn's bundled classification data sets, transformed.

    Parameters
    ----------
    name : {"digits", "iris", "wine", "breast_cancer"}
    inputs : {"raw", "pool4", "pca"}
        See the module docstring; ``"pool4"`` is for digits only.
    components : int, optional
        Number of principal directions for ``inputs="pca"`` (required there,
        1 ≤ components ≤ d; not allowed otherwise).

    Returns
    -------
    Dataset

    Raises
    ------
    ValueError
        Unknown name or inputs, or a bad ``components``.
    """
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose from {', '.join(DATASETS)}")
    if inputs not in INPUTS:
        raise ValueError(f"unknown inputs {inputs!r}; choose from {', '.join(INPUTS)}")
    if (components is not None) != (inputs == "pca"):
        raise ValueError("components is required with inputs='pca' and only used there")
    raw = _sklearn_data(name)
    X = np.asarray(raw.data, dtype=np.float64)
    y = np.asarray(raw.target, dtype=np.int64)
    if name == "digits":
        X = X / 16.0
    else:
        sd = X.std(axis=0)
        X = (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    if inputs == "pool4":
        if name != "digits":
            raise ValueError("inputs='pool4' pools 8×8 images: digits only")
        X = X.reshape(-1, 4, 2, 4, 2).mean(axis=(2, 4)).reshape(-1, 16)
    elif inputs == "pca":
        d = X.shape[1]
        if isinstance(components, bool) or not isinstance(components, (int, np.integer)) or not 1 <= components <= d:
            raise ValueError(f"components must be an integer in 1…{d} for {name}, got {components!r}")
        _, V = principal_variances(X)
        X = (X - X.mean(axis=0)) @ V[:, :components]
    return Dataset(name=name, inputs=inputs, X=np.ascontiguousarray(X), y=y,
                   n_classes=int(y.max()) + 1)
