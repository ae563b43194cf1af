"""What changed between two catalog versions, and what that means for an assessment.

A catalog is named by its version (the packaged one, or a release kept in
``data/releases/<version>.json``) or by a file written by ``steward catalog export -f json``.
:func:`diff` lists added, removed and changed requirements; a change is *normative* when what a
project must do or how it is verified changed (title, text, level, applicability,
verification), otherwise it only touches guidance (rationale, fix) or mappings.
:func:`reread` reads an assessment made against the old catalog against the new one: findings
of requirements without a normative change carry over, the rest must be assessed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from steward.catalog.loader import load_catalog
from steward.catalog.model import Catalog, Mappings, Requirement
from steward.errors import InputError, NotFoundError
from steward.safeio import read_bytes

NORMATIVE = ("title", "text", "level", "applicability", "verification")
GUIDANCE = ("rationale", "fix")
RELEASES = "releases"


def release_versions() -> list[str]:
    """Catalog versions that can be named: the kept releases and the packaged one."""
    kept = [
        r.name.removesuffix(".json")
        for r in (files("steward.catalog") / "data" / RELEASES).iterdir()
        if r.name.endswith(".json")
    ]
    return sorted({*kept, load_catalog().version}, key=_version_key)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def _from_json(data: bytes, source: str) -> Catalog:
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}", source=source) from None
    if not isinstance(raw, dict) or "requirements" not in raw or "version" not in raw:
        raise InputError(
            "not a Steward catalog (expected the JSON of `steward catalog export`)",
            source=source,
        )
    raw = {k: v for k, v in raw.items() if k != "source_sections"}  # export-only table
    try:
        return Catalog.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise InputError(f"invalid catalog: {where}: {error['msg']}", source=source) from None


def load_catalog_ref(ref: str) -> Catalog:
    """A catalog by version (``1.0.0``, ``current``) or by path to an exported JSON file.

    Errors: NotFoundError for an unknown version or a missing file; InputError for a file
    that is not an exported catalog."""
    current = load_catalog()
    if ref in ("current", current.version):
        return current
    release = files("steward.catalog") / "data" / RELEASES / f"{ref}.json"
    if release.is_file():
        return _from_json(release.read_bytes(), f"catalog release {ref}")
    path = Path(ref)
    if path.exists() or path.is_symlink():
        return _from_json(read_bytes(path), str(path))
    known = ", ".join(release_versions())
    raise NotFoundError(f"no catalog version or file {ref!r} (versions: {known}, current)")


@dataclass(frozen=True)
class Change:
    """One changed requirement. ``fields``: name → (old, new) for normative and guidance
    fields; ``mappings``: framework → {"added": [...], "removed": [...]}."""

    id: str
    fields: dict[str, tuple[Any, Any]]
    mappings: dict[str, dict[str, list[str]]]

    @property
    def normative(self) -> bool:
        return any(name in NORMATIVE for name in self.fields)


@dataclass(frozen=True)
class CatalogDiff:
    old: Catalog
    new: Catalog
    added: list[Requirement] = field(default_factory=list)
    removed: list[Requirement] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    frameworks: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``{"old", "new", "frameworks", "added", "removed", "changed"}``."""
        return {
            "old": self.old.version,
            "new": self.new.version,
            "frameworks": {k: {"old": o, "new": n} for k, (o, n) in self.frameworks.items()},
            "added": [{"id": r.id, "title": r.title, "level": r.level} for r in self.added],
            "removed": [{"id": r.id, "title": r.title} for r in self.removed],
            "changed": [
                {
                    "id": c.id,
                    "normative": c.normative,
                    "fields": {k: {"old": o, "new": n} for k, (o, n) in c.fields.items()},
                    "mappings": c.mappings,
                }
                for c in self.changed
            ],
        }


def _plain(requirement: Requirement, name: str) -> Any:
    value = getattr(requirement, name)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, tuple):
        return [getattr(v, "value", v) for v in value]
    return value


def diff(old: Catalog, new: Catalog) -> CatalogDiff:
    """Requirements added, removed and changed from ``old`` to ``new``, and changed editions
    of the mapped frameworks."""
    old_by_id = {r.id: r for r in old.requirements}
    new_by_id = {r.id: r for r in new.requirements}
    changed = []
    for rid, after in new_by_id.items():
        before = old_by_id.get(rid)
        if before is None or before == after:
            continue
        fields = {
            name: (_plain(before, name), _plain(after, name))
            for name in (*NORMATIVE, *GUIDANCE)
            if _plain(before, name) != _plain(after, name)
        }
        mappings: dict[str, dict[str, list[str]]] = {}
        for key in Mappings.model_fields:
            was, now = getattr(before.mappings, key), getattr(after.mappings, key)
            added = [v for v in now if v not in was]
            removed = [v for v in was if v not in now]
            if added or removed:
                mappings[key] = {"added": added, "removed": removed}
        changed.append(Change(rid, fields, mappings))
    editions_old = {f.id: f.version for f in old.frameworks}
    editions_new = {f.id: f.version for f in new.frameworks}
    frameworks = {
        key: (editions_old.get(key), editions_new.get(key))
        for key in sorted({*editions_old, *editions_new})
        if editions_old.get(key) != editions_new.get(key)
    }
    return CatalogDiff(
        old=old,
        new=new,
        added=[r for rid, r in new_by_id.items() if rid not in old_by_id],
        removed=[r for rid, r in old_by_id.items() if rid not in new_by_id],
        changed=changed,
        frameworks=frameworks,
    )


@dataclass(frozen=True)
class Reread:
    """One requirement of the new catalog, or a removed one, with what the old assessment
    says. ``state``: ``carried`` (finding still holds), ``re-check`` (the requirement changed
    normatively), ``not-assessed`` (new requirement, or not in the assessment), ``removed``."""

    id: str
    state: str
    status: str | None
    note: str = ""


def reread(assessment: object, changes: CatalogDiff, source: str) -> list[Reread]:
    """Read an assessment (``steward assess -f json``) made against ``changes.old`` against
    ``changes.new``. Errors: InputError when the assessment is not one, or was made against
    another catalog version."""
    findings = assessment.get("findings") if isinstance(assessment, dict) else None
    version = assessment.get("catalog_version") if isinstance(assessment, dict) else None
    if not isinstance(findings, list) or not isinstance(version, str):
        raise InputError(
            "not a Steward assessment (expected the JSON of `steward assess -f json`)",
            source=source,
        )
    if version != changes.old.version:
        raise InputError(
            f"the assessment was made against catalog {version}, not {changes.old.version}",
            source=source,
        )
    status = {
        str(f.get("requirement_id")): str(f.get("status")) for f in findings if isinstance(f, dict)
    }
    by_change = {c.id: c for c in changes.changed}
    added = {r.id for r in changes.added}
    out = []
    for requirement in changes.new.requirements:
        rid = requirement.id
        old_status = status.get(rid)
        if rid in added:
            out.append(Reread(rid, "not-assessed", None, "new requirement"))
        elif old_status is None:
            out.append(Reread(rid, "not-assessed", None, "not in the assessment"))
        elif rid in by_change and by_change[rid].normative:
            what = ", ".join(n for n in by_change[rid].fields if n in NORMATIVE)
            out.append(Reread(rid, "re-check", old_status, f"changed: {what}"))
        else:
            out.append(Reread(rid, "carried", old_status))
    for requirement in changes.removed:
        out.append(Reread(requirement.id, "removed", status.get(requirement.id)))
    return out
