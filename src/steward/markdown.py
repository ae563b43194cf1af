"""Markdown helpers shared by every report that writes Markdown tables."""

from __future__ import annotations


def table_cell(text: str) -> str:
    """``text`` made safe for one cell of a Markdown table (no column breaks, one line)."""
    return text.replace("|", "\\|").replace("\n", " ")


def table_row(*cells: object) -> str:
    """One Markdown table row of ``cells``, each made safe with :func:`table_cell`."""
    return "| " + " | ".join(table_cell(str(cell)) for cell in cells) + " |"
