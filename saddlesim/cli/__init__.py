"""Command-line interface: ``saddlesim --help``.

Each command lives in its own module and registers itself on :data:`app`
when imported; importing this package imports them all.
"""

from saddlesim.cli.app import app, main
from saddlesim.cli import classify, exact, rare, run, sweep  # noqa: F401,E402  (registration)
from saddlesim.cli import landscape, point  # noqa: F401,E402  (registration)
from saddlesim.cli import report  # noqa: F401,E402  (registration)

__all__ = ["app", "main"]
