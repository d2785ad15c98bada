"""Command-line interface: ``saddlesim --help``.

Importing this package registers every command module on :data:`app`.
"""

from saddlesim.cli.app import app, main

__all__ = ["app", "main"]
