"""Kinds met in the held-out-11c blind round (Apache projects: commons-pool,
maven-compiler-plugin, logging-log4net), each on a small self-written repository collected
from its files (``collect_facts``) and judged by the probe."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluate.probes.onrepo import judge, where

# -- NuGet versions kept in MSBuild properties: log4net's projects reference
#    ``Version="$(NUnitPackageVersion)"`` and src/Directory.Build.props sets
#    ``<NUnitPackageVersion>4.2.2</NUnitPackageVersion>``: one exact version, pinned like a
#    literal one (a false lockfiles_present fail before)

PROJECT = """\
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework>OWN</PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Serilog" Version="$(SerilogPackageVersion)" />
    <PackageReference Include="Nullable" Version="1.3.1" PrivateAssets="all" />
  </ItemGroup>
</Project>
"""

PROPS = """\
<Project>
  <PropertyGroup><Nullable>enable</Nullable></PropertyGroup>
  <PropertyGroup Label="Package Versions">
    VALUES
  </PropertyGroup>
</Project>
"""


def _props(values: str) -> str:
    return PROPS.replace("VALUES", values)


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("<SerilogPackageVersion>4.0.0</SerilogPackageVersion>", "pass"),
        ("<SerilogPackageVersion>4.*</SerilogPackageVersion>", "fail"),
        ("<SerilogPackageVersion>[4.0,5.0)</SerilogPackageVersion>", "fail"),
        ("<SerilogPackageVersion>$(Other)</SerilogPackageVersion>", "fail"),
        ("<SerilogPackageVersion></SerilogPackageVersion>", "fail"),
        # set under two conditions to two versions: which one restores depends on the build
        (
            "<SerilogPackageVersion Condition=\"'$(TargetFramework)' == 'net8.0'\">4.0.0"
            "</SerilogPackageVersion>\n    <SerilogPackageVersion>3.1.1</SerilogPackageVersion>",
            "fail",
        ),
        ("<OtherPackageVersion>4.0.0</OtherPackageVersion>", "fail"),  # never set
    ],
)
def test_a_nuget_version_from_a_directory_build_props_property(
    tmp_path: Path, value: str, verdict: str
) -> None:
    files = {
        "src/Directory.Build.props": _props(value),
        "src/Widget/Widget.csproj": PROJECT.replace("OWN", ""),
    }
    out = judge(tmp_path, files, "lockfiles_present")
    assert out["lockfiles_present"].status.value == verdict, out["lockfiles_present"].message


def test_a_nuget_version_from_the_project_s_own_property(tmp_path: Path) -> None:
    own = "<SerilogPackageVersion>4.0.0</SerilogPackageVersion>"
    files = {"src/Widget/Widget.csproj": PROJECT.replace("OWN", own)}
    out = judge(tmp_path, files, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "pass"


def test_only_the_directory_build_props_msbuild_imports_is_read(tmp_path: Path) -> None:
    """MSBuild imports the nearest Directory.Build.props only; the one above counts when the
    nearer one imports it (``GetPathOfFileAbove``)."""
    root = _props("<SerilogPackageVersion>4.0.0</SerilogPackageVersion>")
    nearer = _props("<LangVersion>latest</LangVersion>")
    files = {
        "Directory.Build.props": root,
        "src/Directory.Build.props": nearer,
        "src/Widget/Widget.csproj": PROJECT.replace("OWN", ""),
    }
    out = judge(tmp_path / "alone", files, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "fail"
    importing = nearer.replace(
        "<Project>",
        "<Project>\n  <Import Project=\"$([MSBuild]::GetPathOfFileAbove('Directory.Build.props',"
        " '$(MSBuildThisFileDirectory)../'))\" />",
    )
    files["src/Directory.Build.props"] = importing
    out = judge(tmp_path / "imports", files, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "pass"


def test_a_central_package_version_from_a_property(tmp_path: Path) -> None:
    central = """\
<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
    <SerilogVersion>VERSION</SerilogVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Serilog" Version="$(SerilogVersion)" />
    <PackageVersion Include="Nullable" Version="1.3.1" />
  </ItemGroup>
</Project>
"""
    project = (
        PROJECT.replace("OWN", "")
        .replace(' Version="$(SerilogPackageVersion)"', "")
        .replace(' Version="1.3.1"', "")
    )
    for version, verdict in (("4.0.0", "pass"), ("4.*", "fail")):
        files = {
            "Directory.Packages.props": central.replace("VERSION", version),
            "src/Widget/Widget.csproj": project,
        }
        out = judge(tmp_path / verdict, files, "lockfiles_present")
        assert out["lockfiles_present"].status.value == verdict


# -- static analysis in the .NET build: log4net's library project references
#    Microsoft.CodeAnalysis.NetAnalyzers (the code-quality analysers with the CA2xxx/CA3xxx/
#    CA5xxx security rules), which run when CI's ``dotnet build``/``dotnet test`` compiles it,
#    as SpotBugs or PMD bound in a Maven build (a false sast_configured fail before)

WORKFLOW = """\
name: build
on: [push, pull_request]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@692973e3d937129bcbf40652eb9f2f61becf3332
      - name: Build
        run: |
          COMMAND
"""

ANALYSED = """\
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Serilog" Version="4.0.0" />
    REFERENCE
  </ItemGroup>
</Project>
"""
NETANALYZERS = '<PackageReference Include="Microsoft.CodeAnalysis.NetAnalyzers" Version="8.0.0" />'


@pytest.mark.parametrize(
    ("command", "reference", "verdict"),
    [
        ("dotnet build ./src/Widget.sln", NETANALYZERS, "pass"),
        ("dotnet test ./src/Widget.sln", NETANALYZERS, "pass"),
        (
            "dotnet build",
            '<PackageReference Include="SecurityCodeScan.VS2019" Version="5.6.7" />',
            "pass",
        ),
        # a restore compiles nothing; a commented-out reference is none; a style analyser
        # (StyleCop) has no security rules
        ("dotnet restore ./src/Widget.sln", NETANALYZERS, "fail"),
        ("dotnet build", f"<!-- {NETANALYZERS} -->", "fail"),
        (
            "dotnet build",
            '<PackageReference Include="StyleCop.Analyzers" Version="1.1.118" />',
            "fail",
        ),
    ],
)
def test_roslyn_security_analysers_run_by_the_ci_build(
    tmp_path: Path, command: str, reference: str, verdict: str
) -> None:
    files = {
        ".github/workflows/build.yml": WORKFLOW.replace("COMMAND", command),
        "src/Widget/Widget.csproj": ANALYSED.replace("REFERENCE", reference),
    }
    out = judge(tmp_path, files, "sast_configured")
    assert out["sast_configured"].status.value == verdict, out["sast_configured"].message
    if verdict == "pass":
        assert where(out["sast_configured"]) == [".github/workflows/build.yml:12"]
        assert "src/Widget/Widget.csproj:5" in out["sast_configured"].evidence[0].detail


def test_an_analyser_only_in_a_test_project_is_not_the_build_s(tmp_path: Path) -> None:
    files = {
        ".github/workflows/build.yml": WORKFLOW.replace("COMMAND", "dotnet build"),
        "src/Widget/Widget.csproj": ANALYSED.replace("REFERENCE", ""),
        "tests/Widget.Tests/Widget.Tests.csproj": ANALYSED.replace("REFERENCE", NETANALYZERS),
    }
    out = judge(tmp_path, files, "sast_configured")
    assert out["sast_configured"].status.value == "fail"
