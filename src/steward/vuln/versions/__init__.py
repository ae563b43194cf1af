"""Version schemes per ecosystem, looked up by OSV ecosystem name: :func:`scheme_for`.

Every scheme implements :class:`VersionScheme` (``parse`` to a sort key, ``compare``) and is
hand-written for speed: keys are tuples (or small comparison objects), cached per string, so
matching thousands of components against every advisory's ranges stays well under a second.
``univers`` is kept as an independent oracle in the tests. Each module's docstring says which
upstream rules it follows.

Ecosystem names are OSV's (``PyPI``, ``npm``, ``crates.io``, ``Go``, ``Maven``, ...); a
``:suffix`` (``Debian:12``, ``Alpine:v3.20``, ``Maven:https://...``) selects the base
ecosystem's scheme. An unknown ecosystem gets a :class:`GenericScheme` whose ``exact`` is
False, so callers can report "could not evaluate".
"""

from __future__ import annotations

import functools

from steward.vuln.versions.apk import ApkScheme
from steward.vuln.versions.base import BaseScheme, VersionError, VersionScheme
from steward.vuln.versions.dpkg import DpkgScheme
from steward.vuln.versions.generic import GenericScheme
from steward.vuln.versions.maven import MavenScheme
from steward.vuln.versions.packagist import PackagistScheme
from steward.vuln.versions.pypi import PyPIScheme
from steward.vuln.versions.rpm import RpmScheme
from steward.vuln.versions.rubygems import RubyGemsScheme
from steward.vuln.versions.semver import GoScheme, NuGetScheme, PubScheme, SemverScheme

__all__ = [
    "SEMVER",
    "BaseScheme",
    "GenericScheme",
    "VersionError",
    "VersionScheme",
    "base_ecosystem",
    "known_ecosystems",
    "scheme_for",
]

SEMVER: VersionScheme = SemverScheme("SemVer")
"""The scheme of OSV ``SEMVER`` ranges, whatever the ecosystem."""

_SCHEMES: dict[str, VersionScheme] = {
    "PyPI": PyPIScheme(),
    "npm": SemverScheme("npm"),
    "crates.io": SemverScheme("crates.io"),
    "Hex": SemverScheme("Hex"),
    "SwiftURL": SemverScheme("SwiftURL"),
    "Bitnami": SemverScheme("Bitnami"),
    "Go": GoScheme(),
    "Pub": PubScheme(),
    "NuGet": NuGetScheme(),
    "Maven": MavenScheme(),
    "RubyGems": RubyGemsScheme(),
    "Packagist": PackagistScheme(),
    "Debian": DpkgScheme("Debian"),
    "Ubuntu": DpkgScheme("Ubuntu"),
    "Alpine": ApkScheme("Alpine"),
    "Chainguard": ApkScheme("Chainguard"),
    "Wolfi": ApkScheme("Wolfi"),
    "Red Hat": RpmScheme("Red Hat"),
    "Rocky Linux": RpmScheme("Rocky Linux"),
    "AlmaLinux": RpmScheme("AlmaLinux"),
    "SUSE": RpmScheme("SUSE"),
    "openSUSE": RpmScheme("openSUSE"),
    "Mageia": RpmScheme("Mageia"),
    "openEuler": RpmScheme("openEuler"),
    "Photon OS": RpmScheme("Photon OS"),
}
_CASEFOLD = {name.casefold(): name for name in _SCHEMES}
_GENERIC: dict[str, GenericScheme] = {}


@functools.lru_cache(maxsize=4096)
def base_ecosystem(ecosystem: str) -> str:
    """``Debian:12`` → ``Debian``; known names in their canonical spelling (``pypi`` → ``PyPI``)."""
    base = ecosystem.split(":", 1)[0].strip()
    return _CASEFOLD.get(base.casefold(), base)


def known_ecosystems() -> list[str]:
    """The ecosystems with an exact scheme."""
    return sorted(_SCHEMES)


def scheme_for(ecosystem: str) -> VersionScheme:
    """The scheme of an OSV ecosystem; a generic, inexact one (``exact=False``) if unknown."""
    base = base_ecosystem(ecosystem)
    scheme = _SCHEMES.get(base)
    if scheme is not None:
        return scheme
    generic = _GENERIC.get(base)
    if generic is None:
        generic = _GENERIC[base] = GenericScheme(base or "generic")
    return generic
