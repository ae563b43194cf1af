"""Safe reading and atomic writing: hostile inputs are refused with a one-line error."""

from __future__ import annotations

import datetime as dt
import io
import stat
import zipfile
from pathlib import Path

import pytest

from steward.errors import InputError, UnsafeInputError
from steward.safeio import (
    ZipLimits,
    atomic_write_text,
    atomic_writer,
    iter_zip,
    load_json,
    load_yaml,
    loads_yaml,
    parse_xml,
    read_text,
    resolve_within,
)


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("a: 1\nb: [unclosed\nc: 3\n")
    with pytest.raises(InputError) as info:
        load_yaml(f)
    assert str(info.value).startswith(f"{f}:")
    assert "invalid YAML" in str(info.value)


def test_yaml_alias_bomb_refused() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(UnsafeInputError, match="alias"):
        loads_yaml("\n".join(lines), source="bomb.yaml", max_aliases=50)


def test_yaml_impossible_dates_stay_text() -> None:
    """PyYAML raised a bare ValueError for a date-shaped scalar that is no date; GitHub's
    YAML has no timestamps, so a workflow with ``2027-02-30`` is valid there: the text."""
    from steward.collect.yamlpos import line_of, load_located

    text = "env:\n  CUTOFF: 2027-02-30\n  DAY: 2027-02-28\n"
    assert loads_yaml(text, source="ci.yml") == {
        "env": {"CUTOFF": "2027-02-30", "DAY": dt.date(2027, 2, 28)}
    }
    assert loads_yaml("[2027-13-01, x]", source="ci.yml") == ["2027-13-01", "x"]
    located = load_located(text, source="ci.yml")
    assert located["env"]["CUTOFF"] == "2027-02-30"
    assert line_of(located["env"]["CUTOFF"]) == 2


def test_yaml_python_tags_refused() -> None:
    with pytest.raises(InputError):
        loads_yaml("!!python/object/apply:os.system ['echo hi']", source="evil.yaml")


def test_json_error_has_line(tmp_path: Path) -> None:
    f = tmp_path / "x.json"
    f.write_text('{\n  "a": 1,\n  "b": \n}\n')
    with pytest.raises(InputError) as info:
        load_json(f)
    assert f"{f}:4" in str(info.value) or f"{f}:3" in str(info.value)


def test_binary_junk_as_text(tmp_path: Path) -> None:
    f = tmp_path / "junk.yaml"
    f.write_bytes(b"\x7fELF\x00\x00\x01\x02")
    with pytest.raises(InputError, match="binary"):
        read_text(f)


def test_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.json"
    f.write_bytes(b" " * 2048)
    with pytest.raises(UnsafeInputError, match="limit"):
        load_json(f, max_bytes=1024)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "absent")
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


def test_xml_entity_expansion_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    )
    with pytest.raises(UnsafeInputError):
        parse_xml(bomb, source="bomb.xml")


def test_xml_external_entity_refused() -> None:
    xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    with pytest.raises(UnsafeInputError):
        parse_xml(xxe, source="xxe.xml")


def test_xml_ok() -> None:
    root = parse_xml(b"<project><a>1</a></project>", source="pom.xml")
    assert root.find("a").text == "1"


def _zip_bytes(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def test_zip_traversal_refused(tmp_path: Path) -> None:
    f = tmp_path / "evil.zip"
    f.write_bytes(_zip_bytes([("../../etc/cron.d/x", b"boom")]))
    with pytest.raises(UnsafeInputError, match="unsafe path"):
        list(iter_zip(f))


def test_zip_symlink_refused(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    f = tmp_path / "link.zip"
    f.write_bytes(_zip_bytes([(info, b"/etc/passwd")]))
    with pytest.raises(UnsafeInputError, match="symbolic link"):
        list(iter_zip(f))


def test_zip_bomb_refused(tmp_path: Path) -> None:
    f = tmp_path / "bomb.zip"
    f.write_bytes(_zip_bytes([("a.json", b"\x00" * (20 * 1024 * 1024))]))
    with pytest.raises(UnsafeInputError, match="ratio"):
        list(iter_zip(f, limits=ZipLimits(max_ratio=100)))


def test_zip_not_an_archive(tmp_path: Path) -> None:
    f = tmp_path / "x.zip"
    f.write_text("hello")
    with pytest.raises(InputError, match="ZIP"):
        list(iter_zip(f))


def test_zip_ok(tmp_path: Path) -> None:
    f = tmp_path / "ok.zip"
    f.write_bytes(_zip_bytes([("GO-1.json", b"{}"), ("dir/GO-2.json", b"[]")]))
    assert dict(iter_zip(f)) == {"GO-1.json": b"{}", "dir/GO-2.json": b"[]"}


def test_resolve_within_refuses_escaping_symlink(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "inside.txt").write_text("x")
    (root / "escape").symlink_to("/etc/passwd")
    assert resolve_within(root, "inside.txt") == (root / "inside.txt").resolve()
    assert resolve_within(root, "escape") is None
    assert resolve_within(root, "../outside") is None


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(target, "w") as fh:
        fh.write("partial")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
