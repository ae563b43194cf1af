"""bun.lock (Bun's text lockfile, JSON with comments and trailing commas).

The JSONC is normalised by a small string-aware scanner (comments and trailing commas removed,
line breaks kept so positions stay right) and then parsed with orjson; no JSON5 library is
needed for what bun writes. Each ``packages`` value is a tuple whose first item is
``name@version`` (registry packages) or ``name@github:owner/repo#commit``-style specs (git,
with the commit kept); a malformed tuple is a diagnostic naming the package.
"""

from __future__ import annotations

import re
from pathlib import Path

from steward.safeio import as_dict
from steward.sbom.component import ParseResult
from steward.sbom.ecosystems._common import (
    LineCursor,
    LineIndex,
    component,
    diagnostic,
    expect_mapping,
    load_json_text,
    read_text,
    shaped,
    sri_hashes,
)
from steward.sbom.ecosystems.base import LockfileParser
from steward.shapes import ANY

_KEY = re.compile(r'^[ \t]*"((?=[^"])[^"\\]*(?:\\.[^"\\]*)*)"\s*:\s*\[', re.MULTILINE)
_COMMIT = re.compile(r"#([0-9a-f]{7,40})$")


def strip_jsonc(text: str) -> str:
    """JSON with ``//``/``/* */`` comments and trailing commas → strict JSON (same lines)."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append(ch)
        elif ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("\n" * text.count("\n", i, end))
            i = end
            continue
        elif ch == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] in "]}":
                i += 1  # a trailing comma
                continue
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _split_spec(spec: str) -> tuple[str, str]:
    at = spec.find("@", 1)
    return (spec[:at], spec[at + 1 :]) if at > 0 else (spec, "")


#: the shape read (steward.shapes): wrong-typed values are dropped with a diagnostic
SPEC = {"packages": {"*": [ANY]}, "workspaces": {"*": {"name": str, "*": ANY}}}


class BunLockParser(LockfileParser):
    name = "bun-lock"
    ecosystem = "npm"
    filenames = ("bun.lock",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        if not text.strip():
            return result
        data = expect_mapping(load_json_text(strip_jsonc(text), path), path)
        data = shaped(data, SPEC, path, result)
        cursor = LineCursor(LineIndex(text).lines_of(_KEY))
        workspaces = as_dict(data.get("workspaces"))
        direct_names = {
            name
            for ws in workspaces.values()
            if isinstance(ws, dict)
            for field in (
                "dependencies",
                "devDependencies",
                "optionalDependencies",
                "peerDependencies",
            )
            for name in as_dict(ws.get(field))
        }
        root = workspaces.get("") if isinstance(workspaces, dict) else None
        if isinstance(root, dict):
            result.project_name = root.get("name")
        for key, entry in as_dict(data.get("packages")).items():
            line = cursor.take(key)
            if not isinstance(entry, list) or not entry or not isinstance(entry[0], str):
                result.diagnostics.append(
                    diagnostic(path, f"could not extract {key!r}: malformed entry", line)
                )
                continue
            name, spec = _split_spec(entry[0])
            commit = None
            version = spec
            if not spec[:1].isdigit():
                match = _COMMIT.search(spec)
                commit = match.group(1) if match else None
                version = ""
            integrity = entry[3] if len(entry) > 3 and isinstance(entry[3], str) else None
            comp = component(
                self.ecosystem,
                name,
                version,
                path=path,
                line=line,
                hashes=sri_hashes(integrity),
                commit=commit,
                direct=key in direct_names if direct_names else None,
            )
            if commit or not version:
                comp.ref = f"{comp.purl}#{commit or key}"
            result.components.append(comp)
        return result


PARSERS = (BunLockParser(),)
