"""Affected-version constraints → intervals, and the constraints advisory formats refuse."""

from __future__ import annotations

import pytest

from steward.disclosure.advisories.constraints import Interval, describe, parse_affected, to_vers
from steward.disclosure.model import AffectedProduct
from steward.errors import InputError


def product(*affected: str, fixed: tuple[str, ...] = ()) -> AffectedProduct:
    return AffectedProduct(name="pkg", ecosystem="PyPI", affected=affected, fixed=fixed)


def test_branches_and_exact_versions() -> None:
    parsed = parse_affected(product(">=1.0, <1.4.2", ">= 2.0,<=2.3.0", "==3.0.0", "3.1.0"))
    assert parsed.intervals == (
        Interval(introduced="1.0", fixed="1.4.2"),
        Interval(introduced="2.0", last_affected="2.3.0"),
    )
    assert parsed.exact == ("3.0.0", "3.1.0")


def test_single_fixed_version_means_everything_before_it() -> None:
    parsed = parse_affected(product(fixed=("2.3.1",)))
    assert parsed.intervals == (Interval(fixed="2.3.1"),)
    assert to_vers("pypi", parsed.intervals[0]) == "vers:pypi/<2.3.1"
    assert describe(parsed.intervals[0]) == "< 2.3.1"


def test_all_versions() -> None:
    parsed = parse_affected(product("*"))
    assert parsed.intervals == (Interval(),)
    assert to_vers("npm", Interval()) == "vers:npm/*"
    assert describe(Interval()) == "all versions"


@pytest.mark.parametrize(
    ("constraint", "message"),
    [
        (">1.0", "exclusive lower bound"),
        ("!=1.2", "exclusions"),
        (">=1.0,>=1.1", "two lower bounds"),
        ("<2,<=3", "two upper bounds"),
        ("==1.0,<2", "mixes an exact version"),
        ("~=1.4", "cannot read"),
    ],
)
def test_refused_constraints(constraint: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_affected(product(constraint))


def test_several_fixed_versions_need_branches() -> None:
    with pytest.raises(InputError, match="per release branch"):
        parse_affected(product(fixed=("1.4.2", "2.3.1")))
