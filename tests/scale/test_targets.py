"""Target lists: text lists and organisation manifests (steward.yml projects:)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.errors import InputError
from steward.scale.targets import is_git_url, read_list, url_key


def test_text_list(tmp_path: Path) -> None:
    (tmp_path / "checkouts" / "one").mkdir(parents=True)
    listing = tmp_path / "repos.txt"
    listing.write_text(
        "# the portfolio\n"
        "https://github.com/acme/widget.git\n"
        "\n"
        "checkouts/one   # a local checkout, relative to the list\n"
        "git@github.com:acme/gadget.git\n"
        "https://GitHub.com/acme/widget/\n"  # the same repository again
    )
    found = read_list(listing)
    assert [t.key for t in found.targets] == [
        "https://github.com/acme/widget",
        str((tmp_path / "checkouts" / "one").resolve()),
        "github.com:acme/gadget",
    ]
    widget, local, gadget = found.targets
    assert widget.remote and not local.remote and gadget.remote
    assert widget.sources == (f"{listing}:2", f"{listing}:6")
    assert found.duplicates == 1
    assert local.location == str((tmp_path / "checkouts" / "one").resolve())
    assert widget.label() == "widget"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("missing/dir", "not a git URL or a directory: missing/dir"),
        ("ext::sh -c touch% /tmp/pwned", "not an allowed git URL or a directory"),
        ("--upload-pack=touch /tmp/pwned", "not a git URL or a directory"),
        ("fd::17", "not an allowed git URL or a directory"),
        ("ftp://example.org/repo.git", "not an allowed git URL or a directory"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    listing = tmp_path / "repos.txt"
    listing.write_text(f"https://github.com/acme/widget\n{line}\n")
    with pytest.raises(InputError) as caught:
        read_list(listing)
    assert str(caught.value).startswith(f"{listing}:2: ")
    assert problem in str(caught.value)


def test_git_url_kinds() -> None:
    for url in ("https://h/o/r", "http://h/r.git", "ssh://git@h/r", "git://h/r",
                "file:///srv/r.git", "git@github.com:o/r.git"):  # fmt: skip
        assert is_git_url(url), url
    for text in ("ext::sh -c x", "-oProxyCommand=x", "ftp://h/r", "relative/path", "C:/x"):
        assert not is_git_url(text), text
    assert url_key("https://user:secret@Example.org/o/r.git") == "https://example.org/o/r"


def test_manifest(tmp_path: Path) -> None:
    (tmp_path / "libs" / "core").mkdir(parents=True)
    manifest = tmp_path / "steward.yml"
    manifest.write_text(
        "attestations: {}\n"
        "projects:\n"
        "  - https://gitlab.com/acme/group/tool\n"
        "  - {url: 'git@github.com:acme/widget.git', name: Widget}\n"
        "  - path: libs/core\n"
    )
    found = read_list(manifest)
    assert [(t.key, t.name, t.remote) for t in found.targets] == [
        ("https://gitlab.com/acme/group/tool", None, True),
        ("github.com:acme/widget", "Widget", True),
        (str((tmp_path / "libs" / "core").resolve()), None, False),
    ]
    assert found.targets[1].sources == (f"{manifest}:4",)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("projects:\n  - {url: a, path: b}\n", 2, "give exactly one of 'url' or 'path'"),
        ("projects:\n  - {name: x}\n", 2, "give exactly one of 'url' or 'path'"),
        ("projects:\n  - {url: https://h/r, branch: x}\n", 2, "unknown field 'branch'"),
        ("projects:\n  - path: nowhere\n", 2, "not a git URL or a directory: nowhere"),
        ("attestations: {}\n", None, "no projects: section"),
        ("projects: [\n", None, "invalid YAML"),
    ],
)
def test_bad_manifests(tmp_path: Path, text: str, line: int | None, problem: str) -> None:
    manifest = tmp_path / "org.yml"
    manifest.write_text(text)
    with pytest.raises(InputError) as caught:
        read_list(manifest)
    where = f"{manifest}:{line}: " if line else f"{manifest}"
    assert str(caught.value).startswith(where)
    assert problem in str(caught.value)


def test_projects_section_does_not_disturb_assess(tmp_path: Path) -> None:
    from steward.projectconfig import parse_project_config

    config = parse_project_config("projects:\n  - ../sibling\n")
    assert config.projects[0].path == "../sibling"
    assert config.attestations == {}


@pytest.mark.parametrize("text", ["", "\n\n", "# our repositories\n# (to be filled in)\n"])
def test_a_list_naming_no_repository_is_refused(tmp_path: Path, text: str) -> None:
    listing = tmp_path / "repos.txt"
    listing.write_text(text)
    with pytest.raises(InputError) as caught:
        read_list(listing)
    assert str(caught.value).startswith(f"{listing}: ")
    assert "nothing to assess" in str(caught.value)
