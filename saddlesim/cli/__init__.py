"""Command-line interface: ``saddlesim --help``.

Importing this package registers every command module on :data:`app`.
"""

from saddlesim.cli.app import app, main
from saddlesim.cli import exact  # noqa: F401  (registration import)

__all__ = ["app", "main"]
