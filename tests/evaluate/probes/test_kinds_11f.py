"""Kinds the eleventh blind round (held-out-11f: hobby and single-maintainer projects in C,
Go and JavaScript) showed, each on a small self-written fixture:

- a drop-in C library that keeps its two files in ``src/`` ("log.c and log.h should be
  dropped into an existing project and compiled along with it") has nothing to build, as a
  single file at the top of the tree has: the README sentence is its build instruction (a
  false fail of ``build_instructions_documented`` before, which only looked at the top);
- a security policy that names an e-mail address and GitHub's private reporting on "the
  Security tab of the repository (https://github.com/o/r/security)" does not defer to a page
  that may publish a key: that tab shows the policy already read, and the private-reporting
  form is the channel itself. ``report_encryption_key`` was ``unknown`` ("the security policy
  defers to .../security; a key may be published there") where the policy plainly asks for
  unencrypted e-mail, and a short policy's unstated items were ``unknown`` instead of
  ``fail`` for the same reason. Another repository's security tab still defers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.facts import ForgeData, Source
from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import commit, git, init, write
from tests.evaluate.probes.factsbuilder import fact, make_facts, policy


def _judge(probe: str, root: Path) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" for e in out.evidence if e.line]


# --------------------------------------------------------- drop-in library in src/

LOG_README = (
    "# tinylog\nA small logging library.\n\n## Usage\n"
    "**[tinylog.c](src/tinylog.c?raw=1)** and **[tinylog.h](src/tinylog.h?raw=1)** should be"
    " dropped\ninto an existing project and compiled along with it.\n\n## License\nMIT\n"
)


def test_a_drop_in_library_in_its_source_directory_is_its_build(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": LOG_README, "src/tinylog.c": "int x;\n",
                     "src/tinylog.h": "extern int x;\n"})  # fmt: skip
    assert _judge("build_instructions_documented", tmp_path) == ("pass", ["README.md:5"])


@pytest.mark.parametrize("where", ["lib/tinylog.c", "include/tinylog.h", "tinylog.c"])
def test_the_other_source_directories_and_the_top_count_too(tmp_path: Path, where: str) -> None:
    name = where.rpartition("/")[2]
    write(tmp_path, {"README.md": f"# t\n\nCopy `{name}` into your project.\n", where: "x\n"})
    assert _judge("build_instructions_documented", tmp_path) == ("pass", ["README.md:3"])


@pytest.mark.parametrize(
    "where", ["examples/tinylog.c", "tests/tinylog.c", "src/deep/tinylog.c", "docs/tinylog.c"]
)
def test_files_elsewhere_are_not_the_library_to_drop_in(tmp_path: Path, where: str) -> None:
    write(tmp_path, {"README.md": "# t\n\nCopy `tinylog.c` into your project.\n", where: "x\n"})
    assert _judge("build_instructions_documented", tmp_path)[0] == "fail"


# ------------------------------------------------ the repository's own security tab

POLICY = (
    "# Security Policy\n\n## Reporting a Vulnerability\n\n"
    'Please report it privately via GitHub\'s "Report a vulnerability" feature on the\n'
    "Security tab of the repository ({link}), or by\n"
    "emailing the maintainer at jane@example.org.\n"
)


def _repo(tmp_path: Path, link: str, remote: str = "https://github.com/acme/widget.git") -> Path:
    init(tmp_path, {"SECURITY.md": POLICY.format(link=link), "README.md": "# widget\n"})
    commit(tmp_path, "first")
    git(tmp_path, "remote", "add", "origin", remote)
    return tmp_path


@pytest.mark.parametrize(
    "link",
    [
        "https://github.com/acme/widget/security",
        "https://github.com/Acme/Widget/security/",
        "https://github.com/acme/widget/security/policy",
        "https://github.com/acme/widget/security/advisories/new",
        # any repository's private-reporting form is a channel, not a page naming a key
        "https://github.com/acme/other/security/advisories/new",
    ],
)
def test_the_own_security_tab_is_no_page_deferred_to(tmp_path: Path, link: str) -> None:
    root = _repo(tmp_path, link)
    assert _judge("report_encryption_key", root) == ("fail", ["SECURITY.md:7"])
    # what the policy does not say is not said: fail, not "may be stated there"
    assert _judge("security_policy_response_timeframe", root)[0] == "fail"
    assert _judge("reporting_without_account", root) == ("pass", ["SECURITY.md:7"])


def test_an_ssh_remote_names_the_repository_too(tmp_path: Path) -> None:
    root = _repo(tmp_path, "https://github.com/acme/widget/security", "git@github.com:acme/widget")
    assert _judge("report_encryption_key", root)[0] == "fail"


def test_another_repositorys_security_tab_still_defers(tmp_path: Path) -> None:
    root = _repo(tmp_path, "https://github.com/acme/platform/security")
    status, where = _judge("report_encryption_key", root)
    assert status == "unknown" and "SECURITY.md:6" in where
    assert _judge("security_policy_response_timeframe", root)[0] == "unknown"
    # still a private channel: GitHub's form on that repository's tab (held-out-11a)
    assert _judge("security_policy_private_contact", root)[0] == "pass"


def test_without_a_known_remote_the_tab_still_defers(tmp_path: Path) -> None:
    init(tmp_path, {"SECURITY.md": POLICY.format(link="https://github.com/acme/widget/security")})
    commit(tmp_path, "first")
    assert _judge("report_encryption_key", tmp_path)[0] == "unknown"


def test_a_readme_sections_link_to_the_own_policy_page_still_defers(tmp_path: Path) -> None:
    """No SECURITY.md in the tree: the forge's policy page shows the owner's default policy,
    not the README section read (guzzle/guzzle, labelled unknown)."""
    readme = (
        "# widget\n\n## Security\n\nPlease send an e-mail to security@example.org. See the\n"
        "[Security Policy](https://github.com/acme/widget/security/policy) for more.\n"
    )
    init(tmp_path, {"README.md": readme})
    commit(tmp_path, "first")
    git(tmp_path, "remote", "add", "origin", "https://github.com/acme/widget.git")
    assert _judge("report_encryption_key", tmp_path)[0] == "unknown"
    assert _judge("security_policy_response_timeframe", tmp_path)[0] == "unknown"


def test_the_forge_data_names_the_repository_without_a_remote() -> None:
    """With a forge token the repository is the forge data's (an API URL), remote or not."""
    tab = fact("SECURITY.md", 6, "link https://github.com/acme/widget/security")
    base = policy(files=(Source(path="SECURITY.md"),), referrals=(tab,))
    forge = ForgeData(forge="github", url="https://api.github.com/repos/acme/widget")
    own = run_probe("security_policy_response_timeframe", make_facts(policy=base, forge=forge))
    assert own.status.value == "fail"
    other = ForgeData(forge="github", url="https://api.github.com/repos/acme/platform")
    elsewhere = run_probe(
        "security_policy_response_timeframe", make_facts(policy=base, forge=other)
    )
    assert elsewhere.status.value == "unknown"
