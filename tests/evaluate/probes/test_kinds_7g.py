"""Kinds met in the held-out-7g blind round (Apache and Eclipse projects that are not
Java/Maven libraries: a C library with autotools, Python agents with Makefiles and
Dockerfiles), each on a small self-written repository collected from its files
(``collect_facts``) and judged by the probe, with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.documents import identify_license_text
from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from steward.evaluate.probes.releases import release_kind
from tests.collect.gitrepo import commit, git, init, write
from tests.evaluate.probes.onrepo import judge, where


def workflow(*runs: str) -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return (
        "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  build:\n"
        "    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567\n" + steps
    )


# -- make conditionals (ifeq/else/endif at column 0) inside a recipe: the recipe goes on

MAKEFILE_WITH_CONDITIONAL = (
    "poetry:\n"  # 1
    "ifeq ($(OS),Windows)\n"  # 2
    "\t-powershell (Invoke-WebRequest -Uri https://install.example.org).Content | py -\n"
    "else\n"  # 4
    "\t-curl -sSL https://install.example.org | python3 -\n"  # 5
    "endif\n"  # 6
    "\n"
    "test:\n"
    "\tpytest\n"
)


def test_recipe_lines_between_make_conditionals_are_read(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {
            ".github/workflows/ci.yml": workflow("make poetry"),
            "Makefile": MAKEFILE_WITH_CONDITIONAL,
        },
        "dependencies_pinned",
    )
    assert out["dependencies_pinned"].status.value == "fail"
    assert "Makefile:5" in where(out["dependencies_pinned"])


def test_a_conditional_does_not_join_the_next_rule(tmp_path: Path) -> None:
    makefile = "build:\n\tcc -o x x.c\nifeq ($(CI),1)\nX = 1\nendif\ncheck:\n\tpytest\n"
    out = judge(
        tmp_path,
        {".github/workflows/ci.yml": workflow("make build"), "Makefile": makefile},
        "tests_run_in_ci",
    )
    assert out["tests_run_in_ci"].status.value == "fail"


# -- a Dockerfile under tests/ that CI builds is a CI dependency, one it does not build is not

E2E_DOCKERFILE = (
    "ARG BASE\n"  # 1
    "FROM python:${BASE}\n"  # 2
    "RUN pip install flask gunicorn\n"  # 3
)


def test_a_test_dockerfile_that_ci_builds_is_judged(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {
            ".github/workflows/ci.yml": workflow(
                "docker build --build-arg BASE -t agent:e2e . -f tests/e2e/Dockerfile.e2e"
            ),
            "tests/e2e/Dockerfile.e2e": E2E_DOCKERFILE,
            "tests/other/Dockerfile": "FROM alpine:3\n",
        },
        "containers_pinned_by_digest",
        "dependencies_pinned",
    )
    assert out["containers_pinned_by_digest"].status.value == "fail"
    assert where(out["containers_pinned_by_digest"]) == ["tests/e2e/Dockerfile.e2e:2"]
    assert "tests/e2e/Dockerfile.e2e:3" in where(out["dependencies_pinned"])


@pytest.mark.parametrize(
    "text",
    [
        "run: docker buildx build --file=./tests/e2e/Dockerfile.e2e .",
        "uses: docker/build-push-action@0123456789abcdef0123456789abcdef01234567\n"
        "        with:\n          file: tests/e2e/Dockerfile.e2e",
    ],
)
def test_other_ways_of_naming_the_built_dockerfile(tmp_path: Path, text: str) -> None:
    wf = (
        "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  b:\n"
        f"    runs-on: ubuntu-latest\n    steps:\n      - {text}\n"
    )
    out = judge(
        tmp_path,
        {".github/workflows/ci.yml": wf, "tests/e2e/Dockerfile.e2e": E2E_DOCKERFILE},
        "containers_pinned_by_digest",
    )
    assert where(out["containers_pinned_by_digest"]) == ["tests/e2e/Dockerfile.e2e:2"]


def test_test_dockerfiles_ci_does_not_build_stay_out(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {".github/workflows/ci.yml": workflow("make"), "tests/e2e/Dockerfile": E2E_DOCKERFILE},
        "containers_pinned_by_digest",
    )
    assert out["containers_pinned_by_digest"].status.value == "not-applicable"


# -- a C project's test driver, built by make and run under libtool/valgrind


@pytest.mark.parametrize(
    "run",
    [
        "libtool --mode=execute valgrind --leak-check=yes --error-exitcode=123 "
        "tests/unit-tests/testdriver",
        "valgrind --track-origins=yes ./build/ccm-test",
        "tests/testdriver",
    ],
)
def test_a_built_test_program_run_by_ci_is_a_test_run(tmp_path: Path, run: str) -> None:
    out = judge(
        tmp_path,
        {".github/workflows/ci.yml": workflow("./configure", "make", run), "configure.ac": "x\n"},
        "tests_run_in_ci",
    )
    assert out["tests_run_in_ci"].status.value == "pass", out["tests_run_in_ci"].message
    assert where(out["tests_run_in_ci"]) == [".github/workflows/ci.yml:12"]


def test_a_built_program_that_is_no_test_is_not_a_test_run(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {".github/workflows/ci.yml": workflow("valgrind ./build/dtls-server --help")},
        "tests_run_in_ci",
    )
    assert out["tests_run_in_ci"].status.value != "pass"


# -- old release tags kept aside under a prefix (_old/release-0.8.2)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("_old/release-0.8.2", "release"),
        ("_old/release-0.9-rc1", "pre-release"),
        ("release-0.8.1", "release"),
        ("initial_contribution", None),
    ],
)
def test_release_tags_kept_under_a_prefix(name: str, kind: str | None) -> None:
    assert release_kind(name) == kind


def test_the_old_release_tags_are_the_releases(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    commit(root, "first", {"README.md": "# x\n"})
    git(root, "tag", "-a", "-m", "Minor release 0.8.2", "_old/release-0.8.2")
    git(root, "tag", "v0.9-rc1")
    facts = collect_facts(root)
    assert run_probe("releases_tagged", facts).status.value == "pass"
    # annotated but unsigned: judged, not "no release tags"
    assert run_probe("release_tags_signed", facts).status.value == "fail"


# -- "governed by the ... Foundation's Code of Conduct" is conduct, not governance


def test_a_code_of_conduct_is_not_governance(tmp_path: Path) -> None:
    guide = (
        "# Contributing\n\n## Code of Conduct\n\nThe project and everyone participating in it "
        "is governed by the Apache software Foundation's [Code of Conduct](http://www.apache."
        "org/foundation/policies/conduct.html).\n"
    )
    out = judge(tmp_path, {"CONTRIBUTING.md": guide}, "governance_documented")
    assert out["governance_documented"].status.value == "fail"


def test_the_foundation_s_development_process_still_is(tmp_path: Path) -> None:
    guide = (
        "# Contributing\n\nThis project is governed by the Eclipse Foundation Development "
        "Process and operates under the terms of the Eclipse IP Policy.\n"
    )
    out = judge(tmp_path, {"CONTRIBUTING.md": guide}, "governance_documented")
    assert out["governance_documented"].status.value == "pass"
    assert where(out["governance_documented"]) == ["CONTRIBUTING.md:3"]


# -- Eclipse licence notices and texts


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        (
            "/* All rights reserved. This program and the accompanying materials\n * are made "
            "available under the terms of the Eclipse Public License v1.0\n * and Eclipse "
            "Distribution License v. 1.0 which accompanies this distribution. */\n",
            "EPL-1.0 OR BSD-3-Clause",
        ),
        ("Eclipse Public License - v 1.0\n\nTHE ACCOMPANYING PROGRAM ...\n", "EPL-1.0"),
        ("Eclipse Public License - v 2.0\n\n    THE ACCOMPANYING PROGRAM ...\n", "EPL-2.0"),
        ("Made available under the Eclipse Public License version 2.0.\n", "EPL-2.0"),
        ("Eclipse Distribution License - v 1.0\n\nCopyright (c) 2007, Eclipse Foundation\n",
         "BSD-3-Clause"),
    ],
)  # fmt: skip
def test_eclipse_licences_are_recognised(text: str, spdx: str) -> None:
    assert identify_license_text(text) == spdx


def test_an_eclipse_notice_as_the_licence_file_is_osi_approved(tmp_path: Path) -> None:
    notice = (
        "/*****\n * Copyright (c) 2011 Jane Doe and others.\n * This program and the "
        "accompanying materials are made available under the terms of the Eclipse Public "
        "License v1.0\n * and Eclipse Distribution License v. 1.0 which accompanies this "
        "distribution.\n *****/\n"
    )
    out = judge(tmp_path, {"LICENSE": notice}, "license_osi_approved")
    assert out["license_osi_approved"].status.value == "pass"


# -- branch protection declared in the tree: ASF .asf.yaml and the Settings app's file

ASF_YAML = (
    "github:\n"  # 1
    "  description: an agent\n"  # 2
    "  protected_branches:\n"  # 3
    "    main:\n"  # 4
    "      required_status_checks:\n"  # 5
    "        strict: true\n"  # 6
    "        contexts:\n"  # 7
    "          - CheckStatus\n"  # 8
    "      required_pull_request_reviews:\n"  # 9
    "        dismiss_stale_reviews: true\n"  # 10
    "        required_approving_review_count: 1\n"  # 11
)

FORGE_PROBES = ("branch_protection_enabled", "code_review_required", "status_checks_required")


def test_asf_yaml_protected_branches_are_branch_protection(tmp_path: Path) -> None:
    out = judge(tmp_path, {".asf.yaml": ASF_YAML}, *FORGE_PROBES)
    assert {k: v.status.value for k, v in out.items()} == dict.fromkeys(FORGE_PROBES, "pass")
    assert where(out["branch_protection_enabled"]) == [".asf.yaml:4"]
    assert where(out["code_review_required"]) == [".asf.yaml:11"]
    assert where(out["status_checks_required"]) == [".asf.yaml:7"]


def test_asf_yaml_with_zero_reviews_fails_the_review_requirement(tmp_path: Path) -> None:
    text = ASF_YAML.replace("count: 1", "count: 0")
    out = judge(tmp_path, {".asf.yaml": text}, "code_review_required")
    assert out["code_review_required"].status.value == "fail"


def test_asf_yaml_without_protection_says_nothing(tmp_path: Path) -> None:
    text = "github:\n  homepage: https://example.org\n  features:\n    issues: true\n"
    out = judge(tmp_path, {".asf.yaml": text}, *FORGE_PROBES)
    assert {v.status.value for v in out.values()} == {"unknown"}


def test_a_protected_branch_that_is_not_the_default_says_nothing(tmp_path: Path) -> None:
    text = ASF_YAML.replace("    main:\n", "    release-1.x:\n")
    out = judge(tmp_path, {".asf.yaml": text}, *FORGE_PROBES)
    assert {v.status.value for v in out.values()} == {"unknown"}


def test_settings_app_branch_protection(tmp_path: Path) -> None:
    text = (
        "repository:\n  name: widget\n"  # 1-2
        "branches:\n"  # 3
        "  - name: main\n"  # 4
        "    protection:\n"  # 5
        "      required_pull_request_reviews:\n"  # 6
        "        required_approving_review_count: 2\n"  # 7
        "      required_status_checks:\n"  # 8
        "        strict: true\n"  # 9
        "        contexts: [build, test]\n"  # 10
        "  - name: old\n    protection: null\n"
    )
    out = judge(tmp_path, {".github/settings.yml": text}, *FORGE_PROBES)
    assert {v.status.value for v in out.values()} == {"pass"}
    assert where(out["code_review_required"]) == [".github/settings.yml:7"]
    assert where(out["status_checks_required"]) == [".github/settings.yml:10"]


def test_a_malformed_asf_yaml_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    root = tmp_path
    write(root, {".asf.yaml": "github: [unclosed\n"})
    facts = collect_facts(root)
    assert [p.area for p in facts.problems] == ["settings"]
    assert run_probe("branch_protection_enabled", facts).status.value == "unknown"


def test_a_package_s_test_server_is_not_a_test_run(tmp_path: Path) -> None:
    out = judge(
        tmp_path,
        {".github/workflows/ci.yml": workflow("./vendor/bin/http_test_server &")},
        "tests_run_in_ci",
    )
    assert out["tests_run_in_ci"].status.value != "pass"
