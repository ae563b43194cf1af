"""The first-run path as a new user meets it: `steward init` on a real-looking checkout, the
scope questions on a terminal, and `steward assess` taking the decided role."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.collect.gitrepo import commit, git, init

PYPROJECT = '[project]\nname = "tinyparse"\nversion = "0.3.1"\nlicense = "MIT"\n'


@pytest.fixture
def hobby(tmp_path: Path) -> Path:
    """A one-person Python library: a name in pyproject.toml, an MIT licence, a GitHub
    origin, a security policy; no steward.yml."""
    root = tmp_path / "tinyparse-checkout"
    init(root)
    from tests.evaluate.test_assess import LICENSES

    commit(root, "init", {"pyproject.toml": PYPROJECT, "LICENSE": (LICENSES / "MIT").read_text(),
                          "SECURITY.md": "# Security\n\nMail jo@tinyparse.example\n",
                          "src/tinyparse/__init__.py": "x = 1\n"})  # fmt: skip
    git(root, "remote", "add", "origin", "https://github.com/jo/tinyparse.git")
    return root


def test_init_reads_what_the_checkout_tells_and_asks_only_the_rest(
    cli, hobby: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    replies = {
        "Is the software": True, "Is it covered by sector": False,
        "Do you only contribute": False, "Do you charge a price": False,
        "Do you charge for technical": False, "Do you use the software as a platform": False,
        "Does using it require": False, "Do you accept donations": False,
        "Is the product free and open-source": True, "Are you a legal person": False,
    }  # fmt: skip

    def confirm(text: str, **kwargs: Any) -> bool:
        asked.append(text)
        return next(v for k, v in replies.items() if text.startswith(k))

    def prompt(text: str, **kwargs: Any) -> str:
        raise AssertionError(f"asked {text!r}, which the checkout tells")

    monkeypatch.setattr("typer.confirm", confirm)
    monkeypatch.setattr("typer.prompt", prompt)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    result = cli("init", "-C", str(hobby))
    assert result.exit_code == 0, result.stderr
    written = yaml.safe_load((hobby / "steward.yml").read_text())
    assert written["project"] == {"name": "tinyparse", "repository":
                                  "https://github.com/jo/tinyparse", "license": "MIT",
                                  "manifests": ["pyproject.toml"]}  # fmt: skip
    assert written["cra"]["scope"] == {
        "eu_market": True, "excluded_sector": False, "contributor_only": False,
        "charges_price": False, "paid_support_beyond_costs": False, "monetised_platform": False,
        "personal_data_beyond_security": False, "donations_for_profit": False,
        "free_open_source": True, "legal_person": False,
    }  # fmt: skip
    assert len(asked) == len(replies)  # each question once, nothing else
    steps = [line for line in result.stdout.splitlines() if line[:4].strip().rstrip(".").isdigit()]
    assert len(steps) == 5
    assert "steward cra scope" not in result.stdout  # decided: non-commercial
    assert "steward docs art25-attestation" in result.stdout
    scope = json.loads(cli("cra", "scope", str(hobby), "-f", "json", "--no-input").stdout)
    assert scope["role"] == "non-commercial" and scope["missing"] == []
    again = cli("init", "-C", str(hobby), "--no-input")
    assert "already holds everything" in again.stderr


@pytest.mark.parametrize(
    ("scope", "role"),
    [
        ({"eu_market": True, "excluded_sector": False, "contributor_only": False,
          "charges_price": True, "own_name": True, "category": "none"}, "manufacturer"),
        ({"eu_market": True, "excluded_sector": False, "contributor_only": False,
          "charges_price": False, "paid_support_beyond_costs": False,
          "monetised_platform": False, "personal_data_beyond_security": False,
          "donations_for_profit": False, "free_open_source": True, "legal_person": True,
          "sustained_support": True}, "steward"),
        ({"eu_market": True}, "project"),
    ],
)  # fmt: skip
def test_assess_takes_the_decided_role(cli, hobby: Path, scope: dict[str, Any], role: str) -> None:
    (hobby / "steward.yml").write_text(yaml.safe_dump({"cra": {"scope": scope}}))
    result = cli("assess", str(hobby), "--format", "json", "--offline")
    assert result.exit_code in (0, 1), result.stderr
    assert json.loads(result.stdout)["role"] == role
    given = cli("assess", str(hobby), "--format", "json", "--offline", "--role", "project")
    assert json.loads(given.stdout)["role"] == "project"


def test_a_signed_pack_with_pdfs_is_the_same_from_any_checkout(
    cli, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an auditor re-runs: the same commit checked out elsewhere, SOURCE_DATE_EPOCH set,
    PDFs and an SSH signature included, gives the same bytes; verify accepts it with the
    signer's key and rejects it with another key or a changed member."""
    import shutil
    import subprocess
    import zipfile

    from steward.documents import render
    from tests.documents.project import ANSWERS, make_project

    if shutil.which("ssh-keygen") is None or not render.pdf_available():
        pytest.skip("needs ssh-keygen and WeasyPrint")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764374400")
    key = tmp_path / "id"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "a", "-f", str(key)],
                   check=True)  # fmt: skip
    signers = tmp_path / "allowed"
    signers.write_text(f"release@acme.example {Path(f'{key}.pub').read_text()}")
    first = make_project(tmp_path / "one" / "widget", shared_data, answers=ANSWERS)
    second = tmp_path / "elsewhere" / "checkout"
    subprocess.run(["git", "clone", "-q", str(first), str(second)], check=True)
    subprocess.run(["git", "-C", str(second), "remote", "set-url", "origin",
                    "https://github.com/acme/widget.git"], check=True)  # fmt: skip
    packs = []
    for root in (first, second):
        monkeypatch.chdir(root)  # each run as a user would: from the checkout, with "."
        out = tmp_path / f"{root.parent.name}.zip"
        result = cli("evidence", "pack", ".", "-o", str(out), "--pdf", "--sign-key", str(key))
        assert result.exit_code == 0, result.stderr
        packs.append(out)
    assert packs[0].read_bytes() == packs[1].read_bytes()
    with zipfile.ZipFile(packs[0]) as zf:
        assert "documents/annex-vii.pdf" in zf.namelist()
    ok = cli("evidence", "verify", str(packs[0]), "--allowed-signers", str(signers))
    assert ok.exit_code == 0 and "OK signature by release@acme.example" in ok.stdout
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    wrong = tmp_path / "wrong-signers"
    wrong.write_text(f"release@acme.example {Path(f'{other}.pub').read_text()}")
    assert cli("evidence", "verify", str(packs[0]), "--allowed-signers", str(wrong)).exit_code == 1
