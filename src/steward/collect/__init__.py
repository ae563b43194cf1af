"""Fact collectors: the only code that reads a project (files, git, CI config, forge APIs).

``collect_facts(root)`` walks the tree once and runs every collector over it, returning one
immutable ``Facts``. Each collector turns what it cannot read into a ``Problem`` instead of
raising, so a hostile or broken tree still yields facts for everything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from steward.collect.facts import Facts
    from steward.collect.run import collect_facts

__all__ = ["Facts", "collect_facts"]


def __getattr__(name: str) -> Any:
    """``Facts`` and ``collect_facts`` load on first use: importing one collector module
    (``steward init security`` reads licences with ``steward.collect.documents``) does not
    load every collector."""
    if name == "Facts":
        from steward.collect.facts import Facts

        return Facts
    if name == "collect_facts":
        from steward.collect.run import collect_facts

        return collect_facts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
