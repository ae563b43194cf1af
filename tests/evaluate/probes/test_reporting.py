"""The ORC vulnerability handling probes on small hand-written repositories: collected from
the files (``collect_facts``), each verdict with its evidence at the exact file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from steward.collect.facts import Finding, ForgeData, Source
from steward.collect.run import collect_facts
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes import run_probe

API = "https://api.github.com/repos/acme/widget"
KEY = (
    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGVfakeAAAA\n=abcd\n"
    "-----END PGP PUBLIC KEY BLOCK-----\n"
)


def repo(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body).lstrip("\n"))
    return root


def check(
    tmp_path: Path, name: str, files: dict[str, str | bytes], forge: ForgeData | None = None
) -> ProbeOutcome:
    return run_probe(name, collect_facts(repo(tmp_path / "r", files), forge=forge))


def at(result: ProbeOutcome) -> list[str]:
    return [f"{e.path}:{e.line}" for e in result.evidence]


def github(**kw: object) -> ForgeData:
    return ForgeData(forge="github", url=API, default_branch="main", **kw)  # type: ignore[arg-type]


POLICY_MAIL = """
    # Security policy

    ## Reporting a vulnerability

    Please e-mail security@acme.example with the details.
    We acknowledge reports within 3 working days.
"""
POLICY_PVR = """
    # Security policy

    Report vulnerabilities through
    https://github.com/acme/widget/security/advisories/new only.
    We acknowledge reports within 3 working days and publish an advisory after the fix.
    Supported versions: the latest release.
    Please include a proof of concept, the affected version and your assessment.
    We credit reporters in the advisory unless they ask us not to.
    We do not pay bounties.
    Fixes are released before details are published.
    We follow coordinated disclosure with an embargo of at most 90 days.
    The list of advisories is on the Security tab of the repository.
    We assign CVE identifiers through GitHub's CNA.
    Questions about this policy go to the maintainers listed in MAINTAINERS.md.
    Thank you for helping to keep the project safe.
    This policy applies to all branches that receive releases.
    Reports about dependencies are welcome as well.
    Reports found by automatic tools are accepted.
    Older releases receive no fixes.
    Reporters are kept informed of progress every week.
    Last reviewed 2026-01-01.
"""


# ----------------------------------------------------------------- reporting_without_account


def test_account_free_by_e_mail(tmp_path: Path) -> None:
    result = check(tmp_path, "reporting_without_account", {"SECURITY.md": POLICY_MAIL})
    assert result.status == "pass"
    assert at(result) == ["SECURITY.md:5"]


def test_account_free_by_security_txt_alone(tmp_path: Path) -> None:
    files = {".well-known/security.txt": "# contact\nContact: mailto:psirt@acme.example\n"
             "Expires: 2030-01-01T00:00:00Z\n"}  # fmt: skip
    result = check(tmp_path, "reporting_without_account", files)
    assert result.status == "pass" and at(result) == [".well-known/security.txt:2"]


def test_only_forge_reporting_needs_an_account(tmp_path: Path) -> None:
    result = check(tmp_path, "reporting_without_account", {"SECURITY.md": POLICY_PVR})
    assert result.status == "fail", result.message
    assert "needs an account on the forge" in result.message
    assert "SECURITY.md:4" in at(result)
    with_forge = check(tmp_path / "2", "reporting_without_account", {"SECURITY.md": POLICY_PVR},
                       github(pvr_enabled=True))  # fmt: skip
    assert with_forge.status == "fail"
    assert any(e.url and e.url.endswith("/private-vulnerability-reporting")
               for e in with_forge.evidence)  # fmt: skip


def test_a_reporting_form_or_a_silent_policy_is_unknown(tmp_path: Path) -> None:
    form = {".well-known/security.txt": "Contact: https://acme.example/report\n"}
    result = check(tmp_path, "reporting_without_account", form)
    assert result.status == "unknown" and "cannot be checked offline" in result.message
    assert at(result) == [".well-known/security.txt:1"]
    silent = {"SECURITY.md": "# Security\n\nWe take security seriously and fix issues fast.\n"}
    result = check(tmp_path / "2", "reporting_without_account", silent)
    assert result.status == "unknown" and "forge's settings" in result.message
    assert at(result) == ["SECURITY.md:None"]
    result = check(tmp_path / "3", "reporting_without_account", silent, github(pvr_enabled=True))
    assert result.status == "fail"
    assert check(tmp_path / "4", "reporting_without_account", {}).status == "fail"


# ----------------------------------------------------------------------- report_encryption_key


def test_key_from_security_txt_encryption(tmp_path: Path) -> None:
    files = {".well-known/security.txt": "Contact: mailto:psirt@acme.example\n"
             "Encryption: https://acme.example/pgp-key.asc\n"}  # fmt: skip
    result = check(tmp_path, "report_encryption_key", files)
    assert result.status == "pass"
    assert ".well-known/security.txt:2" in at(result)


def test_key_block_in_the_policy_and_key_file_linked(tmp_path: Path) -> None:
    inline = POLICY_MAIL + "\n" + KEY
    result = check(tmp_path, "report_encryption_key", {"SECURITY.md": inline})
    assert result.status == "pass" and at(result) == ["SECURITY.md:8"]
    linked = POLICY_MAIL + "\nEncrypt with [our key](./security.asc).\n"
    result = check(tmp_path / "2", "report_encryption_key",
                   {"SECURITY.md": linked, "security.asc": "comment\n" + KEY})  # fmt: skip
    assert result.status == "pass"
    assert at(result) == ["SECURITY.md:8", "security.asc:2"]
    age = POLICY_MAIL + "\nage: age1" + "q" * 58 + "\n"
    assert check(tmp_path / "3", "report_encryption_key", {"SECURITY.md": age}).status == "pass"


def test_e_mail_without_a_key_fails(tmp_path: Path) -> None:
    private = KEY.replace("PUBLIC", "PRIVATE")  # a private key is no key for reports
    result = check(tmp_path, "report_encryption_key",
                   {"SECURITY.md": POLICY_MAIL, "security-key.asc": private})  # fmt: skip
    assert result.status == "fail"
    assert at(result) == ["SECURITY.md:5"]


def test_another_partys_key_file_is_no_key_for_reports(tmp_path: Path) -> None:
    # held-out-7c (fmtlib/fmt): support/llvm-snapshot.gpg.key, the key of apt.llvm.org that a
    # CI job installs, was taken for the project's key for encrypted reports ("gpg" in its
    # name is the format, not the purpose); so would an apt repository's keyring or a release
    # key. A key file whose name says it is for security reports, or is only "pgp-key", counts.
    files = {"SECURITY.md": POLICY_MAIL, "support/llvm-snapshot.gpg.key": KEY,
             "ci/docker-archive-keyring.gpg": KEY, "release-pgp.asc": KEY}  # fmt: skip
    result = check(tmp_path, "report_encryption_key", files)
    assert result.status == "fail", result.message
    assert check(tmp_path / "2", "report_encryption_key",
                 {"SECURITY.md": POLICY_PVR, "support/llvm-snapshot.gpg.key": KEY}
                 ).status == "not-applicable"  # fmt: skip
    for name in ("pgp-key.txt", "gpg.asc", "docs/security-team.asc"):
        result = check(tmp_path / name.replace("/", "_"), "report_encryption_key",
                       {"SECURITY.md": POLICY_MAIL, name: KEY})  # fmt: skip
        assert result.status == "pass", name


def test_no_e_mail_is_not_applicable_and_a_deferral_unknown(tmp_path: Path) -> None:
    pvr = check(tmp_path, "report_encryption_key", {"SECURITY.md": POLICY_PVR})
    assert pvr.status == "not-applicable"
    deferred = {"SECURITY.md": "# Security\n\nSee https://acme.example/security for how to "
                "report.\n"}  # fmt: skip
    result = check(tmp_path / "2", "report_encryption_key", deferred)
    assert result.status == "unknown"


# ------------------------------------------------------------ vulnerability_list_machine_readable

OSV = """
    {
      "schema_version": "1.6.0",
      "id": "GHSA-aaaa-bbbb-cccc",
      "modified": "2026-01-01T00:00:00Z",
      "affected": [{"package": {"ecosystem": "PyPI", "name": "widget"}}]
    }
"""
CSAF = """
    {
      "document": {
        "category": "csaf_security_advisory",
        "csaf_version": "2.0",
        "title": "widget"
      }
    }
"""


def test_osv_and_csaf_in_the_tree(tmp_path: Path) -> None:
    files = {"advisories/GHSA-aaaa-bbbb-cccc.json": OSV, "csaf/2026/acme-2026-001.json": CSAF,
             "advisories/notes.json": '{"id": "x"}'}  # fmt: skip
    result = check(tmp_path, "vulnerability_list_machine_readable", files)
    assert result.status == "pass"
    assert sorted(at(result)) == ["advisories/GHSA-aaaa-bbbb-cccc.json:3",
                                  "csaf/2026/acme-2026-001.json:4"]  # fmt: skip


def test_forge_advisories_count(tmp_path: Path) -> None:
    forge = github(advisories=(Finding(Source(url=f"{API}/security-advisories/GHSA-x"),
                                       "GHSA-x"),))  # fmt: skip
    result = check(tmp_path, "vulnerability_list_machine_readable", {}, forge)
    assert result.status == "pass" and result.evidence[0].url == f"{API}/security-advisories/GHSA-x"


def test_text_advisories_only(tmp_path: Path) -> None:
    files = {"docs/advisories/2026-01.md": "# CVE-2026-0001\n\nFixed in 1.2.\n"}
    unknown = check(tmp_path, "vulnerability_list_machine_readable", files)
    assert unknown.status == "unknown" and at(unknown) == ["docs/advisories/2026-01.md:1"]
    failed = check(tmp_path / "2", "vulnerability_list_machine_readable", files,
                   github(advisories=()))  # fmt: skip
    assert failed.status == "fail" and at(failed) == ["docs/advisories/2026-01.md:1"]
    nothing = check(tmp_path / "3", "vulnerability_list_machine_readable", {})
    assert nothing.status == "unknown"


# -------------------------------------------------------------- policy_in_distributed_source

HATCH = """
    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"

    [project]
    name = "widget"
    version = "1.0"
"""
SETUPTOOLS = HATCH.replace('"hatchling"', '"setuptools>=68"').replace(
    "hatchling.build", "setuptools.build_meta"
)


def test_policy_at_the_root_of_a_hatch_project(tmp_path: Path) -> None:
    files = {"SECURITY.md": POLICY_MAIL, "pyproject.toml": HATCH}
    result = check(tmp_path, "policy_in_distributed_source", files)
    assert result.status == "pass", result.message
    assert "git archive" in result.message and "Python sdist (hatchling)" in result.message
    assert "pyproject.toml:3" in at(result)


def test_setuptools_needs_manifest_in(tmp_path: Path) -> None:
    files = {"SECURITY.md": POLICY_MAIL, "pyproject.toml": SETUPTOOLS}
    result = check(tmp_path, "policy_in_distributed_source", files)
    assert result.status == "fail" and "MANIFEST.in" in result.message
    assert at(result) == ["pyproject.toml:3"]
    files["MANIFEST.in"] = "include README.md\ninclude SECURITY.md LICENSE\n"
    result = check(tmp_path / "2", "policy_in_distributed_source", files)
    assert result.status == "pass" and "MANIFEST.in:2" in at(result)
    files["MANIFEST.in"] += "exclude *.md\n"
    result = check(tmp_path / "3", "policy_in_distributed_source", files)
    assert result.status == "fail" and at(result) == ["MANIFEST.in:3"]
    scm = SETUPTOOLS.replace('"setuptools>=68"', '"setuptools>=68", "setuptools-scm>=8"')
    result = check(tmp_path / "4", "policy_in_distributed_source",
                   {"SECURITY.md": POLICY_MAIL, "pyproject.toml": scm})  # fmt: skip
    assert result.status == "pass"


FLIT = """\
[build-system]
requires = ["flit_core >=3.12"]
build-backend = "flit_core.buildapi"

[project]
name = "widget"
dynamic = ["version"]

[dependency-groups]
dev = [
  { include-group = "test" },
]
test = ["pytest"]

[tool.flit.sdist]
include = ["docs/", "CHANGELOG.rst"]
"""


def test_flit_include_at_its_own_line(tmp_path: Path) -> None:
    # held-out-6 (pypa/packaging): the first "include" in the file is a dependency group's
    # include-group; the sdist rule is [tool.flit.sdist] include, line 16
    files = {"docs/SECURITY.md": POLICY_MAIL, "pyproject.toml": FLIT}
    result = check(tmp_path, "policy_in_distributed_source", files)
    assert "pyproject.toml:16" in at(result) and "pyproject.toml:11" not in at(result)


def test_export_ignore_and_npm_files(tmp_path: Path) -> None:
    files = {".github/SECURITY.md": POLICY_MAIL,
             ".gitattributes": "*.png binary\n.github export-ignore\n"}  # fmt: skip
    result = check(tmp_path, "policy_in_distributed_source", files)
    assert result.status == "fail" and at(result) == [".gitattributes:2"]
    npm = {"SECURITY.md": POLICY_MAIL,
           "package.json": '{\n  "name": "widget",\n  "files": ["dist/"]\n}\n'}  # fmt: skip
    result = check(tmp_path / "2", "policy_in_distributed_source", npm)
    assert result.status == "fail" and at(result) == ["package.json:3"]
    npm["package.json"] = '{\n  "name": "widget",\n  "files": ["dist/", "SECURITY.md"]\n}\n'
    assert check(tmp_path / "3", "policy_in_distributed_source", npm).status == "pass"


def test_crate_include_list_and_unmodelled_backend(tmp_path: Path) -> None:
    cargo = '[package]\nname = "widget"\nversion = "1.0.0"\ninclude = ["src/**", "Cargo.toml"]\n'
    result = check(tmp_path, "policy_in_distributed_source",
                   {"SECURITY.md": POLICY_MAIL, "Cargo.toml": cargo})  # fmt: skip
    assert result.status == "fail" and at(result) == ["Cargo.toml:4"]
    maturin = HATCH.replace('"hatchling"', '"maturin>=1"').replace("hatchling.build", "maturin")
    result = check(tmp_path / "2", "policy_in_distributed_source",
                   {"SECURITY.md": POLICY_MAIL, "pyproject.toml": maturin})  # fmt: skip
    assert result.status == "unknown" and "not modelled" in result.message
    assert check(tmp_path / "3", "policy_in_distributed_source", {"README.md": "# w\n"}).status == (
        "fail"
    )


@pytest.mark.parametrize(
    "probe",
    ["reporting_without_account", "report_encryption_key",
     "vulnerability_list_machine_readable", "policy_in_distributed_source"],
)  # fmt: skip
def test_registered(probe: str) -> None:
    from steward.evaluate.probes import PROBES

    assert probe in PROBES


def test_make_dist_list_and_npm_workspaces(tmp_path: Path) -> None:
    makefile = ("DISTFILES= \\\n\tsrc/ \\\n\tREADME.md\n\ndist : clean\n"
                "\tcp -r ${DISTFILES} dist/\n")  # fmt: skip
    result = check(tmp_path, "policy_in_distributed_source",
                   {"SECURITY.md": POLICY_MAIL, "Makefile": makefile})  # fmt: skip
    assert result.status == "fail" and at(result) == ["Makefile:1"]
    listed = makefile.replace("README.md", "README.md SECURITY.md")
    assert check(tmp_path / "2", "policy_in_distributed_source",
                 {"SECURITY.md": POLICY_MAIL, "Makefile": listed}).status == "pass"  # fmt: skip
    root = '{\n  "private": true,\n  "workspaces": ["packages/*"]\n}\n'
    package = '{\n  "name": "lib",\n  "files": [\n    "dist/"\n  ]\n}\n'
    files = {"SECURITY.md": POLICY_MAIL, "package.json": root,
             "packages/lib/package.json": package, "packages/lib/README.md": "# lib\n"}  # fmt: skip
    result = check(tmp_path / "3", "policy_in_distributed_source", files)
    assert result.status == "fail" and at(result) == ["packages/lib/package.json:3"]
    files["packages/lib/README.md"] = "# lib\n\nSecurity: see https://acme.example/security\n"
    assert check(tmp_path / "4", "policy_in_distributed_source", files).status == "pass"


def test_chat_only_and_downstream_addresses_are_no_account_free_method(tmp_path: Path) -> None:
    chat = POLICY_PVR.replace(
        "Report vulnerabilities through",
        "Reach out to us on [Discord](https://discord.gg/abc) or through",
    )
    result = check(tmp_path, "reporting_without_account", {"SECURITY.md": chat})
    assert result.status == "fail", result.message
    assert "SECURITY.md:3" in at(result)
    assert check(tmp_path, "report_encryption_key", {"SECURITY.md": chat}).status == (
        "not-applicable"
    )
    downstream = (
        POLICY_PVR
        + "\nPackagers we notify ahead of a release:\n\n- Distro (maint@distro.example)\n"
    )
    result = check(tmp_path / "2", "reporting_without_account", {"SECURITY.md": downstream})
    assert result.status == "fail", result.message


def test_long_lines_in_every_file_read_are_linear(tmp_path: Path) -> None:
    line = "](a " * 50_000 + "https://x/" * 20_000
    files = {
        "SECURITY.md": POLICY_MAIL + line + "\n",
        ".well-known/security.txt": f"Contact: mailto:a@b.example\nEncryption: {line}\n",
        ".gitattributes": f"{line} export-ignore\n",
        "MANIFEST.in": f"include {line}\n",
        "Makefile": f"DISTFILES = {line}\ndist:\n\tcp ${{DISTFILES}} d\n",
        "package.json": '{"name": "w", "files": ["' + "a" * 200_000 + '"]}\n',
        "pyproject.toml": HATCH,
        "advisories/x.json": '{"id": "' + "x" * 200_000 + '"}',
    }
    import time

    started = time.process_time()
    facts = collect_facts(repo(tmp_path / "r", files))
    probes = ("reporting_without_account", "report_encryption_key",
              "vulnerability_list_machine_readable", "policy_in_distributed_source")  # fmt: skip
    for name in probes:
        assert run_probe(name, facts).status in ("pass", "fail", "unknown", "not-applicable")
    assert time.process_time() - started < 10


def test_the_changelog_links_the_projects_own_github_advisories(tmp_path: Path) -> None:
    link = "https://github.com/acme/widget/security/advisories/GHSA-v422-hmwv-36x6"
    history = f"# Changes\n\n## 2.0.1\n\n* Security fix for [GHSA-v422-hmwv-36x6]({link})\n"
    files = {"HISTORY.md": history, "package.json": '{\n  "name": "widget"\n}\n'}
    result = check(tmp_path, "vulnerability_list_machine_readable", files)
    assert result.status == "pass", result.message
    assert at(result) == ["HISTORY.md:5"]


def test_workspace_globs_do_not_cross_directories(tmp_path: Path) -> None:
    """``workspaces/*`` names ``workspaces/lib``, not a test fixture's package.json deeper
    down (``workspaces/lib/test/fixtures/a``): npm's glob never lets ``*`` cross a ``/``
    (seen on npm/cli, whose arborist fixtures were judged as published packages)."""
    root = '{\n  "private": true,\n  "workspaces": ["workspaces/*"]\n}\n'
    package = '{\n  "name": "lib",\n  "files": [\n    "lib/"\n  ]\n}\n'
    fixture = '{\n  "name": "fixture-a",\n  "files": [\n    "index.js"\n  ]\n}\n'
    readme = "# lib\n\nSecurity: see https://acme.example/security\n"
    files = {"SECURITY.md": POLICY_MAIL, "package.json": root,
             "workspaces/lib/package.json": package, "workspaces/lib/README.md": readme,
             "workspaces/lib/test/fixtures/a/package.json": fixture}  # fmt: skip
    result = check(tmp_path, "policy_in_distributed_source", files)
    assert result.status == "pass", (result.message, at(result))
