"""Section headings of Markdown, reStructuredText, AsciiDoc, RDoc and Textile documents, each at
its own line.

A regular expression over the whole text (``^\\s*#...`` in multi-line mode) lets ``\\s`` run
across the blank lines before a heading and so reports it one to three lines early, and it
takes ``# comment`` lines inside fenced code blocks for headings. This walks the lines once
instead: fenced blocks (```` ``` ```` / ``~~~``) are skipped, ATX (``## Title``), setext
(``Title`` over ``===``/``---``), HTML (``<h2>Title</h2>``), reStructuredText (a title over a
punctuation underline, optionally with an overline), AsciiDoc and RDoc (``== Title``) and
Textile (``h2. Title``) headings are recognised, and so are a Maven site page's (xdoc) sections
(``<subsection name="Security Model">``); the line reported is the title's own line.
HTML comments (``<!-- ... -->``, often a licence header) are skipped like fenced blocks, and a
heading may follow the line that closes one (a block boundary, as in CommonMark). A Markdown
document with no heading but its title may title its parts with lone emphasised lines
(``*Example*``, ``**Usage:**``): those are its headings then.

A Markdown title's trailing attribute block is not part of its words: Doxygen, Pandoc,
kramdown, PHP Markdown Extra and MkDocs' attr_list write ``Change Log {#changelog}``,
``## Install {: .wide }`` or ``# Usage {#usage .lead}``; the title is ``Change Log``.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$")
_HTML = re.compile(r"^[ \t]*<h([1-6])\b[^>]*>(.*?)(?:</h\1>|$)", re.I)
_ADOC = re.compile(r"^(={1,6})[ \t]+(\S.*?)[ \t]*$")
_TEXTILE = re.compile(r"^h([1-6])\.[ \t]+(\S.*?)[ \t]*$")
# Org mode: stars at the start of a line (a list item never starts with ``*`` there);
# Perl's POD: ``=head1 NAME``
_ORG = re.compile(r"^(\*{1,6})[ \t]+(\S.*?)[ \t]*$")
_POD = re.compile(r"^=head([1-6])[ \t]+(\S.*?)[ \t]*$")
# a Maven site page (xdoc): ``<section name="Title">``, ``<subsection name='Title'>``
_XDOC = re.compile(r"<(?:sub)?section\b[^>]{0,200}?\bname\s*=\s*([\"'])([^<>\n]{0,200}?)\1", re.I)
_RST_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1{2,}[ \t]*$")
_NOT_SETEXT_TITLE = re.compile(r"^[ \t]*(?:[-*+>|]|\d+[.)]\s|<|```|~~~)")
_TAGS = re.compile(r"<[^>]+>")
_COMMENT_OPEN = re.compile(r"^[ \t]{0,3}<!--")
# a heading's attribute block at its end: an id, classes or key=value pairs in braces
_ATTRIBUTE = r"(?:[#.][\w:.-]+|[\w-]+=[^\s{}]+)"
_ATTRIBUTES = re.compile(rf"[ \t]*\{{:?[ \t]*{_ATTRIBUTE}(?:[ \t]+{_ATTRIBUTE})*[ \t]*\}}[ \t]*$")


def _title(text: str) -> str:
    """A Markdown title without its trailing attribute block (``Use {#usage}`` -> ``Use``)."""
    return _ATTRIBUTES.sub("", text).strip() or text.strip()


def headings(text: str, path: str = "") -> list[tuple[int, str]]:
    """(1-based line, title) of every heading, in order."""
    lower = path.lower()
    lines = text.splitlines()
    if lower.endswith((".rst", ".rest", ".txt")):
        return _rst(lines)
    if lower.endswith((".adoc", ".asciidoc", ".rdoc")):
        return [(i + 1, m.group(2)) for i, line in enumerate(lines) if (m := _ADOC.match(line))]
    if lower.endswith(".textile"):
        return [(i + 1, m.group(2)) for i, line in enumerate(lines) if (m := _TEXTILE.match(line))]
    if lower.endswith(".org"):
        return [(i + 1, m.group(2)) for i, line in enumerate(lines) if (m := _ORG.match(line))]
    if lower.endswith(".pod"):
        return [(i + 1, m.group(2)) for i, line in enumerate(lines) if (m := _POD.match(line))]
    if lower.endswith(".xml"):
        return [(i + 1, m.group(2)) for i, line in enumerate(lines) if (m := _XDOC.search(line))]
    return _markdown(lines)


def blank_fenced_code(text: str) -> str:
    """Markdown ``text`` with the lines of fenced code blocks (```` ``` ````/``~~~``, fences
    included) blanked, lines kept in place: what a code block shows (``pip install
    ".[docs]"``) is not a link or a sentence of the document."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            out.append("")
        elif m:
            fence = m.group(1)
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


# a paragraph of one line that is all emphasis, a short title without a full stop
# (``*Building the source code*``, ``**Usage:**``)
_EMPHASIS_TITLE = re.compile(
    r"^[ \t]{0,3}(\*\*|__|\*|_)([A-Za-z][^*_\n]{0,60}?)[ \t]*:?\1[ \t]*:?[ \t]*$"
)


def _emphasis_titles(lines: list[str], fenced: set[int]) -> list[tuple[int, str]]:
    """Lone emphasised lines between blank lines, taken for headings in a Markdown document
    that has no heading of any other kind but its title (M2Mqtt's README, under ``# M2Mqtt``,
    titles its parts ``*Project Description*``, ``*Building the source code*``,
    ``*Example*``). Where real sections exist, bold lines are emphasis inside them and are
    left alone."""
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        m = _EMPHASIS_TITLE.match(line)
        if m is None or i in fenced or len(m.group(2).split()) > 8:
            continue
        before = lines[i - 1].strip() if i else ""
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not before and not after:
            out.append((i + 1, m.group(2).strip().rstrip(":")))
    return out


def _markdown(lines: list[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    hidden: set[int] = set()  # lines in fenced blocks and comments
    fence: str | None = None
    comment = False
    previous_blank = True
    for i, line in enumerate(lines):
        if comment or (fence is None and _COMMENT_OPEN.match(line)):
            comment = "-->" not in (line.split("<!--", 1)[1] if not comment else line)
            previous_blank = True  # the line after a comment starts a new block
            hidden.add(i)
            continue
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            previous_blank = False
            hidden.add(i)
            continue
        if m:
            fence = m.group(1)
            hidden.add(i)
            continue
        atx = _ATX.match(line)
        html = _HTML.match(line)
        if atx and (atx.group(2) or "").strip():
            out.append((i + 1, _title(atx.group(2) or "")))
        elif html:
            title = _TAGS.sub("", html.group(2)).strip()
            if title:
                out.append((i + 1, title))
        elif (
            line.strip()
            and i + 1 < len(lines)
            and _SETEXT.match(lines[i + 1])
            and not _NOT_SETEXT_TITLE.match(line)
            and (previous_blank or (out and out[-1][0] == i))
        ):
            out.append((i + 1, _title(line)))
        previous_blank = not line.strip()
    if len(out) > 1:
        return out
    return sorted(out + _emphasis_titles(lines, hidden))


def _rst(lines: list[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines[:-1]):
        title = line.strip()
        if not title or _RST_ADORNMENT.match(line):
            continue
        under = lines[i + 1]
        # a title with an overline may be inset (`` Changelog`` between two ``###`` lines,
        # the Sphinx page-title style); without one an indented line is body text
        over = lines[i - 1] if i else ""
        overlined = bool(_RST_ADORNMENT.match(over)) and over[:1] == under[:1]
        if line[:1] in (" ", "\t") and not overlined:
            continue
        if _RST_ADORNMENT.match(under) and len(under.rstrip()) >= min(len(title), 3):
            out.append((i + 1, title))
    return out


def _level(lines: list[str], line: int, lower: str) -> int | None:
    """The level of the heading at 1-based ``line`` (1 is the top), or None where the markup
    gives none this reads (reStructuredText's order of adornments, xdoc, emphasised lines)."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if lower.endswith((".rst", ".rest", ".txt", ".xml")):
        return None
    marks = (
        (_ADOC, _TEXTILE, _ORG, _POD)
        if lower.endswith((".adoc", ".asciidoc", ".rdoc", ".textile", ".org", ".pod"))
        else (_ATX, _HTML)
    )
    for pattern in marks:
        if m := pattern.match(here):
            return int(m.group(1)) if m.group(1).isdigit() else len(m.group(1))
    below = lines[line] if line < len(lines) else ""
    if _SETEXT.match(below):  # a setext title: ``===`` is the top level, ``---`` the second
        return 1 if below.strip().startswith("=") else 2
    return None


def enclosing_headings(text: str, path: str, line: int) -> list[tuple[int, str]]:
    """The headings whose sections hold the heading at ``line``, nearest first ("## Building"
    holds "### API"). Empty where the heading's level cannot be read."""
    return section_parents(text, path).get(line, [])


def section_parents(text: str, path: str) -> dict[int, list[tuple[int, str]]]:
    """For each heading's line, the headings whose sections hold it, nearest first; one pass
    with a stack of the open sections (a heading whose level is not read holds none and is
    held by none)."""
    lines = text.splitlines()
    lower = path.lower()
    out: dict[int, list[tuple[int, str]]] = {}
    stack: list[tuple[int, int, str]] = []  # (level, line, title) of the open sections
    for at, title in headings(text, path):
        level = _level(lines, at, lower)
        if level is None:
            out[at] = []
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        out[at] = [(ln, t) for _, ln, t in reversed(stack)]
        stack.append((level, at, title))
    return out
