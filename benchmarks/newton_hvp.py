"""Dense Newton-MR against Newton-MR on Hessian-vector products, on a JAX tanh softmax classifier.

Prints, per parameter count, the seconds of 40 steps from one start by each
solver and their ratio (dense / matrix-free) measured in the same run; the
ratio crossing 1 is where :data:`saddlesim.critical.newton_hvp.DENSE_LIMIT`
belongs. Data: 400 Gaussian inputs in 64 dimensions, 10 random classes.
``python -m benchmarks newton_hvp [--full]`` (``--full`` adds 2410 parameters).
"""

from __future__ import annotations

import time

import numpy as np
from threadpoolctl import threadpool_limits

__all__ = ["run"]


def _classifier(h: int, rng):
    from saddlesim.landscapes.autodiff import import_jax, jax_landscape

    jax = import_jax()
    jnp = jax.numpy
    N, d, C = 400, 64, 10
    X = jnp.asarray(rng.standard_normal((N, d)))
    Y = jnp.asarray(np.eye(C)[rng.integers(0, C, N)])
    dim = d * h + h + h * C + C

    def loss(w):
        W1 = w[:d * h].reshape(h, d)
        b1 = w[d * h:d * h + h]
        W2 = w[d * h + h:d * h + h + h * C].reshape(C, h)
        logits = jnp.tanh(X @ W1.T + b1) @ W2.T + w[-C:]
        return -jnp.mean(jnp.sum(Y * jax.nn.log_softmax(logits), axis=1)) + 5e-3 * jnp.sum(w**2)

    return jax_landscape(loss, dim, start_scale=0.3)


def run(full: bool = False) -> None:
    from saddlesim.critical.newton_hvp import newton_mr_hvp
    from saddlesim.critical.solve import newton_mr

    print(f"{'params':>7} {'dense s':>8} {'hvp s':>8} {'dense/hvp':>9}")
    for h in (4, 8, 16) + ((32,) if full else ()):
        land = _classifier(h, np.random.default_rng(0))
        x0 = land.random_point(np.random.default_rng(1))
        land.hessian(x0), land.hvp(x0, x0)   # compile outside the clock
        with threadpool_limits(1):
            t0 = time.perf_counter()
            newton_mr(land, x0, max_iter=40)
            t1 = time.perf_counter()
            newton_mr_hvp(land, x0, max_iter=40)
            t2 = time.perf_counter()
        print(f"{land.dim:7d} {t1 - t0:8.2f} {t2 - t1:8.2f} {(t1 - t0) / (t2 - t1):9.2f}", flush=True)
