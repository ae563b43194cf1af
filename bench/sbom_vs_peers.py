"""Benchmark: `steward sbom` against cdxgen and cyclonedx-py on the same lockfiles.

Inputs (under bench/.work/inputs):
- a generated npm ``package-lock.json`` (v3) with 2,500 packages, nested copies, dev and
  optional packages and SHA-512 integrity values, shaped like a real one;
- a generated ``requirements.txt`` with 400 pinned, hashed requirements;
- the largest real lockfile of each kind in ../shared/data/lockfiles that the peers read.

Peers are installed here on first run: cdxgen from npm into bench/.work/node, cyclonedx-bom
(cyclonedx-py) into bench/.work/venv. Each tool runs as a command (process start-up included,
best of three); the components found are compared as (name, version) sets.

Run: ``python bench/sbom_vs_peers.py [--packages N] [--skip-install]``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
INPUTS = WORK / "inputs"
SHARED = HERE.parent.parent / "shared" / "data" / "lockfiles"
STEWARD = [sys.executable, "-m", "steward"]


def _integrity(seed: str) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(seed.encode()).digest()).decode()


def make_package_lock(path: Path, count: int) -> None:
    """A package-lock.json v3 with ``count`` packages and a realistic dependency graph."""
    rng = random.Random(20261125)
    names = [f"pkg-{i:05d}" for i in range(count // 10 * 9)]
    names += [f"@scope{i % 17}/lib-{i:05d}" for i in range(count - len(names))]
    packages: dict[str, object] = {
        "": {
            "name": "bench-app",
            "version": "1.0.0",
            "dependencies": dict.fromkeys(names[:40], "^1.0.0"),
            "devDependencies": dict.fromkeys(names[40:60], "^1.0.0"),
        }
    }
    for index, name in enumerate(names):
        version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"
        deps = {d: "*" for d in rng.sample(names, 3) if d != name}
        base = name.rsplit("/", 1)[-1]
        entry: dict[str, object] = {
            "version": version,
            "resolved": f"https://registry.npmjs.org/{name}/-/{base}-{version}.tgz",
            "integrity": _integrity(f"{name}@{version}"),
            "dependencies": deps,
        }
        if 40 <= index < 60 or index % 11 == 0:
            entry["dev"] = True
        if index % 37 == 0:
            entry["optional"] = True
        if index % 13 == 0:
            entry["license"] = "MIT"
        packages[f"node_modules/{name}"] = entry
        if index % 50 == 0:  # a nested copy at another version, as npm makes on conflicts
            packages[f"node_modules/{names[index - 1]}/node_modules/{name}"] = entry | {
                "version": f"{version}-nested",
                "resolved": f"https://registry.npmjs.org/{name}/-/{base}-{version}-nested.tgz",
            }
    lock = {"name": "bench-app", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(lock, indent=2))
    (path.parent / "package.json").write_text(json.dumps(packages[""], indent=2))


def make_requirements(path: Path, count: int) -> None:
    rng = random.Random(7)
    lines = []
    for i in range(count):
        digest = hashlib.sha256(f"p{i}".encode()).hexdigest()
        lines.append(
            f"project-{i:04d}=={rng.randint(0, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)} "
            f"--hash=sha256:{digest}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def install_peers(install: bool = True) -> dict[str, list[str] | None]:
    peers: dict[str, list[str] | None] = {}
    cdxgen = WORK / "node" / "node_modules" / ".bin" / "cdxgen"
    if install and not cdxgen.exists() and shutil.which("npm"):
        print("installing cdxgen from npm ...", file=sys.stderr)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(WORK / "node"),
                "@cyclonedx/cdxgen",
            ],
            check=False,
            capture_output=True,
        )
    peers["cdxgen"] = [str(cdxgen)] if cdxgen.exists() else None
    venv = WORK / "venv"
    cyclonedx_py = venv / "bin" / "cyclonedx-py"
    if install and not cyclonedx_py.exists():
        print("installing cyclonedx-bom ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=False)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "cyclonedx-bom"],
            check=False,
            capture_output=True,
        )
    peers["cyclonedx-py"] = [str(cyclonedx_py)] if cyclonedx_py.exists() else None
    return peers


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, bool]:
    best = float("inf")
    ok = True
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env, check=False, timeout=900)
        best = min(best, time.perf_counter() - start)
        ok = ok and done.returncode == 0
        if not ok:
            print(
                f"  failed: {' '.join(command)}\n  {done.stderr.decode()[-400:]}", file=sys.stderr
            )
            break
    return best, ok


def components(path: Path) -> set[tuple[str, str]]:
    doc = json.loads(path.read_text())
    found = set()
    for comp in doc.get("components", []):
        name = comp["name"] if not comp.get("group") else f"{comp['group']}/{comp['name']}"
        found.add((name, comp.get("version", "")))
    return found


def compare(
    label: str,
    steward_cmd: list[str],
    peer: str,
    peer_cmd: list[str] | None,
    out_steward: Path,
    out_peer: Path,
    env: dict[str, str] | None = None,
) -> None:
    ours, ok = timed(steward_cmd)
    line = f"{label:<34} steward {ours:6.2f}s"
    if not ok:
        print(line + "  (steward failed)")
        return
    if peer_cmd is None:
        print(line + f"  {peer}: not installed")
        return
    theirs, peer_ok = timed(peer_cmd, env)
    if not peer_ok or not out_peer.exists():
        print(line + f"  {peer}: failed")
        return
    a, b = components(out_steward), components(out_peer)
    same = len(a & b)
    print(
        f"{line}  {peer} {theirs:6.2f}s  ratio {theirs / ours:5.1f}x  "
        f"components steward={len(a)} {peer}={len(b)} common={same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=2500)
    parser.add_argument("--skip-install", action="store_true", help="use peers already here")
    args = parser.parse_args()
    INPUTS.mkdir(parents=True, exist_ok=True)
    npm_dir = INPUTS / "npm-large"
    make_package_lock(npm_dir / "package-lock.json", args.packages)
    req_dir = INPUTS / "python-large"
    make_requirements(req_dir / "requirements.txt", 400)
    peers = install_peers(install=not args.skip_install)
    env = dict(os.environ, FETCH_LICENSE="false", CDXGEN_DEBUG_MODE="", NODE_NO_WARNINGS="1")
    out = WORK / "out"
    out.mkdir(exist_ok=True)

    def cdxgen(project: Path, kind: str, target: Path) -> list[str] | None:
        base = peers["cdxgen"]
        if base is None:
            return None
        return [
            *base,
            "-t",
            kind,
            "--no-recurse",
            "--no-install-deps",
            "-o",
            str(target),
            str(project),
        ]

    cases = [("npm package-lock.json (generated)", npm_dir, "npm", "package-lock.json")]
    real = {
        "npm package-lock.json (real)": (
            "javascript-packagelockjson/nested-dependencies-dup.v2.json",
            "npm",
            "package-lock.json",
        ),
        "yarn.lock (real)": ("javascript-yarnlock/commits.v1.lock", "npm", "yarn.lock"),
        "pnpm-lock.yaml (real)": (
            "javascript-pnpmlock/multiple-packages.yaml",
            "npm",
            "pnpm-lock.yaml",
        ),
        "Cargo.lock (real)": ("rust-cargolock/many-packages.lock", "cargo", "Cargo.lock"),
        "Gemfile.lock (real)": ("ruby-gemfilelock/rails.lock", "ruby", "Gemfile.lock"),
        "composer.lock (real)": ("php-composerlock/drupal-packages.json", "php", "composer.lock"),
        "poetry.lock (real)": (
            "python-poetrylock/multiple-packages.v2.lock",
            "python",
            "poetry.lock",
        ),
    }
    for label, (fixture, kind, canonical) in real.items():
        target = INPUTS / canonical.replace(".", "-") / canonical
        target.parent.mkdir(parents=True, exist_ok=True)
        if (SHARED / fixture).exists():
            shutil.copyfile(SHARED / fixture, target)
            cases.append((label, target.parent, kind, canonical))
    for label, project, kind, _canonical in cases:
        ours = out / f"{project.name}.steward.json"
        theirs = out / f"{project.name}.cdxgen.json"
        compare(
            label,
            [*STEWARD, "-q", "sbom", str(project), "-o", str(ours)],
            "cdxgen",
            cdxgen(project, kind, theirs),
            ours,
            theirs,
            env,
        )
    ours = out / "req.steward.json"
    theirs = out / "req.cyclonedx-py.json"
    peer = peers["cyclonedx-py"]
    compare(
        "requirements.txt (generated, 400)",
        [*STEWARD, "-q", "sbom", str(req_dir), "-o", str(ours)],
        "cyclonedx-py",
        None
        if peer is None
        else [*peer, "requirements", str(req_dir / "requirements.txt"), "-o", str(theirs)],
        ours,
        theirs,
    )


if __name__ == "__main__":
    main()
