"""The portfolio at a glance: level progress per project and the worst gaps across all of them.

:class:`Portfolio` takes rows as they complete (and the rows of a resumed journal), keeping
memory bounded for any number of projects: counts per status and level, counts per
requirement, and only the ``top`` weakest projects and first ``top`` errors. It renders
three tables:

- projects, weakest first (strict level achieved, then the number of MUST requirements
  between the project and its next level): per level, requirements met of those addressed
  to the role (``LevelProgress.met``/``total``);
- the worst gaps: requirements not met in the most projects (failing or not evaluable,
  and separately awaiting an attestation), with the share of assessed projects;
- errors and unresolved SBOM components (first ``top`` of each, with the reason).
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

_NOT_MET = ("fail", "error")


@dataclass(order=True)
class _Project:
    level: int
    minus_blockers: int
    name: str
    status: str = field(compare=False)
    levels: tuple[tuple[int, int], ...] = field(compare=False)
    next_level: int | None = field(compare=False)
    blockers: int = field(compare=False)


class Portfolio:
    """Aggregates rows; see the module docstring."""

    def __init__(self, top: int = 25) -> None:
        self.top = top
        self.statuses: Counter[str] = Counter()
        self.levels: Counter[int] = Counter()
        self.failing: Counter[str] = Counter()
        self.awaiting: Counter[str] = Counter()
        self.titles: dict[str, tuple[str, int, bool]] = {}
        self.assessed = 0
        self._projects: list[_Project] = []
        self.errors: list[tuple[str, str]] = []
        self.unresolved: list[tuple[str, str]] = []
        self.seconds = 0.0

    def add(self, row: dict[str, Any]) -> None:
        status = str(row.get("status"))
        self.statuses[status] += 1
        if row.get("status") == "assessed" and isinstance(row.get("seconds"), int | float):
            self.seconds += float(row["seconds"])
        error = row.get("error") if isinstance(row.get("error"), dict) else None
        if status == "error" and len(self.errors) < self.top:
            message = f"{error.get('stage')}: {error.get('message')}" if error else "unknown"
            self.errors.append((str(row.get("name") or row.get("target")), message))
        if status == "unresolved" and len(self.unresolved) < self.top:
            reason = str(error.get("message")) if error else ""
            self.unresolved.append((str(row.get("target")), reason))
        assessment = row.get("assessment")
        if not isinstance(assessment, dict):
            return
        self.assessed += 1
        achieved = int(assessment.get("level_achieved") or 0)
        self.levels[achieved] += 1
        for finding in assessment.get("findings") or []:
            rid = str(finding.get("requirement_id"))
            if rid not in self.titles:
                self.titles[rid] = (
                    str(finding.get("title") or ""),
                    int(finding.get("level") or 0),
                    bool(finding.get("must")),
                )
            if finding.get("status") in _NOT_MET:
                self.failing[rid] += 1
            elif finding.get("status") == "needs-attestation":
                self.awaiting[rid] += 1
        nxt = assessment.get("next_level") or {}
        blockers = len(nxt.get("blockers") or []) if isinstance(nxt, dict) else 0
        levels = tuple(
            (int(p.get("met") or 0), int(p.get("total") or 0))
            for p in assessment.get("levels") or []
        )
        name = str(row.get("name") or assessment.get("project") or row.get("target"))
        self._projects.append(
            _Project(achieved, -blockers, name, status, levels,
                     nxt.get("level") if isinstance(nxt, dict) else None, blockers)
        )  # fmt: skip
        if len(self._projects) > 4 * self.top:
            self._projects = heapq.nsmallest(self.top, self._projects)

    def weakest(self) -> list[_Project]:
        return heapq.nsmallest(self.top, self._projects)

    def render(self, console: Console) -> None:
        """Print the tables (see the module docstring) to ``console``."""
        counts = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items()))
        console.print(f"Repositories: {sum(self.statuses.values())} ({counts or 'none'})")
        if self.assessed:
            spread = ", ".join(f"level {lvl}: {self.levels[lvl]}" for lvl in sorted(self.levels))
            console.print(f"Strict level achieved: {spread}")
            console.print(self._projects_table())
            gaps = self._gaps_table()
            if gaps is not None:
                console.print(gaps)
        if self.errors:
            console.print(self._pairs_table("Errors", "repository", "stage: reason", self.errors))
        if self.unresolved:
            console.print(
                self._pairs_table(
                    "Components without a known repository", "component", "reason",
                    self.unresolved,
                )
            )  # fmt: skip

    def _projects_table(self) -> Table:
        weakest = self.weakest()
        shown = len(weakest)
        title = "Projects" if shown == self.assessed else f"Weakest {shown} of {self.assessed}"
        table = Table(title=title, title_justify="left")
        table.add_column("project")
        table.add_column("level", justify="right")
        width = max((len(p.levels) for p in weakest), default=0)
        for lvl in range(1, width + 1):
            table.add_column(f"L{lvl} met", justify="right")
        table.add_column("to next level", justify="right")
        for p in weakest:
            cells = [f"{met}/{total}" for met, total in p.levels]
            cells += [""] * (width - len(cells))
            nxt = f"{p.blockers} for L{p.next_level}" if p.next_level else "top"
            status = " (cached)" if p.status == "cached" else ""
            table.add_row(escape(p.name) + status, str(p.level), *cells, nxt)
        return table

    def _gaps_table(self) -> Table | None:
        ranked = sorted(
            set(self.failing) | set(self.awaiting),
            key=lambda r: (-self.failing[r], -self.awaiting[r], r),
        )[: min(self.top, 15)]
        if not ranked:
            return None
        table = Table(title="Worst gaps across the portfolio", title_justify="left")
        for column in ("requirement", "lvl", "not met", "awaiting attestation"):
            table.add_column(column, justify="left" if column == "requirement" else "right")
        for rid in ranked:
            title, level, must = self.titles.get(rid, ("", 0, False))
            share = 100.0 * self.failing[rid] / self.assessed
            label = f"{rid} {title}" + ("" if must else " (SHOULD)")
            table.add_row(
                escape(label),
                str(level),
                f"{self.failing[rid]} ({share:.0f}%)",
                str(self.awaiting[rid]),
            )
        return table

    @staticmethod
    def _pairs_table(title: str, left: str, right: str, rows: list[tuple[str, str]]) -> Table:
        table = Table(title=title, title_justify="left")
        table.add_column(left)
        table.add_column(right)
        for a, b in rows:
            table.add_row(escape(a), escape(b))
        return table
