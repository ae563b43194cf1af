"""Package-name normalisation per OSV ecosystem, so lockfile names find advisory names.

Only rules the registries themselves apply are used, so two names that normalise alike
really are the same package:
- PyPI: PEP 503 (lower case, runs of ``-``/``_``/``.`` become ``-``);
- crates.io: the registry refuses names equal modulo case and ``-``/``_``, so both fold;
- NuGet, Packagist, Pub, GitHub Actions, Hex: the registries are case-insensitive (or only
  allow lower case), so names are lower-cased;
- Maven: ``group:artifact`` as-is (case-sensitive); ``group/artifact`` is accepted too;
- npm, Go, RubyGems, Debian, Alpine, everything else: as-is. npm names are case-sensitive:
  new packages must be lower case, but legacy ones (``JSONStream``) keep capitals and are
  distinct packages from any lower-case twin. Go module paths are case-sensitive.
"""

from __future__ import annotations

import functools
import re

from steward.vuln.versions import base_ecosystem

_PEP503 = re.compile(r"[-_.]+")
_LOWER = frozenset({"NuGet", "Packagist", "Pub", "GitHub Actions", "Hex"})


@functools.lru_cache(maxsize=65_536)
def normalise_name(ecosystem: str, name: str) -> str:
    """The form of ``name`` used as the index key for ``ecosystem``."""
    base = base_ecosystem(ecosystem)
    name = name.strip()
    if base == "PyPI":
        return _PEP503.sub("-", name).lower()
    if base == "crates.io":
        return name.lower().replace("_", "-")
    if base in _LOWER:
        return name.lower()
    if base == "Maven" and ":" not in name and name.count("/") == 1:
        return name.replace("/", ":")
    return name
