"""A small generated portfolio shared by the bulk-assessment tests, and a Dask cluster.

The portfolio: ``alpha`` (a healthy local checkout), ``beta`` (an unhealthy project with
release tags, one on a release branch, served through a file:// URL), ``hostile`` (a local
checkout whose ``.git/config`` and attributes try to run a program at every git operation
that could, and whose last commit carries a signature header so that verification would
start the configured gpg), a URL that does not exist, and the hostile repository served from a bare
repository armed the same way. ``MARKER`` is what the hostile programs would create.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from steward.scale.targets import Target, target_for
from tests.scale.gen import generate, serve


@dataclass
class Portfolio:
    root: Path
    targets: list[Target]
    marker: Path
    served: dict[str, Path]  # name -> bare repository behind the file:// URL
    checkouts: dict[str, Path]


def _git(root: Path, *args: str, data: bytes | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", "-C", str(root), *args], input=data, env=env,
                          capture_output=True, check=True)  # fmt: skip
    return done.stdout.decode().strip()


def make_hostile(root: Path) -> Path:
    """A checkout whose newest commit carries a signature header (checking it starts gpg)."""
    generate(root, "hostile", commits=3, tags=1)
    head = _git(root, "rev-parse", "HEAD")
    tree = _git(root, "rev-parse", "HEAD^{tree}")
    body = (
        f"tree {tree}\nparent {head}\nauthor Mallory <m@evil.example> 1790000000 +0000\n"
        "committer Mallory <m@evil.example> 1790000000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----\n"
        "\nsigned\n"
    )
    signed = _git(root, "hash-object", "-t", "commit", "-w", "--stdin", data=body.encode())
    _git(root, "update-ref", "refs/heads/main", signed)
    return root


def arm(git_dir: Path, marker: Path, worktree: Path | None = None) -> None:
    """Name a program (appending to ``marker``) at every repository setting that runs one."""
    evil = git_dir.parent / f"evil-{git_dir.name}.sh"
    evil.write_text(f'#!/bin/sh\necho "$0 $*" >> {marker}\ncat\n')
    evil.chmod(0o755)
    hooks = git_dir.parent / f"evil-hooks-{git_dir.name}"
    hooks.mkdir(exist_ok=True)
    for hook in ("post-checkout", "pre-commit", "reference-transaction", "post-index-change",
                 "pre-upload-pack", "pre-receive"):  # fmt: skip
        (hooks / hook).write_text(f"#!/bin/sh\necho hook {hook} >> {marker}\n")
        (hooks / hook).chmod(0o755)
    if worktree is not None:
        (worktree / ".gitattributes").write_text("* filter=evil diff=evil\n")
    with (git_dir / "config").open("a") as config:
        config.write(
            f"[core]\n\tfsmonitor = {evil}\n\thooksPath = {hooks}\n\tpager = {evil}\n"
            f"\tsshCommand = {evil}\n\taskPass = {evil}\n"
            f'[filter "evil"]\n\tclean = {evil}\n\tsmudge = {evil}\n\tprocess = {evil}\n'
            f'[diff "evil"]\n\ttextconv = {evil}\n\tcommand = {evil}\n'
            f"[gpg]\n\tprogram = {evil}\n"
            f'[gpg "ssh"]\n\tprogram = {evil}\n'
            f"[uploadpack]\n\tpackObjectsHook = {evil}\n"
        )


@pytest.fixture(scope="session")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Portfolio:
    base = tmp_path_factory.mktemp("portfolio")
    marker = base / "MARKER"
    checkouts = {
        "alpha": generate(base / "work" / "alpha", "alpha", commits=8, tags=2, seed=1),
        "beta": generate(base / "work" / "beta", "beta", commits=6, tags=3, healthy=False),
        "hostile": make_hostile(base / "work" / "hostile"),
    }
    served = {}
    urls = {}
    for name in ("beta", "hostile"):
        served[name] = base / "served" / f"{name}.git"
        urls[name] = serve(checkouts[name], served[name])
    arm(checkouts["hostile"] / ".git", marker, checkouts["hostile"])
    arm(served["hostile"], marker)
    entries = [
        str(checkouts["alpha"]),
        urls["beta"],
        str(checkouts["hostile"]),
        (base / "served" / "missing.git").as_uri(),
        urls["hostile"],
    ]
    targets = [target_for(e, base=base, source=f"test:{i}") for i, e in enumerate(entries)]
    return Portfolio(base, targets, marker, served, checkouts)


@pytest.fixture(scope="session")
def dask_address() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        processes=True,
        n_workers=2,
        threads_per_worker=1,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address
