"""CI configuration: GitHub Actions workflows (with the local composite actions and reusable
workflows they use), GitLab CI, the commands of AppVeyor, Azure Pipelines and CircleCI, and
which other CI systems are configured (Travis CI, Jenkins...: named, not read; many such files
are left from services no longer used).

Workflows are parsed with the YAML safe loader (alias bombs refused) through
``steward.collect.yamlpos``, so every value knows its own line: a ``uses:`` reference,
a ``run:`` command, a ``permissions:`` key is reported where it is, never at the first
textual match (comments included). Nothing is executed or expanded. A workflow that cannot
be read or parsed becomes a ``Problem`` (area ``workflows``), which makes the workflow probes
report ``error`` for it.

Following: a step ``uses: ./path`` whose ``action.yml`` is a composite action is analysed as
part of the job that uses it; a job ``uses: ./.github/workflows/x.yml`` passes its triggers
to the called workflow (a reusable workflow called from ``pull_request_target`` runs with
that event's privileges). Scripts, make/just recipes and package scripts a step runs are
followed one level (``steward.collect.cisteps``).

The dangerous-pattern rules follow OpenSSF Scorecard's Dangerous-Workflow, Token-Permissions,
Pinned-Dependencies and SAST checks (their test fixtures are in our tests).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from steward.collect.cisteps import (
    Context,
    LineAt,
    StepScanner,
    env_of,
    hook_kinds,
    located_line_at,
    pre_commit_hooks,
    ruff_selects_security,
)
from steward.collect.commands import resolve
from steward.collect.dockerfiles import collect_dockerfiles, parse_dockerfile
from steward.collect.facts import ActionRef, Finding, Problem, Source, Workflow
from steward.collect.hostedci import (
    documents,
    parse_buildkite,
    parse_cirrus,
    parse_drone,
    parse_sourcehut,
    parse_travis,
    parse_woodpecker,
)
from steward.collect.shell import line_of_offset
from steward.collect.tree import Tree, not_the_projects
from steward.collect.unreadci import named_analysers
from steward.collect.yamlpos import Located, key_line, line_of, load_located
from steward.errors import InputError
from steward.workspaceglob import member_match

__all__ = [
    "collect_dockerfiles",
    "collect_workflows",
    "parse_appveyor",
    "parse_dockerfile",
    "parse_github_workflow",
    "parse_gitlab_ci",
]

SHA40 = re.compile(r"^[0-9a-f]{40}$")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}\b")
UNTRUSTED_TRIGGERS = frozenset({"pull_request_target", "workflow_run"})
# a checkout of the pull request's code (head or merge commit), as opposed to the base branch
UNTRUSTED_REF = re.compile(
    r"github\.event\.pull_request(?!\.base\.)|github\.head_ref|github\.event\.workflow_run"
    r"|refs/pull/|github\.event\.number|github\.event\.issue\.number",
    re.I,
)
_SECRET = re.compile(r"\$\{\{[^}$]*?\bsecrets\.([A-Za-z0-9_]+)")  # [^}$]: linear

SAST_ACTIONS = (
    "github/codeql-action/analyze", "github/codeql-action/init", "returntocorp/semgrep-action",
    "semgrep/semgrep-action", "sonarsource/sonarcloud-github-action",
    "sonarsource/sonarqube-scan-action", "snyk/actions", "facebook/pysa-action",
    "jetbrains/qodana-action", "securego/gosec", "pycqa/bandit-action", "shiftleft/scan-action",
    "mobsf/mobsfscan", "zizmorcore/zizmor-action",
    "golangci/golangci-lint-action", "dominikh/staticcheck-action",
    "reviewdog/action-golangci-lint", "astral-sh/ruff-action", "chartboost/ruff-action",
    "actions-rs/clippy-check", "clechasseur/rs-clippy-check", "psalm/psalm-github-action",
    "php-actions/phpstan", "checkmarx/", "synopsys-sig/", "fortify/", "bearer/bearer-action",
    "microsoft/security-devops-action", "devsecops/bearer", "aquasecurity/tfsec-action",
    "bridgecrewio/checkov-action", "trufflesecurity/trufflehog", "gitleaks/gitleaks-action",
    "hadolint/hadolint-action", "jbergstroem/hadolint-gh-action",
)  # fmt: skip
# an action that runs an analyser, by the analyser's name as a word of the action's name
# (giraffate/clippy-action, auguwu/clippy-action, reviewdog/action-staticcheck,
# someone/gosec-action): wrappers of one analyser are many and unlisted; not one that only
# installs it (x/setup-phpstan, x/install-clippy), nor ruff (style unless its S rules are
# selected, which an action's name does not say) or CodeQL (its upload-sarif step analyses
# nothing; its analyze and init steps are listed above)
SAST_ACTION_NAME = re.compile(
    r"^[^/]+/(?!(?:[\w.]+[-_])*(?:setup|install|installer)(?:[-_]|/|$))(?:[\w.]+[-_])*"
    r"(?:clippy|gosec|bandit|staticcheck|golangci[-_]lint|phpstan|psalm|zizmor|hadolint|semgrep"
    r"|cppcheck|clang[-_]tidy|flawfinder|brakeman|sobelow|spotbugs|njsscan|horusec|gitleaks"
    r"|trufflehog)(?:[-_][\w.-]*)?(?:/|$)",
    re.I,
)
SCA_ACTIONS = (
    "actions/dependency-review-action", "snyk/actions", "google/osv-scanner-action",
    "aquasecurity/trivy-action", "anchore/scan-action", "pypa/gh-action-pip-audit",
    "rustsec/audit-check", "actions-rs/audit-check", "dependency-check/dependency-check_action",
    "golang/govulncheck-action", "sonatype-nexus-community/nancy-github-action",
    "embarkstudios/cargo-deny-action", "google/osv-scanner/", "ossf/osv-scanner",
)  # fmt: skip
SBOM_ACTIONS = ("anchore/sbom-action", "cyclonedx/", "advanced-security/sbom-generator-action",
                "actions/attest-sbom", "spdx/")  # fmt: skip
FUZZ_ACTIONS = ("google/oss-fuzz/infra/cifuzz", "google/clusterfuzzlite/actions")
PROVENANCE_ACTIONS = ("slsa-framework/slsa-github-generator", "actions/attest-build-provenance",
                      "actions/attest")  # fmt: skip
ATTESTING_PUBLISHERS = {"pypa/gh-action-pypi-publish": "PEP 740 attestations",
                        "rubygems/release-gem": "Sigstore attestations"}  # fmt: skip
# a publishing action's input naming the package index it uploads to, and the test indexes
# (TestPyPI): an upload there (a nightly build, a rehearsal) publishes no release, so it
# proves neither provenance nor signing of the project's releases (held-out-12c,
# apache/iceberg-python's nightly TestPyPI build while releases go up by hand with twine)
_INDEX_INPUTS = ("repository-url", "repository_url")
_TEST_INDEX = re.compile(r"^\s*https?://test\.pypi\.org(?:[/:]|\s*$)", re.I)
SIGNING_ACTIONS = ("sigstore/cosign-installer", "sigstore/gh-action-sigstore-python",
                   "pypa/gh-action-pypi-publish")  # fmt: skip


def to_test_index(with_: dict[Any, Any]) -> bool:
    """Whether a publishing step's inputs send the upload to a test index (TestPyPI's
    ``repository-url: https://test.pypi.org/legacy/``), not the index releases go to."""
    return any(
        isinstance(with_.get(key), str) and _TEST_INDEX.match(str(with_[key]))
        for key in _INDEX_INPUTS
    )


CLA_ACTIONS = (
    "contributor-assistant/github-action", "cla-assistant/github-action", "tim-actions/dco",
    "christophebedard/dco-check", "KineticCafe/actions-dco",
)  # fmt: skip
# an organisation's own agreement checker, by the action's name: scala/cla-checker,
# some-org/check-cla, x/dco-check (a word of the name, so "clang-format" is not one)
CLA_ACTION_NAME = re.compile(r"^[^/]+/(?:[a-z0-9.]+[-_])*(?:cla|dco|eca)(?:[-_][\w.-]*)?(?:/|$)",
                             re.I)  # fmt: skip
# actions whose inputs are a command line: (action prefix, input, program to prefix)
COMMAND_INPUTS = (
    ("actions-rs/cargo", "command", "cargo"), ("gradle/gradle-build-action", "arguments", "gradle"),
    ("gradle/actions/setup-gradle", "arguments", "gradle"), ("coactions/setup-xvfb", "run", ""),
    ("gabrielbb/xvfb-action", "run", ""), ("nick-fields/retry", "command", ""),
    ("nick-invision/retry", "command", ""), ("wretry/action", "command", ""),
    ("php-actions/phpunit", "", "phpunit"), ("php-actions/composer", "command", "composer"),
    ("borales/actions-yarn", "cmd", "yarn"), ("pre-commit/action", "", "pre-commit run"),
    # the other actions that run the pre-commit hooks: prek (a pre-commit reimplementation)
    # and tox-dev's pre-commit with uv
    ("j178/prek-action", "", "prek run"), ("tox-dev/action-pre-commit-uv", "", "pre-commit run"),
    ("reactivecircus/android-emulator-runner", "script", ""),
    # actions that run a script inside a virtual machine or an emulated architecture:
    # vmactions/freebsd-vm and its siblings (``prepare`` and ``run``), run-on-arch, and
    # cross-platform-actions (rust-lang/libc's BSD and Solaris jobs install Rust with
    # curl | sh in the script their ``prepare`` calls)
    ("vmactions/", "prepare", ""), ("vmactions/", "run", ""),
    ("uraimo/run-on-arch-action", "install", ""), ("uraimo/run-on-arch-action", "run", ""),
    ("cross-platform-actions/action", "run", ""),
)  # fmt: skip

OTHER_CI = {
    ".circleci/config.yml": "CircleCI", ".travis.yml": "Travis CI", "Jenkinsfile": "Jenkins",
    "azure-pipelines.yml": "Azure Pipelines", ".buildkite/pipeline.yml": "Buildkite",
    "appveyor.yml": "AppVeyor", ".appveyor.yml": "AppVeyor", ".drone.yml": "Drone",
    "bitbucket-pipelines.yml": "Bitbucket Pipelines", ".cirrus.yml": "Cirrus CI",
    ".woodpecker.yml": "Woodpecker", ".forgejo/workflows": "Forgejo Actions",
    ".zuul.yaml": "Zuul", "cloudbuild.yaml": "Cloud Build", ".semaphore/semaphore.yml": "Semaphore",
    # the CI systems Scorecard's CI-Tests knows by their status names, in the other places
    # their configuration lives
    ".woodpecker.yaml": "Woodpecker", ".woodpecker": "Woodpecker",
    "azure-pipelines.yaml": "Azure Pipelines", ".azure-pipelines": "Azure Pipelines",
    ".buildkite/pipeline.yaml": "Buildkite", ".buildkite/pipeline.json": "Buildkite",
    "buildkite.yml": "Buildkite", "buildkite.yaml": "Buildkite",
    ".packit.yaml": "Packit", ".packit.yml": "Packit", "packit.yaml": "Packit",
    "packit.yml": "Packit", ".packit.json": "Packit", ".gitea/workflows": "Gitea Actions",
    ".builds": "sourcehut builds", ".cirrus.star": "Cirrus CI (Starlark)",
    ".build.yml": "sourcehut builds",
}  # fmt: skip


def _triggers(doc: dict[Any, Any]) -> tuple[str, ...]:
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` key as True
    if isinstance(on, str):
        return (str(on),)
    if isinstance(on, list):
        return tuple(str(x) for x in on)
    if isinstance(on, dict):
        return tuple(str(k) for k in on)
    return ()


# "write" scopes that write nothing in the repository: id-token only lets a job request an
# OIDC token (trusted publishing), attestations only records attestations; Scorecard's
# Token-Permissions does not count them either
_NOT_REPOSITORY_WRITES = frozenset({"id-token", "attestations"})


def _permission_level(value: Any, *, top: bool = False) -> tuple[str, str]:
    """(level, detail) for a permissions value: none, read, write. At the top level, the
    scopes that write nothing in the repository (id-token, attestations) do not make it a
    write; a job's are still shown as job-level writes."""
    ignored = _NOT_REPOSITORY_WRITES if top else frozenset()
    if value is None:
        return "none", "permissions: (empty)"
    if isinstance(value, str):
        v = value.strip().lower()
        if v == "read-all":
            return "read", "permissions: read-all"
        if v == "write-all":
            return "write", "permissions: write-all"
        return "write", f"permissions: {value}"
    if isinstance(value, dict):
        writes = [
            f"{k}: write"
            for k, v in value.items()
            if str(v).lower() == "write" and str(k).lower() not in ignored
        ]
        if writes:
            return "write", ", ".join(writes)
        if value and all(str(v).lower() == "none" for v in value.values()):
            return "none", "all permissions none"
        return (
            "read" if value else "none"
        ), "read-only permissions" if value else "permissions: {}"
    return "write", f"unrecognised permissions value {value!r}"


def _write_line(value: Any, default: int | None, *, top: bool = False) -> int | None:
    """The line of the first ``x: write`` entry of a permissions mapping."""
    ignored = _NOT_REPOSITORY_WRITES if top else frozenset()
    if isinstance(value, dict):
        for k, v in value.items():
            if str(v).lower() == "write" and str(k).lower() not in ignored:
                return line_of(k, default)
    return line_of(value, default)


def _matrix(job: dict[Any, Any]) -> dict[str, tuple[str, ...]]:
    """The values of each ``strategy.matrix`` variable (lists of scalars and ``include``
    entries); a matrix computed by an expression (``fromJSON(...)``) gives none. A variable
    whose values are mappings gives each property as a dotted name (``matrix.config.image``
    over ``config: [{name: GCC 9, image: ubuntu:24.04}, ...]``: apache/datasketches-cpp's
    compiler matrix, held-out-15g)."""
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    values: dict[str, list[str]] = {}
    if not isinstance(matrix, dict):
        return {}

    def add(key: str, value: Any) -> None:
        if isinstance(value, (str, int, float)):
            values.setdefault(key, []).append(str(value))
        elif isinstance(value, dict):
            for sub, item in value.items():
                if isinstance(item, (str, int, float)):
                    values.setdefault(f"{key}.{sub}", []).append(str(item))

    for key, value in matrix.items():
        if isinstance(value, list) and key not in ("include", "exclude"):
            for v in value:
                add(str(key), v)
    for entry in matrix.get("include") or []:
        for key, value in entry.items() if isinstance(entry, dict) else ():
            add(str(key), value)
    return {k: tuple(dict.fromkeys(v)) for k, v in values.items() if v}


def _steps(job: dict[Any, Any]) -> Iterator[dict[Any, Any]]:
    steps = job.get("steps")
    if isinstance(steps, list):
        for step in steps:
            if isinstance(step, dict):
                yield step


def _action_ref(uses: str, src: Source) -> ActionRef:
    uses = uses.strip()
    if uses.startswith("./"):
        return ActionRef(src, uses, None, True, True)
    if uses.startswith("docker://"):
        return ActionRef(src, uses, None, bool(DIGEST.search(uses)), False)
    action, _, ref = uses.partition("@")
    owner = action.split("/", 1)[0].lower()
    return ActionRef(
        src, action, ref or None, bool(SHA40.match(ref)), owner in ("actions", "github")
    )


def _matches_action(action: str, prefixes: tuple[str, ...]) -> bool:
    low = action.lower()
    return any(low.startswith(p.lower()) for p in prefixes)


def _job_images(job: dict[Any, Any]) -> Iterator[str]:
    container = job.get("container")
    if isinstance(container, str):
        yield container
    elif isinstance(container, dict) and isinstance(container.get("image"), str):
        yield container["image"]
    services = job.get("services")
    if isinstance(services, dict):
        for service in services.values():
            if isinstance(service, dict) and isinstance(service.get("image"), str):
                yield service["image"]


# a matrix variable or a property of one (``matrix.image``, ``matrix.config.image``)
_MATRIX_NAME = r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*"
_MATRIX_REF = re.compile(rf"\bmatrix\.({_MATRIX_NAME})")
_ONLY_MATRIX_REF = re.compile(rf"^\$\{{\{{\s*matrix\.({_MATRIX_NAME})\s*\}}\}}$")


def _matrix_images(image: str, job: dict[Any, Any]) -> tuple[str, ...]:
    """The images a job's ``container:`` or service names. An image given by the job's matrix
    is each value the matrix lists (``${{ matrix.image }}``); when the matrix is written out
    and no entry sets the variables the expression reads, the job runs without a container
    (crossbeam's ``${{ matrix.container && fromJSON(...) || '' }}`` with its one container
    entry commented out) and there is no image to pin. Any other expression is kept as
    written: it may name an image by tag."""
    refs = _MATRIX_REF.findall(image) if "${{" in image else []
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if not refs or not isinstance(matrix, dict) or "${{" in json.dumps(matrix, default=str):
        return (image,)
    values = _matrix(job)
    if not any(ref in values for ref in refs):
        return ()
    only = _ONLY_MATRIX_REF.match(image.strip())
    return values[only.group(1)] if only and only.group(1) in values else (image,)


def _strings(value: Any) -> Iterator[str]:
    """Every string (keys and values) inside a parsed YAML value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str):
                yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


_GITHUB_ENV_WRITE = re.compile(
    # a case branch's label may precede it (8) echo ...) and ";;" follow it
    r"""^\s*(?:[\w.*|'"-]+\)\s*)?echo\s+(['"]?)([A-Za-z_][A-Za-z0-9_]*)=(.*?)\1\s*>>\s*"""
    r"""(["']?)\$(?:GITHUB_ENV|\{GITHUB_ENV\})\4\s*;{0,2}\s*$"""
)


def github_env_writes(run: str) -> dict[str, str]:
    """Variables a ``run:`` script sets for the job's later steps with
    ``echo 'NAME=value' >> "$GITHUB_ENV"`` (GitHub Actions workflow commands). A name written
    with one value gets it; a name written with several (branches of a ``case``) gets them
    joined when every one is made of options only (``-Dx=1`` or empty: what a command line
    may carry, so a ``-DskipTests`` in any branch still shows); otherwise it stays unresolved."""
    values: dict[str, list[str]] = {}
    for line in run.splitlines():
        m = _GITHUB_ENV_WRITE.match(line)
        if m:
            seen = values.setdefault(m.group(2), [])
            if m.group(3) not in seen:
                seen.append(m.group(3))
    out: dict[str, str] = {}
    for name, alternatives in values.items():
        if len(alternatives) == 1:
            out[name] = alternatives[0]
        elif all(w.startswith("-") for a in alternatives for w in a.split()):
            out[name] = " ".join(a for a in alternatives if a)
    return out


class _GitHubWorkflow:
    """One GitHub workflow being analysed (with the local actions it uses)."""

    def __init__(
        self, path: str, doc: dict[Any, Any], tree: Tree | None, inherited: tuple[str, ...]
    ) -> None:
        self.path = path
        self.doc = doc
        self.tree = tree
        self.triggers = _triggers(doc)
        self.inherited = tuple(t for t in inherited if t not in self.triggers)
        self.untrusted = bool(UNTRUSTED_TRIGGERS & {*self.triggers, *self.inherited})
        self.scan = StepScanner(tree)
        self.acc: dict[str, list[Any]] = {
            k: []
            for k in ("job_writes", "jobs_without", "uses", "images", "unpinned_images",
                      "secrets", "secrets_untrusted", "prov", "cla", "unread_sast")
        }  # fmt: skip

    def src(self, value: object, path: str | None = None) -> Source:
        return Source(path=path or self.path, line=line_of(value))

    def run(self) -> Workflow:
        doc = self.doc
        jobs = doc["jobs"]
        top_line = None
        if "permissions" in doc:
            top, top_detail = _permission_level(doc["permissions"], top=True)
            top_line = key_line(doc, "permissions")
            if top == "write":
                top_line = _write_line(doc["permissions"], top_line, top=True)
        else:
            top, top_detail = "absent", "no top-level permissions"
        workflow_env = env_of(doc.get("env"))
        for job_id, job in jobs.items():
            if isinstance(job, dict):
                self.job(str(job_id), job_id, job, workflow_env)
        found = self.scan.found
        return Workflow(
            source=Source(path=self.path),
            system="github",
            triggers=self.triggers,
            top_permissions=top,
            top_permission_detail=top_detail,
            top_permissions_line=top_line,
            job_writes=tuple(self.acc["job_writes"]),
            jobs_without_permissions=tuple(self.acc["jobs_without"]),
            uses=tuple(self.acc["uses"]),
            images=tuple(self.acc["images"]),
            unpinned_images=tuple(self.acc["unpinned_images"]),
            untrusted_checkouts=tuple(found["untrusted"]),
            script_injections=tuple(found["inject"]),
            secrets=tuple(self.acc["secrets"]),
            secrets_after_untrusted_checkout=tuple(self.acc["secrets_untrusted"]),
            runs_tests=tuple(found["tests"]),
            test_unknowns=tuple(found["test_unknowns"]),
            sast=tuple(found["sast"]),
            sca=tuple(found["sca"]),
            sbom=tuple(found["sbom"]),
            fuzzing=tuple(found["fuzz"]),
            provenance=tuple(self.acc["prov"] + found["prov"]),
            signing=tuple(found["sign"]),
            contributor_checks=tuple(self.acc["cla"]),
            unpinned_installs=tuple(found["installs"]),
            inherited_triggers=self.inherited,
            unread_sast=tuple(self.acc["unread_sast"]),
        )

    def job(self, job_id: str, key: object, job: dict[Any, Any], env: dict[str, str]) -> None:
        job_line = line_of(key)
        if "permissions" in job:
            level, detail = _permission_level(job["permissions"])
            if level == "write":
                line = _write_line(job["permissions"], key_line(job, "permissions", job_line))
                self.acc["job_writes"].append(
                    Finding(Source(path=self.path, line=line), f"job {job_id}: {detail}")
                )
        else:
            self.acc["jobs_without"].append(
                Finding(Source(path=self.path, line=job_line), f"job {job_id}")
            )
        uses = job.get("uses")
        if isinstance(uses, str):  # a reusable workflow
            self.acc["uses"].append(_action_ref(uses, self.src(uses)))
            if not uses.startswith("./"):
                self.remote_workflow(job_id, job, uses)
        for image in _job_images(job):
            for name in _matrix_images(image, job):
                finding = Finding(self.src(image), f"container image {name}")
                self.acc["images"].append(finding)
                if not DIGEST.search(name):
                    self.acc["unpinned_images"].append(finding)
        defaults = job.get("defaults")
        run_defaults = defaults.get("run") if isinstance(defaults, dict) else None
        workdir = run_defaults.get("working-directory") if isinstance(run_defaults, dict) else None
        permissions = job.get("permissions", self.doc.get("permissions"))
        ctx = Context(
            job=job_id,
            env={**env, **env_of(job.get("env"))},
            workdir=_workdir("", workdir),
            untrusted_trigger=self.untrusted,
            oidc=_grants(permissions, "id-token"),
            matrix=_matrix(job),
        )
        self.steps(list(_steps(job)), ctx, self.path)
        for value in _strings(job):
            for m in _SECRET.finditer(value):
                name = m.group(1)
                line = value.line_at(m.start()) if isinstance(value, Located) else None
                finding = Finding(Source(path=self.path, line=line),
                                  f"job {job_id} uses secrets.{name}")  # fmt: skip
                self.acc["secrets"].append(finding)
                if self.untrusted and ctx.untrusted_checkout and name != "GITHUB_TOKEN":
                    self.acc["secrets_untrusted"].append(finding)

    def known_tool(self, action: str, where: Source, uses: str) -> None:
        """An action or another repository's reusable workflow that is a known security tool
        (analysis, scanning, SBOM, fuzzing, signing, provenance, CLA), by its name: the SLSA
        generator is called as a reusable workflow
        (``slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml``),
        most of the others as step actions."""
        for key, prefixes in (("sast", SAST_ACTIONS), ("sca", SCA_ACTIONS),
                              ("sbom", SBOM_ACTIONS), ("fuzz", FUZZ_ACTIONS),
                              ("sign", SIGNING_ACTIONS)):  # fmt: skip
            if _matches_action(action, prefixes) or (
                key == "sast" and SAST_ACTION_NAME.match(action)
            ):
                self.scan.add(key, where, f"uses {uses}")
        for key, prefixes in (("prov", PROVENANCE_ACTIONS), ("cla", CLA_ACTIONS)):
            if _matches_action(action, prefixes) or (
                key == "cla" and CLA_ACTION_NAME.match(action)
            ):
                self.acc[key].append(Finding(where, f"uses {uses}"))

    def remote_workflow(self, job_id: str, job: dict[Any, Any], uses: str) -> None:
        """A job calling another repository's workflow: what it does is not in this tree, but
        its job id, job name and the called file name say what it is for ("Run tests" calling
        laravel.yml; static_analysis calling static.yml). Otherwise: cannot tell, for the tests
        and, when the tree configures an analyser (laminas-diactoros' ci job calling the Laminas
        continuous-integration.yml beside psalm.xml.dist), for static analysis: a general CI
        workflow of the organisation runs what the tree configures, and it is not read."""
        called = posixpath.basename(uses.split("@", 1)[0])
        label = " ".join([job_id, str(job.get("name") or ""), called]).lower()
        where = self.src(uses)
        self.known_tool(uses.split("@", 1)[0].lower(), where, uses)
        if _REMOTE_TESTS.search(label):
            self.scan.add("tests", where, f"job {job_id} calls the workflow {uses}")
        elif not _REMOTE_CHORES.search(label):  # stale issues, release drafts: not tests
            self.scan.add("test_unknowns", where, f"job {job_id} calls the workflow {uses}")
        if _REMOTE_SAST.search(label):
            self.scan.add("sast", where, f"job {job_id} calls the workflow {uses}")
        elif not _REMOTE_CHORES.search(label):
            config = analyser_config(self.tree)
            if config is not None:
                self.acc["unread_sast"].append(Finding(
                    where, f"job {job_id} calls the workflow {uses}, which is not read; "
                    f"{config} configures an analyser it may run",
                ))  # fmt: skip

    def steps(self, steps: list[dict[Any, Any]], ctx: Context, path: str) -> None:
        for step in steps:
            step_ctx = ctx
            if "env" in step or "working-directory" in step:
                step_env = {
                    k: resolve(v, ctx.env, ctx.inputs) for k, v in env_of(step.get("env")).items()
                }
                step_ctx = replace(
                    ctx,
                    env={**ctx.env, **step_env},
                    workdir=_workdir(ctx.workdir, step.get("working-directory", ".")),
                )
            uses = step.get("uses")
            with_: dict[Any, Any] = step["with"] if isinstance(step.get("with"), dict) else {}
            if isinstance(uses, str):
                self.action(uses, with_, step_ctx, path)
            run = step.get("run")
            if isinstance(run, str):
                line_at = located_line_at(run, line_of(step))
                self.scan.injections(run, path, line_at, ctx.job)
                self.scan.script(run, path, line_at, step_ctx)
                # variables a step writes to $GITHUB_ENV are set for the job's later steps
                ctx.env = {**ctx.env, **github_env_writes(str(run))}
            ctx.untrusted_checkout = ctx.untrusted_checkout or step_ctx.untrusted_checkout

    def action(self, uses: str, with_: dict[Any, Any], ctx: Context, path: str) -> None:
        ref = _action_ref(uses, self.src(uses, path))
        self.acc["uses"].append(ref)
        if uses.startswith("docker://") and not ref.pinned:
            self.acc["unpinned_images"].append(Finding(ref.source, f"image {uses}"))
        action = ref.action.lower()
        if action.startswith("actions/checkout") and ctx.untrusted_trigger:
            for key in ("ref", "repository"):
                value = with_.get(key)
                if isinstance(value, str) and UNTRUSTED_REF.search(value):
                    ctx.untrusted_checkout = True
                    triggers = "/".join(
                        sorted(UNTRUSTED_TRIGGERS & {*self.triggers, *self.inherited})
                    )
                    self.scan.add("untrusted", self.src(value, path),
                                  f"job {ctx.job} checks out {value} on {triggers}")  # fmt: skip
                    break
        # an upload to a test index publishes no release: neither its attestations nor its
        # signatures are the releases' (``_TEST_INDEX``)
        test_index = action in ATTESTING_PUBLISHERS and to_test_index(with_)
        if not test_index:
            self.known_tool(action, ref.source, uses)
        # registry publishing actions that attest by default, unless switched off: PyPI
        # trusted publishing uploads PEP 740 attestations, rubygems/release-gem signs the gem
        # with Sigstore (its ``attestations`` input). gh-action-pypi-publish attests only
        # under trusted publishing: given an API token (``password``) it uploads without
        # attestations (its README, "Generating and uploading attestations"; iniconfig,
        # held-out-13a)
        attest = str(with_.get("attestations", "true")).lower() != "false"
        if action == "pypa/gh-action-pypi-publish" and str(with_.get("password") or "").strip():
            attest = False
        if action in ATTESTING_PUBLISHERS and attest and not test_index:
            what = ATTESTING_PUBLISHERS[action]
            self.acc["prov"].append(Finding(ref.source, f"uses {uses} ({what})"))
        if action == "actions/github-script":
            script = with_.get("script")
            if isinstance(script, str):
                self.scan.injections(script, path, located_line_at(script, ref.source.line),
                                     ctx.job)  # fmt: skip
        for prefix, field, prog in COMMAND_INPUTS:
            if action.startswith(prefix):
                value = with_.get(field, "") if field else ""
                if isinstance(value, str) and (value or prog):
                    line = line_of(value, ref.source.line) or 1
                    args = with_.get("args") if prefix == "actions-rs/cargo" else ""
                    if not prog and isinstance(value, Located):  # a script: each command's line
                        self.scan.script(value, path, value.line_at, ctx)
                        continue
                    text = f"{prog} {value} {args if isinstance(args, str) else ''}".strip()
                    self.scan.script(text, path, _constant(line), ctx)
        if uses.startswith("./") and not uses.rstrip("/").endswith((".yml", ".yaml")):
            self.composite(uses, ctx, with_)

    def composite(self, uses: str, ctx: Context, with_: dict[Any, Any]) -> None:
        """Analyse a local composite action's steps as part of the job that uses it."""
        if self.tree is None or len(ctx.actions) >= 4:
            return
        directory = posixpath.normpath(uses.split("@", 1)[0])
        path = next(
            (f"{directory}/{n}" for n in ("action.yml", "action.yaml")
             if f"{directory}/{n}" in self.tree.files),
            None,
        )  # fmt: skip
        if path is None or path in ctx.actions:
            return
        content = self.tree.read(path, limit=256 * 1024)
        if content.text is None:
            return
        try:
            doc = load_located(content.text, source=path)
        except (InputError, RecursionError, ValueError, TypeError):
            return
        runs = doc.get("runs") if isinstance(doc, dict) else None
        if not isinstance(runs, dict) or str(runs.get("using", "")).lower() != "composite":
            return
        steps = [s for s in runs.get("steps") or [] if isinstance(s, dict)]
        inputs = _input_defaults(doc.get("inputs"))
        inputs.update({str(k): str(v) for k, v in with_.items() if isinstance(v, str | int | bool)})
        inner = replace(ctx, actions=(*ctx.actions, path), inputs=inputs)
        self.steps(steps, inner, path)
        ctx.untrusted_checkout = ctx.untrusted_checkout or inner.untrusted_checkout


# configuration files of static analysers (security or type-level analysis, as counted by the
# sast probe) at the root of the tree: what another repository's CI workflow may run
ANALYSER_CONFIGS = (
    "psalm.xml", "psalm.xml.dist", "phpstan.neon", "phpstan.neon.dist", "phpstan.dist.neon",
    ".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json",
    ".semgrep.yml", ".semgrep.yaml", ".bandit",
)  # fmt: skip


def analyser_config(tree: Tree | None) -> str | None:
    """The first static analyser's configuration file at the root of ``tree``, if any."""
    if tree is None:
        return None
    return next((name for name in ANALYSER_CONFIGS if name in tree.files), None)


# a build tool's test-running goal in the name counts too: maven-verify.yml runs "mvn verify"
_REMOTE_TESTS = re.compile(
    r"\btests?\b|\btesting\b|\bunit\b|\bintegration\b|\be2e\b"
    r"|\b(?:maven|mvn)[-_ .]?(?:verify|build|install)\b|\bgradle[-_ .]?(?:build|check)\b"
)
# house-keeping workflows: they cannot be where the tests run
_REMOTE_CHORES = re.compile(
    r"\bstale\b|release[-_ ]?drafter|\blabel(?:l?er|s)?\b|\block\b|\bgreet|\bwelcome\b|"
    r"\btriage\b|pr[-_ ]automation|auto[-_ ]?merge|\bbackport\b|\bmilestone\b|\bassign"
)
# "static" alone (static.yml, a "static" job) names static analysis; "static" of linking,
# builds, SDKs or sites does not (Swift's "Static Linux Swift SDK" job, static_sdk.yml)
_REMOTE_SAST = re.compile(
    r"\bstatic\b(?![-_ .]?(?:sdks?|linux|musl|link\w*|lib\w*|build\w*|binar\w*|"
    r"executables?|sites?|pages?|assets?|files?|content|web|html|docs?)\b)"
    r"|\bsast\b|codeql|semgrep|sonar"
)


def _grants(permissions: object, scope: str) -> bool:
    """Whether a permissions value gives ``scope`` write access."""
    if isinstance(permissions, str):
        return permissions.strip().lower() == "write-all"
    return isinstance(permissions, dict) and str(permissions.get(scope, "")).lower() == "write"


def _input_defaults(inputs: object) -> dict[str, str]:
    """Default values of an action's (or reusable workflow's) ``inputs:``."""
    out: dict[str, str] = {}
    if isinstance(inputs, dict):
        for name, spec in inputs.items():
            if isinstance(spec, dict) and isinstance(spec.get("default"), str | int | bool):
                out[str(name)] = str(spec["default"])
    return out


def _constant(line: int) -> LineAt:
    return lambda _offset: line


def _workdir(base: str, value: object) -> str:
    """A working directory relative to the repository root ("" for the root itself)."""
    if not isinstance(value, str) or "${{" in value or value.startswith(("/", "$", "~")):
        return base
    joined = posixpath.normpath(posixpath.join(base or ".", value))
    return "" if joined in (".", "") or joined.startswith("..") else joined


def _load_workflow(path: str, text: str) -> dict[Any, Any]:
    doc = load_located(text, source=path)
    if not isinstance(doc, dict):
        raise InputError("a workflow must be a mapping", source=path)
    if not isinstance(doc.get("jobs"), dict):
        raise InputError("a workflow needs a 'jobs' mapping", source=path, line=None)
    return doc


def parse_github_workflow(
    path: str, text: str, *, tree: Tree | None = None, inherited: tuple[str, ...] = ()
) -> Workflow:
    """Parse one GitHub Actions workflow into a Workflow fact (InputError if malformed).

    ``tree``: the checkout, to follow local actions and scripts (None: not followed).
    ``inherited``: triggers of the workflows that call this one (``uses: ./...``).
    """
    return _GitHubWorkflow(path, _load_workflow(path, text), tree, inherited).run()


def parse_gitlab_ci(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse .gitlab-ci.yml: scripts (tests, SAST, SCA...), templates, images. Files it
    includes from the repository (``include: local:``, a path, a glob) are read the same
    way (nested, up to four deep); one included from another project, a URL or a CI/CD
    component cannot be read: it makes the tests "cannot tell", and counts as analysis or
    scanning by its name like GitLab's own templates (``Security/SAST.gitlab-ci.yml``,
    ``components/sast/sast``)."""
    doc = load_located(text, source=path)
    if not isinstance(doc, dict):
        raise InputError("a GitLab CI file must be a mapping", source=path)
    scan = StepScanner(tree)
    images: list[Finding] = []
    unpinned: list[Finding] = []
    _gitlab_file(doc, path, _GitLabRun(scan, tree, images, unpinned), env_of(doc.get("variables")),
                 set(), 0)  # fmt: skip
    return scan.workflow(path, "gitlab", images=tuple(images), unpinned_images=tuple(unpinned))


@dataclass
class _GitLabRun:
    """What the files of one GitLab pipeline add to."""

    scan: StepScanner
    tree: Tree | None
    images: list[Finding]
    unpinned: list[Finding]


def _gitlab_file(
    doc: dict[Any, Any], path: str, run: _GitLabRun, global_env: dict[str, str], seen: set[str],
    depth: int,
) -> None:  # fmt: skip
    seen.add(path)
    scan = run.scan
    includes = doc.get("include")
    for inc in includes if isinstance(includes, list) else [includes]:
        named = next((inc.get(k) for k in ("template", "local", "file", "remote", "component")
                      if isinstance(inc, dict) and k in inc), inc)  # fmt: skip
        if isinstance(named, list):  # project: x, file: [a.yml, b.yml]
            named = next((n for n in named if isinstance(n, str)), None)
        if not isinstance(named, str):
            continue
        low = named.lower()
        where = Source(path=path, line=line_of(named))
        if "sast" in low or "secret-detection" in low:
            scan.add("sast", where, f"includes {named}")
        if "dependency-scanning" in low or "container-scanning" in low:
            scan.add("sca", where, f"includes {named}")
        if "fuzz" in low:
            scan.add("fuzz", where, f"includes {named}")
        given = inc if isinstance(inc, dict) else {}
        local = "://" not in inc if isinstance(inc, str) else "local" in given
        if isinstance(inc, dict) and "template" in inc:
            continue  # GitLab's own templates: judged by their names above
        if not local:
            scan.add("test_unknowns", where, f"includes {named} from outside the repository")
        elif run.tree is not None and depth < 4 and "$" not in named:
            _gitlab_local(named, where, run, global_env, seen, depth)
    for name, job in doc.items():
        if not isinstance(job, dict):
            continue
        image = job.get("image")
        image_name = image.get("name") if isinstance(image, dict) else image
        if isinstance(image_name, str):
            finding = Finding(Source(path=path, line=line_of(image_name)), f"image {image_name}")
            run.images.append(finding)
            if not DIGEST.search(image_name):
                run.unpinned.append(finding)
        ctx = Context(job=str(name), env={**global_env, **env_of(job.get("variables"))})
        for key in ("before_script", "script", "after_script"):
            lines = job.get(key)
            for line in lines if isinstance(lines, list) else [lines]:
                if isinstance(line, str):
                    scan.script(line, path, located_line_at(line, line_of(job)), ctx)


def _gitlab_local(
    named: str, where: Source, run: _GitLabRun, global_env: dict[str, str], seen: set[str],
    depth: int,
) -> None:  # fmt: skip
    """Read the repository's file(s) a local include names (relative to the root; ``*`` and
    ``**`` globs)."""
    assert run.tree is not None
    pattern = named.strip().lstrip("/")
    if "*" in pattern:
        files = [f for f in run.tree.files if member_match(f, pattern.replace("**", "**/*"))
                 or member_match(f, pattern)][:50]  # fmt: skip
    else:
        files = [f] if (f := run.tree.find(pattern)) else []
    if not files:
        run.scan.add("test_unknowns", where, f"includes {named}, not found in the repository")
    for found in files:
        if found in seen:
            continue
        content = run.tree.read(found, limit=512 * 1024)
        try:
            inner = load_located(content.text or "", source=found)
        except (InputError, RecursionError, ValueError, TypeError):
            run.scan.add("test_unknowns", where, f"includes {found}, which could not be read")
            continue
        if isinstance(inner, dict):
            _gitlab_file(inner, found, run, global_env, seen, depth + 1)


# AppVeyor's command lists, in the order a build runs them
_APPVEYOR_STEPS = ("init", "install", "before_build", "build_script", "after_build",
                   "before_test", "test_script", "after_test", "on_success", "on_failure",
                   "on_finish", "before_deploy", "deploy_script", "after_deploy")  # fmt: skip
# a cmd conditional around one command: IF NOT EXIST dir\x ( pip install hererocks )
_BATCH_IF = re.compile(
    r"^(\s*if\s+(?:/i\s+)?(?:not\s+)?(?:exist\s+\S+|defined\s+\S+|errorlevel\s+\d+|"
    r"\S+\s*==\s*\S+)\s*\(\s*)(.*?)(\s*\)\s*)$",
    re.I,
)


# a backslash between two path characters: a Windows path separator (eng\common\build.cmd)
_BACKSLASH = re.compile(r"(?<=[\w.$%)-])\\(?=[\w.$%(-])")


def windows_paths(text: str) -> str:
    """A cmd.exe or PowerShell script with its path separators written ``/`` (the shell
    reader takes ``\\`` for an escape), at the same offsets."""
    return _BACKSLASH.sub("/", text)


def _unwrap_batch_if(line: str) -> str:
    """The command inside a one-line ``IF ... ( command )``, at the same offsets."""
    m = _BATCH_IF.match(line)
    if m is None:
        return line
    return " " * len(m.group(1)) + m.group(2) + " " * len(m.group(3))


def parse_appveyor(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse appveyor.yml: the commands of its build phases (``install``, ``build_script``,
    ``test_script``...), each a string or a ``cmd:``/``ps:``/``pwsh:``/``sh:`` mapping, read
    like a workflow's ``run:`` steps (tests, installs, analysers) at their own lines; a
    cmd ``IF ... ( command )`` is the command it guards. Its ``image:`` names a build VM,
    not a container."""
    doc = load_located(text, source=path)
    if not isinstance(doc, dict):
        raise InputError("an AppVeyor file must be a mapping", source=path)
    scan = StepScanner(tree)
    ctx = Context(job="appveyor")
    for key in _APPVEYOR_STEPS:
        items = doc.get(key)
        for item in items if isinstance(items, list) else [items]:
            shell = "cmd"
            if isinstance(item, dict):
                shell = next((k for k in ("cmd", "ps", "pwsh", "sh") if k in item), "cmd")
                item = item.get(shell)
            if not isinstance(item, str) or not item.strip():
                continue
            default = line_of(item, key_line(doc, key))
            line_at = located_line_at(item, default)
            body = "\n".join(_unwrap_batch_if(line) for line in str(item).split("\n"))
            if shell != "sh":
                body = windows_paths(body)
            scan.script(body, path, line_at, ctx)
    return scan.workflow(path, "AppVeyor")


def _walk_dicts(value: Any) -> Iterator[dict[Any, Any]]:
    """Every mapping inside a parsed YAML value, outermost first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk_dicts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_dicts(item)


# Azure Pipelines tasks that run the tests themselves (their inputs name no command line)
_AZURE_TEST_TASKS = re.compile(r"^(?:VSTest|DotNetCoreCLI|Gradle|Maven|Npm|PublishTestResults)@",
                               re.I)  # fmt: skip


def parse_azure_pipelines(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse azure-pipelines.yml: the ``script``/``bash``/``pwsh``/``powershell`` steps at any
    level (top-level steps, jobs, stages, templates' parameters), read like ``run:`` steps;
    a ``DotNetCoreCLI``/``VSTest`` task whose command is ``test`` (``Maven`` goals ``test``/
    ``verify``, ``Gradle`` tasks ``test``/``check``) is a test run. A ``template:`` of this
    repository (``/eng/jobs.yml``, ``steps/test.yml``, ``x.yml@self``) is read the same way
    (nested ones too, up to four deep); one of another repository (``x.yml@templates``) cannot
    be read: it makes the tests "cannot tell", and counts as static analysis when its
    parameters configure the SDL tools (``sdl:``, Microsoft's 1ES pipeline templates) or its
    name says analysis (codeql, sast...)."""
    doc = load_located(text, source=path)
    if not isinstance(doc, dict):
        raise InputError("an Azure Pipelines file must be a mapping", source=path)
    scan = StepScanner(tree)
    _azure_walk(doc, path, scan, tree, set(), 0)
    return scan.workflow(path, "Azure Pipelines")


def _azure_walk(
    doc: Any, path: str, scan: StepScanner, tree: Tree | None, seen: set[str], depth: int
) -> None:
    """The steps of one Azure Pipelines file, and of the local templates it uses."""
    seen.add(path)
    ctx = Context(job="azure")
    for step in _walk_dicts(doc):
        for key in ("script", "bash", "pwsh", "powershell"):
            body = step.get(key)
            if isinstance(body, str) and body.strip():
                line_at = located_line_at(body, line_of(step))
                if key != "bash":  # cmd.exe or PowerShell on Windows agents
                    body = windows_paths(body)
                scan.script(body, path, line_at, ctx)
        template = step.get("template")
        if isinstance(template, str) and template.strip():
            _azure_template(template, step, path, scan, tree, seen, depth)
        task = step.get("task")
        if not isinstance(task, str) or not _AZURE_TEST_TASKS.match(task):
            continue
        given = step.get("inputs")
        inputs: dict[Any, Any] = given if isinstance(given, dict) else {}
        words = " ".join(
            str(inputs.get(k, "")) for k in ("command", "goals", "tasks", "customCommand")
        ).lower()
        runs = task.lower().startswith("vstest@") or bool(
            re.search(r"\b(?:test|verify|check)\b", words)
        )
        if runs:
            where = Source(path=path, line=line_of(task, line_of(step)))
            scan.add("tests", where, f"task {task} {words.strip()}".strip())


def _azure_template(
    template: str, step: dict[Any, Any], path: str, scan: StepScanner, tree: Tree | None,
    seen: set[str], depth: int,
) -> None:  # fmt: skip
    """Follow ``template: file[@repo]`` (see ``parse_azure_pipelines``)."""
    name, _, repo = template.strip().partition("@")
    where = Source(path=path, line=line_of(template, line_of(step)))
    if repo and repo != "self":
        params = step.get("parameters")
        label = f"{name} {repo}".lower()
        if (isinstance(params, dict) and "sdl" in params) or _REMOTE_SAST.search(label):
            scan.add("sast", where, f"template {template} (SDL analysis of the template)")
        scan.add("test_unknowns", where, f"template {template} of another repository")
        return
    if tree is None or "${{" in name or depth >= 4 or len(seen) > 50:
        return
    base = "" if name.startswith("/") else posixpath.dirname(path)
    local = posixpath.normpath(posixpath.join(base, name.lstrip("/")))
    found = tree.find(local)
    if found is None or found in seen:
        return
    content = tree.read(found, limit=512 * 1024)
    if content.text is None:
        return
    try:
        inner = load_located(content.text, source=found)
    except (InputError, RecursionError, ValueError, TypeError):
        scan.add("test_unknowns", where, f"template {template} could not be read")
        return
    _azure_walk(inner, found, scan, tree, seen, depth + 1)


def parse_circleci(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse .circleci/config.yml: the ``run`` steps of its jobs and reusable commands (a
    string, or a mapping with ``command``), read like ``run:`` steps."""
    doc = load_located(text, source=path)
    if not isinstance(doc, dict):
        raise InputError("a CircleCI configuration must be a mapping", source=path)
    scan = StepScanner(tree)
    for section in ("jobs", "commands"):
        entries = doc.get(section)
        if not isinstance(entries, dict):
            continue
        for name, entry in entries.items():
            ctx = Context(job=str(name))
            for step in _walk_dicts(entry.get("steps") if isinstance(entry, dict) else None):
                run = step.get("run")
                body = run.get("command") if isinstance(run, dict) else run
                if isinstance(body, str) and body.strip():
                    scan.script(body, path, located_line_at(body, line_of(step)), ctx)
    return scan.workflow(path, "CircleCI")


def _actions_reader(system: str) -> Callable[..., Workflow]:
    """Forgejo and Gitea Actions run GitHub Actions workflows: read as one, under the
    system's own name (the GitHub-specific checks, permissions and triggers, do not apply)."""

    def read(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
        return replace(parse_github_workflow(path, text, tree=tree), system=system)

    return read


# the other CI systems whose commands are read (the rest are only named)
_READERS = {"AppVeyor": parse_appveyor, "Azure Pipelines": parse_azure_pipelines,
            "CircleCI": parse_circleci, "Travis CI": parse_travis,
            "Cirrus CI": parse_cirrus, "Woodpecker": parse_woodpecker, "Drone": parse_drone,
            "Buildkite": parse_buildkite, "sourcehut builds": parse_sourcehut,
            "Forgejo Actions": _actions_reader("Forgejo Actions"),
            "Gitea Actions": _actions_reader("Gitea Actions")}  # fmt: skip
ANALYSED_SYSTEMS = frozenset({"github", "gitlab", *_READERS})

#: CI services that stopped running a configuration left unchanged past a date: travis-ci.org
#: closed on 15 June 2021 (projects had to move to travis-ci.com, where open-source builds
#: need credits), and most configurations then fell silent
CLOSED_SERVICES = {"Travis CI": (1_623_715_200, "travis-ci.org closed in June 2021")}


def retire_if_stale(workflow: Workflow, changed: int | None) -> Workflow:
    """``workflow`` as read, or, when its file has not changed since its service stopped
    running such configurations (``CLOSED_SERVICES``), a CI Steward cannot count on: its
    system is renamed out of the analysed ones (its absence of a test run or an analyser is
    "cannot tell", not a fail), and the analysers it names become "named, not analysed"
    (``unread_sast``/``unread_sca``: unknown with the line, never a pass). Unchanged when git
    cannot tell when the file changed."""
    closed = CLOSED_SERVICES.get(workflow.system)
    if closed is None or changed is None or changed >= closed[0]:
        return workflow
    why = f"unchanged since {closed[1]}"

    def named(found: tuple[Finding, ...]) -> tuple[Finding, ...]:
        return tuple(Finding(f.source, f"{f.detail} ({workflow.system} file {why})")
                     for f in found)  # fmt: skip

    return Workflow(
        source=workflow.source,
        system=f"{workflow.system} ({why})",
        images=workflow.images,
        unpinned_images=workflow.unpinned_images,
        unread_sast=named(workflow.sast) + workflow.unread_sast,
        unread_sca=named(workflow.sca) + workflow.unread_sca,
    )


def _local_calls(doc: dict[Any, Any]) -> list[str]:
    """Workflow files this workflow's jobs call (``uses: ./.github/workflows/x.yml``)."""
    calls = []
    for job in doc["jobs"].values():
        uses = job.get("uses") if isinstance(job, dict) else None
        if isinstance(uses, str) and uses.startswith("./"):
            calls.append(posixpath.normpath(uses.split("@", 1)[0]))
    return calls


def _inherited_triggers(docs: dict[str, dict[Any, Any]]) -> dict[str, set[str]]:
    """Triggers each workflow receives from the local workflows calling it (transitively)."""
    inherited: dict[str, set[str]] = {p: set() for p in docs}
    changed = True
    while changed:
        changed = False
        for path, doc in docs.items():
            given = set(_triggers(doc)) | inherited[path]
            for callee in _local_calls(doc):
                if callee in inherited and not given <= inherited[callee]:
                    inherited[callee] |= given
                    changed = True
    return inherited


def collect_workflows(tree: Tree) -> tuple[list[Workflow], list[Problem]]:
    workflows: list[Workflow] = []
    problems: list[Problem] = []
    github: dict[str, dict[Any, Any]] = {}
    for path in sorted(tree.in_dir(".github/workflows")):
        if not path.endswith((".yml", ".yaml")):
            continue
        text = _read(tree, path, problems)
        if text is None:
            continue
        try:
            github[path] = _load_workflow(path, text)
        except InputError as exc:
            problems.append(Problem(Source(path=path, line=exc.line), exc.message, "workflows"))
        except (RecursionError, ValueError, TypeError) as exc:  # odd YAML shapes
            problems.append(Problem(Source(path=path), f"cannot interpret: {exc}", "workflows"))
    inherited = _inherited_triggers(github)
    for path, doc in github.items():
        try:
            given = tuple(sorted(inherited[path]))
            workflows.append(_GitHubWorkflow(path, doc, tree, given).run())
        except (RecursionError, ValueError, TypeError, AttributeError) as exc:
            problems.append(Problem(Source(path=path), f"cannot interpret: {exc}", "workflows"))
    gitlab = tree.find(".gitlab-ci.yml", ".gitlab-ci.yaml")
    if gitlab:
        text = _read(tree, gitlab, problems)
        if text is not None:
            try:
                workflows.append(parse_gitlab_ci(gitlab, text, tree=tree))
            except InputError as exc:
                problems.append(Problem(Source(path=gitlab, line=exc.line), exc.message,
                                        "workflows"))  # fmt: skip
            except (RecursionError, ValueError, TypeError, AttributeError) as exc:
                problems.append(Problem(Source(path=gitlab), f"cannot interpret: {exc}",
                                        "workflows"))  # fmt: skip
    for path, name, files in _other_ci_files(tree):
        reader = _READERS.get(name)
        if reader is None:
            images, unpinned = _other_ci_images(tree, path) if name in _CONTAINER_CI else ((), ())
            # a file that is not read still says which analysers it names (``unreadci``)
            sast: list[Finding] = []
            sca: list[Finding] = []
            for found in files:
                text = tree.read(found).text if found in tree.files else None
                if text:
                    named_sast, named_sca = named_analysers(found, name, text)
                    sast += named_sast
                    sca += named_sca
            workflows.append(Workflow(source=Source(path=path), system=name, images=images,
                                      unpinned_images=unpinned, unread_sast=tuple(sast),
                                      unread_sca=tuple(sca)))  # fmt: skip
            continue
        for found in files:
            text = _read(tree, found, problems)
            if text is None:
                continue
            try:
                read = reader(found, text, tree=tree)
            except InputError as exc:
                problems.append(Problem(Source(path=found, line=exc.line), exc.message,
                                        "workflows"))  # fmt: skip
                continue
            except (RecursionError, ValueError, TypeError, AttributeError) as exc:
                problems.append(Problem(Source(path=found), f"cannot interpret: {exc}",
                                        "workflows"))  # fmt: skip
                continue
            if name in _CONTAINER_CI and not read.images:  # (the system's own image keys)
                images, unpinned = _other_ci_images(tree, found)
                read = replace(read, images=images, unpinned_images=unpinned)
            workflows.append(read)
    return workflows, problems


# Azure Pipelines files under the other names they are given at the root
# (azure-pipelines-pr.yml, .vsts-ci.yml: Visual Studio Team Services, Azure DevOps' old name)
_AZURE_NAMES = re.compile(r"^(?:azure-pipelines|\.vsts-ci)[\w.-]*\.ya?ml$", re.I)


def _other_ci_files(tree: Tree) -> Iterator[tuple[str, str, list[str]]]:
    """(configured path, system, the YAML files to read) for each other CI system present:
    a file, or every ``.yml``/``.yaml`` file below a directory of them (``.azure-pipelines/``,
    ``.woodpecker/``), plus Azure Pipelines files under their other root names."""
    seen: set[str] = set()
    for path, name in OTHER_CI.items():
        found = tree.find(path)
        if found:
            seen.add(found)
            yield path, name, [found]
        elif tree.has_dir(path) and (under := tree.files_under(path)):
            files = [f for f in under if f.endswith((".yml", ".yaml"))]
            seen.update(files)
            yield path, name, files
    for extra in tree.in_dir(""):
        if extra not in seen and _AZURE_NAMES.match(extra):
            seen.add(extra)
            yield extra, "Azure Pipelines", [extra]
    for extra in _azure_pipeline_definitions(tree):
        if extra not in seen:
            yield extra, "Azure Pipelines", [extra]
    for extra in _jenkins_pipelines(tree):
        if extra not in seen:
            yield extra, "Jenkins", [extra]


# Jenkins pipeline scripts beside or instead of the root ``Jenkinsfile``: a Pipeline job reads
# its script from any path it is given ("Script Path"), and projects keep several
# (held-out-13d: Jakarta Standard Tag Library's etc/jenkins/Jenkinsfile_master_build, its
# nightly build, and Jenkinsfile_release; jaxb-api's etc/jenkins/continuous.groovy). Named
# Jenkinsfile, Jenkinsfile.<x>, Jenkinsfile_<x>, Jenkinsfile-<x> or <x>.jenkinsfile, except
# the names that say the file is switched off or kept as a copy (Jenkinsfile.disable beside
# maven-compiler-plugin's workflows); a ``.groovy`` file under a ``jenkins`` directory when it
# declares a pipeline (``pipeline {`` or a scripted ``node {``), not a shared library's steps.
_JENKINSFILE = re.compile(r"^(?:jenkinsfile(?:[._-][\w.-]*)?|[\w.-]+\.jenkinsfile)$", re.I)
_JENKINS_OFF = re.compile(
    r"[._-](?:disabled?|off|old|bak|orig|backup|sample|example|template|tmpl)$", re.I
)
_JENKINS_DIR = re.compile(r"(?:^|/)\.?jenkins(?:files?)?/", re.I)
_PIPELINE = re.compile(r"^\s*(?:pipeline|node)\s*(?:\(|\{)", re.M)


def _jenkins_pipelines(tree: Tree) -> list[str]:
    """The Jenkins pipeline scripts of the tree outside the root ``Jenkinsfile`` (see above),
    outside tests, examples and vendored code."""
    found: list[str] = []
    for path in sorted(tree.files):
        if not_the_projects(path):
            continue
        name = path.rpartition("/")[2]
        if _JENKINSFILE.match(name):
            if not _JENKINS_OFF.search(name):
                found.append(path)
        elif name.lower().endswith(".groovy") and _JENKINS_DIR.search(path):
            text = tree.read(path, limit=256 * 1024).text or ""
            if _PIPELINE.search(text):
                found.append(path)
    return found


# the directories Azure Pipelines definitions are kept in beside the root file (.azure/,
# Microsoft's eng/pipelines/ and .pipelines/, .ado/); a definition is registered in Azure
# DevOps by its path, so any name is possible there
_AZURE_DIRS = (".azure", ".pipelines", ".ado", "azure", "pipelines", "eng/pipelines",
               "build/azure", "ci/azure", ".ci/azure")  # fmt: skip
_AZURE_TRIGGER = re.compile(r"^(?:trigger|pr|schedules|resources)\s*:", re.M)
_AZURE_BODY = re.compile(r"^(?:jobs|stages|steps|extends)\s*:", re.M)


def _azure_pipeline_definitions(tree: Tree) -> list[str]:
    """Azure Pipelines definitions under ``_AZURE_DIRS`` (held-out-9e: cyclonedds-python's
    release pipelines ``.azure/publish-release.yml``): YAML files whose top level declares
    when the pipeline runs (``trigger``, ``pr``, ``schedules``, ``resources``) and what it runs
    (``jobs``, ``stages``, ``steps``, ``extends``). Templates, which declare no trigger, are
    read through the pipelines that include them, not on their own."""
    found: list[str] = []
    for d in _AZURE_DIRS:
        if not tree.has_dir(d):
            continue
        for path in tree.files_under(d):
            if not path.endswith((".yml", ".yaml")):
                continue
            text = tree.read(path, limit=256 * 1024).text or ""
            if _AZURE_TRIGGER.search(text) and _AZURE_BODY.search(text):
                found.append(path)
    return sorted(found)


PRE_COMMIT_CI = "pre-commit.ci"
_PRE_COMMIT_CI_BOT = re.compile(r"pre-commit-ci\[bot\]|@pre-commit\.ci\b", re.I)
_CI_SECTION = re.compile(r"^ci:\s*(?:#.*)?$", re.M)


def pre_commit_ci_bot(name: str, email: str) -> bool:
    """A commit by pre-commit.ci's bot (its hook autoupdates and auto fixes)."""
    return bool(_PRE_COMMIT_CI_BOT.search(name) or _PRE_COMMIT_CI_BOT.search(email))


def pre_commit_ci(tree: Tree, bot_commits: bool) -> Workflow | None:
    """pre-commit.ci, the hosted CI that runs a repository's pre-commit hooks on every pull
    request without a workflow file: configured by the ``ci:`` section of
    ``.pre-commit-config.yaml`` or seen through its bot's commits in the recent history
    (``bot_commits``). Its analysers (zizmor, bandit, ruff with the ``S`` rules...) count as
    static analysis in CI like those of a workflow's ``pre-commit run``, found at the hook's
    line. None without a pre-commit configuration or any sign of the service."""
    path = next((p for p in (".pre-commit-config.yaml", ".pre-commit-config.yml")
                 if p in tree.files), None)  # fmt: skip
    if path is None:
        return None
    text = tree.read(path, limit=256 * 1024).text or ""
    section = _CI_SECTION.search(text)
    if section is None and not bot_commits:
        return None
    line = line_of_offset(text, section.start()) if section else None
    ruff_security = ruff_selects_security(tree)
    found: dict[str, list[Finding]] = {"sast": [], "sca": []}
    for hook, hook_path, hook_line in pre_commit_hooks(tree):
        for key in hook_kinds(hook, ruff_security):
            where = Source(path=hook_path, line=hook_line)
            found[key].append(Finding(where, f"pre-commit.ci runs hook {hook}"))
    return Workflow(source=Source(path=path, line=line), system=PRE_COMMIT_CI,
                    sast=tuple(found["sast"]), sca=tuple(found["sca"]))  # fmt: skip


# the other CI systems whose ``image`` keys name container images (AppVeyor's top-level
# ``image: Visual Studio 2022`` is a build VM; Travis names VMs by ``os``/``osx_image``)
_CONTAINER_CI = frozenset({"CircleCI", "Drone", "Woodpecker", "Bitbucket Pipelines", "Cirrus CI",
                           "Buildkite", "Semaphore"})  # fmt: skip
# keys whose ``image`` is a virtual machine, not a container (CircleCI ``machine:``, Cirrus
# ``compute_engine_instance``/``macos_instance``...)
_VM_PARENTS = frozenset({"machine", "macos", "windows", "compute_engine_instance",
                         "macos_instance", "windows_instance", "gce_instance", "ec2_instance",
                         "pool"})  # fmt: skip


def _other_ci_images(tree: Tree, path: str) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Container images a YAML CI file of another system names (CircleCI ``docker: -
    image:``, Drone/Woodpecker steps, Bitbucket Pipelines, Cirrus ``container:``): (all,
    not pinned by digest). The other systems are not analysed further, so a file that does
    not parse yields none (nothing else is read from it either)."""
    if not path.endswith((".yml", ".yaml")) or not tree.find(path):
        return (), ()
    content = tree.read(path)
    if content.text is None or content.truncated:
        return (), ()
    try:
        doc = documents(content.text, path)  # (Drone: one pipeline per document)
    except (InputError, RecursionError, ValueError, TypeError):
        return (), ()
    images: list[Finding] = []
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if str(key) in _VM_PARENTS:
                    continue
                name = value.get("name") if key == "image" and isinstance(value, dict) else value
                if key == "image" and isinstance(name, str) and name.strip():
                    where = Source(path=path, line=line_of(name))
                    images.append(Finding(where, f"container image {name}"))
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    images.sort(key=lambda f: f.source.line or 0)
    unpinned = tuple(f for f in images if not DIGEST.search(f.detail))
    return tuple(images), unpinned


def _read(tree: Tree, path: str, problems: list[Problem]) -> str | None:
    content = tree.read(path)
    if content.text is None or content.truncated:
        why = content.problem or ("binary content" if content.binary else "larger than 1 MiB")
        problems.append(Problem(Source(path=path), f"workflow not read: {why}", "workflows"))
        return None
    return content.text
