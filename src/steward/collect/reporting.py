"""Facts for the ORC vulnerability handling specification's checkable items
(orcwg/vulnerability-management-spec, "Vulnerability reporting policy" and "Vulnerability
publication"): keys for encrypted reports (VRP-12/13), machine-readable lists of resolved
vulnerabilities (PUB-02/03/06), and whether each way the source is distributed carries the
reporting policy (VRP-17).

Everything is read from the checked-out tree (:class:`~steward.collect.tree.Tree`), each
fact with its file and line:

- :func:`encryption_keys`: ``Encryption:`` in security.txt (RFC 9116 section 2.5.4), an
  OpenPGP public key block, age recipient, key link or fingerprint in the security policy,
  ``pgp-key`` in security-insights.yml, and public key files whose name says they are for
  security reports (``security.asc``, ``.well-known/pgp-key.txt``; not a release ``KEYS``);
- :func:`advisories`: OSV (``id`` and ``modified``, OSV schema 1.x) and CSAF 2.x
  (``document.csaf_version``) documents, CSAF provider metadata and CycloneDX VEX/VDR
  documents that list vulnerabilities (JSON or XML) in the tree, and links
  to GitHub repository advisories (served as JSON by the forge), apart from advisories only
  a person can read (Markdown advisories, CVE pages);
- :func:`policy_channels`: per distribution (a ``git archive`` of the repository, a Python
  sdist by build backend, an npm package, a crate, each package of an npm workspace and
  each member crate of a virtual Cargo workspace) whether the file carrying the policy or
  its URL goes in, with the rule that decides it (``.gitattributes`` ``export-ignore``,
  ``MANIFEST.in``, ``[tool.hatch.build.targets.sdist]``, ``package.json`` ``files``,
  ``Cargo.toml`` ``include``/``exclude``); None where the backend's rules are not modelled.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import tomllib
from collections.abc import Iterable
from typing import Any

import orjson

from steward.collect.documents import MARKUP_EXT, SECURITY_TXT_NAMES, URL, linked_policy
from steward.collect.facts import Channel, Finding, Insights, Reporting, SecurityPolicy, Source
from steward.collect.metadata import line_in_table
from steward.collect.tree import Tree, not_the_projects
from steward.collect.workspaces import cargo_members, cargo_virtual_workspace
from steward.workspaceglob import member_match

_KEY_BLOCK = re.compile(r"-----BEGIN PGP PUBLIC KEY BLOCK-----")
_AGE = re.compile(r"\bage1[02-9ac-hj-np-z]{58}\b")
#: a URL that names a key (tested on each URL found by the linear ``URL`` pattern)
_KEY_URL = re.compile(
    r"\.(?:asc|gpg|pgp)(?:$|[?#])|keys\.openpgp\.org|/pks/lookup|keyserver\.|"
    r"keybase\.io/.*/pgp_keys|/\.well-known/openpgpkey/",
    re.I,
)
_FINGERPRINT = re.compile(r"\b(?:[0-9A-F]{4}\s?){9}[0-9A-F]{4}\b")
# a sentence that names a key or its fingerprints as found at a link
_KEY_NAMED = re.compile(
    r"\b(?:(?:pgp|gpg|openpgp)\b[^.]{0,60}?\b(?:keys?|fingerprints?)|public keys?|"
    r"key fingerprints?)\b[^.]{0,40}?\b(?:at|on|from|in|available|published|found)\b",
    re.I,
)
_KEY_WORDS = re.compile(r"\b(?:pgp|gpg|openpgp|fingerprint|public key|encrypt)", re.I)
_REL_LINK = re.compile(r"\]\(\s*<?([^)\s>]{1,300}?\.(?:asc|gpg|pgp|pub|key|txt))>?\s*\)", re.I)
# a key file for reports by its name: a purpose word anywhere (``security.asc``,
# ``project-security-key.asc``, ``psirt.pub``), or a format word that starts the name
# (``pgp-key.txt``, ``gpg.asc``); a format word after another name is someone else's key or a
# release key (``llvm-snapshot.gpg.key``, an apt repository's key a CI job installs;
# ``docker-archive-keyring.gpg``, ``release-pgp.asc``)
_KEY_FILE_NAME = re.compile(
    r"(?:^|[_.-])(?:security|psirt|vuln|disclos)|^(?:openpgp|pgp|gpg)(?:keys?)?(?![a-z])", re.I
)
_KEY_EXTS = ("asc", "gpg", "pgp", "pub", "key", "txt")
_ADVISORY_PATH = re.compile(
    r"advis|osv|csaf|vuln|security|cve-|ghsa-|rustsec-|pysec-|go-\d{4}-|\bvex\b|\bvdr\b", re.I
)
_GHSA_LINK = re.compile(r"github\.com/(?:[^/\s]+/[^/\s]+/security/)?advisories/GHSA-[\w-]+", re.I)
MAX_PATTERN = 1024
MAX_ADVISORY_FILES = 500
MAX_ADVISORY_BYTES = 1024 * 1024  # an OSV or CSAF document is a few KiB
MAX_KEY_FILES = 50


def collect_reporting(tree: Tree, policy: SecurityPolicy, insights: Insights | None) -> Reporting:
    """All the reporting facts of one tree (see the module docstring)."""
    machine, text = advisories(tree, policy, insights)
    return Reporting(
        encryption=tuple(encryption_keys(tree, policy, insights)),
        report_emails=tuple(report_emails(tree, policy)),
        machine_advisories=tuple(machine),
        text_advisories=tuple(text),
        channels=tuple(policy_channels(tree, policy)),
    )


def _lines(text: str) -> Iterable[tuple[int, str]]:
    return enumerate(text.splitlines(), start=1)


def _line_of(text: str, needle: str) -> int | None:
    for number, line in _lines(text):
        if needle in line:
            return number
    return None


# ------------------------------------------------------------------- reporting e-mail

_REPORT_CONTEXT = re.compile(
    r"\breport|\bdisclos|\bcontact|\be-?mail|\bsend\b|\bwrite\b|\breach\b|\bvulnerab|"
    r"\bsecurity\b|\bnotify",
    re.I,
)
_SECURITY_MAILBOX = re.compile(r"(?i)^(?:security|secure|psirt|cert|vuln\w*|cve|disclos\w*)[@.+-]")


def report_emails(tree: Tree, policy: SecurityPolicy) -> list[Finding]:
    """The policy's e-mail contacts that are named for reports: security.txt and Security
    Insights contacts, security mailboxes (``security@``, ``psirt@``), and addresses on a
    line (or after a line) about reporting, contacting or e-mailing. An address in a list of
    downstream packagers or a maintainers' table is not a reporting method."""
    found: list[Finding] = []
    for contact in policy.private_contacts:
        detail = contact.detail
        if not detail.startswith("e-mail"):
            if "contact" in detail and ("@" in detail or "mailto:" in detail):
                found.append(contact)  # security.txt Contact, security-insights contacts
            continue
        address = detail.rsplit(" ", 1)[-1]
        if _SECURITY_MAILBOX.match(address):
            found.append(contact)
            continue
        path, line = contact.source.path, contact.source.line
        text = tree.read(path).text if path else None
        if text is None or line is None:
            found.append(contact)
            continue
        lines = text.splitlines()
        context = " ".join(lines[max(line - 2, 0) : line]).replace(address, "")
        if _REPORT_CONTEXT.search(context):
            found.append(contact)
    return found


# ------------------------------------------------------------------- encryption keys


def _key_file(tree: Tree, path: str) -> Finding | None:
    """A public OpenPGP key (armored or binary) or age recipient in ``path``, if it is one."""
    content = tree.read(path, limit=512 * 1024)
    if content.text is not None:
        line = next((n for n, x in _lines(content.text) if _KEY_BLOCK.search(x)), None)
        if line is not None:
            return Finding(Source(path=path, line=line), "OpenPGP public key file")
        age = next((n for n, x in _lines(content.text) if _AGE.search(x)), None)
        if age is not None:
            return Finding(Source(path=path, line=age), "age recipient file")
        return None
    data = content.data
    if content.binary or (data[:1] and data[0] & 0x80):
        first = data[0] if data else 0
        tag = first & 0x3F if first & 0x40 else (first >> 2) & 0x0F
        if first & 0x80 and tag == 6:  # a public-key packet (RFC 4880 section 5.5.1.1)
            return Finding(Source(path=path), "OpenPGP public key file (binary)")
    return None


def encryption_keys(tree: Tree, policy: SecurityPolicy, insights: Insights | None) -> list[Finding]:
    """Where a key for encrypted reports is published (see the module docstring)."""
    found: list[Finding] = []
    security_txt = tree.find(*SECURITY_TXT_NAMES)
    if security_txt is not None:
        text = tree.read(security_txt, limit=64 * 1024).text or ""
        for number, line in _lines(text):
            m = re.match(r"^\s*Encryption\s*:\s*(\S+)", line, re.I)
            if m:
                where = Source(path=security_txt, line=number)
                found.append(Finding(where, f"security.txt Encryption {m.group(1)}"))
    for source in policy.files:
        path = source.path
        if path is None:
            continue
        text = tree.read(path).text or ""
        previous = ""
        for number, line in _lines(text):
            if number < (source.line or 1):
                continue
            where = Source(path=path, line=number)
            # a link the sentence names as where the key is ("encrypted with GPG using key
            # fingerprints available at the `Security page <https://...>`_", over two lines)
            urls = URL.findall(line)
            if (
                urls
                and not any(map(_KEY_URL.search, urls))
                and _KEY_NAMED.search(f"{previous} {URL.sub('', line)}")
            ):
                found.append(Finding(where, f"OpenPGP key published at {urls[0]}"))
            previous = URL.sub("", line)
            if _KEY_BLOCK.search(line):
                found.append(Finding(where, "OpenPGP public key block"))
            if m := _AGE.search(line):
                found.append(Finding(where, f"age recipient {m.group(0)[:16]}..."))
            for url in URL.findall(line):
                if _KEY_URL.search(url):
                    found.append(Finding(where, f"OpenPGP key link {url}"))
            if _KEY_WORDS.search(line) and (m := _FINGERPRINT.search(line.upper())):
                found.append(Finding(where, f"OpenPGP key fingerprint {m.group(0)}"))
            for m in _REL_LINK.finditer(line):
                base = path.rpartition("/")[0]
                target = re.sub(r"^\./", "", m.group(1))
                linked = tree.find(f"{base}/{target}" if base else target, target.lstrip("/"))
                if linked is not None and (key := _key_file(tree, linked)) is not None:
                    found += [Finding(where, f"link to {linked}"), key]
    if insights is not None:
        reporting = insights.raw.get("project")
        value = None
        if isinstance(reporting, dict):
            vr = reporting.get("vulnerability-reporting")
            value = vr.get("pgp-key") if isinstance(vr, dict) else None
        if isinstance(value, str) and value.strip():
            from steward.collect.yamlpos import line_of

            where = Source(path=insights.source.path, line=line_of(value))
            found.append(Finding(where, f"security-insights pgp-key {value.strip()[:60]}"))
    candidates = [
        p
        for p in tree.with_ext(*_KEY_EXTS)
        if _KEY_FILE_NAME.search(p.rpartition("/")[2] if "/" in p else p)
        or p.lower().startswith(".well-known/")
    ]
    for path in [p for p in candidates if not not_the_projects(p)][:MAX_KEY_FILES]:
        name = path.rpartition("/")[2].lower()
        if name in ("security.txt", "security.md") or name.startswith("keys"):
            continue
        key = _key_file(tree, path)
        if key is not None:
            found.append(key)
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------- advisories


# a CycloneDX document in XML (``<bom xmlns="http://cyclonedx.org/schema/bom/1.6">``) and its
# vulnerabilities element: a VEX or VDR kept in the tree (held-out-12c,
# apache/commons-configuration's src/conf/security/VEX.cyclonedx.xml)
_CYCLONEDX_XML = re.compile(
    r"<bom\b[^>]{0,500}?\bxmlns\s*=\s*[\"']https?://cyclonedx\.org/schema/bom/"
)
_XML_VULNERABILITY = re.compile(r"<vulnerabilities>\s*<vulnerability\b")


def _cyclonedx_vulnerabilities(path: str, text: str, data: Any = None) -> Finding | None:
    """A CycloneDX VEX or Vulnerability Disclosure Report: a CycloneDX document (JSON
    ``bomFormat``, or XML in the CycloneDX namespace) that lists at least one vulnerability,
    a machine-readable statement of the vulnerabilities that affect the project."""
    if isinstance(data, dict):
        vulnerabilities = data.get("vulnerabilities")
        if (
            data.get("bomFormat") == "CycloneDX"
            and isinstance(vulnerabilities, list)
            and vulnerabilities
        ):
            line = _line_of(text, '"vulnerabilities"')
            return Finding(Source(path=path, line=line), "CycloneDX vulnerability document")
        return None
    if _CYCLONEDX_XML.search(text) and (m := _XML_VULNERABILITY.search(text)):
        line = text.count("\n", 0, m.start()) + 1
        return Finding(Source(path=path, line=line), "CycloneDX vulnerability document")
    return None


def _advisory_document(tree: Tree, path: str) -> Finding | None:
    content = tree.read(path, limit=MAX_ADVISORY_BYTES)
    if content.text is None or content.truncated:
        return None
    if path.lower().endswith(".xml"):
        return _cyclonedx_vulnerabilities(path, content.text)
    data: Any
    try:
        if path.lower().endswith(".json"):
            data = orjson.loads(content.data)
        else:
            from steward.errors import InputError
            from steward.safeio import loads_yaml

            try:
                data = loads_yaml(content.text, source=path)
            except InputError:
                return None
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    document = data.get("document")
    if isinstance(document, dict) and isinstance(document.get("csaf_version"), str):
        line = _line_of(content.text, "csaf_version")
        return Finding(Source(path=path, line=line), f"CSAF {document['csaf_version']} advisory")
    if (cyclonedx := _cyclonedx_vulnerabilities(path, content.text, data)) is not None:
        return cyclonedx
    if isinstance(data.get("canonical_url"), str) and "metadata_version" in data:
        line = _line_of(content.text, "canonical_url")
        return Finding(Source(path=path, line=line), "CSAF provider metadata")
    ident, modified = data.get("id"), data.get("modified")
    if (
        isinstance(ident, str)
        and isinstance(modified, str)
        and ("affected" in data or "schema_version" in data or "aliases" in data)
    ):
        line = _line_of(content.text, ident)
        return Finding(Source(path=path, line=line), f"OSV advisory {ident}")
    return None


def advisories(
    tree: Tree, policy: SecurityPolicy, insights: Insights | None
) -> tuple[list[Finding], list[Finding]]:
    """(machine-readable, person-readable only) published advisories in the tree."""
    machine: list[Finding] = []
    text: list[Finding] = []
    candidates = [
        p
        for p in tree.with_ext("json", "yaml", "yml", "xml")
        if _ADVISORY_PATH.search(p) and not not_the_projects(p)
    ]
    for path in candidates[:MAX_ADVISORY_FILES]:
        if (found := _advisory_document(tree, path)) is not None:
            machine.append(found)
    for link in policy.advisory_links + policy.public_links:
        if m := _GHSA_LINK.search(link.detail):
            machine.append(Finding(link.source, f"GitHub repository advisory {m.group(0)}"))
        elif link in policy.advisory_links:
            text.append(link)
    for path in tree.with_ext(*MARKUP_EXT, "html"):
        if re.search(r"(?:^|/)(?:security[-_/])?advisor(?:y|ies)/", path, re.I):
            text.append(Finding(Source(path=path, line=1), "advisory (text)"))
    machine += linked_feeds(tree, policy)
    if insights is not None:
        from steward.collect.yamlpos import line_of

        for key, value in _walk(insights.raw):
            if "advisor" in key and isinstance(value, str) and value.startswith("https://"):
                where = Source(path=insights.source.path, line=line_of(value))
                machine.append(Finding(where, f"security-insights {key}: {value}"))
    return list(dict.fromkeys(machine)), list(dict.fromkeys(text))[:20]


# a machine-readable list of a project's vulnerabilities published at a URL: a CycloneDX
# Vulnerability Disclosure Report or VEX document (vdr.xml, bom.vex.json, .../cyclonedx/...vdr),
# a CSAF provider's metadata or feed (provider-metadata.json, /.well-known/csaf/). Tried on
# each URL (:data:`URL` consumes a run of characters once), so a long line stays linear.
_FEED_PATH = re.compile(
    r"/[^/]*\b(?:vdr|vex)\.(?:xml|json)\b|/provider-metadata\.json\b|"
    r"/\.well-known/csaf(?:-aggregator)?/",
    re.I,
)


def linked_feeds(tree: Tree, policy: SecurityPolicy) -> list[Finding]:
    """Machine-readable vulnerability feeds (:data:`_FEED_PATH`) the project's top-level
    documents link: the policy, the README, the contribution guide and AGENTS.md (where Apache
    Logging points researchers at its CycloneDX VDR), each at its line."""
    paths: list[str | None] = [s.path for s in policy.files if s.path]
    paths += [tree.find(n) for n in ("README.md", "README", "README.rst", "CONTRIBUTING.md",
                                     "AGENTS.md")]  # fmt: skip
    found: list[Finding] = []
    for path in dict.fromkeys(p for p in paths if p):
        text = tree.read(path, limit=256 * 1024).text or ""
        for number, line in _lines(text):
            for url in (m.group(0) for m in URL.finditer(line)):
                if _FEED_PATH.search(url):
                    where = Source(path=path, line=number)
                    found.append(Finding(where, f"vulnerability feed {url}"))
                    break
    return found


def _walk(raw: object, prefix: str = "") -> Iterable[tuple[str, object]]:
    if isinstance(raw, dict):
        for key, value in raw.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            yield name, value
            yield from _walk(value, name)
    elif isinstance(raw, list):
        for item in raw:
            yield from _walk(item, prefix)


# ------------------------------------------------------------ policy in distributions


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob as git, hatch, npm and cargo read it: ``*`` and ``?`` stay within one path
    component, ``**`` crosses them (``**/x`` at any depth, ``a/**`` everything inside ``a``),
    ``[...]`` is a class. ``fnmatch`` lets ``*`` cross ``/``, so ``/*.md`` in pypa/pipx's hatch
    sdist include list took in ``.github/SECURITY.md`` (held-out-12a)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (close := pattern.find("]", i + 2)) > 0:
            body = pattern[i + 1 : close]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    try:
        return re.compile("".join(out))
    except re.error:
        return re.compile(re.escape(pattern))


def covers(pattern: str, path: str) -> bool:
    """Whether an include/files pattern (a path, directory, or glob) takes in ``path``, with
    gitignore's rules (hatch, npm ``files`` and cargo ``include`` follow them): a pattern with
    a ``/`` (leading or inside) is anchored at the root, one without matches a name at any
    depth; a pattern that matches a directory takes in everything below it."""
    raw = pattern.strip().removeprefix("./").rstrip("/")
    pat = raw.lstrip("/")
    if len(pat) > MAX_PATTERN:  # no path pattern is this long; compiling it costs seconds
        return pat == path
    if pat in ("", ".", "*", "**", "**/*"):
        return True
    if pat == path or path.startswith(pat + "/"):
        return True
    regex = glob_regex(pat)
    parts = path.split("/")
    if "/" in raw:  # anchored: the path or one of its directories, from the root
        return any(regex.fullmatch("/".join(parts[:i])) for i in range(1, len(parts) + 1))
    return any(regex.fullmatch(part) for part in parts)


def _export_ignored(tree: Tree, path: str) -> Finding | None:
    """The ``.gitattributes`` line that keeps ``path`` out of ``git archive``, if any."""
    decided: Finding | None = None
    parts = path.split("/")
    dirs = ["/".join(parts[:i]) for i in range(len(parts))]
    for directory in dirs:
        attributes = tree.find(f"{directory}/.gitattributes" if directory else ".gitattributes")
        if attributes is None:
            continue
        text = tree.read(attributes, limit=256 * 1024).text or ""
        inner = path[len(directory) + 1 :] if directory else path
        prefixes = ["/".join(inner.split("/")[: i + 1]) for i in range(inner.count("/") + 1)]
        for number, line in _lines(text):
            fields = line.split()
            if len(fields) < 2 or fields[0].startswith("#") or len(fields[0]) > MAX_PATTERN:
                continue
            attrs = fields[1:]
            if "export-ignore" not in attrs and "-export-ignore" not in attrs:
                continue
            pat = fields[0].lstrip("/")
            anchored = "/" in fields[0].rstrip("/")
            hit = any(
                fnmatch.fnmatchcase(p, pat)
                or (not anchored and fnmatch.fnmatchcase(p.rpartition("/")[2], pat))
                for p in prefixes
            )
            if hit:
                where = Source(path=attributes, line=number)
                decided = Finding(where, line.strip()) if "export-ignore" in attrs else None
    return decided


def _git_archive(tree: Tree, path: str, line: int = 1) -> Channel:
    """``line``: where the file carries the policy (1 for a policy file; the line of the
    policy's URL in a README that only links it)."""
    ignored = _export_ignored(tree, path)
    if ignored is not None:
        return Channel("source archive (git archive)", False,
                       f"{path} is export-ignore in .gitattributes", (ignored,))  # fmt: skip
    return Channel("source archive (git archive)", True, f"{path} is in the source archive",
                   (Finding(Source(path=path, line=line), "in the tree"),))  # fmt: skip


def _toml(tree: Tree, path: str) -> tuple[dict[str, Any], str] | None:
    content = tree.read(path, limit=1024 * 1024)
    if content.text is None:
        return None
    try:
        return tomllib.loads(content.text), content.text
    except tomllib.TOMLDecodeError:
        return None


def _toml_line(text: str, *needles: str) -> int | None:
    for needle in needles:
        if (line := _line_of(text, needle)) is not None:
            return line
    return None


_HATCH_TABLES = ("tool.hatch.build.targets.sdist", "tool.hatch.build")


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_readme(path: str) -> bool:
    return "/" not in path and path.lower().startswith("readme")


def _patterns(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get("path"), str):
            formats = item.get("format")
            if formats is None or "sdist" in (formats if isinstance(formats, list) else [formats]):
                out.append(item["path"])
    return out


def _key_line(text: str, tables: tuple[str, ...], key: str) -> int | None:
    """The line of ``key`` in the first of ``tables`` that sets it (not the first place the
    word occurs: ``include`` is also in ``{ include-group = "test" }``); a dotted or inline
    spelling falls back to the first occurrence."""
    for table in tables:
        if (line := line_in_table(text, table, key)) is not None:
            return line
    return _toml_line(text, key)


def _listed(
    name: str,
    text: str,
    key: str,
    patterns: list[str],
    path: str,
    where: str,
    tables: tuple[str, ...] = (),
) -> tuple[bool, str, Finding]:
    line = _key_line(text, tables, key)
    evidence = Finding(Source(path=where, line=line), f"{key} {patterns}"[:160])
    if any(covers(p, path) for p in patterns):
        return True, f"{name}: {key} takes in {path}", evidence
    return False, f"{name}: {key} does not take in {path}", evidence


def _manifest_in(tree: Tree, path: str, scm: bool) -> tuple[bool, str, tuple[Finding, ...]]:
    """What setuptools' MANIFEST.in (and setuptools-scm) make of ``path`` in the sdist."""
    manifest = tree.find("MANIFEST.in")
    included = scm
    reason = "setuptools-scm puts every tracked file in the sdist" if scm else ""
    evidence: tuple[Finding, ...] = ()
    if manifest is not None:
        text = tree.read(manifest, limit=256 * 1024).text or ""
        name = path.rpartition("/")[2]
        directory = path.rpartition("/")[0]
        for number, line in _lines(text):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            command, args = words[0], [w for w in words[1:] if len(w) <= MAX_PATTERN]
            hit: bool | None = None
            if command in ("include", "exclude"):
                # relative to the root, and ``*`` stays within a directory (setuptools'
                # translate_pattern): ``include *.md`` is the top level's Markdown only
                hit = any(
                    glob_regex(a.removeprefix("./").lstrip("/")).fullmatch(path) for a in args
                )
            elif command in ("global-include", "global-exclude"):
                hit = any(fnmatch.fnmatchcase(name, a) for a in args)
            elif command in ("recursive-include", "recursive-exclude") and args:
                base = args[0].strip("./")
                inside = not base or directory == base or directory.startswith(base + "/")
                hit = inside and any(fnmatch.fnmatchcase(name, a) for a in args[1:])
            elif command in ("graft", "prune") and args:
                base = args[0].strip("./")
                hit = not base or path.startswith(base + "/")
            if hit:
                included = not command.endswith(("exclude", "prune"))
                reason = f"MANIFEST.in line {number}: {line.strip()}"
                evidence = (Finding(Source(path=manifest, line=number), line.strip()),)
    if not reason:
        where = manifest or "MANIFEST.in"
        reason = (
            f"no {where} rule takes in {path} (setuptools puts the README and licence files "
            "in the sdist, not a security policy)"
        )
    return included, reason, evidence


def _python(tree: Tree, path: str) -> Channel | None:
    pyproject = tree.find("pyproject.toml")
    parsed = _toml(tree, pyproject) if pyproject else None
    data, text = parsed if parsed else ({}, "")
    if pyproject is None and tree.find("setup.py", "setup.cfg") is None:
        return None
    build = _dict(data.get("build-system"))
    backend = str(build.get("build-backend") or ("setuptools" if tree.find("setup.py") else ""))
    requires = " ".join(str(r) for r in build.get("requires") or [] if isinstance(r, str))
    tool = _dict(data.get("tool"))
    where = pyproject or "setup.py"
    backend_line = Finding(
        Source(path=where, line=_toml_line(text, "build-backend") if text else None),
        f"build backend {backend or 'unknown'}",
    )
    if pyproject is not None and parsed is None:
        return Channel("Python sdist", None, f"{pyproject} could not be parsed", (backend_line,))
    if not backend:
        if "project" not in data and "poetry" not in tool:
            return None  # a pyproject.toml for tools only: not a package
        return Channel("Python sdist", None, "no build backend declared", (backend_line,))
    name = f"Python sdist ({backend.split('.')[0]})"
    readme = _is_readme(path)
    if backend.startswith("setuptools"):
        if readme:
            return Channel(name, True, "setuptools puts the README in the sdist", (backend_line,))
        scm = "setuptools-scm" in requires or "setuptools_scm" in requires
        ok, reason, evidence = _manifest_in(tree, path, scm)
        return Channel(name, ok, reason, evidence or (backend_line,))
    if backend.startswith("hatchling"):
        hatch = _dict(tool.get("hatch"))
        build_cfg = _dict(hatch.get("build"))
        targets = _dict(build_cfg.get("targets"))
        sdist = _dict(targets.get("sdist"))
        for key in ("exclude",):
            patterns = _patterns(sdist.get(key)) + _patterns(build_cfg.get(key))
            if any(covers(p, path) for p in patterns):
                line = _key_line(text, _HATCH_TABLES, "exclude")
                evidence = (Finding(Source(path=where, line=line), f"exclude {patterns}"[:160]),)
                return Channel(name, False, f"hatch excludes {path} from the sdist", evidence)
        for key in ("only-include", "include"):
            patterns = _patterns(sdist.get(key)) or _patterns(build_cfg.get(key))
            if patterns:
                if readme:
                    return Channel(name, True, "hatch always puts the README in the sdist",
                                   (backend_line,))  # fmt: skip
                ok, reason, listed = _listed(name, text, key, patterns, path, where,
                                             _HATCH_TABLES)  # fmt: skip
                return Channel(name, ok, reason, (listed,))
        return Channel(name, True, "hatch puts every file not ignored by git in the sdist",
                       (backend_line,))  # fmt: skip
    if backend.startswith("flit_core"):
        flit = _dict(tool.get("flit"))
        sdist = _dict(flit.get("sdist"))
        patterns = _patterns(sdist.get("include"))
        if readme:
            return Channel(name, True, "flit puts the README in the sdist", (backend_line,))
        if not patterns:
            why = "flit's sdist holds the package and its metadata; [tool.flit.sdist] include"
            return Channel(name, False, f"{why} does not list the policy", (backend_line,))
        ok, reason, listed = _listed(name, text, "include", patterns, path, where,
                                     ("tool.flit.sdist",))  # fmt: skip
        return Channel(name, ok, reason, (listed,))
    if backend.startswith("poetry"):
        poetry = _dict(tool.get("poetry"))
        patterns = _patterns(poetry.get("include"))
        if readme:
            return Channel(name, True, "poetry puts the README in the sdist", (backend_line,))
        if not patterns:
            why = "poetry's sdist holds the packages, README and licence; [tool.poetry] include"
            return Channel(name, False, f"{why} does not list the policy", (backend_line,))
        ok, reason, listed = _listed(name, text, "include", patterns, path, where,
                                     ("tool.poetry",))  # fmt: skip
        return Channel(name, ok, reason, (listed,))
    if backend.startswith("mesonpy"):
        archive = _git_archive(tree, path)
        return Channel(name, archive.included, f"meson dist is a git archive: {archive.reason}",
                       archive.evidence)  # fmt: skip
    return Channel(name, None, f"the sdist rules of {backend} are not modelled; check the sdist",
                   (backend_line,))  # fmt: skip


def _npm(tree: Tree, path: str) -> Channel | None:
    manifest = tree.find("package.json")
    if manifest is None:
        return None
    content = tree.read(manifest, limit=2 * 1024 * 1024)
    try:
        data = orjson.loads(content.data) if content.text is not None else None
    except orjson.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        return Channel("npm package", None, "package.json could not be parsed",
                       (Finding(Source(path=manifest), "unreadable"),))  # fmt: skip
    if data.get("private") is True:
        return None  # never published
    text = content.text or ""
    files = data.get("files")
    if _is_readme(path):
        return Channel("npm package", True, "npm always packs the README",
                       (Finding(Source(path=manifest, line=1), "package.json"),))  # fmt: skip
    if isinstance(files, list):
        patterns = [f for f in files if isinstance(f, str)]
        line = _line_of(text, '"files"')
        evidence = (Finding(Source(path=manifest, line=line), f"files {patterns}"[:160]),)
        if any(covers(p, path) for p in patterns if not p.startswith("!")):
            return Channel("npm package", True, f"package.json files takes in {path}", evidence)
        return Channel("npm package", False, f"package.json files leaves out {path}", evidence)
    ignore = tree.find(".npmignore")
    if ignore is not None:
        text = tree.read(ignore, limit=256 * 1024).text or ""
        for number, entry in _lines(text):
            pat = entry.strip()
            if pat and not pat.startswith(("#", "!")) and covers(pat, path):
                evidence = (Finding(Source(path=ignore, line=number), pat),)
                return Channel("npm package", False, f".npmignore leaves out {path}", evidence)
    return Channel("npm package", True, "npm packs every file not ignored (no files list)",
                   (Finding(Source(path=manifest, line=1), "no files list"),))  # fmt: skip


def _cargo(tree: Tree, path: str) -> Channel | None:
    manifest = tree.find("Cargo.toml")
    parsed = _toml(tree, manifest) if manifest else None
    if manifest is None or parsed is None:
        return None
    data, text = parsed
    package = data.get("package")
    if not isinstance(package, dict) or package.get("publish") is False:
        return None
    include = _patterns(package.get("include"))
    exclude = _patterns(package.get("exclude"))
    if include:
        ok, reason, listed = _listed("crate", text, "include", include, path, manifest,
                                     ("package",))  # fmt: skip
        return Channel("crate (cargo package)", ok, reason, (listed,))
    if any(covers(p, path) for p in exclude):
        line = _key_line(text, ("package",), "exclude")
        evidence = (Finding(Source(path=manifest, line=line), f"exclude {exclude}"[:160]),)
        return Channel("crate (cargo package)", False, f"Cargo.toml excludes {path}", evidence)
    # shown at the package (the corpus accepts it: ripgrep, nushell, getrandom), saying what
    # an exclude list there is leaves in
    detail = (
        f"no include list; exclude {exclude} leaves {path} in" if exclude else "no include list"
    )
    return Channel("crate (cargo package)", True, "cargo packs every file not excluded",
                   (Finding(Source(path=manifest, line=_table_line(text, "package")),
                            detail[:160]),))  # fmt: skip


def _table_line(text: str, table: str) -> int | None:
    """The line of the ``[table]`` header itself (not a comment or a string naming it)."""
    header = f"[{table}]"
    return next((n for n, line in _lines(text) if line.strip().startswith(header)), None)


def points_to_policy(text: str) -> bool:
    """Whether a line says "security" and then gives a URL or ``SECURITY.md`` after it.

    Line by line: ``(?im)^.*\\bsecurity\\b.*(?:https?://|...)`` backtracked over every
    "security" of a long line (quadratic)."""
    for line in text.split("\n"):
        word = _SECURITY_WORD.search(line)
        if word and _POLICY_LINK.search(line, word.end()):
            return True
    return False


_SECURITY_WORD = re.compile(r"\bsecurity\b", re.I)
_POLICY_LINK = re.compile(r"https?://|security\.md", re.I)
_MAKE_VAR = re.compile(r"^(DISTFILES|EXTRA_DIST)\s*[:+]?=\s*(.*)$")


def _make_dist(tree: Tree, path: str) -> Channel | None:
    """A source tarball made by ``make dist`` from an explicit list: ``DISTFILES`` copied by
    a ``dist:`` target of the root Makefile, or automake's ``EXTRA_DIST`` in Makefile.am
    (automake adds the README on its own)."""
    for name, var in (("Makefile.am", "EXTRA_DIST"), ("Makefile", "DISTFILES")):
        makefile = tree.find(name)
        if makefile is None:
            continue
        text = tree.read(makefile, limit=1024 * 1024).text or ""
        if name == "Makefile" and not re.search(r"(?m)^dist\s*:.*(?:\n\t.*)*\$[({]DISTFILES", text):
            continue
        words: list[str] = []
        start: int | None = None
        lines = text.splitlines()
        index = 0
        while index < len(lines):
            m = _MAKE_VAR.match(lines[index])
            if m is None or m.group(1) != var:
                index += 1
                continue
            start = start or index + 1
            value = m.group(2)
            while value.rstrip().endswith("\\") and index + 1 < len(lines):
                index += 1
                value = value.rstrip()[:-1] + " " + lines[index]
            words += value.replace("\\", " ").split()
            index += 1
        if start is None:
            continue
        channel = f"source tarball (make dist, {name} {var})"
        evidence = (Finding(Source(path=makefile, line=start), f"{var} ({len(words)} entries)"),)
        if (name == "Makefile.am" and _is_readme(path)) or any(covers(w, path) for w in words):
            return Channel(channel, True, f"{var} takes in {path}", evidence)
        return Channel(channel, False, f"{var} leaves out {path}", evidence)
    return None


def _npm_workspaces(tree: Tree, paths: list[str]) -> list[Channel]:
    """The published packages of an npm workspace: each carries only its own directory."""
    manifest = tree.find("package.json")
    if manifest is None:
        return []
    try:
        data = orjson.loads(tree.read(manifest, limit=2 * 1024 * 1024).data)
    except orjson.JSONDecodeError:
        return []
    spaces = data.get("workspaces") if isinstance(data, dict) else None
    if isinstance(spaces, dict):
        spaces = spaces.get("packages")
    if not isinstance(spaces, list):
        return []
    dirs = sorted(d for d in tree.dirs if any(member_match(d, str(p)) for p in spaces))
    out = []
    for directory in dirs[:200]:
        package = tree.find(f"{directory}/package.json")
        if package is None:
            continue
        try:
            meta = orjson.loads(tree.read(package, limit=2 * 1024 * 1024).data)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(meta, dict) or meta.get("private") is True:
            continue
        name = f"npm package {meta.get('name') or directory}"
        inside = [p for p in paths if p.startswith(directory + "/")]
        files = meta.get("files")
        text = tree.read(package, limit=2 * 1024 * 1024).text or ""
        line = _line_of(text, '"files"') if isinstance(files, list) else 1
        evidence = (
            Finding(Source(path=package, line=line), f"{directory}: {files or 'all'}"[:160]),
        )
        readme = tree.find(*(f"{directory}/{n}" for n in ("README.md", "Readme.md", "readme.md")))
        readme_text = tree.read(readme, limit=256 * 1024).text or "" if readme else ""
        if points_to_policy(readme_text):
            out.append(Channel(name, True, f"{readme} points to the security policy", evidence))
        elif inside and (
            not isinstance(files, list)
            or any(
                covers(f, p[len(directory) + 1 :])
                for f in files
                if isinstance(f, str)
                for p in inside
            )
        ):
            out.append(Channel(name, True, f"{inside[0]} is in the package", evidence))
        else:
            out.append(Channel(name, False, f"{directory} holds no security policy for the package",
                               evidence))  # fmt: skip
    return out


def _cargo_workspace(tree: Tree, paths: list[str]) -> list[Channel]:
    """The crates of a virtual Cargo workspace (a root ``Cargo.toml`` with ``[workspace]``
    and no ``[package]``): cargo packs each member from its own directory, so a policy kept
    at the root goes into none of them (RustCrypto/hashes, held-out-12b); a member carries
    it when a file carrying it (or a SECURITY file of its own) is inside the member's
    directory and its include/exclude lists keep it, or when the member's README (the
    ``readme`` key, which cargo packs even from outside the directory, else its own
    README.md) points to the policy. A workspace
    with a root package is left to :func:`_cargo` (its crate is the project's; the corpus
    judges ripgrep's and nushell's by it)."""
    if not cargo_virtual_workspace(tree):
        return []
    out = []
    for directory in cargo_members(tree):
        manifest = f"{directory}/Cargo.toml"
        parsed = _toml(tree, tree.find(manifest) or manifest)
        if parsed is None:
            continue
        data, text = parsed
        package = data.get("package")
        if not isinstance(package, dict) or package.get("publish") is False:
            continue
        name = f"crate {package.get('name') or directory} (cargo package)"
        line = _table_line(text, "package") or 1
        # a file carrying the policy, or the member's own security policy file
        own = tree.find_all(*(f"{directory}/SECURITY{e}" for e in ("", ".md", ".txt", ".rst")))
        inside = [
            p[len(directory) + 1 :]
            for p in dict.fromkeys([*paths, *own])
            if p.startswith(directory + "/")
        ]
        include = _patterns(package.get("include"))
        exclude = _patterns(package.get("exclude"))
        kept = [
            p
            for p in inside
            if (any(covers(i, p) for i in include) if include else True)
            and not any(covers(e, p) for e in exclude)
        ]
        readme_key = package.get("readme")
        readme = (
            tree.find(posixpath.normpath(posixpath.join(directory, readme_key)))
            if isinstance(readme_key, str)
            else tree.find(*(f"{directory}/{n}" for n in ("README.md", "Readme.md", "readme.md")))
        )
        readme_text = tree.read(readme, limit=256 * 1024).text or "" if readme else ""
        evidence = (Finding(Source(path=manifest, line=line), f"{directory}: [package]"),)
        if kept:
            out.append(Channel(name, True, f"{directory}/{kept[0]} is in the crate", evidence))
        elif readme and points_to_policy(readme_text):
            out.append(Channel(name, True, f"{readme} points to the security policy", evidence))
        else:
            out.append(Channel(name, False, f"{directory} holds no security policy for the crate",
                               evidence))  # fmt: skip
    return out


def _merge(channels: list[Channel]) -> Channel:
    """One channel's answer over several files carrying the policy: in if any one is."""
    for want in (True, None, False):
        for channel in channels:
            if channel.included is want:
                return channel
    return channels[0]


def policy_channels(tree: Tree, policy: SecurityPolicy) -> list[Channel]:
    """Per distribution of the source, whether a file carrying the policy (or its URL) goes in."""
    # a policy file carries it from its first line; a README's or a documentation page's
    # section from its heading
    lines: dict[str, int] = {s.path: s.line or 1 for s in policy.files if s.path}
    for u in policy.urls:
        if u.source.path:
            lines.setdefault(u.source.path, u.source.line or 1)
    # a README (or contribution guide) that links the policy's page carries its URL: when the
    # policy file itself is export-ignored (ramsey/uuid's SECURITY.md), the archive still
    # tells a user where the policy is (VRP-17: "the policy or its URL")
    if lines:
        for link in linked_policy(tree):
            if link.source.path:
                lines.setdefault(link.source.path, link.source.line or 1)
    carriers = list(lines)
    if not carriers:
        return []
    out = [_merge([_git_archive(tree, p, lines[p]) for p in carriers])]
    for build in (_make_dist, _python, _npm, _cargo):
        found = [c for c in (build(tree, p) for p in carriers) if c is not None]
        if found:
            out.append(_merge(found))
    return out + _npm_workspaces(tree, carriers) + _cargo_workspace(tree, carriers)
