"""mix.lock (Elixir Mix / Hex).

The lockfile is an Elixir map literal. It is read with a small tokenizer of our own (strings,
atoms, lists, tuples, keyword pairs) — Elixir code is never evaluated — because no Python
library parses Elixir terms. Hex entries give name, version, inner and outer checksums and
dependencies; git entries give the repository and commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.sbom.component import ParseResult
from steward.sbom.ecosystems._common import (
    MAX_LINE_CHARS,
    LineIndex,
    component,
    hex_digest,
    read_text,
)
from steward.sbom.ecosystems.base import LockfileParser

_TOKEN = re.compile(
    r'\s*(?:(?P<qkey>"[^"\\]*(?:\\.[^"\\]*)*":)(?=\s)|(?P<str>"[^"\\]*(?:\\.[^"\\]*)*")|(?P<atom>:[A-Za-z_][A-Za-z0-9_?!]*|:"[^"\\]*(?:\\.[^"\\]*)*")'
    r"|(?P<key>[A-Za-z_][A-Za-z0-9_?!]*:)(?=\s)|(?P<word>[A-Za-z_][A-Za-z0-9_.?!]*|-?\d+)"
    r"|(?P<punct>%\{|=>|[{}\[\],]))"
)


@dataclass(frozen=True)
class Atom:
    name: str


class _Parser:
    def __init__(self, text: str, path: Path) -> None:
        self.text = text
        self.path = path
        self.pos = 0
        self.lines = LineIndex(text)

    def _line(self) -> int:
        return self.lines.line(self.pos)

    def _next_line(self) -> int:
        match = _TOKEN.match(self.text, self.pos)
        return self.lines.line(match.start(match.lastgroup or 0) if match else self.pos)

    def fail(self, message: str) -> InputError:
        return InputError(message, source=self.path, line=self._line())

    def peek(self) -> tuple[str, str] | None:
        match = _TOKEN.match(self.text, self.pos)
        if match is None:
            rest = self.text[self.pos :].strip()
            if not rest or rest.startswith("#"):
                return None
            raise self.fail(f"unexpected text {rest[:20]!r}")
        kind = match.lastgroup or ""
        return kind, match.group(kind)

    def next(self) -> tuple[str, str]:
        match = _TOKEN.match(self.text, self.pos)
        if match is None:
            raise self.fail("unexpected end of file")
        self.pos = match.end()
        kind = match.lastgroup or ""
        return kind, match.group(kind)

    def expect(self, value: str) -> None:
        _kind, lexeme = self.next()
        if lexeme != value:
            raise self.fail(f"expected {value!r}, found {lexeme!r}")

    def value(self, depth: int = 0) -> Any:
        if depth > 50:
            raise self.fail("nested too deeply")
        kind, lexeme = self.next()
        if kind == "str":
            return bytes(lexeme[1:-1], "utf-8").decode("unicode_escape")
        if kind == "atom":
            return Atom(lexeme[1:].strip('"'))
        if kind == "word":
            return lexeme
        if lexeme == "{":
            return tuple(self._sequence("}", depth))
        if lexeme == "[":
            return self._sequence("]", depth)
        if lexeme == "%{":
            return self._map(depth)
        raise self.fail(f"unexpected {lexeme!r}")

    def _sequence(self, close: str, depth: int) -> list[Any]:
        items: list[Any] = []
        while True:
            ahead = self.peek()
            if ahead is None:
                raise self.fail("unterminated list or tuple")
            if ahead[1] == close:
                self.next()
                return items
            if ahead[0] in ("key", "qkey"):
                self.next()
                items.append((Atom(ahead[1][:-1].strip('"')), self.value(depth + 1)))
            else:
                items.append(self.value(depth + 1))
            ahead = self.peek()
            if ahead is not None and ahead[1] == ",":
                self.next()

    def _map(self, depth: int) -> dict[Any, tuple[Any, int]]:
        out: dict[Any, tuple[Any, int]] = {}
        while True:
            ahead = self.peek()
            if ahead is None:
                raise self.fail("unterminated map")
            if ahead[1] == "}":
                self.next()
                return out
            line = self._next_line()
            if ahead[0] in ("qkey", "key"):  # "name": value / name: value
                self.next()
                key: Any = ahead[1][:-1].strip('"')
            else:
                key = self.value(depth + 1)
                self.expect("=>")
            out[key] = (self.value(depth + 1), line)
            ahead = self.peek()
            if ahead is not None and ahead[1] == ",":
                self.next()


class MixLockParser(LockfileParser):
    name = "mix-lock"
    ecosystem = "Hex"
    filenames = ("mix.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path, max_line=MAX_LINE_CHARS)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        if not text.strip():
            return result
        parser = _Parser(text, path)
        _kind, lexeme = parser.next()
        if lexeme != "%{":
            raise parser.fail("not a mix.lock (expected a map %{...})")
        entries = parser._map(0)
        deps: dict[str, list[str]] = {}
        for key, (value, line) in entries.items():
            if not isinstance(key, str) or not isinstance(value, tuple) or not value:
                continue
            source = value[0].name if isinstance(value[0], Atom) else ""
            if source == "hex" and len(value) >= 4:
                name = value[1].name if isinstance(value[1], Atom) else key
                comp = component(self.ecosystem, str(name), str(value[2]), path=path, line=line)
                comp.commit = str(value[3])  # Hex's inner checksum of the package contents
                if len(value) >= 8 and isinstance(value[7], str):
                    digest = hex_digest("sha256", value[7])
                    comp.hashes = (digest,) if digest else ()
                if len(value) >= 6 and isinstance(value[5], list):
                    deps[comp.ref] = [
                        d[0].name
                        for d in value[5]
                        if isinstance(d, tuple) and d and isinstance(d[0], Atom)
                    ]
                result.components.append(comp)
            elif source == "git" and len(value) >= 3:
                comp = component(
                    self.ecosystem,
                    key,
                    "",
                    path=path,
                    line=line,
                    vcs_url=str(value[1]),
                    commit=str(value[2]),
                )
                result.components.append(comp)
        refs = {c.name: c.ref for c in result.components}
        for comp in result.components:
            comp.dependencies = tuple(refs[d] for d in deps.get(comp.ref, []) if d in refs)
        return result


PARSERS = (MixLockParser(),)
