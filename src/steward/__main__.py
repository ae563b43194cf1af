"""`python -m steward` runs the CLI."""

from steward.cli.app import main

main()
