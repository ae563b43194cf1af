"""``steward init security``: write SECURITY.md, .well-known/security.txt and security-insights.yml.

All three files are rendered first; then, unless ``force`` is given, an existing target stops
everything before anything is written; then each is written to a temporary file beside its
target and only when all three are ready are they renamed into place. A failure leaves the
tree as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

from steward.disclosure.project_files.answers import SecurityAnswers
from steward.disclosure.project_files.insights_file import render_insights
from steward.disclosure.project_files.security_md import render_security_md
from steward.disclosure.project_files.security_txt import render_security_txt
from steward.errors import ConflictError, InputError
from steward.safeio import tree_output

TARGETS = ("SECURITY.md", ".well-known/security.txt", "security-insights.yml")


def render_all(answers: SecurityAnswers, *, now: datetime) -> dict[str, str]:
    """The three files' contents, keyed by their path relative to the project root."""
    return {
        "SECURITY.md": render_security_md(answers),
        ".well-known/security.txt": render_security_txt(answers, now=now),
        "security-insights.yml": render_insights(answers, now=now),
    }


def write_all(root: Path, files: dict[str, str], *, force: bool = False) -> list[Path]:
    """Write every file or none; returns the paths written."""
    if not root.is_dir():
        raise InputError("not a directory", source=root)
    targets = {name: tree_output(root, name) for name in files}
    existing = [str(p) for p in targets.values() if p.exists() or p.is_symlink()]
    if existing and not force:
        raise ConflictError(
            f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
            "use --force to overwrite"
        )
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            target = targets[name]
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(content.encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            Path(tmp).chmod(0o644)
            staged.append((Path(tmp), target))
        for tmp_path, target in staged:
            tmp_path.replace(target)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", source=root) from None
    finally:
        for tmp_path, _ in staged:
            with contextlib.suppress(OSError):
                tmp_path.unlink()
    return list(targets.values())
