"""``saddlesim.runtime.parallel.ProcessPool``: one local pool kept open across several maps.

Slips caught: a new pool per map (the workers' caches — a compiled loss — lost
every round: the pids differ), items lost or duplicated across maps, the kept
pool shut down by the first map that ends early, and a pool left running after
``close``.
"""

from __future__ import annotations

import os
from functools import partial

from saddlesim.runtime.parallel import ProcessPool, map_unordered

_SEEN: list = []


def _pid_and_square(x):
    _SEEN.append(x)                  # this worker's own list: how many items it has run so far, over maps
    return os.getpid(), x * x, len(_SEEN)


def _scaled(k, x):
    return k * x


def test_workers_and_their_state_are_kept_across_maps():
    with ProcessPool(2) as pool:
        first = dict(map_unordered(_pid_and_square, range(20), scheduler=pool))
        second = dict(map_unordered(_pid_and_square, range(20, 40), scheduler=pool))
    assert sorted(first) == list(range(20)) and sorted(second) == list(range(20, 40))
    assert all(v[1] == k * k for k, v in {**first, **second}.items())
    pids_first = {v[0] for v in first.values()}
    assert {v[0] for v in second.values()} <= pids_first and len(pids_first) <= 2
    # the second map's items found what the first map left in the same processes (a cache would be there)
    assert min(v[2] for v in second.values()) > 1
    assert pool._pool is None                                   # closed with the block


def test_a_map_stopped_early_leaves_the_pool_usable():
    pool = ProcessPool(2)
    try:
        it = map_unordered(partial(_scaled, 3), range(50), scheduler=pool)
        next(it)
        it.close()                                              # the consumer stops after one result
        again = dict(map_unordered(partial(_scaled, 2), range(10), scheduler=pool))
        assert again == {i: 2 * i for i in range(10)}
    finally:
        pool.close()
    pool.close()                                                # twice is harmless
    assert pool._pool is None
