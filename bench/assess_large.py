"""Time `steward.evaluate.assess` on a large generated repository (target: under 5 s).

The repository (100k files in 1,000 directories, 10k commits by 5 authors, 20 version tags,
the usual project files and workflows) is generated once with ``git fast-import`` under
bench/.work/large and checked out; later runs reuse it. Usage:

    python bench/assess_large.py [--files N] [--commits N] [--runs N] [--regenerate]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / ".work"
SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"
AUTHORS = [("Alice", "alice"), ("Bob", "bob"), ("Carol", "carol"), ("Dan", "dan"), ("Eve", "eve")]
PROJECT_FILES = {
    "README.md": "# large\n\nA generated project.\n\n## Building\n\nmake\n",
    "SECURITY.md": "# Security\n\nReport to security@large.example; we answer within 2 days.\n"
    "Fixes are disclosed in advisories.\n\n## Supported Versions\n\nThe latest release.\n",
    "LICENSE": "Permission is hereby granted, free of charge, to any person obtaining a copy "
    "of this software ... The above copyright notice and this permission notice shall be "
    "included in all copies or substantial portions of the Software.\n",
    "CONTRIBUTING.md": "# Contributing\n\nOpen a pull request.\n",
    "CHANGELOG.md": "# Changelog\n",
    "Makefile": "all:\n\ttrue\n",
    "go.mod": "module example.org/large\n\ngo 1.22\n",
    "go.sum": "",
    ".github/dependabot.yml": "version: 2\nupdates: []\n",
    ".github/workflows/ci.yml": "on: [push]\npermissions: read-all\njobs:\n  t:\n"
    f"    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@{SHA}\n"
    "      - run: go test ./...\n",
    "Dockerfile": "FROM golang:1.22@sha256:" + "a" * 64 + "\n",
}


def _data(content: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(content), content)


def generate(root: Path, files: int, commits: int) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=env)
    start = int(time.time()) - commits * 60
    proc = subprocess.Popen(
        ["git", "-C", str(root), "fast-import", "--quiet"], stdin=subprocess.PIPE, env=env
    )
    assert proc.stdin is not None
    out = proc.stdin
    out.write(b"commit refs/heads/main\nmark :1\n")
    out.write(b"committer Alice <alice@large.example> %d +0000\n" % start)
    out.write(_data(b"initial import"))
    for path, text in PROJECT_FILES.items():
        out.write(b"M 100644 inline %s\n" % path.encode())
        out.write(_data(text.encode()))
    ndirs = max(1, files // 100)
    for i in range(files - len(PROJECT_FILES)):
        ext = ("go", "py", "c", "md", "txt")[i % 5]
        out.write(b"M 100644 inline src/pkg%04d/file%06d.%s\n" % (i % ndirs, i, ext.encode()))
        out.write(_data(b"// file %d\npackage x\n" % i))
    for n in range(1, commits):
        name, login = AUTHORS[n % len(AUTHORS)]
        out.write(b"commit refs/heads/main\nmark :%d\n" % (n + 1))
        out.write(f"committer {name} <{login}@large.example> {start + n * 60} +0000\n".encode())
        out.write(_data(f"change {n}\n\nSigned-off-by: {name} <{login}@large.example>".encode()))
        out.write(b"M 100644 inline src/pkg0000/file000000.go\n")
        out.write(_data(b"// revision %d\n" % n))
        if n % (commits // 20 or 1) == 0:
            out.write(b"tag v0.%d.0\nfrom :%d\n" % (n // (commits // 20 or 1), n + 1))
            out.write(f"tagger {name} <{login}@large.example> {start + n * 60} +0000\n".encode())
            out.write(_data(b"release"))
    out.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    root = WORK / f"large-{args.files}-{args.commits}"
    if args.regenerate or not (root / ".git").exists():
        t0 = time.perf_counter()
        generate(root, args.files, args.commits)
        print(f"generated {root} in {time.perf_counter() - t0:.1f} s")

    from steward.collect.tree import walk
    from steward.evaluate import assess

    t0 = time.perf_counter()
    tree = walk(root)
    print(f"walk: {len(tree.files)} files in {time.perf_counter() - t0:.2f} s")
    times = []
    for run in range(args.runs):
        t0 = time.perf_counter()
        result = assess(root)
        elapsed = time.perf_counter() - t0
        times.append(elapsed)
        print(f"assess run {run + 1}: {elapsed:.2f} s  ({result.summary.total} findings, "
              f"{sum(1 for f in result.findings if f.status == 'pass')} pass)")  # fmt: skip
    best = min(times)
    print(f"best {best:.2f} s, target 5.00 s: {'OK' if best < 5 else 'TOO SLOW'} "
          f"(ratio {best / 5:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
