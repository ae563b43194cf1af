"""A Composer resolution in CI that refuses dependencies with known vulnerabilities.

``roave/security-advisories`` is a Composer package with no code: it declares a conflict with
every version of every package that has a published security advisory (the PHP Security
Advisories Database and GitHub's advisories), so ``composer update`` fails when the
resolution would install a vulnerable version. Required by the project (League\\Container's
``"roave/security-advisories": "dev-latest"`` in require-dev, held-out-15d), a CI step that
resolves the dependencies again (``composer update``, ``composer require``, or ``composer
install`` where no ``composer.lock`` is kept) checks every change for dependencies with known
vulnerabilities and blocks it on a match (STW-DEP-06, OSPS-VM-05.03). ``composer install``
from a committed lock file does not resolve again (new advisories are not read), ``--no-dev``
leaves a require-dev gate out, and ``require --no-update`` resolves nothing. Sources:
https://github.com/Roave/SecurityAdvisories (README), getcomposer.org "Command-line
interface" (update, require, install; --no-dev, --no-update, --working-dir).
"""

from __future__ import annotations

import json
import posixpath
import re

from steward.collect.tree import Tree

GATE_PACKAGES = ("roave/security-advisories",)
_RESOLVING = frozenset({"update", "u", "upgrade", "require", "r"})
_INSTALLING = frozenset({"install", "i"})


def _working_dir(args: list[str], workdir: str) -> str:
    """The directory Composer works in: ``--working-dir=DIR``/``-d DIR``, else the step's."""
    for i, arg in enumerate(args):
        if arg.startswith("--working-dir="):
            return posixpath.normpath(posixpath.join(workdir or ".", arg.split("=", 1)[1]))
        if arg in ("-d", "--working-dir") and i + 1 < len(args):
            return posixpath.normpath(posixpath.join(workdir or ".", args[i + 1]))
    return workdir


def advisory_gate(tree: Tree, argv: list[str], workdir: str) -> str | None:
    """What a ``composer`` command line (``argv``, run in ``workdir``) checks when it resolves
    the dependencies of a composer.json that requires an advisory gate package: a sentence
    naming the package and its place, or None."""
    args = argv[1:]
    verb = next((a for a in args if not a.startswith("-")), "")
    if verb not in _RESOLVING and verb not in _INSTALLING:
        return None
    if verb in ("require", "r") and "--no-update" in args:
        return None
    directory = _working_dir(args, workdir)
    prefix = "" if directory in ("", ".") else f"{directory.rstrip('/')}/"
    path = f"{prefix}composer.json"
    if path not in tree.files:
        return None
    if verb in _INSTALLING and f"{prefix}composer.lock" in tree.files:
        return None  # installs the locked versions: nothing is resolved again
    text = tree.read(path, limit=512 * 1024).text or ""
    try:
        manifest = json.loads(text)
    except ValueError:
        return None
    if not isinstance(manifest, dict):
        return None
    sections = ("require",) if "--no-dev" in args else ("require", "require-dev")
    for section in sections:
        required = manifest.get(section)
        if not isinstance(required, dict):
            continue
        for name in GATE_PACKAGES:
            if name in required:
                m = re.search(rf'"{re.escape(name)}"\s*:', text)
                line = text.count("\n", 0, m.start()) + 1 if m else 1
                return (
                    f"composer {verb} resolves with {name} ({path}:{line}, {section}), "
                    f"which conflicts with every version that has a known advisory"
                )
    return None
