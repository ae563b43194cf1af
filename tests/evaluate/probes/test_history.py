"""Git history probes."""

from __future__ import annotations

from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import commit, fact, git, make_facts, run


def test_maintainers_are_counted_from_history() -> None:
    two = git((commit("a" * 40), commit("b" * 40, name="Bob", email="bob@example.org")))
    assert run("multiple_maintainers", make_facts(git=two)).status == ProbeStatus.PASS
    one = git((commit("a" * 40),))
    assert run("multiple_maintainers", make_facts(git=one)).status == ProbeStatus.FAIL


def test_commits_signed() -> None:
    signed = git(tuple(commit(f"{i:040x}", signature="G") for i in range(5)))
    assert run("commits_signed", make_facts(git=signed)).status == ProbeStatus.PASS
    unsigned = git(tuple(commit(f"{i:040x}") for i in range(5)))
    assert run("commits_signed", make_facts(git=unsigned)).status == ProbeStatus.FAIL


def test_bots_and_agents_are_not_maintainers_and_one_person_is_one() -> None:
    commits = (
        commit("a" * 40, name="Alice Smith", email="alice@old.example"),
        commit("b" * 40, name="Alice Smith", email="alice@new.example"),
        commit(
            "c" * 40,
            name="dependabot[bot]",
            email="49699333+dependabot[bot]@users.noreply.github.com",
        ),
        commit("d" * 40, name="Copilot", email="198982749+Copilot@users.noreply.github.com"),
        commit("e" * 40, name="Claude", email="noreply@anthropic.com"),
        commit(
            "f" * 40,
            name="github-actions[bot]",
            email="41898282+github-actions[bot]@users.noreply.github.com",
        ),
    )
    out = run("multiple_maintainers", make_facts(git=git(commits)))
    assert out.status == ProbeStatus.FAIL and "1 person" in out.message
    human_claude = (*commits, commit("9" * 40, name="Claude Martin", email="cm@example.org"))
    assert run("multiple_maintainers", make_facts(git=git(human_claude))).status == (
        ProbeStatus.PASS
    )


def test_unreadable_git_is_an_error_never_a_fail() -> None:
    from steward.collect.facts import Problem, Source

    broken = make_facts(
        problems=(
            Problem(
                Source(path=".git"), "git cannot read the repository: fatal: bad object HEAD", "git"
            ),
        )
    )
    for name in (
        "vcs_public",
        "recent_activity",
        "multiple_maintainers",
        "commits_signed",
        "releases_tagged",
        "release_tags_signed",
        "contributor_agreement_enforced",
    ):
        out = run(name, broken)
        assert out.status == ProbeStatus.ERROR, name
        assert "git" in out.message and out.evidence[0].source == ".git"


def test_required_agreement_enforced_outside_the_repository_is_unknown() -> None:
    from steward.collect.facts import Docs

    required = Docs(contributor_agreement=(fact("CONTRIBUTING.md", 34, "required: Sign the ECA"),))
    facts = make_facts(docs=required, git=git((commit(),)))
    out = run("contributor_agreement_enforced", facts)
    assert out.status == ProbeStatus.UNKNOWN and out.evidence[0].line == 34
    optional = Docs(contributor_agreement=(fact("CONTRIBUTING.md", 91, "Sign the CLA if..."),))
    out = run("contributor_agreement_enforced", make_facts(docs=optional, git=git((commit(),))))
    assert out.status == ProbeStatus.FAIL


def test_a_release_bots_unsigned_commits_do_not_count_against_sign_offs() -> None:
    """Nine of nine people's commits signed off and a release bot's two unsigned "Prepare
    release" commits: the practice holds (held-out-11e, Jakarta Annotations; 9 of 11 with the
    bot's commits counted fell under nine in ten)."""
    people = tuple(commit(f"{i:040x}", name="Alice", signed_off=True) for i in range(1, 10))
    bots = (
        commit("b" * 40, name="Eclipse Annotations Bot", email="annotations-bot@eclipse.org"),
        commit(
            "c" * 40,
            name="github-actions[bot]",
            email="41898282+github-actions[bot]@users.noreply.github.com",
        ),
    )
    out = run("contributor_agreement_enforced", make_facts(git=git(bots + people)))
    assert out.status == ProbeStatus.PASS
    assert out.message == "9 of 9 recent commits by people carry Signed-off-by"
    # a person's unsigned commits still count against it
    person = (commit("d" * 40, name="Bob", email="bob@example.org"),) * 2
    out = run("contributor_agreement_enforced", make_facts(git=git(bots + people + person)))
    assert out.status == ProbeStatus.FAIL
    assert out.message.endswith("9 of 11 recent commits by people carry Signed-off-by")
