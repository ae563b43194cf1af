"""Kinds found in the held-out-15f blind round (hobby and single-maintainer projects)."""

from __future__ import annotations

import calendar
import dataclasses

from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import commit, git, make_facts, run

DAY = 86_400
OLD = calendar.timegm((2014, 4, 6, 12, 0, 0, 0, 0, 0))  # the newest commit, years before now


def test_history_window_is_named_as_the_year_up_to_the_newest_commit() -> None:
    """Held-out-15f (a Lua module last changed in 2014): ``multiple_maintainers`` failed with
    "1 person(s) committed in the last year" although nobody had committed for twelve years.
    The window the probe counts (``recent_commits``) is the year up to the newest commit, so
    the message names that year by its date, not "the last year" (a claim about today)."""
    alone = git((commit(when=OLD), commit("b" * 40, when=OLD - 30 * DAY)))
    out = run("multiple_maintainers", make_facts(git=alone))
    assert out.status == ProbeStatus.FAIL
    assert "last year" not in out.message
    assert "the year up to the newest commit (2014-04-06)" in out.message
    bob = commit("b" * 40, when=OLD - DAY, name="Bob", email="bob@example.org")
    out = run("multiple_maintainers", make_facts(git=git((commit(when=OLD), bob))))
    assert out.status == ProbeStatus.PASS
    assert "last year" not in out.message and "(2014-04-06)" in out.message


def test_update_bot_window_is_named_as_the_year_up_to_the_newest_commit() -> None:
    """The sibling: ``sca_configured`` passing on update-bot commits said "update-bot commits
    of the last year" of the same window (the year up to the newest commit)."""
    bot = commit(when=OLD, name="dependabot[bot]", email="49699333+dependabot[bot]@example.org")
    history = dataclasses.replace(git((bot,)), bot_changes=((bot.sha, ("package.json",)),))
    out = run("sca_configured", make_facts(git=history))
    assert out.status == ProbeStatus.PASS
    assert "last year" not in out.message and "(2014-04-06)" in out.message
