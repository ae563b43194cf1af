"""Licences declared in words: the free-text names packaging metadata carries (``setup.py``
``license="MIT License"``, ``setup.cfg``, ``composer.json``) and the licence a README's
"License" section names when the tree has no licence file (small and hobby projects often
state "MIT" there and nothing else).

Shapes: ``spdx_of_name(text) -> str | None`` (an SPDX id for a licence *name*, None when it is
not one we can tell without guessing: "BSD" and "GPL" without a version are left unknown);
``readme_licences(path, text) -> list[(line, spdx)]`` (the ids named in the README's licence
section, each at its own line, in order, without repeats).

Own code rather than a library: license-expression parses SPDX expressions but has no table
of the common spelled-out names, and a licence *name* table small enough to read (SPDX
licence list, "full name" column, for the licences hobby projects use) is safer than fuzzy
matching, which would guess.
"""

from __future__ import annotations

import re

from steward.collect.headings import headings

# spelled-out names and short forms -> SPDX id (SPDX License List full names; the common
# short forms PyPI classifiers and READMEs use). Versionless BSD/GPL/LGPL stay unknown.
_NAMES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), spdx)
    for pattern, spdx in (
        (r"(?:the )?MIT(?: License| licence|/Expat| \(Expat\))?|Expat(?: License)?", "MIT"),
        (
            r"(?:the )?Apache(?: Software)?(?: License)?,?(?: Version | v\.? ?|-| )?2(?:\.0)?"
            r"(?: License)?",
            "Apache-2.0",
        ),
        (r"(?:the )?ISC(?: License| licence)?", "ISC"),
        (r"(?:the )?Unlicense|Public Domain \(Unlicense\)", "Unlicense"),
        (
            r"(?:the )?(?:BSD|Berkeley)[- ]3[- ]Clause(?: License)?|(?:New|Revised|Modified) BSD"
            r"(?: License)?",
            "BSD-3-Clause",
        ),
        (
            r"(?:the )?(?:BSD|FreeBSD)[- ]2[- ]Clause(?: License)?|Simplified BSD(?: License)?",
            "BSD-2-Clause",
        ),
        (r"(?:the )?Zero[- ]Clause BSD|0BSD|BSD[- ]0[- ]Clause", "0BSD"),
        (
            r"(?:the )?Mozilla Public License,?(?: Version| v\.?)? ?2(?:\.0)?"
            r"|MPL[- ]?(?:v)?2(?:\.0)?",
            "MPL-2.0",
        ),
        (r"(?:the )?zlib(?:/libpng)? License", "Zlib"),
        (r"(?:the )?Boost Software License(?:,? Version 1\.0| 1\.0)?|BSL-1\.0", "BSL-1.0"),
        (r"WTFPL|Do What The F\*?u?c?k You Want To Public License", "WTFPL"),
    )
)


def spdx_of_name(text: str) -> str | None:
    """The SPDX id of a licence given by its name, or None (not a name we can tell)."""
    value = text.strip().strip("\"'").strip()
    for pattern, spdx in _NAMES:
        if pattern.fullmatch(value):
            return spdx
    return None


_LICENCE_HEADING = re.compile(r"^\W*(?:licen[cs]es?|licensing|copyright(?: and licen[cs]e)?)\W*$",
                              re.I)  # fmt: skip
# a licence named in running text: "MIT", "Apache License, Version 2.0", "BSD-3-Clause", ...
_IN_TEXT: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I if insensitive else 0), spdx)
    for pattern, spdx, insensitive in (
        (r"\bMIT\b", "MIT", False),
        (
            r"\bApache(?: Software)?(?: License)?,?(?: Version | v\.? ?|-| )?2(?:\.0)?\b",
            "Apache-2.0",
            True,
        ),
        (r"\bISC\b", "ISC", False),
        (r"\bUnlicense\b", "Unlicense", True),
        (r"\bBSD[- ]3[- ]Clause\b|\b(?:New|Revised|Modified) BSD\b", "BSD-3-Clause", True),
        (r"\bBSD[- ]2[- ]Clause\b|\bSimplified BSD\b", "BSD-2-Clause", True),
        (r"\b0BSD\b", "0BSD", False),
        (r"\bMozilla Public License,?(?: Version)? 2\.0\b|\bMPL[- ]?2\.0\b", "MPL-2.0", True),
        (
            r"\bGPL-?(?:v)?3(?:\.0)?(?:-only)?\b|\bGNU General Public License,? (?:version|v) ?3\b",
            "GPL-3.0-only",
            True,
        ),
        (
            r"\bGPL-?(?:v)?2(?:\.0)?(?:-only)?\b|\bGNU General Public License,? (?:version|v) ?2\b",
            "GPL-2.0-only",
            True,
        ),
        (r"\bzlib License\b", "Zlib", True),
        (r"\bBoost Software License\b", "BSL-1.0", True),
        (r"\bWTFPL\b", "WTFPL", False),
    )
)
_SECTION_LINES = 12  # a licence section names its licence near its heading


def readme_licences(path: str, text: str) -> list[tuple[int, str]]:
    """(line, SPDX id) of the licences a README's licence section names, in order.

    Only the section under a heading "License", "Licence", "Licensing" or "Copyright" is read,
    its first lines up to the next heading; a licence named in a badge or elsewhere in the
    README is not a declaration. "or later" wording is not read: a GPL named with a version is
    judged as that version, which is the same OSI verdict.
    """
    lines = text.splitlines()
    marks = headings(text, path)
    found: list[tuple[int, str]] = []
    seen: set[str] = set()
    for k, (line, title) in enumerate(marks):
        if not _LICENCE_HEADING.match(title.strip()):
            continue
        end = marks[k + 1][0] - 1 if k + 1 < len(marks) else len(lines)
        end = min(end, line + _SECTION_LINES)
        for number in range(line + 1, end + 1):
            body = lines[number - 1]
            if re.match(r"^\s*[=\-~^\"'`#*+]{3,}\s*$", body):  # a setext/RST underline
                continue
            for pattern, spdx in _IN_TEXT:
                if spdx not in seen and pattern.search(body):
                    seen.add(spdx)
                    found.append((number, spdx))
    return found
