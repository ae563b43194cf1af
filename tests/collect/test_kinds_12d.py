"""Kinds found by the twelfth blind round, PHP part (held-out-12d: thephpleague/oauth2-client,
egulias/EmailValidator, brick/math; bench/README.md). Self-written fixtures; each test failed
before its fix (the ones asserting what is not found guard the fix's bounds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.ci import parse_github_workflow
from steward.collect.dockerfiles import dockerfile_installs
from steward.collect.facts import Docs
from steward.collect.shell import commands, line_of_offset, reads_script_from_stdin
from tests.collect.docsrepo import docs_of

# ------------------------------------------------- here-documents a shell reads as its script

# a 32-bit test job (as brick/math's): the script runs inside a container, fed to bash
DOCKER_HEREDOC = """\
on: push
jobs:
  test-32bit:
    runs-on: ubuntu-latest
    steps:
      - run: |
          docker run --platform linux/386 --rm -i \\
            -v ${{ github.workspace }}:/app -w /app \\
            php:8-cli bash -e <<'EOF'
              apt-get update
              curl -sS https://example.org/installer | php -- --install-dir=/usr/local/bin
              composer install --no-interaction
              vendor/bin/phpunit
          EOF
"""


def _lines(script: str) -> list[tuple[int, str]]:
    return [(line_of_offset(script, c.start), c.argv[0]) for c in commands(script)]


def test_heredoc_fed_to_a_shell_is_read_as_its_script() -> None:
    script = "bash -e <<'EOF'\n  apt-get update\n  make test\nEOF\necho done\n"
    assert _lines(script) == [(1, "bash"), (2, "apt-get"), (3, "make"), (5, "echo")]


@pytest.mark.parametrize(
    "opener",
    [
        "docker run --rm -i php:8-cli bash -e <<EOF",
        "ssh build@host sh -s -- --verbose <<EOF",
        "sudo /bin/bash -o pipefail <<-EOF",
        "cat <<EOF | sh",
    ],
)
def test_shells_behind_runners_and_pipes_read_the_heredoc(opener: str) -> None:
    script = f"{opener}\n\tcurl -fsSL https://example.org/i.sh | sh\n\tEOF\n"
    assert (2, "curl") in _lines(script)


@pytest.mark.parametrize(
    "opener",
    [
        "cat > setup.sh <<EOF",  # a file written: data
        "python - <<EOF",  # another interpreter's script
        "bash run.sh <<EOF",  # the shell runs run.sh; the body is its input
        "bash -c 'read x; echo $x' <<EOF",  # -c gives the script inline
        "tee notes.txt <<EOF",
    ],
)
def test_other_heredocs_stay_data(opener: str) -> None:
    script = f"{opener}\ncurl -fsSL https://example.org/i.sh | sh\nEOF\n"
    assert [argv for _, argv in _lines(script)] == [opener.split()[0]]


def test_reads_script_from_stdin() -> None:
    assert reads_script_from_stdin(["docker", "run", "-i", "img:1", "bash", "-e"])
    assert reads_script_from_stdin(["sh"])
    assert not reads_script_from_stdin(["bash", "-ec", "make"])
    assert not reads_script_from_stdin(["bash", "script.sh"])
    assert not reads_script_from_stdin(["php", "-r", "echo 1;"])


def test_download_piped_into_an_interpreter_in_a_shell_heredoc_is_unpinned() -> None:
    wf = parse_github_workflow(".github/workflows/ci.yml", DOCKER_HEREDOC)
    assert [f.source.line for f in wf.unpinned_installs] == [11]
    # the test runner inside the container is the job's test run, at its own line
    assert 13 in [f.source.line for f in wf.runs_tests]


def test_heredoc_written_to_a_file_in_a_dockerfile_is_data() -> None:
    text = (
        "FROM debian:12@sha256:" + "a" * 64 + "\n"
        "RUN set -e; \\\n    cat <<'EOF' > /opt/setup.sh\n"
        "curl -fsSL https://example.org/x | sh\nEOF\n"
    )
    # the here-document is written to a file (not run by a shell): no finding from its body
    assert dockerfile_installs("Dockerfile", text) == []


# ------------------------------------------------- a README section crediting contributors


CREDITS_README = """\
# mailcheck

## Contributing

Please follow the [contribution guide](CONTRIBUTING.md).

## Other Contributors

(You can find current contributors [here](https://github.com/example/mailcheck/graphs/contributors))

As this is a port of another library, here are the people behind the previous one:

* Jane Roe: the original parser
* John Doe: performance work

## License

MIT
"""


def test_a_section_crediting_contributors_is_no_contribution_guide(tmp_path: Path) -> None:
    docs = docs_of(tmp_path, {"README.md": CREDITS_README, "CONTRIBUTING.md": "# Contributing\n"})
    where = {(f.source.path, f.source.line) for f in docs.contributing}
    assert ("README.md", 3) in where and ("CONTRIBUTING.md", None) in where
    assert ("README.md", 7) not in where


@pytest.mark.parametrize(
    "section",
    [
        "## Contributors\n\nContributions are welcome: open a pull request.\n",
        "## Contributors\n\nSee CONTRIBUTING.md before you send a patch.\n",
        "## Contributor's guide\n\nRun the tests first.\n",
    ],
)
def test_a_contributors_section_that_guides_still_counts(tmp_path: Path, section: str) -> None:
    docs = docs_of(tmp_path, {"README.md": f"# widget\n\nA widget.\n\n{section}"})
    assert [(f.source.path, f.source.line) for f in docs.contributing] == [("README.md", 5)]


# ------------------------------------------- a changelog that names no version and links nowhere

STANDALONE_NOTES = """\
# Mailcheck Changelog

## New Features

* Access to the local part from the parser

## Breaking changes

* Domains must now follow RFC 1035 (as of 12/2020); starting in v3 they are checked.

## Changes
* #235
* #215
"""

INDEX = """\
# Changelog

| Package | Changelog |
|---------|-----------|
| `core`  | [link](packages/core/CHANGELOG.md) |
"""


def test_a_changelog_naming_no_version_and_linking_nowhere_is_flagged(tmp_path: Path) -> None:
    docs = docs_of(tmp_path, {"CHANGELOG.md": STANDALONE_NOTES, "README.md": "# mailcheck\n"})
    assert docs.changelog and docs.changelog_versions == frozenset()
    assert docs.changelog_unversioned


@pytest.mark.parametrize(
    "text",
    [
        INDEX,  # an index of per-package changelogs
        # notes that link out (to pull requests, the releases page) are not judged alone
        "# Changes\n\n## Unreleased\n\n* Faster parser ([#12](https://example.org/pull/12))\n"
        "* Fewer warnings ([#15](https://example.org/pull/15))\n* A --strict option\n"
        "* Clearer messages for malformed input\n",
        "# Changes\n\n## 2.1.0\n\n* fix\n",  # names a version: judged by the versions
    ],
)
def test_changelogs_that_link_elsewhere_or_name_versions_are_not(tmp_path: Path, text: str) -> None:
    docs = docs_of(tmp_path, {"CHANGELOG.md": text, "README.md": "# widget\n"})
    assert docs.changelog and not docs.changelog_unversioned


def test_standalone_unversioned_changelog_is_behind_the_tagged_releases() -> None:
    from steward.collect.facts import Finding, Source
    from steward.evaluate.model import ProbeStatus
    from tests.evaluate.probes.factsbuilder import commit, git, make_facts, run, tag

    notes = Finding(Source(path="CHANGELOG.md"), "changelog")
    tags = (tag("4.0.2"), tag("4.0.1"), tag("3.2.6"))
    stale = make_facts(
        docs=Docs(changelog=(notes,), changelog_unversioned=True), git=git((commit(),), tags)
    )
    out = run("changelog_present", stale)
    assert out.status == ProbeStatus.FAIL and "4.0.2, 4.0.1" in out.message
    assert run("release_notes_present", stale).status == ProbeStatus.UNKNOWN
    # an index or fragments (no version named, but not standing alone) is still not judged
    index = make_facts(docs=Docs(changelog=(notes,)), git=git((commit(),), tags))
    assert run("changelog_present", index).status == ProbeStatus.PASS
