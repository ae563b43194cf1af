"""`steward sbom` and `steward sbom check` end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


@pytest.fixture
def project(shared_data: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "web").mkdir(parents=True)
    (root / "api").mkdir()
    lockfiles = shared_data / "lockfiles"
    shutil.copyfile(lockfiles / "javascript-yarnlock/commits.v1.lock", root / "web" / "yarn.lock")
    shutil.copyfile(
        lockfiles / "python-poetrylock/multiple-packages.v2.lock", root / "api/poetry.lock"
    )
    (root / "node_modules" / "x").mkdir(parents=True)
    shutil.copyfile(
        lockfiles / "rust-cargolock/one-package.lock", root / "node_modules/x/Cargo.lock"
    )
    return root


def test_generate_to_stdout_and_file(cli, project: Path, tmp_path: Path) -> None:
    result = cli("sbom", str(project), "--creator-email", "sec@example.org")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["bomFormat"] == "CycloneDX" and doc["specVersion"] == "1.6"
    purls = {c.get("purl", "") for c in doc["components"]}
    assert any(p.startswith("pkg:npm/") for p in purls)
    assert any(p.startswith("pkg:pypi/") for p in purls)
    assert not any(p.startswith("pkg:cargo/") for p in purls)  # node_modules is skipped
    assert "components from 2 files" in result.stderr
    vendored = json.loads(cli("sbom", "generate", str(project), "--include-vendored").stdout)
    assert any(c.get("purl", "").startswith("pkg:cargo/") for c in vendored["components"])
    out = tmp_path / "bom.spdx.json"
    written = cli("sbom", str(project), "-f", "spdx-json", "-o", str(out))
    assert written.exit_code == 0 and json.loads(out.read_text())["spdxVersion"] == "SPDX-2.3"


def test_split_writes_one_sbom_per_project(cli, project: Path, tmp_path: Path) -> None:
    target = tmp_path / "boms"
    target.mkdir()
    result = cli("sbom", str(project), "--split", "-o", str(target), "-f", "cyclonedx-xml")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["api.cdx.xml", "web.cdx.xml"]


def test_check_scores_and_gates(cli, project: Path, tmp_path: Path) -> None:
    bom = tmp_path / "bom.json"
    cli("sbom", str(project), "-o", str(bom), "--creator-email", "sec@example.org")
    table = cli("sbom", "check", str(bom))
    assert table.exit_code == 0 and "BSI TR-03183-2" in table.stdout and "NTIA" in table.stdout
    report = json.loads(cli("sbom", "check", str(bom), "-f", "json", "-s", "tr-03183-2").stdout)
    assert [s["standard"] for s in report["standards"]] == ["tr-03183-2"]
    fields = {f["id"]: f for f in report["standards"][0]["fields"]}
    assert fields["sbom-creator"]["coverage"] == 100.0
    assert report["score"] == report["standards"][0]["score"]
    assert cli("sbom", "check", str(bom), "--min", "100").exit_code == 1
    assert cli("sbom", "check", str(bom), "--min", "1").exit_code == 0
    markdown = cli("sbom", "check", str(bom), "-f", "markdown").stdout
    assert markdown.startswith("# SBOM quality")


def test_errors_are_one_line(cli, tmp_path: Path) -> None:
    missing = cli("sbom", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "Traceback" not in missing.stderr
    empty = cli("sbom", str(tmp_path))
    assert empty.exit_code == 2 and "no lockfile" in empty.stderr
    bad = tmp_path / "package-lock.json"
    bad.write_text('{"lockfileVersion": 3, "packages": ')
    broken = cli("sbom", str(tmp_path))
    assert broken.exit_code == 2 and "package-lock.json" in broken.stderr
    assert cli("sbom", str(bad), "--parser", "nonsense").exit_code == 2
    notsbom = cli("sbom", "check", str(bad))
    assert notsbom.exit_code == 2 and "invalid JSON" in notsbom.stderr


def test_spec_version_1_7(cli, project: Path, tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from cyclonedx.validation.xml import XmlValidator

    out = tmp_path / "bom.cdx.json"
    result = cli("sbom", str(project), "--spec-version", "1.7", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert JsonStrictValidator(SchemaVersion.V1_7).validate_str(out.read_text()) is None
    xml = cli("sbom", str(project), "-f", "cyclonedx-xml", "--spec-version", "1.7")
    assert XmlValidator(SchemaVersion.V1_7).validate_str(xml.stdout) is None
    # read back by sbom check (CycloneDX 1.7 passes the format field)
    report = json.loads(cli("sbom", "check", str(out), "-f", "json").stdout)
    assert report["format"].startswith("CycloneDX 1.7")
    wrong = cli("sbom", str(project), "--spec-version", "1.7", "-f", "spdx-json")
    assert wrong.exit_code == 2 and "--spec-version" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    unknown = cli("sbom", str(project), "--spec-version", "1.5")
    assert unknown.exit_code == 2 and "Traceback" not in unknown.stderr


def test_security_txt_reaches_the_check(cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "bom.cdx.json"
    url = "https://example.org/.well-known/security.txt"
    assert cli("sbom", str(project), "--security-txt", url, "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    assert doc["metadata"]["component"]["externalReferences"] == [{"type": "rfc-9116", "url": url}]
    report = json.loads(cli("sbom", "check", str(out), "-f", "json", "-s", "tr-03183-2").stdout)
    fields = {f["id"]: f for f in report["standards"][0]["fields"]}
    assert fields["security-txt"]["coverage"] == 100.0
    assert report["validation"]["valid"] is True
    bad = cli("sbom", str(project), "--security-txt", "http://x")
    assert bad.exit_code == 2 and "--security-txt" in bad.stderr and "Traceback" not in bad.stderr


@pytest.fixture
def with_fixtures(shared_data: Path, project: Path) -> Path:
    """The project plus lockfiles of the kinds a repository keeps for its tests and
    examples: a parser's fixtures, Perl/Git's `t/`, Meson's `test cases/`, an example app."""
    lockfiles = shared_data / "lockfiles"
    for where in ("tests/fixtures/old", "t/data", "test cases/rust/5 workspace", "examples/app"):
        (project / where).mkdir(parents=True)
        shutil.copyfile(
            lockfiles / "rust-cargolock/one-package.lock", project / where / "Cargo.lock"
        )
    return project


def test_lockfiles_of_tests_and_examples_are_left_out_and_named(cli, with_fixtures: Path) -> None:
    result = cli("sbom", str(with_fixtures))
    assert result.exit_code == 0, result.stderr
    purls = {c.get("purl", "") for c in json.loads(result.stdout)["components"]}
    assert purls and not any(p.startswith("pkg:cargo/") for p in purls)
    assert "components from 2 files" in result.stderr
    # the first left out (sorted) is named, with the count of the others and the option
    assert "left out examples/app/Cargo.lock and 3 more" in result.stderr
    assert "--include-tests" in result.stderr
    included = cli("sbom", str(with_fixtures), "--include-tests")
    assert included.exit_code == 0, included.stderr
    assert "components from 6 files" in included.stderr and "left out" not in included.stderr
    assert any(
        c.get("purl", "").startswith("pkg:cargo/")
        for c in json.loads(included.stdout)["components"]
    )


def test_a_tree_with_only_fixture_lockfiles_says_why_nothing_was_found(
    cli, shared_data: Path, tmp_path: Path
) -> None:
    root = tmp_path / "parser"
    (root / "testdata").mkdir(parents=True)
    shutil.copyfile(
        shared_data / "lockfiles/rust-cargolock/one-package.lock", root / "testdata/Cargo.lock"
    )
    result = cli("sbom", str(root))
    assert result.exit_code == 2
    assert "no lockfile or manifest found" in result.stderr
    assert "left out testdata/Cargo.lock under test or example directories" in result.stderr
    assert "Traceback" not in result.stderr
    # the directory itself named as PATH is read: only directories below PATH are left out
    assert cli("sbom", str(root / "testdata")).exit_code == 0


def test_a_requirements_directory_is_read(cli, tmp_path: Path) -> None:
    """pip-tools' ``requirements/`` layout (held-out-12a: multidict) gives components."""
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "base.txt").write_text("requests==2.31.0\nidna==3.6\n")
    (tmp_path / "requirements" / "dev.txt").write_text("-r base.txt\npytest==8.0.0\n")
    out = tmp_path / "bom.json"
    result = cli("sbom", str(tmp_path), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    names = sorted(c["name"] for c in json.loads(out.read_text())["components"])
    assert names == ["idna", "pytest", "requests"]
