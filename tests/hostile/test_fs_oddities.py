"""File-system oddities (issue 18, kind 8): odd names, loops, FIFOs, encodings, broken objects.

Each is one clear line or warning naming the file, never an internal error, and a FIFO is
refused before it is opened (reading one would block).
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.conftest import Outcome, Sandbox


def _no_crash(result: Outcome) -> None:
    assert "Traceback" not in result.text and "internal error" not in result.stderr, result.stderr


def test_non_utf8_file_names(sandbox: Sandbox, run_guarded: Callable[..., Outcome]) -> None:
    bad_dir = os.fsencode(sandbox.root) + b"/caf\xe9"
    os.mkdir(bad_dir)
    Path(os.fsdecode(bad_dir + b"/requirements.txt")).write_text("requests==2.31.0\n")
    Path(os.fsdecode(os.fsencode(sandbox.root) + b"/\xff.md")).write_text("notes\n")
    sbom = run_guarded("sbom", str(sandbox.root), "-o", str(sandbox.out))
    _no_crash(sbom)
    assert sbom.exit_code == 0 and "not valid UTF-8" in sbom.stderr
    assert '"flask"' in sandbox.out.read_text()
    assess = run_guarded("assess", str(sandbox.root), "-f", "json", "-o", str(sandbox.out))
    _no_crash(assess)
    assert assess.exit_code in (0, 1)
    json.loads(sandbox.out.read_text())


def test_symlink_loops(sandbox: Sandbox, run_guarded: Callable[..., Outcome]) -> None:
    (sandbox.root / "sub").mkdir()
    (sandbox.root / "sub" / "requirements.txt").symlink_to("requirements.txt")
    (sandbox.root / "loop").symlink_to("loop")
    for argv in (
        ("sbom", str(sandbox.root), "-o", str(sandbox.out)),
        ("assess", str(sandbox.root), "-o", str(sandbox.out)),
    ):
        result = run_guarded(*argv)
        _no_crash(result)
        assert result.exit_code in (0, 1), result.stderr
    sbom = run_guarded("sbom", str(sandbox.root), "-o", str(sandbox.out))
    assert "sub/requirements.txt" in sbom.stderr and "symbolic link loop" in sbom.stderr


def test_dir_where_a_file_is_expected_and_back(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    (sandbox.root / "package-lock.json").mkdir()
    result = run_guarded("sbom", str(sandbox.root), "-o", str(sandbox.out))
    _no_crash(result)
    assert result.exit_code == 0  # the directory is walked, not read as a lockfile
    lockfile = sandbox.base / "requirements.txt"
    lockfile.write_text("flask==3.0.0\n")
    as_root = run_guarded("cra", "scope", str(lockfile), "--no-input")
    _no_crash(as_root)
    assert as_root.exit_code == 2 and "requirements.txt" in as_root.stderr


@pytest.mark.parametrize("command", [("sbom", "check"), ("csaf", "validate")])
def test_xml_with_an_unknown_encoding(
    command: tuple[str, ...], sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    doc = sandbox.base / "doc.xml"
    doc.write_text('<?xml version="1.0" encoding="x-klingon"?>\n<bom/>\n')
    result = run_guarded(*command, str(doc))
    _no_crash(result)
    assert result.exit_code == 2 and "doc.xml" in result.stderr


def test_pom_with_an_unknown_encoding_is_a_warning(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    (sandbox.root / "pom.xml").write_text('<?xml version="1.0" encoding="x-klingon"?>\n<p/>\n')
    result = run_guarded("sbom", str(sandbox.root), "-o", str(sandbox.out))
    _no_crash(result)
    assert result.exit_code == 0 and "pom.xml" in result.stderr and "encoding" in result.stderr


def test_encrypted_zip_member(tmp_path: Path) -> None:
    from steward.errors import InputError
    from steward.safeio import iter_zip

    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("manifest.json", b"{}")
    data = bytearray(archive.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + flags_at] |= 0x1  # the "encrypted" flag: a reader needs a password
    archive.write_bytes(bytes(data))
    with pytest.raises(InputError, match="encrypted"):
        list(iter_zip(archive))


@pytest.mark.parametrize("command", [("evidence", "verify"), ("sbom", "check"), ("db", "import")])
def test_fifo_inputs_are_refused_up_front(
    command: tuple[str, ...], sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    fifo = sandbox.base / "input.zip"
    os.mkfifo(fifo)
    extra = ("--db", str(sandbox.db)) if command[0] == "db" else ()
    result = run_guarded(*command, str(fifo), *extra, limit=15)  # a blocked read times out
    _no_crash(result)
    assert result.exit_code == 2 and "input.zip" in result.stderr


def test_corrupt_git_object_is_an_error_not_a_fail(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(sandbox.base),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ann",
        "GIT_AUTHOR_EMAIL": "ann@example.org",
        "GIT_COMMITTER_NAME": "Ann",
        "GIT_COMMITTER_EMAIL": "ann@example.org",
    }
    root = sandbox.root
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "one")):
        subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)
    head = (
        subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], env=env, capture_output=True, check=True
        )
        .stdout.decode()
        .strip()
    )
    obj = root / ".git" / "objects" / head[:2] / head[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"this is not a zlib stream")
    result = run_guarded("assess", str(root), "-f", "json", "-o", str(sandbox.out))
    _no_crash(result)
    doc = json.loads(sandbox.out.read_text())
    findings = {f["requirement_id"]: f for f in doc["findings"]}
    assert "git log failed" in result.stderr  # a warning, naming the problem
    history = findings["STW-QA-01"]  # public source with a complete change history
    assert history["status"] == "error", history
    assert "git could not read the repository" in history["message"]
    assert not any(
        f["status"] == "fail" and "no git history" in f["message"] for f in findings.values()
    )
