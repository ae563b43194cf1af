"""`python -m steward` runs the CLI."""

from steward.cli.launch import main

main()
