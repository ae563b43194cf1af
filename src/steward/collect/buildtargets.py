"""What a build tool run without a target (or with one of the build's own targets) runs.

CI often runs the bare tool (``gradle``, ``ant``, ``task``, ``make``) and lets the build
file choose; whether that runs the tests is in the build file. Each reader below takes the
build file's text and answers with the target's name, its 1-based line, and either a verdict
or what to scan next (shapes in each function). The rules are the tools' own:

- Gradle (https://docs.gradle.org/current/userguide/command_line_interface.html): without
  task names Gradle runs the project's ``defaultTasks`` (Groovy ``defaultTasks 'clean',
  'build'``, Kotlin ``defaultTasks("clean", "build")``), else ``help``, which runs nothing.
- Ant (https://ant.apache.org/manual/using.html): without targets Ant runs the ``default``
  attribute of ``<project>``; a target runs the targets of its ``depends`` first; a target
  runs tests when its name is a test target (``test``, ``check``...) or its body has a
  ``<junit>``, ``<junitlauncher>``, ``<testng>`` task or an ``<antcall>`` of a test target.
  Without a default, Ant 1.6+ runs no target.
- Task (go-task, https://taskfile.dev/usage/): ``task`` runs the task named ``default``;
  a task's ``deps`` and ``cmds`` entries ``task: NAME`` run other tasks, its other ``cmds``
  are shell commands (scanned by the caller). No ``default`` task: nothing runs.
- make (GNU make manual, "How make Reads a Makefile"): the first target, not one starting
  with ``.`` nor a pattern rule, unless ``.DEFAULT_GOAL`` names another.

Written here rather than by evaluating the builds: running a checkout's build files is out of
the question for an untrusted repository, and no library reads these declarations statically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from steward.collect import commands as cmds
from steward.collect.shell import line_of_offset
from steward.collect.yamlpos import key_line, line_of, load_located
from steward.errors import InputError
from steward.safeio import parse_xml

__all__ = [
    "TargetRun",
    "ant_target",
    "gradle_default_tasks",
    "make_default_goal",
    "taskfile_target",
]


@dataclass(frozen=True, slots=True)
class TargetRun:
    """What running one target does: ``verdict`` "test" (it runs tests), "no" (it runs
    none), "scan" (its ``commands`` decide) or "unknown"; ``line`` of its declaration (None
    when not declared); ``reason`` for the evidence; ``commands``: (line, shell command)
    pairs the caller scans like CI steps."""

    verdict: str
    line: int | None
    reason: str
    commands: list[tuple[int, str]] = field(default_factory=list)


# defaultTasks 'clean', 'build' / defaultTasks("clean", "build") / defaultTasks = listOf(...)
_GRADLE_DEFAULT = re.compile(
    r"^[ \t]*(?:project\.)?defaultTasks\b[ \t]*(?:=[ \t]*(?:listOf|mutableListOf)?)?[ \t(\[]*"
    r"(?P<names>(?:[\"'][\w:.-]+[\"'][ \t,]*)+)",
    re.M,
)


def gradle_default_tasks(text: str) -> tuple[list[str], int] | None:
    """The ``defaultTasks`` of a build.gradle(.kts) text and the line declaring them; None
    when none are declared (Gradle then runs ``help``)."""
    m = _GRADLE_DEFAULT.search(text)
    if m is None:
        return None
    names = re.findall(r"[\"']([\w:.-]+)[\"']", m.group("names"))
    return names, line_of_offset(text, m.start())


_ANT_TEST_TASKS = frozenset({"junit", "junitlauncher", "testng", "jacoco:coverage", "batchtest"})


def _ant_tag(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def ant_target(text: str, target: str, *, source: str) -> TargetRun:
    """Whether ``ant [target]`` runs tests, from build.xml ``text`` ("" = the project's
    default target). Follows ``depends`` through the file's targets (bounded, cycles
    ignored); an XML file that cannot be parsed is "unknown"."""
    try:
        root = parse_xml(text, source=source)
    except (InputError, ValueError) as exc:
        return TargetRun("unknown", None, f"{source} not read: {exc}")
    if _ant_tag(root.tag) != "project":
        return TargetRun("unknown", None, f"{source} has no <project>")
    name = target or str(root.get("default") or "").strip()
    if not name:
        return TargetRun("no", None, "the project declares no default target")
    targets = {str(t.get("name")): t for t in root if _ant_tag(t.tag) == "target" and t.get("name")}
    line = _xml_line(text, name)
    todo: list[str] = [name]
    seen: set[str] = set()
    while todo and len(seen) < 200:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if cmds.is_test_target(current):
            return TargetRun("test", line, f"ant {target or '(default)'} runs {current}")
        element = targets.get(current)
        if element is None:
            continue
        for inner in element.iter():
            tag = _ant_tag(inner.tag)
            if tag in _ANT_TEST_TASKS:
                what = f"ant {target or '(default)'} runs <{tag}> in target {current}"
                return TargetRun("test", line, what)
            if tag == "antcall" and inner.get("target"):
                todo.append(str(inner.get("target")))
        todo += [d.strip() for d in str(element.get("depends") or "").split(",") if d.strip()]
    if name not in targets:
        return TargetRun("unknown", line, f"target {name} not found in {source}")
    return TargetRun("no", line, f"ant {target or '(default)'} runs no test target")


def _xml_line(text: str, name: str) -> int | None:
    m = re.search(r"<target\b[^>]*\bname\s*=\s*[\"']" + re.escape(name) + r"[\"']", text)
    return line_of_offset(text, m.start()) if m else None


def _task_calls(value: Any) -> list[str]:
    """Task names a ``deps`` list or ``cmds`` list calls (``- task: test``, ``- test``)."""
    out: list[str] = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and isinstance(item.get("task"), str):
            out.append(str(item["task"]))
    return out


def taskfile_target(text: str, target: str, *, source: str) -> TargetRun:
    """Whether ``task [target]`` runs tests, from a Taskfile.yml ``text`` ("" = the
    ``default`` task): a called task (``deps``, ``cmds: - task: x``) that is a test target
    by name decides "test"; otherwise the shell ``cmds`` of the task and of the tasks it
    calls are returned to scan ("scan"). A Taskfile that is not YAML is "unknown"."""
    try:
        doc = load_located(text, source=source)
    except InputError as exc:
        return TargetRun("unknown", None, f"{source} not read: {exc.message}")
    tasks = doc.get("tasks") if isinstance(doc, dict) else None
    if not isinstance(tasks, dict):
        return TargetRun("unknown", None, f"{source} has no tasks")
    name = target or "default"
    if name not in tasks:
        if not target:  # task without a default task: an error, nothing runs
            return TargetRun("no", None, f"{source} has no default task")
        return TargetRun("unknown", None, f"task {name} not found in {source}")
    line = key_line(tasks, name)
    shown = f"task {target or '(default)'}"
    commands: list[tuple[int, str]] = []
    todo: list[str] = [name]
    seen: set[str] = set()
    while todo and len(seen) < 50:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if current != name and cmds.is_test_target(current):
            return TargetRun("test", line, f"{shown} runs task {current}")
        spec = tasks.get(current)
        if isinstance(spec, str | list):  # shorthand: the task is its commands
            spec = {"cmds": spec if isinstance(spec, list) else [spec]}
        if not isinstance(spec, dict):
            continue
        todo += [d for d in spec.get("deps") or [] if isinstance(d, str)]
        todo += _task_calls(spec.get("deps")) + _task_calls(spec.get("cmds"))
        for item in spec.get("cmds") or []:
            command = item.get("cmd") if isinstance(item, dict) else item
            if isinstance(command, str) and command.strip():
                commands.append((line_of(command, line) or 1, command))
    return TargetRun("scan", line, shown, commands)


_DEFAULT_GOAL = re.compile(r"^[ \t]*\.DEFAULT_GOAL[ \t]*(?::{1,3}|\?)?=[ \t]*([^\s#]+)", re.M)


def make_default_goal(text: str) -> str | None:
    """The goal a makefile's ``.DEFAULT_GOAL`` names (the last assignment wins, as make
    reads the file top to bottom); None when unset (make then runs the first target)."""
    found = _DEFAULT_GOAL.findall(text)
    return found[-1] if found else None
