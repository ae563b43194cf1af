"""Small self-written project repositories for the report, level and acceptance tests.

``pinned_repo``: the healthy widget project of ``test_assess`` plus a release workflow that
uses a third-party action by tag (line 9) and a service directory with a space in its name
whose Dockerfile uses a base image by tag (line 1): STW-BLD-04 fails with evidence in two
files, one of them needing percent-encoding in a URI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.collect.gitrepo import commit, git, init
from tests.evaluate.test_assess import GOOD_FILES, LICENSES

RELEASE_WORKFLOW = """\
name: release
on: [push]
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: someorg/publish@v1
      - run: echo published
"""
RELEASE_LINE = 9
DOCKERFILE = "FROM python:3.12\nRUN echo hi\n"


def make_repo(root: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    init(root)
    files: dict[str, str | bytes] = {**GOOD_FILES, "LICENSE": (LICENSES / "MIT").read_text()}
    files.update(extra or {})
    commit(root, "initial\n\nSigned-off-by: Alice <alice@example.org>", files)
    commit(root, "fix\n\nSigned-off-by: Bob <bob@example.org>", {"src/widget/a.py": "x = 1\n"},
           author=("Bob", "bob@example.org"))  # fmt: skip
    git(root, "tag", "-a", "v1.0.0", "-m", "1.0.0")
    return root


def write_config(root: Path, config: dict[str, object]) -> None:
    (root / "steward.yml").write_text(yaml.safe_dump(config, sort_keys=False))


@pytest.fixture
def pinned_repo(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "pinned",
        {".github/workflows/release.yml": RELEASE_WORKFLOW, "my service/Dockerfile": DOCKERFILE},
    )
