"""``python -m saddlesim.cli``: the same entry point as the ``saddlesim`` script."""

from saddlesim.cli import main

main()
