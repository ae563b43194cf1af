"""Kinds met in the held-out-13a blind round (hukkin/tomli, pytest-dev/iniconfig,
python-jsonschema/referencing), each on a small self-written repository collected from its
files (``collect_facts``) and judged by the probe, with the evidence at the exact file and
line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluate.probes.onrepo import judge, where

# -- an e-mail address written out with each part quoted as code: "`sec` at `example.org`"

CONTACT_PROBES = (
    "security_policy_private_contact",
    "security_contacts_listed",
    "reporting_without_account",
    "report_encryption_key",
)


@pytest.mark.parametrize(
    "sentence",
    [
        "please send an email to `Widget+Security` at `Example.org` with subject SECURITY.",
        'please write to "security" at "widget.example.org".',
        "please send an e-mail to security at widget.example.org.",
    ],
)
def test_an_address_written_out_with_quoted_parts_is_a_private_contact(
    tmp_path: Path, sentence: str
) -> None:
    policy = f"# Security Policy\n\n## Reporting\n\nTo report a vulnerability, {sentence}\n"
    out = judge(tmp_path, {".github/SECURITY.md": policy}, *CONTACT_PROBES)
    for probe in CONTACT_PROBES[:3]:
        assert out[probe].status.value == "pass", probe
        assert where(out[probe]) == [".github/SECURITY.md:5"], probe
    # e-mail is the method, and no key is published
    assert out["report_encryption_key"].status.value == "fail"


@pytest.mark.parametrize(
    "sentence",
    [
        "Have a look at docs.widget.org for the details.",
        "We looked `closely` at `setup.py` before the release.",
        "Open an issue; mail is not read. Look at widget.org first.",
    ],
)
def test_prose_with_at_and_a_domain_is_no_contact(tmp_path: Path, sentence: str) -> None:
    policy = f"# Security Policy\n\n## Reporting\n\n{sentence}\n"
    out = judge(tmp_path, {"SECURITY.md": policy}, "security_policy_private_contact")
    assert out["security_policy_private_contact"].status.value == "fail"
