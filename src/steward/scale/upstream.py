"""From an SBOM's components to their upstream repositories (component due diligence).

CRA Art. 13(5) asks a manufacturer to exercise due diligence when integrating components
from third parties, open-source ones included. ``steward assess-many --from-sbom`` does it
on the projects behind the components: each component's purl is resolved to the repository
it is developed in, then those repositories are assessed like any other target.

Resolution uses only what the SBOM records and a local mapping file, never the network
(registries answer differently from day to day; an assessment must be reproducible). For
each component, the first of these that gives a repository wins, and the row says which
(``via``):

1. ``mapping``: the mapping file (``--map FILE``, YAML or JSON): ``purl → URL``, keyed by
   the purl without version, qualifiers and subpath (``pkg:npm/lodash``) or by the full purl
   with its version; ``null`` says the component has no public upstream (reason recorded);
   as the user's own file, it may also name ``file://`` repositories (local mirrors);
2. ``purl vcs_url``: the purl's ``vcs_url`` qualifier (purl spec, known qualifiers);
3. ``purl``: purl types that name their repository: ``github``, ``bitbucket``, ``gitlab``,
   and ``golang`` paths on a known forge (``github.com/o/r/v2`` → ``github.com/o/r``);
4. ``vcs``: CycloneDX ``externalReferences`` of type ``vcs`` (or ``source-distribution``
   when it is a git URL), SPDX 2 ``downloadLocation`` in VCS form (``git+https://...``),
   SPDX 3 ``software_downloadLocation`` likewise;
5. ``website``: a CycloneDX ``website`` reference or an SPDX ``homepage`` on a known forge
   (``https://github.com/o/r#readme``);
6. ``distribution``: a source archive or release asset on a known forge
   (``https://github.com/o/r/archive/v1.tar.gz``, ``https://api.github.com/repos/o/r/zipball/...``);
   other URLs on a forge are not taken (``https://github.com/rust-lang/crates.io-index`` is
   the registry's index, not the crate's upstream).

URLs are normalised: ``git+``, ``scm:git:`` and scp-like ``git@host:`` forms become https;
on a known forge (GitHub, GitLab, Bitbucket, Codeberg, Gitee, SourceHut) the repository is
the owner and name (``/tree/...``, ``.git``, fragments dropped; GitLab subgroups kept up to
``/-/``). Elsewhere a URL is taken only when it is recognisably git (``.git`` suffix,
``git+``/``git://``/``ssh://`` scheme, no query string). Unexpanded build variables
(``${project.scm.tag}``), Subversion and other non-git URLs, ``file://`` and local paths are
refused: an SBOM must not make Steward read the local disk. Components that resolve to the
same repository become one target listing all of them; components with no repository are
reported as ``unresolved`` rows with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from steward.errors import InputError
from steward.scale.targets import Target, TargetList, merge_targets, url_key

#: forges whose repository URL is ``https://host/owner/name``
KNOWN_FORGES = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "git.sr.ht"}
)
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?$")
_PART = re.compile(r"^[A-Za-z0-9_.~-]+$")


def _split(url: str) -> tuple[str, str, str] | None:
    """(scheme, host, path) of a URL in any of the git spellings, or None."""
    text = url.strip()
    if not text or any(c.isspace() for c in text) or "${" in text or "::" in text[:12]:
        return None
    for prefix in ("scm:git:", "git+"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    scp = re.match(r"^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!//)(?!\d+/)(.+)$", text)
    if scp is not None and "://" not in text:
        return "ssh", scp.group(1).lower(), "/" + scp.group(2)
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://(?:[^@/?#]*@)?([^/?#]+)([^#]*)(#.*)?$", text)
    if m is None:
        return None
    return m.group(1).lower(), m.group(2).lower().removeprefix("www."), m.group(3)


def repository_url(url: str, *, forge_only: bool = False) -> str | None:
    """The clonable https (or git) URL of the repository ``url`` points into, or None.

    ``forge_only``: accept only URLs on a known forge (for websites and downloads, which
    are usually not repositories elsewhere).
    """
    parts = _split(url)
    if parts is None:
        return None
    scheme, host, path = parts
    if scheme not in ("https", "http", "git", "ssh") or not _HOST.match(host):
        return None
    path = re.sub(r"@[^/@]*$", "", path)  # SPDX/vcs_url revision: repo.git@v1.2
    bare_host = host.split(":", 1)[0]
    if bare_host in KNOWN_FORGES:
        path = path.split("?", 1)[0]
        segments = [unquote(s) for s in path.split("/") if s]
        if bare_host == "gitlab.com":
            cut = segments.index("-") if "-" in segments else len(segments)
            segments = segments[:cut]
        else:
            segments = segments[:2]
        if len(segments) < 2:
            return None
        segments[-1] = segments[-1].removesuffix(".git")
        if not all(_PART.match(s) and s not in (".", "..") for s in segments):
            return None
        return f"https://{bare_host}/" + "/".join(segments)
    if forge_only:
        return None
    if "?" in path or not path.strip("/"):
        return None
    gitlike = scheme in ("git", "ssh") or path.rstrip("/").endswith(".git")
    gitlike = gitlike or url.strip().lower().startswith(("git+", "scm:git:"))
    if not gitlike:
        return None
    if not all(_PART.match(s) and s not in (".", "..") for s in path.strip("/").split("/")):
        return None
    if scheme == "http":
        scheme = "https"
    return f"{scheme}://{host}/{path.strip('/')}"


def _purl_parts(purl: str) -> Any | None:
    from packageurl import PackageURL

    try:
        return PackageURL.from_string(purl)
    except ValueError:
        return None


def purl_base(purl: str) -> str | None:
    """``pkg:type/namespace/name`` (no version, qualifiers or subpath), or None."""
    parsed = _purl_parts(purl)
    if parsed is None:
        return None
    from packageurl import PackageURL

    bare = PackageURL(type=parsed.type, namespace=parsed.namespace, name=parsed.name)
    return str(bare.to_string())


def _from_purl(purl: str) -> tuple[str, str] | None:
    parsed = _purl_parts(purl)
    if parsed is None:
        return None
    vcs = (parsed.qualifiers or {}).get("vcs_url")
    if isinstance(vcs, str) and (found := repository_url(vcs)):
        return found, "purl vcs_url"
    host = {"github": "github.com", "bitbucket": "bitbucket.org", "gitlab": "gitlab.com"}.get(
        parsed.type
    )
    if host and parsed.namespace:
        found = repository_url(f"https://{host}/{parsed.namespace}/{parsed.name}")
        return (found, "purl") if found else None
    if parsed.type == "golang":
        path = f"{parsed.namespace}/{parsed.name}" if parsed.namespace else parsed.name
        found = repository_url(f"https://{path}", forge_only=True)
        return (found, "purl") if found else None
    return None


_DOWNLOAD = re.compile(
    r"^https://(?:(?P<api>api\.github\.com/repos)|(?P<host>[a-z.]+))/(?P<owner>[^/]+)/(?P<name>[^/]+)"
    r"/(?:archive|releases/download|zipball|tarball|-/archive|get)/"
)


def _release_download(url: str) -> str | None:
    """The repository of a source archive or release asset downloaded from a known forge
    (``https://github.com/o/r/archive/v1.tar.gz``, ``https://api.github.com/repos/o/r/zipball/
    SHA``); None for anything else (a registry index on a forge is not the upstream)."""
    m = _DOWNLOAD.match(url.strip())
    if m is None:
        return None
    host = "github.com" if m.group("api") else m.group("host")
    if host not in KNOWN_FORGES:
        return None
    return repository_url(f"https://{host}/{m.group('owner')}/{m.group('name')}")


def _mapped_url(value: str) -> str | None:
    """A mapping file's repository: as :func:`repository_url`, and ``file://`` URLs too (the
    file is the user's own word, like a target list; an SBOM's URLs never reach the disk)."""
    if value.startswith("file:///") and not any(c.isspace() for c in value):
        return value
    return repository_url(value)


class Mapping:
    """A local purl → repository mapping file (see the module docstring)."""

    def __init__(self, entries: dict[str, str | None], source: str) -> None:
        self.entries = entries
        self.source = source

    @classmethod
    def load(cls, path: Path) -> Mapping:
        from steward.safeio import load_yaml

        data = load_yaml(path, max_bytes=64 * 1024 * 1024)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise InputError("expected a mapping of purl: repository URL", source=path)
        entries: dict[str, str | None] = {}
        for key, value in data.items():
            if not isinstance(key, str) or _purl_parts(key) is None:
                raise InputError(f"not a purl: {key!r}", source=path)
            if value is not None and not isinstance(value, str):
                raise InputError(f"{key}: expected a repository URL or null", source=path)
            url = _mapped_url(value) if value is not None else None
            if value is not None and url is None:
                raise InputError(f"{key}: not a git repository URL: {value}", source=path)
            parsed = _purl_parts(key)
            canonical = str(parsed.to_string()) if parsed is not None else key
            entries[canonical] = url
        return cls(entries, str(path))

    def lookup(self, purl: str) -> tuple[bool, str | None]:
        """(found, repository URL or None for "no upstream") for a component's purl."""
        parsed = _purl_parts(purl)
        full = str(parsed.to_string()) if parsed is not None else purl
        for key in (full, purl_base(purl)):
            if key is not None and key in self.entries:
                return True, self.entries[key]
        return False, None


def resolve_component(component: Any, mapping: Mapping | None) -> tuple[str | None, str]:
    """(repository URL, how it was found) or (None, why not) for one SBOM component."""
    purl: str | None = component.purl
    if mapping is not None and purl:
        found, url = mapping.lookup(purl)
        if found:
            return (url, "mapping") if url else (None, f"no upstream ({mapping.source})")
    if purl and (hit := _from_purl(purl)):
        return hit
    if component.source_uri and (url := repository_url(component.source_uri)):
        return url, "vcs"
    for contact in component.creator_contacts:
        if "://" in contact and (url := repository_url(contact, forge_only=True)):
            return url, "website"
    if component.distribution_uri and (url := _release_download(component.distribution_uri)):
        return url, "distribution"
    what = "no purl, " if not purl else ""
    return None, f"{what}no repository recorded in the SBOM (add it to a --map file)"


def targets_from_sbom(path: Path, mapping: Mapping | None = None) -> TargetList:
    """The upstream repositories of the components of the SBOM at ``path``.

    The SBOM's own subject (CycloneDX ``metadata.component``, the SPDX package the
    document describes) is not a dependency and is left out.
    """
    from steward.sbom.read import read_sbom

    doc = read_sbom(path)
    targets: list[Target] = []
    unresolved: list[tuple[str, str]] = []
    for component in doc.components:
        ident = component.purl or (
            f"{component.name}@{component.version}" if component.version else component.name
        )
        url, how = resolve_component(component, mapping)
        if url is None:
            unresolved.append((ident or component.ref, how))
            continue
        targets.append(
            Target(
                key=url_key(url),
                location=url,
                remote=True,
                sources=(f"{path} {ident}",),
                components=(ident,) if ident else (),
                via=how,
            )
        )
    found = merge_targets(targets)
    found.unresolved = unresolved
    return found
