"""How many critical points did a search not see? Chao1 from how often each one was found.

Each distinct critical point (class) of an instance was found ``times_found``
times by its solves. With ``f₁`` classes found exactly once and ``f₂``
exactly twice, Chao's (1984) lower-bound estimate of the number of classes is

    N̂ = N_obs + f₁² / (2 f₂),

and, when ``f₂ = 0``, the bias-corrected form N̂ = N_obs + f₁(f₁ − 1) / 2
(Chao 1987, with the (n − 1)/n factor taken as 1). Many classes seen once
mean many not seen at all; when every class was found at least twice the
estimate is N_obs. The estimate assumes each solve lands on a class
independently with a fixed probability; hops (solves started next to found
points) favour the neighbours of what was found, so with hops it is only a
rough guide.

References
----------
Chao, A. (1984), "Nonparametric estimation of the number of classes in a
population", Scandinavian Journal of Statistics 11(4), 265–270.
Chao, A. (1987), "Estimating the population size for capture-recapture data
with unequal catchability", Biometrics 43(4), 783–791.
"""

from __future__ import annotations

import numpy as np

__all__ = ["chao1", "completeness", "missing_warning", "MISSING_WARN"]

#: Warn when at least this many classes are estimated missing in an instance.
MISSING_WARN = 1.0


def chao1(times_found) -> dict:
    """Chao1 estimate of the number of classes from how often each observed class was found.

    Parameters
    ----------
    times_found : array_like of int, shape (K,)
        Finds per observed class, each ``>= 1``.

    Returns
    -------
    dict
        ``observed`` K, ``f1``, ``f2``, ``estimated`` N̂ and
        ``estimated_missing`` N̂ − K.

    Raises
    ------
    ValueError
        A count below 1 or not an integer.
    """
    t = np.asarray(times_found)
    if t.size and (not np.issubdtype(t.dtype, np.integer) and not np.all(t == np.round(t))):
        raise ValueError("times_found must be integers")
    t = t.astype(np.int64)
    if np.any(t < 1):
        raise ValueError("every observed class was found at least once")
    f1, f2 = int(np.sum(t == 1)), int(np.sum(t == 2))
    missing = f1 * f1 / (2.0 * f2) if f2 > 0 else f1 * (f1 - 1) / 2.0
    return {"observed": int(t.size), "f1": f1, "f2": f2, "estimated": t.size + missing,
            "estimated_missing": missing}


def completeness(points, instances: int) -> list[dict]:
    """Chao1 per instance of a run's ``critical_points`` table (columns ``instance``, ``times_found``).

    Parameters
    ----------
    points : DataFrame
    instances : int
        Instances 0 … instances − 1 (one that found nothing gets ``observed`` 0).

    Returns
    -------
    list of dict
        One :func:`chao1` dict per instance (with its ``instance``), in instance order.
    """
    return [{"instance": i, **chao1(points.loc[points["instance"] == i, "times_found"].to_numpy(dtype=np.int64))}
            for i in range(int(instances))]


def missing_warning(per_instance: list[dict], threshold: float = MISSING_WARN) -> str | None:
    """One line naming the instances where at least ``threshold`` critical points are likely missing, or None."""
    bad = [c for c in per_instance if c["estimated_missing"] >= threshold]
    if not bad:
        return None
    worst = max(bad, key=lambda c: c["estimated_missing"])
    return (f"warning: critical points likely missing in {len(bad)} of {len(per_instance)} instance(s) "
            f"(Chao1; worst: instance {worst['instance']}, {worst['observed']} seen, ~{worst['estimated']:.1f} "
            f"estimated, {worst['f1']} found only once): add --starts or --hops")
