"""What a bare ``rake`` runs: the Rakefile's ``default`` task and what it depends on.

Shapes: :func:`default_runs_tests` takes a Rakefile's text (plus any ``rakelib/*.rake``
texts) and returns a :class:`RakeDefault` (``verdict`` "test", "no" or "unknown", the 1-based
line of the ``default`` declaration, and a short reason).

Rake's own rules (https://ruby.github.io/rake/doc/rakefile_rdoc.html): ``rake`` without task
names runs ``default``; ``task default: :test`` / ``task :default => [:spec, :lint]`` declare
prerequisites, and declaring a task again adds to them; ``Rake::TestTask.new`` defines
``test`` (or the name given), ``RSpec::Core::RakeTask.new`` ``spec``, and both run tests. A
Rakefile is Ruby, so this reads only those declarations with patterns (evaluating the file is
out of the question for an untrusted checkout): a task whose body is a block we do not read
makes the answer "unknown", never a guessed "no".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from steward.collect import commands as cmds

#: ``task default: ...``, ``task :default => ...``, ``task "default" => ...``, ``task(ci: ...)``
_TASK = re.compile(
    r"""^[ \t]*task[ \t(]+(?::(?P<sym>[\w:]+)[ \t]*=>|(?P<key>[\w]+):(?![:])"""
    r"""|["'](?P<str>[\w:]+)["'][ \t]*=>)"""
    r"""[ \t]*(?P<deps>[^\n#]*)""",
    re.MULTILINE,
)
#: ``task :name do`` / ``task "name" do`` / ``task(:name) { ... }``: a body of its own
_TASK_BLOCK = re.compile(
    r"""^[ \t]*task[ \t(]+(?::(?P<sym>[\w:]+)|["'](?P<str>[\w:]+)["'])[ \t)]*(?:do\b|\{)""",
    re.MULTILINE,
)
#: tasks that run tests by their class: Rake::TestTask, RSpec's, Minitest's, Cucumber's
_TEST_TASK = re.compile(
    r"""(?:Rake::TestTask|RSpec::Core::RakeTask|Minitest::TestTask|Cucumber::Rake::Task)"""
    r"""\.(?:new|create)\b[ \t(]*(?::(?P<sym>[\w:]+)|["'](?P<str>[\w:]+)["'])?""",
)
_DEFAULT_TEST_TASK = {"Rake": "test", "RSpec": "spec", "Minitest": "test", "Cucumber": "cucumber"}
_NAME = re.compile(r""":([\w:]+)|["']([\w:]+)["']|\b(\w[\w:]*)\b""")


@dataclass(frozen=True, slots=True)
class RakeDefault:
    """What ``rake`` with no task names runs: ``verdict`` "test" / "no" / "unknown"."""

    verdict: str
    line: int | None
    reason: str


def _deps(text: str) -> list[str]:
    """Task names in a prerequisite list: ``:test``, ``[:spec, :lint]``, ``%w[test lint]``,
    ``%i(test lint)``, ``"test"``."""
    text = text.strip().rstrip(")").strip()
    if text.endswith(("do", "{")):
        text = re.sub(r"(?:\bdo|\{)\s*(?:\|[^|]*\|)?\s*$", "", text)
    words = re.match(r"%[wiWI][\[({<](?P<w>[^\])}>]*)[\])}>]", text)
    if words:
        return words.group("w").split()
    return [next(g for g in m.groups() if g) for m in _NAME.finditer(text.strip("[]"))]


def _is_test_name(name: str) -> bool:
    last = name.rsplit(":", 1)[-1]
    return cmds.is_test_target(name) or last in ("spec", "specs", "test", "tests", "features")


def default_runs_tests(texts: list[tuple[str, str]]) -> RakeDefault:
    """Whether ``rake`` (the ``default`` task) runs tests, from ``texts`` = [(path, Rakefile
    text), ...] (the Rakefile first, then ``rakelib/*.rake``). Follows prerequisites through
    the declared tasks (bounded, cycles ignored)."""
    prereqs: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    blocks: set[str] = set()
    tests: set[str] = set()
    for _path, text in texts:
        for m in _TASK.finditer(text):
            name = m.group("sym") or m.group("key") or m.group("str") or ""
            prereqs.setdefault(name, []).extend(_deps(m.group("deps")))
            lines.setdefault(name, text.count("\n", 0, m.start()) + 1)
            if re.search(r"(?:\bdo|\{)\s*(?:\|[^|]*\|)?\s*$", m.group("deps")):
                blocks.add(name)
        for m in _TASK_BLOCK.finditer(text):
            blocks.add(m.group("sym") or m.group("str") or "")
        for m in _TEST_TASK.finditer(text):
            named = m.group("sym") or m.group("str")
            tests.add(named or _DEFAULT_TEST_TASK[m.group(0).split(":", 1)[0]])
    if "default" not in prereqs and "default" not in blocks:
        return RakeDefault("unknown", None, "no default task declared in the Rakefile")
    line = lines.get("default")
    seen: set[str] = set()
    todo = ["default"]
    opaque = False
    while todo and len(seen) < 200:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in tests or (name != "default" and _is_test_name(name)):
            return RakeDefault("test", line, f"rake (default) runs {name}")
        if name in blocks:
            opaque = True
        todo.extend(prereqs.get(name, []))
    if opaque:
        return RakeDefault("unknown", line, "the default task runs Ruby code that is not read")
    return RakeDefault("no", line, "the default task runs no test task")
