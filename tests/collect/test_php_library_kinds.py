"""Kinds the eighth blind round (held-out-8d: PHP libraries) showed, on small self-written
fixtures: a vendor binary run through ``composer exec`` is a test run; a ``composer.json``
that requires only the PHP platform has nothing to lock; a README saying what an older
release series still gets ("1.x support is limited, only important fixes") is a support
policy; a changelog naming its fixes' advisories by id publishes them; "open a private
security advisory" names the reporting form, not a disclosure process; quoted text inside
``$(...)`` does not end the substitution; a link reference definition is not where the README
links its documentation."""

from __future__ import annotations

from pathlib import Path

from steward.collect import collect_facts
from steward.collect.ci import collect_workflows
from steward.collect.deps import collect_dependencies
from steward.collect.dockerfiles import dockerfile_installs
from steward.collect.documents import collect_policy
from steward.collect.facts import Workflow
from steward.collect.shell import commands
from steward.collect.tree import walk
from steward.evaluate.probes import run_probe
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import write


def _workflows(root: Path, files: dict[str, str | bytes]) -> dict[str, Workflow]:
    write(root, files)
    workflows, problems = collect_workflows(walk(root))
    assert problems == []
    return {str(w.source.path): w for w in workflows}


def _lines(findings: tuple[object, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]  # type: ignore[attr-defined]


COMPOSER = """\
{
    "name": "acme/logger",
    "require": {"php": ">=8.1"},
    "require-dev": {"phpunit/phpunit": "^11", "phpstan/phpstan": "^2"},
    "scripts": {
        "phpstan": "@php vendor/bin/phpstan analyse"
    }
}
"""

CI = """\
name: CI
on: [push, pull_request]
jobs:
  tests:
    runs-on: ubuntu-latest
    steps:
      - run: composer update
      - name: Run tests
        run: "composer exec phpunit -- --exclude-group Slow"
      - run: composer exec --verbose -- phpunit --group Slow
      - run: composer phpstan
"""


def test_composer_exec_runs_the_vendor_binary(tmp_path: Path) -> None:
    wf = _workflows(tmp_path, {"composer.json": COMPOSER, ".github/workflows/ci.yml": CI})[
        ".github/workflows/ci.yml"
    ]
    assert _lines(wf.runs_tests) == [".github/workflows/ci.yml:9", ".github/workflows/ci.yml:10"]
    assert wf.test_unknowns == ()  # "exec" is no script of composer.json
    # the phpstan script, followed into composer.json: "@php" is the PHP binary, not a script
    assert _lines(wf.sast) == ["composer.json:6"]


def test_composer_script_references_are_binaries_or_scripts(tmp_path: Path) -> None:
    """``@php``/``@composer`` run those binaries, ``@putenv`` sets a variable, ``@name`` is
    another script (getcomposer.org, "Referencing scripts")."""
    composer = """\
{
    "name": "acme/markdown",
    "require": {"php": "^8.2", "acme/ast": "^1.0"},
    "scripts": {
        "ci": ["@putenv XDEBUG_MODE=off", "@composer validate --strict", "@unit-tests"],
        "unit-tests": "@php vendor/bin/phpunit --colors=always",
        "analyse": "@php vendor/bin/psalm --no-progress"
    }
}
"""
    ci = (
        "on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: composer ci\n      - run: composer run-script analyse\n"
    )
    wf = _workflows(tmp_path, {"composer.json": composer, ".github/workflows/ci.yml": ci})[
        ".github/workflows/ci.yml"
    ]
    assert _lines(wf.runs_tests) == ["composer.json:5"]  # @unit-tests, a test script by name
    assert _lines(wf.sast) == ["composer.json:7"]  # psalm, run by the PHP binary
    assert wf.test_unknowns == ()


def test_platform_requirements_need_no_lockfile(tmp_path: Path) -> None:
    """Composer installs no platform package (php, ext-*, lib-*, composer-*-api): a manifest
    requiring only those has nothing to lock; one package more, and it has."""
    write(
        tmp_path,
        {
            "composer.json": '{"name": "acme/log", "require": {"php": ">=8.0.0"}}\n',
            "bridge/composer.json": '{"name": "acme/bridge", "require": {"php": "^8.1", '
            '"ext-json": "*", "lib-curl": ">=7", "composer-runtime-api": "^2"}}\n',
            "client/composer.json": '{"name": "acme/client", "require": {"php": "^8.1"}, '
            '"require-dev": {"phpunit/phpunit": "^11"}}\n',
        },
    )
    deps = collect_dependencies(walk(tmp_path))
    assert {f.source.path for f in deps.manifests} == {
        "composer.json",
        "bridge/composer.json",
        "client/composer.json",
    }
    assert [f.source.path for f in deps.unlocked_manifests] == ["client/composer.json"]


def _at(findings: tuple[object, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings if f.source.line]  # type: ignore[attr-defined]


README_SUPPORT = """\
# Acme Logger

## About

### Requirements

- Acme Logger `^3.0` works with PHP 8.1 or above.
- Acme Logger `^1.25` works with PHP 5.3 up to 8.1.

### Support

Acme Logger 1.x support is somewhat limited at this point and only important fixes will be
done. Please move to 2 or 3.
"""


def test_readme_states_what_an_older_series_gets(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {"README.md": README_SUPPORT})
    assert _at(docs.support_policy) == ["README.md:12"]


def test_runtime_and_feature_lines_are_no_support_policy(tmp_path: Path) -> None:
    readme = """\
# Widget

Python 2.x is no longer supported; Node 14.x will not receive fixes from us either.
Version 2 adds support only for UTF-8 input.
Works with PHP 7.x and 8.x.
The 3.x branch is current.
"""
    assert _at(_docs(tmp_path, {"README.md": readme}).support_policy) == []
    for line, found in (
        ("The 2.x branch is no longer maintained.", True),
        ("v1 will not receive security fixes after June.", True),
        ("Release 4.2 is unmaintained; upgrade to 5.", True),
        ("Only critical fixes land in 1.x.", False),  # the series after the statement
    ):
        (tmp_path / "README.md").write_text(f"# Widget\n\n{line}\n")
        assert bool(_at(_docs(tmp_path, {}).support_policy)) is found, line


CHANGELOG = """\
# Change Log

## [2.4.1] - 2026-05-02

### Fixed

- Fixed the unsafe link filter missing schemes split by tabs, which allowed
  `javascript:` links through (GHSA-29pj-957v-52mc)
- Fixed quadratic parsing of long emphasis runs (GHSA-j8pm-gj4c-rq4x); completes the fix
  for GHSA-29pj-957v-52mc
- Bumped acme/http to 3.1.2 (CVE-2026-11111)
- Updated the bundled zlib (CVE-2026-22222)
- See [GHSA-aaaa-bbbb-cccc](https://github.com/other/lib/security/advisories/GHSA-aaaa-bbbb-cccc)

## [1.0.3] - 2019-01-02

- Fix XSS in URL normalisation (#337, CVE-2018-20583)
"""


def test_changelog_names_its_own_advisories_by_id(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "composer.json": '{"name": "acme/markdown", "require": {"php": "^8.1"}}\n',
            "CHANGELOG.md": CHANGELOG,
        },
    )
    assert [(f.source.line, f.detail) for f in docs.advisories] == [
        (8, "advisory GHSA-29pj-957v-52mc"),
        (9, "advisory GHSA-j8pm-gj4c-rq4x"),
    ]  # a CVE id alone (line 17) is no advisory the project published
    facts = collect_facts(tmp_path)
    listed = run_probe("vulnerability_list_machine_readable", facts)
    assert listed.status.value == "pass"  # GitHub advisories
    assert [e.line for e in listed.evidence] == [8, 9]
    assert run_probe("security_advisories_published", facts).status.value == "pass"


def test_reporting_through_an_advisory_form_is_no_disclosure_process(tmp_path: Path) -> None:
    policy = """\
# Security Policy

## Reporting a Vulnerability

Please report it using any of the following methods:

- [Open a private security advisory on GitHub](https://github.com/acme/md/security/advisories/new)
- Open a new private security advisory in the Security tab
- Email the maintainer at <maintainer@acme.example>
"""
    write(tmp_path, {".github/SECURITY.md": policy})
    found, _ = collect_policy(walk(tmp_path), None)
    assert found.disclosure_terms == ()
    (tmp_path / ".github/SECURITY.md").write_text(
        policy + "\n6. Create a new GitHub Security Advisory to inform the ecosystem\n"
    )  # the maintainers' publication: a disclosure step
    found, _ = collect_policy(walk(tmp_path), None)
    assert [f.source.line for f in found.disclosure_terms] == [11]


DOCKERFILE = """\
FROM php:8.3-cli-alpine@sha256:0f3c6ae8a1e0a3a6d0cbb1d1e7f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6

# Install the profiler probe
RUN set -xe \\
        && version=$(php -r "echo PHP_MAJOR_VERSION.PHP_MINOR_VERSION;") \\
        && curl -o /tmp/probe.tar.gz -L -s https://probe.example/php/alpine/$version \\
        && tar zxpf /tmp/probe.tar.gz -C /tmp/probe \\
        && mv /tmp/probe/probe-*.so $(php -r "echo ini_get ('extension_dir');")/probe.so \\
        && rm -rf /tmp/probe /tmp/probe.tar.gz

RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/bin
"""


def test_quotes_inside_a_command_substitution_keep_it_whole(tmp_path: Path) -> None:
    line = "mv a-*.so $(php -r \"echo ini_get ('extension_dir');\")/a.so && rm -rf /tmp/a.tgz"
    assert [c.argv[0] for c in commands(line)] == ["mv", "rm"]
    assert [c.argv[0] for c in commands('x=$( (cd sub; pwd) ) && echo "$(date "+%F (%H)")"')] == [
        "echo"
    ]
    # the downloaded archive is unpacked, never run: only the installer piped into php is
    found = dockerfile_installs("Dockerfile", DOCKERFILE)
    assert [(f.source.line, f.detail) for f in found] == [
        (11, "unpinned: curl output piped into php")
    ]


def test_documentation_link_is_where_the_text_uses_it(tmp_path: Path) -> None:
    readme = """\
# acme/markdown

## Documentation

Full documentation can be found at [markdown.acme.example][docs].

[docs]: https://markdown.acme.example/
[Guide]: https://markdown.acme.example/guide/
"""
    docs = _docs(tmp_path, {"README.md": readme})
    links = [f for f in docs.user_docs if f.detail.startswith("documentation link")]
    assert _at(tuple(links)) == ["README.md:5"]
