"""The Component: one package found in a lockfile, manifest or SBOM.

Plain slotted dataclasses rather than pydantic models: lockfile parsing creates tens of
thousands of these and validation happens in the parsers, so the lighter type pays off.

``ecosystem`` uses OSV's ecosystem names (``PyPI``, ``npm``, ``crates.io``, ``Go``, ``Maven``,
``Packagist``, ``RubyGems``, ``NuGet``, ``Pub``, ``Hex``, ``ConanCenter``, ``CRAN``) so that
components match OSV advisories without translation. ``name`` keeps the lockfile's spelling;
normalisation happens in the purl and in the vulnerability matcher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Scope(StrEnum):
    """How a component is used by the project."""

    RUNTIME = "runtime"
    DEV = "dev"
    OPTIONAL = "optional"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a component was declared: a file and, where known, a 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Hash:
    """A digest of the component's distributed form.

    ``algorithm`` uses CycloneDX's names (``SHA-1``, ``SHA-256``, ``SHA-384``, ``SHA-512``,
    ``SHA3-256``, ``BLAKE2b-256``, ``MD5`` ...); ``value`` is lower-case hex.
    """

    algorithm: str
    value: str


#: CycloneDX hash names → SPDX 2 checksum algorithm names (the writer's and reader's table)
SPDX2_HASH_NAMES = {
    "SHA-1": "SHA1",
    "SHA-256": "SHA256",
    "SHA-384": "SHA384",
    "SHA-512": "SHA512",
    "SHA3-256": "SHA3-256",
    "SHA3-384": "SHA3-384",
    "SHA3-512": "SHA3-512",
    "BLAKE2b-256": "BLAKE2b-256",
    "BLAKE2b-384": "BLAKE2b-384",
    "BLAKE2b-512": "BLAKE2b-512",
    "BLAKE3": "BLAKE3",
    "MD5": "MD5",
}
#: CycloneDX hash names → SPDX 3 ``HashAlgorithm`` values
SPDX3_HASH_NAMES = {
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
    "SHA3-256": "sha3_256",
    "SHA3-384": "sha3_384",
    "SHA3-512": "sha3_512",
    "BLAKE2b-256": "blake2b256",
    "BLAKE2b-384": "blake2b384",
    "BLAKE2b-512": "blake2b512",
    "BLAKE3": "blake3",
    "MD5": "md5",
}


@dataclass(slots=True)
class Component:
    """A package with what the source said about it.

    ``ref`` is the component's unique key within one parse (used by ``dependencies`` edges);
    parsers set it to the purl where that is unique, otherwise to a stable string of their own.
    ``direct`` is None when the source cannot tell direct from transitive.
    """

    name: str
    version: str
    ecosystem: str
    purl: str | None = None
    ref: str = ""
    scope: Scope = Scope.RUNTIME
    direct: bool | None = None
    hashes: tuple[Hash, ...] = ()
    licenses: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()
    location: SourceLocation | None = None
    groups: tuple[str, ...] = ()
    supplier: str | None = None
    download_url: str | None = None
    #: digests of the file at ``download_url`` when ``hashes`` also covers other files
    #: (Python lockfiles list the sdist and every wheel); empty: ``hashes`` are its digests
    download_hashes: tuple[Hash, ...] = ()
    vcs_url: str | None = None
    commit: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    #: declared dependencies the lockfile names but does not lock (the edge list is partial)
    unresolved: tuple[str, ...] = ()
    #: the source states this component's complete dependency list (set by the assembler
    #: from :attr:`ParseResult.records_graph` and ``unresolved``); an empty ``dependencies``
    #: then means "depends on nothing", otherwise it means "not known"
    dependencies_known: bool = False
    #: a version constraint instead of a resolved version (``>=2.20``): an unresolved component
    version_range: str | None = None

    def __post_init__(self) -> None:
        if not self.ref:
            self.ref = self.purl or f"{self.ecosystem}:{self.name}@{self.version}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found while parsing: one line for the user, naming the file and line."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ParseResult:
    """What one lockfile (or manifest) yielded.

    ``components`` may be non-empty together with ``diagnostics`` when a file was partly
    readable. ``root_dependencies`` lists the refs the project itself depends on directly.
    """

    path: str
    parser: str
    ecosystem: str
    components: list[Component] = field(default_factory=list)
    root_dependencies: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    project_name: str | None = None
    project_version: str | None = None
    #: the format lists every package's dependencies (package-lock, pnpm, Cargo.lock ...)
    records_graph: bool = False
    #: ``root_dependencies`` come from the project's own entry or manifest (proven), not from
    #: "nothing else depends on it" (which finds direct dependencies, but not all of them)
    root_known: bool = False
    #: the manifest or lockfile entry the project's name and version came from
    project_source: str | None = None
