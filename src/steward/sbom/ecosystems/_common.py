"""Helpers shared by the lockfile parsers: reading, line numbers, hashes, components.

Line numbers: fast parsers (tomllib, orjson) give no positions, so parsers locate each
package's entry with one regular-expression scan of the text and translate offsets to lines
with a precomputed index (:class:`LineIndex`), rather than parsing twice.
"""

from __future__ import annotations

import binascii
import bisect
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from steward import shapes
from steward.errors import InputError, UnsafeInputError
from steward.safeio import (
    DEFAULT_MAX_ALIAS_NODES,
    check_depth,
    decode_text,
    loads_json,
    loads_yaml,
    read_bytes,
)
from steward.sbom.component import (
    Component,
    Diagnostic,
    Hash,
    ParseResult,
    Scope,
    SourceLocation,
)
from steward.sbom.purl import make_purl
from steward.sbom.scanroot import check_inside

MAX_LOCKFILE_BYTES = 128 * 1024 * 1024
#: the longest line a line-based lockfile format may have (requirements, go.mod, yarn v1...)
MAX_LINE_CHARS = 1024 * 1024
#: TOML text up to this size is checked for nesting before parsing (see :func:`load_toml`)
DEPTH_CHECK_BYTES = 2 * 1024 * 1024

# CycloneDX hash algorithm names, keyed by the spellings lockfiles use
HASH_NAMES = {
    "md5": "MD5",
    "sha1": "SHA-1",
    "sha-1": "SHA-1",
    "sha256": "SHA-256",
    "sha-256": "SHA-256",
    "sha384": "SHA-384",
    "sha-384": "SHA-384",
    "sha512": "SHA-512",
    "sha-512": "SHA-512",
    "sha3-256": "SHA3-256",
    "sha3-512": "SHA3-512",
    "blake2b-256": "BLAKE2b-256",
    "blake2b_256": "BLAKE2b-256",
}
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_HEX_LENGTHS = {
    "MD5": 32,
    "SHA-1": 40,
    "SHA-256": 64,
    "SHA-384": 96,
    "SHA-512": 128,
    "SHA3-256": 64,
    "SHA3-512": 128,
    "BLAKE2b-256": 64,
}


def read_text(path: Path, *, max_line: int | None = None) -> str:
    """The lockfile's text; unreadable or binary files, and files outside the scanned
    directory, are an InputError naming the file.

    ``max_line``: for line-based formats, a line longer than this many characters is an
    :class:`UnsafeInputError` naming the file and line (the parsers' per-line regular
    expressions are not meant for a 100 MB line). Found in one scan by the regex engine.
    """
    check_inside(path)
    text = decode_text(read_bytes(path, max_bytes=MAX_LOCKFILE_BYTES), source=path)
    if max_line is not None and len(text) > max_line:
        long = re.search(f"[^\n]{{{max_line + 1}}}", text)
        if long is not None:
            raise UnsafeInputError(
                f"line longer than {max_line} characters (limit on line length)",
                source=path,
                line=text.count("\n", 0, long.start()) + 1,
            )
    return text


def load_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML; nesting deeper than the limit of :func:`steward.safeio.check_depth` and
    syntax errors are an InputError naming the file (and line).

    The depth pre-check runs on files up to :data:`DEPTH_CHECK_BYTES` (it costs a fifth of
    parsing); on larger ones the parser's own recursion limit is the bound, reported the
    same way.
    """
    import tomllib  # here: most lockfiles are not TOML

    if len(text) <= DEPTH_CHECK_BYTES:
        check_depth(text, source=path)
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise UnsafeInputError(
            "nested too deeply for the parser (limit on nesting)", source=path
        ) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(
            f"invalid TOML: {exc}", source=path, line=int(match.group(1)) if match else None
        ) from None


def load_json_text(text: str, path: Path) -> Any:
    return loads_json(text, source=path)


def load_yaml_text(text: str, path: Path) -> Any:
    return loads_yaml(text, source=path, max_alias_nodes=DEFAULT_MAX_ALIAS_NODES)


def shaped(data: Any, spec: shapes.Spec, path: Path, result: ParseResult) -> Any:
    """``data`` fitted to the parser's declared ``spec`` (:mod:`steward.shapes`): values of
    the wrong type are dropped, each reported as a diagnostic naming the file and entry."""
    for problem in shapes.check(data, spec, source=path):
        result.diagnostics.append(Diagnostic(str(path), problem))
    return data


def expect_mapping(data: Any, path: Path, what: str = "the lockfile") -> dict[str, Any]:
    if not isinstance(data, dict):
        kind = "null" if data is None else type(data).__name__
        raise InputError(f"{what} is {kind}, expected a mapping", source=path)
    return data


class LineIndex:
    """Offset → 1-based line number for one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0]
        start = text.find("\n")
        while start != -1:
            self._starts.append(start + 1)
            start = text.find("\n", start + 1)

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def lines_of(self, pattern: re.Pattern[str], group: int = 1) -> dict[str, list[int]]:
        """Every match's group value → the lines where it occurs, in order."""
        found: dict[str, list[int]] = {}
        for match in pattern.finditer(self.text):
            found.setdefault(match.group(group), []).append(self.line(match.start(group)))
        return found


class LineCursor:
    """Hands out the lines of repeated keys in document order (first unused at or after a floor)."""

    def __init__(self, lines: dict[str, list[int]]) -> None:
        self._lines = lines
        self._used: dict[str, int] = {}

    def take(self, key: str) -> int | None:
        candidates = self._lines.get(key)
        if not candidates:
            return None
        index = self._used.get(key, 0)
        if index >= len(candidates):
            return candidates[-1]
        self._used[key] = index + 1
        return candidates[index]


def hex_digest(algorithm: str, value: str) -> Hash | None:
    """A Hash from a hex digest with a lockfile algorithm name, or None if it is not one."""
    name = HASH_NAMES.get(algorithm.lower())
    if name is None or not _HEX.match(value):
        return None
    expected = _HEX_LENGTHS.get(name)
    if expected is not None and len(value) != expected:
        return None
    return Hash(name, value.lower())


def b64_digest(algorithm: str, value: str) -> Hash | None:
    """A Hash from a base64 digest (npm SRI, NuGet contentHash)."""
    try:
        # base64.b64decode(value, validate=True), without importing base64
        raw = binascii.a2b_base64(value.encode("ascii"), strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    return hex_digest(algorithm, raw.hex())


def sri_hashes(integrity: str | None) -> tuple[Hash, ...]:
    """Hashes from a Subresource Integrity string (``sha512-<base64> sha1-<base64>``)."""
    if not integrity:
        return ()
    hashes = []
    for token in integrity.split():
        algorithm, _, value = token.partition("-")
        digest = b64_digest(algorithm, value)
        if digest is not None:
            hashes.append(digest)
    return tuple(hashes)


def prefixed_hashes(values: Iterable[str]) -> tuple[Hash, ...]:
    """Hashes from ``algorithm:hex`` strings (pip, Pipfile.lock, poetry, uv, pdm)."""
    out: list[Hash] = []
    seen: set[tuple[str, str]] = set()
    for value in values:
        algorithm, sep, digest = str(value).partition(":")
        if not sep:
            continue
        parsed = hex_digest(algorithm, digest)
        if parsed is not None and (parsed.algorithm, parsed.value) not in seen:
            seen.add((parsed.algorithm, parsed.value))
            out.append(parsed)
    return tuple(out)


def component(
    ecosystem: str,
    name: str,
    version: str,
    *,
    path: Path,
    line: int | None = None,
    scope: Scope = Scope.RUNTIME,
    direct: bool | None = None,
    hashes: tuple[Hash, ...] = (),
    dependencies: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    purl_qualifiers: dict[str, str] | None = None,
    **extra: Any,
) -> Component:
    """A Component with its purl and location filled in."""
    return Component(
        name=name,
        version=version,
        ecosystem=ecosystem,
        purl=make_purl(ecosystem, name, version or None, purl_qualifiers),
        scope=scope,
        direct=direct,
        hashes=hashes,
        dependencies=dependencies,
        location=SourceLocation(str(path), line),
        groups=groups,
        **extra,
    )


def diagnostic(path: Path, message: str, line: int | None = None) -> Diagnostic:
    return Diagnostic(str(path), message, line)
