"""Signals around a commit (steward.interrupts): a signal landing just after a command's last
change must not make it exit 130/143, which promises that the old state stays."""

from __future__ import annotations

import subprocess
import sys
import textwrap

_PROGRAM = """
import os, signal, sys
from steward.cli.launch import _install_signal_handlers, Terminated
from steward import interrupts
_install_signal_handlers()
{setup}
done = []
try:
    with interrupts.commit_point():
        os.kill(os.getpid(), signal.SIGTERM)  # arrives while the commit is being made
        done.append("committed")
    print("after", done, flush=True)
except Terminated:
    print("terminated", done, flush=True)
    sys.exit(143)
"""


def _run(setup: str) -> tuple[int, str]:
    code = _PROGRAM.format(setup=textwrap.dedent(setup))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    return done.returncode, done.stdout.strip()


def test_a_signal_during_the_commit_waits_for_it() -> None:
    # the body (the commit) is never cut short; the signal is raised right after it
    assert _run("") == (143, "terminated ['committed']")


def test_after_the_announced_last_commit_a_signal_no_longer_interrupts() -> None:
    setup = "interrupts.command_line_process(); interrupts.last_commit_ahead()"
    assert _run(setup) == (0, "after ['committed']")


def test_only_a_command_line_process_holds_signals_after_its_last_commit() -> None:
    # a library caller (a server, a test calling the CLI in-process) is interrupted as usual
    assert _run("interrupts.last_commit_ahead()") == (143, "terminated ['committed']")


def test_a_failed_commit_releases_the_signals() -> None:
    program = """
import os, signal
from steward.cli.launch import _install_signal_handlers, Terminated
from steward import interrupts
_install_signal_handlers()
interrupts.command_line_process(); interrupts.last_commit_ahead()
try:
    with interrupts.commit_point():
        os.kill(os.getpid(), signal.SIGTERM)
        raise OSError("disk full")
except Terminated:
    print("terminated")
except OSError:
    print("error only")
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False
    )
    # the pending signal is raised while the failure is handled: the run is interrupted
    assert done.stdout.strip() == "terminated"
