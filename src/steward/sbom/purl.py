"""Package URLs for components: OSV ecosystem + name + version → canonical purl.

Built with packageurl-python; this module adds what it leaves to callers: the mapping from OSV
ecosystem names to purl types, splitting ecosystem-specific names into namespace and name
(Maven ``group:artifact``, npm ``@scope/name``, Go module paths, Composer ``vendor/name``),
and the per-type canonical spellings of the purl specification (PyPI lower case with ``-``,
lower-cased npm/Cargo-insensitive types where the spec says so).

packageurl-python normalises every part twice (when the object is made and when it is
written) and costs about 20 µs a purl, a tenth of `steward sbom` on a large lockfile. Where
every part is made only of letters, digits, ``.``, ``_``, ``~``, ``-``, ``@`` and ``+`` (and
``:`` in versions) and the purl has no qualifiers or subpath, the string is written here
with the library's own encoding (``@`` → ``%40``, ``+`` → ``%2B``) and per-type case rules
(:func:`_direct`); anything else goes through the library. tests/sbom/test_purl_fast.py
checks the two agree on generated and real names of every type.
"""

from __future__ import annotations

import re

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
    if not qualifiers and subpath is None:
        direct = _direct(purl_type, namespace, short, version or None)
        if direct is not None:
            return direct
    return _library(purl_type, namespace, short, version, qualifiers, subpath)


#: purl types whose name packageurl-python lower-cases / whose namespace it lower-cases
_LOWER_NAME = frozenset(
    {"bitbucket", "github", "pypi", "gitlab", "composer", "luarocks", "oci", "npm", "alpm"}
    | {"apk", "bitnami", "hex", "pub"}
)
_LOWER_NAMESPACE = frozenset(
    ["bitbucket", "github", "pypi", "gitlab", "composer", "luarocks", "qpkg", "alpm", "apk", "hex"]
)
#: the types :func:`_direct` writes (Steward's, minus those with a rule of their own there)
_DIRECT_TYPES = frozenset(ECOSYSTEM_TO_PURL_TYPE.values()) - {"pub", "hackage"}
#: characters whose percent-encoding :func:`_quote` writes and that trimming cannot remove
_PLAIN = re.compile(r"[A-Za-z0-9._~@+-]+")
_PLAIN_VERSION = re.compile(r"[A-Za-z0-9._~:@+-]+")
_PLAIN_NAMESPACE = re.compile(r"[A-Za-z0-9._~@+-]+(?:/[A-Za-z0-9._~@+-]+)*")


def _quote(part: str) -> str:
    """``urllib.parse.quote`` as packageurl-python applies it, for :data:`_PLAIN` text
    (``:`` is left as it is, as the library restores it)."""
    return part.replace("@", "%40").replace("+", "%2B") if "@" in part or "+" in part else part


def _direct(purl_type: str, namespace: str | None, name: str, version: str | None) -> str | None:
    """The purl packageurl-python writes for plain parts (see the module docstring), or None
    when a part is not plain and the library must write it.

    The library's order is kept: a name is encoded, then lower-cased (so ``+`` in an npm
    name is ``%2b``); a namespace is lower-cased, then encoded; a version only encoded.
    """
    if purl_type not in _DIRECT_TYPES or not _PLAIN.fullmatch(name):
        return None
    if version is not None and not _PLAIN_VERSION.fullmatch(version):
        return None
    if namespace is not None and not _PLAIN_NAMESPACE.fullmatch(namespace):
        return None
    name = _quote(name)
    if purl_type in _LOWER_NAME:
        name = name.lower()
        if purl_type == "pypi":
            name = name.replace("_", "-")
    if namespace is not None:
        if purl_type in _LOWER_NAMESPACE:
            namespace = namespace.lower()
        namespace = _quote(namespace)
    head = f"pkg:{purl_type}/{namespace}/{name}" if namespace else f"pkg:{purl_type}/{name}"
    return f"{head}@{_quote(version)}" if version else head


def _library(
    purl_type: str,
    namespace: str | None,
    short: str,
    version: str | None,
    qualifiers: dict[str, str] | None,
    subpath: str | None,
) -> str | None:
    """The purl as packageurl-python writes it, or None where it cannot encode a part."""
    from packageurl import PackageURL  # here: most purls are written by _direct

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
