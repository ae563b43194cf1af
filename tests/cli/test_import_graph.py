"""Start-up stays fast: each command imports only what it needs (the import graph, guarded).

Heavy libraries load inside the commands that use them: the pure-Python ``jsonschema`` (its
format checkers take seconds to import) never; schema validators, CVSS, CWE and language
data only in the commands that validate; SQLAlchemy and the document builders not for
``--help`` (pydantic cannot be kept out: typer itself imports it). Each
command runs in a fresh interpreter and reports ``sys.modules``. (Timings are measured by
``bench/startup.py``, not here.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

_RUN = """
import json, sys
from steward.cli.app import main
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""

ALWAYS_HEAVY = {"jsonschema", "rfc3987_syntax", "lark"}
VALIDATORS = {"jsonschema_rs", "langcodes", "cwe2", "csaf_lib", "cvss"}
STORE = {"sqlalchemy", "alembic", "psycopg"}
DOCUMENTS = {"jinja2", "steward.disclosure.art14.payloads", "steward.disclosure.advisories.csaf"}


def modules(tmp_path: Path, *args: str) -> set[str]:
    report = tmp_path / "modules.json"
    env = {
        **os.environ,
        "STEWARD_DB": str(tmp_path / "cases.sqlite"),
        "STEWARD_HOME": str(tmp_path / "home"),
        "STEWARD_CACHE": str(tmp_path / "cache"),
        "STEWARD_USER": "alice",
    }
    subprocess.run(
        [sys.executable, "-c", _RUN, str(report), *args],
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    data = json.loads(report.read_text())
    assert data["code"] in (0, None), (args, data["code"])
    loaded = set(data["modules"])
    return loaded | {m.split(".", 1)[0] for m in loaded}


@pytest.mark.parametrize(
    "command",
    [
        ("case", "--help"), ("case", "new", "--help"), ("csaf", "--help"), ("init", "--help"),
        ("cra", "--help"), ("cra", "scope", "--help"), ("docs", "--help"),
        ("evidence", "--help"), ("evidence", "pack", "--help"), ("evidence", "verify", "--help"),
    ],
)  # fmt: skip
def test_help_loads_no_store_validator_or_model(tmp_path: Path, command: tuple[str, ...]) -> None:
    loaded = modules(tmp_path, *command)
    assert loaded & (ALWAYS_HEAVY | VALIDATORS | STORE | DOCUMENTS) == set()
    assert "steward.disclosure.model" not in loaded


def test_cra_scope_loads_no_store_validator_or_document(tmp_path: Path) -> None:
    (tmp_path / "steward.yml").write_text("cra:\n  scope:\n    eu_market: false\n")
    loaded = modules(tmp_path, "cra", "scope", str(tmp_path), "--no-input")
    assert loaded & (ALWAYS_HEAVY | VALIDATORS | STORE | DOCUMENTS) == set()


def test_case_list_loads_the_store_but_no_validator_or_document(tmp_path: Path) -> None:
    loaded = modules(tmp_path, "case", "list")
    assert "sqlalchemy" in loaded  # it does read the database
    assert loaded & (ALWAYS_HEAVY | VALIDATORS | DOCUMENTS) == set()


def test_only_validating_commands_load_validators(tmp_path: Path, shared_data: Path) -> None:
    document = shared_data / "csaf-2.0" / "examples" / "csaf" / "bsi-2022-0001.json"
    loaded = modules(tmp_path, "csaf", "validate", str(document))
    assert "jsonschema_rs" in loaded
    assert loaded & (ALWAYS_HEAVY | STORE) == set()
