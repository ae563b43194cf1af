"""Scope, edges and direct dependencies decided from the lockfile text (issue 17, items 1-7).

Each test writes a small lockfile of one kind by hand, named after the kind of defect it
guards against; the package names are placeholders.
"""

from __future__ import annotations

from pathlib import Path

from steward.sbom.component import Component, ParseResult, Scope
from steward.sbom.ecosystems import parser_named


def run(parser: str, path: Path) -> ParseResult:
    found = parser_named(parser)
    assert found is not None
    return found.parse(path)


def by_id(result: ParseResult) -> dict[str, Component]:
    return {f"{c.name}@{c.version}": c for c in result.components}


def refs(result: ParseResult, *ids: str) -> set[str]:
    comps = by_id(result)
    return {comps[i].ref for i in ids}


# --------------------------------------------------------------------------- pnpm v9

PNPM_V9_SCOPE_BY_REACHABILITY = """\
lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      app-lib:
        specifier: ^1.0.0
        version: 1.0.0
    devDependencies:
      test-runner:
        specifier: ^2.0.0
        version: 2.0.0(peer-host@3.0.0)
    optionalDependencies:
      native-addon:
        specifier: ^4.0.0
        version: 4.0.0

  packages/sub:
    dependencies:
      shared-util:
        specifier: ^5.0.0
        version: 5.0.0
      sibling:
        specifier: workspace:*
        version: link:../sibling

packages:

  app-lib@1.0.0:
    resolution: {integrity: sha512-AAAA}
  both-used@1.0.0:
    resolution: {integrity: sha512-AAAA}
  test-runner@2.0.0:
    resolution: {integrity: sha512-AAAA}
  test-only-dep@1.0.0:
    resolution: {integrity: sha512-AAAA}
  peer-host@3.0.0:
    resolution: {integrity: sha512-AAAA}
  native-addon@4.0.0:
    resolution: {integrity: sha512-AAAA}
  fsevents-like@1.0.0:
    resolution: {integrity: sha512-AAAA}
  shared-util@5.0.0:
    resolution: {integrity: sha512-AAAA}

snapshots:

  app-lib@1.0.0:
    dependencies:
      both-used: 1.0.0
    optionalDependencies:
      fsevents-like: 1.0.0
  both-used@1.0.0: {}
  test-runner@2.0.0(peer-host@3.0.0):
    dependencies:
      both-used: 1.0.0
      peer-host: 3.0.0
      test-only-dep: 1.0.0
  test-only-dep@1.0.0: {}
  peer-host@3.0.0: {}
  native-addon@4.0.0: {}
  fsevents-like@1.0.0:
    optional: true
  shared-util@5.0.0: {}
"""


def test_pnpm_v9_scope_by_reachability(tmp_path: Path) -> None:
    lock = tmp_path / "pnpm-lock.yaml"
    lock.write_text(PNPM_V9_SCOPE_BY_REACHABILITY)
    result = run("pnpm-lock", lock)
    comps = by_id(result)
    scopes = {key: c.scope for key, c in comps.items()}
    assert scopes == {
        "app-lib@1.0.0": Scope.RUNTIME,
        "both-used@1.0.0": Scope.RUNTIME,  # runtime wins over dev
        "shared-util@5.0.0": Scope.RUNTIME,  # a workspace package's dependency
        "fsevents-like@1.0.0": Scope.OPTIONAL,  # reached only through an optional edge
        "native-addon@4.0.0": Scope.OPTIONAL,
        "test-runner@2.0.0": Scope.DEV,
        "test-only-dep@1.0.0": Scope.DEV,
        "peer-host@3.0.0": Scope.DEV,
    }
    assert comps["test-runner@2.0.0"].groups == ("dev",)
    assert set(result.root_dependencies) == refs(
        result, "app-lib@1.0.0", "test-runner@2.0.0", "native-addon@4.0.0", "shared-util@5.0.0"
    )
    assert result.root_known
    assert comps["app-lib@1.0.0"].direct and not comps["both-used@1.0.0"].direct
    assert set(comps["test-runner@2.0.0"].dependencies) == refs(
        result, "both-used@1.0.0", "peer-host@3.0.0", "test-only-dep@1.0.0"
    )


PNPM_ALIAS_WITH_PEER_SUFFIX = """\
lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      vue-old:
        specifier: npm:ui-framework@3.4.38
        version: ui-framework@3.4.38(typescript@6.0.3)
      logger:
        specifier: ^1.0.0
        version: 1.0.0

packages:

  ui-framework@3.4.38:
    resolution: {integrity: sha512-AAAA}
  typescript@6.0.3:
    resolution: {integrity: sha512-AAAA}
  logger@1.0.0:
    resolution: {integrity: sha512-AAAA}
  tiny-debug@1.0.2:
    resolution: {integrity: sha512-AAAA}
  ms@2.1.3:
    resolution: {integrity: sha512-AAAA}

snapshots:

  ui-framework@3.4.38(typescript@6.0.3):
    dependencies:
      typescript: 6.0.3
  typescript@6.0.3: {}
  logger@1.0.0:
    dependencies:
      debug: tiny-debug@1.0.2(ms@2.1.3)
  tiny-debug@1.0.2(ms@2.1.3):
    dependencies:
      ms: 2.1.3
  ms@2.1.3: {}
"""


def test_pnpm_alias_with_peer_suffix(tmp_path: Path) -> None:
    lock = tmp_path / "pnpm-lock.yaml"
    lock.write_text(PNPM_ALIAS_WITH_PEER_SUFFIX)
    result = run("pnpm-lock", lock)
    comps = by_id(result)
    assert comps["logger@1.0.0"].dependencies == (comps["tiny-debug@1.0.2"].ref,)
    assert comps["tiny-debug@1.0.2"].dependencies == (comps["ms@2.1.3"].ref,)
    assert set(result.root_dependencies) == refs(result, "ui-framework@3.4.38", "logger@1.0.0")
    assert comps["ui-framework@3.4.38"].direct is True
    assert comps["typescript@6.0.3"].scope is Scope.RUNTIME
    assert all(not c.unresolved for c in result.components)


PNPM_V6_ALIAS_PATH = """\
lockfileVersion: '6.0'

dependencies:
  logger:
    specifier: ^1.0.0
    version: 1.0.0

packages:

  /logger@1.0.0:
    resolution: {integrity: sha512-AAAA}
    dependencies:
      debug: /tiny-debug@1.0.2
    dev: false

  /tiny-debug@1.0.2:
    resolution: {integrity: sha512-AAAA}
    dependencies:
      missing-one: 9.9.9
    dev: false
"""


def test_pnpm_v6_alias_path_and_unresolved_dependency(tmp_path: Path) -> None:
    lock = tmp_path / "pnpm-lock.yaml"
    lock.write_text(PNPM_V6_ALIAS_PATH)
    result = run("pnpm-lock", lock)
    comps = by_id(result)
    assert comps["logger@1.0.0"].dependencies == (comps["tiny-debug@1.0.2"].ref,)
    # a dependency the lockfile names but does not lock: the edge list is partial
    assert comps["tiny-debug@1.0.2"].unresolved == ("missing-one@9.9.9",)
    assert comps["logger@1.0.0"].unresolved == ()


# --------------------------------------------------------------------------------- uv

UV_TWO_VERSIONS_OF_ONE_PACKAGE = """\
version = 1
revision = 3
requires-python = ">=3.10"

[manifest]
members = ["app", "app-core"]

[[package]]
name = "app"
version = "0.3.0"
source = { editable = "." }
dependencies = [
    { name = "app-core" },
    { name = "numlib", version = "1.0.0", source = { registry = "R" }, marker = "py < '3.11'" },
    { name = "numlib", version = "2.0.0", source = { registry = "R" }, marker = "py >= '3.11'" },
]

[package.optional-dependencies]
fancy = [{ name = "colour-lib" }]

[package.dev-dependencies]
test = [{ name = "test-kit" }]

[[package]]
name = "app-core"
source = { editable = "core" }
dependencies = [{ name = "small-util" }]

[package.dev-dependencies]
dev = [{ name = "bench-kit" }]

[[package]]
name = "numlib"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "old-helper" }]

[[package]]
name = "numlib"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "new-helper", extra = ["speed"] }]

[[package]]
name = "old-helper"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "new-helper"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
speed = [{ name = "fast-core" }]
unused = [{ name = "never-activated" }]

[[package]]
name = "fast-core"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "never-activated"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "small-util"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "colour-lib"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "test-kit"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "small-util" },
    { name = "numlib", version = "2.0.0", source = { registry = "https://pypi.org/simple" } },
]

[[package]]
name = "bench-kit"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }
"""


def test_uv_two_versions_of_one_package(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(UV_TWO_VERSIONS_OF_ONE_PACKAGE)
    result = run("uv-lock", lock)
    comps = by_id(result)
    # each version keeps its own edges
    assert comps["numlib@1.0.0"].dependencies == (comps["old-helper@1.0.0"].ref,)
    assert comps["numlib@2.0.0"].dependencies == (comps["new-helper@1.0.0"].ref,)
    # a versioned entry points at that version only
    assert comps["test-kit@1.0.0"].dependencies == (
        comps["small-util@1.0.0"].ref,
        comps["numlib@2.0.0"].ref,
    )
    scopes = {key: c.scope for key, c in comps.items()}
    assert scopes["numlib@1.0.0"] is Scope.RUNTIME
    assert scopes["old-helper@1.0.0"] is Scope.RUNTIME  # was labelled dev
    assert scopes["fast-core@1.0.0"] is Scope.RUNTIME  # activated extra
    assert scopes["small-util@1.0.0"] is Scope.RUNTIME  # through the workspace member
    assert scopes["colour-lib@1.0.0"] is Scope.OPTIONAL
    assert scopes["test-kit@1.0.0"] is Scope.DEV
    assert scopes["bench-kit@1.0.0"] is Scope.DEV  # a workspace member's dev group
    assert scopes["never-activated@1.0.0"] is Scope.RUNTIME  # unreached: not provably dev
    assert comps["test-kit@1.0.0"].groups == ("test",)
    assert result.project_name == "app" and result.project_version == "0.3.0"
    assert set(result.root_dependencies) == refs(
        result, "numlib@1.0.0", "numlib@2.0.0", "colour-lib@1.0.0", "test-kit@1.0.0"
    )


# --------------------------------------------------------------------------- composer

COMPOSER_PLATFORM_VS_PACKAGE = {
    "packages": [
        {
            "name": "acme/app-kit",
            "version": "v1.2.6",
            "require": {
                "php": ">=8.1",
                "ext-pcre": "*",
                "composer-plugin-api": "^2.0",
                "phpoption/phpoption": "^1.9",
                "illuminate/support": "^10.0",
            },
            "dist": {"type": "zip", "url": "https://example.org/app-kit.zip", "shasum": ""},
        },
        {"name": "phpoption/phpoption", "version": "1.9.2", "require": {"php": "^7.2.5 || ^8.0"}},
        {
            "name": "laravel/framework",
            "version": "v10.0.0",
            "replace": {"illuminate/support": "self.version"},
        },
        {"name": "acme/transitive-only", "version": "2.0.0"},
    ],
    "packages-dev": [
        {"name": "phpunit/phpunit", "version": "10.5.0", "require": {"acme/transitive-only": "^2"}},
    ],
}


def test_composer_platform_vs_package(tmp_path: Path) -> None:
    import json

    lock = tmp_path / "composer.lock"
    lock.write_text(json.dumps(COMPOSER_PLATFORM_VS_PACKAGE))
    result = run("composer-lock", lock)
    comps = by_id(result)
    kit = comps["acme/app-kit@v1.2.6"]
    # php, ext-pcre and composer-plugin-api are platform packages; phpoption/... is not
    assert set(kit.dependencies) == refs(
        result, "phpoption/phpoption@1.9.2", "laravel/framework@v10.0.0"
    )
    assert kit.unresolved == ()
    assert comps["phpunit/phpunit@10.5.0"].dependencies == (
        comps["acme/transitive-only@2.0.0"].ref,
    )
    # no composer.json: the lockfile cannot tell direct from transitive
    assert all(c.direct is None for c in result.components) and not result.root_known


def test_composer_direct_dependencies_from_composer_json(tmp_path: Path) -> None:
    import json

    (tmp_path / "composer.lock").write_text(json.dumps(COMPOSER_PLATFORM_VS_PACKAGE))
    (tmp_path / "composer.json").write_text(
        json.dumps(
            {
                "name": "acme/site",
                "version": "3.1.0",
                "require": {"php": "^8.1", "acme/app-kit": "^1.2", "acme/transitive-only": "^2"},
                "require-dev": {"phpunit/phpunit": "^10"},
            }
        )
    )
    result = run("composer-lock", tmp_path / "composer.lock")
    comps = by_id(result)
    direct = {key for key, c in comps.items() if c.direct}
    # acme/transitive-only has a dependent but the manifest asks for it: direct all the same
    assert direct == {"acme/app-kit@v1.2.6", "acme/transitive-only@2.0.0", "phpunit/phpunit@10.5.0"}
    assert result.root_known and len(result.root_dependencies) == 3


def test_composer_version_spelling_is_one_per_component(tmp_path: Path) -> None:
    import json

    from steward.vuln.ranges import Verdict, evaluate

    lock = tmp_path / "composer.lock"
    lock.write_text(json.dumps(COMPOSER_PLATFORM_VS_PACKAGE))
    kit = by_id(run("composer-lock", lock))["acme/app-kit@v1.2.6"]
    assert kit.version == "v1.2.6" and kit.purl == "pkg:composer/acme/app-kit@v1.2.6"
    # advisories list Composer versions without the v: both spellings match
    for listed in (
        {"versions": ["1.2.6"]},
        {
            "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "1.0.0"}, {"fixed": "1.2.7"}]}
            ]
        },
    ):
        entry = {"package": {"ecosystem": "Packagist", "name": "acme/app-kit"}, **listed}
        assert evaluate(entry, kit.version) is Verdict.AFFECTED


# ---------------------------------------------------------------------------- Gemfile

GEMFILE_PLATFORM_VARIANTS = """\
GEM
  remote: https://rubygems.org/
  specs:
    mini_portile2 (2.8.9)
    racc (1.8.1)
    xml-kit (1.14.3)
      mini_portile2 (~> 2.8.0)
      racc (~> 1.4)
    xml-kit (1.14.3-x86_64-linux)
      racc (~> 1.4)
    web-kit (7.1.0)
      xml-kit (>= 1.6)
      not-locked-anywhere (>= 1)

PLATFORMS
  ruby
  x86_64-linux

DEPENDENCIES
  web-kit (~> 7.1)

BUNDLED WITH
   2.5.9
"""


def test_gemfile_platform_variants(tmp_path: Path) -> None:
    lock = tmp_path / "Gemfile.lock"
    lock.write_text(GEMFILE_PLATFORM_VARIANTS)
    result = run("gemfile-lock", lock)
    comps = by_id(result)
    assert [c.name for c in result.components].count("xml-kit") == 1
    xml = comps["xml-kit@1.14.3"]
    # the ruby variant's mini_portile2 edge is kept alongside the shared racc edge
    assert set(xml.dependencies) == refs(result, "mini_portile2@2.8.9", "racc@1.8.1")
    assert xml.properties["platforms"] == "ruby,x86_64-linux"
    assert "platforms" not in comps["racc@1.8.1"].properties
    assert comps["web-kit@7.1.0"].unresolved == ("not-locked-anywhere",)
    assert result.root_dependencies == [comps["web-kit@7.1.0"].ref] and result.root_known


# ------------------------------------------------------------------------------ Cargo

CARGO_SAME_NAME_LOCAL_AND_REGISTRY = """\
version = 4

[[package]]
name = "my-app"
version = "0.4.0"
dependencies = [
 "shim 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)",
 "tool-kit",
]

[[package]]
name = "shim"
version = "1.0.0"
dependencies = [
 "shim 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)",
]

[[package]]
name = "shim"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "e7a2e47a1fbe209ee101dd6d61285226744c6c8d3c21c8dc878ba6cb9f467f3a"

[[package]]
name = "tool-kit"
version = "2.0.0"
source = "sparse+https://crates.example.org/index/"
"""


def test_cargo_same_name_local_and_registry(tmp_path: Path) -> None:
    lock = tmp_path / "Cargo.lock"
    lock.write_text(CARGO_SAME_NAME_LOCAL_AND_REGISTRY)
    result = run("cargo-lock", lock)
    local = next(c for c in result.components if c.ref.endswith("#local") and c.name == "shim")
    registry = next(c for c in result.components if c.name == "shim" and c is not local)
    # "shim 1.0.0 (registry+...)" is the registry crate, not the local package
    assert local.dependencies == (registry.ref,)
    assert local.properties == {"package-source": "local"}
    assert registry.properties == {
        "package-source": "registry+https://github.com/rust-lang/crates.io-index"
    }
    tool = by_id(result)["tool-kit@2.0.0"]
    assert tool.purl == (
        "pkg:cargo/tool-kit@2.0.0?repository_url=https://crates.example.org/index/"
    )
    # no Cargo.toml: the root depends on the workspace members
    assert result.root_known and {c.name for c in result.components if c.direct} == {
        "my-app",
        "shim",
    }


def test_cargo_root_from_cargo_toml(tmp_path: Path) -> None:
    (tmp_path / "Cargo.lock").write_text(CARGO_SAME_NAME_LOCAL_AND_REGISTRY)
    (tmp_path / "Cargo.toml").write_text(
        '[package]\nname = "my-app"\nversion = "0.4.0"\n\n[dependencies]\ntool-kit = "2"\n'
    )
    result = run("cargo-lock", tmp_path / "Cargo.lock")
    assert (result.project_name, result.project_version) == ("my-app", "0.4.0")
    assert "my-app" not in {c.name for c in result.components}  # the root, not a component
    comps = {c.ref: c for c in result.components}
    assert {comps[r].name for r in result.root_dependencies} == {"shim", "tool-kit"}
    assert next(c for c in result.components if c.name == "tool-kit").direct is True


# ------------------------------------------------------------------------------- yarn

YARN_BERRY_RESOLUTIONS_OVERRIDE = """\
# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 8
  cacheKey: 10

"md-parse@npm:^5.0.0":
  version: 5.0.3
  resolution: "md-parse@npm:5.0.3"
  dependencies:
    trim: "npm:0.0.1"
  checksum: 10/abcd
  languageName: node
  linkType: hard

"trim@npm:1.0.1":
  version: 1.0.1
  resolution: "trim@npm:1.0.1"
  checksum: 10/abcd
  languageName: node
  linkType: hard

"lint-kit@npm:^2.0.0":
  version: 2.0.0
  resolution: "lint-kit@npm:2.0.0"
  languageName: node
  linkType: hard

"site@workspace:.":
  version: 0.0.0-use.local
  resolution: "site@workspace:."
  dependencies:
    lint-kit: "npm:^2.0.0"
    md-parse: "npm:^5.0.0"
  languageName: unknown
  linkType: soft
"""


def test_yarn_berry_resolutions_override(tmp_path: Path) -> None:
    import json

    (tmp_path / "yarn.lock").write_text(YARN_BERRY_RESOLUTIONS_OVERRIDE)
    (tmp_path / "package.json").write_text(
        json.dumps(
            {
                "name": "site",
                "dependencies": {"md-parse": "^5.0.0"},
                "devDependencies": {"lint-kit": "^2.0.0"},
                "resolutions": {"trim": "1.0.1"},
            }
        )
    )
    result = run("yarn-lock", tmp_path / "yarn.lock")
    comps = by_id(result)
    assert comps["md-parse@5.0.3"].dependencies == (comps["trim@1.0.1"].ref,)
    assert comps["md-parse@5.0.3"].unresolved == ()
    assert comps["trim@1.0.1"].scope is Scope.RUNTIME  # was dev: --exclude-dev dropped it
    assert comps["lint-kit@2.0.0"].scope is Scope.DEV


SHA512 = "sha512-" + "A" * 86 + "=="
YARN_V1_ALIAS_WITHOUT_RANGE = f"""\
# yarn lockfile v1


"foo-ms@npm:ms":
  version "2.1.3"
  resolved "https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#5e37a4c1d4c6a3a2d9a8f5f1b0a3c5ad12e7e0aa"

"scoped-alias@npm:@scope/real-lib":
  version "1.0.0"
  resolved "https://registry.yarnpkg.com/@scope/real-lib/-/real-lib-1.0.0.tgz#0123456789abcdef0123456789abcdef01234567"
  integrity {SHA512}

"via-git@https://codeload.github.com/acme/via-git/tar.gz/0123456789abcdef0123456789abcdef01234567":
  version "3.0.0"
  resolved "https://codeload.github.com/acme/via-git/tar.gz/0123456789abcdef0123456789abcdef01234567"
"""


def test_yarn_v1_alias_without_range(tmp_path: Path) -> None:
    (tmp_path / "yarn.lock").write_text(YARN_V1_ALIAS_WITHOUT_RANGE)
    comps = by_id(run("yarn-lock", tmp_path / "yarn.lock"))
    ms = comps["ms@2.1.3"]
    assert ms.purl == "pkg:npm/ms@2.1.3" and "foo-ms@2.1.3" not in comps
    # the hex after # in a registry tarball URL is the tarball's SHA-1, not a commit
    assert ms.commit is None and ms.ref == "pkg:npm/ms@2.1.3"
    assert [(h.algorithm, h.value) for h in ms.hashes] == [
        ("SHA-1", "5e37a4c1d4c6a3a2d9a8f5f1b0a3c5ad12e7e0aa")
    ]
    assert ms.download_url == "https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz"
    scoped = comps["@scope/real-lib@1.0.0"]
    assert scoped.purl == "pkg:npm/%40scope/real-lib@1.0.0"
    assert [h.algorithm for h in scoped.hashes] == ["SHA-512"]
    assert comps["via-git@3.0.0"].commit == "0123456789abcdef0123456789abcdef01234567"


def test_pnpm_v9_corpus_groups_are_not_correctness(shared_data: Path) -> None:
    """The shared corpus expects ``groups: []`` for every pnpm v9 package because its source
    does not compute them; the lockfile itself says otherwise (labelled by hand here): the
    v9 file and its v6 sibling must give the same scopes."""
    folder = shared_data / "lockfiles" / "javascript-pnpmlock"
    for fixture, versions in (
        ("mixed-groups.v9.yaml", ("5.0.1", "8.3.2")),
        ("mixed-groups.v6.yaml", ("5.0.0", "8.0.0")),
    ):
        comps = by_id(run("pnpm-lock", folder / fixture))
        assert comps[f"ansi-regex@{versions[0]}"].scope is Scope.RUNTIME, fixture
        assert comps["is-number@7.0.0"].scope is Scope.DEV, fixture  # a devDependency
        assert comps[f"uuid@{versions[1]}"].scope is Scope.OPTIONAL, fixture  # optional


# Cargo writes a path package's dependency entry without a source (path sources are never
# serialised): when a registry crate and a path package share name and version, the bare
# "name version" entry is the path package (cargo's lookup_id prefers the one path package).
CARGO_BARE_ENTRY_IS_THE_PATH_PACKAGE = """\
version = 4

[[package]]
name = "logger"
version = "0.4.21"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "90ed8c1e510134f979dbc4f070f87d4313098b704861a105fe34231c70a3901c"

[[package]]
name = "logger"
version = "0.4.21"

[[package]]
name = "tool-cli"
version = "0.9.1"
dependencies = [
 "logger 0.4.21",
 "tool-core",
]

[[package]]
name = "tool-core"
version = "0.9.1"
dependencies = [
 "logger 0.4.21 (registry+https://github.com/rust-lang/crates.io-index)",
]
"""


def test_cargo_bare_entry_is_the_path_package(tmp_path: Path) -> None:
    lock = tmp_path / "Cargo.lock"
    lock.write_text(CARGO_BARE_ENTRY_IS_THE_PATH_PACKAGE)
    result = run("cargo-lock", lock)
    comps = {c.name + ("#local" if c.ref.endswith("#local") else ""): c for c in result.components}
    assert comps["tool-cli#local"].dependencies == (
        comps["logger#local"].ref,
        comps["tool-core#local"].ref,
    )
    assert comps["tool-core#local"].dependencies == (comps["logger"].ref,)


# A resolutions key may name the protocol (``"@scope/ui@npm:^1.0.0": "1.2.0"``) while the
# manifest and the lockfile's dependents spell the range without it (``^1.0.0``), or the other
# way round: both name the same descriptor.
YARN_BERRY_RESOLUTION_KEY_WITH_PROTOCOL = """\
__metadata:
  version: 8
  cacheKey: 10c0

"@scope/ui@npm:1.2.0":
  version: 1.2.0
  resolution: "@scope/ui@npm:1.2.0"
  checksum: 10c0/aaaa
  languageName: node
  linkType: hard

"theme-kit@npm:3.0.0":
  version: 3.0.0
  resolution: "theme-kit@npm:3.0.0"
  dependencies:
    "@scope/ui": "npm:^1.0.0"
  languageName: node
  linkType: hard

"site@workspace:.":
  version: 0.0.0-use.local
  resolution: "site@workspace:."
  dependencies:
    "@scope/ui": "npm:^1.0.0"
    theme-kit: "npm:3.0.0"
  languageName: unknown
  linkType: soft
"""


def test_yarn_berry_resolution_key_with_protocol(tmp_path: Path) -> None:
    import json

    (tmp_path / "yarn.lock").write_text(YARN_BERRY_RESOLUTION_KEY_WITH_PROTOCOL)
    (tmp_path / "package.json").write_text(
        json.dumps(
            {
                "name": "site",
                "dependencies": {"@scope/ui": "^1.0.0", "theme-kit": "3.0.0"},
                "resolutions": {"@scope/ui@npm:^1.0.0": "1.2.0"},
            }
        )
    )
    result = run("yarn-lock", tmp_path / "yarn.lock")
    comps = by_id(result)
    ui = comps["@scope/ui@1.2.0"]
    assert ui.direct is True and ui.ref in result.root_dependencies
    assert comps["theme-kit@3.0.0"].dependencies == (ui.ref,)
    assert comps["theme-kit@3.0.0"].unresolved == ()


# uv.lock keeps an extra's dependencies under the package's ``optional-dependencies``; where a
# dependent activates the extra (``{ name = "web-client", extra = ["http2"] }``) the installed
# package depends on them too, so its edge list (written as complete) must name them.
UV_ACTIVATED_EXTRA_IS_AN_EDGE = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "api"
version = "1.0.0"
source = { editable = "." }
dependencies = [
    { name = "web-client", extra = ["http2"] },
]

[[package]]
name = "frame-codec"
version = "4.1.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "header-pack" },
]

[[package]]
name = "header-pack"
version = "4.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "web-client"
version = "0.27.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "idna-like" },
]

[package.optional-dependencies]
http2 = [
    { name = "frame-codec" },
]
socks = [
    { name = "socks-lib" },
]

[[package]]
name = "idna-like"
version = "3.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "socks-lib"
version = "1.7.1"
source = { registry = "https://pypi.org/simple" }
"""


def test_uv_activated_extra_is_an_edge(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(UV_ACTIVATED_EXTRA_IS_AN_EDGE)
    comps = by_id(run("uv-lock", lock))
    # the activated extra's package is an edge; the extra nobody activates is not
    assert comps["web-client@0.27.0"].dependencies == (
        comps["idna-like@3.7"].ref,
        comps["frame-codec@4.1.0"].ref,
    )
    assert comps["frame-codec@4.1.0"].scope is Scope.RUNTIME


# npm installs each workspace as a link (``node_modules/@app/util`` -> ``packages/util``): a
# dependency on the workspace resolves through the link, and the project depends on its
# workspaces (they were orphans, outside the graph an auditor checks).
NPM_WORKSPACE_LINKS = {
    "name": "svc",
    "version": "1.2.0",
    "lockfileVersion": 3,
    "requires": True,
    "packages": {
        "": {
            "name": "svc",
            "version": "1.2.0",
            "workspaces": ["packages/*"],
            "dependencies": {"small-lib": "^2.1.3"},
        },
        "node_modules/small-lib": {
            "version": "2.1.3",
            "resolved": "https://registry.npmjs.org/small-lib/-/small-lib-2.1.3.tgz",
        },
        "node_modules/@app/util": {"resolved": "packages/util", "link": True},
        "node_modules/@app/cli": {"resolved": "packages/cli", "link": True},
        "packages/util": {
            "name": "@app/util",
            "version": "0.1.0",
            "dependencies": {"small-lib": "^2.1.3"},
        },
        "packages/cli": {
            "name": "@app/cli",
            "version": "0.2.0",
            "dependencies": {"@app/util": "^0.1.0"},
        },
    },
}


def test_npm_workspace_links(tmp_path: Path) -> None:
    import json

    (tmp_path / "package-lock.json").write_text(json.dumps(NPM_WORKSPACE_LINKS))
    result = run("npm-lock", tmp_path / "package-lock.json")
    comps = by_id(result)
    util, cli = comps["@app/util@0.1.0"], comps["@app/cli@0.2.0"]
    assert cli.dependencies == (util.ref,) and cli.unresolved == ()
    assert util.dependencies == (comps["small-lib@2.1.3"].ref,)
    assert {util.ref, cli.ref} <= set(result.root_dependencies)
    assert util.direct is True and cli.direct is True


# yarn berry keeps each workspace as an entry of its own, version ``0.0.0-use.local`` (a
# placeholder); the project depends on its workspaces, and what they need is runtime.
YARN_BERRY_WORKSPACES = """\
__metadata:
  version: 8
  cacheKey: 10c0

"@mono/cli@workspace:packages/cli":
  version: 0.0.0-use.local
  resolution: "@mono/cli@workspace:packages/cli"
  dependencies:
    "@mono/util": "workspace:^"
  languageName: unknown
  linkType: soft

"@mono/util@workspace:^, @mono/util@workspace:packages/util":
  version: 0.0.0-use.local
  resolution: "@mono/util@workspace:packages/util"
  dependencies:
    small-lib: "npm:^2.1.3"
  languageName: unknown
  linkType: soft

"small-lib@npm:^2.1.3":
  version: 2.1.3
  resolution: "small-lib@npm:2.1.3"
  checksum: 10c0/abcd
  languageName: node
  linkType: hard

"lint-kit@npm:^2.0.0":
  version: 2.0.0
  resolution: "lint-kit@npm:2.0.0"
  languageName: node
  linkType: hard

"mono@workspace:.":
  version: 0.0.0-use.local
  resolution: "mono@workspace:."
  dependencies:
    lint-kit: "npm:^2.0.0"
  languageName: unknown
  linkType: soft
"""


def test_yarn_berry_workspaces(tmp_path: Path) -> None:
    import json

    (tmp_path / "yarn.lock").write_text(YARN_BERRY_WORKSPACES)
    (tmp_path / "package.json").write_text(
        json.dumps(
            {
                "name": "mono",
                "workspaces": ["packages/*"],
                "devDependencies": {"lint-kit": "^2.0.0"},
            }
        )
    )
    (tmp_path / "packages" / "cli").mkdir(parents=True)
    (tmp_path / "packages" / "cli" / "package.json").write_text('{"version": "3.1.0"}')
    result = run("yarn-lock", tmp_path / "yarn.lock")
    comps = {c.name: c for c in result.components}
    cli, util = comps["@mono/cli"], comps["@mono/util"]
    assert cli.version == "3.1.0"  # from its package.json
    assert not util.version  # no package.json: no version, not the 0.0.0-use.local placeholder
    assert {cli.ref, util.ref} <= set(result.root_dependencies)
    assert comps["small-lib"].scope is Scope.RUNTIME  # reached through a workspace
    assert comps["lint-kit"].scope is Scope.DEV


# classic yarn.lock has no entries for workspaces: their package.json files say what the
# project needs (a runtime dependency of a workspace was unreached, and the root's
# ``dependsOn: []`` claimed the project needs nothing).
YARN_V1_WORKSPACE_DEPENDENCIES = """\
# yarn lockfile v1


left-pad@^1.3.0:
  version "1.3.0"
  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#5b8a3a7765dfe001261dde915589e782f8c94d1e"

small-lib@^2.1.3:
  version "2.1.3"
  resolved "https://registry.yarnpkg.com/small-lib/-/small-lib-2.1.3.tgz#574c8138ce1d2b5861f0b44579dbadd60c6615b2"

test-kit@^4.0.0:
  version "4.0.0"
  resolved "https://registry.yarnpkg.com/test-kit/-/test-kit-4.0.0.tgz#0123456789abcdef0123456789abcdef01234567"
"""


def test_yarn_v1_workspace_dependencies(tmp_path: Path) -> None:
    import json

    (tmp_path / "yarn.lock").write_text(YARN_V1_WORKSPACE_DEPENDENCIES)
    (tmp_path / "package.json").write_text(
        json.dumps(
            {
                "name": "mono",
                "private": True,
                "workspaces": {"packages": ["packages/*"]},
                "devDependencies": {"left-pad": "^1.3.0"},
            }
        )
    )
    lib = tmp_path / "packages" / "lib"
    lib.mkdir(parents=True)
    (lib / "package.json").write_text(
        json.dumps(
            {
                "name": "@mono/lib",
                "dependencies": {"small-lib": "^2.1.3"},
                "devDependencies": {"test-kit": "^4.0.0"},
            }
        )
    )
    result = run("yarn-lock", tmp_path / "yarn.lock")
    comps = by_id(result)
    assert comps["small-lib@2.1.3"].scope is Scope.RUNTIME
    assert comps["small-lib@2.1.3"].direct is True
    assert comps["small-lib@2.1.3"].ref in result.root_dependencies
    assert comps["test-kit@4.0.0"].scope is Scope.DEV
    assert comps["left-pad@1.3.0"].scope is Scope.DEV


# Cargo.lock lists a member's dev-dependencies among its dependencies with no flag; the
# Cargo.toml beside it (and its workspace members' ones) says which are dev: --exclude-dev
# kept the test-only crates.
CARGO_DEV_DEPENDENCIES_FROM_CARGO_TOML = """\
version = 4

[[package]]
name = "rand-lite"
version = "2.1.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde-lite"
version = "1.0.203"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "temp-dir"
version = "3.10.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "rand-lite",
]

[[package]]
name = "tool-cli"
version = "0.9.1"
dependencies = [
 "serde-lite",
 "temp-dir",
 "tool-core",
]

[[package]]
name = "tool-core"
version = "0.9.1"
dependencies = [
 "rand-lite",
 "serde-lite",
]
"""


def test_cargo_dev_dependencies_from_cargo_toml(tmp_path: Path) -> None:
    (tmp_path / "Cargo.lock").write_text(CARGO_DEV_DEPENDENCIES_FROM_CARGO_TOML)
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["crates/*"]\n')
    for name, body in (
        (
            "cli",
            '[dependencies]\nserde-lite = "1"\ntool-core = { path = "../core" }\n'
            '\n[dev-dependencies]\ntemp-dir = "3"\n',
        ),
        ("core", '[dependencies]\nserde-lite = "1"\nrand-lite = "2"\n'),
    ):
        (tmp_path / "crates" / name).mkdir(parents=True)
        (tmp_path / "crates" / name / "Cargo.toml").write_text(
            f'[package]\nname = "tool-{name}"\nversion = "0.9.1"\n\n{body}'
        )
    comps = by_id(run("cargo-lock", tmp_path / "Cargo.lock"))
    assert comps["temp-dir@3.10.1"].scope is Scope.DEV
    # a dev-only crate's dependency is dev unless a runtime path reaches it (tool-core does)
    assert comps["rand-lite@2.1.0"].scope is Scope.RUNTIME
    assert comps["serde-lite@1.0.203"].scope is Scope.RUNTIME
    assert comps["tool-core@0.9.1"].scope is Scope.RUNTIME


def test_cargo_virtual_workspace_depends_on_its_members(tmp_path: Path) -> None:
    """A path dependency of a member (``logger`` below) is not a workspace member: the
    project reaches it through the member, not directly."""
    (tmp_path / "Cargo.lock").write_text(CARGO_BARE_ENTRY_IS_THE_PATH_PACKAGE)
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["crates/*"]\n')
    for name in ("cli", "core"):
        (tmp_path / "crates" / name).mkdir(parents=True)
        (tmp_path / "crates" / name / "Cargo.toml").write_text(
            f'[package]\nname = "tool-{name}"\nversion = "0.9.1"\n'
        )
    result = run("cargo-lock", tmp_path / "Cargo.lock")
    local = {c.name: c for c in result.components if c.ref.endswith("#local")}
    assert set(result.root_dependencies) == {local["tool-cli"].ref, local["tool-core"].ref}
    assert local["logger"].direct is False


# pnpm writes one importer per workspace member but records neither its name nor its
# version: with each member's package.json beside the lockfile the members are components
# (package-source local), the project depends on them, and each has the edges its importer
# lists (a ``link:`` to another member included); their dev dependencies are dev.
PNPM_WORKSPACE_MEMBERS = """\
lockfileVersion: '9.0'

importers:

  .:
    devDependencies:
      test-runner:
        specifier: ^2.0.0
        version: 2.0.0

  packages/util:
    dependencies:
      small-lib:
        specifier: ^1.0.0
        version: 1.0.0
    devDependencies:
      lint-kit:
        specifier: ^3.0.0
        version: 3.0.0

  packages/cli:
    dependencies:
      '@mono/util':
        specifier: workspace:*
        version: link:../util
    optionalDependencies:
      native-addon:
        specifier: ^4.0.0
        version: 4.0.0

packages:

  small-lib@1.0.0:
    resolution: {integrity: sha512-AAAA}
  lint-kit@3.0.0:
    resolution: {integrity: sha512-AAAA}
  test-runner@2.0.0:
    resolution: {integrity: sha512-AAAA}
  native-addon@4.0.0:
    resolution: {integrity: sha512-AAAA}

snapshots:

  small-lib@1.0.0: {}
  lint-kit@3.0.0: {}
  test-runner@2.0.0: {}
  native-addon@4.0.0: {}
"""


def _pnpm_workspace(tmp_path: Path, with_manifests: bool) -> ParseResult:
    import json

    lock = tmp_path / "pnpm-lock.yaml"
    lock.write_text(PNPM_WORKSPACE_MEMBERS)
    (tmp_path / "pnpm-workspace.yaml").write_text("packages:\n  - 'packages/*'\n")
    if with_manifests:
        for name, version in (("util", "0.1.0"), ("cli", None)):
            member = tmp_path / "packages" / name
            member.mkdir(parents=True)
            manifest = {"name": f"@mono/{name}"} | ({"version": version} if version else {})
            (member / "package.json").write_text(json.dumps(manifest))
    return run("pnpm-lock", lock)


def test_pnpm_workspace_members_are_components(tmp_path: Path) -> None:
    result = _pnpm_workspace(tmp_path, with_manifests=True)
    comps = by_id(result)
    util, cli = comps["@mono/util@0.1.0"], comps["@mono/cli@"]  # cli has no version
    assert util.properties["package-source"] == "local" and util.location.line == 11
    assert cli.properties["package-source"] == "local" and cli.purl == "pkg:npm/%40mono/cli"
    assert util.direct is True and cli.direct is True
    assert set(result.root_dependencies) == {util.ref, cli.ref, comps["test-runner@2.0.0"].ref}
    assert set(util.dependencies) == refs(result, "small-lib@1.0.0", "lint-kit@3.0.0")
    assert set(cli.dependencies) == {util.ref, comps["native-addon@4.0.0"].ref}
    assert not comps["small-lib@1.0.0"].direct  # a member's dependency, not the root's
    scopes = {key: c.scope for key, c in comps.items()}
    assert scopes == {
        "@mono/util@0.1.0": Scope.RUNTIME,
        "@mono/cli@": Scope.RUNTIME,
        "small-lib@1.0.0": Scope.RUNTIME,  # what a member needs at run time is runtime
        "lint-kit@3.0.0": Scope.DEV,  # a member's dev dependency
        "test-runner@2.0.0": Scope.DEV,
        "native-addon@4.0.0": Scope.OPTIONAL,
    }


def test_pnpm_members_without_package_json_are_the_projects_lists(tmp_path: Path) -> None:
    # the lockfile read on its own: no member can be named, so (as before) what each
    # importer lists is the project's own
    result = _pnpm_workspace(tmp_path, with_manifests=False)
    comps = by_id(result)
    assert set(comps) == {
        "small-lib@1.0.0",
        "lint-kit@3.0.0",
        "test-runner@2.0.0",
        "native-addon@4.0.0",
    }
    assert set(result.root_dependencies) == {c.ref for c in comps.values()}
    assert comps["small-lib@1.0.0"].scope is Scope.RUNTIME
    assert comps["lint-kit@3.0.0"].scope is Scope.DEV


# bun.lock flags nothing as dev or optional, but its workspaces list their dependency kinds
# and each package its own dependencies: scope by reachability, resolved up the nesting.
BUN_LOCK_SCOPE = """\
{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "site",
      "dependencies": { "app-lib": "^1.0.0", "@mono/util": "workspace:*" },
      "devDependencies": { "test-runner": "^2.0.0" },
      "optionalDependencies": { "native-addon": "^4.0.0" },
    },
    "packages/util": {
      "name": "@mono/util",
      "dependencies": { "small-lib": "^1.0.0" },
      "devDependencies": { "lint-kit": "^3.0.0" },
    },
  },
  "packages": {
    "@mono/util": ["@mono/util@workspace:packages/util"],
    "app-lib": ["app-lib@1.0.0", "", {
      "dependencies": { "both-used": "^1.0.0" },
      "optionalDependencies": { "fsevents-like": "^1.0.0" },
    }, "sha512-AAAA"],
    "both-used": ["both-used@1.0.0", "", {}, "sha512-AAAA"],
    "test-runner": ["test-runner@2.0.0", "", {
      "dependencies": { "both-used": "^2.0.0", "test-only-dep": "^1.0.0" },
    }, "sha512-AAAA"],
    "test-runner/both-used": ["both-used@2.0.0", "", {}, "sha512-AAAA"],
    "test-only-dep": ["test-only-dep@1.0.0", "", {}, "sha512-AAAA"],
    "native-addon": ["native-addon@4.0.0", "", {}, "sha512-AAAA"],
    "fsevents-like": ["fsevents-like@1.0.0", "", {}, "sha512-AAAA"],
    "small-lib": ["small-lib@1.0.0", "", {}, "sha512-AAAA"],
    "lint-kit": ["lint-kit@3.0.0", "", {}, "sha512-AAAA"],
    // not reached from any workspace (a stale entry): runtime, never guessed dev
    "stale": ["stale@9.0.0", "", {}, "sha512-AAAA"],
  }
}
"""


def test_bun_lock_scope_by_reachability(tmp_path: Path) -> None:
    lock = tmp_path / "bun.lock"
    lock.write_text(BUN_LOCK_SCOPE)
    comps = by_id(run("bun-lock", lock))
    scopes = {key: c.scope for key, c in comps.items()}
    assert scopes == {
        "@mono/util@": Scope.RUNTIME,  # a workspace member
        "app-lib@1.0.0": Scope.RUNTIME,
        "both-used@1.0.0": Scope.RUNTIME,
        "both-used@2.0.0": Scope.DEV,  # nested under test-runner: its own copy
        "test-runner@2.0.0": Scope.DEV,
        "test-only-dep@1.0.0": Scope.DEV,
        "native-addon@4.0.0": Scope.OPTIONAL,
        "fsevents-like@1.0.0": Scope.OPTIONAL,  # only through an optional edge
        "small-lib@1.0.0": Scope.RUNTIME,  # the member's runtime dependency
        "lint-kit@3.0.0": Scope.DEV,  # the member's dev dependency
        "stale@9.0.0": Scope.RUNTIME,
    }
    assert comps["test-runner@2.0.0"].groups == ("dev",)
    assert comps["native-addon@4.0.0"].groups == ("optional",)
    member = comps["@mono/util@"]
    assert member.properties["package-source"] == "local"  # no registry archive


def test_bun_workspace_member_is_local_and_versioned_by_its_package_json(
    tmp_path: Path,
) -> None:
    (tmp_path / "bun.lock").write_text(BUN_LOCK_SCOPE)
    (tmp_path / "packages" / "util").mkdir(parents=True)
    (tmp_path / "packages" / "util" / "package.json").write_text(
        '{"name": "@mono/util", "version": "0.3.1"}'
    )
    comps = by_id(run("bun-lock", tmp_path / "bun.lock"))
    member = comps["@mono/util@0.3.1"]
    assert member.purl == "pkg:npm/%40mono/util@0.3.1" and member.ref == member.purl
    assert member.properties["package-source"] == "local" and member.scope is Scope.RUNTIME
    assert "package-source" not in comps["app-lib@1.0.0"].properties


def test_workspace_member_patterns_that_glob_refuses(tmp_path: Path) -> None:
    """``members = [".", "more"]`` (the root is a member, as in mesonbuild/meson's test cases)
    and patterns pathlib's glob cannot take (``""``, ``"./"``, ``"a**"``) stopped
    ``sbom generate`` with an internal error (IndexError/ValueError from ``Path.glob``).
    ``.`` is the directory itself; a pattern glob refuses matches nothing."""
    from steward.sbom.ecosystems._manifest import cargo_members, workspace_manifests

    (tmp_path / "Cargo.toml").write_text('[package]\nname = "root"\nversion = "0.1.0"\n')
    (tmp_path / "more").mkdir()
    (tmp_path / "more/Cargo.toml").write_text('[package]\nname = "more"\nversion = "0.2.0"\n')
    odd = [".", "./", "", "more/", "./more", "mo**", "**a/b"]
    assert [m.name for m in cargo_members(tmp_path, odd)] == ["root", "more"]
    (tmp_path / "package.json").write_text('{"name": "top", "version": "1.0.0"}')
    (tmp_path / "more/package.json").write_text('{"name": "m", "version": "1.0.0"}')
    assert [m.name for m in workspace_manifests(tmp_path, odd)] == ["top", "m"]
    (tmp_path / "Cargo.toml").write_text(
        '[workspace]\nmembers = [".", "more", "mo**"]\n'
        '[package]\nname = "root"\nversion = "0.1.0"\n'
    )
    (tmp_path / "Cargo.lock").write_text(
        'version = 3\n\n[[package]]\nname = "more"\nversion = "0.2.0"\n\n'
        '[[package]]\nname = "root"\nversion = "0.1.0"\ndependencies = ["more"]\n'
    )
    cargo = parser_named("cargo-lock")
    assert cargo is not None
    result = cargo.parse(tmp_path / "Cargo.lock")
    assert {c.name for c in result.components} >= {"more"}
