"""What a bulk assessment must clone: full, blobless, treeless and shallow clones compared.

For each bare repository given (``--repo PATH``, several allowed; default: a generated
project with 3,000 commits, 400 files and 40 tags, one on a release branch), clones it
through a ``file://`` URL (partial clones allowed on the serving side) in five ways, assesses
each clone, and compares the findings with those of the full clone:

- ``full``: ``git clone``;
- ``blobless``: ``--filter=blob:none`` (all commits and trees, blobs of HEAD);
- ``treeless``: ``--filter=tree:0`` (all commits and tags, trees and blobs of HEAD) — what
  ``steward assess-many`` uses;
- ``shallow``: ``--depth 1001 --filter=blob:none`` (the newest 1,001 commits, as many as the
  history probes read);
- ``single-branch``: ``--filter=tree:0 --single-branch`` (tags on other branches missed).

Prints, per repository and way: clone seconds, size of ``.git``, assessment seconds, and the
requirements whose finding differs from the full clone's (status, message or evidence).
Usage:

    python bench/scale_clones.py [--repo BARE.git ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scale.gen import generate, serve  # noqa: E402

WAYS = {
    "full": [],
    "blobless": ["--filter=blob:none"],
    "treeless": ["--filter=tree:0"],
    "shallow": ["--depth=1001", "--filter=blob:none"],
    "single-branch": ["--filter=tree:0", "--single-branch"],
}


def du(path: Path) -> int:
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0]) * 1024


def comparable(assessment: object) -> dict[str, object]:
    data = assessment.to_dict()  # type: ignore[attr-defined]
    return {f["requirement_id"]: f for f in data["findings"]}


def measure(bare: Path, work: Path) -> None:
    from steward.evaluate import assess

    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    url = bare.resolve().as_uri()
    reference: dict[str, object] | None = None
    print(f"\n{bare.name}")
    print("| clone | seconds | .git MiB | assess s | findings differing from the full clone |")
    print("|---|---|---|---|---|")
    for way, options in WAYS.items():
        dest = work / way / bare.name.removesuffix(".git")
        shutil.rmtree(dest.parent, ignore_errors=True)
        started = time.monotonic()
        subprocess.run(["git", "clone", "-q", *options, "--", url, str(dest)], env=env,
                       check=True, capture_output=True)  # fmt: skip
        cloned = time.monotonic() - started
        started = time.monotonic()
        findings = comparable(assess(dest))
        assessed = time.monotonic() - started
        if reference is None:
            reference = findings
        differ = sorted(k for k in reference if reference[k] != findings.get(k))
        print(f"| {way} | {cloned:.2f} | {du(dest / '.git') / 2**20:.1f} | {assessed:.2f} | "
              f"{', '.join(differ) or 'none'} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", action="append", type=Path, default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="steward-clones-") as tmp:
        work = Path(tmp)
        repos = list(args.repo)
        if not repos:
            checkout = generate(work / "src" / "generated", "generated", commits=3000, files=400,
                                tags=40)  # fmt: skip
            serve(checkout, work / "generated.git")
            repos = [work / "generated.git"]
        for bare in repos:
            subprocess.run(["git", "-C", str(bare), "config", "uploadpack.allowFilter", "true"],
                           check=True)  # fmt: skip
            measure(bare, work)


if __name__ == "__main__":
    main()
