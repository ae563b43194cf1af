"""Corrections applied to a timeline, and the order events happened in.

Kept free of pydantic (the data models load only when a correction carries replacement data,
which is validated and normalised by its kind's model) so that counting a case's clocks
(:mod:`steward.disclosure.clocks`) starts fast.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from steward.disclosure.vocabulary import Event, EventKind


def apply_corrections(events: list[Event]) -> list[Event]:
    """Events with corrections applied to the events they name (corrections stay listed)."""
    by_seq = {e.seq: e for e in events}
    for event in sorted(events, key=lambda e: e.seq):
        if event.kind is not EventKind.CORRECTION:
            continue
        target_seq = int(event.data["corrects"])
        target = by_seq.get(target_seq)
        if target is None:
            continue
        new_data = event.data.get("data")
        data = target.data
        if new_data:  # replacement data is validated by its kind's pydantic model
            from steward.disclosure.events import DATA_MODELS

            data = (
                DATA_MODELS[target.kind]
                .model_validate(new_data)
                .model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            )
        occurred = event.data.get("occurred_at")
        by_seq[target_seq] = replace(
            target,
            data=data,
            occurred_at=datetime.fromisoformat(occurred) if occurred else target.occurred_at,
        )
    return list(by_seq.values())


def chronological(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.occurred_at, e.seq))
