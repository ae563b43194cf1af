"""Kinds decided from the judgement labels the blind rounds left open, each on a small
self-written fixture:

- a documentation section on a library's concepts ("Core Concepts": the logger's channel, the
  handler stack a record traverses) describes its design, as an "Architecture" section does,
  when it says something at length; a two-line "Concepts" glossary does not
  (held-out-8d, monolog);
- a documentation page titled "Design Choices", or a file named ``design_choices.rst`` or
  ``design-rationale.md``, is design documentation, as "Design Decisions" is (held-out-10a,
  quart);
- a README whose paragraph on the interfaces the package holds links the published
  specification (a PSR, a Jakarta EE specification, an RFC) documents the package for its
  users, as a specification kept in the tree does; a library that only cites the RFC it
  implements does not (held-out-10a, php-fig/container);
- a documentation page on a class of attacks and their mitigations ("Denial Of Service
  mitigations") is a threat model of that class; a hardening page titled "Security" is not
  (held-out-10a, quart; held-out-8d, commonmark);
- a docs section asking how the whole works ("How does it work?") is design, as the page
  title is; a FAQ's question about one part ("How do version numbers work?") is not; a guide
  for coding agents (AGENTS.md, CLAUDE.md) with an architecture section said at length is
  design documentation (held-out-11a, pluggy).
"""

from __future__ import annotations

from pathlib import Path

from tests.evaluate.probes.onrepo import judge, where

_WORDS = (
    "Every logger has a channel and a stack of handlers. A record added to the logger"
    " traverses the stack; each handler decides whether it handled the record and whether"
    " the record bubbles up to the next one. Formatters normalise records for the handlers,"
    " and processors add extra data before a record is handled.\n"
)


def test_a_core_concepts_section_of_a_docs_page_is_design(tmp_path: Path) -> None:
    usage = "# Using the logger\n\n## Installation\n\nRun composer.\n\n"
    usage += f"## Core Concepts\n\n{_WORDS}"
    files = {"README.md": "# Logger\n\nA logger.\n", "doc/01-usage.md": usage}
    files["src/A.php"] = "<?php\n"
    out = judge(tmp_path, files, "design_documented")["design_documented"]
    assert out.status.value == "pass"
    assert where(out) == ["doc/01-usage.md:7"]


def test_a_short_concepts_glossary_is_not_design(tmp_path: Path) -> None:
    usage = "# Using the logger\n\n## Concepts\n\nSee the glossary.\n"
    files = {"README.md": "# Logger\n\nA logger.\n", "doc/usage.md": usage, "src/A.php": "<?php\n"}
    out = judge(tmp_path, files, "design_documented")["design_documented"]
    assert out.status.value == "fail"


def test_a_design_choices_page_is_design(tmp_path: Path) -> None:
    page = ".. _design_choices:\n\nDesign Choices\n==============\n\nCoroutines are preferred.\n"
    files = {"README.md": "# Web\n\nA framework.\n", "docs/discussion/choices.rst": page}
    out = judge(tmp_path, files, "design_documented")["design_documented"]
    assert out.status.value == "pass"
    assert where(out) == ["docs/discussion/choices.rst:3"]


def test_design_choices_and_rationale_file_names_are_design(tmp_path: Path) -> None:
    for name in ("docs/design_choices.rst", "doc/design-rationale.md"):
        root = tmp_path / name.replace("/", "_")
        files = {"README.md": "# Web\n\nA framework.\n", name: "Notes\n"}
        out = judge(root, files, "design_documented")["design_documented"]
        assert out.status.value == "pass", name
        assert [e.path for e in out.evidence] == [name]


_CONTAINER = (
    "Container interface\n==============\n\n"
    "This repository holds all interfaces related to [PSR-11 (Container Interface)][psr-url].\n"
    "\nNote that this is not a Container implementation of its own.\n\n"
    "[psr-url]: https://www.php-fig.org/psr/psr-11/\n"
)


def test_an_interfaces_package_linking_its_specification_has_user_docs(tmp_path: Path) -> None:
    files = {"README.md": _CONTAINER, "src/ContainerInterface.php": "<?php\ninterface C {}\n"}
    out = judge(tmp_path, files, "user_documentation_present")["user_documentation_present"]
    assert out.status.value == "pass"
    assert where(out) == ["README.md:4"]


def test_an_inline_jakarta_specification_link_counts(tmp_path: Path) -> None:
    readme = (
        "# Annotations API\n\nThe API interfaces of the\n"
        "[Jakarta Annotations](https://jakarta.ee/specifications/annotations/) specification.\n"
    )
    files = {"README.md": readme, "api/src/A.java": "package a;\n"}
    out = judge(tmp_path, files, "user_documentation_present")["user_documentation_present"]
    assert out.status.value == "pass"
    assert where(out) == ["README.md:4"]


def test_a_library_citing_the_rfc_it_implements_has_no_user_docs(tmp_path: Path) -> None:
    readme = (
        "# uuid\n\nGenerates identifiers as [RFC 9562](https://www.rfc-editor.org/rfc/rfc9562)"
        " says.\n\nThe specification is at [psr]\n\n[psr]: https://www.php-fig.org/psr/psr-11/\n"
    )
    files = {"README.md": readme, "src/uuid.c": "int main(void) { return 0; }\n"}
    out = judge(tmp_path, files, "user_documentation_present")["user_documentation_present"]
    assert out.status.value == "fail"


def test_a_specification_body_home_page_is_not_a_specification(tmp_path: Path) -> None:
    readme = "# Interfaces\n\nThe interfaces of [PHP-FIG](https://www.php-fig.org/).\n"
    files = {"README.md": readme, "src/A.php": "<?php\n"}
    out = judge(tmp_path, files, "user_documentation_present")["user_documentation_present"]
    assert out.status.value == "fail"


def test_a_page_on_attack_mitigations_is_a_threat_model(tmp_path: Path) -> None:
    page = (
        ".. _dos:\n\nDenial Of Service mitigations\n=============================\n\n"
        "A client can hold connections open or make the server buffer a large body.\n"
    )
    files = {"README.md": "# Web\n\nA framework.\n", "docs/discussion/dos.rst": page}
    out = judge(tmp_path, files, "threat_model_present")["threat_model_present"]
    assert out.status.value == "pass"
    assert where(out) == ["docs/discussion/dos.rst:3"]


def test_a_security_hardening_page_is_not_a_threat_model(tmp_path: Path) -> None:
    page = "# Security\n\nSet html_input to strip when the input is untrusted.\n"
    files = {"README.md": "# Md\n\nA parser.\n", "docs/security.md": page}
    out = judge(tmp_path, files, "threat_model_present")["threat_model_present"]
    assert out.status.value == "fail"


def test_a_how_does_it_work_section_is_design(tmp_path: Path) -> None:
    index = (
        f"Plugins\n=======\n\nA plugin system.\n\nHow does it work?\n-----------------\n\n{_WORDS}"
    )
    files = {"README.md": "# Plugins\n\nA plugin system.\n", "docs/index.rst": index}
    out = judge(tmp_path, files, "design_documented")["design_documented"]
    assert out.status.value == "pass"
    assert where(out) == ["docs/index.rst:6"]


def test_a_faq_question_on_one_part_is_not_design(tmp_path: Path) -> None:
    faq = (
        "FAQ\n===\n\nQuestions.\n\nHow do widget version numbers work?\n"
        f"-----------------------------------\n\n{_WORDS}"
    )
    files = {"README.md": "# Widget\n\nA widget.\n", "docs/faq.rst": faq}
    out = judge(tmp_path, files, "design_documented")["design_documented"]
    assert out.status.value == "fail"


def test_an_agent_guides_architecture_section_is_design(tmp_path: Path) -> None:
    guide = f"# CLAUDE.md\n\nGuidance.\n\n## Core Architecture\n\n{_WORDS}"
    files = {"README.md": "# Plugins\n\nA plugin system.\n", "CLAUDE.md": guide}
    out = judge(tmp_path, files, "design_documented")["design_documented"]
    assert out.status.value == "pass"
    assert where(out) == ["CLAUDE.md:5"]
    short = {
        "README.md": "# P\n\nA plugin system.\n",
        "AGENTS.md": "# A\n\n## Architecture\n\nSee src.\n",
    }
    out = judge(tmp_path / "short", short, "design_documented")["design_documented"]
    assert out.status.value == "fail"
