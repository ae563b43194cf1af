"""security.txt (RFC 9116): writing one from a project's answers, and reading any back.

The parser is our own: RFC 9116 is a short line format and no maintained Python library
validates it. It accepts CRLF or LF line endings and an OpenPGP cleartext signature around
the fields (the RFC recommends signing), and reports every violation of the RFC's MUSTs:
``Contact`` present (URIs: ``mailto:``, ``https:``, ``tel:``), ``Expires`` present exactly once
in ISO 8601 / RFC 3339 form with a timezone and not in the past, ``Preferred-Languages`` and
``Canonical``-style web URIs with ``https://``, no field beyond the single-instance ones
repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from steward.disclosure.project_files.answers import SecurityAnswers

_WEB_FIELDS = ("acknowledgments", "canonical", "encryption", "hiring", "policy", "csaf")
_SINGLE = ("expires", "preferred-languages")
_FIELD = re.compile(r"^([A-Za-z0-9-]+):\s*(.*?)\s*$")


def render_security_txt(answers: SecurityAnswers, *, now: datetime) -> str:
    """The security.txt text (LF line endings, fields in the RFC's order of presentation)."""
    expires = (now.astimezone(UTC) + timedelta(days=answers.expires_days)).replace(microsecond=0)
    lines = [
        "# Security contact information for " + answers.project_name,
        "# Format: RFC 9116 (https://www.rfc-editor.org/rfc/rfc9116)",
    ]
    lines += [f"Contact: mailto:{email}" for email in answers.contacts]
    if answers.private_reporting_url:
        lines.append(f"Contact: {answers.private_reporting_url}")
    lines.append(f"Expires: {expires.isoformat().replace('+00:00', 'Z')}")
    if answers.pgp_key_url:
        lines.append(f"Encryption: {answers.pgp_key_url}")
    if answers.acknowledgments_url:
        lines.append(f"Acknowledgments: {answers.acknowledgments_url}")
    lines.append(f"Preferred-Languages: {', '.join(answers.languages)}")
    if answers.canonical_url:
        lines.append(f"Canonical: {answers.canonical_url}")
    if answers.policy_url:
        lines.append(f"Policy: {answers.policy_url}")
    if answers.csaf_provider_url:
        lines.append(f"CSAF: {answers.csaf_provider_url}")
    return "\n".join(lines) + "\n"


@dataclass
class SecurityTxt:
    """A parsed security.txt: field name (lower case) → values, plus problems found."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    signed: bool = False

    def first(self, name: str) -> str | None:
        values = self.fields.get(name.lower())
        return values[0] if values else None

    @property
    def expires(self) -> datetime | None:
        value = self.first("expires")
        return _parse_expires(value) if value else None


def _parse_expires(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _strip_signature(text: str) -> tuple[str, bool]:
    if "-----BEGIN PGP SIGNED MESSAGE-----" not in text:
        return text, False
    body = text.split("-----BEGIN PGP SIGNED MESSAGE-----", 1)[1]
    body = body.split("-----BEGIN PGP SIGNATURE-----", 1)[0]
    lines = body.splitlines()
    # skip the armor headers (Hash: ...) up to the first empty line
    while lines and lines[0].strip():
        lines.pop(0)
    # dash-escaped lines ("- -----") are unescaped
    return "\n".join(line[2:] if line.startswith("- ") else line for line in lines), True


def parse_security_txt(text: str, *, now: datetime) -> SecurityTxt:
    """Parse security.txt text and check it against RFC 9116's requirements."""
    body, signed = _strip_signature(text)
    result = SecurityTxt(signed=signed)
    for number, raw in enumerate(body.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _FIELD.match(line)
        if match is None:
            result.problems.append(f"line {number}: not a 'Field: value' line")
            continue
        name, value = match.group(1).lower(), match.group(2)
        result.fields.setdefault(name, []).append(value)
        if name == "contact" and not value.startswith(("mailto:", "https://", "tel:")):
            result.problems.append(
                f"line {number}: Contact must be a mailto:, https:// or tel: URI"
            )
        if name in _WEB_FIELDS and not value.startswith("https://"):
            result.problems.append(f"line {number}: {match.group(1)} must be an https:// URI")
    if not result.fields.get("contact"):
        result.problems.append("Contact is required")
    for name in _SINGLE:
        if len(result.fields.get(name, [])) > 1:
            result.problems.append(f"{name.title()} must not appear more than once")
    expires = result.fields.get("expires")
    if not expires:
        result.problems.append("Expires is required")
    else:
        when = _parse_expires(expires[0])
        if when is None:
            result.problems.append(
                f"Expires {expires[0]!r} is not an RFC 3339 date-time with timezone"
            )
        elif when <= now:
            result.problems.append(f"Expires {expires[0]} is in the past")
        elif when > now + timedelta(days=366):
            result.problems.append("Expires is more than a year ahead (RFC 9116 recommends less)")
    return result
