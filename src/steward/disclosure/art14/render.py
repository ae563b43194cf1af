"""Human-readable Markdown for an Art. 14 payload, rendered from the same data as the JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from steward.disclosure.art14.payloads import Art14Report

_HEADINGS = {
    "vulnerability_early_warning": "Early warning: actively exploited vulnerability",
    "vulnerability_notification": "Vulnerability notification",
    "vulnerability_final_report": "Final report: actively exploited vulnerability",
    "incident_early_warning": "Early warning: severe incident",
    "incident_notification": "Incident notification",
    "incident_final_report": "Final report: severe incident",
}

# the report-specific fields, in the order of the regulation's text, with their labels
_FIELDS: dict[str, list[tuple[str, str]]] = {
    "vulnerability_early_warning": [
        ("member_states", "Member States where the product is available")
    ],
    "vulnerability_notification": [
        ("product_information", "General information on the product"),
        ("exploit_nature", "General nature of the exploit"),
        ("vulnerability_nature", "General nature of the vulnerability"),
        ("corrective_measures_taken", "Corrective or mitigating measures taken"),
        ("user_measures", "Measures users can take"),
        ("sensitivity", "Sensitivity of the information"),
    ],
    "vulnerability_final_report": [
        ("description", "Description of the vulnerability"),
        ("severity", "Severity"),
        ("impact", "Impact"),
        ("malicious_actor", "Malicious actor (where available)"),
        ("security_update", "Security update or other corrective measures"),
    ],
    "incident_early_warning": [
        ("suspected_malicious", "Suspected to be caused by unlawful or malicious acts"),
        ("member_states", "Member States where the product is available"),
    ],
    "incident_notification": [
        ("incident_nature", "Nature of the incident"),
        ("initial_assessment", "Initial assessment"),
        ("corrective_measures_taken", "Corrective or mitigating measures taken"),
        ("user_measures", "Measures users can take"),
        ("sensitivity", "Sensitivity of the information"),
    ],
    "incident_final_report": [
        ("description", "Description, including severity and impact"),
        ("severity", "Severity"),
        ("impact", "Impact"),
        ("root_cause", "Type of threat or root cause"),
        ("mitigations", "Applied and ongoing mitigation measures"),
    ],
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


def _value(report: Art14Report, name: str) -> Any:
    value = getattr(report, name)
    if name == "severity" and value is not None:
        cvss = f"CVSS {value.cvss_version} base score {value.base_score}"
        return f"{value.rating} ({cvss}: {value.vector})"
    if name == "malicious_actor" and value is None:
        return "No information on a malicious actor is available."
    return value


def render_markdown(report: Art14Report) -> str:
    """The report as Markdown: header table, missing items, products, then the fields."""
    fields = [(label, _value(report, name)) for name, label in _FIELDS[report.report_type]]
    text = _env.get_template("report.md.j2").render(
        r=report, heading=_HEADINGS[report.report_type], fields=fields
    )
    return text.rstrip() + "\n"
