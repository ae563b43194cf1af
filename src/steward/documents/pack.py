"""The evidence pack: one archive an auditor or market surveillance authority can check.

Contents (paths inside the zip):

- ``documents/``: the CRA documents for the role (Markdown and HTML, PDF with ``pdf``), the
  Art. 25 attestation as template-lite JSON when it is complete;
- ``sbom/``: the SBOM given, or CycloneDX 1.6 and SPDX 3.0.1 built from the lockfiles;
- ``assessment/``: the assessment as JSON, SARIF 2.1.0 and OSCAL assessment-results;
- ``vulnerabilities/``, ``vex/``: the findings and VEX documents given;
- ``advisories/``, ``reports/``: OSV records of published cases and the Art. 14 report
  payloads whose clocks have started, from the case store;
- ``catalog/catalog.json``: the version of the Steward common standard used;
- ``manifest.json``: every other file with its SHA-256 and size, the subject (project,
  revision), what each document still misses, and the inputs;
- ``manifest.json.sig``: optionally, an SSH signature of the manifest (``ssh-keygen -Y sign``,
  namespace ``steward-evidence``), which covers every file through its hash.

The zip is deterministic: members sorted by name, every timestamp set to the pack's time
(``SOURCE_DATE_EPOCH`` when set), mode 0644, no extra fields, DEFLATE at level 9; with the
same inputs and ``SOURCE_DATE_EPOCH``, two runs give the same bytes (an Ed25519 or RSA SSH
signature is deterministic too). It is written through a temporary file and renamed into
place (:func:`steward.safeio.atomic_writer`); reading one back goes through
:func:`steward.safeio.iter_zip` (size, ratio and path limits).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from steward import __version__
from steward.errors import InputError, UsageError
from steward.safeio import ZipLimits, atomic_writer, iter_zip, loads_json

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
NAMESPACE = "steward-evidence"
FORMAT = "steward-evidence-pack/1"
_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PackFile:
    """One file of the pack: its path in the archive, content and what it is."""

    path: str
    data: bytes
    description: str


@dataclass
class Pack:
    """The files and the manifest's other facts (subject, missing items, inputs)."""

    created: datetime
    files: list[PackFile] = field(default_factory=list)
    subject: dict[str, Any] = field(default_factory=dict)
    missing: list[dict[str, str]] = field(default_factory=list)
    inputs: list[dict[str, str]] = field(default_factory=list)

    def add(self, path: str, data: bytes | str, description: str) -> None:
        clean = PurePosixPath(path)
        if clean.is_absolute() or ".." in clean.parts or path in (MANIFEST, SIGNATURE):
            raise ValueError(f"not a pack member name: {path!r}")
        if any(f.path == path for f in self.files):
            raise ValueError(f"two pack members named {path!r}")
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.files.append(PackFile(path, raw, description))

    def manifest(self) -> bytes:
        """The manifest: stable keys, files sorted by path, indented JSON."""
        document = {
            "format": FORMAT,
            "generator": {"name": "steward", "version": __version__},
            "created": self.created.isoformat().replace("+00:00", "Z"),
            "subject": self.subject,
            "files": [
                {
                    "path": f.path,
                    "sha256": hashlib.sha256(f.data).hexdigest(),
                    "size": len(f.data),
                    "description": f.description,
                }
                for f in sorted(self.files, key=lambda f: f.path)
            ],
            "missing": self.missing,
            "inputs": self.inputs,
        }
        return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


# --------------------------------------------------------------------------------- writing


def _info(name: str, when: datetime) -> zipfile.ZipInfo:
    stamp = max(when, _ZIP_EPOCH).astimezone(UTC)
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so the mode below is read
    info.external_attr = 0o100644 << 16
    return info


def archive_bytes(pack: Pack, signature: bytes | None = None) -> list[tuple[str, bytes]]:
    """The members in archive order: sorted by path, the manifest and signature included."""
    members = [(f.path, f.data) for f in pack.files]
    members.append((MANIFEST, pack.manifest()))
    if signature is not None:
        members.append((SIGNATURE, signature))
    return sorted(members)


def write(pack: Pack, target: Path, *, sign_key: Path | None = None) -> bytes:
    """Write the pack to ``target`` (:func:`steward.safeio.atomic_writer`'s rules: a regular
    file replaced atomically, a device or FIFO written straight to and never replaced, a
    directory refused); returns the manifest written. Like every document output
    (:mod:`steward.documents.outputs`) an existing target must be a regular file: a symlink,
    device or FIFO is refused, never replaced."""
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise InputError("not a regular file; refusing to replace it", source=target)
    manifest = pack.manifest()
    signature = sign(manifest, sign_key) if sign_key is not None else None
    with atomic_writer(target, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
        for name, data in archive_bytes(pack, signature):
            zf.writestr(_info(name, pack.created), data, compresslevel=9)
    return manifest


def _ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if found is None:
        raise UsageError("signing and verifying need ssh-keygen (OpenSSH 8.1 or newer)")
    return found


def _run(args: list[str], *, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, input=stdin, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"ssh-keygen failed: {exc}") from None


def _last_line(data: bytes) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "no message"


def sign(manifest: bytes, key: Path) -> bytes:
    """An SSH signature of ``manifest`` (``ssh-keygen -Y sign -n steward-evidence``)."""
    if not key.is_file():
        raise InputError("no such key file", source=key)
    tool = _ssh_keygen()
    with tempfile.TemporaryDirectory(prefix="steward-sign-") as tmp:
        target = Path(tmp) / MANIFEST
        target.write_bytes(manifest)
        done = _run([tool, "-Y", "sign", "-q", "-f", str(key), "-n", NAMESPACE, str(target)])
        sig = target.with_name(SIGNATURE)
        if done.returncode != 0 or not sig.is_file():
            raise InputError(f"cannot sign: {_last_line(done.stderr)}", source=key)
        return sig.read_bytes()


# ------------------------------------------------------------------------------- verifying


@dataclass
class Verification:
    """What ``steward evidence verify`` found: ``problems`` (empty: every file is intact),
    whether a signature is present, and who signed it when it was verified."""

    files: int = 0
    problems: list[str] = field(default_factory=list)
    signed: bool = False
    signer: str | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def verify(
    path: Path, *, allowed_signers: Path | None = None, identity: str | None = None
) -> Verification:
    """Check every file against the manifest and, with ``allowed_signers``, the signature.

    Problems (a changed, missing or unlisted file, a bad signature) are collected, not
    raised; an unreadable or hostile archive is an :class:`InputError`.
    """
    members: dict[str, bytes] = {}
    for name, data in iter_zip(path, limits=ZipLimits(max_members=100_000)):
        if name in members:
            raise InputError(f"archive member {name!r} appears twice", source=path)
        members[name] = data
    result = Verification(signed=SIGNATURE in members)
    raw = members.get(MANIFEST)
    if raw is None:
        raise InputError(f"not an evidence pack: no {MANIFEST}", source=path)
    manifest = loads_json(raw, source=f"{path}:{MANIFEST}")
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"not an evidence pack: {MANIFEST} is not {FORMAT}", source=path)
    if not isinstance(files, list):
        raise InputError(f"{MANIFEST}: no 'files' list", source=path)
    result.manifest = manifest
    listed: set[str] = set()
    for entry in files:
        listed_path = entry.get("path") if isinstance(entry, dict) else None
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if (
            not isinstance(listed_path, str)
            or not isinstance(digest, str)
            or not _HEX64.match(digest)
        ):
            result.problems.append(f"{MANIFEST}: an entry without a path and a SHA-256")
            continue
        listed.add(listed_path)
        content = members.get(listed_path)
        if content is None:
            result.problems.append(
                f"{listed_path}: listed in the manifest, missing from the archive"
            )
        elif hashlib.sha256(content).hexdigest() != digest:
            result.problems.append(f"{listed_path}: SHA-256 differs from the manifest (changed)")
        elif entry.get("size") != len(content):
            result.problems.append(f"{listed_path}: size differs from the manifest")
        else:
            result.files += 1
    for name in sorted(set(members) - listed - {MANIFEST, SIGNATURE}):
        result.problems.append(f"{name}: in the archive, not listed in the manifest (added)")
    if result.signed and allowed_signers is not None:
        _check_signature(result, raw, members[SIGNATURE], allowed_signers, identity)
    elif allowed_signers is not None:
        result.problems.append(f"no signature ({SIGNATURE}) to check against {allowed_signers}")
    return result


def _check_signature(
    result: Verification,
    manifest: bytes,
    signature: bytes,
    allowed_signers: Path,
    identity: str | None,
) -> None:
    if not allowed_signers.is_file():
        raise InputError("no such allowed signers file", source=allowed_signers)
    tool = _ssh_keygen()
    with tempfile.TemporaryDirectory(prefix="steward-verify-") as tmp:
        sig = Path(tmp) / SIGNATURE
        sig.write_bytes(signature)
        principals = [identity] if identity else _principals(tool, sig, allowed_signers)
        if not principals:
            result.problems.append(
                f"{SIGNATURE}: not made by a key in {allowed_signers} (or not a valid signature)"
            )
            return
        for principal in principals:
            done = _run(
                [
                    tool,
                    "-Y",
                    "verify",
                    "-f",
                    str(allowed_signers),
                    "-I",
                    principal,
                    "-n",
                    NAMESPACE,
                    "-s",
                    str(sig),
                ],
                stdin=manifest,
            )
            if done.returncode == 0:
                result.signer = principal
                return
        result.problems.append(
            f"{SIGNATURE}: does not verify ({_last_line(done.stderr or done.stdout)})"
        )


def _principals(tool: str, sig: Path, allowed_signers: Path) -> list[str]:
    done = _run([tool, "-Y", "find-principals", "-s", str(sig), "-f", str(allowed_signers)])
    if done.returncode != 0:
        return []
    return [line.strip() for line in done.stdout.decode().splitlines() if line.strip()]


def member_name(prefix: str, source: str, taken: set[str]) -> str:
    """``prefix/<file name of source>``, made unique among ``taken``."""
    base = PurePosixPath(source.replace("\\", "/")).name or "file"
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base)
    name = f"{prefix}/{base}"
    counter = 2
    while name in taken:
        stem, dot, ext = base.partition(".")
        name = f"{prefix}/{stem}-{counter}{dot}{ext}"
        counter += 1
    taken.add(name)
    return name
