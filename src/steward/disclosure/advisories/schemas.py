"""Validating generated OSV and CVE JSON 5 records against their official schemas.

Nothing is written that does not validate: an advisory that fails its schema is an input
error naming the case and the first problem's JSON path (a wrong ecosystem name, an id
without a registered prefix, a CNA organisation id that is not a UUID).

The OSV schema ships with Steward (``schemas/osv.schema.json``, copied unchanged from the
OpenSSF OSV schema repository); the CVE record schema is the bundled one ``cvelib`` ships.
Validation uses ``jsonschema-rs`` (see :mod:`steward.disclosure.advisories.csaf_validate` for
why not the pure-Python ``jsonschema``), loaded only by the commands that validate.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from steward.errors import InputError
from steward.safeio import loads_json


@cache
def _osv_schema() -> dict[str, Any]:
    schema = loads_json(
        (files("steward.disclosure") / "schemas" / "osv.schema.json").read_bytes(),
        source="osv.schema.json",
    )
    assert isinstance(schema, dict)
    return schema


@cache
def _osv_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_osv_schema(), validate_formats=True)


def osv_id_pattern() -> str:
    """The OSV schema's pattern of id prefixes (registered databases, or ``x_``)."""
    return str(_osv_schema()["$defs"]["prefix"]["pattern"])


def osv_ecosystems() -> list[str]:
    """The ecosystem names the OSV schema knows."""
    return [str(e) for e in _osv_schema()["$defs"]["ecosystemName"]["enum"]]


def cve_schema_name() -> str:
    """The newest bundled CVE record schema ``cvelib`` ships (``CVE_JSON_bundled_5.1.1.json``)."""
    names = [
        p.name
        for p in (files("cvelib") / "schemas").iterdir()
        if p.name.startswith("CVE_JSON_bundled_") and p.name.endswith(".json")
    ]
    if not names:  # pragma: no cover - a broken installation
        raise InputError("the installed cvelib ships no CVE record schema")

    def version(name: str) -> tuple[int, ...]:
        core = name.removeprefix("CVE_JSON_bundled_").removesuffix(".json")
        return tuple(int(p) for p in core.split(".") if p.isdigit())

    return max(names, key=version)


@cache
def _cve_schema() -> dict[str, Any]:
    name = cve_schema_name()
    schema = loads_json((files("cvelib") / "schemas" / name).read_bytes(), source=name)
    assert isinstance(schema, dict)
    return schema


@cache
def _cve_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_cve_schema(), validate_formats=True)


def cve_definition(name: str) -> dict[str, Any]:
    """One definition of the CVE record schema (``uuidType``, ``cveId``, ``shortName``)."""
    definition = _cve_schema()["definitions"][name]
    assert isinstance(definition, dict)
    return definition


def _leaves(error: Any) -> list[Any]:
    """The errors that explain ``error``: for a failed ``oneOf``/``anyOf``, those of the
    alternative that came closest (fewest errors), recursively; else the error itself."""
    branches = getattr(error.kind, "context", None)
    if not branches:
        return [error]
    best = min(branches, key=len)
    return [leaf for child in best for leaf in _leaves(child)]


def _problems(validator: Any, document: dict[str, Any]) -> list[str]:
    problems = []
    for error in validator.iter_errors(document):
        for leaf in _leaves(error):
            path = "/" + "/".join(str(p) for p in leaf.instance_path)
            problems.append(f"{path}: {str(leaf.message)[:200]}")
    return list(dict.fromkeys(problems))


def osv_problems(record: dict[str, Any]) -> list[str]:
    """Where an OSV record violates the OSV schema (empty: valid)."""
    return _problems(_osv_validator(), record)


def cve_problems(record: dict[str, Any]) -> list[str]:
    """Where a CVE record violates the CVE JSON 5 record schema (empty: valid)."""
    return _problems(_cve_validator(), record)


def check(kind: str, problems: list[str], *, case_id: str) -> None:
    """Refuse an invalid generated record: one line with the first problem."""
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(
            f"the {kind} record would not be valid: {problems[0]}{more}", source=case_id
        )
