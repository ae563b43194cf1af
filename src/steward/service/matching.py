"""Matching a project's stored SBOMs against the server's vulnerability database.

The same code path as ``steward vulns``: components are rebuilt from the stored purls with
:func:`steward.sbom.read.to_components`, matched with :func:`steward.vuln.matcher.match`
(alias merging, KEV/EUVD/EPSS), and the project's VEX statements applied with
:func:`steward.vuln.vex.apply`. The result replaces the project's open findings; a finding
seen before keeps its first-seen time, also when its primary id changed because an alias
(say, the CVE of a GHSA) arrived later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.orm import Session

from steward.service.context import ServiceContext
from steward.store import portfolio
from steward.store.portfolio import ComponentRow, FindingRow

Progress = Callable[[int, int], None]


def finding_key(vuln_id: str, ecosystem: str, name: str, version: str) -> str:
    return hashlib.sha256(f"{vuln_id}\0{ecosystem}\0{name}\0{version}".encode()).hexdigest()


def _documents(stored: list[dict[str, Any]]) -> list[Any]:
    """The project's VEX documents, read again with the CLI's reader (in upload order)."""
    from steward.service.uploads import parse_file
    from steward.vuln.vex_formats import load_vex

    out = []
    for index, item in enumerate(stored):
        data = orjson.dumps(item["document"])
        out.append(parse_file(data, str(item["name"]), ".json", partial(load_vex, index=index)))
    return out


def _components(rows: list[ComponentRow]) -> list[Any]:
    from steward.sbom.component import Component, Scope

    return [
        Component(
            name=r.package or r.name,
            version=r.match_version or r.version or "",
            ecosystem=r.ecosystem or "",
            purl=r.purl,
            ref=r.ref,
            scope=Scope.DEV if r.scope == "excluded" else Scope.RUNTIME,
        )
        for r in rows
    ]


def match_components(
    ctx: ServiceContext,
    rows: list[ComponentRow],
    vex: list[dict[str, Any]],
    progress: Progress | None = None,
) -> list[FindingRow]:
    """The findings for these components (VEX applied), as rows to store."""
    from steward.vuln.matcher import match
    from steward.vuln.vex import apply

    components = _components(rows)
    total = len(components)
    result = ctx.on_matcher(
        lambda: match(
            ctx.vulndb(),
            components,
            progress=None if progress is None else (lambda done: progress(done, total)),
        )
    )
    if vex:
        apply(result.findings, _documents(vex))
    out: list[FindingRow] = []
    for finding in result.findings:
        comp = finding.component
        out.append(
            FindingRow(
                key=finding_key(finding.id, comp.ecosystem, comp.name, comp.version),
                vuln_id=finding.id,
                ecosystem=comp.ecosystem,
                package=comp.name,
                version=comp.version,
                severity=finding.severity.rating or "unknown",
                score=finding.severity.score,
                exploited=finding.exploited,
                reportable=finding.reportable,
                suppressed=finding.suppressed is not None,
                data=finding.to_dict(),
            )
        )
    return out


def rematch_project(
    ctx: ServiceContext,
    project_id: int,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    uploaded: tuple[int, list[ComponentRow]] | None = None,
) -> dict[str, int]:
    """Match a project's current SBOMs again and store the findings; returns the counts.

    ``uploaded``: (id, components) of an SBOM just stored, so they are not read back.
    """
    store = ctx.store
    skip = uploaded[0] if uploaded else None

    def load(session: Session) -> tuple[list[ComponentRow], list[dict[str, Any]]]:
        return (
            portfolio.current_components(session, project_id, except_sbom=skip),
            portfolio.vex_documents(session, project_id),
        )

    rows, vex = store.read(load)
    if uploaded is not None:
        rows += [r for r in uploaded[1] if r.package]
    findings = match_components(ctx, rows, vex, progress)
    moment = now or datetime.now(UTC)
    return store.write(lambda s: portfolio.record_findings(s, project_id, findings, moment))


def vulndb_fingerprint(path: Path) -> str:
    """Changes whenever advisories or exploitation feeds change (decides a re-match)."""
    from steward.store.vulndb import VulnDB

    if not path.exists():
        return "absent"
    with VulnDB(path) as db:
        parts = [str(db.count()), orjson.dumps(db.feeds(), option=orjson.OPT_SORT_KEYS).decode()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def database_status(ctx: ServiceContext) -> dict[str, Any]:
    """What the server matches against: advisory count and the feeds' descriptions."""
    from steward.store.vulndb import VulnDB

    path = ctx.vulndb_path()
    if not path.exists():
        return {"advisories": 0, "feeds": {}}
    with VulnDB(path) as db:
        return {"advisories": db.count(), "feeds": db.feeds()}
