"""`steward vulns`: command-line arguments only; the work is done in the library."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `vulns` command(s) to the root app."""
