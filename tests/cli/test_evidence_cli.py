"""`steward evidence pack` / `verify` end to end: a signed, reproducible pack; verification
exit codes; bad input (exit 2, one line, nothing written)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.documents.conftest import FINDINGS
from tests.documents.project import ANSWERS, make_project


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    return make_project(tmp_path_factory.mktemp("pack") / "widget", shared_data, answers=ANSWERS)


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_pack_sign_verify(cli, project: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764374400")
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"release@acme.example {Path(f'{key}.pub').read_text()}")
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    for target in (first, second):
        result = cli("evidence", "pack", str(project), "-o", str(target), "--sign-key", str(key),
                     "--vulns", str(FINDINGS))  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert "signed" in result.stderr
    assert first.read_bytes() == second.read_bytes()
    ok = cli("evidence", "verify", str(first), "--allowed-signers", str(signers))
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    assert "OK signature by release@acme.example" in ok.stdout
    unchecked = cli("evidence", "verify", str(first))
    assert unchecked.exit_code == 0 and "signature was not checked" in unchecked.stderr
    tampered = tmp_path / "t.zip"
    with zipfile.ZipFile(first) as old, zipfile.ZipFile(tampered, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "documents/annex-v.md":
                data = data.replace(b"Berlin", b"Paris")
            new.writestr(info, data)
    bad = cli("evidence", "verify", str(tampered), "--allowed-signers", str(signers))
    assert bad.exit_code == 1
    assert "FAIL documents/annex-v.md: SHA-256 differs from the manifest" in bad.stdout


def test_bad_input(cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.zip"
    not_zip = tmp_path / "text.zip"
    not_zip.write_text("hello")
    cases = [
        (("evidence", "pack", str(project)), "--output FILE is required"),
        (("evidence", "pack", str(project), "-o", str(out), "--sign-key", str(tmp_path / "k")),
         "--sign-key"),
        (("evidence", "pack", str(project), "-o", str(out), "--document", "annex-xx"),
         "unknown document 'annex-xx'"),
        (("evidence", "pack", str(tmp_path / "nowhere"), "-o", str(out)),
         "nowhere: not a directory"),
        (("evidence", "verify", str(not_zip)), "text.zip: not a readable ZIP archive"),
        (("evidence", "verify", str(tmp_path / "none.zip")), "none.zip"),
    ]  # fmt: skip
    for args, message in cases:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr, (message, result.stderr)
        assert "Traceback" not in result.stderr
    assert not out.exists()
