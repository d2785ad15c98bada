"""Experiment kinds: what a spec file names, how it runs and how it is drawn.

:mod:`.registry` maps each ``kind`` to a runner and a plotter and runs spec
files; :mod:`.exact`, :mod:`.exact_wall` and :mod:`.energy` are runners of
their own (the others live beside their engines: ``sweep``, ``rare``,
``landscapes``, ``descent``, ``detection``). Runners write files and
figures; the math they call (``theory``, ``index``, ``models``) does neither.
"""
