"""Realistic case snapshots shared by the document tests."""

from __future__ import annotations

from datetime import UTC, datetime

from steward.disclosure.model import (
    AffectedProduct,
    CaseKind,
    CaseSnapshot,
    CaseState,
    Component,
    Embargo,
    ExploitationStatus,
    Manufacturer,
    Release,
    Reporter,
    TimelineEntry,
)


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


MANUFACTURER = Manufacturer(
    name="Example Archive Project",
    country="DE",
    address="Musterstraße 1, 10115 Berlin",
    contact_email="security@example-archive.org",
    website="https://example-archive.org",
    is_steward=False,
)

TIMELINE = (
    TimelineEntry(
        seq=1,
        kind="received",
        occurred_at=ts("2026-10-01T08:12:00+00:00"),
        recorded_at=ts("2026-10-01T08:15:00+00:00"),
        actor="alice",
        summary="Report received through GitHub private vulnerability reporting",
    ),
    TimelineEntry(
        seq=2,
        kind="confirmed",
        occurred_at=ts("2026-10-02T10:00:00+00:00"),
        recorded_at=ts("2026-10-02T10:00:00+00:00"),
        actor="alice",
    ),
    TimelineEntry(
        seq=3,
        kind="exploitation_aware",
        occurred_at=ts("2026-10-03T21:40:00+00:00"),
        recorded_at=ts("2026-10-03T22:05:00+00:00"),
        actor="bob",
        summary="Exploitation seen in the wild (honeypot logs)",
    ),
    TimelineEntry(
        seq=4,
        kind="mitigation_available",
        occurred_at=ts("2026-10-05T12:00:00+00:00"),
        recorded_at=ts("2026-10-05T12:00:00+00:00"),
        actor="alice",
        summary="2.3.1 and 1.4.2 released",
    ),
    TimelineEntry(
        seq=5,
        kind="published",
        occurred_at=ts("2026-10-06T09:00:00+00:00"),
        recorded_at=ts("2026-10-06T09:00:00+00:00"),
        actor="alice",
        summary="Advisory published",
    ),
)

EXPLOITED = CaseSnapshot(
    id="STW-2026-0007",
    title="Path traversal in archive extraction allows writing outside the target directory",
    kind=CaseKind.VULNERABILITY,
    state=CaseState.PUBLISHED,
    description=(
        "extract_all() joined member names to the destination without normalising them, so a "
        "crafted tar archive with '../' members could overwrite arbitrary files writable by "
        "the extracting process."
    ),
    products=(
        AffectedProduct(
            name="example-archive",
            vendor="Example Archive Project",
            purl="pkg:pypi/example-archive",
            ecosystem="PyPI",
            affected=(">=1.0,<1.4.2", ">=2.0,<2.3.1"),
            fixed=("1.4.2", "2.3.1"),
            member_states=("DE", "FR", "NL"),
        ),
    ),
    reporter=Reporter(
        name="Jane Researcher",
        contact="https://example.net/jane",
        channel="GitHub private vulnerability reporting",
        credit=True,
    ),
    embargo=Embargo(until=ts("2026-10-06T09:00:00+00:00"), parties=("security team",)),
    cvss_vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:H",
    cwes=("CWE-22",),
    aliases=("CVE-2026-31415", "GHSA-2c7x-9m4v-qx8p"),
    references=(
        "https://github.com/example/archive/security/advisories/GHSA-2c7x-9m4v-qx8p",
        "https://github.com/example/archive/commit/4f1c2d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e",
    ),
    exploitation=ExploitationStatus.ACTIVELY_EXPLOITED,
    exploitation_evidence=(
        "Honeypot logs show crafted archives uploaded to file-conversion services",
    ),
    malicious_actor=None,
    impact=(
        "Arbitrary file overwrite as the extracting user; "
        "remote code execution in common deployments."
    ),
    corrective_measures=(
        "Releases 1.4.2 and 2.3.1 normalise member paths and refuse members outside the target.",
    ),
    user_mitigations=(
        "Upgrade to 1.4.2 or 2.3.1.",
        "Until then, extract untrusted archives in an empty, unprivileged sandbox.",
    ),
    sensitivity="TLP:CLEAR",
    created_at=ts("2026-10-01T08:15:00+00:00"),
    updated_at=ts("2026-10-06T09:00:00+00:00"),
    aware_at=ts("2026-10-03T21:40:00+00:00"),
    mitigation_available_at=ts("2026-10-05T12:00:00+00:00"),
    fixed_at=ts("2026-10-05T12:00:00+00:00"),
    published_at=ts("2026-10-06T09:00:00+00:00"),
    member_states=("DE", "FR", "NL"),
    releases=(
        Release(
            kind="fixed",
            occurred_at=ts("2026-10-05T12:00:00+00:00"),
            versions=("1.4.2", "2.3.1"),
            description="Member paths are normalised; members outside the target are refused.",
        ),
    ),
    timeline=TIMELINE,
)

# A manufacturer's product affected through a third-party component it ships: the gateway
# 3.2.0 bundles urllib3 1.26.15; urllib3 fixed the 1.26 line in 1.26.17 (and 2.x in 2.0.6).
GATEWAY = CaseSnapshot(
    id="ACME-2026-0003",
    title="Proxy credentials leak through the bundled HTTP client",
    kind=CaseKind.VULNERABILITY,
    state=CaseState.FIX_IN_PROGRESS,
    description="The bundled urllib3 does not strip the Proxy-Authorization header on redirects.",
    products=(
        AffectedProduct(
            name="Acme Gateway",
            purl="pkg:generic/acme/gateway",
            affected=("==3.2.0",),
            fixed=("3.2.1",),
            components=(
                Component(
                    name="urllib3",
                    version="1.26.15",
                    ecosystem="PyPI",
                    purl="pkg:pypi/urllib3",
                    affected=("==1.26.15",),
                    fixed=("1.26.17",),
                ),
            ),
        ),
    ),
    cvss_vector="CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N",
    aliases=("CVE-2023-43804",),
    references=("https://github.com/urllib3/urllib3/security/advisories/GHSA-v845-jxx5-vc9f",),
    exploitation=ExploitationStatus.ACTIVELY_EXPLOITED,
    exploitation_evidence=("listed in the CISA KEV catalog",),
    created_at=ts("2026-11-20T07:00:00+00:00"),
    updated_at=ts("2026-11-24T09:30:00+00:00"),
    aware_at=ts("2026-11-20T07:00:00+00:00"),
)

INCIDENT = CaseSnapshot(
    id="STW-2026-0011",
    title="Release signing key exposed through compromised CI runner",
    kind=CaseKind.SEVERE_INCIDENT,
    state=CaseState.CONFIRMED,
    description=(
        "A self-hosted CI runner was compromised and the release signing subkey "
        "was read from its keyring."
    ),
    products=(
        AffectedProduct(
            name="example-archive",
            ecosystem="PyPI",
            purl="pkg:pypi/example-archive",
            affected=(">=2.2.0,<=2.3.0",),
            member_states=("DE",),
        ),
    ),
    exploitation=ExploitationStatus.UNKNOWN,
    suspected_malicious=True,
    created_at=ts("2026-11-20T07:00:00+00:00"),
    updated_at=ts("2026-11-20T09:30:00+00:00"),
    aware_at=ts("2026-11-20T06:45:00+00:00"),
)
