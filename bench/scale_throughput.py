"""Throughput of `steward assess-many` on Dask (1, 2, 4 workers), the local pool, and the cache.

Generates N project repositories (default 200) with realistic history sizes under
bench/.work/scale and serves each as a bare repository allowing partial clones, so every
assessment clones through a ``file://`` URL as it would from a forge (minus the network).
Sizes are drawn from log-normal distributions (seeded): commits median 300 (sigma 1.2, 10 to
10,000; the 90th percentile is about 1,400 and the 99th about 4,900, the range of real
projects such as pallets/click with 3,329 commits and psf/requests with 6,489), files median
120 (sigma 1.0, 5 to 3,000), one version tag per 40 commits (at most 60) plus one on a
release branch, and 60% of the projects with the usual project files.

Then runs, each as a whole `steward assess-many` process (wall time from outside):

- cold (empty cache) on a Dask LocalCluster of 1, 2 and 4 single-threaded worker processes,
  and on the local pool with ``--jobs 2``;
- warm: the same again with the cache of the cold run (every repository unchanged).

Reports repositories per minute, scaling efficiency (throughput with n workers / (n x
throughput with 1)), CPU seconds per repository (user + system of the command and all its
descendants, from ``RUSAGE_CHILDREN``, local pool), and the disk each repository needed
(clone and checkout, from the rows). Usage:

    python bench/scale_throughput.py [--repos N] [--workers 1,2,4] [--regenerate]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scale.gen import generate, serve  # noqa: E402

WORK = ROOT / "bench" / ".work" / "scale"
STEWARD = [sys.executable, "-m", "steward"]


def lognormal(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return max(low, min(high, round(math.exp(rng.gauss(math.log(median), sigma)))))


def portfolio(count: int, regenerate: bool) -> tuple[Path, list[dict[str, object]]]:
    listing = WORK / f"repos-{count}.txt"
    sizes_file = WORK / f"sizes-{count}.json"
    if listing.exists() and sizes_file.exists() and not regenerate:
        return listing, json.loads(sizes_file.read_text())
    shutil.rmtree(WORK, ignore_errors=True)
    rng = random.Random(20261129)
    sizes: list[dict[str, object]] = []
    urls = []
    started = time.monotonic()
    for i in range(count):
        name = f"proj{i:03d}"
        commits = lognormal(rng, 300, 1.2, 10, 10_000)
        files = lognormal(rng, 120, 1.0, 5, 3_000)
        tags = min(60, max(1, commits // 40))
        healthy = rng.random() < 0.6
        checkout = generate(WORK / "src" / name, name, commits=commits, files=files, tags=tags,
                            healthy=healthy, seed=i)  # fmt: skip
        urls.append(serve(checkout, WORK / "served" / f"{name}.git"))
        shutil.rmtree(checkout)
        sizes.append({"name": name, "commits": commits, "files": files, "tags": tags + 1})
    listing.write_text("\n".join(urls) + "\n")
    sizes_file.write_text(json.dumps(sizes))
    print(f"generated {count} repositories in {time.monotonic() - started:.0f} s", flush=True)
    return listing, sizes


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def assess_many(listing: Path, out: Path, cache: Path, extra: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its descendants)."""
    cpu = children_cpu()
    started = time.monotonic()
    done = subprocess.run(
        [*STEWARD, "-q", "assess-many", str(listing), "-o", str(out), "--cache", str(cache),
         "--work-dir", str(WORK / "tmp"), *extra],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"assess-many failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.monotonic() - started, children_cpu() - cpu


def rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def check(path: Path, expected: str, count: int) -> list[dict[str, object]]:
    found = rows(path)
    statuses = {str(r["status"]) for r in found}
    if len(found) != count or statuses != {expected}:
        raise SystemExit(f"{path}: {len(found)} rows, statuses {statuses}, expected {expected}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    from distributed import LocalCluster

    listing, sizes = portfolio(args.repos, args.regenerate)
    commits = sorted(int(s["commits"]) for s in sizes)  # type: ignore[call-overload]
    files = sorted(int(s["files"]) for s in sizes)  # type: ignore[call-overload]
    print(f"{args.repos} repositories: commits median {statistics.median(commits):.0f}, "
          f"p90 {commits[int(0.9 * len(commits))]}, max {commits[-1]}; files median "
          f"{statistics.median(files):.0f}, max {files[-1]}", flush=True)  # fmt: skip
    results: dict[str, dict[str, float]] = {}
    n = args.repos
    for workers in [int(w) for w in args.workers.split(",")]:
        cache = WORK / f"cache-dask{workers}.sqlite"
        cache.unlink(missing_ok=True)
        cluster_options = {"threads_per_worker": 1, "processes": True,
                           "dashboard_address": ":0", "silence_logs": logging.ERROR}  # fmt: skip
        with LocalCluster(n_workers=workers, **cluster_options) as cluster:
            extra = ["--scheduler", cluster.scheduler_address]
            out = WORK / f"rows-dask{workers}.jsonl"
            cold, _ = assess_many(listing, out, cache, extra)
            check(out, "assessed", n)
            warm, _ = assess_many(listing, out, cache, extra)
            check(out, "cached", n)
        results[f"dask {workers}"] = {"workers": workers, "cold": cold, "warm": warm}
        print(f"dask {workers} workers: cold {cold:.0f} s ({60 * n / cold:.1f}/min), warm "
              f"{warm:.1f} s ({60 * n / warm:.0f}/min)", flush=True)  # fmt: skip
    cache = WORK / "cache-local.sqlite"
    cache.unlink(missing_ok=True)
    out = WORK / "rows-local.jsonl"
    cold, cold_cpu = assess_many(listing, out, cache, ["--jobs", "2"])
    assessed = check(out, "assessed", n)
    warm, warm_cpu = assess_many(listing, out, cache, ["--jobs", "2"])
    check(out, "cached", n)
    results["local 2"] = {"workers": 2, "cold": cold, "warm": warm}
    print(f"local pool 2 jobs: cold {cold:.0f} s, warm {warm:.1f} s; CPU {cold_cpu / n:.2f} "
          f"s/repository cold, {warm_cpu / n:.3f} s warm", flush=True)  # fmt: skip

    clones = [r["clone"] for r in assessed if isinstance(r.get("clone"), dict)]
    git_bytes = sorted(int(c["bytes"]) for c in clones)  # type: ignore[index]
    disk = sorted(int(c["disk_bytes"]) for c in clones)  # type: ignore[index]
    seconds = sorted(float(r["seconds"]) for r in assessed)  # type: ignore[arg-type]
    mib = 1024 * 1024
    base = results.get("dask 1")
    print(
        "\n| run | workers | cold: repositories/min | efficiency | warm (cache): "
        "repositories/min | warm speed-up |"
    )
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        rate = 60 * n / r["cold"]
        eff = f"{rate / (r['workers'] * 60 * n / base['cold']):.0%}" if base else "-"
        print(f"| {name} | {r['workers']:.0f} | {rate:.1f} | {eff} | {60 * n / r['warm']:.0f} | "
              f"{r['cold'] / r['warm']:.0f}x |")  # fmt: skip
    print(f"\nper repository (local pool, cold): CPU {cold_cpu / n:.2f} s, task wall median "
          f"{statistics.median(seconds):.2f} s (p90 {seconds[int(0.9 * n)]:.2f} s); warm CPU "
          f"{warm_cpu / n:.3f} s")  # fmt: skip
    print(f"disk per repository: .git median {statistics.median(git_bytes) / mib:.2f} MiB "
          f"(max {git_bytes[-1] / mib:.1f}), checkout with .git median "
          f"{statistics.median(disk) / mib:.2f} MiB (p90 {disk[int(0.9 * len(disk))] / mib:.1f}, "
          f"max {disk[-1] / mib:.1f})")  # fmt: skip
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} CPUs")
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "scale_throughput.json").write_text(json.dumps({
        "repos": n, "runs": results, "cpu_cold_per_repo": cold_cpu / n,
        "cpu_warm_per_repo": warm_cpu / n, "git_bytes": git_bytes, "disk_bytes": disk,
        "task_seconds": seconds, "load": load,
    }, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
