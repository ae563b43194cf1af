"""Woodpecker, Drone, Buildkite, sourcehut builds, Forgejo/Gitea Actions and Azure Pipelines
under their other names and directories are read like the other CI systems: their commands
give test runs, analysis and unpinned installs at their own lines (issue 9). A directory of
pipeline files is read file by file, never counted as read without reading it. Small
self-written fixtures."""

from __future__ import annotations

from pathlib import Path

from steward.collect import collect_facts
from steward.collect.ci import collect_workflows
from steward.collect.tree import walk
from steward.evaluate.probes.base import run_probe
from tests.collect.gitrepo import write


def _read(tmp_path: Path, files: dict[str, str]) -> dict[str, object]:
    write(tmp_path, files)
    workflows, problems = collect_workflows(walk(tmp_path))
    assert problems == []
    return {w.source.path or "": w for w in workflows}


def _at(findings: tuple[object, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]  # type: ignore[attr-defined]


WOODPECKER = """\
when:
  - event: [push, pull_request]

steps:
  lint:
    image: golang:1.23
    commands:
      - go vet ./...
      - staticcheck ./...
  test:
    image: golang:1.23
    commands:
      - go test -race ./...
"""

DRONE = """\
kind: pipeline
type: docker
name: lint

steps:
  - name: bandit
    image: python:3.12
    commands:
      - pip install bandit
      - bandit -r src
---
kind: pipeline
type: docker
name: test

steps:
  - name: pytest
    image: python:3.12@sha256:0000000000000000000000000000000000000000000000000000000000000000
    commands:
      - pytest -q
"""

BUILDKITE = """\
steps:
  - label: ":hammer: build"
    command: "make build"
  - group: checks
    steps:
      - label: "unit"
        commands:
          - "npm ci"
          - "npm test"
"""

SOURCEHUT = """\
image: alpine/edge
packages:
  - go
sources:
  - https://git.sr.ht/~someone/calc
tasks:
  - build: |
      cd calc
      go build ./...
  - test: |
      cd calc
      go test ./...
"""


def test_woodpecker_directory_files_each_read(tmp_path: Path) -> None:
    flows = _read(tmp_path, {".woodpecker/ci.yaml": WOODPECKER, ".woodpecker/README.md": "x"})
    flow = flows[".woodpecker/ci.yaml"]
    assert flow.system == "Woodpecker"  # type: ignore[attr-defined]
    assert _at(flow.runs_tests) == [".woodpecker/ci.yaml:13"]  # type: ignore[attr-defined]
    assert _at(flow.sast) == [".woodpecker/ci.yaml:9"]  # type: ignore[attr-defined]
    assert _at(flow.unpinned_images) == [  # type: ignore[attr-defined]
        ".woodpecker/ci.yaml:6", ".woodpecker/ci.yaml:11"]  # fmt: skip


def test_drone_pipelines_one_per_document(tmp_path: Path) -> None:
    flow = _read(tmp_path, {".drone.yml": DRONE})[".drone.yml"]
    assert _at(flow.runs_tests) == [".drone.yml:20"]  # type: ignore[attr-defined]
    assert _at(flow.sast) == [".drone.yml:10"]  # type: ignore[attr-defined]
    assert _at(flow.unpinned_installs) == [".drone.yml:9"]  # type: ignore[attr-defined]
    # the image of the second document is pinned by digest; the first is not
    assert _at(flow.unpinned_images) == [".drone.yml:7"]  # type: ignore[attr-defined]


def test_buildkite_command_steps_and_groups(tmp_path: Path) -> None:
    flow = _read(tmp_path, {".buildkite/pipeline.yml": BUILDKITE})[".buildkite/pipeline.yml"]
    assert _at(flow.runs_tests) == [".buildkite/pipeline.yml:9"]  # type: ignore[attr-defined]


def test_sourcehut_tasks(tmp_path: Path) -> None:
    flow = _read(tmp_path, {".builds/alpine.yml": SOURCEHUT})[".builds/alpine.yml"]
    assert flow.system == "sourcehut builds"  # type: ignore[attr-defined]
    assert _at(flow.runs_tests) == [".builds/alpine.yml:12"]  # type: ignore[attr-defined]


def test_forgejo_actions_workflows_are_read(tmp_path: Path) -> None:
    wf = ("on: [push]\njobs:\n  test:\n    runs-on: docker\n    steps:\n"
          "      - uses: actions/checkout@v4\n      - run: cargo test --locked\n")  # fmt: skip
    write(tmp_path, {".forgejo/workflows/test.yml": wf})
    out = run_probe("tests_run_in_ci", collect_facts(tmp_path))
    assert out.status.value == "pass"
    assert [(e.source, e.line) for e in out.evidence] == [(".forgejo/workflows/test.yml", 7)]
    # GitHub's token-permission checks are not Forgejo's
    assert run_probe("workflow_permissions_least_privilege", collect_facts(tmp_path)).status.value \
        == "not-applicable"  # fmt: skip


def test_azure_pipelines_under_other_names_and_directories(tmp_path: Path) -> None:
    vsts = "jobs:\n- job: Linux\n  steps:\n  - script: ./build.sh --test\n  - script: dotnet test\n"
    flows = _read(tmp_path, {".vsts-ci.yml": vsts, ".azure-pipelines/pr.yml": vsts,
                             "build.sh": "#!/bin/sh\ndotnet build\n"})  # fmt: skip
    assert sorted(flows) == [".azure-pipelines/pr.yml", ".vsts-ci.yml"]
    assert _at(flows[".vsts-ci.yml"].runs_tests) == [".vsts-ci.yml:5"]  # type: ignore[attr-defined]
    # a directory with no YAML in it is no pipeline that was read
    assert _read(tmp_path / "e", {".azure-pipelines/notes.txt": "x"}) == {}


def test_windows_scripts_of_azure_and_appveyor_are_followed(tmp_path: Path) -> None:
    """``eng\\ci\\Build.cmd`` in a cmd step is the path eng/ci/Build.cmd (the backslash is
    no escape there), found whatever its case, as Windows does; a script sourced with ``.``
    is run; a script asked to test (``--test``) whose commands show no test run is "cannot
    tell", not "no tests" (seen on dotnet/command-line-api's .vsts-ci.yml)."""
    azure = ("jobs:\n- job: Windows\n  steps:\n  - script: eng\\ci\\cibuild.cmd -c Release\n"
             "- job: Linux\n  steps:\n  - bash: . eng/ci/build.sh --restore --test\n")  # fmt: skip
    files = {"azure-pipelines.yml": azure, "eng/ci/CIBuild.cmd": "@echo off\ndotnet test %*\n",
             "eng/ci/build.sh": '#!/bin/sh\n. "$root/tools.sh"\nrun_msbuild "$@"\n'}  # fmt: skip
    flow = _read(tmp_path, files)["azure-pipelines.yml"]
    assert [(f.source.path, f.source.line) for f in flow.runs_tests] == [  # type: ignore[attr-defined]
        ("eng/ci/CIBuild.cmd", 2)]  # fmt: skip
    assert [(f.source.path, f.source.line) for f in flow.test_unknowns] == [  # type: ignore[attr-defined]
        ("azure-pipelines.yml", 7)]  # fmt: skip
    appveyor = "test_script:\n  - cmd: scripts\\RunTests.bat\n"
    found = _read(tmp_path / "v", {"appveyor.yml": appveyor, "scripts/runtests.bat": "pytest\n"})
    flow = found["appveyor.yml"]
    assert [(f.source.path, f.source.line) for f in flow.runs_tests] == [  # type: ignore[attr-defined]
        ("scripts/runtests.bat", 1)]  # fmt: skip


def test_azure_templates_local_followed_remote_cannot_tell(tmp_path: Path) -> None:
    """Azure Pipelines ``template:`` files of the repository are read like the pipeline
    (nested too); a template of another repository cannot be read: "cannot tell" for the
    tests, static analysis when it configures the SDL tools (Microsoft's 1ES templates,
    seen on dotnet/command-line-api)."""
    pipeline = ("stages:\n- stage: build\n  jobs:\n  - template: /eng/jobs.yml\n"
                "    parameters:\n      name: linux\n")  # fmt: skip
    jobs = "jobs:\n- job: test\n  steps:\n  - template: steps/test.yml\n"
    steps = "steps:\n- script: dotnet test --no-build\n"
    flow = _read(tmp_path / "l", {"azure-pipelines.yml": pipeline, "eng/jobs.yml": jobs,
                                  "eng/steps/test.yml": steps})["azure-pipelines.yml"]  # fmt: skip
    assert _at(flow.runs_tests) == ["eng/steps/test.yml:2"]  # type: ignore[attr-defined]
    official = ("extends:\n  template: v1/1ES.Official.PipelineTemplate.yml@1ESPipelineTemplates\n"
                "  parameters:\n    sdl:\n      sourceAnalysisPool: x\n")  # fmt: skip
    flow = _read(tmp_path / "r", {"azure-pipelines.yml": official})["azure-pipelines.yml"]
    assert _at(flow.sast) == ["azure-pipelines.yml:2"]  # type: ignore[attr-defined]
    assert _at(flow.test_unknowns) == ["azure-pipelines.yml:2"]  # type: ignore[attr-defined]


def test_gitlab_local_includes_read_remote_ones_cannot_tell(tmp_path: Path) -> None:
    """GitLab CI files included from the repository (``include: local:``, a plain path, a
    glob) are read like .gitlab-ci.yml, at their own lines; an include from another project
    or a CI/CD component makes the tests "cannot tell", and counts as analysis by its name."""
    main = ("include:\n  - local: ci/lint.yml\n  - 'ci/jobs/*.yml'\n"
            "  - project: acme/ci-templates\n    file: /templates/build.yml\n"
            "  - component: $CI_SERVER_FQDN/components/sast/sast@2.0.0\n"
            "stages: [lint, test]\n")  # fmt: skip
    lint = "lint:\n  stage: lint\n  script:\n    - bandit -r src\n"
    unit = "unit:\n  stage: test\n  image: python:3.12\n  script:\n    - pytest -q\n"
    flow = _read(tmp_path, {".gitlab-ci.yml": main, "ci/lint.yml": lint,
                            "ci/jobs/unit.yml": unit})[".gitlab-ci.yml"]  # fmt: skip
    assert _at(flow.runs_tests) == ["ci/jobs/unit.yml:5"]  # type: ignore[attr-defined]
    assert _at(flow.sast) == ["ci/lint.yml:4", ".gitlab-ci.yml:6"]  # type: ignore[attr-defined]
    assert _at(flow.test_unknowns) == [  # type: ignore[attr-defined]
        ".gitlab-ci.yml:5", ".gitlab-ci.yml:6"]  # fmt: skip
    assert _at(flow.unpinned_images) == ["ci/jobs/unit.yml:3"]  # type: ignore[attr-defined]
