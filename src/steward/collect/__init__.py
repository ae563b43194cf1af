"""Fact collectors: the only code that reads a project (files, git, CI config, forge APIs).

``collect_facts(root)`` walks the tree once and runs every collector over it, returning one
immutable ``Facts``. Each collector turns what it cannot read into a ``Problem`` instead of
raising, so a hostile or broken tree still yields facts for everything else.
"""

from __future__ import annotations

from steward.collect.facts import Facts
from steward.collect.run import collect_facts

__all__ = ["Facts", "collect_facts"]
