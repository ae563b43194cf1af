"""Benchmark: `steward vulns` matching 10,000 components against the whole shared OSV corpus.

    .venv/bin/python bench/vuln_match.py [--components 10000] [--fresh]

1. Imports ../shared/data/osv (PyPA YAML advisories + Go all.zip) into bench/.work/vulndb.sqlite
   (kept between runs; ``--fresh`` re-imports) and prints the import time.
2. Builds components: for every package the corpus names, real versions of it (from the
   advisories' versions lists and range events), filled up to 70% (a harsh case: nearly
   every one is vulnerable) or 10% of the count; the rest are packages no advisory names
   (the common case in a real SBOM).
3. Times ``match()`` cold (first lookup of each package) and warm (same DB object again),
   and prints matches per second and findings.
4. Tries pip-audit on the PyPI part as a requirements file. pip-audit asks PyPI's JSON API or
   osv.dev for every package; where those are unreachable (as on the CI machine, which only
   reaches package indexes) it says so and no ratio is printed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from steward.sbom.component import Component
from steward.sbom.purl import make_purl
from steward.store.vulndb import VulnDB
from steward.vuln.matcher import match
from steward.vuln.osv_import import import_osv, iter_records

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
DATA = HERE.parent.parent / "shared" / "data" / "osv"


def sources() -> list[Path]:
    found = sorted(DATA.rglob("all.zip"))
    found += [p / "vulns" for p in sorted(DATA.iterdir()) if (p / "vulns").is_dir()]
    return found


def corpus_versions() -> dict[tuple[str, str], set[str]]:
    """(ecosystem, name) → versions the corpus mentions for that package."""
    out: dict[tuple[str, str], set[str]] = {}
    for source in sources():
        for record in iter_records(source):
            for affected in record.data.get("affected") or []:
                package = affected.get("package") or {}
                key = (str(package.get("ecosystem", "")), str(package.get("name", "")))
                versions = out.setdefault(key, set())
                versions.update(v for v in affected.get("versions") or [] if isinstance(v, str))
                for rng in affected.get("ranges") or []:
                    if rng.get("type") == "GIT":
                        continue
                    for event in rng.get("events") or []:
                        for value in event.values():
                            if isinstance(value, str) and value not in ("0", "*"):
                                versions.add(value)
    return {k: v for k, v in out.items() if k[0] and k[1] and v}


def build_components(count: int, hit_rate: float = 0.7, seed: int = 1) -> list[Component]:
    rng = random.Random(seed)
    known = corpus_versions()
    hits: list[Component] = []
    keys = sorted(known)
    rng.shuffle(keys)
    target = int(count * hit_rate)
    while len(hits) < target:
        for ecosystem, name in keys:
            version = rng.choice(sorted(known[(ecosystem, name)]))
            hits.append(
                Component(name, version, ecosystem, purl=make_purl(ecosystem, name, version))
            )
            if len(hits) >= target:
                break
    misses = [
        Component(f"not-in-corpus-{i}", "1.0.0", "PyPI" if i % 2 else "Go")
        for i in range(count - len(hits))
    ]
    out = hits + misses
    rng.shuffle(out)
    return out


def pip_audit(components: list[Component]) -> None:
    from packaging.version import InvalidVersion, Version

    def valid(version: str) -> bool:
        try:
            Version(version)
        except InvalidVersion:
            return False
        return True

    pypi = [
        c
        for c in components
        if c.ecosystem == "PyPI" and not c.name.startswith("not-") and valid(c.version)
    ]
    requirements = WORK / "bench-requirements.txt"
    pinned = {c.name.lower(): c.version for c in pypi}  # pip refuses a name twice
    requirements.write_text("".join(f"{n}=={v}\n" for n, v in sorted(pinned.items())[:500]))
    venv = WORK / "venv-pip-audit"
    tool = venv / "bin" / "pip-audit"
    if not tool.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=False)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "pip-audit"],
            check=False,
            capture_output=True,
        )
    if not tool.exists():
        print("pip-audit: could not be installed")
        return
    for service in ("osv", "pypi"):
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [str(tool), "-r", str(requirements), "--no-deps", "--disable-pip", "-s", service,
                 "--progress-spinner", "off", "-f", "json"],
                capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            print(f"pip-audit -s {service}: timed out after 300 s (no network)")
            continue
        seconds = time.perf_counter() - start
        errors = [line for line in done.stderr.splitlines() if "rror" in line]
        tail = (errors or done.stderr.strip().splitlines() or [""])[-1][:200]
        if done.returncode not in (0, 1) or not done.stdout.strip():
            print(f"pip-audit -s {service}: failed after {seconds:.1f} s: {tail}")
            continue
        deps = json.loads(done.stdout).get("dependencies", [])
        skipped = sum(1 for d in deps if d.get("skip_reason"))
        found = sum(len(d.get("vulns", [])) for d in deps)
        print(
            f"pip-audit -s {service}: {len(deps)} requirements in {seconds:.1f} s, "
            f"{skipped} could not be audited (no network), {found} vulnerabilities"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--skip-pip-audit", action="store_true")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no OSV corpus at {DATA}", file=sys.stderr)
        return 2
    WORK.mkdir(exist_ok=True)
    path = WORK / "vulndb.sqlite"
    if args.fresh and path.exists():
        path.unlink()
    db = VulnDB(path)
    if db.count() == 0:
        start = time.perf_counter()
        stats = import_osv(db, sources())
        print(f"import: {stats.added} advisories in {time.perf_counter() - start:.2f} s")
    else:
        print(f"import: reusing {db.count()} advisories in {path} (--fresh to re-import)")
    for hit_rate in (0.7, 0.1):
        db.close()
        db = VulnDB(path)  # cold: a fresh cache
        components = build_components(args.components, hit_rate)
        print(
            f"components: {len(components)}, {int(hit_rate * 100)}% of them packages named by "
            "an advisory, at versions the corpus mentions"
        )
        for label in ("cold", "warm"):
            start = time.perf_counter()
            result = match(db, components)
            seconds = time.perf_counter() - start
            print(
                f"  match ({label}): {seconds:.3f} s, {len(components) / seconds:,.0f} "
                f"components/s, {len(result.findings)} findings, "
                f"{len(result.unknown)} not evaluable"
            )
    db.close()
    if not args.skip_pip_audit and shutil.which("python3"):
        pip_audit(components)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
