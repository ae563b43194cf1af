"""Bad input to the CRA document commands (`steward cra scope`, `steward init`, `steward docs`,
`steward evidence`): one line naming the file and the problem, exit 2, nothing written half-way;
and no prompt without a terminal (or with --no-input), so CI never hangs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.documents.project import ANSWERS, make_project

BROKEN = {
    "syntax": ("cra:\n  scope: [1, 2\n", "steward.yml:3: invalid YAML"),
    "unknown key": ("cra:\n  product:\n    nme: widget\n", "steward.yml:3: cra.product: unknown"),
    "wrong type": (
        "cra:\n  scope:\n    eu_market: perhaps\n",
        "steward.yml:3: cra.scope.eu_market",
    ),
    "bad category": (
        "cra:\n  scope:\n    category: toaster\n",
        "steward.yml:3: cra.scope.category",
    ),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    return make_project(tmp_path_factory.mktemp("bad") / "widget", shared_data, answers=ANSWERS)


def _one_line(result: Any, message: str) -> None:
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_steward_yml_stops_every_command(cli, tmp_path: Path, case: str) -> None:
    text, message = BROKEN[case]
    root = tmp_path / "p"
    root.mkdir()
    (root / "steward.yml").write_text(text)
    out = tmp_path / "out"
    for args in (
        ("cra", "scope", str(root), "--no-input", "-o", str(out)),
        ("init", "-C", str(root), "--no-input"),
        ("docs", "annex-ii", str(root), "-o", str(out)),
        ("evidence", "pack", str(root), "-o", str(out)),
    ):
        _one_line(cli(*args), message)
        assert not out.exists(), args
        assert (root / "steward.yml").read_text() == text, args  # init did not rewrite it
    assert sorted(p.name for p in root.iterdir()) == ["steward.yml"]


def test_output_that_cannot_be_written_fails_before_any_work(
    cli, project: Path, tmp_path: Path
) -> None:
    """Reproducer: `steward docs annex-ii -o DIR` ended in an internal error (exit 3) after
    the evidence was gathered; `evidence pack -o DIR` refused only after building the pack."""
    directory = tmp_path / "existing"
    directory.mkdir()
    plain = tmp_path / "file.txt"
    plain.write_text("keep")
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "target.md")
    for output, message in (
        (directory, "is a directory; give a file name"),
        (plain / "out.md", f"{plain} is not a directory"),
        (link, "not a regular file; refusing to replace it"),
    ):
        for args in (
            ("docs", "annex-ii", str(project)),
            ("docs", "art25-attestation", str(project), "--draft"),
            ("cra", "scope", str(project), "--no-input"),
            ("evidence", "pack", str(project)),
        ):
            _one_line(cli(*args, "-o", str(output)), message)
    if Path("/proc/self").is_dir():  # a file system no one can create files in
        for args in (("docs", "annex-ii", str(project)), ("evidence", "pack", str(project))):
            _one_line(cli(*args, "-o", "/proc/steward-doccheck.out"), "cannot write")
    assert list(directory.iterdir()) == []
    assert plain.read_text() == "keep"
    assert not (tmp_path / "target.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing", "file.txt", "link.md"]


def _no_prompts(monkeypatch: pytest.MonkeyPatch) -> None:
    import typer

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"prompted: {args}")

    monkeypatch.setattr(typer, "confirm", refuse)
    monkeypatch.setattr(typer, "prompt", refuse)


@pytest.mark.parametrize("terminal", [False, True])
def test_missing_answers_in_ci_never_prompt(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    """Without a terminal, or on one with --no-input, nothing is asked: the unanswered
    question is named with its steward.yml key, and nothing is filled in."""
    _no_prompts(monkeypatch)
    monkeypatch.setattr("sys.stdin.isatty", lambda: terminal)
    root = tmp_path / "p"
    root.mkdir()
    (root / "steward.yml").write_text("cra:\n  scope:\n    eu_market: true\n")
    flag = ("--no-input",) if terminal else ()
    scope = cli("cra", "scope", str(root), "-f", "json", *flag)
    assert scope.exit_code == 0, scope.stderr
    assert '"role": "undetermined"' in scope.stdout
    assert '"key": "cra.scope.excluded_sector"' in scope.stdout
    init = cli("init", "-C", str(root), *flag)
    assert init.exit_code == 0, init.stderr
    assert "cra.scope.excluded_sector" in init.stderr
    assert "steward cra scope" in init.stdout
    assert "excluded_sector" not in (root / "steward.yml").read_text()


def test_a_bad_signing_key_or_archive_is_one_line(cli, project: Path, tmp_path: Path) -> None:
    not_a_key = tmp_path / "key"
    not_a_key.write_text("this is not an SSH key\n")
    out = tmp_path / "pack.zip"
    _one_line(cli("evidence", "pack", str(project), "-o", str(out), "--sign-key",
                  str(not_a_key)), "cannot sign")  # fmt: skip
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["key"]
    _one_line(cli("evidence", "verify", str(not_a_key)), str(not_a_key))
    _one_line(cli("evidence", "verify", str(tmp_path / "none.zip")), "none.zip")


def test_an_unknown_document_stops_the_pack_at_once(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import steward.documents.inputs

    def no_gathering(*args: object, **kwargs: object) -> None:
        raise AssertionError("evidence gathered for a pack that cannot be built")

    monkeypatch.setattr(steward.documents.inputs, "gather", no_gathering)
    out = tmp_path / "p.zip"
    result = cli("evidence", "pack", str(tmp_path), "-o", str(out), "--document", "annex-ix")
    _one_line(result, "unknown document 'annex-ix'")
    assert not out.exists()


@pytest.mark.parametrize("kind", ["symlink", "fifo", "directory"])
def test_a_steward_yml_that_is_not_a_regular_file_is_named(cli, tmp_path: Path, kind: str) -> None:
    """Reproducer: a steward.yml that was a symlink (or a FIFO) was passed over in silence:
    every answer in it read as unanswered, and `steward init` said the file "already holds
    everything"."""
    import os

    root = tmp_path / "p"
    root.mkdir()
    target = tmp_path / "real.yml"
    target.write_text("cra:\n  scope:\n    eu_market: true\n")
    config = root / "steward.yml"
    {"symlink": lambda: config.symlink_to(target), "fifo": lambda: os.mkfifo(config),
     "directory": config.mkdir}[kind]()  # fmt: skip
    for args in (
        ("cra", "scope", str(root), "--no-input"),
        ("init", "-C", str(root), "--no-input"),
        ("docs", "annex-ii", str(root)),
        ("evidence", "pack", str(root), "-o", str(tmp_path / "p.zip")),
    ):
        _one_line(cli(*args), "steward.yml: not a regular file")
    assert not (tmp_path / "p.zip").exists()


def test_init_in_an_empty_directory_writes_nothing_and_says_so(cli, tmp_path: Path) -> None:
    result = cli("init", "-C", str(tmp_path), "--no-input")
    assert result.exit_code == 0, result.stderr
    assert "no steward.yml written" in result.stderr
    assert "already holds" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_output_never_replaces_the_projects_steward_yml(
    cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`steward docs annex-ii -o steward.yml` would have replaced the answers every document
    is built from with a rendering of them."""
    before = (project / "steward.yml").read_bytes()
    monkeypatch.chdir(project)
    for args in (("docs", "annex-ii", "."), ("cra", "scope", ".", "--no-input"),
                 ("evidence", "pack", ".")):  # fmt: skip
        for output in ("steward.yml", str(project / "steward.yml")):
            _one_line(cli(*args, "-o", output), "that is the project's steward.yml")
    assert (project / "steward.yml").read_bytes() == before
