"""A command group whose sub-commands typer builds only when one is looked up.

typer turns a group into click commands all at once: for every sub-command it reads the
function's signature and type hints and builds each parameter (``get_command_from_info``).
For `steward case` that is 16 commands and about 20-30 ms of CPU on every run, of which the
command that runs needs one. :func:`click_group` builds the same group with typer's own
functions — the group itself (its callback and options) at once, each sub-command and
sub-group on first lookup — so `steward case event` builds `event` and nothing else, while
`steward case --help`, which lists them all, builds all of them exactly as typer would.

The names and their order are typer's: commands in registration order (``name`` or the
function's name, lower case, ``_`` → ``-``), then sub-groups. A nameless sub-group (whose
commands typer merges into the parent) is built at once by typer itself.
tests/cli/test_lazy_group.py compares every group's help, every command's help and the
built commands' parameters with typer's eager build.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import (
    get_command_from_info,
    get_command_name,
    get_group_from_info,
    solve_typer_info_defaults,
)
from typer.models import CommandInfo, TyperInfo

Factory = Callable[[], Any]


class LazyCommands(MutableMapping[str, Any]):
    """A group's ``commands``: name → click command, built by its factory on first access.

    Iteration and ``len`` use the names only; ``items()``/``values()`` (typer's
    ``list_commands`` and help) build every command.
    """

    def __init__(self, factories: dict[str, Factory]) -> None:
        self._factories = dict(factories)
        self._built: dict[str, Any] = {}
        self._order = list(factories)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in self._factories:
                raise KeyError(name)
            self._built[name] = self._factories.pop(name)()
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._factories.pop(name, None)
        if name not in self._built and name not in self._order:
            self._order.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._built and name not in self._factories:
            raise KeyError(name)
        self._built.pop(name, None)
        self._factories.pop(name, None)
        self._order.remove(name)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._built or name in self._factories


def _group(info: TyperInfo, *, short: bool, markup: Any, suggest: bool) -> TyperGroup:
    instance = info.typer_instance
    assert instance is not None
    factories: dict[str, Factory] = {}

    def command_factory(command: CommandInfo) -> Factory:
        return lambda: get_command_from_info(
            command, pretty_exceptions_short=short, rich_markup_mode=markup
        )

    def group_factory(sub: TyperInfo) -> Factory:
        return lambda: _group(sub, short=short, markup=markup, suggest=suggest)

    def built(command: Any) -> Factory:
        return lambda: command

    for command in instance.registered_commands:
        if command.callback is None:  # typer refuses it; let it say so now, as it would
            get_command_from_info(command, pretty_exceptions_short=short, rich_markup_mode=markup)
            continue
        factories[command.name or get_command_name(command.callback.__name__)] = command_factory(
            command
        )
    for sub in instance.registered_groups:
        group_name = solve_typer_info_defaults(sub).name
        if group_name:
            factories[group_name] = group_factory(sub)
            continue
        # typer merges a nameless group's commands into this one: built as typer builds it
        merged = get_group_from_info(
            sub, pretty_exceptions_short=short, suggest_commands=suggest, rich_markup_mode=markup
        )
        for sub_name, sub_command in merged.commands.items():
            factories[sub_name] = built(sub_command)
    bare = copy.copy(instance)
    bare.registered_commands = []
    bare.registered_groups = []
    bare_info = copy.copy(info)
    bare_info.typer_instance = bare
    group = get_group_from_info(
        bare_info, pretty_exceptions_short=short, suggest_commands=suggest, rich_markup_mode=markup
    )
    group.commands = LazyCommands(factories)
    return group


def click_group(app: typer.Typer) -> TyperGroup:
    """The click group of a typer application with a callback or several commands (what
    ``typer.main.get_command`` returns for it, minus shell completion), built lazily."""
    return _group(
        TyperInfo(app),
        short=app.pretty_exceptions_short,
        markup=app.rich_markup_mode,
        suggest=app.suggest_commands,
    )
