"""Generated project repositories for the bulk-assessment tests and ``bench/scale_*.py``.

One ``git fast-import`` process writes a whole history (commits by several authors over
months, files in directories, annotated version tags, one tag on a release branch that the
default branch does not contain), so a repository with thousands of commits takes well under
a second. ``healthy`` decides whether the usual project files (security policy, licence,
contribution guide, CI workflow) are there, so generated portfolios have a spread of
findings.
``serve`` makes a bare copy that allows partial clones (``uploadpack.allowFilter``), to be
cloned through a ``file://`` URL as a forge would serve it.
"""

from __future__ import annotations

import os
import random
import subprocess
import time
from pathlib import Path

SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"
AUTHORS = [("Alice", "alice"), ("Bob", "bob"), ("Carol", "carol"), ("Dan", "dan")]
MIT = (
    "MIT License\n\nCopyright (c) 2026 The authors\n\nPermission is hereby granted, free of "
    "charge, to any person obtaining a copy of this software and associated documentation "
    'files (the "Software"), to deal in the Software without restriction, including without '
    "limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, "
    "and/or sell copies of the Software, and to permit persons to whom the Software is "
    "furnished to do so, subject to the following conditions:\n\nThe above copyright notice "
    "and this permission notice shall be included in all copies or substantial portions of "
    'the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.\n'
)
HEALTHY = {
    "SECURITY.md": "# Security policy\n\n## Supported Versions\n\nThe latest minor release.\n\n"
    "## Reporting\n\nE-mail security@{name}.example; we acknowledge reports within 3 working "
    "days. Fixes are disclosed in an advisory after an embargo of at most 90 days.\n",
    "LICENSE": MIT,
    "CONTRIBUTING.md": "# Contributing\n\nSend pull requests; sign off your commits (DCO).\n",
    "CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- first release\n",
    "pyproject.toml": '[project]\nname = "{name}"\nversion = "1.0.0"\nlicense = "MIT"\n',
    ".github/dependabot.yml": "version: 2\nupdates: []\n",
    ".github/workflows/ci.yml": "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n"
    "  test:\n    runs-on: ubuntu-latest\n    steps:\n"
    f"      - uses: actions/checkout@{SHA}\n      - run: python -m pytest\n",
}


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _git(root: Path, *args: str, data: bytes | None = None) -> None:
    subprocess.run(["git", "-C", str(root), *args], input=data, env=_env(), check=True,
                   capture_output=True)  # fmt: skip


def _blob(path: str, text: str) -> bytes:
    raw = text.encode()
    return f"M 100644 inline {path}\ndata {len(raw)}\n".encode() + raw + b"\n"


def generate(
    root: Path,
    name: str,
    *,
    commits: int = 5,
    files: int = 10,
    tags: int = 2,
    healthy: bool = True,
    seed: int = 0,
    now: int | None = None,
) -> Path:
    """A working checkout at ``root`` (see the module docstring); returns ``root``."""
    rng = random.Random(seed)
    now = now or int(time.time())
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q", "-b", "main")
    stream = bytearray()
    step = max(1, 300 * 86400 // max(commits, 1))  # spread over ten months
    first = now - commits * step
    sources = [f"src/{name}/m{i // 20}/f{i}.py" for i in range(files)]
    tag_every = max(1, commits // max(tags, 1)) if tags else 0
    mark_of_tag: list[tuple[str, int]] = []
    for n in range(commits):
        who, login = AUTHORS[rng.randrange(len(AUTHORS)) if n else 0]
        when = first + n * step
        message = f"change {n}\n\nSigned-off-by: {who} <{login}@{name}.example>\n".encode()
        stream += b"commit refs/heads/main\n"
        stream += f"mark :{n + 1}\n".encode()
        stream += f"committer {who} <{login}@{name}.example> {when} +0000\n".encode()
        stream += f"data {len(message)}\n".encode() + message + b"\n"
        if n:
            stream += f"from :{n}\n".encode()
        if n == 0:
            stream += _blob("README.md", f"# {name}\n\nA generated project.\n\n## Usage\n\nrun\n")
            if healthy:
                for path, text in HEALTHY.items():
                    stream += _blob(path, text.replace("{name}", name))
            for path in sources:
                stream += _blob(path, f"# {path}\nVALUE = 0\n")
        else:
            for path in rng.sample(sources, min(len(sources), 2)) if sources else []:
                stream += _blob(path, f"# {path}\nVALUE = {n}\n")
        stream += b"\n"
        if tag_every and (n + 1) % tag_every == 0 and len(mark_of_tag) < tags:
            mark_of_tag.append((f"v1.{len(mark_of_tag)}.0", n + 1))
    for tag, mark in mark_of_tag:
        msg = f"release {tag}\n".encode()
        stream += f"tag {tag}\nfrom :{mark}\n".encode()
        stream += f"tagger Alice <alice@{name}.example> {first + mark * step} +0000\n".encode()
        stream += f"data {len(msg)}\n".encode() + msg + b"\n"
    if commits > 1 and tags:  # a maintenance release on a branch main does not contain
        msg = b"backport\n"
        stream += b"commit refs/heads/release/0.x\n"
        stream += f"mark :{commits + 1}\n".encode()
        stream += f"committer Bob <bob@{name}.example> {first + step} +0000\n".encode()
        stream += f"data {len(msg)}\n".encode() + msg + b"\nfrom :1\n"
        stream += _blob("BACKPORT.txt", "backport\n") + b"\n"
        stream += f"tag v0.9.1\nfrom :{commits + 1}\n".encode()
        stream += f"tagger Bob <bob@{name}.example> {first + 2 * step} +0000\n".encode()
        stream += b"data 7\nv0.9.1\n\n"
    _git(root, "fast-import", "--quiet", data=bytes(stream))
    _git(root, "checkout", "-q", "-f", "main")
    return root


def serve(checkout: Path, bare: Path) -> str:
    """A bare copy of ``checkout`` at ``bare`` that allows partial clones; its file:// URL."""
    subprocess.run(["git", "clone", "-q", "--bare", "--no-local", str(checkout), str(bare)],
                   env=_env(), check=True, capture_output=True)  # fmt: skip
    _git(bare, "config", "uploadpack.allowFilter", "true")
    _git(bare, "config", "uploadpack.allowAnySHA1InWant", "true")
    return bare.resolve().as_uri()
