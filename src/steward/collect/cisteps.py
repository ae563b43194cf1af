"""What CI steps do: the analysis shared by GitHub workflows, local composite actions, GitLab
jobs and the repository scripts, makefile recipes and package scripts they call.

A ``StepScanner`` collects findings for one workflow. Each shell script (a ``run:`` value, a
GitLab ``script:`` line, a repository script) is split into commands by
``steward.collect.shell``, and every command is classified by ``steward.collect.commands``:
test run, unpinned install, download-then-run, static analysis, dependency scanning, SBOM,
fuzzing, signing. Each finding carries the line of its own command.

Following (one level, as a reader of the workflow would): a repository script the workflow
runs (``bash ci/run.bash``, ``./scripts/test.sh``), a make or just recipe (``make ci``), an
npm or composer script (``npm run ci``). What a followed script calls in turn is not
followed; when that (or a script that is missing, or a recipe we cannot find) is the only
place tests could be, the scanner records it in ``test_unknowns`` so the probe says "cannot
tell" instead of "no tests".
"""

from __future__ import annotations

import itertools
import json
import posixpath
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from steward.collect import buildtargets, cmaketargets, rakefile
from steward.collect import commands as cmds
from steward.collect.advisorygate import advisory_gate
from steward.collect.facts import Finding, Source, Workflow
from steward.collect.metadata import line_in_table
from steward.collect.shell import Command, commands, line_of_offset
from steward.collect.toxconfig import ToxConfig, tox_config
from steward.collect.tree import Tree, not_the_projects
from steward.collect.yamlpos import Located

LineAt = Callable[[int], int]

# (clang-tidy also by LLVM's own drivers of it, run-clang-tidy and clang-tidy-diff, as a CI
# script runs it over a compilation database: held-out-11h, arrow-nanoarrow)
SAST_COMMANDS = re.compile(
    r"^(?:semgrep|bandit|gosec|codeql|brakeman|pysa|psalm|phpstan|spotbugs|flawfinder|cppcheck"
    r"|clang-tidy|run-clang-tidy|clang-tidy-diff"
    # ``ruff format`` is the formatter, no analysis (as the ruff-format hook; python-attrs/
    # cattrs' Justfile lint recipe runs both, held-out-12a)
    r"|infer|ruff check|ruff(?!\s+format\b)|zizmor|staticcheck|golangci-lint|cargo clippy|njsscan"
    r"|horusec|sonar-scanner|snyk code|pyre|scan-build|pmd|checkstyle|errorprone|mix sobelow"
    r"|hadolint|pysonar|dotnet[- ]sonarscanner"
    # an analyser's goal or task, not an option naming it (-Dspotbugs.skip, -x checkstyleMain)
    r"|mvn\w*\b(?:.*\s)?(?!-)[\w.:-]*(?:spotbugs|pmd|checkstyle|sonar)[\w.-]*:\w+"
    r"|gradle\w*\b(?:.*\s)?(?<!-x )(?<!--exclude-task )(?!-)[\w:.-]*"
    r"(?:spotbugs|pmd|checkstyle|sonar)\w*)\b"
)
# a tool asked only for its version or help: apache/skywalking-go's ``$(GO_LINT) version ||
# curl ... | sh`` checks that golangci-lint is installed (held-out-16g)
_ONLY_ASKS = re.compile(r"^(?:version|--version|-V|help|--help|-h)$")
SCA_COMMANDS = re.compile(
    r"^(?:pip-audit|safety (?:check|scan)|npm audit|yarn (?:npm )?audit|pnpm audit|cargo audit"
    r"|cargo deny|osv-scanner|trivy|grype|govulncheck|snyk test|dependency-check|bundle[- ]audit"
    r"|bundler-audit|composer audit|steward vulns|dotnet list package --vulnerable|mix deps\.audit"
    r"|mix hex\.audit|mvn\b.*"
    r"dependency-check|retire|audit-ci|nancy)\b"
)
SBOM_COMMANDS = re.compile(
    r"^(?:syft|cyclonedx-\w+|cyclonedx-py|cdxgen|spdx-sbom-generator|steward sbom|trivy\b.*"
    r"--format (?:cyclonedx|spdx)|cargo cyclonedx|cargo sbom|sbom-tool|bom generate)\b"
)
# fuzzers (Rust's three through their cargo subcommands: ``cargo fuzz``, honggfuzz-rs'
# ``cargo hfuzz run``, afl.rs' ``cargo afl fuzz``: servo/rust-smallvec's CI, held-out-13b),
# and a test run that selects the project's own fuzz tests by name, marker, label or option
# (``pytest -k fuzzy --fuzzing``: cyclonedds-python's random-type fuzzer, held-out-9e;
# ``ctest -L fuzz``)
FUZZ_COMMANDS = re.compile(
    r"^(?:cargo (?:\+\S+ )?(?:fuzz|hfuzz|afl)(?![\w-])|go test\b.*-fuzz|atheris|jazzer|libfuzzer|"
    r"afl-fuzz|cifuzz)\b"
    r"|^(?:pytest|ctest|tox|nox)\b.*\s(?:(?:-k|-m|-R|-L|--tests-regex|--label-regex)[\s=]*"
    r"['\"]?[\w*.-]*fuzz|--fuzz)"
)
SIGNING_COMMANDS = re.compile(r"^(?:cosign sign|gpg\b.*--detach-sign|minisign -S|gpg\b.*-b\b)")
_NOT_FOLLOWED = frozenset({"configure", "autogen.sh", "bootstrap", "bootstrap.sh", "gradlew",
                           "mvnw", "install.sh"})  # fmt: skip
# scripts made of commands, followed one level: POSIX shells, and PowerShell and Windows
# batch scripts, whose command lines (``& dotnet test -c Release``, ``call gradlew test``)
# the same reader splits into words (PowerShell's ``&`` call operator ends up as a separator)
_WINDOWS_SCRIPTS = (".cmd", ".bat", ".ps1")
_SHELL_EXT = (".sh", ".bash", ".zsh", ".ksh", ".ps1", ".cmd", ".bat")
_UNTRUSTED_GIT = re.compile(
    r"^(?:gh pr checkout|git (?:fetch|pull)\b.*\b(?:pull/|refs/pull/)|git checkout\b.*"
    r"(?:github\.event\.pull_request\.head|github\.head_ref|refs/pull/|FETCH_HEAD))"
)


_POM_PACKAGING = re.compile(r"<packaging>\s*pom\s*</packaging>")


def _maven_pom_without_tests(tree: Tree | None, argv: list[str], workdir: str = "") -> bool:
    """A Maven run (``mvn -f doc/pom.xml install``) on a POM that has nothing to test: its
    packaging is ``pom`` (no compile or surefire bindings) and it has no ``<modules>``
    (held-out-9e: angus-mail's web-site workflow builds the javadoc of ``doc/pom.xml``). The
    POM is the ``-f``/``--file`` argument, else ``pom.xml``, in the step's ``workdir``; False
    when it cannot be read or is not a Maven run."""
    if tree is None or cmds.program(argv[0]) not in ("mvn", "mvnw", "mvnd"):
        return False
    pom = _option_value(argv[1:], ("-f", "--file")) or "pom.xml"
    pom = posixpath.normpath(posixpath.join(workdir, pom))
    if not pom.endswith(".xml"):
        pom = posixpath.join(pom, "pom.xml")
    if pom not in tree.files:
        return False
    text = tree.read(pom, limit=1024 * 1024).text or ""
    return bool(_POM_PACKAGING.search(text)) and "<modules>" not in text


@dataclass
class Context:
    """Where a step runs: job, environment, working directory, trigger state."""

    job: str
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = ""
    untrusted_trigger: bool = False
    untrusted_checkout: bool = False
    depth: int = 0  # 0: the workflow itself; 1: a script it calls (not followed further)
    actions: tuple[str, ...] = ()  # local composite actions being expanded (no loops)
    inputs: dict[str, str] = field(default_factory=dict)  # ${{ inputs.x }} of an action
    oidc: bool = False  # the job may request an OIDC token (id-token: write): trusted publishing
    matrix: dict[str, tuple[str, ...]] = field(default_factory=dict)  # strategy.matrix values


_UNQUOTED_VAR = re.compile(r"^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$")


def _expand_command_variables(cmd: Command, local: Mapping[str, str]) -> Command:
    """``$cmd --no-default-features`` after ``cmd="cargo test --target $t"``: an unquoted
    variable the script set is split into words, as the shell does, so the command it holds
    is seen (rust-lang/libc's ci/run.sh builds its ``cargo test`` that way). A quoted one
    (``"$cmd"``) stays one word, and a variable the script did not set is left alone."""
    if not local or not any("$" in w for w in cmd.raw):
        return cmd
    argv: list[str] = []
    raw: list[str] = []
    for i, word in enumerate(cmd.argv):
        written = cmd.raw[i] if i < len(cmd.raw) else word
        m = _UNQUOTED_VAR.match(written)
        name = (m.group(1) or m.group(2)) if m else None
        if name is not None and name in local:
            words = local[name].split()
            argv.extend(words)
            raw.extend(words)
        else:
            argv.append(word)
            raw.append(written)
    return replace(cmd, argv=argv, raw=raw)


class StepScanner:
    """Accumulates the findings of one workflow (see module docstring)."""

    KEYS = ("tests", "test_unknowns", "sast", "sca", "sbom", "fuzz", "sign", "installs",
            "untrusted", "inject", "prov")  # fmt: skip

    def __init__(self, tree: Tree | None) -> None:
        self.tree = tree
        self.found: dict[str, list[Finding]] = {k: [] for k in self.KEYS}
        self._line_at: LineAt = lambda _offset: 1
        self._followed: set[tuple[str, str]] = set()
        self._ruff_s: bool | None = None
        self._gradle: list[tuple[str, str, int]] | None = None
        self._tox: ToxConfig | None = None
        self._tox_read = False
        self._maven: list[tuple[str, str, int, int]] | None = None
        self._dotnet: list[tuple[str, str, int]] | None = None

    def add(self, key: str, source: Source, detail: str) -> None:
        self.found[key].append(Finding(source, detail))

    def workflow(self, path: str, system: str, **extra: Any) -> Workflow:
        """The workflow of a CI system read step by step (GitLab CI, AppVeyor, Azure
        Pipelines, CircleCI, Travis CI...): what its scanned steps run, plus ``extra`` fields
        of :class:`~steward.collect.facts.Workflow` (``images``, ``unpinned_images``)."""
        found = self.found
        return Workflow(
            source=Source(path=path), system=system, runs_tests=tuple(found["tests"]),
            test_unknowns=tuple(found["test_unknowns"]), sast=tuple(found["sast"]),
            sca=tuple(found["sca"]), sbom=tuple(found["sbom"]), fuzzing=tuple(found["fuzz"]),
            signing=tuple(found["sign"]), unpinned_installs=tuple(found["installs"]), **extra,
        )  # fmt: skip

    # ------------------------------------------------------------------ scripts
    def script(self, text: str, path: str, line_at: LineAt, ctx: Context) -> None:
        """Analyse one shell script whose offsets map to lines of ``path`` by ``line_at``."""
        downloads: dict[str, bool] = {}  # downloaded file -> verified
        local: dict[str, str] = {}  # the script's own variables (cmd="cargo test ...")
        for cmd in commands(text, assignments=True):
            if not cmd.argv:  # cmd="cargo test --target $t"; cmd="$cmd --workspace"
                scope = {**ctx.env, **local}
                local.update({k: cmds.resolve(v, scope) for k, v in cmd.assignments.items()})
                continue
            cmd = _expand_command_variables(cmd, local)
            argv = cmds.normalise(cmd, {**ctx.env, **local}, ctx.inputs)
            if not argv:
                continue
            where = Source(path=path, line=line_at(cmd.start))
            self._line_at = line_at
            self._installs(cmd, argv, where, downloads, ctx.matrix)
            self._kinds(argv, where)
            self._runners(argv, where, ctx)
            if _publishes_with_provenance(argv, ctx):
                self.add("prov", where, f"runs {' '.join(argv)[:100]} (provenance)")
            if ctx.untrusted_trigger and _UNTRUSTED_GIT.match(" ".join(cmd.argv)):
                ctx.untrusted_checkout = True
                self.add("untrusted", where, f"job {ctx.job} runs {' '.join(cmd.argv)[:120]}")
            self._tests(argv, where, ctx)
            inline = cmds.inline_script(argv)
            if inline is not None:  # bash -c "pip install x && pytest": its commands, here
                self.script(inline, path, _constant(line_at(cmd.start)), ctx)
                self._line_at = line_at

    def _installs(
        self,
        cmd: Command,
        argv: list[str],
        where: Source,
        downloads: dict[str, bool],
        matrix: Mapping[str, tuple[str, ...]],
    ) -> None:
        why = cmds.unpinned_install(argv)
        for expanded in [] if why else matrix_argvs(argv, matrix):
            why = cmds.unpinned_install(expanded)
            if why:
                break
        piped = cmds.download_then_run(cmd, argv)
        if piped is not None:
            why, offset = piped
            where = Source(path=where.path, line=self._line_at(offset))
        for name, verified in list(downloads.items()):
            if cmds.verifies_file(argv, name):
                downloads[name] = True
            elif not verified and cmds.executes_file(argv, name):
                why = why or f"runs {name}, downloaded without a checksum check"
                del downloads[name]
        target = cmds.downloaded_file(argv, cmd)
        if target:
            downloads[target] = False
        if why:
            self.add("installs", where, f"unpinned: {why}")

    def _kinds(self, argv: list[str], where: Source) -> None:
        argv = cmds.installed_tool(argv)  # php vendor/bin/phpstan analyse: phpstan runs
        line = " ".join([cmds.program(argv[0]), *argv[1:]])
        if len(argv) == 2 and _ONLY_ASKS.match(argv[1]):
            return  # ``golangci-lint version`` (is it installed?) runs no analysis or scan
        for key, pattern in (("sast", SAST_COMMANDS), ("sca", SCA_COMMANDS),
                             ("sbom", SBOM_COMMANDS), ("fuzz", FUZZ_COMMANDS),
                             ("sign", SIGNING_COMMANDS)):  # fmt: skip
            m = pattern.match(line)
            if m and not (key == "sast" and line.startswith("ruff") and not self._ruff_security):
                self.add(key, where, f"runs {line[:120]}")

    @property
    def _gradle_analysers(self) -> list[tuple[str, str, int]]:
        """Static analysers the Gradle build applies (first place each), read once."""
        if self._gradle is None:
            self._gradle = _gradle_analysers(self.tree) if self.tree is not None else []
        return self._gradle

    @property
    def _maven_analysers(self) -> list[tuple[str, str, int, int]]:
        """Static analysers the Maven build runs (first place each), read once."""
        if self._maven is None:
            self._maven = _maven_analysers(self.tree) if self.tree is not None else []
        return self._maven

    @property
    def _dotnet_analysers(self) -> list[tuple[str, str, int]]:
        """Roslyn analysers the .NET build runs (first place each), read once."""
        if self._dotnet is None:
            self._dotnet = _dotnet_analysers(self.tree) if self.tree is not None else []
        return self._dotnet

    @property
    def _ruff_security(self) -> bool:
        """Ruff is a style and correctness linter unless its security rules (flake8-bandit,
        ``S``) are selected; then it is static security analysis (unknown tree: assume so)."""
        if self.tree is None:
            return True
        if self._ruff_s is None:
            self._ruff_s = ruff_selects_security(self.tree)
        return self._ruff_s

    def _runners(self, argv: list[str], where: Source, ctx: Context) -> None:
        """What ``pre-commit run`` and ``tox -e ENV`` run (one level): analysers among the
        pre-commit hooks (ruff, bandit, golangci-lint...), scanners and analysers among the
        tox environment's commands (``safety check``, ``bandit``...). Found at the step."""
        if self.tree is None or ctx.depth >= 2:
            return
        prog = cmds.program(argv[0])
        if prog in ("gradle", "gradlew") or argv[0].endswith("gradlew"):
            tasks = [a.rsplit(":", 1)[-1] for a in argv[1:] if not a.startswith("-")]
            if any(_GRADLE_ANALYSING_TASK.match(t) for t in tasks):
                for name, path, line in self._gradle_analysers:
                    self.add("sast", where, f"gradle {' '.join(tasks)[:60]} runs {name} "
                                            f"(applied at {path}:{line})")  # fmt: skip
        if prog in ("mvn", "mvnw", "mvnd") or argv[0].endswith("mvnw"):
            goals = [a for a in argv[1:] if not a.startswith("-")]
            reached = max((_MAVEN_PHASES.get(g, -1) for g in goals), default=-1)
            skip = re.compile(r"-D(spotbugs|pmd|checkstyle)\.skip(?:=true)?$")
            skipped = {m.group(1).lower() for a in argv[1:] if (m := skip.match(a))}
            for name, path, line, phase in self._maven_analysers:
                if phase <= reached and name.lower() not in skipped:
                    self.add("sast", where, f"mvn {' '.join(goals)[:60]} runs {name} "
                                            f"(bound in {path}:{line})")  # fmt: skip
        verb = next((a for a in argv[1:] if not a.startswith("-")), "")
        if prog == "composer" and (gate := advisory_gate(self.tree, argv, ctx.workdir)):
            self.add("sca", where, gate)
        if (prog == "dotnet" and verb in _DOTNET_BUILDING) or prog == "msbuild":
            for name, path, line in self._dotnet_analysers:
                self.add("sast", where, f"{prog} {verb} runs {name} "
                                        f"(referenced at {path}:{line})")  # fmt: skip
        if prog in ("pre-commit", "prek") and "run" in argv[1:3]:
            for hook, path, line in pre_commit_hooks(self.tree):
                for key in hook_kinds(hook, self._ruff_security):
                    self.add(key, where, f"pre-commit hook {hook} ({path}:{line})")
        elif prog == "tox" and (inner_exec := cmds.tox_exec_command(argv[1:])) is not None:
            if inner_exec:
                self._kinds(inner_exec, where)  # ``tox exec -- cmd`` runs cmd
        elif prog == "tox" and (config := self.tox) is not None:
            names = _tox_names(argv, ctx, config)
            inner = replace(ctx, depth=ctx.depth + 1)
            listed = (
                config.every_command()
                if names is None
                else [c for n in names for c in config.commands(n)]
            )
            for line, command in dict.fromkeys(listed):
                for cmd in commands(command):
                    inner_argv = cmds.normalise(cmd, ctx.env, ctx.inputs)
                    if inner_argv:
                        at = Source(path=config.path, line=line)
                        self._kinds(inner_argv, at)
                        self._runners(inner_argv, at, inner)

    @property
    def tox(self) -> ToxConfig | None:
        """The tree's tox configuration (tox.ini, tox.toml, [tool.tox]), read once."""
        if not self._tox_read and self.tree is not None:
            self._tox, self._tox_read = tox_config(self.tree), True
        return self._tox

    def _no_noxfile(self, argv: list[str], ctx: Context) -> bool:
        """Whether the noxfile this ``nox`` command reads (``-f``/``--noxfile``, else
        ``noxfile.py`` in the working directory) is missing from the tree: pypa/pipx's
        dispatch workflows still call ``nox --session test_all_packages-3.12`` after the move
        to tox (held-out-12a). Unknown paths (variables) are taken to exist."""
        if self.tree is None:
            return False
        name = _option_value(argv[1:], ("-f", "--noxfile")) or "noxfile.py"
        if "$" in name or name.startswith(("/", "~")):
            return False
        path = posixpath.normpath(posixpath.join(ctx.workdir or ".", name))
        if "$" in path or path.startswith("../"):
            return False  # a working directory named by an expression, or outside the tree
        return path not in self.tree.files

    def _tox_tests(self, argv: list[str], where: Source, ctx: Context) -> bool:
        """Judge ``tox -e NAMES`` by what the named environments run (an environment
        without commands of its own runs the base environment's), the names taken from the
        job's matrix where they are ``${{ matrix.x }}``. False when it cannot be judged so
        (no configuration, every environment, a name not resolved): then by the names."""
        config = self.tox
        if cmds.tox_exec_command(argv[1:]) is not None:
            return False  # ``tox exec -- cmd``: cmd is what runs, judged as it is
        names = _tox_names(argv, ctx, config)
        if config is None or names is None or cmds.test_run(argv).kind == "no":
            return False
        if any(re.search(r"[@${}]", n) for n in names):
            return False
        for name in names:
            for line, command in config.commands(name):
                for cmd in commands(command):
                    inner = cmds.normalise(cmd, ctx.env, ctx.inputs)
                    verdict = cmds.test_run(inner)
                    runs = verdict.kind == "test" or (
                        verdict.kind == "script" and _looks_like_tests(verdict.target)
                    )
                    if runs:
                        what = f"runs tox -e {name} ({config.path}:{line}: {verdict.detail[:80]})"
                        self.add("tests", where, what)
                        return True
        return True  # judged: the environments run no tests

    def _tests(self, argv: list[str], where: Source, ctx: Context) -> None:
        if cmds.program(argv[0]) == "tox" and self._tox_tests(argv, where, ctx):
            return
        if cmds.program(argv[0]) == "nox" and self._no_noxfile(argv, ctx):
            return  # nox stops at once ("noxfile.py not found"): nothing runs
        verdict = cmds.test_run(argv)
        if verdict.kind == "test" and not _maven_pom_without_tests(self.tree, argv, ctx.workdir):
            self.add("tests", where, f"runs {verdict.detail[:120]}")
            return
        if verdict.kind == "test":  # a POM with nothing to test
            return
        if verdict.kind == "cmake":
            self._follow_cmake_target(verdict, where)
            return
        if verdict.kind == "variable":
            what = f"{verdict.detail[:100]}: the program is a variable; cannot tell what it runs"
            self.add("test_unknowns", where, what)
            return
        if verdict.kind == "no" or self.tree is None:
            return
        if verdict.kind == "mvn":
            self._follow_default_goal(argv, where, ctx)
            return
        if verdict.kind == "rake":
            self._follow_rake_default(argv, where, ctx)
            return
        if verdict.kind == "gradle":
            self._follow_gradle_default(argv, where, ctx)
            return
        before = len(self.found["tests"]) + len(self.found["test_unknowns"])
        if ctx.depth >= 1:
            if verdict.kind == "script" and _looks_like_tests(verdict.target):
                self.add("tests", where, f"runs {verdict.detail[:120]}")
            elif verdict.kind != "script" or _followable(verdict.target):
                self.add("test_unknowns", where,
                         f"{verdict.detail[:100]}: not followed (one level only)")  # fmt: skip
        elif verdict.kind == "script":
            self._follow_script(verdict.target, where, replace(ctx, depth=ctx.depth + 1))
        if verdict.kind == "script":
            # ``build.sh --test``, ``. "$root/build.sh" --restore --test``: the caller asks the
            # script to test; when what it runs could not be seen, that is "cannot tell"
            seen = len(self.found["tests"]) + len(self.found["test_unknowns"])
            if seen == before and any(_TEST_OPTION.match(a) for a in argv[1:]):
                what = f"{verdict.detail[:100]}: asks the script to test; cannot tell what it runs"
                self.add("test_unknowns", where, what)
            return
        if ctx.depth >= 1:
            return
        inner = replace(ctx, depth=ctx.depth + 1)
        if verdict.kind in ("make", "just"):
            self._follow_recipe(verdict, where, inner)
        elif verdict.kind in ("ant", "task"):
            self._follow_target(verdict, where, inner)
        elif verdict.kind in ("npm", "composer"):
            self._follow_package_script(verdict, where, inner)
        elif verdict.kind == "sbt":
            self._follow_sbt_alias(verdict, where, inner)
        elif verdict.kind == "hatch":
            self._follow_hatch_script(verdict, argv, where, inner)

    # --------------------------------------------------------------- following
    def _resolve(self, target: str, ctx: Context) -> str | None:
        assert self.tree is not None
        target = target.strip()
        if target.startswith(("$", "/", "~")) or "${{" in target or _SYSTEM_PATH.match(target):
            return None
        base = posixpath.normpath(posixpath.join(ctx.workdir or ".", target))
        if base.startswith("../"):
            return None
        if base in self.tree.files:
            return base
        # Windows finds cmd.exe and PowerShell scripts whatever their case (cibuild.cmd runs
        # eng/common/CIBuild.cmd)
        return self.tree.find(base) if base.lower().endswith(_WINDOWS_SCRIPTS) else None

    def _follow_script(self, target: str, where: Source, ctx: Context) -> None:
        assert self.tree is not None
        name = posixpath.basename(target)
        if name in _NOT_FOLLOWED or not _followable(target):
            return
        path = self._resolve(target, ctx)
        if path is None:
            if _looks_like_tests(target) or _built_test_program(target):
                self.add("tests", where, f"runs {target}")
            else:
                self.add("test_unknowns", where, f"runs {target}, not found in the repository")
            return
        key = (path, ctx.job)
        if key in self._followed:
            return
        self._followed.add(key)
        content = self.tree.read(path, limit=256 * 1024)
        text = content.text
        if text is None:
            self.add("test_unknowns", where, f"runs {path}, which could not be read")
            return
        if not _is_shell(path, text):
            if _looks_like_tests(path):
                self.add("tests", where, f"runs {path}")
            else:
                self.add("test_unknowns", where, f"runs {path}: cannot tell whether it tests")
            return
        before = len(self.found["tests"])
        self.script(text, path, lambda o: line_of_offset(text, o), ctx)
        if len(self.found["tests"]) == before and _looks_like_tests(path):
            self.add("tests", where, f"runs {path}")

    def _follow_recipe(self, verdict: cmds.TestRun, where: Source, ctx: Context) -> None:
        assert self.tree is not None
        directory = posixpath.normpath(posixpath.join(ctx.workdir or ".", verdict.directory))
        names = ("justfile", "Justfile", ".justfile") if verdict.kind == "just" else (
            "GNUmakefile", "makefile", "Makefile")  # fmt: skip
        prefix = "" if directory in (".", "") else f"{directory}/"
        path = next((prefix + n for n in names if prefix + n in self.tree.files), None)
        tool = verdict.kind
        if path is None:
            self.add("test_unknowns", where,
                     f"{tool} {verdict.target}: no {names[-1]} found".rstrip())  # fmt: skip
            return
        text = self.tree.read(path, limit=512 * 1024).text or ""
        goal = verdict.target
        if tool == "make" and not goal:  # a bare make: .DEFAULT_GOAL, else the first target
            goal = buildtargets.make_default_goal(text) or ""
        recipe = _recipe(text, goal, tool)
        variables = _make_variables(text) if tool == "make" else {}
        if recipe is None:
            self.add("test_unknowns", where,
                     f"{tool} {verdict.target}: recipe not found in {path}")  # fmt: skip
            return
        deps, body, offset = recipe
        if any(cmds.is_test_target(d) for d in deps):
            what = f"{tool} {verdict.target or '(default)'} depends on {' '.join(deps)}"
            if goal != verdict.target:
                what = f"{tool} (default: {goal}) depends on {' '.join(deps)}"
            self.add("tests", Source(path=path, line=line_of_offset(text, offset)), what)
            return
        inner = replace(ctx, workdir=directory if directory != "." else "")
        for start, raw in body:
            line = _MAKE_VAR.sub(lambda m: variables.get(m.group(1) or m.group(2), m.group(0)), raw)
            self.script(line, path, _lines_from(line, line_of_offset(text, start)), inner)

    def _follow_cmake_target(self, verdict: cmds.TestRun, where: Source) -> None:
        """``cmake --build . --target NAME`` for a target of the project's own: a test run
        when its ``add_custom_target`` runs ctest or a test command, not one when it only
        builds (no command, or commands that run no tests); one the tree defines with
        ``add_executable``/``add_library`` (a test program) is only built. A target the tree
        does not define (another project's, or no tree to read) is judged by its name."""
        detail = f"runs {verdict.detail[:120]}"
        files: list[tuple[str, str]] = []
        if self.tree is not None:
            for path in sorted(self.tree.files):
                if _CMAKE_FILE.search(path) and len(files) < MAX_CMAKE_FILES:
                    files.append((path, self.tree.read(path, limit=256 * 1024).text or ""))
        defined = cmaketargets.custom_targets(files, verdict.target)
        if not defined and cmaketargets.built_target(files, verdict.target) is not None:
            return  # the project's add_executable/add_library: built, not run
        if not defined:
            self.add("tests", where, detail)
            return
        for target in defined:
            for command in target.commands:
                argv = [_CMAKE_PROGRAMS.get(w, w) for w in command]
                built = _TARGET_FILE.match(argv[0])  # runs a test program the build made
                if (built and cmds.is_test_target(built.group(1))) or (
                    cmds.test_run(argv).kind == "test"
                ):
                    at = f"{target.path}:{target.line}"
                    self.add("tests", where, f"{detail} (target {target.name} at {at} runs "
                                             f"{' '.join(command)[:60]})")  # fmt: skip
                    return

    def _follow_default_goal(self, argv: list[str], where: Source, ctx: Context) -> None:
        """``mvn`` without goals runs the POM's ``<defaultGoal>``."""
        assert self.tree is not None
        path = f"{ctx.workdir}/pom.xml" if ctx.workdir else "pom.xml"
        if path not in self.tree.files:
            self.add("test_unknowns", where, f"{' '.join(argv)[:80]}: no pom.xml found")
            return
        text = self.tree.read(path, limit=1024 * 1024).text or ""
        m = re.search(r"<defaultGoal>\s*([^<]*?)\s*</defaultGoal>", text)
        if m is None:
            return  # Maven stops: no goal given and none by default
        line = line_of_offset(text, m.start())
        self.script(f"mvn {m.group(1)}", path, lambda _o: line, ctx)

    def _follow_rake_default(self, argv: list[str], where: Source, ctx: Context) -> None:
        """``rake`` without task names runs the Rakefile's ``default`` task (a declaration,
        read at any depth like Maven's default goal)."""
        assert self.tree is not None
        prefix = f"{ctx.workdir}/" if ctx.workdir else ""
        names = ("Rakefile", "rakefile", "Rakefile.rb", "rakefile.rb")
        path = next((prefix + n for n in names if prefix + n in self.tree.files), None)
        shown = " ".join(argv)[:80]
        if path is None:
            self.add("test_unknowns", where, f"{shown}: no Rakefile found")
            return
        texts = [(path, self.tree.read(path, limit=512 * 1024).text or "")]
        rakelib = f"{prefix}rakelib/"
        for name in sorted(self.tree.files):
            if name.startswith(rakelib) and name.endswith(".rake") and len(texts) < 50:
                texts.append((name, self.tree.read(name, limit=256 * 1024).text or ""))
        found = rakefile.default_runs_tests(texts)
        at = f"{path}:{found.line}" if found.line else path
        if found.verdict == "test":
            self.add("tests", where, f"{shown}: {found.reason} ({at})")
        elif found.verdict == "unknown":
            self.add("test_unknowns", where, f"{shown}: {found.reason} ({at})")

    def _follow_gradle_default(self, argv: list[str], where: Source, ctx: Context) -> None:
        """``gradle`` without task names runs the build's ``defaultTasks`` (a declaration,
        read at any depth like Maven's default goal); without them Gradle runs ``help``."""
        assert self.tree is not None
        given = _option_value(argv, ("-p", "--project-dir"))
        directory = posixpath.normpath(posixpath.join(ctx.workdir or ".", given or "."))
        prefix = "" if directory in (".", "") else f"{directory}/"
        names = ("build.gradle.kts", "build.gradle")
        path = next((prefix + n for n in names if prefix + n in self.tree.files), None)
        shown = " ".join(argv)[:80]
        if path is None:
            self.add("test_unknowns", where, f"{shown}: no build.gradle found")
            return
        text = self.tree.read(path, limit=1024 * 1024).text or ""
        found = buildtargets.gradle_default_tasks(text)
        if found is None:
            return  # Gradle runs its help task
        tasks, line = found
        if cmds.test_run(["gradle", *tasks]).kind == "test":
            what = f"{shown}: defaultTasks {' '.join(tasks)} ({path}:{line})"
            self.add("tests", where, what)

    def _follow_target(self, verdict: cmds.TestRun, where: Source, ctx: Context) -> None:
        """``ant [target]`` and ``task [name]``: the target in build.xml / the task in
        Taskfile.yml (the default one without a name), followed one level
        (``steward.collect.buildtargets``); the task's own commands are scanned here."""
        assert self.tree is not None
        directory = posixpath.normpath(posixpath.join(ctx.workdir or ".", verdict.directory))
        prefix = "" if directory in (".", "") else f"{directory}/"
        names = ("build.xml",) if verdict.kind == "ant" else (
            "Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml",
            "taskfile.dist.yml", "Taskfile.dist.yaml", "taskfile.dist.yaml")  # fmt: skip
        path = next((prefix + n for n in names if prefix + n in self.tree.files), None)
        named = _option_value(verdict.detail.split(), ("-f", "-file", "-buildfile"))
        if verdict.kind == "ant" and named:  # ant -f other.xml
            path = self._resolve(named, ctx)
        shown = verdict.detail[:80]
        if path is None:
            self.add("test_unknowns", where, f"{shown}: no {named or names[0]} found")
            return
        text = self.tree.read(path, limit=1024 * 1024).text or ""
        if verdict.kind == "ant":
            found = buildtargets.ant_target(text, verdict.target, source=path)
        else:
            found = buildtargets.taskfile_target(text, verdict.target, source=path)
        at = Source(path=path, line=found.line) if found.line else where
        if found.verdict == "test":
            self.add("tests", at, found.reason)
        elif found.verdict == "unknown":
            self.add("test_unknowns", at, f"{shown}: {found.reason}")
        inner = replace(ctx, workdir=directory if directory != "." else "")
        for line, command in found.commands:
            self.script(command, path, located_line_at(command, line), inner)

    def _follow_sbt_alias(self, verdict: cmds.TestRun, where: Source, ctx: Context) -> None:
        """``sbt ci``: the build's ``addCommandAlias("ci", "...")`` (in ``build.sbt`` or a
        ``project/*.sbt``/``*.scala`` file) is run as the sbt commands it stands for; an
        alias whose value is not a string literal cannot be told; a name the build does not
        define is a plugin's task (nothing known of it: not a test run)."""
        assert self.tree is not None
        prefix = f"{ctx.workdir}/" if ctx.workdir else ""
        nested = sorted(
            p
            for p in self.tree.files
            if p.startswith(prefix + "project/")
            and p.endswith((".sbt", ".scala"))
            and "/" not in p[len(prefix) + len("project/") :]
        )
        paths = [prefix + "build.sbt", *nested]
        name = re.compile(r'addCommandAlias\(\s*"' + re.escape(verdict.target) + r'"\s*,\s*')
        for path in (p for p in paths if p in self.tree.files):
            text = self.tree.read(path, limit=512 * 1024).text or ""
            m = name.search(text)
            if m is None:
                continue
            line = line_of_offset(text, m.start())
            value = _SCALA_STRING.match(text, m.end())
            if value is None:
                self.add("test_unknowns", Source(path=path, line=line),
                         f"sbt {verdict.target}: alias not a plain string")  # fmt: skip
                return
            body = value.group(1) if value.group(1) is not None else value.group(2)
            argv = ["sbt", *[c.strip() for c in re.split(r"[;\n]", body) if c.strip()]]
            if cmds.test_run(argv).kind == "test":
                what = f"sbt {verdict.target}: alias for {' '.join(argv[1:])[:100]}"
                self.add("tests", Source(path=path, line=line), what)
            return

    def _follow_hatch_script(
        self, verdict: cmds.TestRun, argv: list[str], where: Source, ctx: Context
    ) -> None:
        """``hatch run env:name args``: the script ``name`` of the environment's ``scripts``
        table (``[tool.hatch.envs.<env>.scripts]`` in pyproject.toml, ``[envs.<env>.scripts]``
        in hatch.toml; a string or a list of commands, hatch documentation "Environment
        configuration"), at the script's line; without such a script, ``name args`` is a
        command hatch runs in the environment (pytest-dev/iniconfig, held-out-13a)."""
        assert self.tree is not None
        env, _, name = verdict.target.partition(":")
        rest = argv[argv.index(verdict.target) + 1 :] if verdict.target in argv else []
        for path, prefix in (("hatch.toml", "envs"), ("pyproject.toml", "tool.hatch.envs")):
            prefixed = f"{ctx.workdir}/{path}" if ctx.workdir else path
            path = prefixed if prefixed in self.tree.files else path
            if path not in self.tree.files:
                continue
            text = self.tree.read(path, limit=512 * 1024).text or ""
            try:
                table: Any = tomllib.loads(text)
            except (tomllib.TOMLDecodeError, RecursionError, ValueError):
                continue
            for key in (*prefix.split("."), env or "default", "scripts"):
                table = table.get(key) if isinstance(table, dict) else None
            body = table.get(name) if isinstance(table, dict) else None
            if isinstance(body, list) and all(isinstance(b, str) for b in body):
                body = "\n".join(body)
            if not isinstance(body, str):
                continue
            line = line_in_table(text, f"{prefix}.{env or 'default'}.scripts", name)
            # the script's ``{args}`` placeholder takes the caller's extra arguments
            body = re.sub(r"\{args(?::[^}]*)?\}", " ".join(rest), body)
            self.script(body, path, _constant(line or 1), ctx)
            return
        if name:
            self._tests([name, *rest], where, ctx)

    def _follow_package_script(self, verdict: cmds.TestRun, where: Source, ctx: Context) -> None:
        assert self.tree is not None
        name = "package.json" if verdict.kind == "npm" else "composer.json"
        prefix = f"{ctx.workdir}/" if ctx.workdir else ""
        path = prefix + name if prefix + name in self.tree.files else None
        path = path or (name if name in self.tree.files else None)
        if path is None:
            self.add("test_unknowns", where, f"{verdict.detail[:80]}: no {name} found")
            return
        text = self.tree.read(path, limit=512 * 1024).text or ""
        try:
            scripts = json.loads(text).get("scripts") or {}
        except (ValueError, AttributeError):
            scripts = {}
        body = scripts.get(verdict.target) if isinstance(scripts, dict) else None
        if isinstance(body, list):
            body = " && ".join(str(b) for b in body)
        if not isinstance(body, str):
            if verdict.kind == "npm":  # yarn <x> can be a binary as well as a script
                return
            self.add("test_unknowns", where, f"{name} has no script {verdict.target!r}")
            return
        m = re.search(rf'"{re.escape(verdict.target)}"\s*:', text)
        line = line_of_offset(text, m.start()) if m else None
        body = re.sub(r"(?:^|(?<=&& ))@([\w:-]+)(?= |$)", _composer_reference, body)
        if body.startswith("@"):
            body = body[1:]
        self.script(body, path, lambda _o: line or 1, ctx)

    # ---------------------------------------------------------- expressions
    def injections(self, value: str, path: str, line_at: LineAt, job: str) -> None:
        for m in cmds.EXPRESSION.finditer(value):
            if UNTRUSTED_EXPR.search(m.group(1)):
                what = f"job {job} interpolates ${{{{ {m.group(1).strip()} }}}} into a script"
                self.add("inject", Source(path=path, line=line_at(m.start())), what)


def _composer_reference(m: re.Match[str]) -> str:
    """A Composer script's ``@`` reference as a command (getcomposer.org, "Referencing
    scripts"): ``@php`` and ``@composer`` are the binaries running Composer, ``@putenv``
    sets a variable (no command), anything else is another script."""
    name = m.group(1)
    if name in ("php", "composer"):
        return name
    if name == "putenv":
        return "true"
    return f"composer run {name}"


# github.event fields an outsider controls (Scorecard's list, and toJSON of the whole event or
# of the whole github context, which holds it)
UNTRUSTED_EXPR = re.compile(
    r"github\.event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.(?:ref|label"
    r"|repo\.default_branch))|comment\.body|review\.body|review_comment\.body|pages\b[^}]*"
    r"\.page_name|commits\b[^}]*\.(?:message|author\.(?:email|name))|head_commit\.(?:message"
    r"|author\.(?:email|name))|workflow_run\.(?:head_branch|head_commit\.(?:message|author\."
    r"(?:email|name))|pull_requests\b[^}]*\.head\.ref)|discussion\.(?:title|body)|"
    r"discussion_comment\.body|blocked_user\.(?:name|email))|github\.head_ref|"
    r"toJSON\(\s*github(?:\.event)?\s*\)",
    re.IGNORECASE,
)


_TEST_SCRIPT = re.compile(
    r"(?:run[-_]?)?(?:all[-_]?|unit[-_]?)?tests?(?:[-_][\w-]*)?|[\w-]*[-_]tests?"
)


def _publishes_with_provenance(argv: list[str], ctx: Context) -> bool:
    """``npm publish --provenance``, or an npm publish with trusted publishing (the job can
    request an OIDC token), which attaches provenance by default."""
    if cmds.program(argv[0]) not in ("npm", "pnpm", "yarn") or "publish" not in argv[1:4]:
        return False
    return "--provenance" in argv or (ctx.oidc and "--no-provenance" not in argv)


_HOOK_ID = re.compile(r"^\s*-?\s*id:\s*['\"]?([\w.-]+)", re.M)


def hook_kinds(hook: str, ruff_security: bool) -> list[str]:
    """What a pre-commit hook id analyses: "sast" and/or "sca". Formatters are no analysis
    (``ruff-format``, ``black``), and ruff is security analysis only with its ``S`` rules."""
    if re.search(r"format|fmt$|fixer$", hook):
        return []
    kinds = [k for k, pattern in (("sast", SAST_COMMANDS), ("sca", SCA_COMMANDS))
             if pattern.match(hook)]  # fmt: skip
    if hook.startswith("ruff") and not ruff_security:
        kinds = [k for k in kinds if k != "sast"]
    return kinds


def pre_commit_hooks(tree: Tree) -> list[tuple[str, str, int]]:
    """(hook id, file, line) of the hooks in ``.pre-commit-config.yaml``."""
    for path in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        if path in tree.files:
            text = tree.read(path, limit=256 * 1024).text or ""
            return [
                (m.group(1).lower(), path, line_of_offset(text, m.start(1)))
                for m in _HOOK_ID.finditer(text)
            ]
    return []


# Gradle tasks during which applied analysers run: compilation (Error Prone) and check/build
# (Checkstyle, PMD, SpotBugs, detekt), or the analyser's own task
_GRADLE_ANALYSING_TASK = re.compile(
    r"^(?:build|check|assemble|compile\w*|classes|(?:checkstyle|pmd|spotbugs|detekt)\w*)$"
)
_GRADLE_ANALYSER = re.compile(
    r"""(?:id\s*\(?\s*["'](net\.ltgt\.errorprone|com\.github\.spotbugs|io\.gitlab\.arturbosch"""
    r"""\.detekt)["']|^\s*(?:id\s*\(?\s*["'])?(checkstyle|pmd)["')]?\s*\)?\s*$|"""
    r"""apply\s*\(?\s*plugin\s*[:=]\s*["'](checkstyle|pmd|com\.github\.spotbugs)["'])""",
    re.M,
)
_ANALYSER_NAMES = {"net.ltgt.errorprone": "Error Prone", "com.github.spotbugs": "SpotBugs",
                   "io.gitlab.arturbosch.detekt": "detekt", "checkstyle": "Checkstyle",
                   "pmd": "PMD"}  # fmt: skip


def _gradle_analysers(tree: Tree) -> list[tuple[str, str, int]]:
    """(analyser, file, line) of static analysers applied in the Gradle build scripts (root,
    subprojects, buildSrc convention plugins; not test fixtures), first place each; at most
    200 scripts read."""
    scripts = sorted(
        p
        for p in tree.files
        if p.endswith((".gradle", ".gradle.kts"))
        and (p.startswith("buildSrc/") or not not_the_projects(p))
    )[:200]
    found: dict[str, tuple[str, str, int]] = {}
    for path in scripts:
        text = tree.read(path, limit=256 * 1024).text or ""
        for m in _GRADLE_ANALYSER.finditer(text):
            plugin = next(g for g in m.groups() if g)
            name = _ANALYSER_NAMES[plugin]
            found.setdefault(name, (name, path, line_of_offset(text, m.start())))
    return list(found.values())


# .NET commands that compile, and so run the Roslyn analysers a project references
_DOTNET_BUILDING = frozenset({"build", "test", "pack", "publish", "msbuild", "run"})
# Roslyn analyser packages with security rules (the .NET code-quality analysers' CA2xxx/CA3xxx
# and CA5xxx, Security Code Scan, SonarAnalyzer), referenced explicitly; the analysers the SDK
# enables by default run only a handful of rules and are not counted, nor style analysers
_DOTNET_ANALYSER = re.compile(
    r"<(?:PackageReference|GlobalPackageReference)\b[^>]*?\bInclude\s*=\s*\"("
    r"Microsoft\.CodeAnalysis\.NetAnalyzers|Microsoft\.CodeAnalysis\.FxCopAnalyzers|"
    r"SecurityCodeScan(?:\.VS20\d\d)?|SonarAnalyzer\.(?:CSharp|VisualBasic))\"",
    re.I,
)
_DOTNET_PROJECT = re.compile(
    r"(?:\.(?:cs|fs|vb)proj|(?:^|/)Directory\.(?:Build|Packages)\.props)$", re.I
)


def _dotnet_analysers(tree: Tree) -> list[tuple[str, str, int]]:
    """(analyser package, file, line) of the security-rule Roslyn analysers the .NET
    projects reference (project files, Directory.Build.props, a central
    GlobalPackageReference), first place each; they run whenever the project compiles
    (``dotnet build``/``test``), as log4net's Microsoft.CodeAnalysis.NetAnalyzers
    (held-out-11c), like an analyser bound in a Maven build. Projects of tests, samples and
    fixtures are left out; at most 200 files read."""
    files = sorted(p for p in tree.files
                   if _DOTNET_PROJECT.search(p) and not not_the_projects(p))[:200]  # fmt: skip
    found: dict[str, tuple[str, str, int]] = {}
    for path in files:
        text = tree.read(path, limit=512 * 1024).text or ""
        # blank XML comments (a commented-out reference), keeping offsets and lines
        text = re.sub(r"<!--.*?-->", lambda c: re.sub(r"[^\n]", " ", c.group(0)), text, flags=re.S)
        for m in _DOTNET_ANALYSER.finditer(text):
            found.setdefault(
                m.group(1).lower(), (m.group(1), path, line_of_offset(text, m.start()))
            )
    return list(found.values())


# Maven's default lifecycle, in order (a goal runs every phase before it)
_MAVEN_PHASES = {p: i for i, p in enumerate((
    "validate", "initialize", "generate-sources", "process-sources", "generate-resources",
    "process-resources", "compile", "process-classes", "generate-test-sources",
    "process-test-sources", "generate-test-resources", "process-test-resources",
    "test-compile", "process-test-classes", "test", "prepare-package", "package",
    "pre-integration-test", "integration-test", "post-integration-test", "verify", "install",
    "deploy"))}  # fmt: skip
# analyser plugins whose goals run in the build when an execution binds them (their check
# goals default to the verify phase)
_MAVEN_ANALYSER_PLUGINS = {"spotbugs-maven-plugin": "SpotBugs", "maven-pmd-plugin": "PMD",
                           "maven-checkstyle-plugin": "Checkstyle"}  # fmt: skip
_MAVEN_SKIPPED = re.compile(r"<(pluginManagement|reporting|profiles)\b[^>]*>.*?</\1\s*>", re.S)
_MAVEN_PLUGIN = re.compile(r"<plugin\b[^>]*>(.*?)</plugin\s*>", re.S)


def _maven_analysers(tree: Tree) -> list[tuple[str, str, int, int]]:
    """(analyser, file, line, lifecycle phase index) of static analysers a Maven build runs:
    SpotBugs, PMD or Checkstyle plugins with an execution in ``<build><plugins>`` (not in
    ``pluginManagement``, ``reporting`` or profiles, which a plain build does not run), and
    Error Prone as a compiler plugin (``-Xplugin:ErrorProne``, at compile). POMs of test
    fixtures are left out; at most 200 POMs read."""
    poms = sorted(p for p in tree.files if p.rsplit("/", 1)[-1] == "pom.xml"
                  and not not_the_projects(p))[:200]  # fmt: skip
    found: dict[str, tuple[str, str, int, int]] = {}
    for path in poms:
        text = tree.read(path, limit=1024 * 1024).text or ""
        # blank what a plain build does not run, keeping offsets (and so lines) intact
        kept = _MAVEN_SKIPPED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        for m in _MAVEN_PLUGIN.finditer(kept):
            body = m.group(1)
            artifact = re.search(r"<artifactId>\s*([\w.-]+)\s*</artifactId>", body)
            name = _MAVEN_ANALYSER_PLUGINS.get(artifact.group(1)) if artifact else None
            if name and artifact and "<execution" in body and "<goal>" in body:
                bound = re.search(r"<phase>\s*([\w-]+)\s*</phase>", body)
                phase = _MAVEN_PHASES.get(bound.group(1) if bound else "verify", 99)
                where = line_of_offset(text, m.start(1) + artifact.start())
                found.setdefault(name, (name, path, where, phase))
        errorprone = re.search(r"-Xplugin:ErrorProne\b", kept)
        if errorprone:
            line = line_of_offset(text, errorprone.start())
            found.setdefault("Error Prone", ("Error Prone", path, line, _MAVEN_PHASES["compile"]))
    return list(found.values())


# ``select = [...]`` in [tool.ruff.lint], or the dotted form pyproject-fmt writes under
# [tool.ruff] (``lint.select = [...]``, ``lint.extend-select``)
_RUFF_SELECT = re.compile(r"^\s*(?:lint\.)?(?:extend-)?select\s*=\s*\[([^\]]*)\]", re.M)
_SECURITY_RULES = re.compile(r"[\"'](?:S\d*|ALL)[\"']")


def ruff_selects_security(tree: Tree) -> bool:
    """Whether the ruff configuration (ruff.toml, .ruff.toml, pyproject.toml) selects the
    flake8-bandit rules (``S``, ``S101``...) or ``ALL``."""
    for path in ("ruff.toml", ".ruff.toml", "pyproject.toml"):
        if path in tree.files:
            text = tree.read(path, limit=256 * 1024).text or ""
            if path == "pyproject.toml":
                text = "\n".join(re.findall(r"^\[tool\.ruff[^\n]*\n(?:(?!\[).*\n?)*", text, re.M))
            if any(_SECURITY_RULES.search(m) for m in _RUFF_SELECT.findall(text)):
                return True
    return False


def _constant(line: int) -> LineAt:
    """A line map that puts every offset at ``line`` (an inline ``bash -c`` script, a script
    body taken from a configuration value such as hatch's ``scripts`` table)."""
    return lambda _offset: line


_MATRIX_EXPR = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")


_MATRIX_WORD = re.compile(r"^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$")
_MAX_MATRIX_LINES = 64


def matrix_argvs(argv: list[str], matrix: Mapping[str, tuple[str, ...]]) -> list[list[str]]:
    """Each command line the job's matrix makes of ``argv`` when a word names a matrix
    variable: ``npm install --save-dev ${{ matrix.npm-i }}`` installs what each matrix entry
    lists (expressjs/cors's ``mocha@3.5.3 nyc@10.3.2``, held-out-15h), so each value is
    checked as the command the runner gives the shell. GitHub substitutes the expression's
    text before the shell reads the line, so a word that is only the expression splits into
    the value's words; one that embeds it (``django==${{ matrix.django }}``) keeps one word.
    [] when no word names a matrix variable, or one the matrix does not list (a computed
    matrix, ``fromJSON(...)``): such a word is left as written, as before."""
    names = {n for word in argv for n in _MATRIX_EXPR.findall(word)}
    if not names or not names <= matrix.keys():
        return []
    ordered = sorted(names)
    out: list[list[str]] = []
    for values in itertools.islice(
        itertools.product(*(matrix[n] for n in ordered)), _MAX_MATRIX_LINES
    ):
        out.append(_substitute(argv, dict(zip(ordered, values, strict=True))))
    return out


def _substitute(argv: list[str], chosen: Mapping[str, str]) -> list[str]:
    """``argv`` with each ``${{ matrix.x }}`` replaced by ``chosen[x]`` (see matrix_argvs)."""
    line: list[str] = []
    for word in argv:
        whole = _MATRIX_WORD.match(word)
        if whole:
            line += chosen[whole.group(1)].split()
        else:
            line.append(_MATRIX_EXPR.sub(lambda m: chosen[m.group(1)], word))
    return line


def _tox_names(argv: list[str], ctx: Context, config: ToxConfig | None = None) -> list[str] | None:
    """The environments ``tox`` is asked to run (None: its env_list, or a selection that
    cannot be resolved), with ``${{ matrix.x }}`` replaced by each of the job matrix's
    values for ``x`` (left as written when the matrix does not list them). A selection by
    factor (``tox run -f color``) is the configuration's environments with those factors:
    structlog's ``tox run -f color`` runs two ``python -c`` colour checks, not the whole
    env_list with its tests and pre-commit hooks (held-out-11a)."""
    joined = _MATRIX_EXPR.sub(lambda m: f"@matrix.{m.group(1)}@", " ".join(argv[1:]))
    names = cmds.tox_envs(joined.split())
    if names is None:
        factors = _tox_factors(joined.split())
        return config.select(factors) if config is not None and factors else None
    out: list[str] = []
    for name in names:
        m = re.fullmatch(r"@matrix\.([\w-]+)@", name)
        values = ctx.matrix.get(m.group(1)) if m else None
        out += list(values) if values else [name]
    return out


def _tox_factors(args: list[str]) -> list[str]:
    """The words of ``-f``/``--factor(s)`` (labels, ``-m``, are not resolved)."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg in ("-f", "--factor", "--factors"):
            out += itertools.takewhile(lambda w: not w.startswith("-"), args[i + 1 :])
        elif arg.startswith("--factors="):
            out += [w for w in re.split(r"[,\s]+", arg.split("=", 1)[1]) if w]
    if any(a in ("-m", "--labels") or a.startswith("--labels=") for a in args):
        return []  # a label selection as well: not resolved
    return out


# a Scala string literal: "..." (with escapes) or """...""" (group 1 or 2 is the text)
_SCALA_STRING = re.compile(r'"""([\s\S]*?)"""|"((?:[^"\\\n]|\\.)*)"')


def _looks_like_tests(path: str) -> bool:
    """A script named for running tests: test.sh, run_tests, unit-tests.ps1, test-complete."""
    stem = posixpath.basename(path).lower().rsplit(".", 1)[0]
    if _TEST_SCRIPT.fullmatch(stem):
        return True
    # the entry script of a test directory: R's tests/testthat.R, spec/run.lua, t/all.pl
    parent = posixpath.basename(posixpath.dirname(path)).lower()
    return parent in ("test", "tests", "spec", "t") and bool(
        re.fullmatch(r"test\w*|run(?:[-_]?all)?|all|runner|main", stem)
    )


_TEST_DIRS = frozenset({"test", "tests", "unit-tests", "unit_tests", "unittests", "spec", "t"})


def _built_test_program(path: str) -> bool:
    """A program the build made (not in the tree) that is a test: one in a test directory
    (``tests/unit-tests/testdriver``) or named for testing (``build/ccm-test``), as C and C++
    projects run their test drivers after ``make`` (``libtool --mode=execute valgrind
    tests/testdriver``). Scripts (with an extension) are judged by ``_looks_like_tests``."""
    name = posixpath.basename(path).lower()
    if "." in name or re.search(r"(?:^|/)(?:vendor|node_modules)/", path):
        return False  # a script, or a package's program (vendor/bin/http_test_server)
    parts = {p.lower() for p in posixpath.dirname(path).split("/")}
    return bool(parts & _TEST_DIRS) or bool(re.fullmatch(r"tests?\w*|\w+[-_]tests?", name))


# a Windows absolute path, a cmd variable or a UNC path (``C:\Program Files\...\vcvarsall.bat``,
# ``%ProgramFiles%\...``, ``\\server\share``): a program of the runner's system, as an
# absolute POSIX path is, never a repository script (held-out-11h, paho.mqtt.cpp's AppVeyor)
_SYSTEM_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|%\w+%|\\\\)")


def _followable(target: str) -> bool:
    if _SYSTEM_PATH.match(target):
        return False
    return not target.startswith(("$", "/", "~", "-")) and "${{" not in target


def _is_shell(path: str, text: str) -> bool:
    if path.endswith(_SHELL_EXT):
        return True
    first = text.split("\n", 1)[0]
    if first.startswith("#!"):
        return bool(re.search(r"\b(?:ba|z|k|da)?sh\b|\bpwsh\b", first))
    return "." not in posixpath.basename(path)


_CMAKE_FILE = re.compile(r"(?:^|/)CMakeLists\.txt$|\.cmake$")
MAX_CMAKE_FILES = 300
# CMake's variables for its own programs, as an add_custom_target COMMAND names them
_TARGET_FILE = re.compile(r"^\$<TARGET_FILE:([\w.+-]+)>$")
_CMAKE_PROGRAMS = {"${CMAKE_CTEST_COMMAND}": "ctest", "${CMAKE_COMMAND}": "cmake"}

# an option or word a build script takes to run the tests (build.sh --test, build.cmd -test)
_TEST_OPTION = re.compile(r"^(?:--?|/)?(?:test|tests|unit-?tests?|run-?tests|runtests)$", re.I)
# a rule ``a b: deps`` or ``a:: deps``, not an assignment (``X := y``, ``X ::= y``, ``X :::= y``)
_MAKE_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*::?(?![:=])\s*(.*)$")
_JUST_RULE = re.compile(r"^@?([A-Za-z_][\w-]*)(?:\s+[^:]*)?:(?!=)\s*(.*)$")


Recipe = tuple[list[str], list[tuple[int, str]], int]


def _option_value(argv: list[str], names: tuple[str, ...]) -> str | None:
    """The value of the first of ``names`` in ``argv`` (``-p dir`` or ``--project-dir=dir``)."""
    for i, arg in enumerate(argv):
        if arg in names and i + 1 < len(argv):
            return argv[i + 1]
        for name in names:
            if name.startswith("--") and arg.startswith(f"{name}="):
                return arg.split("=", 1)[1]
    return None


def _lines_from(script: str, first: int) -> LineAt:
    """Lines of offsets in ``script``, which starts on line ``first``."""
    return lambda offset: first + script.count("\n", 0, offset)


# GNU make conditional directives, which may stand at column 0 between a rule's recipe lines
_MAKE_CONDITIONAL = re.compile(r"^\s*(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b")


def _recipe(text: str, target: str, tool: str) -> Recipe | None:
    """(dependencies, [(offset, command line)], offset of the rule) of a make/just recipe.
    Conditional directives (``ifeq (...)``/``else``/``endif``) do not end a make recipe; the
    lines of every branch are read, since which one runs depends on the machine."""
    lines = text.split("\n")
    offset = 0
    found: Recipe | None = None
    collecting = False
    for raw in lines:
        start = offset
        offset += len(raw) + 1
        if collecting:
            # a line continued with a backslash goes on whatever its indentation (make joins
            # it to the recipe line before; apache/skywalking-go's lint recipe indents the
            # loop's body with spaces before its tabs, held-out-16g)
            continued = bool(found and found[1] and found[1][-1][1].endswith("\\"))
            if raw.startswith("\t") or (tool == "just" and raw.startswith(" ")) or continued:
                body = raw.lstrip()
                lead = len(raw) - len(body)
                while body[:1] in ("@", "-", "+"):
                    body = body[1:]
                    lead += 1
                assert found is not None
                body = body.replace("$(MAKE)", "make").replace("${MAKE}", "make")
                if found[1] and found[1][-1][1].endswith("\\"):
                    first, previous = found[1][-1]
                    found[1][-1] = (first, f"{previous}\n{body}")
                else:
                    found[1].append((start + lead, body))
                continue
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            if tool == "make" and _MAKE_CONDITIONAL.match(raw):
                continue  # ifeq/else/endif around recipe lines: every branch is read
            return found
        rule = (_JUST_RULE if tool == "just" else _MAKE_RULE).match(raw)
        if rule is None or raw.startswith(("\t", " ")):
            continue
        names = rule.group(1).split()
        if tool == "make" and (not names or names[0].startswith(".") or "%" in rule.group(1)):
            continue
        if (target and target in names) or (not target and names):
            deps = [d for d in re.split(r"\s+", rule.group(2).split(";")[0].split("#")[0]) if d]
            found = (deps, [], start)
            collecting = True
    return found


_MAKE_VAR = re.compile(r"\$\((\w+)\)|\$\{(\w+)\}")
_MAKE_ASSIGN = re.compile(
    r"^(?:export\s+|override\s+)?(\w+)\s*(?::{1,3}|\?|\+)?=\s*(.*?)\s*$", re.M
)


def _make_variables(text: str) -> dict[str, str]:
    """Simple ``NAME = value`` assignments of a makefile (first one wins)."""
    out: dict[str, str] = {}
    for m in _MAKE_ASSIGN.finditer(text):
        out.setdefault(m.group(1), m.group(2))
    return out


def env_of(value: Any) -> dict[str, str]:
    """An ``env:`` mapping as strings (non-mappings: empty)."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str | int | float | bool)}


def located_line_at(value: str, default: int | None) -> LineAt:
    """A ``LineAt`` for a YAML string (exact when located, else ``default``)."""
    if isinstance(value, Located):
        return value.line_at
    return lambda _offset: default or 1
