"""steward.cli.lazy_group builds each command group exactly as typer does, one command at a time.

For every command module, the group typer builds at once (``typer.main.get_command``) and the
lazy one agree on the sub-command names and their order, on every group's and command's
help text, and on every parameter; looking one command up builds only that one.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import click
import pytest
import typer

from steward.cli.app import COMMAND_MODULES
from steward.cli.lazy_group import LazyCommands, click_group


def _holder(module: str) -> typer.Typer:
    holder = typer.Typer(rich_markup_mode=None)
    importlib.import_module(module).register(holder)

    @holder.callback()
    def _group() -> None:
        pass

    return holder


def _walk(command: Any, ctx: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            yield from _walk(sub, click.Context(sub, info_name=name, parent=ctx), (*path, name))


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """A parameter's attributes: plain values as they are, anything else by its type."""
    plain = (str, int, float, bool, type(None))
    return {
        key: value
        if isinstance(value, plain)
        or (isinstance(value, list | tuple) and all(isinstance(v, plain) for v in value))
        else type(value).__name__
        for key, value in values.items()
    }


def _describe(command: Any, ctx: Any) -> dict[str, Any]:
    return {
        "class": type(command).__name__,
        "help": command.get_help(ctx),
        "params": [_plain(vars(p)) for p in command.params],
        "commands": command.list_commands(ctx) if isinstance(command, click.Group) else None,
    }


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_every_group_is_built_as_typer_builds_it(name: str) -> None:
    eager = typer.main.get_command(_holder(COMMAND_MODULES[name]))
    lazy = click_group(_holder(COMMAND_MODULES[name]))
    assert isinstance(lazy.commands, LazyCommands)
    assert list(lazy.commands) == list(eager.commands)  # type: ignore[attr-defined]
    root_e = click.Context(eager, info_name="steward")
    root_l = click.Context(lazy, info_name="steward")
    found_e = list(_walk(eager.get_command(root_e, name), click.Context(eager), (name,)))  # type: ignore[attr-defined]
    found_l = list(_walk(lazy.get_command(root_l, name), click.Context(lazy), (name,)))
    assert [p for p, _ in found_l] == [p for p, _ in found_e]
    for (path, e), (_, lz) in zip(found_e, found_l, strict=True):
        ctx_e = click.Context(e, info_name=" ".join(path), parent=root_e)
        ctx_l = click.Context(lz, info_name=" ".join(path), parent=root_l)
        assert _describe(lz, ctx_l) == _describe(e, ctx_e), path


def test_looking_a_command_up_builds_that_command_only() -> None:
    lazy = click_group(_holder("steward.cli.case"))
    case = lazy.get_command(click.Context(lazy), "case")
    commands = case.commands  # type: ignore[attr-defined]
    assert isinstance(commands, LazyCommands)
    assert "event" in commands and "profile" in commands and "nothing" not in commands
    assert commands._built == {}
    event = case.get_command(click.Context(case), "event")  # type: ignore[attr-defined]
    assert event is not None and event.name == "event"
    assert set(commands._built) == {"event"}
    assert case.get_command(click.Context(case), "nothing") is None  # type: ignore[attr-defined]
    assert len(commands) == len(list(commands)) == 15


def test_lazy_commands_mapping() -> None:
    calls: list[str] = []

    def make(name: str) -> Any:
        return lambda: calls.append(name) or name.upper()

    commands = LazyCommands({"a": make("a"), "b": make("b")})
    assert list(commands) == ["a", "b"] and calls == []
    assert commands["b"] == "B" and commands["b"] == "B" and calls == ["b"]
    commands["c"] = "C"
    commands["a"] = "A2"
    assert list(commands) == ["a", "b", "c"] and calls == ["b"]
    del commands["b"]
    assert dict(commands.items()) == {"a": "A2", "c": "C"}
    with pytest.raises(KeyError):
        commands["b"]
    with pytest.raises(KeyError):
        del commands["zz"]
