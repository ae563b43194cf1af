"""SECURITY.md, security.txt (RFC 9116) and security-insights.yml from a project's answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from steward.disclosure.project_files.answers import parse_answers
from steward.disclosure.project_files.init import TARGETS, render_all, write_all
from steward.disclosure.project_files.security_txt import parse_security_txt
from steward.errors import ConflictError, InputError
from steward.insights import SecurityInsights

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ANSWERS = {
    "project_name": "Example Archive",
    "repository_url": "https://github.com/example/archive",
    "license": "Apache-2.0",
    "contacts": ["security@example-archive.org", "psirt@example.org"],
    "private_reporting_url": "https://github.com/example/archive/security/advisories/new",
    "pgp_key_url": "https://example-archive.org/pgp.asc",
    "policy_url": "https://github.com/example/archive/blob/main/SECURITY.md",
    "canonical_url": "https://example-archive.org/.well-known/security.txt",
    "languages": ["en", "de"],
    "supported_versions": [
        {"versions": "2.3.x", "supported": True},
        {"versions": "< 2.3", "supported": False, "until": "2026-06-30"},
    ],
    "administrators": [{"name": "Alice White", "email": "alice@example-archive.org"}],
}


def files() -> dict[str, str]:
    return render_all(parse_answers(ANSWERS, source="test"), now=NOW)


def test_security_txt_round_trip() -> None:
    parsed = parse_security_txt(files()[".well-known/security.txt"], now=NOW)
    assert parsed.problems == []
    assert parsed.fields["contact"] == [
        "mailto:security@example-archive.org",
        "mailto:psirt@example.org",
        "https://github.com/example/archive/security/advisories/new",
    ]
    assert parsed.expires == NOW.replace(hour=12) + timedelta(days=360)
    assert parsed.first("preferred-languages") == "en, de"
    assert parsed.first("encryption") == "https://example-archive.org/pgp.asc"


def test_security_txt_parser_finds_rfc_violations() -> None:
    text = (
        "Contact: security@example.org\r\n"
        "Expires: 2026-01-01T00:00:00Z\r\n"
        "Expires: 2027-01-01T00:00:00Z\r\n"
        "Policy: http://example.org/policy\r\n"
        "this line is junk\r\n"
    )
    problems = parse_security_txt(text, now=NOW).problems
    assert any("Contact must be" in p for p in problems)
    assert any("Policy must be an https" in p for p in problems)
    assert any("Expires must not appear more than once" in p for p in problems)
    assert any("in the past" in p for p in problems)
    assert any("line 5" in p for p in problems)
    assert "Contact is required" in parse_security_txt("Expires: x\n", now=NOW).problems


def test_signed_security_txt_is_read() -> None:
    body = files()[".well-known/security.txt"]
    signed = (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
        + body
        + "-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCAAdFiEE\n-----END PGP SIGNATURE-----\n"
    )
    parsed = parse_security_txt(signed, now=NOW)
    assert parsed.signed and parsed.problems == []


def test_security_md_states_channels_timeframes_and_versions() -> None:
    text = files()["SECURITY.md"]
    assert "mailto:security@example-archive.org" in text
    assert "advisories/new" in text
    assert "within 3 days" in text
    assert "| 2.3.x | yes | — |" in text
    assert "| < 2.3 | no | 2026-06-30 |" in text


def test_security_insights_validates() -> None:
    document = yaml.safe_load(files()["security-insights.yml"])
    insights = SecurityInsights.model_validate(document)
    assert insights.header.schema_version == "2.0.0"
    assert insights.project is not None
    reporting = insights.project.vulnerability_reporting
    assert reporting.reports_accepted and reporting.contact is not None
    assert reporting.contact.email == "security@example-archive.org"
    assert (
        insights.repository is not None and insights.repository.license.expression == "Apache-2.0"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"contacts": ["not-an-address"]}, "contacts"),
        ({"policy_url": "http://insecure.example"}, "policy_url"),
        ({"contacts": []}, "contacts"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"project_name": "Example\nContact: mailto:attacker@evil.example"}, "line break"),
        ({"project_name": "Example\u2028Contact: x"}, "line break"),
        ({"administrators": [{"name": "Alice\x1b[2J"}]}, "control character"),
        # bidirectional overrides reorder what a reader sees (Trojan Source, CVE-2021-42574)
        ({"project_name": "Example \u202emoc.live@kcatta"}, "control character"),
        ({"administrators": [{"name": "Alice \u2066x\u2069"}]}, "control character"),
        ({"languages": ["en\r\nContact: x"]}, "languages"),
        ({"supported_versions": [{"versions": "2.x\n| injected |", "supported": True}]}, "line"),
        ({"expires_days": 366}, "RFC 9116"),
        ({"expires_days": 730}, "more than a year"),
    ],
)
def test_bad_answers(change: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_answers({**ANSWERS, **change}, source="answers.yml")


def test_write_all_is_all_or_nothing(tmp_path: Path) -> None:
    (tmp_path / "SECURITY.md").write_text("ours\n")
    with pytest.raises(ConflictError, match="already exist"):
        write_all(tmp_path, files())
    assert (tmp_path / "SECURITY.md").read_text() == "ours\n"
    assert not (tmp_path / ".well-known").exists()
    assert not (tmp_path / "security-insights.yml").exists()
    written = write_all(tmp_path, files(), force=True)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(TARGETS)
    assert (tmp_path / "SECURITY.md").read_text().startswith("# Security policy")
    assert not list(tmp_path.rglob("*.tmp"))


def test_write_refuses_symlinked_target(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("x")
    project = tmp_path / "project"
    project.mkdir()
    (project / "SECURITY.md").symlink_to(outside)
    with pytest.raises(InputError, match="symbolic link"):
        write_all(project, files(), force=True)
    assert outside.read_text() == "x"
    assert not (project / "security-insights.yml").exists()


def test_a_newline_in_an_answer_cannot_inject_a_security_txt_field() -> None:
    with pytest.raises(InputError, match="project_name"):
        parse_answers(
            {**ANSWERS, "project_name": "Example\nContact: mailto:attacker@evil.example"},
            source="answers.yml",
        )
    text = files()[".well-known/security.txt"]
    assert all(
        line.startswith(
            ("#", "Contact: ", "Expires: ", "Encryption: ", "Preferred-", "Canonical: ", "Policy: ")
        )
        for line in text.splitlines()
    )


def test_expires_at_most_a_year_ahead() -> None:
    answers = parse_answers({**ANSWERS, "expires_days": 365}, source="test")
    parsed = parse_security_txt(render_all(answers, now=NOW)[".well-known/security.txt"], now=NOW)
    assert parsed.problems == [] and parsed.expires == NOW + timedelta(days=365)
