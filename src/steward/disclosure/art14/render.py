"""Human-readable Markdown for an Art. 14 payload, rendered from the same data as the JSON.

The Markdown states only what the payload holds: a field the case does not hold reads
"not recorded" with how binding it is at this stage, never a sentence that sounds like a
fact ("no malicious actor is known" is a finding someone must have made and recorded).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from steward.disclosure.art14.payloads import Art14Report, ChecklistItem, Obligation
from steward.markdown import table_cell

_HEADINGS = {
    ("actively_exploited_vulnerability", "early_warning"): (
        "Early warning: actively exploited vulnerability"
    ),
    ("actively_exploited_vulnerability", "notification"): "Vulnerability notification",
    ("actively_exploited_vulnerability", "final_report"): (
        "Final report: actively exploited vulnerability"
    ),
    ("actively_exploited_vulnerability", "intermediate_report"): (
        "Intermediate report: actively exploited vulnerability"
    ),
    ("severe_incident", "early_warning"): "Early warning: severe incident",
    ("severe_incident", "notification"): "Incident notification",
    ("severe_incident", "final_report"): "Final report: severe incident",
    ("severe_incident", "intermediate_report"): "Intermediate report: severe incident",
}

_OBLIGATION_TEXT = {
    Obligation.OBLIGATORY: "obligatory",
    Obligation.CARRIED_FORWARD: "carried forward",
    Obligation.OPTIONAL: "optional",
    Obligation.IF_AVAILABLE: "if available",
}

# fields shown in the header or the products section rather than as a section of their own
_NOT_SECTIONS = {
    "notification_type",
    "notification_level",
    "manufacturer",
    "products",
    "product_type",
    "product_category",
    "title",
}

_env = Environment(
    loader=PackageLoader("steward.disclosure.art14", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # Markdown, not HTML  # noqa: S701
    keep_trailing_newline=True,
    trim_blocks=True,
)


def _ts(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


_env.filters["ts"] = _ts
_env.filters["cell"] = lambda value: table_cell(str(value))


def _value(report: Art14Report, name: str) -> Any:
    """A field as Markdown: a string, a list of strings, a bool, or None (not recorded)."""
    value = getattr(report, name, None)
    if name == "severity" and value is not None:
        parts = []
        if value.assessment:
            parts.append(value.assessment)
        if value.cvss is not None:
            c = value.cvss
            parts.append(f"{c.rating} (CVSS {c.version} base score {c.base_score}: {c.vector})")
        return "\n\n".join(parts)
    if name == "security_update" and value is not None:
        return [
            f"{_ts(u.available_at)}: "
            + ("fixed in " if u.kind == "fixed" else "mitigation ")
            + (", ".join(u.versions) or "(no version recorded)")
            + (f" — {u.description}" if u.description else "")
            for u in value
        ]
    if name == "measure_available_at" and value is not None:
        return _ts(value)
    if name in ("cve_ids", "euvd_ids", "member_states") and value == []:
        return None
    return value


def _how(item: ChecklistItem) -> str:
    """``obligatory``, ``if available``, or ``carried forward (required)`` and the like."""
    text = _OBLIGATION_TEXT[item.obligation]
    if item.carried_from is not None:
        earlier = item.carried_from
        text += (
            " (required)" if earlier is Obligation.OBLIGATORY else f" ({_OBLIGATION_TEXT[earlier]})"
        )
    return text


def render_markdown(report: Art14Report) -> str:
    """The report as Markdown: header, missing items, products, the fields, the checklist."""
    sections = [
        (item.label, item.srp_id, _how(item), _value(report, item.field))
        for item in report.checklist
        if item.field not in _NOT_SECTIONS
    ]
    text = _env.get_template("report.md.j2").render(
        r=report,
        heading=_HEADINGS[(report.notification_type, report.notification_level)],
        sections=sections,
        how=_how,
        derived=any(item.derived for item in report.checklist),
    )
    return text.rstrip() + "\n"
