"""Terminal output shared by every command: consoles, quiet mode, progress bars, emitting results.

Neither console interprets rich markup or emoji codes (``:x:``): what they print (file names,
package names, answers, messages quoting input) is untrusted text, and ``[/]`` in it must not
raise a MarkupError or restyle the output. Code that wants styling passes ``rich.text.Text``
or escapes the text.

Results go to stdout (or ``--output FILE``, written atomically); messages and progress go to
stderr so that ``steward ... --format json | jq`` always works. ``NO_COLOR`` is honoured by
rich itself; ``--quiet`` silences messages and progress but never results or errors.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rich loads on the first output: `steward --help` does without it
    from rich.console import Console
    from rich.progress import Progress

_quiet = False
_stdout: Console | None = None
_stderr: Console | None = None


def set_quiet(quiet: bool) -> None:
    """Silence informational messages and progress bars (results are still written)."""
    global _quiet
    _quiet = quiet


def is_quiet() -> bool:
    return _quiet


def _no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


def out() -> Console:
    """The console for results (stdout)."""
    global _stdout
    if _stdout is None or _stdout.file is not sys.stdout:
        from rich.console import Console

        _stdout = Console(
            file=sys.stdout,
            no_color=_no_color(),
            highlight=False,
            soft_wrap=False,
            markup=False,
            emoji=False,
        )
    return _stdout


def err() -> Console:
    """The console for messages, warnings and errors (stderr)."""
    global _stderr
    if _stderr is None or _stderr.file is not sys.stderr:
        from rich.console import Console

        _stderr = Console(
            file=sys.stderr,
            no_color=_no_color(),
            highlight=False,
            soft_wrap=True,
            markup=False,
            emoji=False,
        )
    return _stderr


def info(message: str) -> None:
    """An informational line on stderr, unless quiet.

    A line of printable ASCII is written directly while nothing has used the rich console
    yet: rich writes such a line unchanged (tests compare the two on terminals and files),
    and a command that only reports one line (``case event`` ...) then starts without
    importing rich (start-up time, ``bench/startup.py``). Anything else goes through rich.
    """
    if _quiet:
        return
    if _stderr is None and message.isascii() and message.isprintable():
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
        return
    err().print(message)


def warn(message: str) -> None:
    """A warning on stderr (shown even when quiet: warnings are about the result)."""
    from rich.markup import escape

    err().print(f"[yellow]warning:[/yellow] {escape(message)}", markup=True)


def emit(result: str | bytes, output: Path | None) -> None:
    """Write a command's result to ``output`` or to stdout (``None`` or ``-``).

    The rules of :mod:`steward.safeio`: a regular file is replaced atomically, a device or
    FIFO written straight to, a directory refused (exit 2); a full disk is exit 2 naming it.
    """
    data = result.encode("utf-8") if isinstance(result, str) else result
    if output is None or str(output) == "-":
        try:
            sys.stdout.buffer.write(data)
            if data and not data.endswith(b"\n"):
                sys.stdout.buffer.write(b"\n")
            sys.stdout.flush()
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            from steward.errors import InputError

            raise InputError(
                f"cannot write: {exc.strerror or exc}", source="standard output"
            ) from None
        return
    from steward.safeio import output_writer  # here: it imports PyYAML

    with output_writer(output) as fh:
        fh.write(data)
    info(f"wrote {output}")  # err() prints no markup: the name is shown as it is


def emit_table(renderable: Any, output: Path | None) -> None:
    """Print a rich table (or other renderable) to stdout, or plain text to ``output``."""
    if output is None or str(output) == "-":
        out().print(renderable)
        return
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=160, no_color=True, color_system=None).print(renderable)
    emit(buffer.getvalue(), output)


@contextlib.contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Progress]:
    """A rich progress bar on stderr; invisible when quiet or when stderr is not a terminal.

    Usage::

        with progress("Parsing lockfiles", total=len(files)) as bar:
            task = bar.tasks[0].id
            for f in files:
                ...
                bar.advance(task)
    """
    from rich.progress import (  # here: most commands never show a bar
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    console = err()
    disable = _quiet or not console.is_terminal
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", style="progress.description", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=disable,
        transient=True,
    )
    with bar:
        bar.add_task(description, total=total)
        yield bar
