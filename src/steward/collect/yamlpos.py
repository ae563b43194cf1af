"""YAML with positions: every string and mapping remembers the line it came from.

Evidence must point at the exact line of a ``uses:`` value, a ``run:`` command or a
``permissions:`` key, also when the same text occurs several times or in a comment. Searching
the text for a value finds its first occurrence (comments included), so instead the document
is loaded once with a safe loader whose constructors keep PyYAML's own node marks:

- a string scalar becomes :class:`Located` (a ``str`` subclass, so existing code keeps
  working) with its first line and :meth:`Located.line_at` for any character inside it —
  exact for plain, quoted, literal (``|``) and folded (``>``) scalars, because YAML folding
  only changes whitespace, so the n-th non-blank character of the value is the n-th
  non-blank character of its source text;
- a mapping becomes :class:`LocatedMap` (a ``dict`` with ``line``).

ruamel.yaml keeps positions too, but its round-trip loader is pure Python and several times
slower; the marks PyYAML already computes are all we need. Parsing goes through
``steward.safeio.loads_yaml`` (alias bombs and syntax errors refused the same way).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from steward.safeio import loads_yaml

try:  # the C parser is much faster; constructors stay in Python either way
    _Base: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class Located(str):
    """A string scalar with where it was: ``line`` (1-based) of its first character."""

    line: int
    _doc: str
    _start: int
    _end: int
    _block: bool
    _quoted: bool
    _lines: list[int] | None

    def __new__(cls, value: str, node: yaml.ScalarNode, doc: str) -> Located:
        obj = super().__new__(cls, value)
        obj.line = node.start_mark.line + 1
        obj._doc = doc
        obj._start = node.start_mark.index
        obj._end = node.end_mark.index
        obj._block = node.style in ("|", ">")
        obj._quoted = node.style in ("'", '"')
        obj._lines = None
        return obj

    @property
    def end_line(self) -> int:
        return self._doc.count("\n", 0, max(self._start, self._end - 1)) + 1

    def _index(self) -> list[int]:
        """The source line of each non-blank character of the value, in order."""
        if self._lines is None:
            start = self._start
            if self._block:  # skip the `|` / `>` header line
                newline = self._doc.find("\n", start, self._end)
                start = newline + 1 if newline >= 0 else self._end
            elif self._quoted:
                start += 1
            line = self._doc.count("\n", 0, start) + 1
            lines: list[int] = []
            for char in self._doc[start : self._end]:
                if char == "\n":
                    line += 1
                elif not char.isspace():
                    lines.append(line)
            self._lines = lines
        return self._lines

    def line_at(self, offset: int) -> int:
        """The line of the first non-blank character at or after ``offset`` in the value."""
        if self.end_line == self.line:
            return self.line
        index = self._index()
        if not index:
            return self.line
        nth = sum(1 for c in self[: max(0, offset)] if not c.isspace())
        return index[min(nth, len(index) - 1)]


class LocatedMap(dict[Any, Any]):
    """A mapping with the 1-based ``line`` where it starts."""

    line: int = 0


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader, with position-keeping string and mapping constructors."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._doc = stream


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> Located:
    return Located(str(loader.construct_scalar(node)), node, loader._doc)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Iterator[LocatedMap]:
    data = LocatedMap()
    data.line = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node))


_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


class _KeepingLoader(_Loader):
    """The located loader, keeping a mapping's repeated keys (see ``load_located``)."""


def _construct_map_keeping(loader: _KeepingLoader, node: yaml.MappingNode) -> Iterator[LocatedMap]:
    """A mapping whose repeated own keys are all kept: the second ``task`` becomes
    ``task#2``; keys merged in by ``<<: *anchor`` are overridden by the mapping's own, as
    YAML's merge says."""
    data = LocatedMap()
    data.line = node.start_mark.line + 1
    yield data
    own = sum(1 for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged, mine = node.value[: len(node.value) - own], node.value[len(node.value) - own :]
    for key_node, value_node in merged:
        data[loader.construct_object(key_node)] = loader.construct_object(value_node)
    seen: dict[Any, int] = {}
    for key_node, value_node in mine:
        key = loader.construct_object(key_node)
        if key in seen:
            seen[key] += 1
            key = f"{key}#{seen[key]}"
        else:
            seen[key] = 1
        data[key] = loader.construct_object(value_node)


_KeepingLoader.add_constructor("tag:yaml.org,2002:map", _construct_map_keeping)


def load_located(text: str, *, source: str, keep_repeated_keys: bool = False) -> Any:
    """Parse ``text`` like ``safeio.loads_yaml``, keeping positions (InputError if malformed).

    ``keep_repeated_keys``: a key repeated in one mapping is kept under ``key#2``, ``key#3``
    (Cirrus CI's configuration repeats ``task:`` for each task; YAML loaders keep the last)."""
    return loads_yaml(text, source=source, loader=_KeepingLoader if keep_repeated_keys else _Loader)


def line_of(value: object, default: int | None = None) -> int | None:
    """The line of a located value (string or mapping), else ``default``."""
    if isinstance(value, Located | LocatedMap):
        return value.line
    return default


def key_line(mapping: object, key: str, default: int | None = None) -> int | None:
    """The line of ``key`` in a located mapping (the key itself, not its value)."""
    if isinstance(mapping, dict):
        for k in mapping:
            if k == key and isinstance(k, Located):
                return k.line
    return default
