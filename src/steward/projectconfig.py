"""``steward.yml``: a project's own answers to Steward, validated with file and line in errors.

One schema for the whole file (pydantic models below); every part of Steward that reads the
file goes through :func:`parse_project_config`. Sections today:

- ``attestations``: requirement id → ``{status: met|not-met|not-applicable, evidence, by,
  date}``, the project's answer where no probe can decide.
- ``accept``: a list of accepted shortfalls, each ``{requirement: STW-..-..}`` or ``{probe:
  name}``, an optional ``path`` (a gitignore-style pattern, as in ``.gitignore`` or
  CODEOWNERS, matched against the evidence's path), and the mandatory ``reason``, ``owner``
  and ``expires`` (an ISO 8601 date; from the day after, the item fails again).
- ``project`` and ``cra``: what ``steward init`` read from the checkout, and the answers of
  the CRA scope questionnaire and documents (models in :mod:`steward.craconfig`).
- ``projects``: an organisation manifest for ``steward assess-many``: a list of
  ``{url: GIT-URL}`` or ``{path: DIR}`` entries (a path relative to the file), each with an
  optional ``name``; a plain string is a URL when it has ``://`` or is scp-like
  (``git@host:o/r``), otherwise a path. ``steward assess`` ignores the section.

Errors are :class:`~steward.errors.InputError` naming the file and the line of the offending
key (``steward.yml:12: accept[1].expires: ...``): a YAML syntax error, a value of the wrong
type, an unknown key, an unknown requirement or probe id. The first error is reported; the
file is never half-applied.

Adding a section: add a field to :class:`ConfigFile` with a model of its own (``extra=
"forbid"`` so typos are caught); unknown top-level keys are refused with the list of known
sections, which is derived from the model, so nothing else needs to change.

Line numbers: the YAML is parsed by :func:`steward.safeio.loads_yaml` (safe loader, alias
bombs refused), then composed a second time into nodes (no values built) to map each key to
its line. PyYAML's node graph keeps marks; a schema library that keeps lines (ruamel.yaml's
round-trip loader) is far slower to import and is not needed for one small file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from steward.craconfig import CraSection, ProjectSection
from steward.errors import InputError, UnsafeInputError
from steward.safeio import loads_yaml, read_text, resolve_within

#: where a project keeps the file, in order of preference (relative to the project root)
CONFIG_NAMES = ("steward.yml", "steward.yaml", ".steward.yml", ".github/steward.yml")
MAX_BYTES = 1024 * 1024

AttestationStatus = Literal["met", "not-met", "not-applicable"]
Loc = tuple[str | int, ...]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AttestationEntry(_Section):
    """One answer under ``attestations:``."""

    status: AttestationStatus
    evidence: str = ""
    by: str | None = None
    date: str | None = None

    @field_validator("evidence", "by", "date", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return value.isoformat() if isinstance(value, dt.date) else value


class AcceptEntry(_Section):
    """One accepted shortfall under ``accept:`` (a requirement or a probe, maybe one path)."""

    requirement: str | None = None
    probe: str | None = None
    path: str | None = None
    reason: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    expires: dt.date

    @field_validator("reason", "owner", mode="before")
    @classmethod
    def _stripped(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("path")
    @classmethod
    def _relative_pattern(cls, value: str | None) -> str | None:
        if value is not None and (
            not value.strip() or value.startswith("!") or ".." in value.split("/")
        ):
            raise ValueError("must be a pattern relative to the project root (no '..', no '!')")
        return value


class ProjectEntry(_Section):
    """One repository under ``projects:`` (an organisation manifest for assess-many)."""

    url: str | None = Field(default=None, min_length=1)
    path: str | None = Field(default=None, min_length=1)
    name: str | None = Field(default=None, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, str):
            scp = "@" in value.split(":", 1)[0] and ":" in value
            return {"url": value} if "://" in value or scp else {"path": value}
        return value

    @model_validator(mode="after")
    def _one_location(self) -> ProjectEntry:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of 'url' or 'path'")
        return self


class ConfigFile(_Section):
    """The schema of the whole file: one field per section."""

    attestations: dict[str, AttestationEntry] = Field(default_factory=dict)
    accept: tuple[AcceptEntry, ...] = ()
    project: ProjectSection = Field(default_factory=ProjectSection)
    cra: CraSection = Field(default_factory=CraSection)
    projects: tuple[ProjectEntry, ...] = ()


SECTIONS = tuple(ConfigFile.model_fields)


@dataclass(frozen=True, slots=True)
class Acceptance:
    """An ``accept:`` entry as resolved: canonical requirement id, where it was written."""

    reason: str
    owner: str
    expires: dt.date
    requirement: str | None = None  # canonical id (STW-BLD-02)
    probe: str | None = None
    path: str | None = None  # gitignore-style pattern
    source: str = "steward.yml"
    line: int | None = None

    @property
    def target(self) -> str:
        """What is accepted, as a user reads it: ``STW-BLD-02`` or ``probe actions_pinned``."""
        what = self.requirement or f"probe {self.probe}"
        return f"{what} in {self.path}" if self.path else what

    @property
    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"

    def expired(self, today: dt.date) -> bool:
        """True from the day after ``expires``."""
        return today > self.expires

    def covers_path(self, path: str | None) -> bool:
        """Whether evidence at ``path`` is in this entry's scope (an entry without a path
        covers everything; one with a path covers only evidence with a matching path)."""
        if self.path is None:
            return True
        return path is not None and bool(_pattern(self.path).match_file(path))


@cache
def _pattern(pattern: str) -> Any:
    import pathspec  # only needed when an entry names a path

    return pathspec.GitIgnoreSpec.from_lines([pattern])


@dataclass(frozen=True, slots=True)
class Project:
    """A ``projects:`` entry with the line it was written on."""

    url: str | None
    path: str | None
    name: str | None
    line: int | None


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    """A validated ``steward.yml``: the sections as written (ids made canonical), the line of
    each attestation, and the acceptances resolved. ``source``: path relative to the root;
    ``key_lines``: the 1-based line of every key, by its path (``("cra", "scope",
    "eu_market")``), for citing an answer as ``steward.yml:LINE``."""

    source: str = "steward.yml"
    sections: ConfigFile = field(default_factory=ConfigFile)
    attestation_lines: dict[str, int] = field(default_factory=dict)
    acceptances: tuple[Acceptance, ...] = ()
    key_lines: dict[Loc, int] = field(default_factory=dict)
    projects: tuple[Project, ...] = ()

    def where(self, *path: str | int) -> str:
        """``steward.yml:LINE`` of the key at ``path`` (the file alone when unknown)."""
        line = self.key_lines.get(tuple(path))
        return self.source if line is None else f"{self.source}:{line}"

    @property
    def attestations(self) -> dict[str, AttestationEntry]:
        return self.sections.attestations


# ------------------------------------------------------------------------------ loading


def find_config(root: Path) -> Path | None:
    """The project's ``steward.yml`` (first of :data:`CONFIG_NAMES` that exists).

    One that is not a regular file (a directory, FIFO or device), or a symbolic link leading
    out of the project or in a loop, is an :class:`InputError` naming it: never read, never
    silently ignored.
    """
    for name in CONFIG_NAMES:
        candidate = root / name
        if not (candidate.is_symlink() or candidate.exists()):
            continue
        if candidate.is_symlink() and resolve_within(root, name) is None:
            raise InputError(
                "is a symbolic link leading out of the project (or in a loop); not read",
                source=name,
            )
        if not candidate.is_file():
            raise InputError(
                "is not a regular file (a directory, FIFO or device); not read", source=name
            )
        return candidate
    return None


def load_project_config(root: Path) -> ProjectConfig | None:
    """Read and validate the project's ``steward.yml``; None when there is none."""
    path = find_config(root)
    if path is None:
        return None
    name = path.relative_to(root).as_posix()
    try:
        text = read_text(path, max_bytes=MAX_BYTES)
    except UnsafeInputError:  # the same words as the assessment's collector uses
        raise InputError(
            "larger than the 1 MiB a configuration file may have", source=name
        ) from None
    return parse_project_config(text, source=name)


def parse_project_config(text: str, *, source: str = "steward.yml") -> ProjectConfig:
    """Validate ``steward.yml`` text; :class:`InputError` names ``source`` and the line."""
    data = loads_yaml(
        text, source=source, max_alias_nodes=None
    )  # unexpanded: see the test of bombs
    if data is None:
        return ProjectConfig(source=source)
    lines = _key_lines(text)
    if not isinstance(data, dict):
        raise InputError("expected a mapping of sections at the top level", source=source, line=1)
    for key in data:
        if key not in SECTIONS:
            raise InputError(
                f"unknown section {key!r} (known: {', '.join(SECTIONS)})",
                source=source,
                line=lines.get((str(key),)),
            )
    try:
        sections = ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, source, lines) from None
    return _resolved(sections, source, lines)


def _resolved(sections: ConfigFile, source: str, lines: dict[Loc, int]) -> ProjectConfig:
    """Resolve requirement ids against the catalog and probe names against the vocabulary."""
    from steward.catalog.loader import load_catalog, load_probe_vocabulary

    catalog = load_catalog()
    probes = load_probe_vocabulary()
    attestations: dict[str, AttestationEntry] = {}
    attestation_lines: dict[str, int] = {}
    for key, answer in sections.attestations.items():
        line = lines.get(("attestations", key))
        requirement = catalog.get(key)
        if requirement is None:
            raise InputError(
                f"attestations: unknown requirement id {key!r}", source=source, line=line
            )
        if requirement.id in attestations:
            raise InputError(
                f"attestations: {requirement.id} is answered twice", source=source, line=line
            )
        attestations[requirement.id] = answer
        if line is not None:
            attestation_lines[requirement.id] = line
    acceptances: list[Acceptance] = []
    for index, entry in enumerate(sections.accept):
        line = lines.get(("accept", index))
        where = f"accept[{index}]"
        if (entry.requirement is None) == (entry.probe is None):
            raise InputError(
                f"{where}: give exactly one of 'requirement' or 'probe'", source=source, line=line
            )
        requirement_id = None
        if entry.requirement is not None:
            requirement = catalog.get(entry.requirement)
            if requirement is None:
                raise InputError(
                    f"{where}: unknown requirement id {entry.requirement!r}",
                    source=source,
                    line=lines.get(("accept", index, "requirement"), line),
                )
            requirement_id = requirement.id
        elif entry.probe not in probes:
            raise InputError(
                f"{where}: unknown probe {entry.probe!r}",
                source=source,
                line=lines.get(("accept", index, "probe"), line),
            )
        acceptances.append(
            Acceptance(
                reason=entry.reason,
                owner=entry.owner,
                expires=entry.expires,
                requirement=requirement_id,
                probe=entry.probe,
                path=entry.path,
                source=source,
                line=line,
            )
        )
    projects = tuple(
        Project(entry.url, entry.path, entry.name, lines.get(("projects", index)))
        for index, entry in enumerate(sections.projects)
    )
    return ProjectConfig(
        source=source,
        sections=sections.model_copy(update={"attestations": attestations}),
        attestation_lines=attestation_lines,
        acceptances=tuple(acceptances),
        key_lines=lines,
        projects=projects,
    )


def _validation_error(exc: ValidationError, source: str, lines: dict[Loc, int]) -> InputError:
    error = exc.errors()[0]
    loc: Loc = tuple(error["loc"])
    where = _dotted(loc)
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}"
        where = _dotted(loc[:-1])
    elif error["type"] in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        message = "expected a date (YYYY-MM-DD)"
    elif error["type"] == "missing":
        message = f"{loc[-1]!r} is required"
        where = _dotted(loc[:-1])
    line = None
    for cut in range(len(loc), 0, -1):  # the deepest key the YAML has a line for
        line = lines.get(loc[:cut])
        if line is not None:
            break
    return InputError(f"{where}: {message}" if where else message, source=source, line=line)


def _dotted(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# ------------------------------------------------------------------------- line numbers

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


def _key_lines(text: str) -> dict[Loc, int]:
    """1-based line of every mapping key and sequence item, keyed by its path in the data.

    Only called after :func:`loads_yaml` accepted the text (syntax checked, alias bombs
    refused); each node is visited once, so aliases cannot multiply the work.
    """
    root = yaml.compose(text, Loader=_Loader)
    out: dict[Loc, int] = {}
    seen: set[int] = set()
    stack: list[tuple[Loc, yaml.Node]] = [((), root)] if root is not None else []
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = key_node.value
                    out.setdefault((*path, key), key_node.start_mark.line + 1)
                    stack.append(((*path, key), value_node))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                out.setdefault((*path, index), item.start_mark.line + 1)
                stack.append(((*path, index), item))
    return out
