"""The documents ``steward docs NAME`` renders: their names, aliases, roles and builders.

Builders are imported when a document is built, so listing the names stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from steward.errors import UsageError

if TYPE_CHECKING:
    from steward.documents.inputs import Inputs
    from steward.documents.model import Document


@dataclass(frozen=True, slots=True)
class Kind:
    """One document: ``role`` is the role its assessment is computed for (and the role the
    CRA addresses it to); ``builder`` is ``module:function``."""

    name: str
    aliases: tuple[str, ...]
    title: str
    basis: str
    role: str
    builder: str

    def build(self, inputs: Inputs) -> Document:
        module, _, function = self.builder.partition(":")
        make: Callable[[Inputs], Document] = getattr(
            importlib.import_module(f"steward.documents.{module}"), function
        )
        return make(inputs.for_role(self.role))


KINDS: tuple[Kind, ...] = (
    Kind(
        "annex-ii",
        ("user-information",),
        "Information and instructions to the user",
        "Annex II",
        "manufacturer",
        "annex_ii:build",
    ),
    Kind(
        "annex-vii",
        ("technical-documentation",),
        "Technical documentation",
        "Annex VII",
        "manufacturer",
        "annex_vii:build",
    ),
    Kind(
        "annex-v",
        ("declaration",),
        "EU declaration of conformity",
        "Annex V",
        "manufacturer",
        "declaration:build_v",
    ),
    Kind(
        "annex-vi",
        ("simplified-declaration",),
        "Simplified EU declaration of conformity",
        "Annex VI",
        "manufacturer",
        "declaration:build_vi",
    ),
    Kind(
        "art24-policy",
        ("steward-policy",),
        "Cybersecurity policy of an open-source software steward",
        "Art. 24",
        "steward",
        "policy:build",
    ),
    Kind(
        "art25-attestation",
        ("attestation",),
        "Security attestation (ORC template-lite)",
        "Art. 25",
        "project",
        "attestation:build_document",
    ),
)
BY_NAME = {name: kind for kind in KINDS for name in (kind.name, *kind.aliases)}

#: the documents each role of ``steward cra scope`` produces (the evidence pack's default)
FOR_ROLE: dict[str, tuple[str, ...]] = {
    "manufacturer": ("annex-ii", "annex-vii", "annex-v", "annex-vi"),
    "steward": ("art24-policy", "art25-attestation"),
}
DEFAULT_DOCUMENTS = ("art25-attestation",)


def resolve(name: str) -> Kind:
    """The document called ``name`` (or one of its aliases); :class:`UsageError` otherwise."""
    kind = BY_NAME.get(name.strip().lower())
    if kind is None:
        known = ", ".join(f"{k.name} ({k.basis})" for k in KINDS)
        raise UsageError(f"unknown document {name!r} (known: {known})")
    return kind
