"""`steward sbom`: command-line arguments only; the work is done in the library."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `sbom` command(s) to the root app."""
