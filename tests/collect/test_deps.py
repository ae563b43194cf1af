"""Dependency manifests, which lockfile covers them, and what Dependabot watches."""

from __future__ import annotations

from pathlib import Path

from steward.collect.deps import collect_dependencies
from steward.collect.facts import Dependencies
from steward.collect.tree import walk
from tests.collect.gitrepo import write


def _deps(root: Path, files: dict[str, str | bytes]) -> Dependencies:
    write(root, files)
    return collect_dependencies(walk(root))


def _paths(findings: tuple[object, ...]) -> set[str]:
    return {f.source.path for f in findings}  # type: ignore[attr-defined]


def test_pyproject_forms_are_manifests(tmp_path: Path) -> None:
    deps = _deps(
        tmp_path,
        {
            "a/pyproject.toml": '[project]\nname = "a"\nversion = "1"\n',  # no dependencies
            "b/pyproject.toml": '[project]\nname = "b"\n\n[dependency-groups]\ndev = ["pytest"]\n',
            "b/uv.lock": "version = 1\n",
            "c/pyproject.toml": '[project]\nname = "c"\ndependencies = ["httpx>=0.27"]\n',
            "d/pyproject.toml": "[tool.ruff]\nline-length = 100\n",  # configuration only
            "e/vendor.txt": "six==1.16.0\nidna==3.7\n",
        },
    )
    assert _paths(deps.manifests) == {
        "a/pyproject.toml",
        "b/pyproject.toml",
        "c/pyproject.toml",
        "e/vendor.txt",
    }
    # no dependencies -> nothing to lock; a lone pyproject with dependencies is unlocked
    assert _paths(deps.unlocked_manifests) == {"c/pyproject.toml"}


def test_fixture_and_example_manifests_are_not_the_projects(tmp_path: Path) -> None:
    gradle = "plugins { id 'java' }\ndependencies { implementation 'x:y:1.0' }\n"
    deps = _deps(
        tmp_path,
        {
            "build.gradle": gradle,
            "gradle.lockfile": "x:y:1.0=runtimeClasspath\n",
            "src/test/resources/projects/p1/build.gradle": gradle,
            "subprojects/core/src/integTest/fixtures/build.gradle": gradle,
            "testdata/app/package.json": '{"dependencies": {"left-pad": "1.3.0"}}\n',
            "examples/demo/Cargo.toml": '[package]\nname = "demo"\n',
        },
    )
    assert _paths(deps.manifests) == {"build.gradle"}
    assert deps.unlocked_manifests == ()


def test_meson_test_cases_and_suites_are_not_the_projects(tmp_path: Path) -> None:
    deps = _deps(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "m"\ndependencies = []\n',
            "test cases/rust/5 workspace/Cargo.toml": '[package]\nname = "w"\n',
            "regression-tests/npm/package.json": '{"dependencies": {"a": "1.0.0"}}\n',
        },
    )
    assert _paths(deps.manifests) == {"pyproject.toml"}


def test_no_manifest_is_expected_without_packaged_source_code(tmp_path: Path) -> None:
    shell = _deps(
        tmp_path / "shell",
        {
            "install.sh": "#!/bin/sh\necho hi\n",
            "README.md": "# tools\n",
            "test/helper.py": "import os\n",
        },
    )
    assert shell.manifests == ()
    assert "shell scripts and documentation only" in shell.no_package_ecosystem
    docs = _deps(tmp_path / "docs", {"README.md": "# awesome\n", "data/list.json": "[]\n"})
    assert "documentation and data only" in docs.no_package_ecosystem
    # C without a manifest: a package manager exists (vcpkg, Conan), so the manifest is missing
    c = _deps(tmp_path / "c", {"zlib.c": "int x;\n", "build.sh": "cc zlib.c\n"})
    assert c.manifests == () and c.no_package_ecosystem == ""


def test_nested_package_json_outside_the_workspaces_is_not_covered(tmp_path: Path) -> None:
    deps = _deps(
        tmp_path,
        {
            "package.json": '{"name": "root", "workspaces": ["packages/*"],'
            ' "devDependencies": {"jest": "29.7.0"}}\n',
            "package-lock.json": "{}\n",
            "packages/ui/package.json": '{"name": "ui", "dependencies": {"react": "18.3.1"}}\n',
            "website/package.json": '{"name": "site", "dependencies": {"vite": "5.2.0"}}\n',
            "src/esm/package.json": '{"type": "module"}\n',
        },
    )
    assert "src/esm/package.json" not in _paths(deps.manifests)
    assert _paths(deps.unlocked_manifests) == {"website/package.json"}


def test_go_modules_and_cargo_workspaces(tmp_path: Path) -> None:
    deps = _deps(
        tmp_path,
        {
            "go.mod": "module example.org/a\n\nrequire golang.org/x/text v0.14.0\n",
            "go.sum": "golang.org/x/text v0.14.0 h1:x\n",
            "tools/go.mod": "module example.org/a/tools\n\nrequire golang.org/x/tools v0.21.0\n",
            "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
            "Cargo.lock": "version = 3\n",
            "crates/x/Cargo.toml": '[package]\nname = "x"\n',
            "fuzz/Cargo.toml": '[package]\nname = "fuzz"\n\n[workspace]\nmembers = ["."]\n\n'
            '[dependencies]\nlibfuzzer-sys = "0.4"\n',
        },
    )
    # a nested Go module has its own go.sum; a crate with its own [workspace] its own lock
    # (when it has dependencies of its own: one without any has nothing to lock)
    assert _paths(deps.unlocked_manifests) == {"tools/go.mod", "fuzz/Cargo.toml"}


def test_dependabot_ecosystems_are_listed_with_lines(tmp_path: Path) -> None:
    config = (
        "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n"
        "  - package-ecosystem: pip\n    directory: /docs\n"
    )
    deps = _deps(tmp_path, {".github/dependabot.yml": config})
    assert [(f.source.line, f.detail) for f in deps.update_tools] == [
        (3, "dependabot: github-actions in /"),
        (5, "dependabot: pip in /docs"),
    ]


def test_vcpkg_manifest_is_pinned_only_by_a_baseline(tmp_path: Path) -> None:
    deps = _deps(
        tmp_path,
        {
            "a/vcpkg.json": '{"name": "a", "dependencies": ["openssl"]}\n',
            "b/vcpkg.json": '{"name": "b", "dependencies": ["zlib"], "builtin-baseline": "'
            + "c" * 40
            + '"}\n',
        },
    )
    assert _paths(deps.manifests) == {"a/vcpkg.json", "b/vcpkg.json"}
    assert _paths(deps.unlocked_manifests) == {"a/vcpkg.json"}


def test_contrib_manifests_are_not_the_projects(tmp_path: Path) -> None:
    """zlib's contrib/ holds "unsupported third party contributions" (a .NET wrapper with its
    own project file): not the C library's dependency manifests."""
    (tmp_path / "contrib" / "dotzlib").mkdir(parents=True)
    (tmp_path / "contrib" / "dotzlib" / "DotZLib.csproj").write_text(
        '<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n'
        '    <PackageReference Include="NUnit" Version="3.13.3" />\n  </ItemGroup>\n</Project>\n'
    )
    (tmp_path / "zlib.h").write_text("/* zlib */\n")
    deps = collect_dependencies(walk(tmp_path))
    assert deps.manifests == () and deps.unlocked_manifests == ()


def test_gradle_with_exact_versions_is_pinned_like_a_pom(tmp_path: Path) -> None:
    catalog = '[versions]\nbytebuddy = "1.15.11"\n\n[libraries]\nbytebuddy = { module = '
    catalog += '"net.bytebuddy:byte-buddy", version.ref = "bytebuddy" }\n'
    script = (
        "dependencies {\n    api(libs.bytebuddy)\n}\n"
        'tasks.jar { manifest { attributes("Import-Package" to '
        '"net.bytebuddy.*;version=\\"[1.6.0,2.0)\\"") } }\n'
    )
    write(tmp_path, {"gradle/libs.versions.toml": catalog, "core/build.gradle.kts": script})
    deps = collect_dependencies(walk(tmp_path))
    assert [f.source.path for f in deps.manifests] == ["core/build.gradle.kts"]
    assert deps.unlocked_manifests == ()  # the OSGi range is not a dependency version
    dynamic = tmp_path / "dyn"
    write(dynamic, {"build.gradle": "dependencies {\n  implementation 'org.a:b:1.+'\n}\n"})
    assert [f.source.path for f in collect_dependencies(walk(dynamic)).unlocked_manifests] == [
        "build.gradle"
    ]


def test_pnpm_workspace_file_is_read_once(tmp_path: Path, monkeypatch: object) -> None:
    """pnpm/pnpm (5,900 files, ~400 package.json, a pnpm-workspace.yaml with catalogs) read
    and parsed pnpm-workspace.yaml once per package.json: 27 of 49 s profiled. It is read
    once per collection, and the verdicts stay: members covered, the stray one not."""
    import pytest

    from steward.collect import deps as module

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    calls = {"n": 0}
    original = module.load_located

    def counted(text: str, *, source: str) -> object:
        calls["n"] += 1
        return original(text, source=source)

    monkeypatch.setattr(module, "load_located", counted)
    files: dict[str, str | bytes] = {
        "package.json": '{"name": "root", "devDependencies": {"jest": "29.7.0"}}\n',
        "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
        "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\ncatalog:\n  react: 18.3.1\n",
        "stray/package.json": '{"name": "stray", "dependencies": {"vite": "5.2.0"}}\n',
    }
    for i in range(30):
        files[f"packages/p{i}/package.json"] = f'{{"name": "p{i}", "dependencies": {{"a": "1"}}}}'
    deps = _deps(tmp_path, files)
    assert _paths(deps.unlocked_manifests) == {"stray/package.json"}
    assert calls["n"] <= 1


def test_requirements_direct_references_are_judged_by_what_they_fetch(tmp_path: Path) -> None:
    """A compiled docs/requirements.txt names the project itself by a local direct reference
    (``pkg @ file:.``): nothing is fetched, so it is pinned. A VCS reference is pinned only
    at a full commit, an archive URL only with a hash (held-out-8a, issue 9 item 4)."""
    sha = "0123456789abcdef0123456789abcdef01234567"
    deps = _deps(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\ndependencies = ["attrs"]\n',
            "uv.lock": "version = 1\n",
            "docs/requirements.txt": (
                "# compiled\n"
                "alabaster==1.0.0\n"
                "    # via sphinx\n"
                "widget @ file:.\n"
                "helper @ file:///opt/helper\n"
                "./vendor/localpkg\n"
                'sphinx==8.1.0 ; python_version >= "3.10"\n'
                f"theme @ git+https://example.org/o/theme.git@{sha}\n"
                "plugin @ git+https://example.org/o/plugin.git@main\n"
                "https://example.org/dl/tool-1.0.tar.gz\n"
                f"https://example.org/dl/lib-2.0.tar.gz#sha256={'ab' * 32}\n"
                "furo>=2024.1\n"
                "docutils==0.*\n"
            ),
        },
    )
    flagged = {(f.source.line, f.detail) for f in deps.unpinned}
    assert flagged == {
        (9, "not pinned: plugin @ git+https://example.org/o/plugin.git@main"),
        (10, "not pinned: https://example.org/dl/tool-1.0.tar.gz"),
        (12, "not pinned: furo>=2024.1"),
        (13, "not pinned: docutils==0.*"),
    }
