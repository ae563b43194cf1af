"""Release probes: version tags, tag signatures, release notes, signed artifacts, provenance."""

from __future__ import annotations

import re

from steward.collect.facts import Facts, Tag
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    NOT_A_CHECKOUT,
    ci_not_read,
    counted,
    error,
    failed,
    no_forge,
    not_applicable,
    passed,
    probe,
    shallow_clone,
    src,
    unknown,
    unread_ci,
)

# a release tag: [rel/|release/]<name><sep>]<version><suffix>, e.g. v1.2.3, 1.2,
# rel/commons-lang-3.14.0 (Apache), grep-searcher-0.1.17, pkg@1.2.3, sub/v1.2.0 (Go),
# LANG_2_6, OpenSSL_1_1_1w, R4_30 (Eclipse), go1.21.0, jdk-21+35, 5.3.0.RELEASE, and old
# release tags kept aside under a name such as _old/release-0.8.2
RELEASE_TAG = re.compile(
    r"^(?:(?:rel|release|releases|tags?)/)?"
    r"(?:[A-Za-z@_][\w.@/+-]*?[-_/@]|[A-Za-z]+(?=\d))?"
    r"[vVrR]?(?:\d+(?:\.\d+)+|\d+(?:_\d+)+)"
    r"(?P<suffix>(?:[-+._~]?[0-9A-Za-z]+)*)$"
)
_PRE_WORDS = frozenset({"rc", "cr", "alpha", "beta", "pre", "preview", "dev", "snapshot",
                        "nightly", "canary", "next", "milestone", "ea", "unstable",
                        "draft"})  # fmt: skip
_PRE_LETTER = re.compile(r"(?:^|[-+._~]|(?<=\d))(?:a|b|c|m)\d", re.I)


# a wildcard version component: "2.1.x", "1.0.X-maintenance" mark a maintenance branch
# (Pallets tag "last 2.1.x maintenance" when they retire one), not a release
_BRANCH_MARKER = re.compile(r"^[._-][xX*](?:$|[-+._~])")


def release_kind(name: str) -> str | None:
    """ "release", "pre-release" (release candidates, alphas, betas, milestones, snapshots)
    or None when the tag does not name a version (a branch marker such as ``2.1.x`` names a
    line of versions, not one)."""
    m = RELEASE_TAG.match(name)
    if m is None:
        return None
    suffix = m.group("suffix")
    if _BRANCH_MARKER.match(suffix):
        return None
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", suffix)}
    if words & _PRE_WORDS or _PRE_LETTER.search(suffix):
        return "pre-release"
    return "release"


def _version_tags(facts: Facts) -> list[Tag]:
    """Release tags, newest first; release candidates and other pre-releases left out."""
    if facts.git is None:
        return []
    return [t for t in facts.git.tags if release_kind(t.name) == "release"]


_PLAIN_VERSION = re.compile(r"^[vV]?(\d+(?:\.\d+)+)$")


def changelog_behind(facts: Facts) -> list[str]:
    """The newest releases the in-tree changelog does not mention, when it mentions versions
    but neither of the two newest plain version tags (``v13.4.2``, ``13.4.1``): a changelog
    that stopped, its notes moved elsewhere (the forge's release pages). Empty when the
    changelog keeps up, lags by one release, names no versions but links elsewhere (an index
    of per-package changelogs, a pointer to the releases page) or is a directory of fragments,
    or the tags name packages (monorepos: ``pkg@1.2.3``, whose changelogs live beside the
    packages); a changelog file that names no version and links nowhere stands alone and names
    none of the releases (egulias/EmailValidator's notes of its v3 changes). Empty too
    when the changelog's newest entry is the next, unreleased version (above the newest tag,
    at most one major version ahead): a changelog kept on the development branch while the
    releases are cut from maintenance branches (Apache APR's trunk ``CHANGES`` opens with
    "Changes for APR 2.0.0" while 1.7.4 is the newest tag). Likewise, when git says which
    release tags are in HEAD's history and some are not, only those are asked of the tree's
    changelog: the others were cut on a maintenance branch whose own changelog names them
    (rust-lang/libc's main keeps the 1.0 changelog; 0.2.189 was released from libc-0.2)."""
    mentioned = facts.docs.changelog_versions
    if not facts.docs.changelog or not (mentioned or facts.docs.changelog_unversioned):
        return []
    tags = _version_tags(facts)
    if any(t.merged is False for t in tags) and any(t.merged for t in tags):
        tags = [t for t in tags if t.merged]
    plain = [m.group(1) for t in tags if (m := _PLAIN_VERSION.match(t.name))]
    newest = plain[:2]
    if len(newest) < 2:
        return []
    if any(_is_next(head, newest[0]) for head in facts.docs.changelog_heads):
        return []

    return [] if any(_named(v, mentioned) for v in newest) else newest


def _named(version: str, mentioned: frozenset[str]) -> bool:
    """The changelog names ``version`` (``1.5`` names ``1.5.0``, and the other way round)."""
    short = re.sub(r"(?:\.0)+$", "", version)
    return version in mentioned or short in mentioned or f"{short}.0" in mentioned


def changelog_lag(facts: Facts, latest: str) -> str | None:
    """The version of ``latest``, the newest release tag, when the in-tree changelog names
    versions but not that one: a changelog one release behind, still maintained by
    ``changelog_behind``'s rule (thephpleague/event's changelog opens with 3.0.2 while 3.0.3
    is tagged). A pass must not read as if the changelog named the newest release. None when
    it names it, names no versions, or the newest tag is no plain version or its entry is the
    next, unreleased one."""
    mentioned = facts.docs.changelog_versions
    if not mentioned:
        return None
    match = _PLAIN_VERSION.match(latest)
    if match is None or _named(match.group(1), mentioned):
        return None
    if any(_is_next(head, match.group(1)) for head in facts.docs.changelog_heads):
        return None
    return match.group(1)


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _is_next(head: str, newest: str) -> bool:
    """``head`` is above the newest release ``newest`` and at most one major version ahead
    (a version further ahead is something else the changelog names, a runtime's or a
    dependency's)."""
    h, n = _numbers(head), _numbers(newest)
    width = max(len(h), len(n))
    h_, n_ = h + (0,) * (width - len(h)), n + (0,) * (width - len(n))
    return h_ > n_ and h_[0] <= n_[0] + 1


@probe("releases_tagged")
def _tagged(facts: Facts) -> ProbeOutcome:
    problems = facts.problems_in("git", "git-tags")
    if problems:
        return error(f"git could not read the repository: {problems[0].message}", problems)
    if facts.git is None:
        return unknown(NOT_A_CHECKOUT)
    tags = _version_tags(facts)
    if tags:
        return passed(
            counted(len(tags), "version tag"),
            [Fact(src(commit=t.commit), f"tag {t.name}") for t in tags[:10]],
        )
    forge = facts.forge
    if forge is not None and forge.releases is not None and not forge.releases:
        return not_applicable("no releases yet")
    if cut := shallow_clone(facts, "release tags"):
        return cut
    pre = [t for t in facts.git.tags if release_kind(t.name) == "pre-release"]
    if pre:
        return failed(
            f"only pre-release tags ({len(pre)}), no release tag",
            [Fact(src(commit=t.commit), f"tag {t.name}") for t in pre[:5]],
        )
    if facts.git.tags:
        return failed(
            "tags exist but none looks like a version",
            [Fact(src(commit=t.commit), f"tag {t.name}") for t in facts.git.tags[:5]],
        )
    return failed("no version tags")


@probe("release_tags_signed")
def _tags_signed(facts: Facts) -> ProbeOutcome:
    problems = facts.problems_in("git", "git-tags")
    if problems:
        return error(f"git could not read the repository: {problems[0].message}", problems)
    if facts.git is None:
        return unknown(NOT_A_CHECKOUT)
    tags = _version_tags(facts)[:10]
    if not tags:
        return shallow_clone(facts, "release tags") or not_applicable("no release tags")
    ev = [
        Fact(
            src(commit=t.commit),
            f"tag {t.name}: "
            + (
                "verified signature"
                if t.verified
                else "BAD signature"
                if t.verified is False
                else "signed, not verified"
                if t.signed
                else "unsigned"
            ),
        )
        for t in tags
    ]
    if any(t.verified is False for t in tags):
        return failed("a release tag has a bad signature", ev)
    unsigned = [t for t in tags if not t.signed]
    if unsigned:
        return failed(f"{len(unsigned)} of the {len(tags)} newest version tags are not signed", ev)
    if all(t.verified for t in tags):
        return passed("the newest version tags carry verified signatures", ev)
    return passed(
        "the newest version tags are signed (not all verified: signer keys unavailable)", ev
    )


@probe("release_notes_present")
def _release_notes(facts: Facts) -> ProbeOutcome:
    forge = facts.forge
    if forge is not None and forge.releases:
        empty = [r for r in forge.releases[:5] if len(r.body.strip()) < 10]
        ev = [
            Fact(src(r.url), f"release {r.tag}: {len(r.body)} characters of notes")
            for r in forge.releases[:5]
        ]
        if not empty:
            return passed("recent releases have release notes", ev)
        if not facts.docs.changelog:
            return failed(
                f"{counted(len(empty), 'recent release')} without notes, and no changelog", ev
            )
    tags = _version_tags(facts)
    # a shallow clone's missing tags are no "no releases yet": the changelog decides below
    cut = forge is None and shallow_clone(facts, "release tags") is not None
    if not tags and (forge is None or not forge.releases) and not cut:
        return (
            not_applicable("no releases yet")
            if forge is not None or facts.git is not None
            else unknown("no release information")
        )
    behind = changelog_behind(facts)
    if behind:  # and no forge release notes (above)
        found = ", ".join(behind)
        what = f"the in-tree changelog does not mention the newest releases ({found})"
        if forge is None:
            return unknown(f"{what}; release notes on the forge not available", [])
        return failed(f"{what} and the forge releases have no notes")
    if facts.docs.changelog and tags:
        latest = str(getattr(tags[0], "name", ""))
        if changelog_lag(facts, latest) is not None:
            return passed(
                f"changelog maintained, one release behind: it does not name the latest tag "
                f"{latest} yet",
                facts.docs.changelog,
            )
        version = re.sub(r"^.*?(\d)", r"\1", latest, count=1)
        return passed(
            f"changelog maintained (latest tag {latest}, version {version})", facts.docs.changelog
        )
    if facts.docs.changelog:
        return passed("changelog maintained", facts.docs.changelog)
    if forge is None:
        return unknown("no changelog in the tree; release notes on the forge not available")
    return failed("no changelog and no release notes")


_SIGNATURE_ASSET = re.compile(
    r"\.(?:asc|sig|minisig|sigstore(?:\.json)?|pem|intoto\.jsonl|bundle)$|sha\d+sums?\.(?:asc|"
    r"sig)$",
    re.I,
)


_PROVENANCE_ASSET = re.compile(r"\.intoto\.jsonl$|provenance|\.att(?:estation)?\.json$", re.I)


@probe("release_artifacts_signed")
def _artifacts_signed(facts: Facts) -> ProbeOutcome:
    forge = facts.forge
    if forge is None or forge.releases is None:
        return no_forge(forge, "releases")
    with_assets = [r for r in forge.releases if r.assets][:5]
    if not with_assets:
        return not_applicable("no release with assets")
    unsigned = [
        r for r in with_assets if not any(_SIGNATURE_ASSET.search(a.name) for a in r.assets)
    ]
    ev = [
        Fact(src(r.url), f"release {r.tag}: " + ", ".join(a.name for a in r.assets)[:200])
        for r in with_assets
    ]
    if unsigned:
        return failed(
            f"{len(unsigned)} of {len(with_assets)} recent releases have no signatures", ev
        )
    return passed("recent releases carry signatures", ev)


@probe("release_provenance")
def _provenance(facts: Facts) -> ProbeOutcome:
    found = [f for w in facts.workflows for f in w.provenance]
    forge = facts.forge
    if forge is not None and forge.releases:
        found += [
            Fact(src(a.url), f"provenance asset {a.name}")
            for r in forge.releases
            for a in r.assets
            if _PROVENANCE_ASSET.search(a.name)
        ]
    if found:
        return passed("build provenance generated or published", found)
    if forge is None or forge.releases is None:
        return unknown(
            "no provenance generation in CI; release assets not available without forge data"
        )
    if not any(r.assets for r in forge.releases):
        return not_applicable("no release assets")
    if unread := unread_ci(facts):
        return unknown(
            "no build provenance in the CI Steward reads or among release assets; "
            f"{ci_not_read(unread)}: attest whether it generates it",
            [Fact(w.source, f"{w.system} CI, not read") for w in unread],
        )
    return failed("no build provenance in CI or among release assets")
