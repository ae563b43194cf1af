"""Documentation probes: one per kind of document found by ``collect.documents``."""

from __future__ import annotations

from steward.collect.facts import Facts
from steward.evaluate.model import ProbeOutcome, ProbeStatus
from steward.evaluate.probes.base import (
    failed,
    passed,
    present,
    probe,
)
from steward.evaluate.probes.ownerdefaults import offline_hint, owner_default
from steward.evaluate.probes.releases import changelog_behind

# documents GitHub takes from the owner's .github repository when the tree has none
_OWNER_DEFAULTS = {"contributing": "contribution guide (CONTRIBUTING.md)",
                   "governance": "governance document (GOVERNANCE.md)",
                   "bug_reporting": "issue templates"}  # fmt: skip


def _doc_probe(name: str, attr: str, what: str) -> None:
    def fn(facts: Facts) -> ProbeOutcome:
        found = getattr(facts.docs, attr)
        if not found and attr in _OWNER_DEFAULTS:
            inherited = owner_default(facts, attr)
            if inherited is not None:
                return passed(f"{what}: the owner's default applies", inherited[1])
        outcome = present(facts, found, what)
        hint = offline_hint(facts, _OWNER_DEFAULTS[attr]) if attr in _OWNER_DEFAULTS else ""
        if hint and outcome.status is ProbeStatus.FAIL:
            return outcome.model_copy(update={"message": outcome.message + hint})
        return outcome

    probe(name)(fn)


for _name, _attr, _what in (
    ("readme_present", "readme", "README"),
    ("user_documentation_present", "user_docs", "user documentation"),
    ("contributing_guide_present", "contributing", "contribution guide"),
    ("bug_reporting_documented", "bug_reporting", "how to report bugs"),
    ("governance_documented", "governance", "governance documentation"),
    ("codeowners_present", "codeowners", "CODEOWNERS"),
    ("build_instructions_documented", "build_instructions", "build instructions"),
    ("support_policy_documented", "support_policy", "support policy"),
    ("dependency_policy_documented", "dependency_policy", "dependency policy"),
    (
        "release_verification_documented",
        "release_verification",
        "release verification instructions",
    ),
    ("threat_model_present", "threat_model", "threat model or security assessment"),
    ("design_documented", "design", "design documentation"),
    ("tests_present", "tests", "automated tests"),
):
    _doc_probe(_name, _attr, _what)


@probe("changelog_present")
def _changelog(facts: Facts) -> ProbeOutcome:
    """A changelog in the tree that is maintained: one that stopped several releases ago
    (it names neither of the two newest release versions) is not (its notes moved to the
    forge's release pages, which ``release_notes_present`` judges)."""
    behind = changelog_behind(facts)
    if behind:
        return failed(
            f"the changelog is not maintained: it does not mention the newest releases "
            f"({', '.join(behind)})",
            facts.docs.changelog,
        )
    return present(facts, facts.docs.changelog, "changelog")
