"""Interrupting signals (SIGINT, SIGTERM, SIGHUP) around the moments that change state.

A command-line run turns SIGTERM/SIGHUP into an exception like Ctrl-C (``steward.cli.launch``)
so that every cleanup runs and an interrupted write leaves the old state. Two windows need the
signals held: creating a temporary file and registering it for cleanup (a signal in between
would leave it behind), and the commit itself (a rename over the output, a database commit):
a signal landing just after it would make the command exit 130/143, which promises that the
old state stays, although the change was complete. :func:`commit_point` holds them across the
commit and, in a command-line process, until the next change begins or the process exits.

Kept apart from :mod:`steward.safeio` so that the entry point can switch the command-line
behaviour on without importing the writers. Standard library only.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

_DEFERRED_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def defer_signals() -> set[int] | None:
    """Hold SIGINT/SIGTERM/SIGHUP while a temporary file is created and registered for
    cleanup (a signal in between would leave it behind); :func:`deliver_signals` releases
    them, and a pending one is then raised where the cleanup can see it."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on POSIX
        return None
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS))


def deliver_signals(previous: set[int] | None) -> None:
    """Restore the mask :func:`defer_signals` returned (a pending signal is raised now)."""
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


#: set by the console-script entry point (a command-line process, not a library caller, a
#: server or a test calling the CLI in-process)
_COMMAND_LINE = False
#: the next commit is the command's last change: keep the signals held after it
_hold_next = False


def command_line_process() -> None:
    """Called once by the console-script entry point."""
    global _COMMAND_LINE
    _COMMAND_LINE = True


def last_commit_ahead() -> None:
    """Say that the next :func:`commit_point` is the command's last change (``db import``):
    in a command-line process the signals then stay held after it, so that a signal landing
    while the command reports and exits cannot make it exit 130/143 (which promises the old
    state) after the change was made; the held signal is discarded when the process exits.
    Nothing is started after that commit that would inherit the held mask but the exit."""
    global _hold_next
    _hold_next = True


@contextlib.contextmanager
def commit_point() -> Iterator[None]:
    """The moment a write becomes the new state (a rename over the output, a database
    commit), with SIGINT/SIGTERM/SIGHUP held across it: a signal arriving meanwhile is raised
    right after it (the change is then complete, and the caller's cleanup sees a finished
    write), or, after the command's announced last commit (:func:`last_commit_ahead`) in a
    command-line process, never. If the body raises, the signals are released at once."""
    global _hold_next
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers run in the main thread only; nothing to hold here
        return
    held = defer_signals()
    try:
        yield
    except BaseException:
        deliver_signals(held)
        raise
    keep, _hold_next = _hold_next and _COMMAND_LINE, False
    if not keep:
        deliver_signals(held)
