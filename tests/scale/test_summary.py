"""The portfolio summary: weakest projects first, the worst gaps, bounded memory."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console

from steward.scale.summary import Portfolio


def _row(
    name: str, level: int, failing: list[str], awaiting: tuple[str, ...] = ()
) -> dict[str, Any]:
    findings = [
        {"requirement_id": rid, "title": f"title of {rid}", "level": 1, "must": True,
         "status": "fail" if rid in failing else "needs-attestation" if rid in awaiting else "pass"}
        for rid in ("STW-A-01", "STW-A-02", "STW-A-03")
    ]  # fmt: skip
    blockers = [{"requirement_id": r} for r in failing + list(awaiting)]
    return {
        "target": f"https://forge.example/{name}",
        "name": name,
        "status": "assessed",
        "seconds": 1.5,
        "assessment": {
            "level_achieved": level,
            "levels": [{"met": 3 - len(failing) - len(awaiting), "total": 3}],
            "next_level": {"level": level + 1, "blockers": blockers},
            "findings": findings,
        },
    }


def render(portfolio: Portfolio) -> str:
    buffer = io.StringIO()
    portfolio.render(Console(file=buffer, width=140, no_color=True))
    return buffer.getvalue()


def test_weakest_first_and_worst_gaps() -> None:
    portfolio = Portfolio(top=3)
    portfolio.add(_row("strong", 1, []))
    portfolio.add(_row("weak", 0, ["STW-A-01", "STW-A-02"], ("STW-A-03",)))
    portfolio.add(_row("middling", 0, ["STW-A-01"]))
    broken = {"stage": "clone", "message": "refused"}
    portfolio.add({"target": "https://forge.example/broken", "name": "broken",
                   "status": "error", "error": broken})  # fmt: skip
    portfolio.add({"target": "pkg:npm/x@1", "status": "unresolved",
                   "error": {"stage": "resolve", "message": "no repository recorded"}})  # fmt: skip
    assert [p.name for p in portfolio.weakest()] == ["weak", "middling", "strong"]
    text = render(portfolio)
    assert "Repositories: 5 (3 assessed, 1 error, 1 unresolved)" in text
    assert "Strict level achieved: level 0: 2, level 1: 1" in text
    assert "Projects" in text and "3 for L1" in text
    lines = text.splitlines()
    gap = next(line for line in lines if "STW-A-01" in line)
    assert "2 (67%)" in gap  # not met in two of three assessed projects
    assert next(line for line in lines if "STW-A-03" in line).rstrip(" │").endswith("1")
    assert "broken" in text and "clone: refused" in text
    assert "pkg:npm/x@1" in text and "no repository recorded" in text


def test_memory_stays_bounded() -> None:
    portfolio = Portfolio(top=5)
    for i in range(1000):
        portfolio.add(_row(f"p{i:04d}", i % 3, ["STW-A-01"] if i % 2 else []))
    assert len(portfolio._projects) <= 20
    assert portfolio.assessed == 1000
    assert [p.level for p in portfolio.weakest()] == [0] * 5
    assert portfolio.failing["STW-A-01"] == 500
