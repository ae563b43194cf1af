"""CI configuration: GitHub Actions workflows, GitLab CI, other CI systems, Dockerfiles.

Workflows are parsed with the YAML safe loader (``steward.safeio.loads_yaml``: alias bombs
refused) and walked as data; nothing is executed or expanded. Line numbers for evidence are
found by searching the text for the value, which is exact for the ``uses:``, ``run:`` and
``ref:`` values we report. A workflow that cannot be read or parsed becomes a ``Problem``
(area ``workflows``), which makes the workflow probes report ``error`` for it.

The dangerous-pattern rules follow OpenSSF Scorecard's Dangerous-Workflow, Token-Permissions,
Pinned-Dependencies and SAST checks (their test fixtures are in our tests).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from steward.collect.facts import ActionRef, ContainerImage, Finding, Problem, Source, Workflow
from steward.collect.tree import Tree
from steward.errors import InputError
from steward.safeio import loads_yaml

SHA40 = re.compile(r"^[0-9a-f]{40}$")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}\b")
UNTRUSTED_TRIGGERS = frozenset({"pull_request_target", "workflow_run"})
# github.event fields an outsider controls (Scorecard's list, plus toJSON of the whole event)
UNTRUSTED_EXPR = re.compile(
    r"github\.event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.(?:ref|label"
    r"|repo\.default_branch))|comment\.body|review\.body|review_comment\.body|pages\b[^}]*"
    r"\.page_name|commits\b[^}]*\.(?:message|author\.(?:email|name))|head_commit\.(?:message"
    r"|author\.(?:email|name))|workflow_run\.(?:head_branch|head_commit\.(?:message|author\."
    r"(?:email|name))|pull_requests\b[^}]*\.head\.ref)|discussion\.(?:title|body)|"
    r"discussion_comment\.body)|github\.head_ref|toJSON\(\s*github\.event\s*\)",
    re.IGNORECASE,
)
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
UNTRUSTED_REF = re.compile(
    r"github\.event\.pull_request|github\.head_ref|github\.event\.workflow_run", re.I
)

TEST_COMMANDS = re.compile(
    r"(?:^|[\s;&|(])(?:pytest|py\.test|tox|nox|python -m (?:pytest|unittest)|"
    r"(?:npm|yarn|pnpm|bun)(?: run)? test|go test|cargo (?:test|nextest)|mvn\b.*\b(?:test|verify"
    r"|install)|\./mvnw\b.*\b(?:test|verify)|(?:\./)?gradlew?\b.*\b(?:test|check|build)|"
    r"make (?:test|check)|ctest|meson test|bundle exec (?:rspec|rake)|rake test|rspec|phpunit|"
    r"vendor/bin/phpunit|dotnet test|mix test|swift test|bazel test|jest|vitest|mocha|"
    r"\.ci/run|hatch (?:run )?test|zig build test|deno test|stack test|cabal test|dune test)\b",
    re.M,
)
SAST_ACTIONS = (
    "github/codeql-action/analyze", "github/codeql-action/init", "returntocorp/semgrep-action",
    "semgrep/semgrep-action", "sonarsource/sonarcloud-github-action",
    "sonarsource/sonarqube-scan-action", "snyk/actions", "facebook/pysa-action",
    "jetbrains/qodana-action", "securego/gosec", "pycqa/bandit-action", "shiftleft/scan-action",
    "mobsf/mobsfscan", "ossf/scorecard-action", "zizmorcore/zizmor-action",
)  # fmt: skip
SAST_COMMANDS = re.compile(
    r"(?:^|[\s;&|(])(?:semgrep|bandit|gosec|codeql|brakeman|pysa|psalm|phpstan|spotbugs|"
    r"flawfinder|cppcheck|clang-tidy|infer|ruff check|zizmor|staticcheck|golangci-lint|"
    r"cargo clippy|njsscan|horusec|sonar-scanner|snyk code)\b",
    re.M,
)
SCA_ACTIONS = (
    "actions/dependency-review-action", "snyk/actions", "google/osv-scanner-action",
    "aquasecurity/trivy-action", "anchore/scan-action", "pypa/gh-action-pip-audit",
    "rustsec/audit-check", "actions-rs/audit-check", "dependency-check/dependency-check_action",
    "golang/govulncheck-action", "sonatype-nexus-community/nancy-github-action",
)  # fmt: skip
SCA_COMMANDS = re.compile(
    r"(?:^|[\s;&|(])(?:pip-audit|safety check|safety scan|npm audit|yarn audit|pnpm audit|"
    r"cargo audit|cargo deny|osv-scanner|trivy|grype|govulncheck|snyk test|"
    r"dependency-check|bundle[- ]audit|composer audit|steward vulns|dotnet list package "
    r"--vulnerable|mvn\b.*dependency-check)\b",
    re.M,
)
SBOM_ACTIONS = ("anchore/sbom-action", "cyclonedx/", "advanced-security/sbom-generator-action",
                "actions/attest-sbom", "spdx/")  # fmt: skip
SBOM_COMMANDS = re.compile(
    r"(?:^|[\s;&|(])(?:syft|cyclonedx-\w+|cyclonedx-py|cdxgen|spdx-sbom-generator|"
    r"steward sbom|trivy\b.*--format (?:cyclonedx|spdx)|cargo cyclonedx|sbom-tool)\b",
    re.M,
)
FUZZ_ACTIONS = ("google/oss-fuzz/infra/cifuzz", "google/clusterfuzzlite/actions")
FUZZ_COMMANDS = re.compile(
    r"(?:^|[\s;&|(])(?:cargo (?:\+\S+ )?fuzz|go test\b.*-fuzz|atheris|jazzer|libfuzzer|afl-fuzz)\b"
)
PROVENANCE_ACTIONS = ("slsa-framework/slsa-github-generator", "actions/attest-build-provenance",
                      "actions/attest")  # fmt: skip
SIGNING_ACTIONS = ("sigstore/cosign-installer", "sigstore/gh-action-sigstore-python",
                   "pypa/gh-action-pypi-publish")  # fmt: skip
SIGNING_COMMANDS = re.compile(r"(?:^|[\s;&|(])(?:cosign sign|gpg --detach-sign|minisign -S)\b")
CLA_ACTIONS = (
    "contributor-assistant/github-action", "cla-assistant/github-action", "tim-actions/dco",
    "christophebedard/dco-check", "KineticCafe/actions-dco",
)  # fmt: skip
UNPINNED_INSTALL = re.compile(
    r"(?:^|[\s;&|(])(?:(?:python3? -m )?pip3? install(?![^\n]*(?:--require-hashes|"
    r"-r\s|--requirement|-e\s+\.|\s\.\s*$|\s\.\[))[^\n]*\s[A-Za-z][\w.-]*|npm (?:install|i) "
    r"(?:-g |--global )?[a-z@][^\s]*|(?:curl|wget)\b[^\n|]*\|\s*(?:ba|z)?sh)",
    re.M,
)

OTHER_CI = {
    ".circleci/config.yml": "CircleCI", ".travis.yml": "Travis CI", "Jenkinsfile": "Jenkins",
    "azure-pipelines.yml": "Azure Pipelines", ".buildkite/pipeline.yml": "Buildkite",
    "appveyor.yml": "AppVeyor", ".appveyor.yml": "AppVeyor", ".drone.yml": "Drone",
    "bitbucket-pipelines.yml": "Bitbucket Pipelines", ".cirrus.yml": "Cirrus CI",
    ".woodpecker.yml": "Woodpecker", ".forgejo/workflows": "Forgejo Actions",
    ".zuul.yaml": "Zuul", "cloudbuild.yaml": "Cloud Build", ".semaphore/semaphore.yml": "Semaphore",
}  # fmt: skip


def _line_of(text: str, needle: str, default: int | None = None) -> int | None:
    if not needle:
        return default
    idx = text.find(needle)
    if idx < 0:
        first = needle.splitlines()[0] if needle.strip() else ""
        idx = text.find(first) if first else -1
    if idx < 0:
        return default
    return text.count("\n", 0, idx) + 1


def _triggers(doc: dict[Any, Any]) -> tuple[str, ...]:
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` key as True
    if isinstance(on, str):
        return (on,)
    if isinstance(on, list):
        return tuple(str(x) for x in on)
    if isinstance(on, dict):
        return tuple(str(k) for k in on)
    return ()


def _permission_level(value: Any) -> tuple[str, str]:
    """(level, detail) for a permissions value: none, read, write."""
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
        writes = [f"{k}: write" for k, v in value.items() if str(v).lower() == "write"]
        if writes:
            return "write", ", ".join(writes)
        if value and all(str(v).lower() == "none" for v in value.values()):
            return "none", "all permissions none"
        return (
            "read" if value else "none"
        ), "read-only permissions" if value else "permissions: {}"
    return "write", f"unrecognised permissions value {value!r}"


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


def parse_github_workflow(path: str, text: str) -> Workflow:
    """Parse one GitHub Actions workflow into a Workflow fact (InputError if malformed)."""
    doc = loads_yaml(text, source=path)
    if not isinstance(doc, dict):
        raise InputError("a workflow must be a mapping", source=path)
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict):
        raise InputError("a workflow needs a 'jobs' mapping", source=path, line=None)
    triggers = _triggers(doc)
    untrusted_trigger = bool(UNTRUSTED_TRIGGERS & set(triggers))
    acc: dict[str, list[Any]] = {
        k: []
        for k in (
            "job_writes", "uses", "images", "unpinned_images", "untrusted", "inject", "secrets",
            "secrets_untrusted", "tests", "sast", "sca", "sbom", "fuzz", "prov", "sign", "cla",
            "installs",
        )
    }  # fmt: skip

    def src(needle: str) -> Source:
        return Source(path=path, line=_line_of(text, needle))

    if "permissions" in doc:
        top, top_detail = _permission_level(doc["permissions"])
    else:
        top, top_detail = "absent", "no top-level permissions"

    for job_id, job in jobs.items():
        if not isinstance(job, dict):
            continue
        if "permissions" in job:
            level, detail = _permission_level(job["permissions"])
            if level == "write":
                acc["job_writes"].append(Finding(src(f"{job_id}:"), f"job {job_id}: {detail}"))
        if isinstance(job.get("uses"), str):  # reusable workflow
            acc["uses"].append(_action_ref(job["uses"], src(job["uses"])))
        for image in _job_images(job):
            pinned = bool(DIGEST.search(image))
            finding = Finding(src(image), f"container image {image}")
            acc["images"].append(finding)
            if not pinned:
                acc["unpinned_images"].append(finding)
        job_untrusted_checkout = False
        for step in _steps(job):
            uses = step.get("uses")
            with_: dict[Any, Any] = step["with"] if isinstance(step.get("with"), dict) else {}
            if isinstance(uses, str):
                ref = _action_ref(uses, src(uses))
                acc["uses"].append(ref)
                if uses.startswith("docker://") and not ref.pinned:
                    acc["unpinned_images"].append(Finding(ref.source, f"image {uses}"))
                action = ref.action
                if action.lower().startswith("actions/checkout") and untrusted_trigger:
                    checkout_ref = str(with_.get("ref", ""))
                    if UNTRUSTED_REF.search(checkout_ref):
                        job_untrusted_checkout = True
                        acc["untrusted"].append(
                            Finding(src(checkout_ref), f"job {job_id} checks out {checkout_ref} "
                                    f"on {'/'.join(sorted(UNTRUSTED_TRIGGERS & set(triggers)))}")
                        )  # fmt: skip
                for key, prefixes in (
                    ("sast", SAST_ACTIONS), ("sca", SCA_ACTIONS), ("sbom", SBOM_ACTIONS),
                    ("fuzz", FUZZ_ACTIONS), ("prov", PROVENANCE_ACTIONS), ("sign", SIGNING_ACTIONS),
                    ("cla", CLA_ACTIONS),
                ):  # fmt: skip
                    if _matches_action(action, prefixes):
                        acc[key].append(Finding(ref.source, f"uses {uses}"))
                if action.lower() == "actions/github-script":
                    script = str(with_.get("script", ""))
                    _injections(script, src(script[:80] or "github-script"), acc["inject"], job_id)
            run = step.get("run")
            if isinstance(run, str):
                rsrc = src(run.strip().splitlines()[0] if run.strip() else "run:")
                _injections(run, rsrc, acc["inject"], job_id)
                for key, pattern in (
                    ("tests", TEST_COMMANDS), ("sast", SAST_COMMANDS), ("sca", SCA_COMMANDS),
                    ("sbom", SBOM_COMMANDS), ("fuzz", FUZZ_COMMANDS), ("sign", SIGNING_COMMANDS),
                ):  # fmt: skip
                    m = pattern.search(run)
                    if m:
                        line = _line_of(text, m.group(0).strip(), rsrc.line)
                        acc[key].append(
                            Finding(Source(path=path, line=line), f"runs {m.group(0).strip()}")
                        )
                for m in UNPINNED_INSTALL.finditer(run):
                    line = _line_of(text, m.group(0).strip(), rsrc.line)
                    acc["installs"].append(
                        Finding(Source(path=path, line=line), f"unpinned: {m.group(0).strip()}")
                    )
        job_text = _dump(job)
        for m in re.finditer(r"\$\{\{\s*secrets\.([A-Za-z0-9_]+)", job_text):
            name = m.group(1)
            finding = Finding(src(f"secrets.{name}"), f"job {job_id} uses secrets.{name}")
            acc["secrets"].append(finding)
            if untrusted_trigger and job_untrusted_checkout and name != "GITHUB_TOKEN":
                acc["secrets_untrusted"].append(finding)
    return Workflow(
        source=Source(path=path),
        system="github",
        triggers=triggers,
        top_permissions=top,
        top_permission_detail=top_detail,
        job_writes=tuple(acc["job_writes"]),
        uses=tuple(acc["uses"]),
        images=tuple(acc["images"]),
        unpinned_images=tuple(acc["unpinned_images"]),
        untrusted_checkouts=tuple(acc["untrusted"]),
        script_injections=tuple(acc["inject"]),
        secrets=tuple(acc["secrets"]),
        secrets_after_untrusted_checkout=tuple(acc["secrets_untrusted"]),
        runs_tests=tuple(acc["tests"]),
        sast=tuple(acc["sast"]),
        sca=tuple(acc["sca"]),
        sbom=tuple(acc["sbom"]),
        fuzzing=tuple(acc["fuzz"]),
        provenance=tuple(acc["prov"]),
        signing=tuple(acc["sign"]),
        contributor_checks=tuple(acc["cla"]),
        unpinned_installs=tuple(acc["installs"]),
    )


def _dump(value: Any) -> str:
    """All strings in a parsed YAML value, joined (for searching expressions)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_dump(k) + "\n" + _dump(v) for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(_dump(v) for v in value)
    return ""


def _injections(script: str, src: Source, out: list[Any], job_id: str) -> None:
    for m in EXPRESSION.finditer(script):
        expr = m.group(1)
        if UNTRUSTED_EXPR.search(expr):
            out.append(
                Finding(src, f"job {job_id} interpolates ${{{{{expr.strip()}}}}} into a script")
            )


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


def parse_gitlab_ci(path: str, text: str) -> Workflow:
    """Parse .gitlab-ci.yml: scripts (tests, SAST, SCA...), templates, images."""
    doc = loads_yaml(text, source=path)
    if not isinstance(doc, dict):
        raise InputError("a GitLab CI file must be a mapping", source=path)
    acc: dict[str, list[Finding]] = {
        k: [] for k in ("images", "unpinned", "tests", "sast", "sca", "sbom", "fuzz", "installs")
    }
    includes = doc.get("include")
    for inc in includes if isinstance(includes, list) else [includes]:
        template = inc.get("template") if isinstance(inc, dict) else inc
        if isinstance(template, str):
            low = template.lower()
            where = Source(path=path, line=_line_of(text, template))
            if "sast" in low or "secret-detection" in low:
                acc["sast"].append(Finding(where, f"includes {template}"))
            if "dependency-scanning" in low or "container-scanning" in low:
                acc["sca"].append(Finding(where, f"includes {template}"))
            if "fuzz" in low:
                acc["fuzz"].append(Finding(where, f"includes {template}"))
    for name, job in doc.items():
        if not isinstance(job, dict):
            continue
        image = job.get("image")
        image_name = image.get("name") if isinstance(image, dict) else image
        if isinstance(image_name, str):
            finding = Finding(
                Source(path=path, line=_line_of(text, image_name)), f"image {image_name}"
            )
            acc["images"].append(finding)
            if not DIGEST.search(image_name):
                acc["unpinned"].append(finding)
        script = "\n".join(
            _dump(job.get(k)) for k in ("before_script", "script", "after_script") if k in job
        )
        for key, pattern in (
            ("tests", TEST_COMMANDS), ("sast", SAST_COMMANDS), ("sca", SCA_COMMANDS),
            ("sbom", SBOM_COMMANDS), ("fuzz", FUZZ_COMMANDS), ("installs", UNPINNED_INSTALL),
        ):  # fmt: skip
            m = pattern.search(script)
            if m:
                line = _line_of(text, m.group(0).strip())
                acc[key].append(
                    Finding(Source(path=path, line=line), f"job {name}: {m.group(0).strip()}")
                )
    return Workflow(
        source=Source(path=path), system="gitlab", images=tuple(acc["images"]),
        unpinned_images=tuple(acc["unpinned"]), runs_tests=tuple(acc["tests"]),
        sast=tuple(acc["sast"]), sca=tuple(acc["sca"]), sbom=tuple(acc["sbom"]),
        fuzzing=tuple(acc["fuzz"]), unpinned_installs=tuple(acc["installs"]),
    )  # fmt: skip


def collect_workflows(tree: Tree) -> tuple[list[Workflow], list[Problem]]:
    workflows: list[Workflow] = []
    problems: list[Problem] = []
    candidates: list[tuple[str, str]] = [
        (p, "github")
        for p in sorted(tree.in_dir(".github/workflows"))
        if p.endswith((".yml", ".yaml"))
    ]
    gitlab = tree.find(".gitlab-ci.yml", ".gitlab-ci.yaml")
    if gitlab:
        candidates.append((gitlab, "gitlab"))
    for path, system in candidates:
        content = tree.read(path)
        if content.text is None or content.truncated:
            why = content.problem or ("binary content" if content.binary else "larger than 1 MiB")
            problems.append(Problem(Source(path=path), f"workflow not read: {why}", "workflows"))
            continue
        try:
            parser = parse_github_workflow if system == "github" else parse_gitlab_ci
            workflows.append(parser(path, content.text))
        except InputError as exc:
            problems.append(Problem(Source(path=path, line=exc.line), exc.message, "workflows"))
        except (RecursionError, ValueError, TypeError) as exc:  # odd YAML shapes
            problems.append(Problem(Source(path=path), f"cannot interpret: {exc}", "workflows"))
    for path, name in OTHER_CI.items():
        if tree.find(path) or (tree.has_dir(path) and tree.files_under(path)):
            workflows.append(Workflow(source=Source(path=path), system=name))
    return workflows, problems


# ----------------------------------------------------------------------- Dockerfiles

_DOCKERFILE = re.compile(r"(?:^|/)(?:Dockerfile|Containerfile)(?:[.-][^/]*)?$|\.dockerfile$", re.I)
_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", re.I)
_ARG = re.compile(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?", re.I)


def parse_dockerfile(path: str, text: str) -> list[ContainerImage]:
    """Base images of a Dockerfile; stages and ``scratch`` are not images to pin."""
    images: list[ContainerImage] = []
    stages: set[str] = set()
    args: dict[str, str] = {}
    joined: list[tuple[int, str]] = []
    buffer, start = "", 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = lineno
        if line.rstrip().endswith("\\"):
            buffer += line.rstrip()[:-1] + " "
            continue
        joined.append((start, buffer + line))
        buffer = ""
    if buffer:
        joined.append((start, buffer))
    for lineno, line in joined:
        if line.lstrip().startswith("#"):
            continue
        arg = _ARG.match(line)
        if arg and not stages and arg.group(2) is not None:
            args[arg.group(1)] = arg.group(2).strip("\"'")
            continue
        m = _FROM.match(line)
        if not m:
            continue
        image = m.group(1)
        resolved = re.sub(
            r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda a: args.get(a.group(1), a.group(0)), image
        )
        if m.group(2):
            stages.add(m.group(2).lower())
        if resolved.lower() == "scratch" or resolved.lower() in stages - {
            (m.group(2) or "").lower()
        }:
            continue
        images.append(
            ContainerImage(Source(path=path, line=lineno), resolved, bool(DIGEST.search(resolved)))
        )
    return images


def collect_dockerfiles(tree: Tree) -> tuple[list[ContainerImage], list[Problem]]:
    images: list[ContainerImage] = []
    problems: list[Problem] = []
    for path in sorted(p for p in tree.files if _DOCKERFILE.search(p)):
        content = tree.read(path)
        if content.text is None:
            why = content.problem or "binary content"
            problems.append(Problem(Source(path=path), why, "dockerfiles"))
            continue
        images.extend(parse_dockerfile(path, content.text))
    return images, problems
