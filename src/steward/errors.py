"""Errors every part of Steward raises, and the CLI exit code each maps to.

Exit codes follow ARCHITECTURE.md: 0 success, 1 findings at or above the failure threshold,
2 usage or input error, 3 internal error. An error's ``str()`` is the one line the user sees,
so it must name the file (and line, where known) and the problem.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


class StewardError(Exception):
    """Base of every error Steward raises on purpose."""

    exit_code: int = EXIT_INTERNAL


class InputError(StewardError):
    """Bad input from the user: an unreadable, malformed or hostile file, a bad argument.

    ``source`` names where the problem is (a path, a URL or an argument name) and ``line``
    the 1-based line, when known; both go into the message.
    """

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, source: str | Path | None = None, line: int | None = None):
        self.message = message
        self.source = str(source) if source is not None else None
        self.line = line
        super().__init__(self._render())

    def _render(self) -> str:
        if self.source is None:
            return self.message
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


class UsageError(InputError):
    """A command-line argument or option that cannot be used as given."""


class UnsafeInputError(InputError):
    """Input refused because it is hostile or exceeds a safety limit (zip bomb, traversal, ...)."""


class NotFoundError(InputError):
    """Something the user named does not exist (a requirement id, a case, a file)."""


class ConflictError(StewardError):
    """A request that contradicts stored state (an invalid state transition, a duplicate)."""

    exit_code = EXIT_INPUT
