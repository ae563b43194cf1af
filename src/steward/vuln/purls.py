"""Reading package URLs on the matching path: type, namespace, name and version, fast.

packageurl-python validates and canonicalises every purl it reads, at about 45 µs each; for
a 10,000-component SBOM that was a third of the whole ``steward vulns`` run. The matcher and
the VEX loader only need the four identifying parts with percent-encoding undone, so
:func:`parse_purl` splits the string by the purl specification's parsing rules (``pkg:``
scheme, type, namespace segments, name, ``@`` version; qualifiers and subpath are dropped)
and caches the result per string. Names keep their spelling: packageurl-python lower-cases
npm names as the purl specification asks, but npm names are case-sensitive (``JSONStream``
is not ``jsonstream``), so the caller decides (see :mod:`steward.vuln.inputs`).

Writing purls stays with packageurl-python (:func:`steward.sbom.purl.make_purl`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote

from steward.sbom.purl import PURL_TYPE_TO_ECOSYSTEM
from steward.vuln.names import normalise_name

_TYPE = re.compile(r"^[A-Za-z.+-][A-Za-z0-9.+-]*$")
#: purl types whose namespace is case-insensitive (purl specification, per-type rules)
_FOLD_NAMESPACE = frozenset({"pypi", "cargo", "nuget", "composer", "pub", "hex", "github"})
#: purl types whose namespace is a distribution, not part of the OSV package name
_DISTRO_TYPES = frozenset({"deb", "apk", "rpm", "alpm"})


@dataclass(frozen=True, slots=True)
class Purl:
    """The identifying parts of a purl: ``type`` lower case, ``namespace`` "" when absent."""

    type: str
    namespace: str
    name: str
    version: str | None

    @property
    def ecosystem(self) -> str:
        """The OSV ecosystem of the purl type (the type itself when OSV has no name for it)."""
        return PURL_TYPE_TO_ECOSYSTEM.get(self.type, self.type)

    def package_name(self) -> str:
        """The name as the OSV ecosystem spells it (Maven ``group:artifact``, npm ``@s/n``)."""
        if not self.namespace or self.type in _DISTRO_TYPES or self.type == "pypi":
            return self.name
        if self.type == "maven":
            return f"{self.namespace}:{self.name}"
        return f"{self.namespace}/{self.name}"

    def identity(self) -> tuple[str, str, str]:
        """(type, namespace, name) compared the way the ecosystem compares names."""
        namespace = self.namespace.lower() if self.type in _FOLD_NAMESPACE else self.namespace
        return self.type, namespace, normalise_name(self.ecosystem, self.name)


@functools.lru_cache(maxsize=65_536)
def parse_purl(text: str) -> Purl | None:
    """The parts of a purl, or None when ``text`` is not one (no ``pkg:``, no type or name)."""
    text = text.strip()
    if text[:4].lower() != "pkg:":
        return None
    rest = text[4:].split("#", 1)[0].split("?", 1)[0].strip("/")
    ptype, sep, rest = rest.partition("/")
    if not sep or not _TYPE.match(ptype):
        return None
    version: str | None = None
    at = rest.rfind("@")
    if at > rest.rfind("/"):
        version = unquote(rest[at + 1 :]) or None
        rest = rest[:at]
    namespace, _, name = rest.rstrip("/").rpartition("/")
    name = unquote(name).strip()
    if not name:
        return None
    segments = [unquote(s) for s in namespace.split("/") if s]
    return Purl(ptype.lower(), "/".join(segments), name, version)
