"""Start-up stays fast: each command imports only what it needs (the import graph, guarded).

Heavy libraries load inside the commands that use them. Per command group, what must NOT be
imported: the pure-Python ``jsonschema`` (its format checkers take seconds to import) never;
Alembic only when a database has to be migrated; the service stack (FastAPI, uvicorn,
Starlette), Dask, httpx and WeasyPrint only in the commands that serve, distribute, download
or render PDF; schema validators, CVSS, CWE and language data only in the commands that
validate; SQLAlchemy only in commands that write a case database or open a service one
(`steward vulns` and `db status` read the vulnerability database, and the read-only `case`
commands a local case store, with ``sqlite3``); pydantic and rich not for
any ``--help`` (`catalog` included: its option enums live in steward/catalog/vocabulary.py),
nor for `sbom`, `vulns` and `db status`, whose code has no pydantic model
(typer converts option values through pydantic; steward/cli/typer_fast.py does it directly
wherever typer's adapter would give the same result).
Each command runs in a fresh interpreter and reports ``sys.modules``.
(Timings are measured by ``bench/startup.py``, not here.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import steward
from steward.cli.app import COMMAND_MODULES, COMMAND_SUMMARIES

_RUN = """
import json, sys
from steward.cli.app import main
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
built = []  # the pydantic models of the case domain whose validators were built
if "pydantic" in sys.modules:
    from pydantic import BaseModel
    for name in ("steward.disclosure.events", "steward.disclosure.model",
                 "steward.disclosure.art14.payloads"):
        module = sys.modules.get(name)
        for attr, value in (vars(module) if module is not None else {}).items():
            if isinstance(value, type) and issubclass(value, BaseModel) and (
                value.__module__ == name and value.__pydantic_complete__
            ):
                built.append(attr)
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules), "built": sorted(built)}, out)
"""

ALWAYS_HEAVY = {"jsonschema", "rfc3987_syntax", "lark"}
VALIDATORS = {"jsonschema_rs", "langcodes", "cwe2", "csaf_lib", "cvss"}
STORE = {"sqlalchemy", "alembic", "psycopg"}
MIGRATIONS = {"alembic", "mako"}
SERVICE = {"fastapi", "uvicorn", "starlette", "argon2", "multipart"}
ELSEWHERE = {"dask", "distributed", "httpx", "weasyprint"}  # assess-many, db update, PDF
DOCUMENTS = {"jinja2", "steward.disclosure.art14.payloads", "steward.disclosure.advisories.csaf"}
#: commands whose own code has no pydantic model: typer converts their values without it
NO_MODELS = {"pydantic", "importlib.metadata"}
#: never imported by any --help: typer's pydantic conversion is deferred to a given value
HELP_FREE = {"pydantic", "importlib.metadata", "rich", "yaml"}


def modules(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    return _run(tmp_path, *args, env=env)[0]


def _run(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[set[str], set[str]]:
    """(the modules a command imported, the case models whose validators it built)."""
    report = tmp_path / "modules.json"
    environment = {
        **os.environ,
        "STEWARD_DB": str(tmp_path / "cases.sqlite"),
        "STEWARD_HOME": str(tmp_path / "home"),
        "STEWARD_CACHE": str(tmp_path / "cache"),
        "STEWARD_USER": "alice",
        **(env or {}),
    }
    subprocess.run(
        [sys.executable, "-c", _RUN, str(report), *args],
        env=environment,
        capture_output=True,
        check=True,
        timeout=120,
    )
    data = json.loads(report.read_text())
    assert data["code"] in (0, None), (args, data["code"])
    loaded = set(data["modules"])
    return loaded | {m.split(".", 1)[0] for m in loaded}, set(data["built"])


def _every_help() -> list[tuple[str, ...]]:
    """``steward --help`` and every command's and sub-command's ``--help``."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        from startup import commands
    finally:
        sys.path.pop(0)
    return [("--help",), ("--version",), *((*path, "--help") for path in commands())]


#: what a command group's --help must not import, beyond HELP_FREE and the always-heavy
HELP_LIMITS: dict[str, set[str]] = dict.fromkeys(
    COMMAND_MODULES, STORE | VALIDATORS | SERVICE | ELSEWHERE | DOCUMENTS
)


def test_every_help_is_light(tmp_path: Path) -> None:
    """One interpreter per --help (about 60): none imports a heavy library."""
    heavy: dict[str, set[str]] = {}
    for command in _every_help():
        loaded = modules(tmp_path, *command)
        group = command[0] if command[0] in COMMAND_MODULES else "catalog"
        found = loaded & (ALWAYS_HEAVY | HELP_LIMITS[group] | HELP_FREE)
        if "steward.disclosure.model" in loaded:
            found.add("steward.disclosure.model")
        if found:
            heavy[" ".join(command)] = found
    assert heavy == {}


def test_root_help_and_version_load_no_command_module(tmp_path: Path) -> None:
    for command in (("--help",), ("--version",)):
        loaded = modules(tmp_path, *command)
        assert {m for m in loaded if m.startswith("steward.cli.")} <= {
            "steward.cli.app",
            "steward.cli.console",
            "steward.cli.launch",  # the entry point (the `sbom` fast path), no command module
            "steward.cli.typer_fast",
        }, command
        assert "typer._adapters" not in loaded


def test_cra_scope_loads_no_store_validator_or_document(tmp_path: Path) -> None:
    (tmp_path / "steward.yml").write_text("cra:\n  scope:\n    eu_market: false\n")
    loaded = modules(tmp_path, "cra", "scope", str(tmp_path), "--no-input")
    assert loaded & (ALWAYS_HEAVY | VALIDATORS | STORE | DOCUMENTS | SERVICE | ELSEWHERE) == set()


def _new_store(tmp_path: Path) -> set[str]:
    """Create the store with a command that writes (read-only ones create none)."""
    return modules(tmp_path, "case", "profile", "set", "--name", "Acme GmbH", "--country", "DE")


@pytest.mark.parametrize("command", [("profile", "set", "--name", "Acme"), ("new", "first")])
def test_a_new_local_store_is_created_without_sqlalchemy(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """The first command on no store creates its schema from the checked-in script with
    ``sqlite3`` (steward.store.sqlite_schema), not by Alembic's migrations (item 12)."""
    loaded = modules(tmp_path, "case", *command)
    assert "steward.store.sqlite_schema" in loaded
    assert loaded & (ALWAYS_HEAVY | VALIDATORS | DOCUMENTS | STORE | SERVICE | ELSEWHERE) == set()


def _store_with_a_case(tmp_path: Path) -> str:
    """A migrated store with a profile and a confirmed case; returns the case id."""
    _new_store(tmp_path)
    report = tmp_path / "new.txt"
    environment = {**os.environ, "STEWARD_DB": str(tmp_path / "cases.sqlite"),
                   "STEWARD_HOME": str(tmp_path / "home")}  # fmt: skip
    with report.open("w") as out:
        subprocess.run(
            [sys.executable, "-m", "steward", "case", "new", "Heap overflow", "--product",
             "acme-lib"],
            env=environment, stdout=out, check=True, timeout=120,
        )  # fmt: skip
    case_id = report.read_text().strip()
    modules(tmp_path, "case", "event", case_id, "confirmed")
    return case_id


#: every case command that writes, with what it may build beyond the snapshot's models
#: (CaseSnapshot and the models inside it: the fold of the timeline) and its data model
WRITES: list[tuple[tuple[str, ...], set[str]]] = [
    (("case", "event", "{case}", "note", "--data", "text=hi"), {"TextData"}),
    (("case", "event", "{case}", "exploitation_aware", "--data", "source=KEV"), {"AwareData"}),
    (("case", "set", "{case}", "--impact", "rce", "--cwe", "CWE-787"), {"DetailsData"}),
    (("case", "add-product", "{case}", "--product", "acme-app", "--component", "acme-lib"),
     {"ProductData"}),
    (("case", "release", "{case}", "--version", "2.0.1", "--product", "acme-lib"),
     {"MitigationData"}),
    (("case", "request-report", "{case}", "--due", "2099-01-01T00:00Z"),
     {"ReportRequestedData"}),
    (("case", "submitted", "{case}", "--report", "early-warning"), {"ReportSubmittedData"}),
    (("case", "embargo", "{case}", "--until", "2099-01-01T00:00Z"), {"EmbargoData"}),
    (("case", "close", "{case}"), {"NoteData"}),
    (("case", "new", "Another", "--product", "acme-lib"), {"ReceivedData", "ProductData"}),
    (("case", "profile", "set", "--name", "Acme GmbH", "--country", "DE"), {"Manufacturer"}),
]  # fmt: skip
#: what the fold of a timeline builds (the snapshot and the models it holds)
SNAPSHOT = {"CaseSnapshot", "AffectedProduct", "Component", "Reporter", "Embargo",
            "TimelineEntry", "Release"}  # fmt: skip


def test_case_writes_on_a_local_store_use_sqlite3_and_build_only_their_models(
    tmp_path: Path,
) -> None:
    """Every write command on a local store at the newest schema: plain ``sqlite3`` (no
    SQLAlchemy, Alembic, psycopg), no rich for its one-line report, no CSIRT table, no
    validators or documents, and no pydantic model built but its event's data model and
    the snapshot's (the event-data models of the other 20 kinds stay unbuilt)."""
    case_id = _store_with_a_case(tmp_path)
    forbidden = ALWAYS_HEAVY | VALIDATORS | DOCUMENTS | STORE | SERVICE | ELSEWHERE
    forbidden |= {"rich", "steward.disclosure.csirts", "yaml", "steward.store.cases"}
    found = {}
    for command, models in WRITES:
        args = tuple(a.replace("{case}", case_id) for a in command)
        loaded, built = _run(tmp_path, *args)
        assert "steward.store.sqlite_writes" in loaded, args
        extra = built - models - SNAPSHOT
        if loaded & forbidden or extra or not models <= built:
            found[args] = (loaded & forbidden, extra, models - built)
    assert found == {}


def test_a_note_builds_two_models_of_the_events(tmp_path: Path) -> None:
    """The case built above, the plainest write: the note's model and no other event model."""
    case_id = _store_with_a_case(tmp_path)
    _loaded, built = _run(tmp_path, "case", "event", case_id, "note", "--data", "text=x")
    assert built - SNAPSHOT == {"TextData"}


def test_cvss_is_loaded_only_to_check_a_vector(tmp_path: Path) -> None:
    case_id = _store_with_a_case(tmp_path)
    cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert "cvss" in modules(tmp_path, "case", "set", case_id, "--cvss", cvss)
    assert "cvss" not in modules(tmp_path, "case", "set", case_id, "--impact", "x")


def test_a_write_on_a_store_to_migrate_takes_the_sqlalchemy_path(tmp_path: Path) -> None:
    """A store at revision 0001 is migrated (Alembic, SQLAlchemy); then the plain path."""
    from alembic import command

    from steward.store.engine import make_engine
    from steward.store.migrate import alembic_config

    engine = make_engine(str(tmp_path / "cases.sqlite"))
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    loaded = modules(tmp_path, "case", "profile", "set", "--name", "Acme GmbH")
    assert {"sqlalchemy", "alembic", "steward.store.sqlite_writes"} <= loaded  # it stepped aside
    loaded = modules(tmp_path, "case", "profile", "set", "--name", "Acme GmbH")
    assert "steward.store.sqlite_writes" in loaded and loaded & STORE == set()


@pytest.mark.parametrize(
    "command",
    [
        ("case", "list"),
        ("case", "list", "-f", "json"),
        ("case", "due"),
        ("case", "due", "-f", "json"),
        ("case", "profile", "show"),
    ],
)
def test_case_reads_on_a_local_store_use_sqlite3_only(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A local SQLite store is read with ``sqlite3``: no SQLAlchemy, Alembic, pydantic."""
    _new_store(tmp_path)
    modules(tmp_path, "case", "new", "Heap overflow", "--product", "acme-lib")
    loaded = modules(tmp_path, *command)
    assert "steward.store.sqlite_cases" in loaded
    assert (
        loaded & (ALWAYS_HEAVY | VALIDATORS | DOCUMENTS | STORE | SERVICE | ELSEWHERE | NO_MODELS)
        == set()
    )
    assert "steward.disclosure.model" not in loaded


def test_case_show_and_documents_on_a_local_store_import_no_sqlalchemy(tmp_path: Path) -> None:
    _new_store(tmp_path)
    case_id = next(
        line
        for line in subprocess.run(
            [
                sys.executable,
                "-m",
                "steward",
                "case",
                "new",
                "x",
                "--product",
                "acme-lib",
                "--ecosystem",
                "PyPI",
                "--affected",
                "<2.0.1",
                "--fixed",
                "2.0.1",
            ],
            env={**os.environ, "STEWARD_DB": str(tmp_path / "cases.sqlite")},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        if line.strip()
    )
    modules(tmp_path, "case", "event", case_id, "exploitation_aware")  # Art. 14(1) reports need it
    for command in (
        ("case", "show", case_id, "-f", "json"),
        ("case", "report", case_id, "--type", "early-warning"),
        ("case", "advisory", case_id, "-f", "osv"),
    ):
        loaded = modules(tmp_path, *command)
        assert loaded & (ALWAYS_HEAVY | STORE | SERVICE | ELSEWHERE) == set(), command


#: what `case report` and `case advisory` never load on a local store (issue 15, item 12)
DOCUMENT_LIMITS = (
    ALWAYS_HEAVY
    | STORE
    | SERVICE
    | ELSEWHERE
    | {
        "jinja2",  # the Art. 14 Markdown is written in Python (steward.disclosure.art14.render)
        "yaml",  # the CSIRT and SRP tables are read from their JSON twins (datafiles)
        "rich",  # one-line notes are written plainly
        "steward.store.cases",  # the local store is read with sqlite3
        "langcodes",  # common language tags are known without it
        "csaf_lib",  # its schemas are read from its directory
    }
)
#: what a report loads beyond that: no advisory builder, validator or CVSS library
REPORT_LIMITS = DOCUMENT_LIMITS | {
    "jsonschema_rs", "cwe2", "cvss", "packageurl",
    "steward.disclosure.advisories.osv", "steward.disclosure.advisories.cve5",
    "steward.disclosure.advisories.csaf", "steward.disclosure.advisories.csaf_validate",
    "steward.disclosure.advisories.csaf_optional", "steward.disclosure.advisories.schemas",
}  # fmt: skip
#: each advisory format loads its own builder only
ADVISORY_MODULES = {
    "osv": "steward.disclosure.advisories.osv",
    "cve": "steward.disclosure.advisories.cve5",
    "csaf": "steward.disclosure.advisories.csaf",
}


def test_reports_and_advisories_load_only_their_own_parts(tmp_path: Path) -> None:
    """`case report` in every stage and format, `case advisory` in every format, on a local
    store and a case without a CVSS vector: none loads Jinja2, PyYAML, rich, SQLAlchemy or
    the pure-Python jsonschema; a report loads no advisory builder, validator or CVSS
    library and builds the vulnerability payload's models, not the incident's; the JSON
    report does not load the Markdown renderer; an advisory loads its own builder only."""
    _new_store(tmp_path)
    case_id = _case_with_a_package(tmp_path)
    modules(tmp_path, "case", "event", case_id, "exploitation_aware")
    found: dict[tuple[str, ...], object] = {}
    for stage in ("early-warning", "notification", "final-report", "intermediate-report"):
        for form in ("markdown", "json"):
            args = ("case", "report", case_id, "--type", stage, "-f", form)
            loaded, built = _run(tmp_path, *args)
            bad = loaded & REPORT_LIMITS
            if form == "json" and "steward.disclosure.art14.render" in loaded:
                bad.add("steward.disclosure.art14.render")
            if "steward.disclosure.art14.payloads" not in loaded:
                bad.add("(no payload module)")
            if bad or "IncidentReport" in built or "VulnerabilityReport" not in built:
                found[args] = (bad, sorted(built))
    cna = ("--cna-org-id", "b3476cb9-2e3d-41a6-98d0-0f47421a65b6", "--cna-short-name", "acme")
    modules(tmp_path, "case", "set", case_id, "--alias", "CVE-2026-40001", "--reference",
            "https://acme.example/sa")  # fmt: skip
    modules(tmp_path, "case", "profile", "set", "--name", "Acme GmbH", "--country", "DE",
            "--website", "https://acme.example")  # fmt: skip
    for form in ("osv", "csaf", "csaf-vex", "cve"):
        args = ("case", "advisory", case_id, "-f", form, *(cna if form == "cve" else ()))
        loaded = modules(tmp_path, *args)
        own = ADVISORY_MODULES[form.split("-")[0]]
        others = {m for m in ADVISORY_MODULES.values() if m != own}
        bad = loaded & (DOCUMENT_LIMITS | others | {"cvss", "steward.disclosure.art14.payloads"})
        if bad or own not in loaded:
            found[args] = bad
    assert found == {}


def _case_with_a_package(tmp_path: Path) -> str:
    """A case of a PyPI package with an affected range and a fix, no CVSS vector."""
    done = subprocess.run(
        [sys.executable, "-m", "steward", "case", "new", "x", "--product", "acme-lib",
         "--ecosystem", "PyPI", "--affected", "<2.0.1", "--fixed", "2.0.1"],
        env={**os.environ, "STEWARD_DB": str(tmp_path / "cases.sqlite"),
             "STEWARD_HOME": str(tmp_path / "home")},
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def test_db_status_and_vulns_read_the_vulnerability_database_without_sqlalchemy(
    tmp_path: Path,
) -> None:
    osv = tmp_path / "osv"
    osv.mkdir()
    (osv / "BENCH-2026-0001.json").write_text(
        json.dumps(
            {
                "schema_version": "1.6.0",
                "id": "BENCH-2026-0001",
                "modified": "2026-01-01T00:00:00Z",
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": "urllib3"},
                        "ranges": [
                            {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2"}]}
                        ],
                    }
                ],
            }
        )
    )
    vulndb = str(tmp_path / "vulndb.sqlite")
    modules(tmp_path, "db", "import", str(osv), "--db", vulndb)
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("urllib3==1.26.5\n")
    forbidden = ALWAYS_HEAVY | STORE | SERVICE | ELSEWHERE | DOCUMENTS | NO_MODELS
    assert modules(tmp_path, "db", "status", "--db", vulndb) & forbidden == set()
    loaded = modules(tmp_path, "vulns", str(project), "--db", vulndb, "--fail-on", "none")
    assert loaded & forbidden == set()


def test_sbom_and_catalog_list_load_no_store_service_or_validator(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("requests==2.31.0\nurllib3==1.26.5\n")
    forbidden = ALWAYS_HEAVY | STORE | SERVICE | ELSEWHERE | VALIDATORS | DOCUMENTS
    assert modules(tmp_path, "sbom", str(project)) & (forbidden | NO_MODELS) == set()
    assert modules(tmp_path, "catalog", "list") & forbidden == set()  # its model is pydantic


def test_only_validating_commands_load_validators(tmp_path: Path, shared_data: Path) -> None:
    document = shared_data / "csaf-2.0" / "examples" / "csaf" / "bsi-2022-0001.json"
    loaded = modules(tmp_path, "csaf", "validate", str(document))
    assert "jsonschema_rs" in loaded
    assert loaded & (ALWAYS_HEAVY | STORE | SERVICE | ELSEWHERE) == set()
    # csaf-lib's schemas are read from its directory; its verifier and models stay unloaded
    assert "csaf_lib.verification" not in loaded


def test_common_language_tags_are_valid_in_the_registry() -> None:
    """The tags `csaf validate` accepts without loading langcodes are valid per langcodes."""
    import langcodes

    from steward.disclosure.advisories.csaf_validate import (
        COMMON_LANGUAGE_TAGS,
        language_tag_is_valid,
    )

    assert all(langcodes.tag_is_valid(tag) for tag in COMMON_LANGUAGE_TAGS)
    for tag in ("EN", "en-us", "qtx", "i-default", "fr-ZZ", "en-XP", "xx", "", "en-"):
        assert language_tag_is_valid(tag) == langcodes.tag_is_valid(tag), tag


def test_an_english_csaf_document_is_checked_without_langcodes(
    tmp_path: Path, shared_data: Path
) -> None:
    document = shared_data / "csaf-2.0" / "examples" / "csaf" / "rhsa-2022_0011.json"
    assert json.loads(document.read_text())["document"]["lang"] in ("en", "en-US")
    assert "langcodes" not in modules(tmp_path, "csaf", "validate", str(document))


def test_csaf_schemas_are_read_from_csaf_libs_own_directory() -> None:
    from importlib.resources import files

    from steward.disclosure.advisories.csaf_validate import schema_dir

    official = files("csaf_lib.verification.schemas")
    for name in ("csaf_2_0.json", "cvss_v2_0.json", "cvss_v3_0.json", "cvss_v3_1.json"):
        assert schema_dir().joinpath(name).read_bytes() == official.joinpath(name).read_bytes()


def test_root_help_summaries_are_the_commands_own() -> None:
    """`steward --help` lists COMMAND_SUMMARIES without loading the modules: the same text."""
    import typer
    from typer.core import TyperGroup

    from steward.cli.app import app

    assert set(COMMAND_SUMMARIES) == set(COMMAND_MODULES)
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    for name in COMMAND_MODULES:
        command = root.get_command(ctx, name)
        assert command is not None and not command.short_help and not command.deprecated
        first_paragraph = (command.help or "").split("\n\n", 1)[0].replace("\n", " ")
        assert COMMAND_SUMMARIES[name] == first_paragraph, name
    assert isinstance(root, TyperGroup)


def test_root_help_is_the_same_with_every_command_loaded(cli) -> None:  # type: ignore[no-untyped-def]
    """The listing from summaries equals the listing typer makes from the loaded commands."""
    import typer

    from steward.cli.app import app

    lazy = cli("--help").stdout
    root = typer.main.get_command(app)
    ctx = root.make_context("steward", [], resilient_parsing=True)
    for name in COMMAND_MODULES:
        root.get_command(ctx, name)  # now every command is loaded and registered
    loaded = root.get_help(ctx)
    assert "Commands:" in lazy and "vulns" in lazy
    assert lazy.strip() == loaded.strip()


def test_bad_option_values_are_still_refused_by_typer(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("case", "list", "-f", "no-such-format")
    assert result.exit_code == 2
    assert "no-such-format" in result.stderr


def test_version_is_the_installed_distributions() -> None:
    """pyproject.toml reads the version from steward.__version__ (no importlib.metadata)."""
    assert steward.__version__ == version("steward-cra")
