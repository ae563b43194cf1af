"""Kinds met in the held-out-7d blind round (Lua, .NET and Swift projects), each on a small
self-written repository collected from its files (``collect_facts``) and judged by the probe,
with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluate.probes.onrepo import judge, where

# -- a README that sends reports to the forge's security-policy page (the organisation's
#    default SECURITY.md is shown there; none is in the tree)

POLICY_PROBES = (
    "security_policy_present",
    "security_policy_private_contact",
    "security_contacts_listed",
    "reporting_without_account",
    "report_encryption_key",
    "policy_in_distributed_source",
    "security_policy_response_timeframe",
)


@pytest.mark.parametrize(
    "link",
    [
        "https://github.com/acme/widget?tab=security-ov-file",
        "https://github.com/acme/widget/security/policy",
        "https://github.com/acme/.github/blob/main/SECURITY.md",
        "https://gitlab.com/acme/widget/-/blob/main/SECURITY.md",
    ],
)
def test_a_readme_link_to_the_forge_policy_page_is_a_linked_policy(
    tmp_path: Path, link: str
) -> None:
    readme = (
        "# Widget\n\nA library.\n\n"
        f"- **Security** issues should be reported via the process in [Security]({link})\n"
    )
    out = judge(tmp_path, {"README.md": readme}, *POLICY_PROBES)
    assert out["security_policy_present"].status.value == "pass"
    assert where(out["security_policy_present"]) == ["README.md:5"]
    # what the policy says cannot be read offline: unknown, never a (level-1) fail
    for name in POLICY_PROBES[1:6]:
        if name != "policy_in_distributed_source":
            assert out[name].status.value == "unknown", (name, out[name].message)
    assert out["security_policy_response_timeframe"].status.value == "unknown"
    assert out["policy_in_distributed_source"].status.value == "pass"
    assert where(out["policy_in_distributed_source"]) == ["README.md:5"]


def test_links_that_are_not_the_policy_page_are_not_a_policy(tmp_path: Path) -> None:
    readme = (
        "# Widget\n\nSee [issues](https://github.com/acme/widget/issues) and the\n"
        "[security overview](https://github.com/acme/widget/security/advisories).\n"
        "Our [SECURITY notes](https://github.com/acme/widget/wiki/Security).\n"
    )
    out = judge(tmp_path, {"README.md": readme}, "security_policy_present")
    assert out["security_policy_present"].status.value == "fail"


# -- "static" in a reusable workflow's job or file name: static linking is not static analysis

REMOTE = """\
on: pull_request
permissions:
  contents: read
jobs:
  static-linux:
    name: Static Linux Swift SDK
    uses: acme/ci/.github/workflows/static_sdk.yml@0123456789abcdef0123456789abcdef01234567
  static-build:
    name: Static binaries
    uses: acme/ci/.github/workflows/build.yml@0123456789abcdef0123456789abcdef01234567
  docs:
    name: Static site
    uses: acme/ci/.github/workflows/pages.yml@0123456789abcdef0123456789abcdef01234567
"""


def test_static_linking_jobs_are_not_static_analysis(tmp_path: Path) -> None:
    out = judge(tmp_path, {".github/workflows/pr.yml": REMOTE}, "sast_configured")
    assert out["sast_configured"].status.value == "fail", where(out["sast_configured"])


def test_a_static_analysis_job_still_is(tmp_path: Path) -> None:
    workflow = REMOTE + (
        "  static:\n    name: Static\n"
        "    uses: acme/ci/.github/workflows/static.yml@0123456789abcdef0123456789abcdef01234567\n"
        "  analysis:\n    name: Static analysis\n"
        "    uses: acme/ci/.github/workflows/lint.yml@0123456789abcdef0123456789abcdef01234567\n"
    )
    out = judge(tmp_path, {".github/workflows/pr.yml": workflow}, "sast_configured")
    assert out["sast_configured"].status.value == "pass"
    assert where(out["sast_configured"]) == [
        ".github/workflows/pr.yml:16",
        ".github/workflows/pr.yml:19",
    ]


# -- design proposals inside a documentation catalogue (DocC), any depth and case


@pytest.mark.parametrize(
    "path",
    [
        "Sources/Widget/Docs.docc/Proposals/WDG-0001-metadata.md",
        "docs/Evolution/0002-async-api.md",
        "Documentation/ADRs/0003-storage.md",
        "doc/api/rfcs/0004-errors.rst",
    ],
)
def test_design_proposals_in_a_documentation_tree_are_design_documents(
    tmp_path: Path, path: str
) -> None:
    proposal = "# Metadata\n\n## Motivation\n\n## Detailed design\n\nThe handler gets...\n"
    out = judge(tmp_path, {"README.md": "# w\n", path: proposal}, "design_documented")
    assert out["design_documented"].status.value == "pass"
    assert [e.source for e in out["design_documented"].evidence] == [path]


def test_proposal_like_names_outside_documentation_are_not(tmp_path: Path) -> None:
    files = {
        "README.md": "# w\n",
        "Sources/Widget/Proposals/Proposal.swift.md": "# generated\n",
        "tests/fixtures/rfcs/0001.md": "# a fixture\n",
    }
    out = judge(tmp_path, files, "design_documented")
    assert out["design_documented"].status.value == "fail"


# -- manifests of ecosystems met for the first time: LuaRocks, NuGet, SwiftPM and siblings

ROCKSPEC = """\
package = "widget"
version = "scm-1"
source = { url = "git+https://example.org/widget" }
dependencies = {
   "lua >= 5.1"
}
build = { type = "builtin", modules = { widget = "src/widget.c" } }
"""


def test_a_rockspec_is_a_manifest_and_the_interpreter_needs_no_lock(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {"widget-scm-1.rockspec": ROCKSPEC},
        "dependency_manifest_present",
        "lockfiles_present",
    )
    assert out["dependency_manifest_present"].status.value == "pass"
    assert out["lockfiles_present"].status.value == "pass"


def test_a_rockspec_with_packages_needs_a_luarocks_lock(tmp_path: Path) -> None:
    spec = ROCKSPEC.replace('"lua >= 5.1"', '"lua >= 5.1",\n   "luasocket >= 3.0"')
    out = judge(tmp_path, {"widget-scm-1.rockspec": spec}, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "fail"
    locked = judge(
        tmp_path / "locked",
        {"widget-scm-1.rockspec": spec, "luarocks.lock": "return {}\n"},
        "lockfiles_present",
    )
    assert locked["lockfiles_present"].status.value == "pass"


@pytest.mark.parametrize(
    ("manifest", "lockfile"),
    [
        ("cpanfile", "cpanfile.snapshot"),
        ("rebar.config", "rebar.lock"),
        ("gleam.toml", "manifest.toml"),
        ("shard.yml", "shard.lock"),
        ("Project.toml", "Manifest.toml"),
        ("Podfile", "Podfile.lock"),
        ("widget.cabal", "cabal.project.freeze"),
    ],
)
def test_manifests_of_other_ecosystems_want_their_own_lockfile(
    tmp_path: Path, manifest: str, lockfile: str
) -> None:
    out = judge(
        tmp_path / "a", {manifest: "x\n"}, "dependency_manifest_present", "lockfiles_present"
    )
    assert out["dependency_manifest_present"].status.value == "pass"
    assert out["lockfiles_present"].status.value == "fail"
    both = judge(tmp_path / "b", {manifest: "x\n", lockfile: "y\n"}, "lockfiles_present")
    assert both["lockfiles_present"].status.value == "pass"


SWIFT = """\
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Widget",
    products: [.library(name: "Widget", targets: ["Widget"])],
    targets: [
        .target(name: "Widget", dependencies: []),
        .testTarget(name: "WidgetTests", dependencies: ["Widget"]),
    ]
)
"""


def test_a_swift_package_without_remote_packages_needs_no_package_resolved(
    tmp_path: Path,
) -> None:
    bench = SWIFT.replace(
        "    products:",
        "    dependencies: [\n"
        '        .package(url: "https://example.org/bench.git", from: "1.0.0"),\n'
        '        .package(path: "../"),\n    ],\n    products:',
    )
    files = {"Package.swift": SWIFT, "Package@swift-5.9.swift": SWIFT}
    out = judge(tmp_path / "a", files, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "pass"
    out = judge(tmp_path / "b", {**files, "Benchmarks/Package.swift": bench}, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "fail"
    assert [e.source for e in out["lockfiles_present"].evidence] == ["Benchmarks/Package.swift"]


CSPROJ = """\
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Serilog" Version="4.0.0" />
    <PackageReference Include="Nullable" Version="1.3.1" PrivateAssets="all" />
  </ItemGroup>
</Project>
"""


@pytest.mark.parametrize(
    ("version", "verdict"),
    [("4.0.0", "pass"), ("4.*", "fail"), ("[4.0,5.0)", "fail"), ("$(SerilogVersion)", "fail")],
)
def test_nuget_references_by_one_version_pin_like_a_pom(
    tmp_path: Path, version: str, verdict: str
) -> None:
    project = CSPROJ.replace('Version="4.0.0"', f'Version="{version}"')
    out = judge(tmp_path, {"src/Widget/Widget.csproj": project}, "lockfiles_present")
    assert out["lockfiles_present"].status.value == verdict


def test_nuget_central_versions_need_a_lockfile(tmp_path: Path) -> None:
    project = CSPROJ.replace(' Version="4.0.0"', "").replace(' Version="1.3.1"', "")
    out = judge(tmp_path, {"src/Widget/Widget.csproj": project}, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "fail"
    locked = judge(
        tmp_path / "l",
        {"src/Widget/Widget.csproj": project, "src/Widget/packages.lock.json": "{}"},
        "lockfiles_present",
    )
    assert locked["lockfiles_present"].status.value == "pass"


# -- test runs: an interpreter running the test script, a PowerShell/batch build script


def workflow(run: str, shell: str = "") -> str:
    extra = f"        shell: {shell}\n" if shell else ""
    return (
        "on: push\npermissions: read-all\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        f"      - run: |\n          {run}\n{extra}"
    )


@pytest.mark.parametrize(
    ("run", "script"),
    [
        ("lua tests/test.lua", "tests/test.lua"),
        ("luajit spec/run_tests.lua", "spec/run_tests.lua"),
        ("Rscript tests/testthat.R", "tests/testthat.R"),
        ("tclsh tests/all.tcl", "tests/all.tcl"),
    ],
)
def test_an_interpreter_running_the_test_script_runs_tests(
    tmp_path: Path, run: str, script: str
) -> None:
    files = {".github/workflows/ci.yml": workflow(run), script: "print('ok')\n"}
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == "pass", out["tests_run_in_ci"].message
    assert where(out["tests_run_in_ci"]) == [".github/workflows/ci.yml:8"]


def test_an_interpreter_running_another_script_is_no_test_run(tmp_path: Path) -> None:
    files = {".github/workflows/ci.yml": workflow("lua tools/gen.lua"), "tools/gen.lua": "x\n"}
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value != "pass"


BUILD_PS1 = """\
Write-Output "build: Build started"
Push-Location $PSScriptRoot
try {
    & dotnet build -c Release
    if($LASTEXITCODE -ne 0) { throw "Build failed" }
    foreach ($test in Get-ChildItem test/*.Tests) {
        Push-Location $test
        & dotnet test -c Release --no-build --no-restore
        if($LASTEXITCODE -ne 0) { throw "Testing failed" }
        Pop-Location
    }
} finally {
    Pop-Location
}
"""


@pytest.mark.parametrize(
    ("run", "shell", "script", "text", "line"),
    [
        ("./Build.ps1", "pwsh", "Build.ps1", BUILD_PS1, 8),
        ("pwsh ./build.ps1", "", "build.ps1", BUILD_PS1, 8),
        ("build.cmd", "cmd", "build.cmd", "@echo off\ncall gradlew.bat test\n", 2),
    ],
)
def test_powershell_and_batch_build_scripts_are_followed(
    tmp_path: Path, run: str, shell: str, script: str, text: str, line: int
) -> None:
    files = {".github/workflows/ci.yml": workflow(run, shell), script: text}
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == "pass", out["tests_run_in_ci"].message
    assert where(out["tests_run_in_ci"]) == [f"{script}:{line}"]


def test_a_powershell_script_without_tests_is_not_a_test_run(tmp_path: Path) -> None:
    text = BUILD_PS1.replace("dotnet test", "dotnet pack")
    files = {".github/workflows/ci.yml": workflow("./Build.ps1", "pwsh"), "Build.ps1": text}
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == "fail", out["tests_run_in_ci"].message


# -- a changelog file that only points to the forge's release pages


@pytest.mark.parametrize(
    "text",
    [
        "See: https://github.com/acme/widget/releases\n",
        "# Changelog\n\nRelease notes are on [GitHub](https://github.com/acme/widget/releases).\n",
    ],
)
def test_a_changelog_that_only_points_elsewhere_is_no_changelog(tmp_path: Path, text: str) -> None:
    files = {"README.md": "# w\n", "CHANGES.md": text}
    out = judge(tmp_path, files, "changelog_present", "release_notes_present")
    assert out["changelog_present"].status.value == "fail"
    # offline, whether the forge's releases carry notes cannot be read
    assert out["release_notes_present"].status.value in ("unknown", "not-applicable")


def test_a_short_changelog_naming_a_version_is_one(tmp_path: Path) -> None:
    text = "# Changelog\n\n## 1.0.0\n\nFirst release, see https://example.org/blog.\n"
    out = judge(tmp_path, {"README.md": "# w\n", "CHANGES.md": text}, "changelog_present")
    assert out["changelog_present"].status.value == "pass"
    assert [e.source for e in out["changelog_present"].evidence] == ["CHANGES.md"]


# -- documentation kept as a hand-written site in docs/ (HTML): the tracker link of its
#    navigation, the release history on its home page

INDEX_HTML = """\
<html>
<head><title>Widget</title></head>
<body>
<div id="navigation">
<ul>
    <li><a href="index.html">Home</a></li>
    <li><a href="https://github.com/acme/widget/issues">Bug Tracker</a></li>
</ul>
</div>
<h2><a name="overview"></a>Overview</h2>
<p>Widget does things.</p>
<h2><a name="history"></a>History</h2>
<dl class="history">
    <dt><strong>Version 1.2.0</strong> [28/Dec/2025]</dt>
    <dd><ul><li>fixed bug in dir() (bug report and patch by Jane Doe).</li></ul></dd>
    <dt><strong>Version 1.1.0</strong> [22/Apr/2020]</dt>
</dl>
</body>
</html>
"""


def test_a_documentation_site_home_page_links_the_tracker_and_keeps_the_history(
    tmp_path: Path,
) -> None:
    files = {"README.md": "# Widget\n\nSee `docs/`.\n", "docs/index.html": INDEX_HTML}
    out = judge(tmp_path, files, "bug_reporting_documented", "changelog_present")
    assert out["bug_reporting_documented"].status.value == "pass"
    # the navigation's tracker link, not the changelog's credit for a bug report
    assert where(out["bug_reporting_documented"]) == ["docs/index.html:7"]
    assert out["changelog_present"].status.value == "pass"
    assert where(out["changelog_present"]) == ["docs/index.html:12"]


def test_a_home_page_without_history_is_no_changelog(tmp_path: Path) -> None:
    page = INDEX_HTML.replace("History", "Credits")
    files = {"README.md": "# Widget\n", "docs/index.html": page}
    out = judge(tmp_path, files, "changelog_present")
    assert out["changelog_present"].status.value == "fail"


def test_a_credit_for_a_bug_report_says_nothing_about_how(tmp_path: Path) -> None:
    readme = "# Widget\n\n## Thanks\n\n- crash on empty input (bug report and patch by Jane Doe)\n"
    out = judge(tmp_path, {"README.md": readme}, "bug_reporting_documented")
    assert out["bug_reporting_documented"].status.value == "fail"


# -- the build files of ecosystems met for the first time


@pytest.mark.parametrize(
    "name",
    ["Build.ps1", "Widget.sln", "widget-scm-1.rockspec", "widget.cabal", "Makefile.PL",
     "pubspec.yaml", "rebar.config"],
)  # fmt: skip
def test_a_build_file_at_the_top_is_how_to_build(tmp_path: Path, name: str) -> None:
    out = judge(tmp_path, {"README.md": "# w\n", name: "x\n"}, "build_instructions_documented")
    assert out["build_instructions_documented"].status.value == "pass"
    assert [e.source for e in out["build_instructions_documented"].evidence] == [name]


def test_a_nested_project_file_is_not_the_top_level_build(tmp_path: Path) -> None:
    files = {"README.md": "# w\n", "samples/Demo/Demo.csproj": "<Project/>\n"}
    out = judge(tmp_path, files, "build_instructions_documented")
    assert out["build_instructions_documented"].status.value == "fail"


# -- AppVeyor builds: their commands are read like a workflow's run steps

APPVEYOR = """\
version: 0.0.1.{build}-test
image: Visual Studio 2022
install:
  - set PATH=C:\\Python37;%PATH%
  - IF NOT EXIST lua_install\\bin\\activate.bat ( pip install --upgrade certifi )
  - IF NOT EXIST lua_install\\bin\\activate.bat ( pip install hererocks==0.25.1 )
  - cmd: npm install -g appveyor-retry
build_script:
- luarocks make
test_script:
- echo "Testing..."
- ps: lua tests/test.lua
"""


def test_appveyor_commands_are_read(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {"appveyor.yml": APPVEYOR, "tests/test.lua": "print('ok')\n"},
        "dependencies_pinned",
        "tests_run_in_ci",
        "ci_present",
    )
    assert out["dependencies_pinned"].status.value == "fail"
    # the unpinned pip install inside a cmd conditional and the npm global install; not the
    # pinned one
    assert where(out["dependencies_pinned"]) == ["appveyor.yml:5", "appveyor.yml:7"]
    assert out["tests_run_in_ci"].status.value == "pass"
    assert where(out["tests_run_in_ci"]) == ["appveyor.yml:12"]
    assert out["ci_present"].status.value == "pass"


def test_an_appveyor_build_without_tests_is_no_test_run(tmp_path: Path) -> None:
    text = APPVEYOR.replace("- ps: lua tests/test.lua\n", "")
    out = judge(tmp_path, {"appveyor.yml": text}, "tests_run_in_ci", "dependencies_pinned")
    assert out["tests_run_in_ci"].status.value == "fail", out["tests_run_in_ci"].message


def test_an_unreadable_appveyor_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    out = judge(tmp_path, {"appveyor.yml": "- just\n- a list\n"}, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == "error"


CENTRAL = """\
<Project>
  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Serilog" Version="4.0.0" />
    <PackageVersion Include="Nullable" Version="VERSION" />
  </ItemGroup>
</Project>
"""


@pytest.mark.parametrize(("version", "verdict"), [("1.3.1", "pass"), ("1.*", "fail")])
def test_nuget_central_versions_pin_like_the_project_s_own(
    tmp_path: Path, version: str, verdict: str
) -> None:
    project = CSPROJ.replace(' Version="4.0.0"', "").replace(' Version="1.3.1"', "")
    files = {
        "Directory.Packages.props": CENTRAL.replace("VERSION", version),
        "src/Widget/Widget.csproj": project,
    }
    out = judge(tmp_path, files, "lockfiles_present")
    assert out["lockfiles_present"].status.value == verdict


def test_a_project_with_only_project_references_needs_no_lock(tmp_path: Path) -> None:
    sample = (
        '<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n'
        '    <ProjectReference Include="..\\\\..\\\\src\\\\Widget\\\\Widget.csproj" />\n'
        "  </ItemGroup>\n</Project>\n"
    )
    out = judge(tmp_path, {"tools/Gen/Gen.csproj": sample}, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "pass"


def test_a_nuget_packages_config_pins_by_itself(tmp_path: Path) -> None:
    config = '<packages>\n  <package id="Serilog" version="4.0.0" />\n</packages>\n'
    out = judge(
        tmp_path,
        {"src/Widget/packages.config": config},
        "dependency_manifest_present",
        "lockfiles_present",
    )
    assert out["dependency_manifest_present"].status.value == "pass"
    assert out["lockfiles_present"].status.value == "pass"


# -- siblings of AppVeyor: Azure Pipelines and CircleCI commands are read too

AZURE = """\
trigger:
  - main
pool:
  vmImage: windows-latest
stages:
  - stage: build
    jobs:
      - job: test
        steps:
          - task: UseDotNet@2
            inputs:
              version: 8.0.x
          - pwsh: |
              dotnet build -c Release
              pip install gcovr
          - task: DotNetCoreCLI@2
            inputs:
              command: test
              projects: test/**/*.csproj
"""

CIRCLE = """\
version: 2.1
jobs:
  test:
    docker:
      - image: cimg/base:2024.01
    steps:
      - checkout
      - run: curl -fsSL https://example.org/install.sh | sh
      - run:
          name: Tests
          command: |
            make build
            busted spec
"""


def test_azure_pipelines_steps_and_test_tasks_are_read(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {"azure-pipelines.yml": AZURE},
        "tests_run_in_ci",
        "dependencies_pinned",
    )
    assert out["tests_run_in_ci"].status.value == "pass", out["tests_run_in_ci"].message
    assert where(out["tests_run_in_ci"]) == ["azure-pipelines.yml:16"]
    assert out["dependencies_pinned"].status.value == "fail"
    assert where(out["dependencies_pinned"]) == ["azure-pipelines.yml:15"]


def test_azure_pipelines_without_tests_is_no_test_run(tmp_path: Path) -> None:
    text = AZURE.replace("command: test", "command: pack")
    out = judge(tmp_path, {"azure-pipelines.yml": text}, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == "fail", out["tests_run_in_ci"].message


def test_circleci_run_steps_are_read(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {".circleci/config.yml": CIRCLE},
        "tests_run_in_ci",
        "dependencies_pinned",
    )
    assert out["tests_run_in_ci"].status.value == "pass", out["tests_run_in_ci"].message
    assert where(out["tests_run_in_ci"]) == [".circleci/config.yml:13"]
    assert out["dependencies_pinned"].status.value == "fail"
    # the piped install, and the job's container image named by tag (held-out-7a's kind)
    assert where(out["dependencies_pinned"]) == [
        ".circleci/config.yml:5",
        ".circleci/config.yml:8",
    ]


def test_a_ci_system_still_not_read_is_cannot_tell(tmp_path: Path) -> None:
    jenkins = "pipeline { stages { stage('t') { steps { sh 'make test' } } } }\n"
    files = {"Jenkinsfile": jenkins, "tests/run.sh": "exit 0\n"}  # tests for it to run
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == "unknown"
