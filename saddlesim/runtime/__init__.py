"""How work runs, separate from what it computes.

One map over this process, a process pool or Dask (:mod:`.parallel`, the only
Dask connection in :mod:`.cluster`), the journal of resumable runs
(:mod:`.journal`), atomic file writes and provenance (:mod:`.io`), the one
``meta.json`` record (:mod:`.record`), seeds, text parsing, argument checks,
core counts and the progress bar.
"""
