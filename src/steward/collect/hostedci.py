"""The commands of Travis CI, Cirrus CI, Woodpecker, Drone, Buildkite and sourcehut builds
configurations, read like a workflow's ``run:`` steps.

Shapes: each ``parse_*`` function takes a repository path and the file's
text (and the tree, to follow the scripts and recipes a command runs one level) and return a
:class:`~steward.collect.facts.Workflow` with the same facts as the GitHub, GitLab, AppVeyor,
Azure and CircleCI readers of ``steward.collect.ci``: test runs, static analysis, dependency
scanning, SBOM, fuzzing and unpinned installs, each at the line of its own command. A file
that is not a YAML mapping raises ``InputError`` (a ``Problem`` for the workflow probes).

Travis CI (https://docs.travis-ci.com/user/job-lifecycle/): the phases ``before_install``,
``install``, ``before_script``, ``script``, ``after_success``... each a command or a list of
commands, at the top level and in each ``jobs.include`` (or ``matrix.include``) entry. Without
a ``script:`` Travis runs its language's default script (``npm test`` for ``node_js``,
``bundle exec rake`` for ``ruby``, ``make`` or ``go test`` for ``go``...), which is read as a
command at the ``language:`` line, the detail saying it is Travis's default. A language
Travis has no default script for (``python``) runs no tests.

Cirrus CI (https://cirrus-ci.org/guide/writing-tasks/): every ``*_script`` instruction
(``test_script: pytest``, a string or a list) of every task (``task``, ``*_task``,
``*docker_builder``, ``*pipe``), at any depth (``matrix:``, YAML anchors merged with
``<<``; a top-level key holding only an anchor is not a task); ``task:`` may be repeated at the
top level, so the file is loaded keeping repeated keys. ``container``/``image`` keys are read
by ``steward.collect.ci`` (container images of other CI systems).

Woodpecker, Drone and Buildkite: the ``commands`` (or ``command``) of every step, at any depth
(Woodpecker's ``steps`` list or mapping, Drone's pipelines one per YAML document, Buildkite's
``group`` steps). sourcehut builds: each ``tasks`` entry is a task name and its script.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from steward.collect.cisteps import Context, StepScanner, located_line_at
from steward.collect.facts import Finding, Source, Workflow
from steward.collect.tree import Tree
from steward.collect.yamlpos import key_line, line_of, load_located
from steward.errors import InputError

__all__ = [
    "documents",
    "parse_buildkite",
    "parse_cirrus",
    "parse_drone",
    "parse_sourcehut",
    "parse_travis",
    "parse_woodpecker",
]

# a job's phases, in the order Travis runs them
TRAVIS_PHASES = ("before_install", "install", "before_script", "script", "before_cache",
                 "after_success", "after_failure", "after_script", "before_deploy",
                 "after_deploy")  # fmt: skip
# Travis addons that run static analysis on the build (docs.travis-ci.com/user/coverity-scan,
# /user/sonarcloud)
_TRAVIS_ANALYSIS_ADDONS = frozenset({"coverity_scan", "sonarcloud"})
_ENV_WORD = re.compile(r"""(\w+)=("[^"]*"|'[^']*'|\S*)""")


def _workflow(path: str, system: str, scan: StepScanner) -> Workflow:
    return scan.workflow(path, system)


def _commands(value: Any) -> Iterator[str]:
    """The commands of a phase: one string or a list of them."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and item.strip():
            yield item


def _travis_env(value: Any) -> dict[str, str]:
    """Variables of a Travis ``env:`` value: ``"A=1 B=2"`` strings, a list of them, or a
    mapping with ``global`` (those of ``jobs``/``matrix`` vary per job: the first is taken,
    so a command can still be read)."""
    out: dict[str, str] = {}
    entries: list[Any] = []
    if isinstance(value, dict):
        for key in ("global", "jobs", "matrix"):
            part = value.get(key)
            entries += part if isinstance(part, list) else [part]
    else:
        entries = value if isinstance(value, list) else [value]
    for entry in entries:
        if isinstance(entry, str):
            for m in _ENV_WORD.finditer(entry):
                out.setdefault(m.group(1), m.group(2).strip("\"'"))
        elif isinstance(entry, dict):  # {"FOO": "x"}; {"secure": "..."} holds nothing readable
            out.update({str(k): str(v) for k, v in entry.items()
                        if k != "secure" and isinstance(v, str | int | float)})  # fmt: skip
    return out


def _travis_default(language: str, tree: Tree | None) -> str | None:
    """Travis CI's default ``script`` for a language (its per-language documentation), None
    where Travis has none (python, generic, minimal, shell...)."""
    files = tree.files if tree is not None else {}
    if language in ("java", "jvm", "groovy", "kotlin"):
        if "build.gradle" in files or "build.gradle.kts" in files:
            return "./gradlew check" if "gradlew" in files else "gradle check"
        if "pom.xml" in files:
            return "mvn test -B"
        return "ant test"
    if language == "go":
        return "make" if "Makefile" in files else "go test -v ./..."
    if language in ("node_js", "node", "javascript"):
        return "yarn test" if "yarn.lock" in files else "npm test"
    return _TRAVIS_DEFAULT_SCRIPTS.get(language)


_TRAVIS_DEFAULT_SCRIPTS = {
    "ruby": "bundle exec rake", "rust": "cargo build --verbose && cargo test --verbose",
    "php": "phpunit", "c": "./configure && make && make test",
    "cpp": "./configure && make && make test", "elixir": "mix test",
    "scala": "sbt test", "clojure": "lein test", "d": "dub test", "haskell": "cabal test",
    "perl": "make test",
    "android": "./gradlew build connectedCheck",
}  # fmt: skip


def parse_travis(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse .travis.yml (see the module docstring): (Workflow, system "Travis CI")."""
    doc = load_located(text, source=path)
    if not isinstance(doc, dict):
        raise InputError("a Travis CI file must be a mapping", source=path)
    scan = StepScanner(tree)
    env = _travis_env(doc.get("env"))
    included: list[tuple[str, dict[Any, Any]]] = []
    for section in ("jobs", "matrix"):
        block = doc.get(section)
        include = block.get("include") if isinstance(block, dict) else None
        for i, job in enumerate(include if isinstance(include, list) else []):
            if isinstance(job, dict):
                included.append((str(job.get("name") or job.get("stage") or f"include {i + 1}"),
                                 job))  # fmt: skip
    for name, job in [("travis", doc), *included]:
        addons = job.get("addons")
        for addon in addons if isinstance(addons, dict) else {}:
            if str(addon) in _TRAVIS_ANALYSIS_ADDONS:
                where = Source(path=path, line=key_line(addons, str(addon), line_of(addons)))
                scan.add("sast", where, f"Travis CI addon {addon}")
        ctx = Context(job=name, env={**env, **_travis_env(job.get("env"))})
        for phase in TRAVIS_PHASES:
            for command in _commands(job.get(phase)):
                line_at = located_line_at(command, key_line(job, phase, line_of(job)))
                scan.script(command, path, line_at, ctx)
    if "script" in doc:  # every job without a script of its own runs this one
        return _workflow(path, "Travis CI", scan)
    # no script: a job runs its language's default script (an included job its own
    # language's, or the top-level one's)
    holders = [job for _, job in included if "script" not in job] or ([] if included else [doc])
    declarations = {id(h): h for h in (j if "language" in j else doc for j in holders)}
    for holder in declarations.values():  # one scan per language declaration
        ctx = Context(job="travis", env=env)
        _default_script(scan, path, holder, holder.get("language"), tree, ctx)
    return _workflow(path, "Travis CI", scan)


def _default_script(
    scan: StepScanner, path: str, holder: dict[Any, Any], language: Any, tree: Tree | None,
    ctx: Context,
) -> None:  # fmt: skip
    """Scan Travis's default script of ``language`` (ruby when none is given, as Travis
    does), found at the ``language:`` line (the file's first line without one)."""
    lang = str(language).strip().lower() if isinstance(language, str) else "ruby"
    script = _travis_default(lang, tree)
    if not script:
        return
    line = key_line(holder, "language", 1) or 1
    before = len(scan.found["tests"])
    scan.script(script, path, lambda _o: line, ctx)
    added = scan.found["tests"][before:]
    scan.found["tests"][before:] = [
        Finding(f.source, f"{f.detail} (Travis CI's default script for language: {lang})")
        for f in added
    ]


def _cirrus_scripts(node: Any, task: str) -> Iterator[tuple[str, str, Any, dict[Any, Any]]]:
    """(task, instruction, script, holder) for every ``*_script``/``script`` key at any
    depth; a nested ``*_task`` mapping names its own task."""
    if isinstance(node, dict):
        for key, value in node.items():
            name = str(key).split("#", 1)[0]
            if name == "script" or name.endswith("_script"):
                yield task, name, value, node
                continue
            inner = task
            if name == "task" or name.endswith(("_task", "_docker_builder", "_pipe")):
                given = value.get("name") if isinstance(value, dict) else None
                inner = str(given) if isinstance(given, str) else name
            yield from _cirrus_scripts(value, inner)
    elif isinstance(node, list):
        for item in node:
            yield from _cirrus_scripts(item, task)


# the top-level keys that are tasks (the others hold YAML anchors, global env, defaults)
_CIRRUS_TASK = re.compile(r"^(?:\w+_)?(?:task|docker_builder|pipe)$")


def _cirrus_env(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str | int | float)}


def parse_cirrus(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse .cirrus.yml (see the module docstring): (Workflow, system "Cirrus CI")."""
    doc = load_located(text, source=path, keep_repeated_keys=True)
    if not isinstance(doc, dict):
        raise InputError("a Cirrus CI file must be a mapping", source=path)
    scan = StepScanner(tree)
    env = _cirrus_env(doc.get("env"))
    tasks = {k: v for k, v in doc.items() if _CIRRUS_TASK.match(str(k).split("#", 1)[0])}
    for task, key, value, holder in _cirrus_scripts(tasks, "cirrus"):
        ctx = Context(job=task, env={**env, **_cirrus_env(holder.get("env"))})
        for command in _commands(value):
            line_at = located_line_at(command, key_line(holder, key, line_of(holder)))
            scan.script(command, path, line_at, ctx)
    return _workflow(path, "Cirrus CI", scan)


def documents(text: str, path: str) -> list[Any]:
    """The YAML documents of a file (Drone keeps one pipeline per ``---`` document), each
    parsed with its lines kept: a later document is preceded by as many blank lines as
    come before it in the file."""
    starts = [0] + [m.end() for m in re.finditer(r"^---[ \t]*(?:#[^\n]*)?$\n?", text, re.M)]
    ends = [m.start() for m in re.finditer(r"^---[ \t]*(?:#[^\n]*)?$", text, re.M)] + [len(text)]
    docs = []
    for start, end in zip(starts, ends, strict=False):
        part = text[start:end]
        if not part.strip():
            continue
        docs.append(load_located("\n" * text.count("\n", 0, start) + part, source=path))
    return docs


def _step_commands(node: Any, job: str) -> Iterator[tuple[str, Any, dict[Any, Any]]]:
    """(step name, commands, holder) of every ``commands``/``command`` value at any depth
    (Woodpecker and Drone steps, Buildkite command steps, nested groups)."""
    if isinstance(node, dict):
        name = node.get("name") or node.get("label") or node.get("key")
        inner = str(name) if isinstance(name, str) else job
        for key in ("commands", "command"):
            if key in node and isinstance(node[key], str | list):
                yield inner, node[key], node
        for key, value in node.items():
            if key not in ("commands", "command"):
                yield from _step_commands(value, str(key) if isinstance(value, dict) else inner)
    elif isinstance(node, list):
        for item in node:
            yield from _step_commands(item, job)


def _parse_steps(system: str, path: str, text: str, tree: Tree | None) -> Workflow:
    scan = StepScanner(tree)
    for doc in documents(text, path):
        if not isinstance(doc, dict):
            raise InputError(f"a {system} file must be a mapping", source=path)
        env = _cirrus_env(doc.get("environment") or doc.get("env"))
        for job, value, holder in _step_commands(doc, system):
            local = _cirrus_env(holder.get("environment") or holder.get("env"))
            ctx = Context(job=job, env={**env, **local})
            key = "commands" if "commands" in holder else "command"
            for command in _commands(value):
                line_at = located_line_at(command, key_line(holder, key, line_of(holder)))
                scan.script(command, path, line_at, ctx)
    return _workflow(path, system, scan)


def parse_woodpecker(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse a Woodpecker CI file (.woodpecker.yml or one of .woodpecker/*.yml): the
    ``commands`` of its ``steps`` (a list or a mapping; ``pipeline:`` in old files)."""
    return _parse_steps("Woodpecker", path, text, tree)


def parse_drone(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse .drone.yml: the ``commands`` of each pipeline's ``steps`` (one pipeline per
    YAML document)."""
    return _parse_steps("Drone", path, text, tree)


def parse_buildkite(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse a Buildkite pipeline (.buildkite/pipeline.yml...): the ``command``/``commands``
    of its command steps, also inside ``group`` steps."""
    return _parse_steps("Buildkite", path, text, tree)


def parse_sourcehut(path: str, text: str, *, tree: Tree | None = None) -> Workflow:
    """Parse a sourcehut build manifest (.build.yml or .builds/*.yml): each entry of
    ``tasks`` is a one-key mapping from the task's name to its shell script
    (https://man.sr.ht/builds.sr.ht/manifest.md)."""
    doc = load_located(text, source=path)
    if not isinstance(doc, dict):
        raise InputError("a sourcehut build manifest must be a mapping", source=path)
    scan = StepScanner(tree)
    env = _cirrus_env(doc.get("environment"))
    tasks = doc.get("tasks")
    for task in tasks if isinstance(tasks, list) else []:
        for name, script in task.items() if isinstance(task, dict) else ():
            if isinstance(script, str) and script.strip():
                line_at = located_line_at(script, key_line(task, str(name), line_of(task)))
                scan.script(script, path, line_at, Context(job=str(name), env=env))
    return _workflow(path, "sourcehut builds", scan)
