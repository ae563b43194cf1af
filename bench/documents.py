"""CRA documents and evidence packs on a real checkout, beside the commands they are made of.

    .venv/bin/python bench/documents.py CHECKOUT [--repeat 3]

Runs, as separate processes (start-up included, best of ``--repeat``):

- the parts: ``steward assess CHECKOUT -f json`` and ``steward sbom CHECKOUT``;
- the documents: ``steward docs annex-vii`` (Markdown), ``steward docs annex-ii -f pdf``;
- the pack: ``steward evidence pack CHECKOUT -o pack.zip`` (with ``SOURCE_DATE_EPOCH``, twice
  more to check the bytes agree), against the sum of its parts;
- verification: ``steward evidence verify pack.zip`` against the plain-tools peer, ``unzip``
  into a directory followed by ``sha256sum -c`` over the same files.

Prints wall and CPU seconds (on a shared, loaded machine wall time mostly measures the other
processes; CPU time is the figure to compare) and the ratios. Bounded: about 8 commands x repeat.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(argv: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    """Best wall and best CPU seconds (user + system of the child) over ``repeat`` runs."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(argv, env=env, capture_output=True, check=False, timeout=600)
        wall = min(wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode not in (0, 1):
            sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode()[-400:]}")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    steward = str(BIN / "steward")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764374400", "NO_COLOR": "1"}
    root = str(args.checkout)
    with tempfile.TemporaryDirectory(prefix="steward-bench-docs-") as tmp:
        work = Path(tmp)
        pack = work / "pack.zip"
        rows: dict[str, tuple[float, float]] = {}
        rows["assess -f json"] = timed(
            [steward, "-q", "assess", root, "-f", "json", "-o", str(work / "a.json"), "--offline"],
            env,
            args.repeat,
        )
        rows["sbom"] = timed(
            [steward, "-q", "sbom", root, "-o", str(work / "s.json")], env, args.repeat
        )
        rows["docs annex-vii (markdown)"] = timed(
            [steward, "-q", "docs", "annex-vii", root, "-o", str(work / "vii.md")], env, args.repeat
        )
        pdf = shutil.which("pdftoppm") is not None
        if pdf:
            rows["docs annex-ii -f pdf"] = timed(
                [steward, "-q", "docs", "annex-ii", root, "-f", "pdf", "-o", str(work / "ii.pdf")],
                env,
                args.repeat,
            )
        rows["evidence pack"] = timed(
            [steward, "-q", "evidence", "pack", root, "-o", str(pack)], env, args.repeat
        )
        first = hashlib.sha256(pack.read_bytes()).hexdigest()
        subprocess.run(
            [steward, "-q", "evidence", "pack", root, "-o", str(pack)],
            env=env,
            check=True,
            capture_output=True,
        )
        same = hashlib.sha256(pack.read_bytes()).hexdigest() == first
        rows["evidence verify"] = timed(
            [steward, "evidence", "verify", str(pack)], env, args.repeat
        )
        with zipfile.ZipFile(pack) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            members = len(zf.namelist())
        sums = work / "SHA256SUMS"
        sums.write_text("".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["files"]))
        out = work / "out"
        peer = (
            f"rm -rf {out} && unzip -q {pack} -d {out} && cd {out} && sha256sum --quiet -c {sums}"
        )
        rows["peer: unzip + sha256sum -c"] = timed(["sh", "-c", peer], env, args.repeat)
    width = max(len(k) for k in rows)
    print(f"checkout {root}: pack of {members} files, {pack.name} reproducible: {same}")
    print(f"  {'command':<{width}}  {'wall':>7}  {'cpu':>7}")
    for name, (wall, cpu) in rows.items():
        print(f"  {name:<{width}}  {wall:6.2f}s  {cpu:6.2f}s")
    parts = rows["assess -f json"][1] + rows["sbom"][1]
    print(f"  CPU: pack / (assess + sbom) = {rows['evidence pack'][1] / parts:.2f}")
    peer = max(rows["peer: unzip + sha256sum -c"][1], 0.001)
    print(f"  CPU: verify / (unzip + sha256sum) = {rows['evidence verify'][1] / peer:.1f}")


if __name__ == "__main__":
    main()
