"""The shape every CRA document takes before it is rendered: sections of required items.

A :class:`Document` is a list of :class:`Section`; a section holds the items the regulation
requires (each an :class:`Item`: its reference, a label, and either a :class:`Fact` with the
source it came from, or nothing), tables and fixed paragraphs. An item without a fact is
missing: :meth:`Document.missing` lists it with what supplies it (a command or a
``steward.yml`` answer). Templates only print these objects, so nothing in a template can
invent a fact; builders only fill items from evidence and answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Fact:
    """A value and where it came from (``steward.yml:12``, ``SECURITY.md:11``, an assessment,
    an SBOM file ...). ``lines`` holds a list value, one entry per line."""

    text: str
    source: str
    lines: tuple[str, ...] = ()

    @classmethod
    def listed(cls, values: tuple[str, ...] | list[str], source: str) -> Fact:
        return cls("; ".join(values), source, tuple(values))


@dataclass(frozen=True, slots=True)
class Missing:
    """Something a document needs and does not have: the reference, what it is, and the
    command or answer that supplies it."""

    ref: str
    what: str
    supply: str


@dataclass(slots=True)
class Item:
    """One required item: ``value`` is None when no evidence or answer gives it."""

    ref: str
    label: str
    value: Fact | None
    supply: str
    note: str = ""  # e.g. "where applicable"

    @property
    def missing(self) -> Missing | None:
        if self.value is not None:
            return None
        return Missing(self.ref, self.label + (f" ({self.note})" if self.note else ""), self.supply)


@dataclass(frozen=True, slots=True)
class Table:
    """A table: ``columns`` and rows of cells (text), with a caption."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(slots=True)
class Section:
    """A part of a document: ``ref`` cites the regulation (``Annex VII (2)(b)``)."""

    title: str
    ref: str = ""
    paragraphs: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)  # paragraphs after everything else


@dataclass(slots=True)
class Document:
    """A rendered-to-be document: ``key`` is its name on the command line (``annex-ii``),
    ``basis`` its legal basis, ``inputs`` what it was built from (what, where), and
    ``extra_missing`` what is missing outside the items (a whole input, a table row)."""

    key: str
    title: str
    basis: str
    subject: str
    generated_at: str  # ISO 8601, UTC
    sections: list[Section] = field(default_factory=list)
    inputs: list[tuple[str, str]] = field(default_factory=list)
    extra_missing: list[Missing] = field(default_factory=list)
    notice: str = ""

    def missing(self) -> list[Missing]:
        """Every missing item (in document order) and every extra entry; items that the same
        answer or command supplies are listed once, with all their references."""
        found = [m for s in self.sections for i in s.items if (m := i.missing) is not None]
        found += self.extra_missing
        merged: dict[str, tuple[list[str], list[str]]] = {}
        for m in found:
            refs, whats = merged.setdefault(m.supply, ([], []))
            if m.ref not in refs:
                refs.append(m.ref)
            if m.what not in whats:
                whats.append(m.what)
        return [Missing(", ".join(r), "; ".join(w), key) for key, (r, w) in merged.items()]
