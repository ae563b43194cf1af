"""Weaker signs of user documentation in a README, read only when nothing stronger is found
(no documentation directory, guide file, usage-like section or link named as documentation).

Three signs, each a ``Finding`` at its own line of the README:

- a badge linking to the project's hosted documentation: ``[![Javadocs](badge.svg)](
  https://www.javadoc.io/doc/org.example/lib)``, a docs.rs, pkg.go.dev, hexdocs.pm,
  rubydoc.info or Read the Docs target, or a badge whose alternative text names the
  documentation ("API docs", "Javadoc", "Documentation Status"). Badges describe the project
  itself; a plain link to docs.rs may name a dependency's documentation, so only badges count.
- a fenced code example in a programming language (```` ```java ````, ```` ```python ````...):
  a README that shows the API in use documents its use even with no "Usage" heading. Shell,
  console, configuration and build snippets (``bash``, ``xml``, ``toml``, ``groovy``...) are
  not counted: they install or build, they do not use the library.
- a link to the published specification of the interfaces the package holds: "This
  repository holds all interfaces related to [PSR-11](https://www.php-fig.org/psr/psr-11/)".
  For an API package the specification is its users' documentation (as a specification kept
  in the tree is, eclipse-ee4j/jsonp's ``spec/``). Only a paragraph that speaks of interfaces
  counts, at a standards body's host (PHP-FIG's PSRs, Jakarta EE, IETF RFCs, W3C, Ecma, WHATWG):
  a library that merely implements an RFC documents nothing by linking it.

Written here rather than taken from a Markdown library: only badges and fence lines are
needed, with their line numbers, and the README is already in memory (the fence rules are
CommonMark's: up to three spaces of indentation, three or more backticks or tildes, closed
by the same character at least as long).
"""

from __future__ import annotations

import re

from steward.collect.facts import Finding, Source

__all__ = ["code_examples", "doc_badges", "specification_links", "weak_user_docs"]

# a badge: an image inside a link, Markdown ``[![alt](img)](target)`` or HTML
# ``<a href="target"><img ... alt="alt"></a>``
_MD_BADGE = re.compile(r"\[!\[([^\]\n]{0,200})\]\([^)\n]{0,2000}\)\]\(\s*<?([^)\s>]{1,2000})")
_HTML_BADGE = re.compile(
    r"<a\s[^>]{0,500}?href=[\"']([^\"'\s]{1,2000})[\"'][^>]{0,500}>\s*<img\s[^>]{0,2000}?"
    r"alt=[\"']([^\"'\n]{0,200})[\"']",
    re.I,
)
# hosts that publish packages' API documentation, one list for every reader (README badges
# here, badge links in ``documents``): a package's page there, not a badge image it serves
API_DOCS_HOSTS = (
    r"(?:javadoc\.io/doc/|docs\.rs/[\w-]|pkg\.go\.dev/(?!badge/)[\w.-]|godoc\.org/[\w.-]|"
    r"godocs\.io/[\w.-]|hexdocs\.pm/[\w-]|rubydoc\.info/|[\w-]+\.readthedocs\.io\b|"
    r"readthedocs\.org/projects/[\w-]+/?$|pub\.dev/documentation/|"
    r"hackage\.haskell\.org/package/|metacpan\.org/pod/|package\.elm-lang\.org/packages/|"
    r"pursuit\.purescript\.org/packages/|"
    r"swiftpackageindex\.com/[^/]+/[^/]+/[^/]+/documentation)"
)
_DOC_HOST = re.compile(rf"^https?://(?:www\.)?{API_DOCS_HOSTS}", re.I)
_BADGE_IMAGE = re.compile(r"/badges?\b|\.svg(?:$|\?)|shields\.io", re.I)
_DOC_ALT = re.compile(
    r"\b(?:(?:api|java|go|rust|hex|online)[ -]?)?docs?\b|\bdocumentation\b|\bjavadocs?\b|"
    r"\bgodoc\b|\brustdoc\b|\bapi reference\b",
    re.I,
)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^`\s{]*)")
# languages whose snippets use a library (not shell, console, markup, build or data files)
_PROGRAMMING = frozenset({
    "java", "kotlin", "kt", "scala", "python", "py", "python3", "rust", "rs", "go", "golang",
    "c", "cpp", "c++", "cxx", "objc", "objective-c", "javascript", "js", "jsx", "mjs",
    "typescript", "ts", "tsx", "php", "ruby", "rb", "elixir", "ex", "exs", "erlang", "erl",
    "csharp", "cs", "c#", "fsharp", "fs", "f#", "swift", "lua", "haskell", "hs", "clojure",
    "clj", "dart", "julia", "jl", "perl", "pl", "ocaml", "ml", "zig", "nim", "r", "d",
    "crystal", "cr", "gleam", "v", "vb", "vbnet",
})  # fmt: skip


def doc_badges(path: str, text: str, limit: int = 2) -> list[Finding]:
    """Badges of the README ``text`` (at ``path``) that link to hosted documentation or name
    it; one ``Finding`` per line, at most ``limit``."""
    found: list[Finding] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        pairs = [(m.group(1), m.group(2)) for m in _MD_BADGE.finditer(line)]
        pairs += [(m.group(2), m.group(1)) for m in _HTML_BADGE.finditer(line)]
        for alt, target in pairs:
            hosted = bool(_DOC_HOST.match(target)) and not _BADGE_IMAGE.search(target)
            if hosted or _DOC_ALT.search(alt):
                what = alt.strip() or target
                found.append(
                    Finding(Source(path=path, line=lineno), f"documentation badge {what!r}")
                )
                break
        if len(found) >= limit:
            break
    return found


def code_examples(path: str, text: str, limit: int = 2) -> list[Finding]:
    """Fenced code blocks of the README ``text`` in a programming language: a ``Finding`` at
    each opening fence line, at most ``limit``."""
    found: list[Finding] = []
    fence: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2):
                fence = None
            continue
        if m is None:
            continue
        fence = m.group(1)
        language = m.group(2).lower()
        if language in _PROGRAMMING:
            found.append(Finding(Source(path=path, line=lineno), f"code example ({language})"))
            if len(found) >= limit:
                break
    return found


# published specifications: a PSR, a Jakarta EE specification, an RFC, a W3C, Ecma or WHATWG
# standard (the page of one specification, not the body's home page)
_SPEC_HOST = re.compile(
    r"^<?https?://(?:www\.)?(?:php-fig\.org/psr/psr-\d+|jakarta\.ee/specifications/[\w-]+|"
    r"(?:rfc-editor\.org/rfc|datatracker\.ietf\.org/doc(?:/html)?|tools\.ietf\.org/html)/"
    r"(?:rfc|draft-)[\w-]+|w3\.org/TR/[\w-]+|tc39\.es/[\w-]+|"
    r"ecma-international\.org/publications-and-standards/standards/ecma-\d+|"
    r"[\w-]+\.spec\.whatwg\.org)",
    re.I,
)
_INTERFACES = re.compile(r"\binterfaces?\b", re.I)
# an inline link [text](target) or a reference link [text][id], [text][] or [text]; a
# reference definition "[id]: target" on a line of its own
_INLINE_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{1,200})\]\(\s*<?([^)\s>]{1,2000})")
_REF_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{1,200})\](?:\[([^\[\]\n]{0,200})\])?(?![(:])")
_REF_DEF = re.compile(r"^[ ]{0,3}\[([^\[\]\n]{1,200})\]:\s*<?(\S{1,2000}?)>?(?:\s|$)")


def specification_links(path: str, text: str, limit: int = 1) -> list[Finding]:
    """Links of the README ``text`` to a published specification, in a paragraph that speaks
    of the interfaces the package holds; a ``Finding`` at the link's line, at most ``limit``.
    Reference links are resolved through their definitions ("[psr-url]: https://...")."""
    lines = text.splitlines()
    targets: dict[str, str] = {}
    for line in lines:
        m = _REF_DEF.match(line)
        if m:
            targets.setdefault(" ".join(m.group(1).lower().split()), m.group(2))
    found: list[Finding] = []
    start = 0
    for end in [*(i for i, line in enumerate(lines) if not line.strip()), len(lines)]:
        paragraph = lines[start:end]
        first = start + 1
        start = end + 1
        if not _INTERFACES.search(" ".join(paragraph)):
            continue
        for offset, line in enumerate(paragraph):
            if _REF_DEF.match(line):
                continue
            links = [(m.group(1), m.group(2)) for m in _INLINE_LINK.finditer(line)]
            for m in _REF_LINK.finditer(line):
                ref = m.group(2) or m.group(1)
                target = targets.get(" ".join(ref.lower().split()))
                if target:
                    links.append((m.group(1), target))
            spec = next((label for label, target in links if _SPEC_HOST.match(target)), None)
            if spec is not None:
                found.append(
                    Finding(Source(path=path, line=first + offset), f"specification link {spec!r}")
                )
                if len(found) >= limit:
                    return found
    return found


def weak_user_docs(path: str, text: str) -> list[Finding]:
    """The weaker signs of user documentation in the README ``text``: badges, code examples,
    then a link to the specification of the interfaces the package holds."""
    found = doc_badges(path, text) + code_examples(path, text)
    return found or specification_links(path, text)
