"""What every ``steward vulns`` report states besides the findings.

- **Feeds**: which exploitation and scoring feeds the verdicts rest on and how old they are
  (:func:`describe_feeds`). Without a CISA KEV or ENISA EUVD import no finding can be called
  known-exploited, so the "reportable under CRA Art. 14" count is unknown (``None``), never 0.
- **Unrated findings**: most Go and many PyPI advisories carry no CVSS vector or severity
  label. For ``--fail-on LEVEL`` such a finding counts as ``unknown_as`` (default
  ``critical``: a severity nobody established is not assumed to be low), and the summary
  says how many there are.
- **Not checked**: components that could not be matched (no ecosystem, no pinned version,
  a version the ecosystem's scheme refuses, no data for the ecosystem) or whose advisories
  could not all be evaluated, each with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from steward.vuln.matcher import SEVERITY_ORDER, Finding, MatchResult

#: a feed older than this many days is called stale in reports
STALE_DAYS = 7
FEED_NAMES = {
    "kev": "CISA KEV",
    "euvd": "ENISA EUVD exploited list",
    "euvd_mapping": "ENISA CVE-EUVD id mapping",
    "epss": "FIRST EPSS",
    "osv": "OSV advisories",
}


@dataclass
class Context:
    """What a report needs besides the match result.

    ``now`` dates the feed ages; ``unknown_as`` is the severity unrated findings count as
    for ``--fail-on``; ``vex`` the per-document VEX reports (``DocumentReport.to_dict()``);
    ``product`` the scanned product (see :class:`steward.vuln.inputs.ScanInput`).
    """

    now: datetime
    unknown_as: str = "critical"
    vex: list[dict[str, Any]] = field(default_factory=list)
    product: dict[str, str | None] | None = None


def _day(text: Any) -> date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def describe_feeds(result: MatchResult, now: datetime) -> dict[str, dict[str, Any] | None]:
    """Each feed (KEV, EUVD, EUVD mapping, EPSS, OSV) with its date and age in days.

    The date is the catalogue's own (KEV ``dateReleased``, EPSS ``score_date``), else the
    newest entry (EUVD), else the import time; None for a feed never imported.
    """
    out: dict[str, dict[str, Any] | None] = {}
    for name in ("kev", "euvd", "euvd_mapping", "epss", "osv"):
        info = result.feeds.get(name)
        if not info:
            out[name] = None
            continue
        day = (
            _day(info.get("catalog_date"))
            or _day(info.get("score_date"))
            or _day(info.get("newest_entry"))
            or _day(info.get("imported_at"))
        )
        out[name] = {
            "name": FEED_NAMES[name],
            "count": info.get("count"),
            "source": info.get("source"),
            "imported_at": info.get("imported_at"),
            "date": day.isoformat() if day else None,
            "age_days": (now.date() - day).days if day else None,
        }
        for key in ("catalog_version", "lists", "complete", "model_version"):
            if info.get(key) is not None:
                out[name][key] = info[key]  # type: ignore[index]
    return out


def feed_sentence(feeds: dict[str, dict[str, Any] | None]) -> str:
    """One line: which feeds were used, their dates and ages, and which are missing."""
    parts = []
    for name in ("kev", "euvd", "epss"):
        info = feeds.get(name)
        label = FEED_NAMES[name]
        if info is None:
            parts.append(f"{label}: not imported")
            continue
        text = f"{label}: {info['count']} entries"
        if info.get("date"):
            text += f", of {info['date']}"
            if info.get("age_days") is not None:
                text += f" ({info['age_days']} days old)"
        parts.append(text)
    return "Feeds used: " + "; ".join(parts)


def feed_warnings(feeds: dict[str, dict[str, Any] | None]) -> list[str]:
    """Warnings about missing or stale exploitation feeds (each one line)."""
    out = []
    if feeds.get("kev") is None and feeds.get("euvd") is None:
        out.append(
            "no CISA KEV or ENISA EUVD data imported: known-exploited and reportable "
            "(CRA Art. 14) verdicts are unknown (steward db import --kev/--euvd, or "
            "steward db update)"
        )
    for name in ("kev", "euvd"):
        info = feeds.get(name)
        if info and info.get("age_days") is not None and info["age_days"] > STALE_DAYS:
            out.append(
                f"{FEED_NAMES[name]} is {info['age_days']} days old ({info['date']}): "
                "newly exploited vulnerabilities are missing (steward db update)"
            )
    return out


def unrated(findings: list[Finding]) -> int:
    """Active findings without a severity rating."""
    return sum(1 for f in findings if f.suppressed is None and f.severity.rating == "unknown")


def rank(finding: Finding, unknown_as: str) -> int:
    """The finding's severity as an index into ``SEVERITY_ORDER`` (unrated: ``unknown_as``)."""
    rating = finding.severity.rating
    if rating not in SEVERITY_ORDER:
        rating = unknown_as
    return SEVERITY_ORDER.index(rating)


def summary(result: MatchResult, context: Context) -> dict[str, Any]:
    """The counts every format reports (the JSON ``summary`` object)."""
    by_rating: dict[str, int] = {}
    for finding in result.active:
        by_rating[finding.severity.rating] = by_rating.get(finding.severity.rating, 0) + 1
    known = result.exploitation_known
    return {
        "components": result.components,
        "findings": len(result.active),
        "suppressed": len(result.findings) - len(result.active),
        "exploited": sum(1 for f in result.active if f.exploited) if known else None,
        "reportable": sum(1 for f in result.findings if f.reportable) if known else None,
        "by_severity": dict(sorted(by_rating.items())),
        "unrated": unrated(result.findings),
        "unknown_as": context.unknown_as,
        "not_evaluated": len(result.unknown),
        "not_checked": len(result.not_checked),
        "without_ecosystem_or_version": result.unsupported,
        "seconds": round(result.seconds, 3),
    }


def not_checked_rows(result: MatchResult) -> list[dict[str, Any]]:
    """One row per component that was not (fully) checked: what it is, where, and why."""
    rows = []
    for comp, reason in result.not_checked:
        rows.append(
            {
                "name": comp.name,
                "version": comp.version or None,
                "ecosystem": comp.ecosystem or None,
                "purl": comp.purl,
                "location": str(comp.location) if comp.location else None,
                "reason": reason,
            }
        )
    return rows


def not_checked_line(row: dict[str, Any]) -> str:
    """``jinja2 (requirements.txt:1): no pinned version (requirement jinja2<3)``."""
    what = row["name"] + (f" {row['version']}" if row.get("version") else "")
    where = f" ({row['location']})" if row.get("location") else ""
    return f"{what}{where}: {row['reason']}"
