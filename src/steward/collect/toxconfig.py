"""tox configurations: the commands of each tox environment, wherever tox reads them.

tox 4 reads ``tox.ini``, ``tox.toml`` (native TOML: ``[env_run_base]`` for every environment,
``[env.NAME]`` for one) and ``pyproject.toml``'s ``[tool.tox]`` (the same TOML tables under
``tool.tox``, or a ``legacy_tox_ini`` string holding an ini file), in that order of
precedence (tox documentation, "Configuration" / "Discovery and file types"). An environment
without its own ``commands`` inherits the base environment's (``[testenv]`` /
``env_run_base``): that is how ``tox -e py312`` or ``tox -e 3.14`` runs the test suite
without a section of its own.

Each command is returned as a shell-like string with the line of its first word, so a step
that runs ``tox -e NAME`` can be judged by what the environment runs (``pytest`` or
``coverage combine``) and evidence can point at that line. TOML command items that are
``{ replace = "posargs", default = [...] }`` contribute their default words; other
substitutions are left out (they never decide whether a command is a test run). Parsing uses
``tomllib`` and a line scan for ini files (tox's own configparser dialect is not needed to
read section names and ``commands``).

``env_list`` is read too, generative names expanded (``3.1{0-3}-{tests,mypy}``), so that a
step selecting environments by factor (``tox run -f color``) is judged by the environments
that have the factor, not by every environment of the file.

An ini command line may be factor-conditional (tox documentation, "Factors and
factor-conditional settings"): ``tests: pytest``, ``ruff: ruff format .``, ``py38,py39: ...``
(either), ``py38-django: ...`` (both), ``!py38: ...`` (not). The condition is no part of the
command (hynek/argon2-cffi's ``ruff: ruff format`` was read as a program named ``ruff:``
that runs ruff, held-out-16a), and the line belongs only to the environments whose
dash-separated factors satisfy it (argon2-cffi's ``3.1x-mypy`` runs ``mypy typing_tests``,
not the ``tests: pytest`` of the same ``[testenv]``).
"""

from __future__ import annotations

import re
import shlex
import tomllib
from dataclasses import dataclass, field
from typing import Any

from steward.collect.metadata import line_in_table
from steward.collect.tree import Tree

Command = tuple[int, str]  # (1-based line, command)

_INI_SECTION = re.compile(r"^\[([^\]]+)\]\s*$")
_INI_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*[=:]\s*(.*)$")


@dataclass(frozen=True)
class ToxConfig:
    """Where tox's configuration is and each environment's commands."""

    path: str
    base: tuple[Command, ...] = ()
    # declared environments: their own commands, or None when they inherit the base's
    envs: dict[str, tuple[Command, ...] | None] = field(default_factory=dict)
    # the environments of ``env_list`` (``envlist``), generative names expanded
    env_list: tuple[str, ...] = ()
    # the factor condition of each factor-conditional ini command (``tests: pytest``)
    conditions: dict[Command, str] = field(default_factory=dict)

    def commands(self, name: str) -> list[Command]:
        """The commands ``tox -e name`` runs (an undeclared name is a factor environment
        such as ``py312`` and runs the base commands; a section with a generative name,
        ``[testenv:3.1{0,3}-tests{,-rich}]``, is the section of each name it expands to)."""
        own = self.envs.get(name)
        if name not in self.envs:
            own = next(
                (cmds for decl, cmds in self.envs.items() if name in expand_env_names(decl)),
                None,
            )
        listed = list(own) if own is not None else list(self.base)
        factors = set(name.split("-"))
        return [
            c for c in listed if c not in self.conditions or _holds(self.conditions[c], factors)
        ]

    def select(self, factors: list[str]) -> list[str] | None:
        """The environments ``tox run -f FACTORS`` runs: those of ``env_list`` or declared
        whose name has every factor (its dash-separated parts; tox documentation, "CLI
        interface": ``-f/--factors``). A word is split at its dashes (``-f py312-tests``), and
        a part that is an unresolved expression (``${{ matrix.python }}-tests``) matches any
        factor. None when no factor is known or no environment has them (cannot tell)."""
        known = {
            part
            for word in factors
            for part in word.split("-")
            if part and not re.search(r"[@${}]", part)
        }
        if not known:
            return None
        names = dict.fromkeys(
            [*self.env_list, *(n for decl in self.envs for n in expand_env_names(decl))]
        )
        chosen = [n for n in names if known <= set(n.split("-"))]
        return chosen or None

    def every_command(self) -> list[Command]:
        out = list(self.base)
        for own in self.envs.values():
            out += own or ()
        return out


def tox_config(tree: Tree) -> ToxConfig | None:
    """The tox configuration of the tree (None when there is none)."""
    if "tox.ini" in tree.files:
        return _from_ini("tox.ini", tree.read("tox.ini", limit=256 * 1024).text or "", 0)
    if "tox.toml" in tree.files:
        text = tree.read("tox.toml", limit=256 * 1024).text or ""
        return _from_toml("tox.toml", text, "")
    if "pyproject.toml" in tree.files:
        text = tree.read("pyproject.toml", limit=512 * 1024).text or ""
        if "[tool.tox" not in text and "tool.tox." not in text:
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        tox = data.get("tool", {}).get("tox")
        if not isinstance(tox, dict):
            return None
        legacy = tox.get("legacy_tox_ini")
        if isinstance(legacy, str):
            start = text.find(legacy.splitlines()[0]) if legacy.strip() else -1
            offset = text.count("\n", 0, start) if start >= 0 else 0
            return _from_ini("pyproject.toml", legacy, offset)
        return _from_toml("pyproject.toml", text, "tool.tox.")
    return None


_BRACES = re.compile(r"\{([^{}]*)\}")


def expand_env_names(spec: str) -> list[str]:
    """The environment names a generative name stands for (tox documentation, "Generative
    environment list"): ``py3{11,12}-{tests,lint}`` -> py311-tests, py311-lint, ...; a range
    ``3.1{0-3}`` -> 3.10 ... 3.13; an empty alternative drops the part (``tests{,-rich}``)."""
    m = _BRACES.search(spec)
    if m is None:
        name = spec.strip()
        return [name] if name else []
    inner = m.group(1)
    rng = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", inner)
    if rng and int(rng.group(2)) - int(rng.group(1)) < 100:
        options = [str(i) for i in range(int(rng.group(1)), int(rng.group(2)) + 1)]
    else:
        options = [o.strip() for o in inner.split(",")]
    out: list[str] = []
    for option in options:
        out += expand_env_names(spec[: m.start()] + option + spec[m.end() :])
    return out


def _split_env_list(value: str) -> list[str]:
    """``env_list`` entries: separated by commas or new lines outside braces."""
    entries: list[str] = []
    depth = 0
    current = ""
    for ch in value:
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and ch in ",\n":
            entries.append(current)
            current = ""
        else:
            current += ch
    entries.append(current)
    return [n for e in entries for n in expand_env_names(e.strip())]


# ``FACTORS: command``: a condition of factor names (``!`` not, ``-`` and, ``,`` or, braces
# generative) before a colon and a space; the first character is no ``-`` (a command whose
# exit code is ignored) and no path or URL (``C:\\``, ``https://``) has a space after its colon
_FACTOR_CONDITION = re.compile(r"^(!?[\w{][\w.{},!-]*):\s+(\S.*)$")


def _holds(condition: str, factors: set[str]) -> bool:
    """Whether an environment with ``factors`` satisfies a factor condition: any of its
    comma-separated alternatives (braces expanded) whose dash-joined factors it all has
    (``!name``: has not)."""
    for alternative in _split_env_list(condition):
        parts = [p for p in alternative.split("-") if p]
        if parts and all(
            (p[1:] not in factors) if p.startswith("!") else (p in factors) for p in parts
        ):
            return True
    return False


def _from_ini(path: str, text: str, offset: int) -> ToxConfig:
    sections: dict[str, list[Command]] = {}
    conditions: dict[Command, str] = {}
    declared: list[str] = []
    env_list: list[str] = []
    section = ""
    key = ""
    for lineno, raw in enumerate(text.splitlines(), start=1 + offset):
        if not raw.strip() or raw.lstrip().startswith(("#", ";")):
            continue
        m = _INI_SECTION.match(raw)
        if m:
            section, key = m.group(1).strip(), ""
            if section.startswith("testenv:"):
                declared.append(section.removeprefix("testenv:").strip())
            continue
        if raw[:1] in (" ", "\t"):
            value = raw.strip()
        else:
            km = _INI_KEY.match(raw)
            key = km.group(1).lower() if km else ""
            value = km.group(2).strip() if km else ""
        if key == "commands" and section.startswith("testenv") and value:
            conditional = _FACTOR_CONDITION.match(value)
            if conditional:
                value = conditional.group(2)
            command = (lineno, value.lstrip("-! ").rstrip("\\"))
            sections.setdefault(section, []).append(command)
            if conditional:
                conditions[command] = conditional.group(1)
        if key in ("env_list", "envlist") and section == "tox" and value:
            env_list.append(value)
    envs: dict[str, tuple[Command, ...] | None] = {}
    for name in declared:
        own = sections.get(f"testenv:{name}")
        envs[name] = tuple(own) if own is not None else None
    names = _split_env_list("\n".join(env_list))
    return ToxConfig(path, tuple(sections.get("testenv", [])), envs, tuple(names), conditions)


def _from_toml(path: str, text: str, prefix: str) -> ToxConfig | None:
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    for part in prefix.strip(".").split(".") if prefix else ():
        data = data.get(part) if isinstance(data, dict) else None
    if not isinstance(data, dict):
        return None
    lines = text.splitlines()

    def commands_of(table: str, value: Any) -> tuple[Command, ...] | None:
        env = value if isinstance(value, dict) else {}
        listed = env.get("commands")
        if not isinstance(listed, list):
            return None
        start = line_in_table(text, prefix + table, "commands") or 1
        out: list[Command] = []
        for words in _commands(listed):
            out.append((_line_of_word(lines, start, words[0]), shlex.join(words)))
        return tuple(out)

    base = commands_of("env_run_base", data.get("env_run_base")) or ()
    envs_table = data.get("env")
    envs: dict[str, tuple[Command, ...] | None] = {}
    for name, value in envs_table.items() if isinstance(envs_table, dict) else ():
        envs[str(name)] = commands_of(f'env."{name}"', value)
    listed = data.get("env_list")
    names = [n for n in listed if isinstance(n, str)] if isinstance(listed, list) else []
    return ToxConfig(path, base, envs, tuple(names))


def _commands(listed: list[Any]) -> list[list[str]]:
    """Commands of a TOML ``commands`` list: each a list of words; a command-level
    ``{ replace = "posargs", default = [[...], ...] }`` holds commands of its own."""
    out: list[list[str]] = []
    for item in listed:
        if isinstance(item, list):
            words = _words(item)
            if words:
                out.append(words)
        elif isinstance(item, dict) and isinstance(item.get("default"), list):
            out += _commands([d for d in item["default"] if isinstance(d, list)])
    return out


def _words(items: list[Any]) -> list[str]:
    words: list[str] = []
    for item in items:
        if isinstance(item, str):
            words.append(item)
        elif isinstance(item, dict) and item.get("replace") == "posargs":
            default = item.get("default")
            words += [d for d in default if isinstance(d, str)] if isinstance(default, list) else []
    return words


def _line_of_word(lines: list[str], start: int, word: str) -> int:
    """The first line from ``start`` holding ``word`` as a quoted TOML string."""
    quoted = (f'"{word}"', f"'{word}'")
    for i in range(start - 1, min(len(lines), start + 200)):
        if any(q in lines[i] for q in quoted):
            return i + 1
    return start
