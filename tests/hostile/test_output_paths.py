"""Output paths (issue 18, kind 1): every command with ``-o`` x every kind of output path.

The rules (steward/safeio.py): ``-`` is stdout; a new name or a regular file is replaced through
a temporary file and a rename; a device or FIFO is written straight to and never replaced; a
symbolic link is followed to its final target (the link stays); a directory, a dangling link
or a link loop is refused with exit 2. Multi-file output (``sbom --split``) is all-or-nothing.

Devices: only ``/dev/full`` is written to, through a symlink in a temp directory (writing to it
fails with ENOSPC and changes nothing); ``/dev/null`` and ``/dev/zero`` are never touched.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.cases import OUTPUT_ROWS, REFUSES_STREAMS
from tests.hostile.conftest import Outcome, Sandbox, build_sandbox

OUTPUT_KINDS = ("new", "regular", "directory", "fifo", "full", "link_to_file", "dangling", "loop")


def output_commands() -> list[str]:
    """Every command of the CLI with an ``--output`` option."""
    import click
    import typer

    from steward.cli.app import app

    root = typer.main.get_command(app)
    found: list[str] = []

    def walk(cmd: Any, ctx: click.Context, words: list[str]) -> None:
        if hasattr(cmd, "list_commands"):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, click.Context(sub, parent=ctx, info_name=name), [*words, name])
        elif any("--output" in getattr(p, "opts", ()) for p in cmd.params):
            found.append(" ".join(words))

    walk(root, click.Context(root, info_name="steward"), [])
    return sorted(found)


def test_every_output_command_has_a_row() -> None:
    missing = [c for c in output_commands() if c not in OUTPUT_ROWS]
    assert not missing, f"commands with --output and no row in cases.OUTPUT_ROWS: {missing}"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Inputs the output rows read: a case store with a case and a profile, an SBOM, an
    advisory, a vulnerability database and a repository list (built once)."""
    from steward.cli.app import main

    base = tmp_path_factory.mktemp("prepared")
    box = build_sandbox(base / "box")
    db = str(base / "cases.db")

    def run(*args: str) -> None:
        try:
            main(["-q", *args])
        except SystemExit as exc:
            assert exc.code in (0, None), f"setup failed: steward {' '.join(args)}"

    run(
        "case", "profile", "set", "--name", "Acme", "--country", "DE",
        "--website", "https://acme.example", "--contact-email", "sec@acme.example", "--db", db,
    )  # fmt: skip
    case_file = base / "case-id.txt"
    run("case", "list", "--db", db)  # migrations done before the id is captured
    import contextlib
    import io

    buf = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(buf):
        run(
            "case", "new", "Heap overflow", "--product", "acme-web", "--product-version", "1.0",
            "--vendor", "Acme", "--fixed", "1.1", "--db", db,
        )  # fmt: skip
    buf.flush()
    case_id = buf.buffer.getvalue().decode().strip().splitlines()[-1]  # type: ignore[attr-defined]
    case_file.write_text(case_id)
    run("case", "event", case_id, "exploitation_aware", "--db", db)
    advisory = base / "advisory.json"
    run("case", "advisory", case_id, "--format", "csaf", "--db", db, "-o", str(advisory))
    bom = base / "bom.cdx.json"
    run("sbom", str(box.root), "-o", str(bom))
    osv = base / "PYSEC-2099-1.json"
    from tests.hostile.test_matrix import _OSV

    osv.write_bytes(_OSV)
    vulndb = base / "vulns.db"
    run("db", "import", str(osv), "--db", str(vulndb))
    repo_list = base / "repos.txt"
    repo_list.write_text(f"{box.root}\n")
    return {
        "root": str(box.root),
        "db": db,
        "case": case_id,
        "advisory": str(advisory),
        "bom": str(bom),
        "vulndb": str(vulndb),
        "list": str(repo_list),
    }


def _fill(argv: tuple[str, ...], values: dict[str, str]) -> list[str]:
    out = []
    for token in argv:
        for key, value in values.items():
            token = token.replace("{" + key + "}", value)
        out.append(token)
    return out


def _temp_leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


class FifoReader(threading.Thread):
    """Reads a FIFO to its end in the background (so a writer can open it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.data = b""

    def run(self) -> None:
        with self.path.open("rb") as fh:
            self.data = fh.read()


def _release(reader: FifoReader) -> None:
    """Unblock a reader whose writer never came (open for writing, then close)."""
    reader.join(2)
    if reader.is_alive():
        try:
            fd = os.open(reader.path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # the reader is not (or no longer) waiting in open()
            pass
        else:
            os.close(fd)
        reader.join(5)


@pytest.mark.parametrize("kind", OUTPUT_KINDS)
@pytest.mark.parametrize("command", sorted(OUTPUT_ROWS))
def test_output_kind(
    command: str,
    kind: str,
    prepared: dict[str, str],
    sandbox: Sandbox,
    run_guarded: Callable[..., Outcome],
) -> None:
    slow = command in ("assess-many", "evidence pack", "docs", "assess")
    if slow and kind in ("new", "loop"):
        pytest.skip("the same writer as the other rows; kept fast")
    where = sandbox.base / "out"
    out = where / "result"
    elsewhere = sandbox.base / "elsewhere"
    elsewhere.mkdir()
    real = elsewhere / "real.txt"
    reader: FifoReader | None = None
    if kind == "regular":
        out.write_bytes(b"old content\n")
        out.chmod(0o640)
    elif kind == "directory":
        out.mkdir()
        (out / "keep.txt").write_text("keep\n")
    elif kind == "fifo":
        os.mkfifo(out)
        if command not in REFUSES_STREAMS:
            reader = FifoReader(out)
            reader.start()
    elif kind == "full":
        out.symlink_to("/dev/full")
    elif kind == "link_to_file":
        real.write_bytes(b"old content\n")
        out.symlink_to(real)
    elif kind == "dangling":
        out.symlink_to(elsewhere / "missing.txt")
    elif kind == "loop":
        out.symlink_to(out.name)
    values = {**prepared, "out": str(out)}
    argv = _fill(OUTPUT_ROWS[command], values)
    try:
        result = run_guarded(*argv, limit=60)
    finally:
        if reader is not None:
            _release(reader)
    shown = f"steward {' '.join(argv)}\nexit {result.exit_code}\n{result.stderr[-1500:]}"
    assert "Traceback" not in result.text and "internal error" not in result.stderr, shown
    assert not _temp_leftovers(where) and not _temp_leftovers(elsewhere), shown
    success = {0, 1}
    refuse_stream = command in REFUSES_STREAMS and kind in ("fifo", "full", "link_to_file")
    if kind in ("directory", "dangling", "loop") or refuse_stream:
        assert result.exit_code == 2, shown
        assert str(out) in result.stderr, shown
    if kind == "new":
        assert result.exit_code in success, shown
        assert out.is_file() and out.stat().st_size > 0, shown
    elif kind == "regular":
        assert result.exit_code in success, shown
        assert out.read_bytes() != b"old content\n" and out.stat().st_size > 0, shown
        if command not in REFUSES_STREAMS:  # assess-many's journal has its own writer
            assert stat.S_IMODE(out.stat().st_mode) == 0o640, "the file's mode was not kept"
    elif kind == "directory":
        assert out.is_dir() and (out / "keep.txt").read_text() == "keep\n"
    elif kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(out).st_mode), "the FIFO was replaced"
        if reader is not None:
            assert result.exit_code in success, shown
            assert reader.data, f"nothing arrived through the FIFO\n{shown}"
    elif kind == "full":
        assert out.is_symlink() and stat.S_ISCHR(os.stat("/dev/full").st_mode)
        if not refuse_stream:
            assert result.exit_code == 2, shown
            assert "No space left on device" in result.stderr, shown
            assert str(out) in result.stderr, shown
    elif kind == "link_to_file":
        assert out.is_symlink() and os.readlink(out) == str(real), "the link was replaced"
        if not refuse_stream:
            assert result.exit_code in success, shown
            assert real.read_bytes() != b"old content\n", "the link's target was not written"
    elif kind == "dangling":
        assert not (elsewhere / "missing.txt").exists()
    elif kind == "loop":
        assert out.is_symlink()


def test_dash_is_stdout(sandbox: Sandbox, run_guarded: Callable[..., Outcome]) -> None:
    result = run_guarded("catalog", "export", "-o", "-")
    assert result.exit_code == 0 and result.stdout.lstrip().startswith("{")
    assert not Path("-").exists()


def test_failing_command_keeps_the_old_file(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    (sandbox.root / "requirements.txt").unlink()
    (sandbox.root / "package-lock.json").write_text('{"lockfileVersion": 3, "packages": ')
    sandbox.out.write_bytes(b"old sbom\n")
    result = run_guarded("sbom", str(sandbox.root), "-o", str(sandbox.out))
    assert result.exit_code == 2 and "package-lock.json" in result.stderr
    assert sandbox.out.read_bytes() == b"old sbom\n"
    assert not _temp_leftovers(sandbox.out.parent)


def _split_project(sandbox: Sandbox) -> Path:
    for sub in ("api", "web"):
        (sandbox.root / sub).mkdir()
        (sandbox.root / sub / "requirements.txt").write_text("flask==3.0.0\n")
    (sandbox.root / "requirements.txt").unlink()
    target = sandbox.base / "boms"
    target.mkdir()
    return target


def test_split_is_all_or_nothing(sandbox: Sandbox, run_guarded: Callable[..., Outcome]) -> None:
    target = _split_project(sandbox)
    (target / "api.cdx.json").write_bytes(b"old api\n")
    (target / "web.cdx.json").mkdir()  # the second target cannot be written
    result = run_guarded("sbom", str(sandbox.root), "--split", "-o", str(target))
    assert result.exit_code == 2, result.stderr
    assert "web.cdx.json" in result.stderr and "Traceback" not in result.stderr
    assert (target / "api.cdx.json").read_bytes() == b"old api\n"
    assert sorted(p.name for p in target.iterdir()) == ["api.cdx.json", "web.cdx.json"]


def test_split_writes_every_file(sandbox: Sandbox, run_guarded: Callable[..., Outcome]) -> None:
    target = _split_project(sandbox)
    (target / "api.cdx.json").write_bytes(b"old api\n")
    result = run_guarded("sbom", str(sandbox.root), "--split", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["api.cdx.json", "web.cdx.json"]
    assert (target / "api.cdx.json").read_bytes().startswith(b"{")


def test_split_into_a_file_is_refused(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    _split_project(sandbox)
    sandbox.out.write_bytes(b"a file\n")
    result = run_guarded("sbom", str(sandbox.root), "--split", "-o", str(sandbox.out))
    assert result.exit_code == 2 and str(sandbox.out) in result.stderr
    assert sandbox.out.read_bytes() == b"a file\n"


def test_write_outputs_rolls_back_on_a_failed_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from steward.errors import InputError
    from steward.safeio import write_outputs

    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_bytes(b"old a")
    second.write_bytes(b"old b")
    real_replace = Path.replace
    calls = {"n": 0}

    def flaky(self: Path, target: Any) -> Any:
        if str(target) == str(second) and self.name.endswith(".tmp"):
            calls["n"] += 1
            raise PermissionError(13, "Permission denied")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", flaky)
    with pytest.raises(InputError, match=r"b\.json"):
        write_outputs([(first, b"new a"), (second, b"new b")])
    assert calls["n"] == 1
    assert first.read_bytes() == b"old a" and second.read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_init_security_never_writes_through_a_symlink_out_of_the_tree(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    (sandbox.root / ".well-known").symlink_to(sandbox.outside, target_is_directory=True)
    before = sorted(p.name for p in sandbox.outside.iterdir())
    result = run_guarded(
        "init", "security", str(sandbox.root), "--name", "demo",
        "--repository", "https://github.com/acme/demo", "--contact", "sec@example.org",
        "--admin", "Ann Admin <ann@example.org>", "--no-prefill",
    )  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert ".well-known" in result.stderr and "symbolic link" in result.stderr
    assert sorted(p.name for p in sandbox.outside.iterdir()) == before
    assert not (sandbox.root / "SECURITY.md").exists()  # nothing written half-way


def test_steward_yml_is_never_written_through_a_symlink(sandbox: Sandbox) -> None:
    """``cra scope --save`` and ``init project`` save through configfile.save."""
    from steward.documents import configfile
    from steward.errors import InputError

    victim = sandbox.outside / "victim.yml"
    victim.write_text("untouched: true\n")
    (sandbox.root / "steward.yml").symlink_to(victim)
    with pytest.raises(InputError, match=r"steward\.yml"):
        configfile.save(sandbox.root, {"cra": {"scope": {"eu_market": True}}})
    assert victim.read_text() == "untouched: true\n"
    (sandbox.root / "steward.yml").unlink()
    saved = configfile.save(sandbox.root, {"cra": {"scope": {"eu_market": True}}})
    assert saved.created and (sandbox.root / "steward.yml").is_file()
