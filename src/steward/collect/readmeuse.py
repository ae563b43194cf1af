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

- the specification the project implements or gives the interfaces of, linked from a README
  line that says so: "implements [Jakarta Expression Language](https://jakarta.ee/
  specifications/expression-language/6.0/)" (Eclipse Expressly), "holds all interfaces
  related to [PSR-11 (Container Interface)][psr-url]" (php-fig/container). For an
  implementation of a standard API, or for the interfaces of one, the specification is the
  document its users read. A link counts when its target is a specification's page (a
  ``specifications``/``spec`` path segment, a PSR, an RFC) or its text names one.

Written here rather than taken from a Markdown library: only badges and fence lines are
needed, with their line numbers, and the README is already in memory (the fence rules are
CommonMark's: up to three spaces of indentation, three or more backticks or tildes, closed
by the same character at least as long).
"""

from __future__ import annotations

import re

from steward.collect.facts import Finding, Source

__all__ = ["code_examples", "doc_badges", "spec_links", "weak_user_docs"]

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


# a line that says the project implements, or gives the interfaces of, what it links
_IMPLEMENTS = re.compile(r"\bimplement(?:s|ing|ation)?\b|\binterfaces?\b", re.I)
_INLINE_LINK = re.compile(r"\[([^\]\n]{1,300})\]\(\s*<?([^)\s>]{1,2000})")
_REF_LINK = re.compile(r"\[([^\]\n]{1,300})\]\[([^\]\n]{0,300})\]")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[([^\]\n]{1,300})\]:[ \t]*<?([^\s>]{1,2000})", re.M)
_SPEC_URL = re.compile(
    r"^https?://[^\s]*/(?:specifications?|specs?)/|^https?://(?:www\.)?php-fig\.org/psr/psr-\d+"
    r"|^https?://(?:www\.)?rfc-editor\.org/rfc/|^https?://datatracker\.ietf\.org/doc/(?:html/)?rfc",
    re.I,
)
_SPEC_TEXT = re.compile(r"\bspecification\b|\bPSR-\d+\b|\bRFC ?\d+\b", re.I)


def spec_links(path: str, text: str, limit: int = 2) -> list[Finding]:
    """Links of the README ``text`` (at ``path``) to the specification the project
    implements or gives the interfaces of, on a line that says so: a ``Finding`` at each
    such line, at most ``limit``. Reference-style links are resolved through the
    README's link definitions (the definition lines themselves are not links)."""
    refs = {m.group(1).strip().lower(): m.group(2) for m in _REF_DEF.finditer(text)}
    found: list[Finding] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if _REF_DEF.match(line) or not _IMPLEMENTS.search(line):
            continue
        links = [(m.group(1), m.group(2)) for m in _INLINE_LINK.finditer(line)]
        links += [
            (m.group(1), refs.get((m.group(2) or m.group(1)).strip().lower(), ""))
            for m in _REF_LINK.finditer(line)
        ]
        for label, target in links:
            if target and (_SPEC_URL.match(target) or _SPEC_TEXT.search(label)):
                what = f"link to the specification it implements {label.strip()!r}"
                found.append(Finding(Source(path=path, line=lineno), what))
                break
        if len(found) >= limit:
            break
    return found


def weak_user_docs(path: str, text: str) -> list[Finding]:
    """The weaker signs of user documentation in the README ``text``: badges first."""
    return doc_badges(path, text) + code_examples(path, text) + spec_links(path, text)
