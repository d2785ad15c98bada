"""The one progress bar every long run shows (on stderr, gone when it ends)."""

from __future__ import annotations

__all__ = ["progress_bar"]


def progress_bar(enabled: bool, total: int, done: int = 0, label: str = "work"):
    """A rich progress bar and its task: ``label  ━━━━  done/total  elapsed  remaining``.

    Parameters
    ----------
    enabled : bool
        False gives a silent bar (same interface, nothing printed).
    total, done : int
        Units of work in all, and already finished (a resumed run).
    label : str

    Returns
    -------
    bar : rich.progress.Progress
        Use as a context manager; ``bar.advance(task, k)`` as work finishes.
    task : rich.progress.TaskID
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    bar = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True),
                   disable=not enabled, transient=True)
    return bar, bar.add_task(label, total=total, completed=done)
