"""A flax (nnx) digits classifier, trained with optax, then asked: minimum or saddle, and are its signs fair coins?
Run: python examples/flax_digits.py  (about a minute; --small for a seconds-long check)
"""
import sys

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx
from sklearn.datasets import load_digits

import saddlesim

jax.config.update("jax_enable_x64", True)           # train in float64: saddlesim analyses in float64


class MLP(nnx.Module):
    def __init__(self, hidden, rngs):
        self.l1 = nnx.Linear(64, hidden, param_dtype=jnp.float64, rngs=rngs)
        self.l2 = nnx.Linear(hidden, 10, param_dtype=jnp.float64, rngs=rngs)

    def __call__(self, x):
        return self.l2(jnp.tanh(self.l1(x)))


def main(hidden=32, rows=None, steps=1000):
    d = load_digits()
    data = (d.data[:rows] / 16.0, np.eye(10)[d.target[:rows]])
    graphdef, params = nnx.split(MLP(hidden, nnx.Rngs(0)), nnx.Param)

    def loss(params, batch):                         # loss(params, batch): a pytree and one batch
        X, Y = batch
        z = nnx.merge(graphdef, params)(X)
        wd = sum(jnp.sum(w ** 2) for w in jax.tree_util.tree_leaves(params))
        return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.sum(z * Y, axis=1)) + 5e-4 * wd

    opt = optax.adam(1e-2)
    state = opt.init(params)

    @jax.jit
    def step(params, state):
        updates, state = opt.update(jax.grad(loss)(params, data), state)
        return optax.apply_updates(params, updates), state

    for _ in range(steps):
        params, state = step(params, state)

    # From the trained model to the verdict: 2 lines of user code (≤ 5).
    r = saddlesim.point(loss, params, data)
    print(f"{r['verdict']}: {r['label']}, index {r['index']} of {r['n']} at {r['tau_rule']}")
    print(f"coin-flip claim: z = {r['coin_z']:.1f}, log10 p = {r['coin_log10_p']:.1f}; "
          f"index over τ: {[row['index'] for row in r['tau_table']]}")
    # The CLI on the same point: save it, and put loss, DATA and PARAMS (= params) in a module:
    #   saddlesim point --loss ./my_net.py:loss --at params.npz
    return r, params


if __name__ == "__main__":
    main(hidden=4, rows=200, steps=100) if "--small" in sys.argv else main()
