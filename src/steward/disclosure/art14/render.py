"""Human-readable Markdown for an Art. 14 payload, rendered from the same data as the JSON.

The Markdown states only what the payload holds: a field the case does not hold reads
"not recorded" with how binding it is at this stage, never a sentence that sounds like a
fact ("no malicious actor is known" is a finding someone must have made and recorded).

Written out in Python rather than as a Jinja2 template: loading Jinja2 and compiling the
template cost a `steward case report` about 25 ms of CPU on every run, more than building
the payload. The template this replaced is kept as the test's reference:
``tests/disclosure/test_art14_render.py`` renders payloads of every kind and stage (with
and without products, components, vendors, classes, missing items, lists, yes/no answers,
characters that need escaping in a table) through both and requires identical text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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


def _ts(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _cell(value: object) -> str:
    return table_cell(str(value))


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


def _header(r: Art14Report, heading: str) -> list[str]:
    m, to = r.manufacturer, r.recipient
    who = (
        "Open-source software steward"
        if m.role == "open_source_software_steward"
        else ("Manufacturer")
    )
    unconfirmed = " (coordinator designation unconfirmed)"
    return [
        f"# {heading} — {r.title}\n",
        "\n| | |\n|---|---|\n",
        f"| Case | {_cell(r.case_id)} |\n",
        f"| Legal basis | {r.legal_basis} |\n",
        f"| {who} | {_cell(m.name)}{f' ({m.country})' if m.country else ''} |\n",
        f"| Contact | {_cell(m.contact_email or '—')} |\n",
        f"| To | {to.csirt or '— (see missing information)'}"
        f"{unconfirmed if to.csirt and not to.designation_confirmed else ''}; and {to.enisa} |\n",
        f"| Aware since | {_ts(r.aware_at)} |\n",
        f"| Due | {_ts(r.due_at)} |\n",
        f"| Generated | {_ts(r.generated_at)} |\n",
    ]


def _products(r: Art14Report) -> list[str]:
    out = ["\n## Products concerned\n\n"]
    for p in r.products:
        vendor = f" ({p.vendor})" if p.vendor else ""
        ids = f" — {', '.join(p.identifiers)}" if p.identifiers else ""
        out.append(f"- **{p.name}**{vendor}{ids}\n")
        out.append(
            f"  - affected versions: {'; '.join(p.affected_versions) or '— (not recorded)'}\n"
        )
        out.append(
            f"  - fixed in: {', '.join(p.fixed_versions) or '— (no fixed version recorded)'}\n"
        )
        if p.product_type:
            category = f" ({p.product_category})" if p.product_category else ""
            out.append(f"  - CRA class: {p.product_type}{category}\n")
        for c in p.components:
            version = f" {c.version}" if c.version else ""
            ids = f" ({', '.join(c.identifiers)})" if c.identifiers else ""
            fixed = f"; fixed upstream in {', '.join(c.fixed_versions)}" if c.fixed_versions else ""
            out.append(f"  - affected through the component **{c.name}**{version}{ids}{fixed}\n")
    if not r.products:
        out.append("- — (not recorded)\n")
    return out


def _section(label: str, srp_id: str, how: str, value: Any) -> str:
    text = f"\n## {label}\n\n"
    if value is None or value == "" or value == []:
        return text + f"_not recorded_ ({how} at this stage; SRP field {srp_id})\n"
    if isinstance(value, str):
        return text + f"{value}\n"
    if value is True:
        return text + "yes\n"
    if value is False:
        return text + "no\n"
    return text + "".join(f"- {item}\n" for item in value)


def render_markdown(report: Art14Report) -> str:
    """The report as Markdown: header, missing items, products, the fields, the checklist."""
    r = report
    parts = _header(r, _HEADINGS[(r.notification_type, r.notification_level)])
    if r.missing:
        parts.append(
            "\n## Missing information\n\nThe case does not hold these required items yet. "
            "Record them in the case; do not send guesses.\n\n"
        )
        parts.extend(f"- {item}\n" for item in r.missing)
    parts.extend(_products(r))
    parts.extend(
        _section(item.label, item.srp_id, _how(item), _value(r, item.field))
        for item in r.checklist
        if item.field not in _NOT_SECTIONS
    )
    parts.append(
        "\n## Checklist for the single reporting platform\n\n"
        "| SRP field | | this stage | status | how to record it |\n|---|---|---|---|---|\n"
    )
    parts.extend(
        f"| {item.srp_id} | {_cell(item.label)} | {_how(item)} | "
        f"{item.status.value.replace('_', ' ')} | {_cell(item.supply or '—')} |\n"
        for item in r.checklist
    )
    if any(item.derived for item in r.checklist):
        parts.append(
            "\nFields numbered i13–i23 follow CRA Art. 14(4) with the platform's staging "
            "pattern; the\nplatform's own list for incidents could not be confirmed.\n"
        )
    return "".join(parts).rstrip() + "\n"
