"""The hostile-input matrix (issue 18): every CLI entry point x every input kind.

Rows live in ``cases.py``; a command of the typer app with no row (and no ``NO_INPUT`` entry)
fails :func:`test_every_command_has_a_row`, so a new command is covered by default. Commands
run in-process (see ``conftest.run_guarded``): the matrix stays well under a minute.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.cases import ALL_ROWS, KINDS, KNOWN_FAILURES, NO_INPUT, Row
from tests.hostile.conftest import (
    CANARY,
    Outcome,
    Sandbox,
    changed_paths,
    is_root,
    make_input,
    snapshot,
)

#: one small OSV record (a real PyPA advisory shape) for rows that need a vulnerability db
_OSV = (
    b'{"schema_version": "1.6.0", "id": "PYSEC-2099-1", "modified": "2024-01-01T00:00:00Z",'
    b' "summary": "test advisory", "affected": [{"package": {"ecosystem": "PyPI", "name":'
    b' "flask"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed":'
    b' "3.0.1"}]}]}]}'
)


def all_commands() -> list[str]:
    """Every leaf command of the steward CLI, as space-separated words."""
    import click
    import typer

    from steward.cli.app import app

    root = typer.main.get_command(app)
    found: list[str] = []

    def walk(cmd: Any, ctx: click.Context, words: list[str]) -> None:
        if hasattr(cmd, "list_commands"):  # a group (typer has its own click classes)
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, click.Context(sub, parent=ctx, info_name=name), [*words, name])
        else:
            found.append(" ".join(words))

    walk(root, click.Context(root, info_name="steward"), [])
    return sorted(found)


def test_every_command_has_a_row() -> None:
    covered = {row.command for row in ALL_ROWS} | set(NO_INPUT)
    missing = [c for c in all_commands() if c not in covered]
    assert not missing, f"commands without a hostile-input row in tests/hostile/cases.py: {missing}"
    stale = covered - set(all_commands())
    assert not stale, f"rows for commands that no longer exist: {sorted(stale)}"


def test_case_ids_are_unique_and_known_failures_name_cases() -> None:
    ids = [f"{row.id}-{kind}" for row in ALL_ROWS for kind in KINDS if kind in row.kinds]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    unknown = sorted(set(KNOWN_FAILURES) - set(ids))
    assert not unknown, f"KNOWN_FAILURES lines naming no case: {unknown}"


def test_registering_a_command_group_twice_adds_nothing() -> None:
    """The matrix runs hundreds of command lines in one process; the root group registers a
    command's module on each ``main()``, so registering must be idempotent (``case`` once
    re-added its document commands every time, and each later command line took longer to
    build: 0.1 -> 0.9 CPU s over the matrix)."""
    import importlib

    import typer

    from steward.cli.app import COMMAND_MODULES

    def names(app: typer.Typer, path: str) -> list[str]:
        found = [f"{path} {c.name or getattr(c.callback, '__name__', '?')}" for c in
                 app.registered_commands]  # fmt: skip
        for group in app.registered_groups:
            assert group.typer_instance is not None
            found += names(group.typer_instance, f"{path} {group.name}")
        return found

    for command, module in COMMAND_MODULES.items():
        for _ in range(3):
            holder = typer.Typer()
            importlib.import_module(module).register(holder)
        listed = names(holder, "steward")
        duplicates = sorted({n for n in listed if listed.count(n) > 1})
        assert not duplicates, f"{command}: registered more than once: {duplicates}"


@pytest.fixture(scope="session")
def vulndb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small vulnerability database, built once through `steward db import`."""
    from steward.cli.app import main

    base = tmp_path_factory.mktemp("vulndb")
    (base / "PYSEC-2099-1.json").write_bytes(_OSV)
    db = base / "steward.db"
    try:
        main(["-q", "db", "import", str(base / "PYSEC-2099-1.json"), "--db", str(db)])
    except SystemExit as exc:
        assert exc.code in (0, None), "could not build the matrix's vulnerability db"
    return db


def _params() -> list[object]:
    params: list[object] = []
    for row in ALL_ROWS:
        for kind in KINDS:
            if kind not in row.kinds:
                continue
            marks: list[pytest.MarkDecorator] = []
            case_id = f"{row.id}-{kind}"
            reason = KNOWN_FAILURES.get(case_id)
            if reason:  # strict: a case that starts passing must lose its line
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
            params.append(pytest.param(row, kind, id=case_id, marks=marks))
    return params


def _fill(token: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        token = token.replace("{" + key + "}", value)
    return token


@pytest.mark.parametrize(("row", "kind"), _params())
def test_matrix(
    row: Row,
    kind: str,
    sandbox: Sandbox,
    run_guarded: Callable[..., Outcome],
    request: pytest.FixtureRequest,
) -> None:
    if kind == "unreadable" and is_root():
        pytest.skip("root reads a mode-000 file anyway (covered by test_fs_oddities as non-root)")
    if row.setup == "vulndb":
        shutil.copyfile(request.getfixturevalue("vulndb"), sandbox.db)
    target = sandbox.root / row.name if row.tree else sandbox.base / "in" / row.name
    if row.tree and kind == "missing":
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        make_input(kind, target, sandbox)
    values = {"input": str(target), "root": str(sandbox.root), "out": str(sandbox.out)}
    values["db"] = str(sandbox.db)
    good = sandbox.base / "good"  # well-formed companions of a row's hostile input
    if any("{osv}" in t for t in row.argv):
        good.mkdir(exist_ok=True)
        (good / "osv.json").write_bytes(_OSV)
        values["osv"] = str(good / "osv.json")
    if any("{list}" in t for t in row.argv):
        good.mkdir(exist_ok=True)
        (good / "repos.txt").write_text(f"{sandbox.root}\n")
        values["list"] = str(good / "repos.txt")
    argv = [_fill(t, values) for t in row.argv]
    allowed = {os.path.abspath(_fill(w, values)) for w in row.writes}

    before = snapshot(sandbox.base)
    result = run_guarded(*argv, stdin=row.stdin)
    after = snapshot(sandbox.base)
    shown = f"steward {' '.join(argv)}\nexit {result.exit_code}\n{result.stderr[-2000:]}"

    assert "Traceback" not in result.text, shown
    assert "internal error" not in result.stderr, shown
    assert result.exit_code in row.codes(kind), shown
    if result.exit_code == 2:
        assert target.name in result.stderr or str(target) in result.stderr, (
            f"the error does not name the input {target.name}\n{shown}"
        )
    elif row.tree and kind in row.warn:
        assert target.name in result.stderr, f"nothing said about skipping {target}\n{shown}"
    changed = {p for p in changed_paths(before, after) if os.path.abspath(p) not in allowed}
    changed.discard(str(sandbox.out.parent))  # the output's directory (its mtime)
    changed.discard(str(sandbox.db.parent))
    assert not changed, f"changed outside the output: {sorted(changed)}\n{shown}"
    if kind != "symlink_out" or row.tree:
        written = sandbox.out.read_bytes() if sandbox.out.is_file() else b""
        seen = (result.text + written.decode("utf-8", "replace")).lower()
        assert CANARY not in seen, f"canary content leaked into the output\n{shown}"
