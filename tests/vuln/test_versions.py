"""Version schemes: orderings from each ecosystem's own documentation and test suites."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.vuln.versions import GenericScheme, VersionError, scheme_for


def assert_ascending(ecosystem: str, versions: list[str]) -> None:
    scheme = scheme_for(ecosystem)
    keys = [scheme.parse(v) for v in versions]
    for (i, a), (j, b) in itertools.combinations(enumerate(keys), 2):
        assert a < b, f"{ecosystem}: expected {versions[i]} < {versions[j]}"
        assert not b < a
        assert scheme.compare(versions[i], versions[j]) == -1
        assert scheme.compare(versions[j], versions[i]) == 1
    shuffled = versions[:]
    random.Random(0).shuffle(shuffled)
    assert sorted(shuffled, key=scheme.parse) == versions


def assert_equal(ecosystem: str, a: str, b: str) -> None:
    scheme = scheme_for(ecosystem)
    assert scheme.compare(a, b) == 0, f"{ecosystem}: expected {a} == {b}"
    assert scheme.parse(a) == scheme.parse(b)
    assert hash(scheme.parse(a)) == hash(scheme.parse(b))


# ---------------------------------------------------------------------------- SemVer family

SEMVER_ORG = [  # semver.org §11 examples, in order
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "2.0.0",
    "2.1.0",
    "2.1.1",
]


@pytest.mark.parametrize("ecosystem", ["npm", "crates.io", "Hex", "SwiftURL", "Go", "Pub"])
def test_semver_precedence(ecosystem: str) -> None:
    assert_ascending(ecosystem, SEMVER_ORG)


def test_semver_build_metadata_ignored_and_v_tolerated() -> None:
    assert_equal("npm", "1.0.0+20130313144700", "1.0.0")
    assert_equal("npm", "v1.2.3", "1.2.3")
    assert_equal("crates.io", "1.0.0-beta+exp.sha.5114f85", "1.0.0-beta")
    with pytest.raises(VersionError):
        scheme_for("npm").parse("not.a.version")
    with pytest.raises(VersionError):
        scheme_for("npm").parse("1.0.0-alpha..1")


def test_go_pseudo_versions_and_incompatible() -> None:
    # pseudo-versions sort between the previous tag and the next release (go.dev/ref/mod)
    assert_ascending(
        "Go",
        [
            "v0.0.0-20190101000000-abcdefabcdef",
            "v1.2.3",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.4",
            "v2.0.0+incompatible",
            "v2.0.1",
        ],
    )
    assert_equal("Go", "v2.0.0+incompatible", "2.0.0")
    # toolchain names of the stdlib package
    assert_ascending("Go", ["go1.20", "go1.21rc2", "1.21.0", "go1.21.1"])


def test_pub_orders_build_metadata() -> None:
    # pub_semver: a build suffix sorts after the same version without one
    assert_ascending("Pub", ["1.0.0-dev", "1.0.0", "1.0.0+1", "1.0.0+2", "1.0.1"])


def test_nuget_four_parts_and_case_insensitive_prerelease() -> None:
    assert_equal("NuGet", "1.0", "1.0.0.0")
    assert_equal("NuGet", "1.0.0-Beta", "1.0.0-beta")
    assert_ascending(
        "NuGet", ["1.0.0-alpha", "1.0.0-Alpha.2", "1.0.0-beta", "1.0.0", "1.0.0.1", "1.0.1"]
    )


# ---------------------------------------------------------------------------------- PyPI


def test_pep440_ordering() -> None:
    # the summary ordering of PEP 440 ("Summary of permitted suffixes and relative ordering")
    assert_ascending(
        "PyPI",
        [
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "1!0.1",
        ],
    )
    assert_equal("PyPI", "1.0", "1.0.0")


def test_pypi_legacy_versions_sort_before_valid_ones() -> None:
    scheme = scheme_for("PyPI")
    assert scheme.parse("2004d") < scheme.parse("0.0.1")
    assert scheme.parse("0.5.0-incubating") < scheme.parse("0.0.1")
    assert_ascending("PyPI", ["1.0-beta-x", "1.0-x", "1.1-x"])


# --------------------------------------------------------------------------------- Maven

# Maven's own ComparableVersionTest (maven-artifact 3.9), VERSIONS_QUALIFIER and VERSIONS_NUMBER
MAVEN_QUALIFIER = [
    "1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2", "1-beta123", "1-m2", "1-m11",
    "1-rc", "1-cr2", "1-rc123", "1-SNAPSHOT", "1", "1-sp", "1-sp2", "1-sp123", "1-abc",
    "1-def", "1-pom-1", "1-1-snapshot", "1-1", "1-2", "1-123",
]  # fmt: skip
MAVEN_NUMBER = [
    "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c",
    "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2",
    "11.m11", "11", "11.a", "11b", "11c", "11m",
]  # fmt: skip


def test_maven_comparable_version_orderings() -> None:
    assert_ascending("Maven", MAVEN_QUALIFIER)
    assert_ascending("Maven", MAVEN_NUMBER)
    for low, high in [
        ("1.0-alpha-1", "1.0"),
        ("1.0-alpha-1", "1.0-beta-1"),
        ("1.0-beta-1", "1.0-SNAPSHOT"),
        ("1.0-SNAPSHOT", "1.0"),
        ("1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"),
        ("1.0", "1.0-1"),
        ("1.0.0", "1.0-1"),
        ("2.0-1", "2.0.1"),
        ("2.0.1-klm", "2.0.1-lmn"),
        ("2.0.1", "2.0.1-xyz"),
        ("2.0.1-xyz", "2.0.1-123"),
    ]:
        assert_ascending("Maven", [low, high])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1", "1.0.0"), ("1", "1-0"), ("1.0", "1.0-0"), ("1a", "1-a"), ("1a", "1.0.0-a"),
        ("1x", "1.0.0-x"), ("1ga", "1"), ("1final", "1"), ("1cr", "1rc"), ("1a1", "1alpha1"),
        ("1b2", "1beta2"), ("1m3", "1milestone3"), ("1X", "1x"), ("1FINAL", "1"),
        ("1m3", "1MILESTONE3"), ("1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    ],
)  # fmt: skip
def test_maven_equal_versions(a: str, b: str) -> None:
    assert_equal("Maven", a, b)


@pytest.mark.parametrize("x", ["abc", "alpha", "a", "beta", "b", "def", "milestone", "m", "RC"])
def test_maven_mng_7644_dotted_qualifiers(x: str) -> None:
    """Maven 3.8.7+/3.9: ``.X1`` < ``-X2`` and ``2.0.X`` = ``2-X`` = ``2.0.0.X`` (testMng7644)."""
    assert_ascending("Maven", [f"1.0.0.{x}1", f"1.0.0-{x}2"])
    assert_equal("Maven", f"2-{x}", f"2.0.{x}")
    assert_equal("Maven", f"2-{x}", f"2.0.0.{x}")
    assert_equal("Maven", f"2.0.{x}", f"2.0.0.{x}")


def test_maven_dotted_release_candidate_is_inside_a_dashed_fix() -> None:
    """The case the choice is about: ``fixed: 1.0.0-RC2`` covers ``1.0.0.RC1``."""
    from steward.vuln.ranges import Verdict, evaluate

    entry = {
        "package": {"ecosystem": "Maven", "name": "org.example:lib"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0.0-RC2"}]}],
    }
    assert evaluate(entry, "1.0.0.RC1") is Verdict.AFFECTED
    assert evaluate(entry, "1.0.0-RC2") is Verdict.NOT_AFFECTED
    assert evaluate(entry, "1.0.0.RC2") is Verdict.NOT_AFFECTED  # equal under Maven >= 3.8.7


# ------------------------------------------------------------------------------ RubyGems


def test_rubygems_gem_version() -> None:
    # rubygems test_gem_version.rb: test_spaceship, test_semver, prerelease ordering
    assert_ascending("RubyGems", ["1.0.0.a", "1.0.0.a1", "1.0.0.b", "1.0.0", "1.0.0.1", "1.0.1"])
    assert_ascending("RubyGems", ["1.8.a", "1.8.2.a", "1.8.2", "1.9.a", "1.9.0"])
    assert_ascending("RubyGems", ["5.a", "5.0.0.rc2", "5.0", "5.0.1"])
    assert_ascending("RubyGems", ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0"])
    assert_equal("RubyGems", "1.0", "1")
    assert_equal("RubyGems", "1.0.a", "1.a")
    assert_equal("RubyGems", "", "0")
    with pytest.raises(VersionError):
        scheme_for("RubyGems").parse("junk-")


# ----------------------------------------------------------------------------- Packagist


def test_packagist_composer_order() -> None:
    assert_ascending(
        "Packagist",
        [
            "1.0.0-dev",
            "1.0.0-alpha1",
            "1.0.0-alpha2",
            "1.0.0-beta1",
            "1.0.0-RC1",
            "1.0.0",
            "1.0.0-p1",
            "1.0.1",
            "v1.1",
        ],
    )
    assert_equal("Packagist", "v1.2", "1.2.0.0")
    assert_equal("Packagist", "1.0.0-a1", "1.0.0-alpha1")
    assert_equal("Packagist", "1.0.0-rc1", "1.0.0-RC1")
    with pytest.raises(VersionError):
        scheme_for("Packagist").parse("dev-main")


# ----------------------------------------------------------------------------- Debian


def test_dpkg_ordering() -> None:
    # Debian Policy §5.6.12 and dpkg's own t/dpkg_version.t cases
    assert_ascending(
        "Debian",
        [
            "1.0~~",
            "1.0~~a",
            "1.0~",
            "1.0",
            "1.0a",
            "1.0+dfsg",
            "1.0.1",
            "1.0.1-1",
            "1.0.1-1+deb12u1",
            "1.0.1-2",
            "1:0.1",
            "2:0.0",
        ],
    )
    assert_ascending("Ubuntu", ["2.30-0ubuntu1", "2.30-0ubuntu2", "2.30-1ubuntu1"])
    assert_equal("Debian", "0:1.0", "1.0")
    assert_equal("Debian", "1.0-0", "1.0")
    with pytest.raises(VersionError):
        scheme_for("Debian:12").parse("a:1.0")


# ------------------------------------------------------------------------ Alpine and RPM


def test_apk_ordering() -> None:
    assert_ascending(
        "Alpine:v3.20",
        ["1.2.3_alpha", "1.2.3_rc1", "1.2.3", "1.2.3-r1", "1.2.3_p1", "1.2.3a", "1.2.4", "1.10"],
    )


def test_rpm_ordering() -> None:
    # rpm's tests/rpmvercmp.at
    assert_ascending("Red Hat", ["1.0~rc1", "1.0", "1.0^git1", "1.0a", "1.0.1", "1.1", "1:0.1"])
    assert_ascending("openSUSE", ["1.0-1", "1.0-2", "1.0-10"])
    assert_equal("Rocky Linux", "1.0010", "1.10")
    assert_equal("AlmaLinux", "1.0_1", "1.0.1")


# ------------------------------------------------------------------------------ registry


def test_scheme_registry_and_fallback() -> None:
    assert scheme_for("Debian:12") is scheme_for("Debian")
    assert scheme_for("pypi") is scheme_for("PyPI")
    assert scheme_for("Maven:https://maven.google.com") is scheme_for("Maven")
    generic = scheme_for("Hackage")
    assert isinstance(generic, GenericScheme)
    assert generic.exact is False
    assert scheme_for("npm").exact is True
    assert generic.compare("1.2", "1.10") == -1


# ------------------------------------------------- agreement with univers (independent port)

# "0", "ga" and "final" (null items) are left out: univers is inconsistent on sub-lists that
# start with a null item (it says 1 == 1-0.1 but 2.1-0.1 > 2.1-0-0); we follow Maven 3.8.2+
# (MNG-6964), tested above. univers ports Maven before MNG-7644, so a qualifier directly
# after a dot (where 3.8.7 changed the order, tested above) is left out too.
_maven_number = st.sampled_from(["1", "2", "10", "1a", "2b3"])
_maven_token = st.sampled_from(
    ["1", "2", "10", "alpha", "a1", "beta", "b2", "rc", "cr1", "snapshot", "sp",
     "foo", "m3", "1a", "x"]
)  # fmt: skip
_maven_version = st.builds(
    lambda first, rest: first + "".join(sep + tok for sep, tok in rest),
    st.sampled_from(["1", "2", "1.0"]),
    st.lists(
        st.one_of(st.tuples(st.just("."), _maven_number), st.tuples(st.just("-"), _maven_token)),
        max_size=4,
    ),
)


@settings(max_examples=300, deadline=None)
@given(_maven_version, _maven_version)
def test_maven_agrees_with_univers(a: str, b: str) -> None:
    from univers.versions import MavenVersion

    ours = scheme_for("Maven").compare(a, b)
    ua, ub = MavenVersion(a), MavenVersion(b)
    theirs = -1 if ua < ub else (1 if ub < ua else 0)
    assert ours == theirs, (a, b)


_deb_version = st.from_regex(
    r"\A([1-3]:)?[0-9]{1,2}(\.[0-9]{1,2}){0,2}(~rc[0-9]|\+dfsg|[a-c])?(-[0-9](ubuntu[0-9])?)?\Z"
)


@settings(max_examples=300, deadline=None)
@given(_deb_version, _deb_version)
def test_dpkg_agrees_with_univers(a: str, b: str) -> None:
    from univers.versions import DebianVersion

    ours = scheme_for("Debian").compare(a, b)
    ua, ub = DebianVersion(a), DebianVersion(b)
    theirs = -1 if ua < ub else (1 if ub < ua else 0)
    assert ours == theirs, (a, b)


def test_maven_sublist_against_null_uses_every_item() -> None:
    # MNG-6964: 1-0.1 is compared item by item with "nothing", so it is newer than 1
    assert_ascending("Maven", ["1", "1-0.1"])
    assert_equal("Maven", "2.1-0-0", "2.1")
