"""Every lockfile parser on malformed, truncated and hostile input: a ParseResult (possibly
with diagnostics) or an InputError naming the file — never any other exception."""

from __future__ import annotations

import json
from pathlib import Path, PurePath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.errors import InputError
from steward.sbom.ecosystems import all_parsers, parser_for
from steward.sbom.ecosystems.base import LockfileParser

PARSERS = {p.name: p for p in all_parsers()}


def _parse_ok(parser: LockfileParser, path: Path) -> None:
    try:
        result = parser.parse(path)
    except InputError as exc:
        assert str(path) in str(exc), f"{parser.name}: error does not name the file: {exc}"
        return
    assert result.path == str(path)
    for component in result.components:
        assert isinstance(component.name, str) and isinstance(component.version, str)


def _fixtures(shared_data: Path) -> list[tuple[LockfileParser, Path]]:
    expected = json.loads((shared_data / "lockfiles" / "expected.json").read_text())
    out = []
    for fixture, spec in sorted(expected.items()):
        parser = parser_for(PurePath(spec["canonical_filename"]))
        if parser is not None:
            out.append((parser, shared_data / "lockfiles" / fixture))
    return out


def test_truncated_real_lockfiles(shared_data: Path, tmp_path: Path) -> None:
    checked = 0
    for parser, fixture in _fixtures(shared_data):
        data = fixture.read_bytes()
        if len(data) < 8:
            continue
        target = tmp_path / parser.filenames[0]
        for cut in sorted(
            {len(data) // 7, len(data) // 3, len(data) // 2, (2 * len(data)) // 3, len(data) - 1}
        ):
            target.write_bytes(data[:cut])
            _parse_ok(parser, target)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_binary_junk_and_empty(name: str, tmp_path: Path) -> None:
    parser = PARSERS[name]
    target = tmp_path / parser.filenames[0]
    for payload in (
        b"",
        b"\x00\x01\x02\xff" * 100,
        b"\xef\xbb\xbf",
        "ünïcödé ✓\n".encode(),
        b"null",
        b"[]",
        b"{}",
        b"[" * 5000,
        b'{"a":' * 5000,
    ):
        target.write_bytes(payload)
        _parse_ok(parser, target)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_yaml_alias_bomb(name: str, tmp_path: Path) -> None:
    parser = PARSERS[name]
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("packages: *i")
    target = tmp_path / parser.filenames[0]
    target.write_text("\n".join(lines) * 3)
    _parse_ok(parser, target)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_fuzzed_bytes(name: str, payload: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    parser = PARSERS[name]
    target = tmp_path_factory.mktemp("fuzz") / parser.filenames[0]
    target.write_bytes(payload)
    _parse_ok(parser, target)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_real_lockfile(
    name: str, data: st.DataObject, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    parser = PARSERS[name]
    fixtures = [f for p, f in _fixtures(shared_data) if p is parser and f.stat().st_size > 20]
    if not fixtures:
        return
    original = bytearray(data.draw(st.sampled_from(fixtures)).read_bytes())
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.sampled_from(list(b'{}[]":,\n #@=-\x00\xff0a')))
    target = tmp_path_factory.mktemp("mutate") / parser.filenames[0]
    target.write_bytes(bytes(original))
    _parse_ok(parser, target)
