"""Dense Hessians from HVP blocks against ``jax.hessian``, and ``saddlesim point`` end to end (issue 30).

Digits MLP 64-32-10 tanh (2410 parameters), full data (1797 rows), at the end
of a short Adam run. Each route runs in its own process so that its peak
resident memory (``ru_maxrss``, whole process, interpreter included) is its
own; the interpreter with JAX and the data loaded is measured too, so the
increment is visible. Targets: ``point`` ≤ 1.5× (H by blocks + ``eigh``);
peak RSS ≤ 0.1× the ``jax.hessian`` route's.
"""

from __future__ import annotations

import json
import subprocess
import sys

_SETUP = """
import json, resource, time, numpy as np, jax
from saddlesim.landscapes.classifier import MLPClassifier, train
from saddlesim.landscapes.datasets import load_dataset
model = MLPClassifier(load_dataset("digits"), hidden=(32,))
run = train(model, np.random.SeedSequence(20261203, spawn_key=(1, 32)), steps=100, checkpoints=2)
land, x = model.landscape(), run.points[-1]
land.value(x); land.gradient(x)
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

_ROUTES = {
    "baseline": "out = {}",
    "jax.hessian": """
h = jax.jit(jax.hessian(land._loss))
t0 = time.perf_counter(); H = np.asarray(h(jax.numpy.asarray(x))); t1 = time.perf_counter()
t2 = time.perf_counter(); H = np.asarray(h(jax.numpy.asarray(x))); t3 = time.perf_counter()
out = {"first_s": t1 - t0, "again_s": t3 - t2}
""",
    "blocks": """
t0 = time.perf_counter(); H = land.hessian(x); t1 = time.perf_counter()
t2 = time.perf_counter(); H = land.hessian(x); t3 = time.perf_counter()
lam = np.linalg.eigh(H); t4 = time.perf_counter()
out = {"first_s": t1 - t0, "again_s": t3 - t2, "eigh_s": t4 - t3, "block": land.hessian_block}
""",
    "point": """
from saddlesim.critical.verdict import point_verdict
t0 = time.perf_counter(); v = point_verdict(land, x); t1 = time.perf_counter()
out = {"point_s": t1 - t0, "index": v["index"]}
""",
    "point-before": """
from saddlesim.critical.verdict import point_verdict
h = jax.jit(jax.hessian(land._loss))
land.ehess = lambda y: (lambda H: (H + H.T) / 2)(np.asarray(h(jax.numpy.asarray(y))))
t0 = time.perf_counter(); v = point_verdict(land, x); t1 = time.perf_counter()
out = {"point_s": t1 - t0, "index": v["index"]}
""",
}


def _route(name: str) -> dict:
    code = _SETUP + _ROUTES[name] + "\nout['maxrss_mb'] = rss(); print(json.dumps(out))\n"
    res = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def run(full: bool = False) -> None:
    r = {name: _route(name) for name in _ROUTES}
    base = r["baseline"]["maxrss_mb"]
    jh, bl = r["jax.hessian"], r["blocks"]
    print("digits MLP 64-32-10 tanh, n = 2410, 1797 rows; one process per route, one run each")
    print(f"  interpreter + JAX + data: peak RSS {base:.0f} MB")
    print(f"  jax.hessian:        first {jh['first_s']:.1f} s, again {jh['again_s']:.1f} s, "
          f"peak RSS {jh['maxrss_mb']:.0f} MB (+{jh['maxrss_mb'] - base:.0f})")
    print(f"  HVP blocks of {bl['block']:3d}: first {bl['first_s']:.1f} s, again {bl['again_s']:.1f} s, "
          f"peak RSS {bl['maxrss_mb']:.0f} MB (+{bl['maxrss_mb'] - base:.0f}); eigh {bl['eigh_s']:.1f} s")
    print(f"  RSS blocks / jax.hessian = {bl['maxrss_mb'] / jh['maxrss_mb']:.2f} "
          f"(increment {(bl['maxrss_mb'] - base) / max(jh['maxrss_mb'] - base, 1):.2f}); "
          f"time (again) {bl['again_s'] / jh['again_s']:.2f}")
    pb, pa = r["point-before"], r["point"]
    ref = bl["first_s"] + bl["eigh_s"]
    print(f"  point_verdict: before (jax.hessian) {pb['point_s']:.1f} s, peak RSS {pb['maxrss_mb']:.0f} MB; "
          f"after {pa['point_s']:.1f} s, peak RSS {pa['maxrss_mb']:.0f} MB (index {pa['index']} = {pb['index']})")
    print(f"  point after / (H by blocks incl. compile + eigh) = {pa['point_s'] / ref:.2f} (target <= 1.5); "
          f"peak RSS after / before = {pa['maxrss_mb'] / pb['maxrss_mb']:.2f} (target <= 0.1 of today's)")


if __name__ == "__main__":
    run(full="--full" in sys.argv)
