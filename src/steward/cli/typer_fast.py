"""Typer's value conversion without pydantic where the result is the same (start-up time).

typer (0.2x) converts each processed parameter through a pydantic ``TypeAdapter``, built on
first use, even for an option that was not given. Building the first adapter imports
pydantic and ``importlib.metadata``: about 0.1-0.2 CPU s, more than the rest of a light
command's start-up. For the parameter kinds Steward's commands use, that adapter only wraps
one of typer's own functions, so this module calls that function directly:

- no value (an option not given): ``None``, or ``()`` for a multiple option — what typer's
  conversion returns for it without looking at the adapter;
- ``str`` given a ``str``: the value itself (typer's adapter returns ``str(value)`` and
  pydantic's lax ``str`` leaves an exact ``str`` alone);
- an ``Enum``: typer's ``coerce_cli_choice`` (the whole of its choice adapter);
- a ``pathlib.Path``: typer's ``coerce_cli_path`` on ``Path(value)`` (what pydantic's lax
  ``Path`` does to a ``str``, the one step typer hands it);
- ``int`` given an ``int`` without bounds: the value itself;
- a multiple ``list[str]`` option (``--data a --data b``) given a list or tuple of ``str``:
  a list of the same strings (typer's list adapter validates each item with its ``str``
  adapter, which leaves an exact ``str`` alone).

Anything else, and any value the direct call refuses, goes through typer's own adapter as
before, so errors keep typer's wording. tests/cli/test_import_graph.py checks the results
against typer's adapters for every parameter of every command. A typer without this
machinery (or with other internals) is left alone.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

#: a direct conversion did not apply: use typer's adapter
_NO = object()


def install() -> None:
    """Make typer's parameters convert values as described above (idempotent)."""
    try:
        import typer.core
        from typer._param_types import coerce_cli_choice, coerce_cli_path, routes_to_path
    except ImportError:  # another typer: nothing to defer
        return
    param_class: Any = getattr(typer.core, "_TyperParameter", None)
    build: Any = getattr(param_class, "get_runtime_param", None)
    if build is None or getattr(build, "deferred_by_steward", False):
        return

    def direct(parameter: Any, value: Any, ctx: Any) -> Any:
        descriptor = parameter.type_descriptor
        annotation, info = descriptor.annotation, descriptor.parameter_info
        if descriptor.file_annotation is not None or info.parser is not None:
            return _NO
        if annotation is str:
            return value if type(value) is str else _NO
        if annotation is int:
            bounded = info.min is not None or info.max is not None or info.clamp
            return value if type(value) is int and not bounded else _NO
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            return coerce_cli_choice(
                value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx
            )
        if annotation is Path and info.path_type is None and routes_to_path(annotation, info):
            if type(value) is str:
                value = Path(value)
            if not isinstance(value, Path):
                return _NO
            return coerce_cli_path(value, info, path_type=Path, param=parameter, ctx=ctx)
        return _NO

    def direct_many(parameter: Any, value: Any) -> Any:
        descriptor = parameter.type_descriptor
        annotation, info = descriptor.annotation, descriptor.parameter_info
        if descriptor.file_annotation is not None or info.parser is not None:
            return _NO
        if get_origin(annotation) is not list or get_args(annotation) != (str,):
            return _NO
        if type(value) not in (list, tuple) or any(type(item) is not str for item in value):
            return _NO
        return list(value)

    class Deferred:
        """Stands for typer's runtime parameter until a value needs its adapter."""

        def __init__(self, parameter: Any) -> None:
            self.parameter = parameter

        def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
            multiple = param.multiple or param.nargs == -1
            if value is None:
                return () if multiple else None
            try:
                if multiple:
                    converted = direct_many(self.parameter, value)
                else:
                    converted = direct(self.parameter, value, ctx)
            except Exception:  # typer's adapter gives the error in its own words
                converted = _NO
            if converted is not _NO:
                return converted
            return build(self.parameter).coerce(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is not None:
            return self._runtime_param
        return Deferred(self)

    get_runtime_param.deferred_by_steward = True  # type: ignore[attr-defined]
    param_class.get_runtime_param = get_runtime_param
