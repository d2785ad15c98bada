"""SLQ counts that tighten until they answer: more Lanczos steps or more probes until the interval is narrow enough.

The covering interval of :mod:`saddlesim.curvature.slq` has two parts: the
quadrature gap (the mean over probes of the Gauss–Radau upper minus lower
bound, which shrinks about as 1/steps where a bulk of eigenvalues crowds the
threshold) and probe noise (the t-interval terms, which shrink as 1/√probes).
:func:`adaptive_slq` runs rounds: after each it compares the interval's
width with the target and

* stops (``stop_reason="width"``) when it is narrow enough;
* otherwise grows what dominates the width — steps (every probe is rerun
  from its own start vector with more steps; doubling keeps the total within
  twice the last round's) or probes (added under new indices) — after
  checking that the extrapolated cost of reaching the target fits what is
  left of the budget (``max_hvps`` products, ``max_seconds``);
* stops with ``stop_reason="cannot"`` and a sentence containing "cannot"
  when it does not (the interval reported is the one reached, never a
  narrower guess), and with ``"max-hvps"``/``"max-seconds"`` when the next
  round itself does not fit.

Probes are work items keyed by their index i: probe i's start vector is
drawn from ``SeedSequence(entropy, spawn_key=(PROBE_KEY, i))``, so which
process runs it, in which order, and whether it was read back from a journal
never changes a number. Items run on :func:`saddlesim.runtime.parallel.map_unordered`
(a process pool or Dask); the operator is rebuilt in each worker from its
source (:class:`MatrixSource`, or a loss file's network:
:class:`saddlesim.networks.files.LossSource`), never pickled.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

from saddlesim.curvature.operators import Operator, as_operator, matrix_operator
from saddlesim.curvature.slq import SLQ, lockstep_lanczos, count_interval

__all__ = ["adaptive_slq", "probe_vector", "probe_run", "target_width", "MatrixSource",
           "OperatorSource", "PROBE_KEY", "STOP_REASONS", "ProbeJournal"]

#: First element of every probe's spawn key (other streams of a spectrum use other first elements).
PROBE_KEY = 7
STOP_REASONS = ("fixed", "width", "cannot", "max-hvps", "max-seconds", "exhausted")


def probe_vector(n: int, entropy: int, i: int) -> np.ndarray:
    """Probe i's Rademacher start vector, shape (n,), entries ±1/√n, from its own stream (keyed by i)."""
    rng = np.random.default_rng(np.random.SeedSequence(int(entropy), spawn_key=(PROBE_KEY, int(i))))
    return (2.0 * rng.integers(0, 2, size=int(n)) - 1.0) / np.sqrt(n)


def probe_run(op: Operator, entropy: int, i: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """α (m_i,) and β (m_i,) of probe i's fully reorthogonalised Lanczos run of ``m`` steps."""
    from threadpoolctl import threadpool_limits

    q = probe_vector(op.n, entropy, i)
    # one BLAS thread: the reorthogonalisation's small products gain nothing from more (measured 1.4x
    # slower with two on two cores, beside XLA's own threads), and every process then rounds alike
    with threadpool_limits(1, user_api="blas"):
        return next(lockstep_lanczos(op, q[None, :], min(int(m), op.n)))


def target_width(width: float, n: int) -> float:
    """The index interval width asked for: ``width · n`` when width < 1, else ``width`` (a count)."""
    width = float(width)
    if not (np.isfinite(width) and width > 0):
        raise ValueError(f"width must be a number > 0 (a fraction of n below 1, else a count), got {width!r}")
    return width * n if width < 1 else width


@dataclass
class OperatorSource:
    """What rebuilds an operator in a worker process (the base: an operator held here, serial only)."""

    op: Operator | None = None

    def build(self) -> Operator:
        return self.op

    def fingerprint(self) -> dict:
        return {}

    @property
    def portable(self) -> bool:
        return False


@dataclass
class MatrixSource(OperatorSource):
    """An explicit symmetric matrix (pickled to workers)."""

    matrix: np.ndarray = field(default=None)

    def build(self) -> Operator:
        return matrix_operator(self.matrix)

    def fingerprint(self) -> dict:
        import hashlib

        return {"matrix_sha256": hashlib.sha256(np.ascontiguousarray(self.matrix, dtype=np.float64)).hexdigest()}

    @property
    def portable(self) -> bool:
        return True


_BUILT: dict = {}


def built(source: OperatorSource) -> Operator:
    """The operator of ``source``, built once per process (a worker keeps it for every later item and round)."""
    key = id(source) if not source.portable else repr(sorted(source.fingerprint().items()))
    op = _BUILT.get(key)
    if op is None:
        op = source.build()
        _BUILT.clear()              # one operator per worker at a time (a Hessian's closure holds the data)
        _BUILT[key] = op
    return op


def _probe_item(source: OperatorSource, entropy: int, item: tuple[int, int]):
    """One work item (i, m): probe i's Lanczos run of m steps, on the operator rebuilt once per process."""
    i, m = item
    return probe_run(built(source), entropy, i, m)


class ProbeJournal:
    """Finished probes of one spectrum under ``out/.probes``, keyed by the operator and the random seed.

    A probe's run depends only on the operator, the random seed and (i, m), so the
    fingerprint holds just those: a rerun with another width or budget reuses
    what is there.
    """

    def __init__(self, out, source: OperatorSource, entropy: int, n: int):
        from saddlesim.runtime.journal import Journal

        plan = _Plan({**source.fingerprint(), "n": int(n), "entropy": str(entropy), "probe_key": PROBE_KEY})
        self.journal = Journal(Path(out), plan, ".probes", "spectrum")

    def open(self) -> None:
        problem = self.journal.conflict()
        if problem is not None:
            raise ValueError(problem)
        self.journal.open()

    @staticmethod
    def _name(i, m) -> str:
        return f"p{int(i):07d}_m{int(m):07d}.npz"

    def load(self, i, m):
        path = self.journal.dir / self._name(i, m)
        if not path.is_file():
            return None
        with np.load(path) as z:
            return z["alpha"].copy(), z["beta"].copy()

    def write(self, i, m, run) -> None:
        self.journal.write(self._name(i, m), alpha=run[0], beta=run[1])

    def discard(self) -> None:
        self.journal.discard()


@dataclass
class _Plan:
    data: dict

    def fingerprint(self) -> dict:
        return self.data


def _decompose(res: SLQ, a: float, b: float, closed: bool) -> tuple[dict, float, float]:
    """The count interval and its two parts: quadrature gap (mean bound spread) and probe noise."""
    from saddlesim.curvature.slq import probe_counts

    c = count_interval(res, a, b, closed=closed)
    per = np.array([probe_counts(al, be, t, w, res.n, a, b, closed=closed)
                    for (al, be), t, w in zip(res.tridiagonals, res.nodes, res.weights)])
    quad = float(np.mean(per[:, 2] - per[:, 1]))
    noise = max(0.0, (c["hi"] - c["lo"]) - quad)
    return c, quad, noise


def adaptive_slq(source, *, tau_of, width: float | None = None, probes: int = 20, steps: int = 80,
                 max_hvps: int | None = None, max_seconds: float | None = None, entropy: int = 0,
                 workers: int | None = 1, scheduler=None, journal: ProbeJournal | None = None,
                 progress=None, local: Operator | None = None) -> tuple[SLQ, dict]:
    """SLQ with probes keyed by index, run in rounds until the index interval is ``width`` narrow.

    Parameters
    ----------
    source : OperatorSource, Operator or ndarray (n, n)
        What the probes multiply; a :class:`MatrixSource`/a loss source
        can run on workers (``workers > 1`` or ``scheduler``).
    tau_of : callable
        ``tau_of(res: SLQ) -> τ``: the threshold of the index #{λ < −τ} (may
        depend on the extremes seen, e.g. a relative τ).
    width : float, optional
        Target width of the 95 % index interval: a fraction of n when < 1,
        else a count (:func:`target_width`). None: one round of ``probes`` ×
        ``steps`` (``stop_reason="fixed"``).
    probes, steps : int
        The first round's P (≥ 2) and m.
    max_hvps, max_seconds : optional
        Budget. ``max_hvps``: the first round always runs, later rounds only
        when they fit. ``max_seconds`` also stops inside a round, once two
        probes are done, with every probe finished so far (``"max-seconds"``).
    entropy : int
        The random seed of every probe stream (:func:`probe_vector`).
    workers, scheduler
        As :func:`saddlesim.runtime.parallel.map_unordered`; results do not depend on them.
    journal : ProbeJournal, optional
        Finished probes are read from and written to it (a resumed run ends equal to an uninterrupted one).
    progress : callable, optional
        ``progress(line: str)`` gets one line per round (and per finished probe in long rounds).
    local : Operator, optional
        The same operator already built here, used when probes run in this process.

    Returns
    -------
    res : SLQ
        The last round's rules, probes in index order.
    info : dict
        ``stop_reason`` (one of :data:`STOP_REASONS`), ``stop_message``,
        ``width`` (reached), ``width_target`` (None without one),
        ``quadrature_width``, ``noise_width``, ``rounds``, ``probes``, ``steps``, ``tol``.
    """
    from saddlesim.runtime.parallel import map_unordered

    t0 = time.perf_counter()
    if not isinstance(source, OperatorSource):
        source = OperatorSource(as_operator(source))
    serial = workers == 1 and scheduler is None
    if local is None and (not source.portable or serial):
        local = source.build()
    n = local.n if local is not None else _n_of(source)
    P, m = int(probes), min(int(steps), n)
    if P < 2:
        raise ValueError(f"probes must be >= 2 (an interval needs a spread), got {P}")
    if m < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    target = None if width is None else target_width(width, n)
    runs: dict[int, tuple[int, tuple]] = {}
    hvps, rounds = 0, 0
    say = progress or (lambda line: None)
    if journal is not None:
        journal.open()
    while True:
        rounds += 1
        todo = [(i, m) for i in range(P) if runs.get(i, (0, None))[0] != m]
        fresh, timed_out = [], False
        for item in todo:
            old = journal.load(*item) if journal is not None else None
            if old is not None:
                runs[item[0]] = (m, old)
                hvps += len(old[0])         # counted as if run here: a resumed run reports what it used
            else:
                fresh.append(item)
        if fresh:
            say(f"spectrum: round {rounds}: {len(fresh)} probes x {m} Lanczos steps"
                f"{f' ({len(todo) - len(fresh)} from the journal)' if len(todo) > len(fresh) else ''}")
            if local is not None and (serial or not source.portable or len(fresh) == 1):
                stream = ((item, probe_run(local, entropy, *item)) for item in fresh)
            else:
                stream = map_unordered(partial(_probe_item, source, int(entropy)), fresh, workers=workers,
                                       scheduler=scheduler)
            done = 0
            try:
                for item, run in stream:
                    runs[item[0]] = (m, run)
                    hvps += len(run[0])
                    done += 1
                    if journal is not None:
                        journal.write(*item, run)
                    if max_seconds is not None and time.perf_counter() - t0 > float(max_seconds) and len(runs) >= 2:
                        timed_out = True
                        break
                    if len(fresh) >= 4 and done % max(1, len(fresh) // 4) == 0 and time.perf_counter() - t0 > 5:
                        say(f"spectrum:   {done}/{len(fresh)} probes, {hvps} HVPs, "
                            f"{time.perf_counter() - t0:.1f} s")
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()
        if timed_out:
            # out of time inside a round: every probe finished so far, each at the steps it has (a valid rule)
            have = sorted(i for i in runs if i < P)
            res = SLQ(n, [runs[i][1] for i in have], hvps)
            tau = float(tau_of(res))
            c, quad, noise = _decompose(res, -np.inf, -tau, False)
            return res, {"width": c["hi"] - c["lo"], "width_target": target, "quadrature_width": quad,
                         "noise_width": noise, "rounds": rounds, "probes": len(have),
                         "steps": max(runs[i][0] for i in have), "tol": tau, "stop_reason": "max-seconds",
                         "stop_message": f"time budget ({max_seconds} s) spent inside round {rounds}: "
                                         f"the interval of the {len(have)} probes finished so far"}
        res = SLQ(n, [runs[i][1] for i in range(P)], hvps)
        tau = float(tau_of(res))
        c, quad, noise = _decompose(res, -np.inf, -tau, False)
        reached = c["hi"] - c["lo"]
        info = {"width": reached, "width_target": target, "quadrature_width": quad, "noise_width": noise,
                "rounds": rounds, "probes": P, "steps": m, "tol": tau}
        elapsed = time.perf_counter() - t0
        say(f"spectrum: {P} probes x {m} steps: index interval [{c['lo']:.1f}, {c['hi']:.1f}], width "
            f"{reached:.1f}{'' if target is None else f' (target {target:.1f})'}, {hvps} HVPs, {elapsed:.1f} s")
        if target is None:
            return res, {**info, "stop_reason": "fixed", "stop_message": f"{P} probes x {m} steps (no width asked)"}
        if reached <= target:
            return res, {**info, "stop_reason": "width", "stop_message": f"width {reached:.1f} <= {target:.1f}"}
        # what dominates: the quadrature gap (more steps) or probe noise (more probes)
        more_steps = m < n and (quad >= noise or quad >= target)
        if more_steps:
            share = max(target - noise, target / 2)
            m_need = min(n, math.ceil(m * quad / share))
            need = P * m_need                                       # every probe rerun at m_need
            m_next = min(n, max(m + 1, min(2 * m, m_need)))
            next_cost = P * m_next
            why = (f"the density near -τ is too high (quadrature gap {quad:.1f} eigenvalues at {m} steps, "
                   f"shrinking about as 1/steps): widen τ or allow ~{{more}} more HVPs")
        elif noise > 0 and target > quad:
            # 1.2: the t-quantile and the sd estimate move too; a little over the 1/√P rule avoids creeping rounds
            P_need = max(P + max(2, P // 4), math.ceil(1.2 * P * (noise / (target - quad)) ** 2))
            need = (P_need - P) * m
            P_next = min(P_need, 4 * P)
            next_cost = (P_next - P) * m
            why = (f"probe noise ({noise:.1f} of the width at {P} probes, shrinking as 1/sqrt(probes)) needs "
                   f"~{P_need} probes: allow ~{{more}} more HVPs or widen τ")
        else:
            # the gap alone exceeds the target with every step taken: nothing more can narrow it here
            return res, {**info, "stop_reason": "cannot",
                         "stop_message": f"cannot reach width {target:.1f}: the quadrature gap is "
                                         f"{quad:.1f} after {m} of {n} steps; widen τ"}
        per_hvp = elapsed / max(hvps, 1)
        room_h = None if max_hvps is None else int(max_hvps) - hvps
        room_s = None if max_seconds is None else int((float(max_seconds) - elapsed) / max(per_hvp, 1e-12))
        rooms = [(r, lim) for r, lim in ((room_h, f"{max_hvps} HVPs"), (room_s, f"{max_seconds} s"))
                 if r is not None]
        if rooms:
            room, limit = min(rooms, key=lambda t: t[0])
            if need > room:
                return res, {**info, "stop_reason": "cannot",
                             "stop_message": f"cannot reach width {target:.1f} within {limit} (reached "
                                             f"{reached:.1f}): " + why.format(more=need - room)}
            if next_cost > room:
                return res, {**info, "stop_reason": "max-hvps" if limit.endswith("HVPs") else "max-seconds",
                             "stop_message": f"budget ({limit}) spent before width {target:.1f} "
                                             f"(reached {reached:.1f})"}
        if more_steps:
            m = m_next
        else:
            P = P_next


def _n_of(source: OperatorSource) -> int:
    if isinstance(source, MatrixSource):
        return int(np.asarray(source.matrix).shape[0])
    if getattr(source, "x", None) is not None:     # a loss at a point: its dimension without building it
        return int(np.asarray(source.x).size)
    return source.build().n
