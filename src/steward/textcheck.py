"""Characters that text recorded for reports and advisories must not hold. Standard library only.

One rule for every place that takes case text (titles, event data, the manufacturer's
profile, the service's API fields): C0 controls other than the allowed line breaks and tab,
DEL, C1 controls (``\\x9b`` starts a terminal escape sequence), and the Unicode
bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069),
which reorder what a reader sees ("Trojan Source", CVE-2021-42574): a reporter's title
``"Fix for \\u202eexe.txt"`` would read differently in a report, an advisory or a terminal
than it is stored. Left-to-right and right-to-left marks (U+200E, U+200F) stay allowed.
``init security`` answers follow the same rule (:mod:`steward.disclosure.project_files`).
"""

from __future__ import annotations

#: the bidirectional embedding, override and isolate controls
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def forbidden_character(value: str, *, allowed: str = "") -> str | None:
    """The first character of ``value`` that case text must not hold (see the module), or
    ``None``; ``allowed`` names C0 characters to let through (``"\\t\\n\\r"`` for free text).
    The line and paragraph separators (U+2028, U+2029) count as line breaks: allowed with
    ``"\\n"``."""
    for char in value:
        if char < " " or "\x7f" <= char <= "\x9f":
            if char not in allowed:
                return char
        elif char in "\u2028\u2029":
            if "\n" not in allowed:
                return char
        elif char in BIDI_CONTROLS:
            return char
    return None
