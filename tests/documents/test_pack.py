"""The evidence pack: deterministic bytes, a manifest that covers every file, an SSH
signature that covers the manifest, and verification that catches every kind of tampering."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from steward.documents import pack as packs
from steward.documents.inputs import gather
from steward.documents.kinds import resolve
from steward.documents.packing import build_pack, documents_for
from steward.errors import InputError
from tests.documents.conftest import FINDINGS

EPOCH = 1764374400  # 2025-11-29T00:00:00Z
VEX = "sboms/cyclonedx-bom-examples/VEX/vex.json"
needs_ssh = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")


def _build(root: Path, shared_data: Path, cases_db: Path | None = None) -> packs.Pack:
    db = str(cases_db) if cases_db else None
    inputs = gather(root, role="manufacturer", vulns_file=FINDINGS,
                    vex_files=[shared_data / VEX], db=db)  # fmt: skip
    return build_pack(inputs, documents_for(inputs, None), root=root, vulns_file=FINDINGS,
                      vex_files=[shared_data / VEX])  # fmt: skip


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def _key(tmp_path: Path, name: str) -> tuple[Path, Path]:
    key = tmp_path / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
                   check=True)  # fmt: skip
    signers = tmp_path / f"{name}.allowed"
    signers.write_text(f"{name}@example.org {Path(f'{key}.pub').read_text()}")
    return key, signers


def test_pack_contents_and_manifest(
    epoch: None, full_project: Path, cases_db: Path, shared_data: Path, tmp_path: Path
) -> None:
    built = _build(full_project, shared_data, cases_db)
    target = tmp_path / "pack.zip"
    packs.write(built, target)
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        for info in zf.infolist():
            assert info.date_time == (2025, 11, 29, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.extra == b""
        contents = {n: zf.read(n) for n in names}
    assert names == sorted(names)
    # the manufacturer's documents (scope decided by the answers), both SBOM standards, the
    # assessment in three formats, findings, VEX, the advisory and the Art. 14 reports
    for name in ("annex-ii", "annex-vii", "annex-v", "annex-vi"):
        assert f"documents/{name}.md" in names and f"documents/{name}.html" in names
    for expected in (
        "sbom/sbom.cdx.json", "sbom/sbom.spdx3.json", "assessment/assessment.json",
        "assessment/assessment.sarif", "assessment/assessment.oscal.json",
        "vulnerabilities/findings.json", "vex/vex.json", "catalog/catalog.json",
    ):  # fmt: skip
        assert expected in names, expected
    # case ids are random (STW-YYYY-XXXXXX): one case, its advisory and its early warning
    advisories = [n for n in names if re.fullmatch(r"advisories/STW-2026-[0-9A-Z]+\.osv\.json", n)]
    assert len(advisories) == 1, names
    case_id = advisories[0].removeprefix("advisories/").removesuffix(".osv.json")
    assert f"reports/{case_id}-early_warning.json" in names
    assert json.loads(contents["sbom/sbom.cdx.json"])["specVersion"] == "1.6"
    assert "spdx.org/rdf/3.0.1" in json.loads(contents["sbom/sbom.spdx3.json"])["@context"]
    assert manifest["format"] == "steward-evidence-pack/1"
    assert manifest["created"] == "2025-11-29T00:00:00Z"
    assert manifest["subject"]["role"] == "manufacturer"
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(names) - {"manifest.json"}
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(contents[name]).hexdigest()
        assert entry["size"] == len(contents[name]) and entry["description"]
    assert contents["vex/vex.json"] == (shared_data / VEX).read_bytes()
    assert any(i["what"].startswith("Vulnerability findings") for i in manifest["inputs"])
    assert any(i["what"].startswith("VEX (CycloneDX, ") for i in manifest["inputs"])
    result = packs.verify(target)
    assert result.ok and result.files == len(listed) and not result.signed


def test_reproducible_byte_for_byte(
    epoch: None, full_project: Path, shared_data: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    packs.write(_build(full_project, shared_data), first)
    packs.write(_build(full_project, shared_data), second)
    assert first.read_bytes() == second.read_bytes()


def test_missing_items_are_in_the_manifest(
    epoch: None, bare_project: Path, full_project: Path, tmp_path: Path
) -> None:
    inputs = gather(bare_project, role="project")
    built = build_pack(inputs, documents_for(inputs, None), root=bare_project)
    names = {f.path for f in built.files}
    assert "documents/art25-attestation.md" in names  # undecided role: the attestation
    assert "documents/art25-attestation.json" not in names  # incomplete, so not issued
    missing = {(m["document"], m["ref"]) for m in built.missing}
    # the role is undecided: no Art. 14 duty is established, so no case store is missing
    assert ("cases", "Annex I Part II (4), Art. 14") not in missing
    assert ("art25-attestation", "AU.01") in missing
    manufacturer = gather(full_project, role="manufacturer")
    made = build_pack(manufacturer, documents_for(manufacturer, None), root=full_project)
    assert ("cases", "Annex I Part II (4), Art. 14") in {
        (m["document"], m["ref"]) for m in made.missing
    }


@needs_ssh
def test_signed_pack_verifies_and_is_reproducible(
    epoch: None, full_project: Path, shared_data: Path, tmp_path: Path
) -> None:
    key, signers = _key(tmp_path, "alice")
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    packs.write(_build(full_project, shared_data), first, sign_key=key)
    packs.write(_build(full_project, shared_data), second, sign_key=key)
    assert first.read_bytes() == second.read_bytes()  # Ed25519 signatures are deterministic
    result = packs.verify(first, allowed_signers=signers)
    assert result.ok and result.signed and result.signer == "alice@example.org"
    with zipfile.ZipFile(first) as zf:
        assert zf.read("manifest.json.sig").startswith(b"-----BEGIN SSH SIGNATURE-----")
    _, other = _key(tmp_path, "mallory")
    wrong = packs.verify(first, allowed_signers=other)
    assert not wrong.ok and "not made by a key in" in wrong.problems[0]
    named = packs.verify(first, allowed_signers=signers, identity="bob@example.org")
    assert not named.ok and "does not verify" in named.problems[0]


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> None:
    """Copy a zip, replacing (bytes), removing (None) or adding members."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                continue
            new.writestr(info, old.read(info.filename))
        for name, data in change.items():
            if data is not None:
                new.writestr(name, data)


@needs_ssh
def test_tampering_is_caught(
    epoch: None, full_project: Path, shared_data: Path, tmp_path: Path
) -> None:
    key, signers = _key(tmp_path, "alice")
    original = tmp_path / "pack.zip"
    packs.write(_build(full_project, shared_data), original, sign_key=key)
    with zipfile.ZipFile(original) as zf:
        annex = zf.read("documents/annex-ii.md")
        manifest = json.loads(zf.read("manifest.json"))
    forged = annex.replace(b"Acme Widgets GmbH", b"Someone Else Ltd")
    cases = {
        "changed": ({"documents/annex-ii.md": forged}, "SHA-256 differs"),
        "removed": ({"documents/annex-ii.md": None}, "missing from the archive"),
        "added": ({"documents/extra.md": b"hello"}, "not listed in the manifest"),
    }
    for label, (change, message) in cases.items():
        target = tmp_path / f"{label}.zip"
        _rewrite(original, target, change)
        result = packs.verify(target)
        assert not result.ok and any(message in p for p in result.problems), label
    # a forger who also fixes the manifest's hash is caught by the signature
    for entry in manifest["files"]:
        if entry["path"] == "documents/annex-ii.md":
            entry["sha256"] = hashlib.sha256(forged).hexdigest()
            entry["size"] = len(forged)
    target = tmp_path / "re-hashed.zip"
    _rewrite(original, target, {"documents/annex-ii.md": forged,
                                "manifest.json": json.dumps(manifest).encode()})  # fmt: skip
    assert packs.verify(target).ok  # the hashes alone match now ...
    result = packs.verify(target, allowed_signers=signers)
    assert not result.ok and "manifest.json.sig" in result.problems[0]  # ... the signature not
    unsigned = tmp_path / "unsigned.zip"
    _rewrite(original, unsigned, {"manifest.json.sig": None})
    result = packs.verify(unsigned, allowed_signers=signers)
    assert not result.ok and "no signature" in result.problems[0]


def test_hostile_or_foreign_archives_are_input_errors(tmp_path: Path) -> None:
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(InputError, match=r"no manifest\.json"):
        packs.verify(plain)
    traversal = tmp_path / "evil.zip"
    with zipfile.ZipFile(traversal, "w") as zf:
        zf.writestr("../evil.txt", "x")
    with pytest.raises(InputError, match="unsafe path"):
        packs.verify(traversal)
    text = tmp_path / "notazip.zip"
    text.write_text("not a zip")
    with pytest.raises(InputError, match="not a readable ZIP"):
        packs.verify(text)
    wrong = tmp_path / "other.zip"
    with zipfile.ZipFile(wrong, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "something-else", "files": []}))
    with pytest.raises(InputError, match="is not steward-evidence-pack/1"):
        packs.verify(wrong)


def test_never_replaces_a_symlink(tmp_path: Path) -> None:
    built = packs.Pack(created=datetime(2026, 1, 1, tzinfo=UTC))
    built.add("documents/a.md", "a", "a")
    real = tmp_path / "real.zip"
    real.write_bytes(b"keep me")
    link = tmp_path / "link.zip"
    link.symlink_to(real)
    with pytest.raises(InputError, match="not a regular file"):
        packs.write(built, link)
    assert real.read_bytes() == b"keep me" and link.is_symlink()
    with pytest.raises(ValueError, match="not a pack member name"):
        built.add("../x", "x", "x")


def test_documents_can_be_chosen(bare_project: Path) -> None:
    inputs = gather(bare_project, role="project")
    chosen = documents_for(inputs, ["declaration", "annex-v", "attestation"])
    assert [k.name for k in chosen] == ["annex-v", "art25-attestation"]
    assert resolve("user-information").name == "annex-ii"


def test_a_given_sbom_must_come_in_both_forms(
    epoch: None, full_project: Path, shared_data: Path, tmp_path: Path
) -> None:
    """Reproducer: with --sbom the pack held only the file given (here CycloneDX 1.3), and the
    manifest did not say that the CycloneDX 1.6+ and SPDX 3.0.1 forms were missing."""
    from steward.sbom import write_cyclonedx

    old = shared_data / "sboms/cyclonedx-bom-examples/VEX/bom.json"
    inputs = gather(full_project, role="manufacturer", sbom_file=old)
    built = build_pack(inputs, documents_for(inputs, None), root=full_project, sbom_files=[old])
    assert [f.path for f in built.files if f.path.startswith("sbom/")] == ["sbom/bom.json"]
    sbom_missing = [m["what"] for m in built.missing if m["document"] == "sbom"]
    assert sbom_missing == [
        "the SBOM as CycloneDX 1.6 or newer (given: CycloneDX 1.3)",
        "the SBOM as SPDX 3.0.1 or newer (given: CycloneDX 1.3)",
    ]
    computed = gather(full_project, role="manufacturer").sbom_model
    assert computed is not None
    cdx = tmp_path / "widget.cdx.json"
    cdx.write_bytes(write_cyclonedx.to_json(computed))
    spdx3 = shared_data / "sboms/spdx-examples/software/example13/spdx3.0/example13.spdx3.json"
    both = build_pack(inputs, documents_for(inputs, None), root=full_project,
                      sbom_files=[cdx, spdx3])  # fmt: skip
    assert not [m for m in both.missing if m["document"] == "sbom"]
    described = {f.path: f.description for f in both.files}
    assert described["sbom/widget.cdx.json"] == "SBOM, CycloneDX 1.6 (json)"


@needs_ssh
def test_a_swapped_manifest_is_caught_even_with_a_good_signature(
    epoch: None, full_project: Path, bare_project: Path, shared_data: Path, tmp_path: Path
) -> None:
    """The manifest and its valid signature taken from another pack by the same signer: the
    signature verifies, the files do not."""
    key, signers = _key(tmp_path, "alice")
    first, other = tmp_path / "first.zip", tmp_path / "other.zip"
    packs.write(_build(full_project, shared_data), first, sign_key=key)
    inputs = gather(bare_project, role="project")
    packs.write(build_pack(inputs, documents_for(inputs, None), root=bare_project), other,
                sign_key=key)  # fmt: skip
    assert packs.verify(other, allowed_signers=signers).ok
    with zipfile.ZipFile(other) as zf:
        swap = {name: zf.read(name) for name in ("manifest.json", "manifest.json.sig")}
    swapped = tmp_path / "swapped.zip"
    _rewrite(first, swapped, dict(swap))
    result = packs.verify(swapped, allowed_signers=signers)
    assert result.signer == "alice@example.org"  # the signature itself is genuine ...
    assert not result.ok  # ... and the archive is not the one it signed
    assert any("not listed in the manifest (added)" in p for p in result.problems)
    assert any("SHA-256 differs" in p or "missing from the archive" in p for p in result.problems)


def test_verify_identity_needs_allowed_signers(cli, tmp_path: Path) -> None:
    built = packs.Pack(created=datetime(2026, 1, 1, tzinfo=UTC))
    built.add("documents/a.md", "a", "a")
    target = tmp_path / "p.zip"
    packs.write(built, target)
    result = cli("evidence", "verify", str(target), "--identity", "alice@example.org")
    assert result.exit_code == 2
    assert "--identity needs --allowed-signers" in result.stderr
