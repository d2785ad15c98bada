"""Where the critical-point solver starts: random points, and points along a descent run.

Random starts (the landscape's own ``random_point``) find critical points in
proportion to their basins under Newton-MR. Pennington & Bahri (2017) and
Frye et al. (2019) also start from points of a gradient-descent trajectory,
chosen *uniformly in loss* between the start's loss and the end's, which
puts starts near the low-loss critical points a trained network meets.

References
----------
Pennington & Bahri (2017), "Geometry of neural network loss surfaces via
random matrix theory", ICML, §5.
Frye et al. (2019), arXiv:1901.10603, §3.
"""

from __future__ import annotations

import numpy as np

__all__ = ["random_starts", "descent_path", "descent_starts", "make_starts"]


def random_starts(landscape, count: int, rng: np.random.Generator) -> list[np.ndarray]:
    """``count`` independent random points of the landscape."""
    return [landscape.random_point(rng) for _ in range(int(count))]


def descent_path(landscape, x0, *, steps: int = 200, step: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Riemannian gradient descent with a backtracking step size; every iterate kept.

    The step length grows by 1.5 after a step that lowers the loss and halves
    otherwise, so no landscape-specific learning rate is needed.

    Returns
    -------
    points : ndarray, shape (steps + 1, dim)
    values : ndarray, shape (steps + 1,)
    """
    x = np.asarray(x0, dtype=float)
    f = landscape.value(x)
    points, values = [x], [f]
    t = float(step)
    for _ in range(int(steps)):
        g = landscape.gradient(x)
        while t > 1e-12:
            xn = landscape.retract(x, -t * g)
            fn = landscape.value(xn)
            if fn < f:
                break
            t *= 0.5
        else:
            break
        x, f = xn, fn
        t *= 1.5
        points.append(x)
        values.append(f)
    return np.array(points), np.array(values)


def descent_starts(
    landscape, count: int, rng: np.random.Generator, *, steps: int = 200, step: float = 0.1
) -> list[np.ndarray]:
    """``count`` points taken from descent runs, uniformly in loss along each run.

    Each run starts at a random point; ``per_run = 4`` starts are drawn from it
    by picking a loss level uniformly between the run's last and first loss
    and taking the last iterate whose loss is still at or above that level
    (the smallest loss not below it; losses decrease along the run, so it is
    found by bisection).
    """
    per_run = 4
    out: list[np.ndarray] = []
    while len(out) < count:
        points, values = descent_path(landscape, landscape.random_point(rng), steps=steps, step=step)
        levels = rng.uniform(values[-1], values[0], size=min(per_run, count - len(out)))
        # values decrease: search the reversed (increasing) array
        rev = values[::-1]
        for level in levels:
            j = int(np.clip(np.searchsorted(rev, level), 0, len(rev) - 1))
            out.append(points[len(values) - 1 - j].copy())
    return out


def make_starts(
    landscape, count: int, rng: np.random.Generator, *, descent_fraction: float = 0.0
) -> list[np.ndarray]:
    """``count`` starts: ``round(descent_fraction·count)`` from descent runs, the rest random.

    Parameters
    ----------
    landscape : Landscape
    count : int
    rng : numpy.random.Generator
    descent_fraction : float in [0, 1]

    Returns
    -------
    starts : list of ndarray, shape (dim,)
    """
    if not 0.0 <= descent_fraction <= 1.0:
        raise ValueError(f"descent_fraction must be in [0, 1], got {descent_fraction}")
    n_desc = int(round(descent_fraction * count))
    return random_starts(landscape, count - n_desc, rng) + (
        descent_starts(landscape, n_desc, rng) if n_desc else []
    )
