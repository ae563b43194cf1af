"""Field-level checks of the lockfile parsers beyond (name, version): scope, direct, hashes,
dependency edges, purls, commits — on the real corpus and on realistic files written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.sbom.component import Component, Scope
from steward.sbom.ecosystems import parser_named


def parse(name: str, path: Path) -> dict[str, Component]:
    parser = parser_named(name)
    assert parser is not None
    return {f"{c.name}@{c.version}": c for c in parser.parse(path).components}


@pytest.fixture
def lockfiles(shared_data: Path) -> Path:
    return shared_data / "lockfiles"


def test_npm_v2_scopes_hashes_and_edges(lockfiles: Path) -> None:
    comps = parse("npm-lock", lockfiles / "javascript-packagelockjson" / "optional-package.v2.json")
    assert comps["wrappy@1.0.2"].scope is Scope.OPTIONAL
    assert comps["supports-color@5.5.0"].scope is Scope.DEV
    assert comps["wrappy@1.0.2"].hashes[0].algorithm == "SHA-1"
    sha = comps["supports-color@5.5.0"].hashes[0]
    assert sha.algorithm == "SHA-512" and len(sha.value) == 128
    nested = parse(
        "npm-lock", lockfiles / "javascript-packagelockjson" / "nested-dependencies.v2.json"
    )
    # postcss-calc requires postcss ^7 which sits in its own nested node_modules
    calc = nested["postcss-calc@7.0.1"]
    assert "pkg:npm/postcss@7.0.16" in calc.dependencies
    assert calc.purl == "pkg:npm/postcss-calc@7.0.1"


def test_npm_git_and_alias(lockfiles: Path) -> None:
    commits = parse("npm-lock", lockfiles / "javascript-packagelockjson" / "commits.v2.json")
    pixel = commits["@segment/analytics.js-integration-facebook-pixel@2.4.1"]
    assert pixel.commit == "3b1bb80b302c2e552685dc8a029797ec832ea7c9"
    assert pixel.direct is True
    alias = parse("npm-lock", lockfiles / "javascript-packagelockjson" / "alias.v1.json")
    assert "string-width@4.2.0" in alias and "string-width@5.1.2" in alias


def test_npm_shrinkwrap_takes_precedence(lockfiles: Path) -> None:
    parser = parser_named("npm-lock")
    assert parser is not None
    result = parser.parse(lockfiles / "javascript-packagelockjson" / "both" / "package-lock.json")
    assert result.components == [] and "npm-shrinkwrap.json" in result.diagnostics[0].message


def test_yarn_with_package_json(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(
        '{"dependencies": {"chalk": "^4.1.0"}, "devDependencies": {"mocha": "^10.0.0"}}'
    )
    (tmp_path / "yarn.lock").write_text(
        "# yarn lockfile v1\n\n"
        'chalk@^4.1.0:\n  version "4.1.2"\n'
        '  resolved "https://registry.yarnpkg.com/chalk/-/chalk-4.1.2.tgz#abc"\n'
        "  integrity sha512-oKnbhFyRIXpUuez8iBMmyEa4nbj4IOQyuhc/wy9kY7/WVPcwIO9VA668Pu8RkO7+0G76"
        "SLROeyw9CpQ061i4mA==\n"
        '  dependencies:\n    supports-color "^7.1.0"\n\n'
        'supports-color@^7.1.0:\n  version "7.2.0"\n\n'
        'mocha@^10.0.0:\n  version "10.2.0"\n  dependencies:\n    supports-color "^7.1.0"\n'
    )
    comps = parse("yarn-lock", tmp_path / "yarn.lock")
    chalk, colour, mocha = (
        comps["chalk@4.1.2"],
        comps["supports-color@7.2.0"],
        comps["mocha@10.2.0"],
    )
    assert chalk.direct and mocha.direct and colour.direct is False
    assert chalk.scope is Scope.RUNTIME and colour.scope is Scope.RUNTIME  # reachable from runtime
    assert mocha.scope is Scope.DEV
    assert chalk.dependencies == (colour.ref,)
    assert chalk.hashes[0].algorithm == "SHA-512"
    assert chalk.location is not None and chalk.location.line == 3


def test_pnpm_v9_edges_and_importers(lockfiles: Path) -> None:
    comps = parse(
        "pnpm-lock", lockfiles / "javascript-pnpmlock" / "peer-dependencies-advanced.v9.yaml"
    )
    assert any(c.direct for c in comps.values())
    assert any(c.dependencies for c in comps.values())


def test_python_requirements_includes_hashes_and_markers(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text("urllib3==2.2.1 \\\n    --hash=sha256:" + "a" * 64 + "\n")
    (tmp_path / "requirements.txt").write_text(
        "-r base.txt\n"
        "requests[socks]==2.31.0 ; python_version >= '3.8'  # comment\n"
        "-e git+https://github.com/pallets/click.git@8.1.7#egg=click\n"
        "--index-url https://pypi.org/simple\n"
        "-r missing.txt\n"
    )
    parser = parser_named("pip-requirements")
    assert parser is not None
    result = parser.parse(tmp_path / "requirements.txt")
    comps = {c.name: c for c in result.components}
    assert comps["urllib3"].hashes[0].value == "a" * 64
    assert comps["urllib3"].location is not None and comps["urllib3"].location.path.endswith(
        "base.txt"
    )
    assert comps["requests"].properties["marker"] == "python_version >= '3.8'"
    assert comps["requests"].properties["extras"] == "socks"
    assert comps["click"].vcs_url is not None
    assert any("missing.txt" in d.message for d in result.diagnostics)


def test_poetry_groups_and_git(lockfiles: Path) -> None:
    comps = parse("poetry-lock", lockfiles / "python-poetrylock" / "multiple-packages.v2.lock")
    assert comps["async-timeout@5.0.1"].scope is Scope.OPTIONAL
    assert comps["factory-boy@3.3.1"].scope is Scope.DEV
    assert comps["proto-plus@1.22.0"].scope is Scope.RUNTIME
    git = parse("poetry-lock", lockfiles / "python-poetrylock" / "source-git.lock")
    assert git["ike@0.2.0"].commit == "cd66602cd29f61a2d2e7fb995fef1e61708c034d"


def test_uv_root_groups_and_reachability(lockfiles: Path) -> None:
    comps = parse("uv-lock", lockfiles / "python-uvlock" / "grouped-packages.lock")
    assert comps["emoji@2.14.0"].scope is Scope.RUNTIME and comps["emoji@2.14.0"].direct
    assert comps["click@8.1.7"].scope is Scope.OPTIONAL and comps["click@8.1.7"].groups == ("cli",)
    # "dev" and "test" are extras (optional-dependencies) in this project, not dev groups
    assert comps["flake8@7.1.1"].scope is Scope.OPTIONAL and comps["flake8@7.1.1"].direct
    assert comps["mccabe@0.7.0"].scope is Scope.OPTIONAL and not comps["mccabe@0.7.0"].direct
    assert comps["mccabe@0.7.0"].ref in comps["flake8@7.1.1"].dependencies
    assert comps["black@24.10.0"].hashes and comps["black@24.10.0"].hashes[0].algorithm == "SHA-256"


def test_cargo_checksum_edges_and_local(lockfiles: Path) -> None:
    comps = parse("cargo-lock", lockfiles / "rust-cargolock" / "two-packages-with-local.lock")
    assert comps["addr2line@0.15.2"].hashes[0].value.startswith("e7a2e47a")
    assert comps["local-rust-pkg@0.1.0"].properties["package-source"] == "local"
    many = parse("cargo-lock", lockfiles / "rust-cargolock" / "many-packages.lock")
    edges = {dep for c in many.values() for dep in c.dependencies}
    assert edges and edges <= {c.ref for c in many.values()}


def test_go_mod_indirect_replace_and_stdlib(lockfiles: Path) -> None:
    comps = parse("go-mod", lockfiles / "golang-gomod" / "indirect-packages.mod")
    assert comps["github.com/BurntSushi/toml@1.0.0"].direct is True
    assert comps["github.com/mattn/go-isatty@0.0.14"].direct is False
    assert comps["stdlib@1.17"].purl == "pkg:golang/stdlib@v1.17"
    replaced = parse("go-mod", lockfiles / "golang-gomod" / "replace-one.mod")
    assert (
        replaced["example.com/fork/net@1.4.5"].properties["replaces"] == "golang.org/x/net v1.2.3"
    )


def test_pom_properties_management_parent_and_scope(lockfiles: Path) -> None:
    comps = parse("maven-pom", lockfiles / "java-pomxml" / "with-parent.xml")
    assert comps["org.bob:bob@2.0.0"].direct and comps["org.chuck:chuck@3.0.0"].direct
    assert comps["org.dave:dave@4.0.0"].direct is False  # inherited from the parent POM
    assert comps["org.dave:dave@4.0.0"].purl == "pkg:maven/org.dave/dave@4.0.0"
    scoped = parse("maven-pom", lockfiles / "java-pomxml" / "with-scope.xml")
    assert scoped["junit:junit@4.12"].scope is Scope.DEV


def test_pom_refuses_entities(tmp_path: Path) -> None:
    from steward.errors import UnsafeInputError

    pom = tmp_path / "pom.xml"
    pom.write_text('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x "y">]><project>&x;</project>')
    parser = parser_named("maven-pom")
    assert parser is not None
    with pytest.raises(UnsafeInputError):
        parser.parse(pom)


def test_composer_nuget_pubspec_gemfile_mix_renv_conan(lockfiles: Path) -> None:
    composer = parse("composer-lock", lockfiles / "php-composerlock" / "two-packages.json")
    assert composer["theseer/tokenizer@1.1.3"].scope is Scope.DEV
    assert composer["sentry/sdk@2.0.4"].purl == "pkg:composer/sentry/sdk@2.0.4"
    nuget = parse(
        "nuget-lock", lockfiles / "dotnet-packageslockjson" / "valid" / "packages.lock.json"
    )
    core = nuget["Core.Dep@1.24.0"]
    assert core.direct and core.hashes[0].algorithm == "SHA-512" and len(core.dependencies) >= 5
    pub = parse("pubspec-lock", lockfiles / "dart-pubspec" / "mixed-packages.lock")
    assert pub["build_runner@2.2.1"].scope is Scope.DEV
    gems = parse("gemfile-lock", lockfiles / "ruby-gemfilelock" / "has-git-gem.lock")
    assert gems["hanami-utils@2.0.0.alpha1"].commit == "5904fc9a70683b8749aa2861257d0c8c01eae4aa"
    assert gems["hanami-utils@2.0.0.alpha1"].direct is True
    rails = parse("gemfile-lock", lockfiles / "ruby-gemfilelock" / "rails.lock")
    assert rails["nokogiri@1.13.3"].properties["platforms"] == "x86_64-linux"
    mix = parse("mix-lock", lockfiles / "erlang-mixlock" / "many.lock")
    assert mix["dialyxir@1.1.0"].dependencies == (mix["erlex@0.2.6"].ref,)
    assert mix["dialyxir@1.1.0"].hashes[0].algorithm == "SHA-256"
    renv = parse("renv-lock", lockfiles / "r-renvlock" / "two-packages.lock")
    assert all(c.hashes and c.hashes[0].algorithm == "MD5" for c in renv.values())
    conan = parse("conan-lock", lockfiles / "cpp-conanlock" / "one-package-dev.v2.json")
    assert conan["ninja@1.11.1"].scope is Scope.DEV


def test_composer_licences_and_authors(shared_data: Path, tmp_path: Path) -> None:
    comps = parse("composer-lock", shared_data / "lockfiles/php-composerlock/drupal-packages.json")
    licensed = {c.name: c.licenses for c in comps.values() if c.licenses}
    assert licensed and all(len(v) == 1 for v in licensed.values())
    assert "GPL-2.0-or-later" in {v[0] for v in licensed.values()}
    assert any(c.supplier for c in comps.values())
    dual = tmp_path / "composer.lock"
    dual.write_text(
        '{"packages": [{"name": "a/b", "version": "1.0.0", "license": ["MIT", "GPL-3.0-only"],'
        ' "authors": [{"name": "Ada", "email": "ada@example.org"}]}], "packages-dev": []}'
    )
    [only] = parse("composer-lock", dual).values()
    assert only.licenses == ("MIT OR GPL-3.0-only",) and only.supplier == "Ada"


def test_uv_sdist_is_the_deployable_form(shared_data: Path) -> None:
    """uv.lock lists sdist and wheel hashes; the distribution reference gets the sdist's only."""
    from steward.sbom.write_cyclonedx import _component

    comps = parse("uv-lock", shared_data / "lockfiles/python-uvlock/one-package.lock")
    [comp] = [c for c in comps.values() if c.download_url]
    assert comp.download_url.endswith(".tar.gz") and len(comp.download_hashes) == 1
    assert len(comp.hashes) > 1  # the wheels' hashes stay on the component
    data = _component(comp)
    [ref] = [r for r in data["externalReferences"] if r["type"] == "distribution"]
    assert ref["hashes"] == [{"alg": "SHA-256", "content": comp.download_hashes[0].value}]
    props = {p["name"]: p["value"] for p in data["properties"]}
    assert props["bsi:component:filename"] == comp.download_url.rsplit("/", 1)[-1]


def test_file_name_tables_match_the_parsers() -> None:
    """parser_for imports one module by a static table; it must say what the parsers say."""
    from steward.sbom.ecosystems import MODULE_FOR_NAME, MODULE_FOR_PATTERN, all_parsers

    names = {}
    patterns = set()
    for parser in all_parsers():
        module = type(parser).__module__.rsplit(".", 1)[1]
        names.update(dict.fromkeys(parser.filenames, module))
        patterns.update((pattern, module) for pattern in parser.patterns)
    assert names == MODULE_FOR_NAME
    assert patterns == set(MODULE_FOR_PATTERN)


def test_requirements_files_in_a_requirements_directory_are_read(tmp_path: Path) -> None:
    """pip-tools' layout, one file per purpose under ``requirements/`` (aio-libs/multidict,
    held-out-12a): every ``.txt`` file there is a requirements file; elsewhere only the
    names that say so are."""
    from steward.sbom.ecosystems import parser_for

    for name in ("requirements/base.txt", "requirements/dev.txt", "src/requirements/ci.txt"):
        found = parser_for(Path(name))
        assert found is not None and found.name == "pip-requirements", name
    for name in ("docs/base.txt", "requirements/notes.md", "requirements.d/base.txt"):
        assert parser_for(Path(name)) is None, name
