"""OSV range evaluation: the schema's own examples and the edge cases of its pseudocode."""

from __future__ import annotations

from typing import Any

import pytest

from steward.vuln.ranges import Verdict, compile_affected, evaluate, is_affected
from steward.vuln.versions import VersionError, scheme_for


def entry(
    events: list[dict[str, str]],
    *,
    ecosystem: str = "npm",
    rtype: str = "SEMVER",
    versions: list[str] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "package": {"ecosystem": ecosystem, "name": "pkg"},
        "ranges": [{"type": rtype, "events": events}],
    }
    if versions is not None:
        out["versions"] = versions
    return out


def test_schema_examples() -> None:
    everything = entry([{"introduced": "0"}])
    assert is_affected(everything, "0.0.1")
    assert is_affected(everything, "99.0.0")
    fixed = entry([{"introduced": "0"}, {"fixed": "1.0.2"}])
    assert is_affected(fixed, "1.0.1")
    assert not is_affected(fixed, "1.0.2")
    multiple = entry(
        [{"introduced": "1.0.0"}, {"fixed": "1.0.2"}, {"introduced": "3.0.0"}, {"fixed": "3.2.5"}]
    )
    assert [is_affected(multiple, v) for v in ["0.9.0", "1.0.0", "1.0.2", "2.0.0", "3.2.4"]] == [
        False,
        True,
        False,
        False,
        True,
    ]
    last = entry([{"introduced": "1.0.0"}, {"last_affected": "1.2.0"}])
    assert is_affected(last, "1.2.0")
    assert not is_affected(last, "1.2.1")
    assert not is_affected(last, "0.9.0")


def test_events_are_sorted_before_walking() -> None:
    unsorted = entry(
        [{"fixed": "3.2.5"}, {"introduced": "3.0.0"}, {"fixed": "1.0.2"}, {"introduced": "1.0.0"}]
    )
    assert is_affected(unsorted, "1.0.1")
    assert not is_affected(unsorted, "2.0.0")
    assert is_affected(unsorted, "3.1.0")


def test_adjacent_intervals_join_at_equal_versions() -> None:
    # PYSEC-2022-236 writes [0, 3.1.1) and [3.1.1, 3.1.3) in one range
    joined = entry(
        [{"introduced": "0"}, {"fixed": "3.1.1"}, {"introduced": "3.1.1"}, {"fixed": "3.1.3"}],
        ecosystem="PyPI",
        rtype="ECOSYSTEM",
    )
    assert is_affected(joined, "3.1.1")
    assert not is_affected(joined, "3.1.3")


def test_limit_events() -> None:
    limited = entry([{"introduced": "1.0.0"}, {"limit": "2.0.0"}])
    assert is_affected(limited, "1.5.0")
    assert not is_affected(limited, "2.0.0")
    star = entry([{"introduced": "1.0.0"}, {"limit": "*"}])
    assert is_affected(star, "5.0.0")


def test_versions_list_and_ranges_are_a_union() -> None:
    e = entry([{"introduced": "2.0.0"}, {"fixed": "2.1.0"}], versions=["1.0.0"])
    assert is_affected(e, "1.0.0")
    assert is_affected(e, "2.0.5")
    assert not is_affected(e, "1.5.0")
    only_list = {"package": {"ecosystem": "PyPI", "name": "x"}, "versions": ["1.0"]}
    assert is_affected(only_list, "1.0")
    assert is_affected(only_list, "1.0.0")  # equal under PEP 440
    assert not is_affected(only_list, "1.1")


def test_ecosystem_ranges_use_the_ecosystem_scheme() -> None:
    maven = entry([{"introduced": "0"}, {"fixed": "2.0.1"}], ecosystem="Maven", rtype="ECOSYSTEM")
    assert is_affected(maven, "2.0-1")  # Maven: 2.0-1 < 2.0.1
    assert is_affected(maven, "2.0.1-alpha")
    assert not is_affected(maven, "2.0.1-sp")
    deb = entry([{"introduced": "0"}, {"fixed": "1.2-3"}], ecosystem="Debian:12", rtype="ECOSYSTEM")
    assert is_affected(deb, "1.2~rc1-1")
    assert not is_affected(deb, "1:1.0-1")


def test_go_semver_ranges_accept_v_prefix_and_pseudo_versions() -> None:
    go = entry([{"introduced": "0"}, {"fixed": "1.6.0"}], ecosystem="Go")
    assert is_affected(go, "v1.5.9")
    assert is_affected(go, "v1.6.0-0.20200101000000-abcdefabcdef")
    assert not is_affected(go, "v1.6.0")


def test_git_ranges_match_only_known_commits() -> None:
    git = {
        "package": {"ecosystem": "", "name": "x"},
        "ranges": [
            {
                "type": "GIT",
                "repo": "https://example.org/x",
                "events": [{"introduced": "AAAA"}, {"fixed": "bbbb"}],
            }
        ],
    }
    compiled = compile_affected(git)
    assert compiled.evaluate("1.0") is Verdict.NOT_AFFECTED
    assert compiled.evaluate("1.0", commit="aaaa") is Verdict.AFFECTED
    assert compiled.evaluate("1.0", commit="bbbb") is Verdict.NOT_AFFECTED


def test_undecidable_is_unknown_not_a_silent_pass() -> None:
    e = entry([{"introduced": "0"}, {"fixed": "1.0.0"}])
    assert evaluate(e, "not-a-version") is Verdict.UNKNOWN
    with pytest.raises(VersionError):
        is_affected(e, "not-a-version")
    broken = entry([{"introduced": "0"}, {"fixed": "garbage"}])
    assert evaluate(broken, "0.5.0") is Verdict.UNKNOWN
    assert compile_affected(broken).problems
    unknown_ecosystem = entry([{"introduced": "1.0"}, {"fixed": "2.0"}], rtype="ECOSYSTEM")
    unknown_ecosystem["package"]["ecosystem"] = "Hackage"
    assert evaluate(unknown_ecosystem, "1.5") is Verdict.UNKNOWN
    everything = entry([{"introduced": "0"}], rtype="ECOSYSTEM", ecosystem="Hackage")
    assert evaluate(everything, "1.5") is Verdict.AFFECTED


def test_scheme_argument_overrides_ecosystem() -> None:
    e = entry([{"introduced": "0"}, {"fixed": "1.10"}], rtype="ECOSYSTEM", ecosystem="npm")
    assert is_affected(e, "1.9", scheme_for("PyPI"))


def test_ranges_written_as_intervals_are_read_as_written() -> None:
    # RUSTSEC-2022-0012: an empty [0.10.0, 0.10.0) pair marks a patched release
    rustsec = entry(
        [{"introduced": "0.9.0"}, {"fixed": "0.9.2"}, {"introduced": "0.10.0"}, {"fixed": "0.10.0"}]
    )
    assert [is_affected(rustsec, v) for v in ["0.9.1", "0.9.2", "0.10.0", "0.10.1"]] == [
        True,
        False,
        False,
        False,
    ]
    # PYSEC-2023-72: intervals out of order, [3.2.0, 3.2.2) written before [3.1.1, 3.2.0)
    pysec = entry(
        [{"introduced": "0"}, {"fixed": "3.1.1"}, {"introduced": "3.2.0"}, {"fixed": "3.2.2"},
         {"introduced": "3.1.1"}, {"fixed": "3.2.0"}],
        ecosystem="PyPI", rtype="ECOSYSTEM",
    )  # fmt: skip
    assert [is_affected(pysec, v) for v in ["3.1.0", "3.1.1", "3.2.0", "3.2.1", "3.2.2"]] == [
        True,
        True,
        True,
        True,
        False,
    ]
    # adjacent intervals join: [0, 3.1.1) + [3.1.1, 3.1.3) (PYSEC-2022-236)
    adjacent = entry(
        [{"introduced": "0"}, {"fixed": "3.1.1"}, {"introduced": "3.1.1"}, {"fixed": "3.1.3"}]
    )
    assert is_affected(adjacent, "3.1.1") and not is_affected(adjacent, "3.1.3")
    closed = entry([{"introduced": "1.0.0"}, {"last_affected": "1.2.0"}])
    assert is_affected(closed, "1.2.0") and not is_affected(closed, "1.2.1")
    assert compile_affected(closed).ranges[0].intervals is not None


def test_events_not_written_as_intervals_follow_the_pseudocode() -> None:
    # two introduced in a row: walked sorted, fixed before introduced at equal versions
    odd = entry([{"introduced": "1.0.0"}, {"introduced": "2.0.0"}, {"fixed": "2.0.0"}])
    assert compile_affected(odd).ranges[0].intervals is None
    assert is_affected(odd, "1.5.0") and is_affected(odd, "2.0.0")
    orphan = entry([{"fixed": "1.0.0"}, {"introduced": "0"}])
    assert compile_affected(orphan).ranges[0].intervals is None
    assert not is_affected(orphan, "1.0.0") and is_affected(orphan, "0.9.0")
