"""``add_custom_target`` definitions of a CMake project: what ``cmake --build . --target NAME``
runs when NAME is not one of CMake's own targets.

CMake's built-in ``test`` target (``RUN_TESTS`` with the Visual Studio and Xcode generators)
runs ctest; any other target is the project's. ``add_custom_target(tests)`` followed by
``add_dependencies(tests ...)`` only builds the test programs, while
``add_custom_target(check COMMAND ${CMAKE_CTEST_COMMAND} ...)`` runs them. This module
finds the definitions and their commands; the caller judges the commands
(``steward.collect.commands``).

Written here rather than with a CMake parser package: only one command form is needed
(``add_custom_target``), its arguments split as CMake splits them (whitespace, double
quotes, nested parentheses, ``#`` comments), with the line where the definition starts.
Nothing is evaluated; variables stay as written (``${CMAKE_CTEST_COMMAND}``).

Reference: https://cmake.org/cmake/help/latest/command/add_custom_target.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CustomTarget", "built_target", "custom_targets"]

_START = re.compile(r"\badd_custom_target\s*\(", re.I)
# a program or library the build makes: ``cmake --build . --target NAME`` only builds it
_BUILT = re.compile(r"\badd_(?:executable|library)\s*\(\s*([^\s()\"#]+)", re.I)
# the keywords that end a command's arguments
_KEYWORDS = frozenset({
    "ALL", "COMMAND", "DEPENDS", "BYPRODUCTS", "WORKING_DIRECTORY", "COMMENT", "JOB_POOL",
    "JOB_SERVER_AWARE", "VERBATIM", "USES_TERMINAL", "COMMAND_EXPAND_LISTS", "SOURCES",
})  # fmt: skip
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\[(=*)\[.*?\]\1\]|[^\s()"#]+|#[^\n]*|[()]', re.S)
MAX_CALL = 64 * 1024  # characters of one call read at most


@dataclass(frozen=True, slots=True)
class CustomTarget:
    """One ``add_custom_target`` call: its target ``name``, where it is (``path``, 1-based
    ``line``) and its ``commands`` (each a list of words, quotes removed)."""

    name: str
    path: str
    line: int
    commands: tuple[tuple[str, ...], ...]


def _arguments(text: str, start: int) -> list[str] | None:
    """The words of the call whose ``(`` ends at ``start``; None if it is not closed."""
    depth = 1
    words: list[str] = []
    for m in _TOKEN.finditer(text, start, min(len(text), start + MAX_CALL)):
        piece = m.group(0)
        if piece.startswith("#"):
            continue
        if piece == "(":
            depth += 1
        elif piece == ")":
            depth -= 1
            if depth == 0:
                return words
        elif piece.startswith('"'):
            words.append(piece[1:-1])
        elif piece.startswith("["):
            words.append(piece[len(m.group(1)) + 2 : -(len(m.group(1)) + 2)])
        else:
            words.append(piece)
    return None


def _commands(words: list[str]) -> tuple[tuple[str, ...], ...]:
    """The commands of ``add_custom_target(NAME [ALL] [cmd args...] [COMMAND cmd args...]
    ...)``: the first may come without the COMMAND keyword."""
    commands: list[tuple[str, ...]] = []
    current: list[str] | None = []
    for word in words[1:]:
        if word == "COMMAND":
            if current:
                commands.append(tuple(current))
            current = []
        elif word in _KEYWORDS:
            if current:
                commands.append(tuple(current))
            current = None  # the keyword's values follow, not a command
        elif current is not None:
            current.append(word)
    if current:
        commands.append(tuple(current))
    return tuple(commands)


def custom_targets(files: list[tuple[str, str]], name: str) -> list[CustomTarget]:
    """Every ``add_custom_target(name ...)`` in ``files`` (pairs of path and text), in
    order; a target defined in two branches of an ``if()`` is listed twice."""
    found: list[CustomTarget] = []
    for path, text in files:
        for m in _START.finditer(text):
            words = _arguments(text, m.end())
            if not words or words[0] != name:
                continue
            line = text.count("\n", 0, m.start()) + 1
            found.append(CustomTarget(name, path, line, _commands(words)))
    return found


def built_target(files: list[tuple[str, str]], name: str) -> str | None:
    """``path:line`` of the first ``add_executable(name ...)`` or ``add_library(name ...)`` in
    ``files``: a target that builds a program or library (a test program too, such as
    apache/datasketches-cpp's ``hardening_test``, held-out-15g), whose build runs nothing;
    None when the files define no such target.

    Reference: https://cmake.org/cmake/help/latest/command/add_executable.html"""
    for path, text in files:
        for m in _BUILT.finditer(text):
            if m.group(1) == name:
                return f"{path}:{text.count(chr(10), 0, m.start()) + 1}"
    return None
