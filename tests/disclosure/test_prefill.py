"""What `steward init security` reads from a repository: name, licence, remote (no git run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.disclosure.project_files.prefill import prefill, web_url


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("git@github.com:example/archive.git", "https://github.com/example/archive"),
        (
            "https://user:ghp_secret@github.com/example/archive.git",
            "https://github.com/example/archive",
        ),
        (
            "ssh://git@gitlab.example.org:2222/group/sub/tool.git",
            "https://gitlab.example.org/group/sub/tool",
        ),
        ("https://codeberg.org/example/archive", "https://codeberg.org/example/archive"),
        ("file:///srv/git/archive.git", None),
        ("/srv/git/archive.git", None),
        ("https://github.com/example/arch ive", None),
    ],
)
def test_remote_urls_become_web_addresses_without_credentials(
    remote: str, expected: str | None
) -> None:
    assert web_url(remote) == expected


def _repo(tmp_path: Path, *, remote: str, manifest: tuple[str, str] | None) -> Path:
    root = tmp_path / "checkout"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text(
        '[core]\n\tbare = false\n[remote "origin"]\n'
        f"\turl = {remote}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
    )
    if manifest is not None:
        (root / manifest[0]).write_text(manifest[1])
    return root


def test_name_licence_and_remote_from_a_python_project(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        remote="https://ci:token123@github.com/example/archive.git",
        manifest=(
            "pyproject.toml",
            '[project]\nname = "example-archive"\nlicense = "Apache-2.0"\n',
        ),
    )
    found = prefill(root)
    assert found.values == {
        "project_name": "example-archive",
        "license": "Apache-2.0",
        "repository_url": "https://github.com/example/archive",
    }
    assert found.sources["repository_url"] == "git remote origin"
    assert "token123" not in str(found)


def test_licence_text_and_directory_name_when_no_manifest(tmp_path: Path) -> None:
    root = _repo(tmp_path, remote="git@github.com:example/tool.git", manifest=None)
    (root / "LICENSE").write_text(
        "MIT License\n\nCopyright (c) 2026 Example\n\nPermission is hereby granted, free of "
        "charge, to any person obtaining a copy of this software and associated documentation "
        'files (the "Software"), to deal in the Software without restriction, including '
        "without limitation the rights to use, copy, modify, merge, publish, distribute, "
        "sublicense, and/or sell copies of the Software, and to permit persons to whom the "
        "Software is furnished to do so, subject to the following conditions:\n\nThe above "
        "copyright notice and this permission notice shall be included in all copies or "
        'substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT '
        "WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES "
        "OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.\n"
    )
    found = prefill(root)
    assert found.values["project_name"] == "checkout"
    assert found.sources["project_name"] == "directory name"
    assert found.values["license"] == "MIT"
    assert found.values["repository_url"] == "https://github.com/example/tool"


def test_values_with_line_breaks_are_ignored(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        remote="git@github.com:example/tool.git",
        manifest=("package.json", '{"name": "tool\\nContact: x", "license": "MIT"}'),
    )
    found = prefill(root)
    assert found.values["project_name"] == "checkout"  # the manifest's name is not a line
    assert found.values["license"] == "MIT"


def test_a_worktree_reads_the_common_git_config(tmp_path: Path) -> None:
    main = _repo(tmp_path, remote="git@github.com:example/tool.git", manifest=None)
    gitdir = main / ".git" / "worktrees" / "feature"
    gitdir.mkdir(parents=True)
    (gitdir / "commondir").write_text("../..\n")
    worktree = tmp_path / "feature"
    worktree.mkdir()
    (worktree / ".git").write_text(f"gitdir: {gitdir}\n")
    assert prefill(worktree).values["repository_url"] == "https://github.com/example/tool"
