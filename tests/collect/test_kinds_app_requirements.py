"""A Python application's ``requirements.txt`` at the root, with no ``setup.py`` or
``pyproject.toml``, is the project's dependency manifest (OSPS-QA-02.01): "dependency
manifest: not found" was a false level-1 fail (noticed by the held-out-16g helper). It locks
the application only where it pins every requirement. A ``docs/requirements.txt`` or
``ci/requirements.txt`` alone lists the tools of a documentation or CI build, not the
project's dependencies."""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

APP = {"app.py": "import flask\n"}


def _outcomes(root: Path) -> dict[str, str]:
    facts = collect_facts(root)
    return {p: run_probe(p, facts).status.value
            for p in ("dependency_manifest_present", "lockfiles_present")}  # fmt: skip


def test_a_root_requirements_file_is_an_applications_manifest(tmp_path: Path) -> None:
    write(tmp_path, {**APP, "requirements.txt": "flask==3.0.3\nrequests==2.32.3\n"})
    assert _outcomes(tmp_path) == {"dependency_manifest_present": "pass",
                                   "lockfiles_present": "pass"}  # fmt: skip


def test_ranges_in_it_leave_the_application_unlocked(tmp_path: Path) -> None:
    write(tmp_path, {**APP, "requirements/base.txt": "flask>=3\n"})
    assert _outcomes(tmp_path) == {"dependency_manifest_present": "pass",
                                   "lockfiles_present": "fail"}  # fmt: skip


def test_a_docs_or_ci_requirements_file_alone_is_no_manifest(tmp_path: Path) -> None:
    write(tmp_path, {"src/widget.cpp": "int main() { return 0; }\n",
                     "docs/requirements.txt": "sphinx==7.4.7\n",
                     "ci/requirements.txt": "cmake==3.30.0\n"})  # fmt: skip
    assert _outcomes(tmp_path)["dependency_manifest_present"] == "fail"
