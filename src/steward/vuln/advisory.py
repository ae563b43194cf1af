"""An OSV advisory as the matcher sees it: metadata, the raw record, and pre-parsed ranges.

:class:`Advisory` objects come from :meth:`steward.store.vulndb.VulnDB.advisories_for`, which
compiles only the ``affected[]`` entries of the package that was looked up, once per package.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from steward.vuln.names import normalise_name
from steward.vuln.ranges import CompiledAffected, Verdict, compile_affected
from steward.vuln.versions import base_ecosystem


@dataclass(frozen=True, slots=True)
class Advisory:
    """One OSV record, with the ``affected[]`` entries of one package compiled."""

    id: str
    modified: str
    published: str | None
    withdrawn: str | None
    aliases: tuple[str, ...]
    summary: str
    data: Mapping[str, Any]
    affected: tuple[CompiledAffected, ...]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn is not None

    def evaluate(self, version: str, *, commit: str | None = None) -> Verdict:
        """AFFECTED if any entry says so; UNKNOWN if none does and one could not decide."""
        unknown = False
        for entry in self.affected:
            verdict = entry.evaluate(version, commit=commit)
            if verdict is Verdict.AFFECTED:
                return verdict
            unknown = unknown or verdict is Verdict.UNKNOWN
        return Verdict.UNKNOWN if unknown else Verdict.NOT_AFFECTED

    def affects(self, version: str) -> bool:
        """True only when the version is affected (UNKNOWN is False: use :meth:`evaluate`)."""
        return self.evaluate(version) is Verdict.AFFECTED

    @classmethod
    def from_record(
        cls, record: Mapping[str, Any], ecosystem: str | None = None, name: str | None = None
    ) -> Advisory:
        """Build from a raw OSV record; with ``ecosystem``/``name`` keep only that package."""
        entries = []
        want_eco = base_ecosystem(ecosystem) if ecosystem else None
        want_name = normalise_name(ecosystem, name) if ecosystem and name is not None else None
        for aff in record.get("affected") or ():
            if not isinstance(aff, Mapping):
                continue
            pkg = aff.get("package") or {}
            eco = str(pkg.get("ecosystem", ""))
            if want_eco is not None:
                if base_ecosystem(eco) != want_eco:
                    continue
                if ecosystem and ":" in ecosystem and eco != ecosystem:
                    continue  # a release-scoped query (Debian:12) matches only that release
                if want_name is not None and normalise_name(eco, str(pkg.get("name", ""))) != (
                    want_name
                ):
                    continue
            entries.append(compile_affected(aff))
        aliases = record.get("aliases") or ()
        return cls(
            id=str(record.get("id", "")),
            modified=str(record.get("modified", "")),
            published=_opt(record.get("published")),
            withdrawn=_opt(record.get("withdrawn")),
            aliases=tuple(str(a) for a in aliases if isinstance(a, str)),
            summary=str(record.get("summary") or ""),
            data=record,
            affected=tuple(entries),
        )


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)
