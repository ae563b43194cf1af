"""steward.cli.typer_fast converts option values exactly as typer's pydantic adapters do.

For every parameter of every command, sample values (its default, typical and bad input) go
through both the direct conversion and typer's own runtime parameter: the same value and
type, or the same error. A typer app run with and without the module gets the same values.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer
from typer._coercion import build_runtime_param
from typer.core import _TyperParameter

from steward.cli import typer_fast
from steward.cli.app import COMMAND_MODULES, app


def _parameters() -> Iterator[tuple[str, Any, Any]]:
    """(command path, parameter, context) for every typer parameter of every command."""
    root = typer.main.get_command(app)
    ctx = root.make_context("steward", [], resilient_parsing=True)

    def walk(command: Any, path: str, context: Any) -> Iterator[tuple[str, Any, Any]]:
        for param in command.params:
            if isinstance(param, _TyperParameter):
                yield path, param, context
        if hasattr(command, "list_commands"):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None:
                    yield from walk(sub, f"{path} {name}", typer.Context(sub, parent=context))

    for name in COMMAND_MODULES:
        command = root.get_command(ctx, name)
        yield from walk(command, name, typer.Context(command, parent=ctx))


def _samples(param: Any, tmp: Path) -> list[Any]:
    annotation = param.type_descriptor.annotation
    values: list[Any] = [None]
    if param.default is not None and not callable(param.default):
        values.append(param.default)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        for member in annotation:
            values += [member, str(member.value), str(member.value).upper()]
        values += ["no-such-choice", ""]
    elif annotation is Path:
        (tmp / "file.txt").write_text("x")
        values += [".", "", "-", str(tmp / "file.txt"), str(tmp / "missing" / "f"), Path("."), tmp]
    elif annotation is str:
        values += ["abc", "", "-", "a b", "ü\u00a0x", " padded "]
    elif annotation is int:
        values += [0, 5, -1, "5", " 7 ", "x", 10**6]
    elif annotation is bool:
        values += ["yes", "no", "1", "x"]
    else:
        values += ["abc", "1"]
    return values


def _outcome(convert: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        result = convert.coerce(value, param=param, ctx=ctx)
    except Exception as exc:
        return ("error", (type(exc).__name__, str(exc)))
    return ("value", (type(result), result))


def test_direct_conversion_equals_typers_for_every_parameter(tmp_path: Path) -> None:
    typer_fast.install()
    compared = 0
    differences = []
    for path, param, ctx in _parameters():
        if param.multiple or param.nargs == -1:
            continue
        for value in _samples(param, tmp_path):
            param._runtime_param = None
            ours = _outcome(param.get_runtime_param(), value, param, ctx)
            param._runtime_param = None
            theirs = _outcome(build_runtime_param(param.type_descriptor), value, param, ctx)
            compared += 1
            if ours != theirs:
                differences.append((path, param.name, value, ours, theirs))
    assert differences == []
    assert compared > 500  # every command's parameters were reached


def test_multiple_options_convert_as_typers_do() -> None:
    """Every multiple option (``list[str]`` ones directly, others through typer)."""
    typer_fast.install()
    samples: list[Any] = [(), ("a",), ("a", "b", "a"), ["x", ""], ("ü\u00a0x", " padded "),
                          ("1", "2"), "abc", (1, 2), ("a", 1), [Path("p")]]  # fmt: skip
    compared = 0
    differences = []
    for path, param, ctx in _parameters():
        if not (param.multiple or param.nargs == -1):
            continue
        for value in samples:
            param._runtime_param = None
            ours = _outcome(param.get_runtime_param(), value, param, ctx)
            param._runtime_param = None
            theirs = _outcome(build_runtime_param(param.type_descriptor), value, param, ctx)
            compared += 1
            if ours != theirs:
                differences.append((path, param.name, value, ours, theirs))
    assert differences == []
    assert compared > 100


def test_multiple_options_not_given_are_empty(tmp_path: Path) -> None:
    typer_fast.install()
    for _path, param, ctx in _parameters():
        if param.multiple:
            param._runtime_param = None
            theirs = build_runtime_param(param.type_descriptor).coerce(None, param=param, ctx=ctx)
            assert param.get_runtime_param().coerce(None, param=param, ctx=ctx) == theirs == ()
            return
    pytest.fail("no multiple option found")


_TYPER_APP = """
import json, sys
from enum import Enum
from pathlib import Path
import typer
class Colour(str, Enum):
    RED = "red"
    BLUE = "blue"
app = typer.Typer()
@app.command()
def main(name: str | None = None, tags: list[str] | None = None, n: int = 3,
         flag: bool = False, word: str = "x", colour: Colour = Colour.RED,
         where: Path = Path(), count: int | None = None) -> None:
    print(json.dumps([name, tags, n, flag, word, colour.value, str(where), count]))
if sys.argv[1] == "steward":
    from steward.cli import typer_fast
    typer_fast.install()
app(sys.argv[2:])
"""


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--name", "a"],
        ["--tags", "a", "--tags", "b"],
        ["--n", "5", "--flag"],
        ["--colour", "blue", "--where", "/tmp", "--count", "4"],
        ["--colour", "green"],
        ["--n", "x"],
    ],
)
def test_a_typer_app_gets_the_same_values_and_errors(args: list[str]) -> None:
    runs = [
        subprocess.run(
            [sys.executable, "-c", _TYPER_APP, mode, *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        for mode in ("plain", "steward")
    ]
    plain, ours = ((r.returncode, r.stdout, r.stderr) for r in runs)
    assert plain == ours
    if runs[0].returncode == 0:
        assert json.loads(runs[0].stdout)[2] == (5 if "--n" in args else 3)
