"""From a timeline to a case: the state machine and the fold of events into a CaseSnapshot.

State changes follow :data:`TRANSITIONS` (event kind → states it may follow → new state);
every other event kind may be recorded in any state. Events are folded in the order they
happened (``occurred_at``, then ``seq``), except that the state machine follows recording
order (``seq``): a state change is checked against the state the case was in when it was
recorded. Corrections replace the data (and optionally the time) of the event they name.

Publication ends an embargo: once a ``published`` event has happened the case is public,
whatever embargo was set before it (an ``embargo_set`` after publication starts a new one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from steward.disclosure.corrections import apply_corrections as apply_corrections
from steward.disclosure.corrections import chronological as chronological
from steward.disclosure.model import (
    AffectedProduct,
    CaseKind,
    CaseSnapshot,
    CaseState,
    Embargo,
    ExploitationStatus,
    Release,
    Reporter,
    TimelineEntry,
)
from steward.disclosure.vocabulary import Event, EventKind
from steward.errors import ConflictError

S = CaseState
TRANSITIONS: dict[EventKind, tuple[frozenset[CaseState], CaseState]] = {
    EventKind.TRIAGED: (frozenset({S.RECEIVED}), S.TRIAGED),
    EventKind.CONFIRMED: (frozenset({S.RECEIVED, S.TRIAGED}), S.CONFIRMED),
    EventKind.FIX_STARTED: (frozenset({S.CONFIRMED}), S.FIX_IN_PROGRESS),
    # one release per affected product or branch: a further ``fixed`` keeps the case fixed
    EventKind.FIXED: (frozenset({S.CONFIRMED, S.FIX_IN_PROGRESS, S.FIXED}), S.FIXED),
    EventKind.PUBLISHED: (
        frozenset({S.CONFIRMED, S.FIX_IN_PROGRESS, S.FIXED, S.PUBLISHED}),
        S.PUBLISHED,
    ),
    EventKind.CLOSED: (frozenset({S.FIXED, S.PUBLISHED, S.REJECTED, S.DUPLICATE}), S.CLOSED),
    EventKind.REJECTED: (frozenset({S.RECEIVED, S.TRIAGED, S.CONFIRMED}), S.REJECTED),
    EventKind.DUPLICATE: (frozenset({S.RECEIVED, S.TRIAGED, S.CONFIRMED}), S.DUPLICATE),
    EventKind.REOPENED: (frozenset({S.CLOSED, S.REJECTED, S.DUPLICATE}), S.TRIAGED),
}


_CONFIRM_FIRST = "; confirm the case first: steward case event CASE confirmed"
#: what to record first, where the way forward is one event away
_HINTS: dict[tuple[CaseState, EventKind], str] = {
    (state, kind): _CONFIRM_FIRST
    for state in (S.RECEIVED, S.TRIAGED)
    for kind in (EventKind.FIX_STARTED, EventKind.FIXED, EventKind.PUBLISHED)
}


def next_state(state: CaseState, kind: EventKind) -> CaseState:
    """The state after recording ``kind`` in ``state``; ConflictError if not allowed."""
    rule = TRANSITIONS.get(kind)
    if rule is None:
        return state
    allowed, target = rule
    if state not in allowed:
        froms = ", ".join(sorted(s.value for s in allowed))
        hint = _HINTS.get((state, kind), "")
        raise ConflictError(
            f"cannot record {kind.value!r} in state {state.value!r} (allowed from: {froms})" + hint
        )
    return target


@dataclass(frozen=True)
class CaseHead:
    """What the store knows about a case apart from its events."""

    public_id: str
    kind: CaseKind
    title: str
    created_at: datetime


def state_of(events: list[Event]) -> CaseState:
    """The state after all events, replayed in recording order."""
    state = CaseState.RECEIVED
    for event in sorted(events, key=lambda e: e.seq):
        state = next_state(state, event.kind)
    return state


def _summary(event: Event) -> str:
    data = event.data
    for key in ("note", "text", "description", "evidence", "url", "alias", "reason"):
        if isinstance(data.get(key), str):
            return str(data[key])
    if event.kind is EventKind.REPORT_SUBMITTED:
        return f"{data['report']} submitted" + (
            f" ({data['reference']})" if data.get("reference") else ""
        )
    if event.kind is EventKind.REPORT_REQUESTED:
        return f"{data.get('report', 'intermediate_report')} requested, due {data['due']}" + (
            f" by {data['by']}" if data.get("by") else ""
        )
    if event.kind is EventKind.PRODUCT_ADDED:
        product = data["product"]
        parts = [str(product["name"]), *product.get("affected", [])]
        parts += [
            f"with {c['name']} {c.get('version', '')}".strip()
            for c in product.get("components", [])
        ]
        return " ".join(parts)
    if event.kind in (EventKind.FIXED, EventKind.MITIGATION_AVAILABLE) and data.get("versions"):
        return "versions " + ", ".join(data["versions"])
    if event.kind is EventKind.SEVERITY_SET:
        return str(data["cvss_vector"])
    if event.kind is EventKind.CORRECTION:
        return f"corrects event {data['corrects']}"
    return ""


def release_target(
    products: tuple[AffectedProduct, ...], release: Release
) -> AffectedProduct | None:
    """The product a release's versions belong to: the one it names, else the case's only
    product; None when it names none and the case has several (or no) products."""
    if release.product is not None:
        return next((p for p in products if p.name == release.product), None)
    return products[0] if len(products) == 1 else None


def released_fixes(
    products: tuple[AffectedProduct, ...], releases: list[Release]
) -> tuple[AffectedProduct, ...]:
    """Products with the versions of their ``fixed`` releases added to their fixed versions:
    a recorded release is the product's fix, whatever ``case new --fixed`` said (issue 15,
    items 3 and 7). Mitigations fix nothing and add no version."""
    added: dict[str, list[str]] = {}
    for release in releases:
        target = release_target(products, release) if release.kind == "fixed" else None
        if target is not None:
            added.setdefault(target.name, []).extend(release.versions)
    return tuple(
        p.model_copy(update={"fixed": tuple(dict.fromkeys((*p.fixed, *added[p.name])))})
        if p.name in added
        else p
        for p in products
    )


def fold(head: CaseHead, events: list[Event]) -> CaseSnapshot:
    """The snapshot of a case: everything its events establish, nothing more."""
    effective = chronological(apply_corrections(events))
    fields: dict[str, Any] = {
        "title": head.title,
        "products": (),
        "aliases": (),
        "exploitation": ExploitationStatus.UNKNOWN,
        "exploitation_evidence": (),
    }
    first: dict[EventKind, datetime] = {}
    closed_at: datetime | None = None
    embargo: Embargo | None = None
    releases: list[Release] = []
    for event in effective:
        data = event.data
        kind = event.kind
        first.setdefault(kind, event.occurred_at)
        if kind is EventKind.RECEIVED:
            if data.get("reporter"):
                fields["reporter"] = Reporter.model_validate(data["reporter"])
            if data.get("timezone"):
                fields["timezone"] = data["timezone"]
        elif kind is EventKind.DETAILS_SET:
            for key, value in data.items():
                fields[key] = tuple(value) if isinstance(value, list) else value
        elif kind is EventKind.SEVERITY_SET:
            fields["cvss_vector"] = data["cvss_vector"]
        elif kind is EventKind.PRODUCTS_SET:
            fields["products"] = tuple(AffectedProduct.model_validate(p) for p in data["products"])
        elif kind is EventKind.PRODUCT_ADDED:
            fields["products"] = (
                *fields["products"],
                AffectedProduct.model_validate(data["product"]),
            )
        elif kind is EventKind.ALIAS_ADDED and data["alias"] not in fields["aliases"]:
            fields["aliases"] = (*fields["aliases"], data["alias"])
        elif kind is EventKind.EMBARGO_SET:
            embargo = Embargo.model_validate(data)
        elif kind is EventKind.EMBARGO_LIFTED:
            embargo = None
        elif kind is EventKind.EXPLOITATION_STATUS:
            fields["exploitation"] = ExploitationStatus(data["status"])
            if data.get("evidence"):
                fields["exploitation_evidence"] += (data["evidence"],)
        elif kind is EventKind.EXPLOITATION_AWARE:
            fields["exploitation"] = ExploitationStatus.ACTIVELY_EXPLOITED
            if data.get("evidence"):
                fields["exploitation_evidence"] += (data["evidence"],)
        elif kind is EventKind.INCIDENT_AWARE and "suspected_malicious" in data:
            fields["suspected_malicious"] = data["suspected_malicious"]
        elif kind in (EventKind.FIXED, EventKind.MITIGATION_AVAILABLE):
            releases.append(
                Release(
                    kind=kind.value,
                    occurred_at=event.occurred_at,
                    versions=tuple(data.get("versions") or ()),
                    description=data.get("description"),
                    product=data.get("product"),
                )
            )
        elif kind is EventKind.PUBLISHED:
            embargo = None  # publication ends the embargo
            refs = fields.get("references", ())
            if data.get("url") and data["url"] not in refs:
                fields["references"] = (*refs, data["url"])
        elif kind is EventKind.DUPLICATE:
            fields["duplicate_of"] = data["of"]
        elif kind is EventKind.CLOSED:
            closed_at = event.occurred_at
        elif kind is EventKind.REOPENED:
            closed_at = None
    fields["products"] = released_fixes(fields["products"], releases)
    state = state_of(events)
    aware_kind = (
        EventKind.INCIDENT_AWARE
        if head.kind is CaseKind.SEVERE_INCIDENT
        else EventKind.EXPLOITATION_AWARE
    )
    timeline = tuple(
        TimelineEntry(
            seq=e.seq,
            kind=e.kind.value,
            occurred_at=e.occurred_at,
            recorded_at=e.recorded_at,
            actor=e.actor,
            summary=_summary(e),
            data=e.data,
        )
        for e in chronological(events)
    )
    updated = max((e.recorded_at for e in events), default=head.created_at)
    states = [
        *fields.pop("member_states", ()),
        *(s for p in fields["products"] for s in p.member_states),
    ]
    return CaseSnapshot(
        id=head.public_id,
        kind=head.kind,
        state=state,
        embargo=embargo,
        created_at=head.created_at,
        updated_at=updated,
        aware_at=first.get(aware_kind),
        mitigation_available_at=first.get(EventKind.MITIGATION_AVAILABLE),
        fixed_at=first.get(EventKind.FIXED),
        published_at=first.get(EventKind.PUBLISHED),
        closed_at=closed_at if state is CaseState.CLOSED else None,
        member_states=tuple(sorted(set(states))),
        releases=tuple(releases),
        timeline=timeline,
        **fields,
    )
