"""The researcher's path on the 2410-parameter digits MLP: verdict, τ table and coin-flip answer through ``saddlesim.point``.

Run: ``/usr/bin/time -v python -m benchmarks.networks`` (peak RSS from ``time``; the
point's own seconds printed here). The model is a 64 → 32 → 10 tanh classifier of all
1797 digits, parameters a dict of arrays, trained with optax's Adam in float64.
"""

from __future__ import annotations

import time

import numpy as np


def _model(steps: int):
    import jax
    import jax.numpy as jnp
    import optax

    from saddlesim.landscapes.autodiff import import_jax
    from saddlesim.landscapes.datasets import load_dataset

    import_jax()
    d = load_dataset("digits")
    data = (d.X, np.eye(10)[d.y])

    def loss(p, batch):
        X, Y = batch
        z = jnp.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
        wd = sum(jnp.sum(w ** 2) for w in jax.tree_util.tree_leaves(p))
        return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.sum(z * Y, axis=1)) + 5e-5 * wd

    rng = np.random.default_rng(0)
    params = {"W1": rng.standard_normal((64, 32)) * np.sqrt(2 / 96), "b1": np.zeros(32),
              "W2": rng.standard_normal((32, 10)) * np.sqrt(2 / 42), "b2": np.zeros(10)}
    opt = optax.adam(1e-2)
    state = opt.init(params)

    @jax.jit
    def step(p, s):
        u, s = opt.update(jax.grad(loss)(p, data), s)
        return optax.apply_updates(p, u), s

    for _ in range(steps):
        params, state = step(params, state)
    return loss, params, data


def run(full: bool = False) -> None:
    import saddlesim

    t0 = time.perf_counter()
    loss, params, data = _model(2000)
    t1 = time.perf_counter()
    r = saddlesim.point(loss, params, data)
    t2 = time.perf_counter()
    print(f"trained in {t1 - t0:.1f} s; saddlesim.point in {t2 - t1:.1f} s")
    print(f"{r['verdict']}: {r['label']}, index {r['index']} of {r['n']} (nullity {r['nullity']}), "
          f"loss {r['loss']:.6g}, |grad| {r['grad_norm']:.3g}; {r['tau_rule']}")
    print(f"coin-flip: mean {r['coin_mean']}, sd {r['coin_sd']:.3f}, z {r['coin_z']:.2f}, "
          f"log10 p {r['coin_log10_p']:.2f}, log10 2^-n {r['coin_log10_p_min']:.1f}")
    print("  tau/max|l|        tau   index  near-kernel")
    for row in r["tau_table"]:
        print(f"  {row['rtol']:9.2g}  {row['tau']:9.3g}  {row['index']:6d}  {row['nullity']:6d}")


if __name__ == "__main__":
    run()
