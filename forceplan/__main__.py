"""`python -m forceplan` runs the command line."""

from forceplan.cli import main

main()
