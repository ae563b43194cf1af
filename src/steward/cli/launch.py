"""The ``steward`` entry point: `steward sbom PATH ...` straight to its work, all else via typer.

Loading the CLI framework (typer, its vendored click) costs about 0.1 CPU s, a third of a
whole `steward sbom` run on a 1,000-package lockfile and more than reading it. So the plain
forms of `steward [-q] [--no-color] sbom [generate] [OPTIONS] [PATH]` are read here, by a
small reader of exactly the options that command declares (:mod:`steward.cli.sbom`), and
handed to :func:`steward.cli.sbom_generate.generate`, the function the typer command calls
too. Anything else — ``--help``, ``--version``, another command, an unknown or repeated
option, a value that is not one of the choices, ``--``, a value starting with ``-``, an
unreadable path — goes to the typer application unchanged, so usage errors and help keep
typer's wording and exit codes. tests/cli/test_launch.py runs both ways on the same
arguments and compares outputs and exit codes.

Hand-written instead of argparse or click because those are what costs the time (argparse
is cheaper than click, but would still differ from click in what it accepts).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: the generate command's value options: option strings → keyword of ``generate``
_VALUE_OPTIONS = {
    "--format": "output_format",
    "-f": "output_format",
    "--output": "output",
    "-o": "output",
    "--upload": "upload",
    "--name": "name",
    "--project-version": "version",
    "--creator-email": "creator_email",
    "--creator-url": "creator_url",
    "--creator-name": "creator_name",
    "--parser": "parser",
    "--security-txt": "security_txt",
    "--spec-version": "spec_version",
}
#: its flags
_FLAGS = {
    "--split": "split",
    "--include-vendored": "include_vendored",
    "--exclude-dev": "exclude_dev",
    "--include-tests": "include_tests",
    "--allow-outside": "allow_outside",
}
#: the root group's options this reader accepts (before the command name)
_ROOT_FLAGS = {"--quiet": "quiet", "-q": "quiet", "--no-color": "no_color"}
_PATHS = ("path", "output")


def _readable(value: str) -> bool:
    """What typer's path conversion accepts without a word: no NUL, and an existing path
    readable (typer refuses an unreadable one with its own message)."""
    if not value or "\0" in value:
        return False
    try:
        return not Path(value).exists() or os.access(value, os.R_OK)
    except (OSError, ValueError):  # a name too long ...: typer's conversion says what
        return False


def parse_sbom_args(argv: list[str]) -> tuple[dict[str, bool], dict[str, Any]] | None:
    """(root flags, keyword arguments of ``generate``) for a plain `steward sbom` command
    line, or None when the typer application should read it."""
    root: dict[str, bool] = {}
    index = 0
    while index < len(argv) and argv[index] in _ROOT_FLAGS:
        root[_ROOT_FLAGS[argv[index]]] = True
        index += 1
    if argv[index : index + 1] != ["sbom"]:
        return None
    index += 1
    if argv[index : index + 1] == ["generate"]:
        index += 1
    kwargs: dict[str, Any] = {}
    positional: list[str] = []
    rest = argv[index:]
    if rest[:1] in (["check"], ["generate"]):
        return None
    position = 0
    while position < len(rest):
        token = rest[position]
        position += 1
        if token in _FLAGS:
            if _FLAGS[token] in kwargs:
                return None
            kwargs[_FLAGS[token]] = True
            continue
        option, equals, value = token.partition("=")
        if not equals:
            option = token
        if option in _VALUE_OPTIONS:
            if equals and not option.startswith("--"):
                return None  # -o=x: click reads "=x" as the value; leave it to click
            key = _VALUE_OPTIONS[option]
            if key in kwargs:
                return None
            if not equals:
                if position >= len(rest):
                    return None
                value = rest[position]
                position += 1
            if value.startswith("-") and not (key == "output" and value == "-"):
                return None
            if not value:
                return None
            kwargs[key] = value
            continue
        if token.startswith("-"):
            return None  # --help, --, an unknown option, grouped short options ...
        positional.append(token)
    if len(positional) > 1:
        return None
    if positional:
        kwargs["path"] = positional[0]
    return _converted(root, kwargs)


def _converted(
    root: dict[str, bool], kwargs: dict[str, Any]
) -> tuple[dict[str, bool], dict[str, Any]] | None:
    from steward.cli.sbom_generate import CycloneDXVersion, SbomFormat

    for key in _PATHS:
        if key in kwargs:
            if not _readable(kwargs[key]):
                return None
            kwargs[key] = Path(kwargs[key])
    choices: list[tuple[str, Any]] = [
        ("output_format", SbomFormat),
        ("spec_version", CycloneDXVersion),
    ]
    for key, enum in choices:
        if key in kwargs:
            if kwargs[key] not in {member.value for member in enum}:
                return None
            kwargs[key] = enum(kwargs[key])
    return root, kwargs


class Terminated(KeyboardInterrupt):
    """SIGTERM (or SIGHUP), raised like Ctrl-C so every ``finally`` and temp-file cleanup runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _install_signal_handlers() -> dict[int, Any]:
    """Turn SIGTERM and SIGHUP into :class:`Terminated` (only where nobody else handles them,
    and only in the main thread): an interrupted write leaves the old file or the new one,
    never half of one, and no temporary file behind."""
    import signal

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) in (signal.SIG_DFL, None):
            try:
                previous[signum] = signal.signal(signum, _on_terminate)
            except ValueError:  # not the main thread: handlers are the main thread's to set
                break
    return previous


def _interruption(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or :class:`Terminated` a framework turned into ``exc`` (an exit), if any:
    found along the exception's causes and contexts."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return current
        seen.add(id(current))
        if current.__cause__ is None and current.__suppress_context__:
            return None  # ``raise ... from None``: the command chose its exit itself
        current = current.__cause__ or current.__context__
    return None


def run_guarded(call: Callable[[], object]) -> None:
    """Run a command and exit with the documented exit codes; never a traceback.

    Ctrl-C exits 130, SIGTERM 143 (SIGHUP 129), after cleaning up like any other
    interruption; a :class:`~steward.errors.StewardError` is one line and its exit code.
    """
    from steward.errors import EXIT_INTERNAL, StewardError

    previous = _install_signal_handlers()
    try:
        call()
    except Terminated as exc:
        _err("steward: terminated")
        sys.exit(128 + exc.signum)
    except KeyboardInterrupt:
        _err("steward: interrupted")
        sys.exit(130)
    except StewardError as exc:
        _err(f"steward: error: {exc}")
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except SystemExit as exc:
        interrupt = _interruption(exc)
        if interrupt is None:
            raise
        # typer (0.2x) turns Ctrl-C and our SIGTERM into a silent exit 130 of its own
        if isinstance(interrupt, Terminated):
            _err("steward: terminated")
            sys.exit(128 + interrupt.signum)
        _err("steward: interrupted")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("STEWARD_DEBUG"):
            import traceback

            traceback.print_exc()
        _err(
            f"steward: internal error: {type(exc).__name__}: {exc} "
            "(please report it with the command you ran; STEWARD_DEBUG=1 shows the traceback)"
        )
        sys.exit(EXIT_INTERNAL)
    finally:
        import signal

        for signum, handler in previous.items():  # in-process callers (tests) get theirs back
            signal.signal(signum, handler)
    sys.exit(0)


def _err(message: str) -> None:
    from steward.cli.console import err

    err().print(message, markup=False)


def run_fast(argv: list[str]) -> None:
    """Run a plain `steward sbom` command line here and exit; return when typer should."""
    parsed = parse_sbom_args(argv)
    if parsed is None:
        return
    root, kwargs = parsed
    from steward.cli.console import set_quiet
    from steward.cli.sbom_generate import generate

    set_quiet(root.get("quiet", False))
    if root.get("no_color"):
        os.environ["NO_COLOR"] = "1"
    run_guarded(lambda: generate(**kwargs))


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``steward``, ``python -m steward``)."""
    from steward.interrupts import command_line_process

    command_line_process()
    run_fast(sys.argv[1:] if argv is None else list(argv))
    from steward.cli.app import main as typer_main

    typer_main(argv)
