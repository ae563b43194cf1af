"""Mutations of real input files for the fuzz targets (suite and ``bench/fuzz_parsers.py``).

A mutation takes the bytes of a valid file and a ``random.Random`` and returns new bytes
that a hostile or careless author could have written: values of the wrong type where a
string is expected (the structure re-serialised for JSON and YAML, the text edited for
TOML and line formats), deep nesting, truncation, duplicated or dropped lines, control
bytes, markup, very long tokens. Deterministic for a given seed, so a crash found by the
long run is reproduced by its (file, seed) pair and becomes a regression test.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from typing import Any

import yaml

#: values that are not strings, put where parsers expect strings
NOT_STRINGS: tuple[Any, ...] = (5, -1, 0.5, True, None, [], ["x", 1], {}, {"a": {"b": 1}})
TOML_NOT_STRINGS = ("5", "-1", "0.5", "true", "[]", '["x", 1]', "{}", "{ a = { b = 1 } }")
ODD_STRINGS = ("", " ", "/", "@", "[/]", "[bold]x", "\x00", "../../x", "a" * 5000, "é\u202e")


def _walk(node: Any, visit: Callable[[Any, Any, Any], None]) -> None:
    if isinstance(node, dict):
        for key in list(node):
            visit(node, key, node[key])
            _walk(node[key], visit)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            visit(node, index, item)
            _walk(item, visit)


def _retype_tree(data: Any, rng: random.Random, count: int) -> Any:
    slots: list[tuple[Any, Any]] = []
    _walk(data, lambda parent, key, _value: slots.append((parent, key)))
    for parent, key in rng.sample(slots, min(count, len(slots))):
        roll = rng.random()
        if roll < 0.6:
            parent[key] = rng.choice(NOT_STRINGS)
        elif roll < 0.85:
            parent[key] = rng.choice(ODD_STRINGS)
        else:
            parent[key] = _nested(rng.choice((50, 400, 3000)))
    return data


def _nested(depth: int) -> Any:
    value: Any = "x"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


def retype_json(raw: bytes, rng: random.Random) -> bytes:
    data = json.loads(raw)
    return json.dumps(_retype_tree(data, rng, rng.randint(1, 6))).encode()


def retype_yaml(raw: bytes, rng: random.Random) -> bytes:
    data = yaml.safe_load(raw)
    return yaml.safe_dump(_retype_tree(data, rng, rng.randint(1, 6))).encode()


_TOML_VALUE = re.compile(
    rb'(=\s*)("(?:[^"\\\n]|\\.)*"|\[[^\]\n]*\]|\{[^}\n]*\}|\d[\w.:-]*|true|false)'
)


def retype_toml(raw: bytes, rng: random.Random) -> bytes:
    spots = list(_TOML_VALUE.finditer(raw))
    if not spots:
        return raw
    out = raw
    for match in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 5))),
                        key=lambda m: -m.start()):  # fmt: skip
        choice = rng.random()
        if choice < 0.7:
            value = rng.choice(TOML_NOT_STRINGS).encode()
        elif choice < 0.9:
            value = json.dumps(rng.choice(ODD_STRINGS)).encode()
        else:
            depth = rng.choice((100, 1000, 5000))
            value = b"[" * depth + b"1" + b"]" * depth
        out = out[: match.start(2)] + value + out[match.end(2) :]
    return out


def text_edit(raw: bytes, rng: random.Random) -> bytes:
    lines = raw.split(b"\n")
    kind = rng.randrange(9)
    if kind == 0 and raw:
        return raw[: rng.randrange(len(raw))]
    if kind == 1 and lines:
        i = rng.randrange(len(lines))
        return b"\n".join(lines[:i] + [lines[i]] * rng.randint(2, 50) + lines[i + 1 :])
    if kind == 2 and lines:
        i = rng.randrange(len(lines))
        return b"\n".join(lines[:i] + lines[i + 1 :])
    if kind == 3 and raw:
        i = rng.randrange(len(raw))
        return raw[:i] + bytes([rng.randrange(256)]) + raw[i + 1 :]
    if kind == 4 and lines:
        i = rng.randrange(len(lines))
        token = rng.choice((b"[/]", b"[bold]", b"@", b"/", b":", b"#", b'"', b"{", b"}", b"-"))
        pos = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:pos] + token + lines[i][pos:]
        return b"\n".join(lines)
    if kind == 5 and lines:
        i = rng.randrange(len(lines))
        lines[i] = lines[i] + b"x" * rng.choice((1000, 100_000))
        return b"\n".join(lines)
    if kind == 6 and lines:
        i = rng.randrange(len(lines))
        indent = re.match(rb"\s*", lines[i])
        lines[i] = (indent.group(0) if indent else b"") * 2 + lines[i].lstrip()
        return b"\n".join(lines)
    if kind == 7:
        return raw.replace(b"\n", b"\r\n")
    return b"\n".join(line for line in lines if rng.random() > 0.2)


def mutators_for(name: str) -> list[Callable[[bytes, random.Random], bytes]]:
    """The mutations that make sense for a file called ``name``."""
    lower = name.lower()
    if lower.endswith((".json", ".jsontest")) or name in ("renv.lock", "bun.lock"):
        return [retype_json, text_edit]
    if lower.endswith((".yaml", ".yml")) or name == "pubspec.lock":
        return [retype_yaml, text_edit]
    if lower.endswith(".toml") or name in ("Cargo.lock", "poetry.lock", "uv.lock", "pdm.lock"):
        return [retype_toml, text_edit]
    return [text_edit]


def mutate(name: str, raw: bytes, seed: int, rounds: int = 1) -> bytes:
    """``raw`` mutated ``rounds`` times with the mutators for ``name``; deterministic."""
    rng = random.Random(seed)
    out = raw
    for _ in range(rounds):
        choice = rng.choice(mutators_for(name))
        try:
            out = choice(out, rng)
        except (ValueError, yaml.YAMLError, RecursionError):
            out = text_edit(out, rng)
    return out
