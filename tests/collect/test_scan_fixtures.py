"""Committed secrets: test fixtures (keys for TLS tests) are not credentials; licences named
after the licence (epl-v20, edl-v10) are licence files."""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import collect_licenses
from steward.collect.scan import secrets
from steward.collect.tree import walk
from tests.collect.gitrepo import write

KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"
LICENSES = Path(__file__).resolve().parents[1] / "data" / "repos" / "licenses"


def test_test_keys_are_fixtures_not_secrets(tmp_path: Path) -> None:
    write(tmp_path, {"test/ssl/server.key": KEY, "deploy/prod.key": KEY,
                     "tests/fixtures/.env": "TOKEN=ghp_" + "a" * 36 + "\n"})  # fmt: skip
    found = secrets(walk(tmp_path))
    assert [(f.source.path, f.source.line) for f in found] == [("deploy/prod.key", 1)]


def test_test_directories_by_every_ecosystems_name_hold_fixtures(tmp_path: Path) -> None:
    # Perl's and Git's t/, Meson's "test cases", unit-tests, testsuite: keys there are test
    # material; a key beside the code (src/t_util/, a file named t) is still found
    write(tmp_path, {"t/certs/server.key": KEY, "test cases/ssl/ca.key": KEY,
                     "unit-tests/tls/client.key": KEY, "testsuite/keys/k.pem": KEY,
                     "src/t_util/k.pem": KEY, "conf/t": "x", "lib/server.key": KEY})  # fmt: skip
    found = secrets(walk(tmp_path))
    assert sorted(f.source.path for f in found) == ["lib/server.key", "src/t_util/k.pem"]


def test_compound_test_directory_names_hold_test_material(tmp_path: Path) -> None:
    # a test CA at the root (test-CA/ca-key.pem), keys in ssl_tests/ and a test keystore
    # under tests.d/ are test material; latest/ and contest-data/ are not test directories
    write(tmp_path, {"test-CA/ca-key.pem": KEY, "ssl_tests/server.key": KEY,
                     "tests.d/client.p12": "x", "latest/deploy.key": KEY,
                     "contest-data/k.pem": KEY, "certs/prod.jks": "x"})  # fmt: skip
    found = secrets(walk(tmp_path))
    assert sorted(f.source.path for f in found) == [
        "certs/prod.jks",
        "contest-data/k.pem",
        "latest/deploy.key",
    ]


def test_licence_files_named_after_the_licence(tmp_path: Path) -> None:
    write(tmp_path, {
        "LICENSE.txt": "Dual licensed under the EPL 2.0 and the EDL 1.0 (epl-v20, edl-v10).\n",
        "epl-v20": "Eclipse Public License - v 2.0\n\nTHE ACCOMPANYING PROGRAM IS PROVIDED...\n",
        "edl-v10": (LICENSES / "BSD-3-Clause").read_text(),
    })  # fmt: skip
    licences, _ = collect_licenses(walk(tmp_path))
    found = {lic.source.path: lic.spdx for lic in licences}
    assert found["edl-v10"] == "BSD-3-Clause" and found["LICENSE.txt"] is None
    assert found["epl-v20"] == "EPL-2.0"


def test_dockerfiles_of_examples_are_not_the_projects(tmp_path: Path) -> None:
    from steward.collect.dockerfiles import collect_dockerfiles

    write(tmp_path, {"Dockerfile": "FROM alpine:3\n", "examples/app/Dockerfile": "FROM node:22\n"})
    images, _, _ = collect_dockerfiles(walk(tmp_path))
    assert [i.source.path for i in images] == ["Dockerfile"]


def test_test_material_directories_by_their_other_names_hold_fixtures(tmp_path: Path) -> None:
    # held-out-9d: the keys of a test SFTP server under test_files/ (an id_rsa by name and
    # a *.key by content); test-assets/, testfiles/, test_certs/, test-vectors/ likewise. A
    # key in a directory that only starts like one (testimony/, attestation/) is still found
    write(tmp_path, {"test_files/sftp/id_rsa": KEY, "test_files/sftp/unknown.key": KEY,
                     "test-assets/tls/ca.key": KEY, "testfiles/k.pem": KEY,
                     "test_certs/client.key": KEY, "test-vectors/ecdsa.key": KEY,
                     "testimony/k.pem": KEY, "attestation/k.key": KEY})  # fmt: skip
    found = secrets(walk(tmp_path))
    assert sorted(f.source.path for f in found) == ["attestation/k.key", "testimony/k.pem"]


def test_manifests_under_test_material_directories_are_not_the_projects(tmp_path: Path) -> None:
    from steward.collect.tree import is_not_project_dir

    assert all(is_not_project_dir(n) for n in ("test_files", "Test-Data", "tests_assets",
                                               "test resources", "testsupport"))  # fmt: skip
    assert not any(is_not_project_dir(n) for n in ("testimony", "tested", "attest", "contest",
                                                    "test_runner_src"))  # fmt: skip
