"""`steward serve` and `steward admin` start fast: their modules pull in no web framework,
database or password library until a command actually runs."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "argon2",
    "sqlalchemy",
    "alembic",
    "httpx",
    "jsonschema",
)


def test_command_modules_import_nothing_heavy() -> None:
    code = (
        "import sys, steward.cli.serve, steward.cli.admin, steward.cli.case;"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    heavy = {"fastapi", "starlette", "uvicorn", "argon2"} & loaded
    assert not heavy, heavy
    code = "import sys, steward.cli.serve, steward.cli.admin; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
