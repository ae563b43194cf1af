"""Package URLs for components: OSV ecosystem + name + version → canonical purl.

Built with packageurl-python; this module adds what it leaves to callers: the mapping from OSV
ecosystem names to purl types, splitting ecosystem-specific names into namespace and name
(Maven ``group:artifact``, npm ``@scope/name``, Go module paths, Composer ``vendor/name``),
and the per-type canonical spellings of the purl specification (PyPI lower case with ``-``,
lower-cased npm/Cargo-insensitive types where the spec says so).
"""

from __future__ import annotations

import re

from packageurl import PackageURL

#: OSV ecosystem name → purl type
ECOSYSTEM_TO_PURL_TYPE: dict[str, str] = {
    "PyPI": "pypi",
    "npm": "npm",
    "crates.io": "cargo",
    "Go": "golang",
    "Maven": "maven",
    "Packagist": "composer",
    "RubyGems": "gem",
    "NuGet": "nuget",
    "Pub": "pub",
    "Hex": "hex",
    "ConanCenter": "conan",
    "CRAN": "cran",
    "GitHub Actions": "github",
    "SwiftURL": "swift",
    "Hackage": "hackage",
    "Debian": "deb",
    "Alpine": "apk",
}

PURL_TYPE_TO_ECOSYSTEM: dict[str, str] = {v: k for k, v in ECOSYSTEM_TO_PURL_TYPE.items()}

_PEP503 = re.compile(r"[-_.]+")


def normalise_pypi_name(name: str) -> str:
    """PEP 503 normalised project name (lower case, runs of ``-_.`` become ``-``)."""
    return _PEP503.sub("-", name).lower()


def split_name(ecosystem: str, name: str) -> tuple[str | None, str]:
    """Split an ecosystem's package name into purl namespace and name."""
    if ecosystem == "Maven" and ":" in name:
        group, _, artifact = name.partition(":")
        return group, artifact
    if ecosystem == "npm" and name.startswith("@") and "/" in name:
        scope, _, rest = name.partition("/")
        return scope, rest
    if ecosystem in ("Go", "Packagist", "GitHub Actions", "SwiftURL") and "/" in name:
        namespace, _, last = name.rpartition("/")
        return namespace, last
    return None, name


def make_purl(
    ecosystem: str,
    name: str,
    version: str | None = None,
    qualifiers: dict[str, str] | None = None,
    subpath: str | None = None,
) -> str | None:
    """The canonical purl string for a package, or None for an ecosystem without a purl type."""
    purl_type = ECOSYSTEM_TO_PURL_TYPE.get(ecosystem)
    if purl_type is None or not name:
        return None
    namespace, short = split_name(ecosystem, name)
    if purl_type == "pypi":
        short = normalise_pypi_name(short)
    elif purl_type in ("composer", "github"):
        short = short.lower()
        namespace = namespace.lower() if namespace else namespace
    if not short.strip() or (namespace is not None and not namespace.strip("/ ")):
        return None  # "/", "@scope/", "vendor/": no name to put in a purl
    if purl_type == "golang" and version and not version.startswith("v") and version[:1].isdigit():
        version = "v" + version
    if qualifiers:
        qualifiers = {k: v for k, v in qualifiers.items() if isinstance(v, str) and v}
    try:
        purl = PackageURL(
            type=purl_type,
            namespace=namespace,
            name=short,
            version=version or None,
            qualifiers=qualifiers or None,
            subpath=subpath,
        )
        return str(purl.to_string())
    except (ValueError, TypeError):  # a part packageurl cannot encode (blank after trimming)
        return None
