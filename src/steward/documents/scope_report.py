"""``steward cra scope`` output: the decision as text, Markdown or JSON, and the answers as
the ``cra.scope`` YAML block of steward.yml."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import yaml

from steward.documents import cra
from steward.documents.scope import Decision, Role, status

_ROLE_TEXT = {
    Role.MANUFACTURER: "manufacturer (Art. 3(13)): the CRA applies in full",
    Role.STEWARD: "open-source software steward (Art. 3(14)): the light regime of Art. 24",
    Role.CONTRIBUTOR: "contributor to someone else's project: the CRA does not apply to you "
    "(Recital 18)",
    Role.NON_COMMERCIAL: "not supplied in the course of a commercial activity: the CRA does "
    "not apply (Art. 3(22), Recital 18)",
    Role.OTHER_OPERATOR: "not the manufacturer: the one whose name the product bears is "
    "(Art. 3(13)); importers and distributors have the duties of Art. 19-20",
    Role.OUT_OF_SCOPE: "outside the CRA's scope (Art. 2)",
    Role.UNDETERMINED: "not decided yet: answer the questions below",
}


def to_dict(decision: Decision, today: dt.date) -> dict[str, Any]:
    """The decision as JSON-ready data (stable field names)."""
    return {
        "role": decision.role.value,
        "assess_role": decision.assess_role,
        "reasons": list(decision.reasons),
        "category": (
            {
                "id": decision.category.id,
                "class": decision.category.cls,
                "point": decision.category.point,
                "title": decision.category.title,
            }
            if decision.category is not None
            else None
        ),
        "category_class": decision.category_class,
        "conformity_assessment": {"basis": decision.route_basis, "routes": list(decision.routes)},
        "obligations": [
            {
                "what": o.what,
                "basis": o.basis,
                "applies_from": o.applies_from.isoformat(),
                "status": status(o, today),
                "steward": o.steward,
            }
            for o in decision.obligations
        ],
        "missing": [
            {"key": f"cra.scope.{q.key}", "question": q.text, "basis": q.basis}
            for q in decision.missing
        ],
        "answers": decision.answered,
    }


def to_json(decision: Decision, today: dt.date) -> bytes:
    return orjson.dumps(to_dict(decision, today), option=orjson.OPT_INDENT_2)


def _lines(decision: Decision, today: dt.date, markdown: bool) -> list[str]:
    head = "## " if markdown else ""
    bullet = "- "
    out = [f"{'# ' if markdown else ''}CRA scope", ""]
    out.append(f"Role: {_ROLE_TEXT[decision.role]}")
    if decision.category_class is not None:
        text = cra.CLASS_TITLES[decision.category_class]
        if decision.category is not None:
            text += f": {decision.category.title} ({decision.category.point})"
        out.append(f"Product category: {text}")
    if decision.routes:
        out += ["", f"{head}Conformity assessment ({decision.route_basis}), one of:"]
        out += [bullet + r for r in decision.routes]
    if decision.reasons:
        out += ["", f"{head}Why"]
        out += [bullet + r for r in decision.reasons]
    if decision.obligations:
        out += ["", f"{head}What follows"]
        for o in decision.obligations:
            out.append(f"{bullet}{o.what} [{o.basis}; {status(o, today)}]")
            if o.steward:
                out.append(f"  Steward: {o.steward}")
    if decision.missing:
        out += ["", f"{head}Still to answer (cra.scope in steward.yml, or run on a terminal)"]
        for q in decision.missing:
            out.append(f"{bullet}cra.scope.{q.key}: {q.text} [{q.basis}]")
    if not decision.answered:
        out += [
            "",
            "No answers yet: run `steward cra scope` on a terminal, or add cra.scope "
            "to steward.yml.",
        ]
    return out


def to_text(decision: Decision, today: dt.date) -> str:
    return "\n".join(_lines(decision, today, markdown=False)) + "\n"


def to_markdown(decision: Decision, today: dt.date) -> str:
    return "\n".join(_lines(decision, today, markdown=True)) + "\n"


def categories_text() -> str:
    """The category ids a ``cra.scope.category`` answer can take, with their descriptions."""
    out = ["none: not listed in Annex III or IV (default class)"]
    for c in cra.categories():
        out.append(f"{c.id}: {c.title} [{c.point}, {cra.CLASS_TITLES[c.cls]}]")
        out.append(f"    {c.description}")
    return "\n".join(out) + "\n"


def answers_yaml(answers: dict[str, Any]) -> str:
    """The ``cra: scope:`` block for steward.yml."""
    return yaml.safe_dump({"cra": {"scope": answers}}, sort_keys=False)
