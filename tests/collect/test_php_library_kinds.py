"""Kinds the eighth blind round (held-out-8d: PHP libraries) showed, on small self-written
fixtures: a vendor binary run through ``composer exec`` is a test run; a ``composer.json``
that requires only the PHP platform has nothing to lock."""

from __future__ import annotations

from pathlib import Path

from steward.collect.ci import collect_workflows
from steward.collect.deps import collect_dependencies
from steward.collect.facts import Workflow
from steward.collect.tree import walk
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
