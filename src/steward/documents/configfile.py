"""Writing answers into a project's steward.yml without losing what is there.

A new file is written whole. An existing file keeps its text, comments included, when the
sections written are new to it: they are appended. When a section exists already, the file
is parsed, the answers merged into it and the whole file written again (the caller is told
that comments were not kept). Either way the result is validated with the one schema
(:func:`steward.projectconfig.parse_project_config`) before anything is written, and the write
is atomic; a steward.yml that is not a regular file (a symlink, a FIFO) is never replaced.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from steward.errors import InputError
from steward.projectconfig import (
    CONFIG_NAMES,
    MAX_BYTES,
    ProjectConfig,
    load_project_config,
    parse_project_config,
)
from steward.safeio import atomic_write_text, loads_yaml, read_text, tree_output


@dataclass(frozen=True, slots=True)
class Saved:
    path: Path
    created: bool
    comments_dropped: bool


def config_path(root: Path) -> Path:
    """The project's steward.yml (the first of the known names that exists), or the default
    ``steward.yml`` when there is none; any existing one must be a regular file."""
    for name in CONFIG_NAMES:
        candidate = root / name
        if candidate.is_symlink() or candidate.exists():
            mode = candidate.lstat().st_mode
            if not stat.S_ISREG(mode):
                raise InputError(
                    "not a regular file (a symlink, directory or FIFO); Steward reads and "
                    "writes only a regular steward.yml",
                    source=candidate,
                )
            return candidate
    return root / CONFIG_NAMES[0]


def load(root: Path) -> ProjectConfig | None:
    """The project's steward.yml as :func:`steward.projectconfig.load_project_config` reads
    it, but a steward.yml that exists and is not a regular file is an :class:`InputError`
    instead of being passed over in silence (the answers in it would look unanswered)."""
    config_path(root)
    return load_project_config(root)


def _merge(into: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save(root: Path, sections: dict[str, Any], *, header: str = "") -> Saved:
    """Merge ``sections`` (``{"cra": {"scope": {...}}}``) into the project's steward.yml."""
    path = config_path(root)
    source = path.relative_to(root).as_posix()
    tree_output(root, source)  # never written through a symbolic link
    if not path.exists():
        text = header + dump(sections)
        parse_project_config(text, source=source)
        atomic_write_text(path, text)
        return Saved(path, created=True, comments_dropped=False)
    old = read_text(path, max_bytes=MAX_BYTES)
    data = loads_yaml(old, source=source) or {}
    if not isinstance(data, dict):
        raise InputError("expected a mapping of sections at the top level", source=source)
    if not any(key in data for key in sections):
        text = old + ("" if not old or old.endswith("\n") else "\n") + dump(sections)
        dropped = False
    else:
        text = dump(_merge(data, sections))
        dropped = "#" in old
    parse_project_config(text, source=source)
    atomic_write_text(path, text)
    return Saved(path, created=False, comments_dropped=dropped)
