"""Shapes of parsed untrusted data, checked once at each parser's boundary.

JSON, YAML and TOML parse into whatever the author wrote: ``"version": 5``, ``"name": []``,
``"integrity": {"a": 1}``. Rather than every parser guarding every field, a parser declares
the shape it reads (:data:`Spec`) and calls :func:`check` on the parsed document before
using it. A value of the wrong type is removed (the field then reads as absent) and reported
as one problem naming where it was and what it was, so the parser only ever sees the types
it declared, and the user sees which entry of which file was ignored.

A spec is:

- a type or a tuple of types (``str``, ``(str, int)``): the value must be an instance
  (``bool`` is not accepted where ``int`` is declared);
- a dict: the value must be a mapping; each named key present is checked against its spec,
  and the key ``"*"`` (if given) is the spec of every other key, whose names must be text;
- a one-element list: the value must be a list, each item checked against the element;
- :class:`OneOf` (``OneOf(str, {"url": str})``): the first alternative of the value's kind;
- :class:`Choice` (``Choice("fixed", "affected")``): text, one of an enumeration (the words
  a specification defines, e.g. VEX statuses);
- :data:`ANY`: anything;
- :data:`UNKNOWN` as the ``"*"`` spec of a dict: keys other than the named ones are not
  allowed (a closed set of fields, e.g. CSAF ``product_status``).

``None`` (JSON ``null``, an empty YAML value) is accepted as a field's value and means
"absent"; as an item of a list it is no entry and is removed and reported like a misfit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from steward.errors import InputError

#: accepts any value
ANY: Any = object

Spec = Any  # a type, a tuple of types, dict[str, Spec], list[Spec], OneOf or ANY


class Choice:
    """An enumeration: the value must be one of ``values`` (text)."""

    def __init__(self, *values: str) -> None:
        self.values = frozenset(values)

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.values

    def expected(self) -> str:
        return "one of " + ", ".join(sorted(self.values))


class _Unknown:
    """The spec of keys a closed mapping does not allow (see :data:`UNKNOWN`)."""


#: as a dict's ``"*"``: only the named keys are allowed
UNKNOWN: Any = _Unknown()


class _Label(str):
    """A path prefix given by the caller (``components[3]``), rendered as it is."""


class OneOf:
    """Alternatives: the value is checked against the first one of its kind (a mapping
    against a dict spec, a list against a list spec, a scalar against types)."""

    def __init__(self, *alternatives: Spec) -> None:
        self.alternatives = alternatives

    def pick(self, value: Any) -> Spec | None:
        for alternative in self.alternatives:
            if isinstance(alternative, dict):
                if isinstance(value, dict):
                    return alternative
            elif isinstance(alternative, list):
                if isinstance(value, list):
                    return alternative
            elif isinstance(alternative, Choice):
                if alternative.accepts(value):
                    return alternative
            elif alternative is ANY or _matches(value, alternative):
                return alternative
        return None


#: how many problems are reported per document; the rest are counted
MAX_REPORTED = 20
#: nesting checked at most this deep; anything deeper is dropped (no parser reads it)
MAX_DEPTH = 64


def kind(value: Any) -> str:
    """How a parsed value is described in messages: text, a number, a list..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _expected(spec: Spec) -> str:
    if isinstance(spec, Choice):
        return spec.expected()
    if isinstance(spec, OneOf):
        return " or ".join(_expected(a) for a in spec.alternatives)
    if isinstance(spec, dict):
        return "a mapping"
    if isinstance(spec, list):
        return "a list"
    types = spec if isinstance(spec, tuple) else (spec,)
    names = {str: "text", int: "a number", float: "a number", bool: "a boolean", datetime: "a time"}
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))


def _matches(value: Any, spec: Spec) -> bool:
    types = spec if isinstance(spec, tuple) else (spec,)
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


#: where a value is: None for the document, else (where its parent is, its key or index);
#: rendered (``packages['node_modules/a'].version``) only when a problem is reported
Where = tuple[Any, Any] | None


def _render(where: Where) -> str:
    keys: list[Any] = []
    while where is not None:
        where, key = where
        keys.append(key)
    text = ""
    for key in reversed(keys):
        if isinstance(key, _Label):
            text += key
        elif isinstance(key, int):
            text += f"[{key}]"
        elif str(key).isidentifier():
            text += f".{key}" if text else str(key)
        else:
            text += f"[{str(key)!r}]"
    return text or "the document"


def _walk(
    value: Any, spec: Spec, where: Where, report: Callable[[str], None], depth: int = 0
) -> bool:
    """True if ``value`` fits ``spec``; parts that do not are removed and reported."""
    if spec is ANY or value is None:
        return True
    if depth > MAX_DEPTH:
        report(f"{_render(where)} is nested more than {MAX_DEPTH} levels deep")
        return False
    if isinstance(spec, OneOf):
        chosen = spec.pick(value)
        if chosen is None:
            report(f"{_render(where)} is {kind(value)}, expected {_expected(spec)}")
            return False
        spec = chosen
    if isinstance(spec, Choice):
        if not spec.accepts(value):
            shown = repr(value[:40]) if isinstance(value, str) else kind(value)
            report(f"{_render(where)} is {shown}, expected {spec.expected()}")
            return False
        return True
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            report(f"{_render(where)} is {kind(value)}, expected a mapping")
            return False
        other = spec.get("*")
        if other is ANY and len(spec) == 1 and all(type(k) is str for k in value):
            return True  # a map of anything with text keys (dependency maps): nothing to do
        for key in list(value):
            item = value[key]
            sub = spec.get(key) if isinstance(key, str) and key != "*" else None
            chosen = sub if sub is not None else other
            if chosen is None:
                continue
            if chosen is UNKNOWN:
                named = ", ".join(sorted(k for k in spec if k != "*"))
                report(f"{_render((where, key))} is not a known field (expected {named})")
                del value[key]
                continue
            if not isinstance(key, str):
                report(f"{_render((where, key))}: a key that is {kind(key)}, expected text")
                del value[key]
                continue
            if item is None or chosen is ANY:
                continue
            if isinstance(chosen, type | tuple):  # a scalar: checked here, no call per value
                if not _matches(item, chosen):
                    found, expected = kind(item), _expected(chosen)
                    report(f"{_render((where, key))} is {found}, expected {expected}")
                    del value[key]
                continue
            if not _walk(item, chosen, (where, key), report, depth + 1):
                del value[key]
        return True
    if isinstance(spec, list):
        if not isinstance(value, list):
            report(f"{_render(where)} is {kind(value)}, expected a list")
            return False
        element = spec[0]
        kept = []
        for i, item in enumerate(value):
            if item is None and element is not ANY:  # null in a list is no entry at all
                report(f"{_render((where, i))} is null, expected {_expected(element)}")
            elif _walk(item, element, (where, i), report, depth + 1):
                kept.append(item)
        value[:] = kept
        return True
    if not _matches(value, spec):
        report(f"{_render(where)} is {kind(value)}, expected {_expected(spec)}")
        return False
    return True


def check(data: Any, spec: Spec, *, source: str | Path, at: str | None = None) -> list[str]:
    """Fit ``data`` to ``spec`` in place; the messages of what was removed (see module doc).

    ``at`` names where ``data`` is inside its document (``components[3]``) when it is not
    the whole document. A document whose top level does not fit (a list where a mapping
    is expected) is an :class:`InputError` naming ``source``; nothing in it can be read.
    """
    problems: list[str] = []
    dropped = 0

    def report(message: str) -> None:
        nonlocal dropped
        if len(problems) < MAX_REPORTED:
            problems.append(f"{message}; ignored")
        else:
            dropped += 1

    if not _walk(data, spec, None if at is None else (None, _Label(at)), report):
        raise InputError(problems[0].removesuffix("; ignored"), source=source)
    if dropped:
        problems.append(f"and {dropped} more values of the wrong type; ignored")
    return problems


def require(data: Any, spec: Spec, *, source: str | Path, at: str | None = None) -> Any:
    """Like :func:`check`, but any misfit is an :class:`InputError` (for records that must
    be whole: an OSV advisory, a feed entry, an SBOM, a VEX document). Returns ``data``."""
    problems = check(data, spec, source=source, at=at)
    if problems:
        raise InputError(problems[0].removesuffix("; ignored"), source=source)
    return data
