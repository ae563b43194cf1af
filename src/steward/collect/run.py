"""Running every collector over one project: ``collect_facts(root) -> Facts``.

Also reads the project's own answers: ``steward.yml`` (validated by ``steward.projectconfig``;
a broken file stops the assessment with an error naming its line) and the fields of
security-insights.yml that answer requirements no probe can check.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from steward.collect import ci, deps, dockerfiles, documents, git, scan
from steward.collect.facts import (
    COLLECTOR_FAILED,
    FORGE_UNREACHABLE,
    Attestation,
    Dependencies,
    Docs,
    Facts,
    ForgeData,
    Insights,
    Problem,
    Reporting,
    SecurityPolicy,
    Source,
)
from steward.collect.settings import collect_branch_settings
from steward.collect.tree import Tree, walk
from steward.errors import InputError, NotFoundError
from steward.projectconfig import CONFIG_NAMES, ProjectConfig, parse_project_config

Progress = Callable[[str, int, int], None]
_STAGES = ("files", "documents", "dependencies", "ci", "scans", "git")
T = TypeVar("T")


def _guarded(
    problems: list[Problem], area: str, default: object, fn: Callable[..., T], *args: Any
) -> T:
    """``fn(*args)``; an unexpected exception becomes a Problem in ``area`` and ``default``.

    One collector's defect (held-out-7e: a licence value that made license-expression raise
    AttributeError) must not stop the whole assessment; the probes that read that area say
    ``error`` with the reason instead. Bad project input the collector reports on purpose
    (InputError: a broken steward.yml) still stops it, naming the file and line.
    """
    try:
        return fn(*args)
    except InputError:
        raise
    except Exception as exc:
        message = f"{area} {COLLECTOR_FAILED}: {type(exc).__name__}: {exc}"
        problems.append(Problem(Source(path=None), message[:300], area))
        return cast(T, default)  # the collector's empty result, of its return type


def collect_facts(
    root: Path,
    *,
    forge: ForgeData | None = None,
    progress: Progress | None = None,
    max_commits: int = git.MAX_COMMITS,
    now: int | None = None,
) -> Facts:
    """Collect every fact about the checkout at ``root`` (forge facts are passed in).

    ``now``: the time (Unix seconds) recency is judged against; default the current time.
    """
    root = Path(root)
    if not root.is_dir():
        raise NotFoundError("not a directory", source=root)

    def step(name: str) -> None:
        if progress is not None:
            progress(name, _STAGES.index(name), len(_STAGES))

    step("files")
    tree = walk(root)
    problems: list[Problem] = list(tree.problems)
    step("documents")
    no_policy = SecurityPolicy((), (), (), (), (), (), ())
    g = problems
    insights, p = _guarded(g, "insights", (None, []), documents.collect_insights, tree)
    problems += p
    policy, p = _guarded(g, "policy", (no_policy, []), documents.collect_policy, tree, insights)
    problems += p
    licences, p = _guarded(g, "license", ([], []), documents.collect_licenses, tree)
    problems += p
    docs = _guarded(g, "documents", Docs(), documents.collect_docs, tree, insights, policy)
    from steward.collect.reporting import collect_reporting

    reporting = _guarded(g, "reporting", Reporting(), collect_reporting, tree, policy, insights)
    step("dependencies")
    no_deps = Dependencies((), (), (), (), ())
    dependencies = _guarded(g, "dependencies", no_deps, deps.collect_dependencies, tree)
    step("ci")
    workflows, p = _guarded(g, "workflows", ([], []), ci.collect_workflows, tree)
    problems += p
    images, docker_installs, p = _guarded(
        g, "dockerfiles", ([], [], []), dockerfiles.collect_dockerfiles, tree
    )
    problems += p
    branch_settings, p = collect_branch_settings(tree)
    problems += p
    step("scans")
    allowed = _verified_wrappers(tree, workflows)
    binaries = _guarded(g, "scan", [], scan.binary_artifacts, tree, allowed)
    secret_hits = _guarded(g, "scan", [], scan.secrets, tree)
    fuzz = _guarded(g, "scan", [], scan.fuzz_targets, tree)
    step("git")
    git_facts, p = _guarded(
        g, "git", (None, []), lambda: git.collect_git(root, max_commits=max_commits)
    )
    problems += p
    newest = git_facts.commits[0].timestamp if git_facts and git_facts.commits else 0
    bot = any(
        ci.pre_commit_ci_bot(c.author_name, c.author_email)
        for c in (git_facts.commits if git_facts else ())
        if c.timestamp >= newest - 365 * 86400
    )
    if git_facts is not None:
        workflows = [ci.retire_if_stale(w, git.last_changed(root, w.source.path or ""))
                     if w.system in ci.CLOSED_SERVICES else w for w in workflows]  # fmt: skip
    hosted = ci.pre_commit_ci(tree, bot)
    if hosted is not None:
        workflows.append(hosted)
    config = _project_config(tree)
    attestations = _attestations(config, insights)
    if forge is not None and not forge.reachable:
        problems.append(Problem(Source(url=forge.url), FORGE_UNREACHABLE, "forge"))
    if progress is not None:
        progress("done", len(_STAGES), len(_STAGES))
    return Facts(
        root=str(root),
        project_name=_project_name(tree, insights, root),
        file_count=len(tree.files),
        policy=policy,
        insights=insights,
        licenses=tuple(licences),
        docs=docs,
        dependencies=dependencies,
        workflows=tuple(workflows),
        images=tuple(images),
        binary_artifacts=tuple(binaries),
        secrets=tuple(secret_hits),
        fuzzing=tuple(fuzz),
        git=git_facts,
        forge=forge,
        attestations=tuple(attestations),
        acceptances=config.acceptances if config is not None else (),
        problems=tuple(problems),
        symlinks_outside=tuple(sorted(p for p, inside in tree.symlinks.items() if not inside)),
        docker_installs=tuple(docker_installs),
        collected_at=int(time.time()) if now is None else now,
        reporting=reporting,
        branch_settings=tuple(branch_settings),
    )


def _verified_wrappers(tree: Tree, workflows: list[Any]) -> frozenset[str]:
    """gradle-wrapper.jar files validated in CI (Scorecard accepts those): the
    wrapper-validation action, or ``gradle/actions/setup-gradle`` from v4 on, which validates
    every wrapper by default (``validate-wrappers: false`` switches it off)."""
    validated = any(
        "wrapper-validation" in ref.action or _setup_gradle_validates(tree, ref)
        for wf in workflows
        for ref in getattr(wf, "uses", ())
    )
    if not validated:
        return frozenset()
    return frozenset(p for p in tree.files if p.endswith("gradle/wrapper/gradle-wrapper.jar"))


def _setup_gradle_validates(tree: Tree, ref: Any) -> bool:
    """``gradle/actions/setup-gradle`` at v4 or later (by its tag, or the version comment after
    a SHA pin), in a workflow that does not set ``validate-wrappers: false``."""
    if str(ref.action).lower() != "gradle/actions/setup-gradle" or not ref.source.path:
        return False
    text = tree.read(ref.source.path, limit=512 * 1024).text or ""
    if re.search(r"validate-wrappers:\s*['\"]?false", text):
        return False
    version = ref.ref or ""
    if ref.pinned and ref.source.line:
        lines = text.split("\n")
        line = lines[ref.source.line - 1] if ref.source.line <= len(lines) else ""
        comment = re.search(r"#\s*v?(\d+)", line)
        version = comment.group(1) if comment else ""
    m = re.match(r"v?(\d+)", version)
    return m is not None and int(m.group(1)) >= 4


def _project_name(tree: Tree, insights: Insights | None, root: Path) -> str:
    if insights is not None:
        project = insights.raw.get("project")
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            return str(project["name"])
    for name, pattern in (
        ("pyproject.toml", r'^\[project\][^\[]*?^name\s*=\s*"([^"]+)"'),
        ("package.json", r'^\s{0,4}"name"\s*:\s*"([^"]+)"'),
        ("Cargo.toml", r'^\[package\][^\[]*?^name\s*=\s*"([^"]+)"'),
    ):
        path = tree.find(name)
        if path:
            text = tree.read(path, limit=256 * 1024).text or ""
            m = re.search(pattern, text, re.M | re.S)
            if m:
                return m.group(1)
    return root.resolve().name


def _project_config(tree: Tree) -> ProjectConfig | None:
    """``steward.yml`` validated by ``steward.projectconfig``; a bad file is an InputError."""
    path = tree.find(*CONFIG_NAMES)
    if path is None:
        return None
    content = tree.read(path)
    if content.truncated:
        raise InputError("larger than the 1 MiB a configuration file may have", source=path)
    if content.text is None:
        problem = "binary content, expected YAML" if content.binary else content.problem
        raise InputError(problem or "not a readable text file", source=path)
    return parse_project_config(content.text, source=path)


def _attestations(config: ProjectConfig | None, insights: Insights | None) -> list[Attestation]:
    out: list[Attestation] = []
    if config is not None:
        for rid, answer in config.attestations.items():
            out.append(
                Attestation(
                    requirement_id=rid,
                    status=answer.status,
                    evidence=answer.evidence,
                    source=Source(path=config.source, line=config.attestation_lines.get(rid)),
                    by=answer.by,
                    date=answer.date,
                )
            )
    out += _insights_attestations(insights, {a.requirement_id for a in out})
    return out


def _insights_attestations(insights: Insights | None, answered: set[str]) -> list[Attestation]:
    """Requirements that a *valid* security-insights.yml answers (``steward.insights.answers``);
    an invalid file answers nothing (its problem is reported by the insights probe)."""
    if insights is None or insights.model is None:
        return []
    from steward.insights import answers

    return [
        Attestation(a.requirement_id, a.status, f"{a.key}: {a.evidence}", insights.source)
        for a in answers(insights.model)
        if a.requirement_id not in answered
    ]
