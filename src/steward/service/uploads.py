"""Reading uploads with the CLI's own readers: size limits, gzip, one clear error line.

Bodies are read whole (the body limit bounds them), optionally gunzipped with a bound on the
inflated size (a gzip bomb gets 413), written to a private temporary file and parsed by the
same readers as the CLI: :func:`steward.sbom.read.read_sbom` (CycloneDX 1.2-1.7 JSON/XML,
SPDX 2.x JSON/tag-value, SPDX 3.0 JSON-LD; XML through ``steward.safeio``, so entity and
billion-laughs bombs are refused), :func:`steward.vuln.vex.load_vex` (OpenVEX, CycloneDX,
CSAF) and the assessment model of ``steward assess --format json``. Errors name the upload
(its ``filename`` parameter or the endpoint), never the temporary file.
"""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import orjson
from fastapi import Request

from steward.errors import InputError, UnsafeInputError
from steward.service.config import Settings

T = TypeVar("T")


async def read_body(request: Request, settings: Settings) -> bytes:
    """The request body, gunzipped if ``Content-Encoding: gzip`` (bounded)."""
    body = await request.body()
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding != "gzip":
        raise InputError(f"Content-Encoding {encoding!r} is not supported (use gzip or none)")
    return gunzip(body, settings.max_inflated_bytes)


def gunzip(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(f"body is not valid gzip: {exc}") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise UnsafeInputError(
            f"gzip body inflates beyond {limit // (1024 * 1024)} MiB (a compression bomb?)"
        )
    return out


def parse_file(data: bytes, name: str, suffix: str, reader: Callable[[Path], T]) -> T:
    """Run a path-based reader on ``data``; errors name ``name`` instead of the temp file."""
    if not data.strip():
        raise InputError("empty upload", source=name)
    with tempfile.TemporaryDirectory(prefix="steward-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return reader(path)
        except InputError as exc:
            kind = type(exc)
            raise kind(exc.message.replace(str(path), name), source=name, line=exc.line) from None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise InputError(f"cannot read it: {type(exc).__name__}: {exc}", source=name) from None


def parse_json(data: bytes, name: str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc}", source=name) from None


def sniff_suffix(data: bytes) -> str:
    head = data.lstrip()[:1]
    return ".xml" if head == b"<" else ".json" if head in (b"{", b"[") else ".spdx"
