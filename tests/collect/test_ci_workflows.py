"""GitHub workflows read with the tree: lines of every occurrence, scripts and recipes
followed one level, local composite actions and reusable workflows followed."""

from __future__ import annotations

from pathlib import Path

from steward.collect.ci import collect_workflows
from steward.collect.facts import Workflow
from steward.collect.tree import walk
from tests.collect.gitrepo import write

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


def _workflows(root: Path, files: dict[str, str | bytes]) -> dict[str, Workflow]:
    write(root, files)
    workflows, problems = collect_workflows(walk(root))
    assert problems == []
    return {str(w.source.path): w for w in workflows}


RUST_CI = """\
name: ci
# dtolnay/rust-toolchain@master is pinned below? no: a comment is not a step
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      CARGO: cargo
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@master
      - run: ${{ env.CARGO }} test --workspace
  msrv:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@master
      - run: bash ci/run.bash
"""


def test_each_occurrence_at_its_own_line(tmp_path: Path) -> None:
    wf = _workflows(tmp_path, {".github/workflows/ci.yml": RUST_CI})[".github/workflows/ci.yml"]
    toolchain = [r.source.line for r in wf.uses if r.action == "dtolnay/rust-toolchain"]
    checkout = [r.source.line for r in wf.uses if r.action == "actions/checkout"]
    assert toolchain == [13, 19] and checkout == [12, 18]


def test_tests_through_variables_and_scripts(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": RUST_CI,
        "ci/run.bash": "#!/bin/bash\nset -e\ncargo build\ncargo test --all-features\n",
    }
    wf = _workflows(tmp_path, files)[".github/workflows/ci.yml"]
    where = {(f.source.path, f.source.line) for f in wf.runs_tests}
    assert (".github/workflows/ci.yml", 14) in where  # ${{ env.CARGO }} test
    assert ("ci/run.bash", 4) in where  # followed into the script


def test_make_recipe_and_npm_script_are_followed(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make ci\n"
        "      - run: npm run verify\n"
    )
    files: dict[str, str | bytes] = {
        ".github/workflows/a.yml": workflow,
        "Makefile": "PY = python3\n\nci: lint\n\t@$(PY) -m pytest -q\n\nlint:\n\truff check\n",
        "package.json": '{"scripts": {"verify": "eslint . && jest --ci"}}\n',
    }
    wf = _workflows(tmp_path, files)[".github/workflows/a.yml"]
    where = {(f.source.path, f.source.line) for f in wf.runs_tests}
    assert ("Makefile", 4) in where and ("package.json", 1) in where


def test_cannot_tell_is_recorded_not_guessed(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - run: ./ci/missing.sh\n      - run: python tools/driver.py\n"
        "  b:\n    uses: other/repo/.github/workflows/ci.yml@v1\n"
    )
    wf = _workflows(tmp_path, {".github/workflows/a.yml": workflow, "tools/driver.py": "x"})[
        ".github/workflows/a.yml"
    ]
    assert wf.runs_tests == ()
    assert {f.source.line for f in wf.test_unknowns} == {6, 7, 9}


def test_skipped_tests_and_installed_runners_are_not_tests(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - run: mvn -B package -DskipTests\n      - run: pip install nox\n"
    )
    wf = _workflows(tmp_path, {".github/workflows/a.yml": workflow})[".github/workflows/a.yml"]
    assert wf.runs_tests == () and wf.test_unknowns == ()
    assert [f.source.line for f in wf.unpinned_installs] == [7]


def test_maven_default_goal(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/m.yml": "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - run: mvn --batch-mode --errors\n",
        "pom.xml": "<project>\n  <build>\n    <defaultGoal>clean verify spotbugs:check"
        "</defaultGoal>\n  </build>\n</project>\n",
    }
    wf = _workflows(tmp_path, files)[".github/workflows/m.yml"]
    assert [(f.source.path, f.source.line) for f in wf.runs_tests] == [("pom.xml", 3)]
    assert [(f.source.path, f.source.line) for f in wf.sast] == [("pom.xml", 3)]


def test_maven_arguments_from_github_env_and_option_values(tmp_path: Path) -> None:
    # held-out-9c: a step writes the profile arguments to $GITHUB_ENV per matrix entry (options
    # only, or nothing); the build step passes them with --file pom.xml: the default goal runs
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n"
        "          case '${{ matrix.java }}' in\n"
        "            8) echo 'PROFILE_ARGS=-Dwidget.jackson.skip=true' >> \"$GITHUB_ENV\" ;;\n"
        "            *) echo 'PROFILE_ARGS=' >> \"$GITHUB_ENV\" ;;\n"
        "          esac\n"
        "      - run: ./mvnw -V --file pom.xml ${PROFILE_ARGS} -Pdocker\n"
    )
    pom = (
        "<project>\n  <build>\n    <defaultGoal>clean verify</defaultGoal>\n  </build>\n"
        "</project>\n"
    )
    files: dict[str, str | bytes] = {".github/workflows/m.yml": workflow, "pom.xml": pom}
    wf = _workflows(tmp_path, files)[".github/workflows/m.yml"]
    assert [(f.source.path, f.source.line) for f in wf.runs_tests] == [("pom.xml", 3)]


def test_github_env_goals_or_skipped_tests_are_not_a_default_goal_run(tmp_path: Path) -> None:
    # a variable holding a goal in one branch stays unresolved (no test run claimed), and
    # -DskipTests written in any branch is seen
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n"
        "          echo 'GOALS=site' >> $GITHUB_ENV\n"
        "          echo 'GOALS=-q' >> $GITHUB_ENV\n"
        '          echo "SKIP=-DskipTests" >> ${GITHUB_ENV}\n'
        "      - run: mvn $GOALS\n      - run: mvn -B $SKIP\n"
    )
    pom = (
        "<project>\n  <build>\n    <defaultGoal>clean verify</defaultGoal>\n  </build>\n"
        "</project>\n"
    )
    files: dict[str, str | bytes] = {".github/workflows/m.yml": workflow, "pom.xml": pom}
    wf = _workflows(tmp_path, files)[".github/workflows/m.yml"]
    assert wf.runs_tests == ()


def test_unpinned_installs_in_run_steps_and_called_scripts(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n"
        "          curl -sSf https://sh.rustup.rs | sh -s -- -y\n"
        "          go install golang.org/x/vuln/cmd/govulncheck@latest\n"
        "          npm install -g typescript\n"
        "      - run: ./scripts/setup.sh\n"
    )
    files: dict[str, str | bytes] = {
        ".github/workflows/a.yml": workflow,
        "scripts/setup.sh": "#!/bin/sh\n# pip install nothing here\npip install black\n",
    }
    wf = _workflows(tmp_path, files)[".github/workflows/a.yml"]
    where = [(f.source.path, f.source.line) for f in wf.unpinned_installs]
    assert where == [
        (".github/workflows/a.yml", 7),
        (".github/workflows/a.yml", 8),
        (".github/workflows/a.yml", 9),
        ("scripts/setup.sh", 3),
    ]


def test_golangci_lint_action_is_static_analysis(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  lint:\n    runs-on: x\n    steps:\n"
        f"      - uses: golangci/golangci-lint-action@{SHA}\n"
    )
    wf = _workflows(tmp_path, {".github/workflows/l.yml": workflow})[".github/workflows/l.yml"]
    assert [f.source.line for f in wf.sast] == [6]


def test_job_permissions_are_recorded(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  build:\n    permissions:\n      contents: read\n    runs-on: x\n"
        "    steps: []\n  release:\n    permissions:\n      contents: write\n    runs-on: x\n"
        "    steps: []\n  other:\n    runs-on: x\n    steps: []\n"
    )
    wf = _workflows(tmp_path, {".github/workflows/p.yml": workflow})[".github/workflows/p.yml"]
    assert wf.top_permissions == "absent"
    assert [(f.source.line, f.detail) for f in wf.job_writes] == [
        (10, "job release: contents: write")
    ]
    assert [f.source.line for f in wf.jobs_without_permissions] == [13]


PRT = """\
on:
  pull_request_target:
jobs:
  safe:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.base.ref }}
      - run: echo ${{ secrets.TOKEN }}
  merge:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
        with:
          ref: refs/pull/${{ github.event.number }}/merge
      - run: ./build.sh
        env:
          TOKEN: ${{ secrets.DEPLOY_TOKEN }}
  call:
    uses: ./.github/workflows/reusable.yml
    secrets: inherit
"""
REUSABLE = """\
on: workflow_call
jobs:
  test:
    runs-on: x
    steps:
      - uses: ./.github/actions/checkout-pr
      - run: make
        env:
          KEY: ${{ secrets.NPM_TOKEN }}
"""
COMPOSITE = """\
name: checkout the PR
runs:
  using: composite
  steps:
    - uses: actions/checkout@v4
      with:
        ref: ${{ github.event.pull_request.head.sha }}
    - uses: some/unpinned-action@main
"""


def test_dangerous_checkouts_through_reusable_workflows_and_actions(tmp_path: Path) -> None:
    found = _workflows(
        tmp_path,
        {
            ".github/workflows/prt.yml": PRT,
            ".github/workflows/reusable.yml": REUSABLE,
            ".github/actions/checkout-pr/action.yml": COMPOSITE,
        },
    )
    prt, reusable = found[".github/workflows/prt.yml"], found[".github/workflows/reusable.yml"]
    # the base ref is safe; the merge ref of the pull request is not
    assert [f.source.line for f in prt.untrusted_checkouts] == [16]
    assert [f.source.line for f in prt.secrets_after_untrusted_checkout] == [19]
    # the called workflow runs on pull_request_target too, through its composite action
    assert reusable.inherited_triggers == ("pull_request_target",)
    assert [(f.source.path, f.source.line) for f in reusable.untrusted_checkouts] == [
        (".github/actions/checkout-pr/action.yml", 7)
    ]
    assert [f.source.line for f in reusable.secrets_after_untrusted_checkout] == [9]
    unpinned = [(r.source.path, r.source.line) for r in reusable.uses if not r.pinned]
    assert (".github/actions/checkout-pr/action.yml", 8) in unpinned


def test_remote_reusable_workflows_named_for_tests_or_static_analysis(tmp_path: Path) -> None:
    workflow = (
        "on: push\npermissions: read-all\njobs:\n  tests:\n    name: Run tests\n"
        "    uses: acme/workflows/.github/workflows/laravel.yml@v2\n"
        "  statics:\n    uses: acme/workflows/.github/workflows/static.yml@v2\n"
        "  docs:\n    uses: acme/workflows/.github/workflows/pages.yml@v2\n"
    )
    wf = _workflows(tmp_path, {".github/workflows/t.yml": workflow})[".github/workflows/t.yml"]
    assert [f.source.line for f in wf.runs_tests] == [6]
    assert [f.source.line for f in wf.sast] == [8]
    assert [f.source.line for f in wf.test_unknowns] == [8, 10]


def test_publishing_with_provenance(tmp_path: Path) -> None:
    pypi = (
        "on: release\njobs:\n  publish:\n    runs-on: x\n    permissions:\n      id-token: write\n"
        f"    steps:\n      - uses: pypa/gh-action-pypi-publish@{SHA}\n"
    )
    npm = (
        "on: push\njobs:\n  publish:\n    runs-on: x\n    permissions:\n      id-token: write\n"
        "    steps:\n      - run: npm ci\n      - run: npm publish --access public\n"
    )
    npm_without_oidc = (
        "on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - run: npm publish\n"
    )
    found = _workflows(tmp_path, {
        ".github/workflows/pypi.yml": pypi, ".github/workflows/npm.yml": npm,
        ".github/workflows/plain.yml": npm_without_oidc,
    })  # fmt: skip
    assert [f.source.line for f in found[".github/workflows/pypi.yml"].provenance] == [8]
    assert [f.source.line for f in found[".github/workflows/npm.yml"].provenance] == [9]
    assert found[".github/workflows/plain.yml"].provenance == ()


def test_composite_action_inputs_resolve_with_their_defaults(tmp_path: Path) -> None:
    action = (
        "inputs:\n  tool-spec:\n    default: 'poetry'\nruns:\n  using: composite\n  steps:\n"
        '    - run: pipx install "${TOOL_SPEC}"\n      shell: bash\n      env:\n'
        "        TOOL_SPEC: ${{ inputs.tool-spec }}\n"
    )
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/boot\n"
        "      - uses: ./.github/actions/boot\n        with:\n          tool-spec: poetry==2.1.3\n"
    )
    wf = _workflows(tmp_path, {
        ".github/actions/boot/action.yml": action, ".github/workflows/a.yml": workflow,
    })[".github/workflows/a.yml"]  # fmt: skip
    assert [(f.source.path, f.source.line) for f in wf.unpinned_installs] == [
        (".github/actions/boot/action.yml", 7)
    ]  # the default 'poetry' is unpinned; poetry==2.1.3 given by the second step is pinned


def test_cargo_options_before_the_subcommand(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        '      - run: cargo --config "${{ github.workspace }}/ci.toml" test --profile ci\n'
        "      - run: cargo --config ci.toml clippy -- -D warnings\n"
    )
    wf = _workflows(tmp_path, {".github/workflows/a.yml": workflow})[".github/workflows/a.yml"]
    assert [f.source.line for f in wf.runs_tests] == [6]
    assert [f.source.line for f in wf.sast] == [7]


def test_rubygems_release_gem_attests_unless_switched_off(tmp_path: Path) -> None:
    # held-out-6 (a Ruby gem): rubygems/release-gem signs the pushed gem with Sigstore
    gem = (
        "on:\n  push:\n    tags: ['v*']\njobs:\n  push:\n    runs-on: x\n    permissions:\n"
        "      id-token: write\n      contents: write\n    steps:\n"
        f"      - uses: rubygems/release-gem@{SHA}\n"
    )
    off = gem + "        with:\n          attestations: false\n"
    found = _workflows(
        tmp_path, {".github/workflows/gem.yml": gem, ".github/workflows/off.yml": off}
    )
    assert [f.source.line for f in found[".github/workflows/gem.yml"].provenance] == [11]
    assert found[".github/workflows/off.yml"].provenance == ()


_RAKE_WORKFLOW = (
    "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: bundle exec rake\n"
)


def test_bare_rake_follows_the_default_task(tmp_path: Path) -> None:
    # a bare ``rake`` runs the Rakefile's default task: tests only when it reaches one
    rakefile = (
        'require "rake/testtask"\n'
        "Rake::TestTask.new(:unit) do |t|\n  t.libs << 'test'\nend\n"
        "task ci: %i[lint unit]\n"
        "task :default => :ci\n"
    )
    files: dict[str, str | bytes] = {".github/workflows/a.yml": _RAKE_WORKFLOW,
                                     "Rakefile": rakefile}  # fmt: skip
    wf = _workflows(tmp_path, files)[".github/workflows/a.yml"]
    assert [(f.source.path, f.source.line) for f in wf.runs_tests] == [
        (".github/workflows/a.yml", 6)
    ]
    assert "Rakefile:6" in wf.runs_tests[0].detail and wf.test_unknowns == ()


def test_bare_rake_without_tests_or_unreadable_default(tmp_path: Path) -> None:
    builds = "task default: [:build, :rdoc]\ntask :build\n"
    files: dict[str, str | bytes] = {".github/workflows/a.yml": _RAKE_WORKFLOW,
                                     "Rakefile": builds}  # fmt: skip
    wf = _workflows(tmp_path / "builds", files)[".github/workflows/a.yml"]
    assert wf.runs_tests == () and wf.test_unknowns == ()
    # a default task with a Ruby body of its own cannot be told: unknown, not "no tests"
    block = 'task :default do\n  sh "script/ci"\nend\n'
    files["Rakefile"] = block
    wf = _workflows(tmp_path / "block", files)[".github/workflows/a.yml"]
    assert wf.runs_tests == () and [f.source.line for f in wf.test_unknowns] == [6]
    # no default task at all (or no Rakefile): unknown, never a guessed pass
    files["Rakefile"] = "task :release\n"
    wf = _workflows(tmp_path / "none", files)[".github/workflows/a.yml"]
    assert wf.runs_tests == () and len(wf.test_unknowns) == 1
    del files["Rakefile"]
    wf = _workflows(tmp_path / "missing", files)[".github/workflows/a.yml"]
    assert "no Rakefile" in wf.test_unknowns[0].detail


def test_rspec_task_in_rakelib(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/a.yml": _RAKE_WORKFLOW,
        "Rakefile": "task default: %w[verify]\n",
        "rakelib/verify.rake": "require 'rspec/core/rake_task'\n"
        "RSpec::Core::RakeTask.new(:verify)\n",
    }
    wf = _workflows(tmp_path, files)[".github/workflows/a.yml"]
    assert len(wf.runs_tests) == 1 and "runs verify" in wf.runs_tests[0].detail


def test_reusable_workflows_of_known_tools(tmp_path: Path) -> None:
    # held-out-7c (fmtlib/fmt): the SLSA generator is called as another repository's reusable
    # workflow, a job-level ``uses:``, and was not seen as provenance (it must be referenced
    # by tag); OSV-Scanner's reusable workflow is the same kind for dependency scanning
    release = (
        "on: release\njobs:\n  build:\n    runs-on: x\n    steps:\n      - run: make dist\n"
        "  provenance:\n    needs: [build]\n    permissions:\n      id-token: write\n"
        "    uses: slsa-framework/slsa-github-generator/.github/workflows/"
        "generator_generic_slsa3.yml@v2.1.0\n"
        "  osv:\n    uses: google/osv-scanner-action/.github/workflows/"
        f"osv-scanner-reusable.yml@{SHA}\n"
        "  other:\n    uses: octo/tools/.github/workflows/lint.yml@v1\n"
    )
    wf = _workflows(tmp_path, {".github/workflows/release.yml": release})[
        ".github/workflows/release.yml"
    ]
    assert [f.source.line for f in wf.provenance] == [11]
    assert [f.source.line for f in wf.sca] == [13]
    assert wf.sast == ()


def test_elixir_security_tasks(tmp_path: Path) -> None:
    # siblings of held-out-7c's kinds in the systems family: Elixir's mix tasks for dependency
    # audits (mix_audit, hex) and Sobelow, the Phoenix security analyser
    workflow = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: mix deps.audit\n"
        "      - run: mix hex.audit\n      - run: mix sobelow --exit\n      - run: mix credo\n"
    )
    wf = _workflows(tmp_path, {".github/workflows/a.yml": workflow})[".github/workflows/a.yml"]
    assert [f.source.line for f in wf.sca] == [6, 7]
    assert [f.source.line for f in wf.sast] == [8]


def _bomb(levels: int) -> str:
    """Nested YAML aliases: 9 ** levels strings once expanded, a few hundred bytes here."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_in_a_repository_yaml_is_refused_not_walked(tmp_path: Path) -> None:
    """A workflow (or pnpm-workspace.yaml, steward.yml, ...) whose aliases expand to 9**9
    strings: the alias count was under the limit, so the file was loaded and then walked
    expanded (``_strings``) for minutes. Every YAML from a checkout is refused past
    ``DEFAULT_MAX_ALIAS_NODES`` expanded nodes: a problem naming the file, nothing hangs."""
    import time

    from steward.collect.deps import collect_dependencies

    bomb = _bomb(9)
    write(
        tmp_path,
        {
            ".github/workflows/bomb.yml": bomb + "on: push\njobs:\n  j:\n    runs-on: *i\n"
            "    steps:\n      - run: *i\n",
            "package.json": '{"name": "r", "dependencies": {"a": "1"}}',
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
            "pnpm-workspace.yaml": bomb + "packages: *i\n",
            "packages/x/package.json": '{"name": "x", "dependencies": {"a": "1"}}',
        },
    )
    start = time.process_time()
    workflows, problems = collect_workflows(walk(tmp_path))
    collect_dependencies(walk(tmp_path))
    assert time.process_time() - start < 5
    assert workflows == [] or all(not w.jobs for w in workflows)
    assert any("bomb.yml" in str(p) and "alias" in str(p) for p in problems), problems
