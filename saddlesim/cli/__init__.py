"""Command-line interface: ``saddlesim --help``.

Importing this package registers every command module on :data:`app`.
"""

from saddlesim.cli.app import app, main
from saddlesim.cli import exact  # noqa: F401  (registration import)

__all__ = ["app", "main"]

# Each command module registers itself on ``app`` when imported.
from saddlesim.cli import classify  # noqa: E402,F401
from saddlesim.cli import run  # noqa: E402,F401
from saddlesim.cli import sweep  # noqa: E402,F401
