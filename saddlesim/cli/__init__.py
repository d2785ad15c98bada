"""Command-line interface: ``saddlesim --help``.

Importing this package registers every command module on :data:`app`.
"""

from saddlesim.cli.app import app, main
from saddlesim.cli import exact  # noqa: F401  (registration import)
from saddlesim.cli import rare  # noqa: F401

__all__ = ["app", "main"]
