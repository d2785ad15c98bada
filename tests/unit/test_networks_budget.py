"""The polish budget covers the whole call: the time already spent and the end verdict's reserve count.

Smallest slips caught: the clock started at the solve instead of the call (``start`` ignored), the
reserve for the end point's verdict dropped or added with the wrong sign, ``stopped`` not set.
"""

import io
import time

from saddlesim.networks.api import budget_callback


def test_time_before_the_solve_counts():
    cb = budget_callback(10.0, start=time.perf_counter() - 9.0)
    assert cb(1, None, 1.0) is False and not cb.stopped   # 9 s spent of 10: goes on
    late = budget_callback(10.0, start=time.perf_counter() - 10.5)
    assert late(1, None, 1.0) is True and late.stopped


def test_the_reserve_for_the_end_verdict_is_kept():
    now = time.perf_counter()
    assert budget_callback(10.0, start=now - 5.0, reserve=3.0)(1, None, 1.0) is False   # 5 + 3 < 10
    cb = budget_callback(10.0, start=now - 5.0, reserve=6.0)                             # 5 + 6 ≥ 10
    assert cb(1, None, 1.0) is True and cb.stopped


def test_no_budget_never_stops_and_progress_prints_the_gradient():
    out = io.StringIO()
    cb = budget_callback(None, progress=True, stream=out, start=time.perf_counter() - 1e6, reserve=1e6)
    assert cb(3, None, 4.0) is False and not cb.stopped
    assert "step 3: |grad| 2.000e+00" in out.getvalue()
