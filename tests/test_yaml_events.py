"""YAML built from the parser's events (steward.safeio._load_from_events) is the safe loader's.

Every YAML file of the real corpora (lockfiles, the repository's own YAML) and a set of
self-written documents with each construct lockfiles may hold — and those they should not
(anchors, merge keys, explicit tags, complex keys, several documents, deep nesting, syntax
errors) — are loaded both ways: the result is equal, value for value and type for type, or
the event reader declines and ``loads_yaml`` falls back to the safe loader.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from steward.errors import InputError
from steward.safeio import _FALLBACK, _load_from_events, loads_yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DOCUMENTS = {
    "scalars": (
        "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: 2001-12-14t21:59:43.10-05:00\n"
        "g: 2002-12-14\nh: '1'\ni: \"yes\"\nj: ! 12\nk: 0x1F\nl: .nan\nm: -.inf\n"
        "n: 1_000\no: yes\np: NO\nq:\nr: ''\ns: 0o17\nt: +12\n"
    ),
    "duplicate keys": "a: 1\na: 2\nb: [1, {c: d}, [e]]\n",
    "empty": "",
    "comment only": "# nothing\n",
    "scalar root": "hello\n",
    "sequence root": "- a\n- 2\n- {b: [c]}\n",
    "scalar keys": "1: a\n2.5: b\ntrue: c\nnull: d\n",
    "explicit str and int": "a: !!str 12\nb: !!int '7'\nc: !!map {d: 1}\ne: !!seq [f]\n",
    "pnpm-like": (
        "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      vue:\n"
        "        specifier: ^3.4.0\n        version: 3.4.38(typescript@5.6.3)\n"
        "packages:\n  vue@3.4.38:\n    resolution: {integrity: sha512-abc}\n"
        "    engines: {node: '>=18'}\n"
    ),
    "anchors": "a: &x {b: 1}\nc: *x\n",
    "merge key": "a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n",
    "binary": "a: !!binary aGVsbG8=\n",
    "set": "a: !!set {x, y}\n",
    "complex key": "? [a, b]\n: c\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "deep": "a: " + "[" * 600 + "]" * 600 + "\n",
    "syntax error": "a: [1, 2\n",
    "tab indent": "a:\n\t- b\n",
    "value tag": "a: =\n",
}
#: what the event reader must leave to the safe loader
DECLINED = {
    "anchors",
    "merge key",
    "binary",
    "set",
    "complex key",
    "two documents",
    "deep",
    "syntax error",
    "tab indent",
    "value tag",
}


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _standard(text: str) -> Any:
    return yaml.load(text, Loader=LOADER)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_documents_are_built_as_the_safe_loader_builds_them(name: str) -> None:
    text = DOCUMENTS[name]
    built = _load_from_events(text, LOADER)
    if name in DECLINED:
        assert built is _FALLBACK
        return
    assert built is not _FALLBACK
    assert _same(built, _standard(text))


def test_loads_yaml_gives_the_safe_loaders_answer_or_error_either_way() -> None:
    assert loads_yaml(DOCUMENTS["merge key"], source="m.yaml") == _standard(DOCUMENTS["merge key"])
    with pytest.raises(InputError, match="invalid YAML") as caught:
        loads_yaml(DOCUMENTS["syntax error"], source="bad.yaml")
    assert caught.value.line is not None
    with pytest.raises(InputError, match="invalid YAML"):
        loads_yaml(DOCUMENTS["two documents"], source="two.yaml")


def _yaml_files(shared_data: Path) -> list[Path]:
    repository = Path(__file__).resolve().parent.parent
    found = [
        *sorted(shared_data.rglob("*.yaml")),
        *sorted(shared_data.rglob("*.yml")),
        *sorted((shared_data / "lockfiles").rglob("yarn*.lock")),
        *sorted((repository / "src").rglob("*.yaml")),
    ]
    return [p for p in found if p.is_file() and p.stat().st_size < 8 * 1024 * 1024]


def test_real_yaml_files_are_built_as_the_safe_loader_builds_them(shared_data: Path) -> None:
    compared = 0
    for path in _yaml_files(shared_data):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        built = _load_from_events(text, LOADER)
        try:
            expected = _standard(text)
        except yaml.YAMLError:
            assert built is _FALLBACK, path  # an invalid file is the safe loader's to report
            continue
        if built is _FALLBACK:
            continue
        assert _same(built, expected), path
        compared += 1
    assert compared > 50
