"""Does the CRA apply, in what role, and what follows: the scope questionnaire.

The questions follow the regulation's own tests, in the order of the OpenSSF "CRA Brief
Guide for OSS Developers" (who contributes, who monetises, who stewards):

1. made available on the EU market (Art. 2(1)), and not in a sector the CRA leaves to other
   legislation or used only for national security or defence (Art. 2(2)-(4), 2(7)-(8));
2. only contributing to a project someone else is responsible for: not a manufacturer
   (Recital 18);
3. supplied in the course of a commercial activity: a price, paid support beyond costs, a
   platform used to monetise, personal data required for other reasons than security,
   compatibility or interoperability, donations meant to make a profit (Recitals 15 and 18);
   then marketed under one's own name or trademark: a manufacturer (Art. 3(13));
4. otherwise: free and open-source software (Art. 3(48)) is outside a commercial activity
   (Recital 18), unless a legal person systematically supports it, on a sustained basis, for
   commercial activities: an open-source software steward (Art. 3(14), Recital 19, Art. 24);
   software that is not free and open-source is made available on the market when supplied in
   the course of a business, even free of charge (Art. 3(22)), and then step 3's own-name test
   applies;
5. for a manufacturer, the product category by core functionality (Art. 7(1), Art. 8(1),
   Annexes III and IV, Implementing Regulation (EU) 2025/2392), which decides the conformity
   assessment procedure (Art. 32).

:func:`decide` never guesses: with an answer missing, the result names the question (and the
``steward.yml`` key that answers it) instead of a role, a category or a route.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from steward.craconfig import Scope
from steward.documents import cra
from steward.errors import InputError

if TYPE_CHECKING:
    from steward.projectconfig import ProjectConfig


class Role(StrEnum):
    """The result of the questionnaire."""

    MANUFACTURER = "manufacturer"
    STEWARD = "steward"
    CONTRIBUTOR = "contributor"  # contributes to someone else's project (Recital 18)
    NON_COMMERCIAL = "non-commercial"  # not supplied in the course of a commercial activity
    OTHER_OPERATOR = "other-operator"  # commercial, but marketed under another's name
    OUT_OF_SCOPE = "out-of-scope"  # not on the EU market, or excluded by Art. 2
    UNDETERMINED = "undetermined"


#: the role ``steward assess --role`` takes for each result
ASSESS_ROLE = {
    Role.MANUFACTURER: "manufacturer",
    Role.STEWARD: "steward",
}


@dataclass(frozen=True, slots=True)
class Question:
    """One question: ``key`` is the field of ``cra.scope`` in steward.yml that answers it."""

    key: str
    text: str
    basis: str
    help: str = ""
    kind: str = "bool"  # "bool" or "category"


QUESTIONS: tuple[Question, ...] = (
    Question(
        "eu_market",
        "Is the software (or product) supplied for distribution or use in the EU, for payment "
        "or free of charge?",
        "Art. 2(1)",
        "Publishing it where people in the EU can download it counts.",
    ),
    Question(
        "excluded_sector",
        "Is it covered by sector rules the CRA leaves alone (medical devices, in vitro "
        "diagnostics, motor vehicles, civil aviation, marine equipment), or made only for "
        "national security or defence?",
        "Art. 2(2)-(4), 2(7)-(8)",
    ),
    Question(
        "contributor_only",
        "Do you only contribute to an open-source project that someone else is responsible for?",
        "Recital 18",
        "Answer no if you publish or maintain the project yourself.",
    ),
    Question(
        "charges_price",
        "Do you charge a price for the software?",
        "Recitals 15 and 18",
    ),
    Question(
        "paid_support_beyond_costs",
        "Do you charge for technical support beyond recovering its actual costs?",
        "Recitals 15 and 18",
    ),
    Question(
        "monetised_platform",
        "Do you use the software as a platform through which you monetise other services, or "
        "otherwise intend to monetise it?",
        "Recitals 15 and 18",
    ),
    Question(
        "personal_data_beyond_security",
        "Does using it require personal data for other reasons than its security, "
        "compatibility or interoperability?",
        "Recitals 15 and 18",
    ),
    Question(
        "donations_for_profit",
        "Do you accept donations that exceed your costs, with the intention of making a profit?",
        "Recitals 15 and 18",
    ),
    Question(
        "own_name",
        "Do you market the product under your own name or trademark?",
        "Art. 3(13)",
        "The one whose name or trademark the product bears is its manufacturer.",
    ),
    Question(
        "legal_person",
        "Are you a legal person (a foundation, company or association), not an individual?",
        "Art. 3(14)",
    ),
    Question(
        "sustained_support",
        "Do you systematically support, on a sustained basis, the development of free and "
        "open-source software that is intended for commercial activities, and ensure its "
        "viability?",
        "Art. 3(14), Recital 19",
        "Foundations, and companies or non-profits that develop and publish open-source "
        "software in a business context, can be stewards.",
    ),
    Question(
        "category",
        "Does the product's core functionality match a category of Annex III or IV? "
        "(answer a category id, or none)",
        "Art. 7(1), 8(1); Annexes III-IV; Implementing Regulation (EU) 2025/2392",
        "Only the core functionality counts, not the components it integrates.",
        kind="category",
    ),
    Question(
        "free_open_source",
        "Is the product free and open-source software (source shared openly, under a licence "
        "that allows it to be accessed, used, modified and redistributed)?",
        "Art. 3(48), Art. 3(14), Art. 32(5)",
    ),
    Question(
        "business_context",
        "Do you supply it in the course of a business (regularly, or as part of a company's "
        "or organisation's business), even free of charge?",
        "Art. 3(22), Recital 15",
        "Software that is not free and open-source is made available on the market when it "
        "is supplied in the course of a commercial activity, for payment or free of charge.",
    ),
    Question(
        "documentation_public",
        "Will you make the technical documentation (Annex VII) public when you place it on "
        "the market?",
        "Art. 32(5)",
        "Free and open-source important products may then use internal control (module A).",
    ),
    Question(
        "harmonised_standards",
        "Will you apply harmonised standards, common specifications or a European "
        "cybersecurity certification scheme (assurance level at least substantial) in full?",
        "Art. 32(2)",
    ),
)
QUESTION = {q.key: q for q in QUESTIONS}
_COMMERCIAL = (
    "charges_price",
    "paid_support_beyond_costs",
    "monetised_platform",
    "personal_data_beyond_security",
    "donations_for_profit",
)


@dataclass(frozen=True, slots=True)
class Obligation:
    """What applies: a summary, its legal basis, the date it applies from, and the Steward
    command or ``steward.yml`` answer that produces the evidence (empty: none does)."""

    what: str
    basis: str
    applies_from: dt.date
    steward: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """The questionnaire's result. ``missing``: the questions still to answer, in order;
    ``reasons``: each answer that led here, with its basis."""

    role: Role
    reasons: tuple[str, ...]
    missing: tuple[Question, ...]
    category: cra.Category | None = None
    category_class: str | None = None  # "default", "important-i" ...; None: not decided
    routes: tuple[str, ...] = ()
    route_basis: str = ""
    obligations: tuple[Obligation, ...] = ()
    answered: dict[str, Any] = field(default_factory=dict)

    @property
    def assess_role(self) -> str:
        """The role ``steward assess`` uses: manufacturer, steward, or project."""
        return ASSESS_ROLE.get(self.role, "project")


def decide(scope: Scope) -> Decision:
    """Walk the questions in order; stop at the first that is needed and not answered."""
    answers = scope.model_dump(exclude_none=True)
    reasons: list[str] = []

    def stop(*keys: str) -> Decision:
        return Decision(
            Role.UNDETERMINED, tuple(reasons), tuple(QUESTION[k] for k in keys), answered=answers
        )

    def done(role: Role, **extra: Any) -> Decision:
        return Decision(
            role,
            tuple(reasons),
            tuple(extra.pop("missing", ())),
            obligations=obligations(role, extra.get("category_class"), extra.get("routes", ())),
            answered=answers,
            **extra,
        )

    if scope.eu_market is None:
        return stop("eu_market")
    if not scope.eu_market:
        reasons.append("not supplied for distribution or use in the EU (Art. 2(1))")
        return done(Role.OUT_OF_SCOPE)
    reasons.append("supplied for distribution or use in the EU (Art. 2(1))")
    if scope.excluded_sector is None:
        return stop("excluded_sector")
    if scope.excluded_sector:
        reasons.append("covered by other sector rules or for defence only (Art. 2(2)-(4), (7))")
        return done(Role.OUT_OF_SCOPE)
    if scope.contributor_only is None:
        return stop("contributor_only")
    if scope.contributor_only:
        reasons.append("contributes to a project someone else is responsible for (Recital 18)")
        return done(Role.CONTRIBUTOR)
    triggers = [k for k in _COMMERCIAL if getattr(scope, k) is True]
    unanswered = [k for k in _COMMERCIAL if getattr(scope, k) is None]
    if triggers:
        names = ", ".join(k.replace("_", " ") for k in triggers)
        reasons.append(
            f"supplied in the course of a commercial activity: {names} (Recitals 15 and 18)"
        )
        return _marketed(scope, reasons, answers, done, stop)
    if unanswered:
        return stop(*unanswered)
    reasons.append("none of the signs of a commercial activity of Recitals 15 and 18")
    if scope.free_open_source is None:
        return stop("free_open_source")
    if not scope.free_open_source:
        reasons.append(
            "not free and open-source software (Art. 3(48)): the open-source rules of "
            "Recitals 18-19, Art. 3(14) and Art. 24 do not apply"
        )
        if scope.business_context is None:
            return stop("business_context")
        if scope.business_context:
            reasons.append(
                "supplied in the course of a business, even free of charge: made available "
                "on the market (Art. 3(22))"
            )
            return _marketed(scope, reasons, answers, done, stop)
        reasons.append("not supplied in the course of a commercial activity (Art. 3(22))")
        return done(Role.NON_COMMERCIAL)
    if scope.legal_person is None:
        return stop("legal_person")
    if scope.legal_person:
        if scope.sustained_support is None:
            return stop("sustained_support")
        if scope.sustained_support:
            reasons.append(
                "a legal person that systematically supports free and open-source software "
                "intended for commercial activities: open-source software steward (Art. 3(14))"
            )
            return done(Role.STEWARD)
    reasons.append("free and open-source software outside a commercial activity (Recital 18)")
    return done(Role.NON_COMMERCIAL)


def _marketed(
    scope: Scope,
    reasons: list[str],
    answers: dict[str, Any],
    done: Callable[..., Decision],
    stop: Callable[..., Decision],
) -> Decision:
    """Made available on the market: the one whose name it bears is the manufacturer."""
    if scope.own_name is None:
        return stop("own_name")
    if not scope.own_name:
        reasons.append("marketed under another's name: that one is the manufacturer (Art. 3(13))")
        return done(Role.OTHER_OPERATOR)
    reasons.append("marketed under its own name or trademark: manufacturer (Art. 3(13))")
    return _manufacturer(scope, reasons, answers)


def _manufacturer(scope: Scope, reasons: list[str], answers: dict[str, Any]) -> Decision:
    def result(cls: str | None, routes: tuple[str, ...], basis: str, *missing: str) -> Decision:
        chosen = cra.category(scope.category) if scope.category else None
        return Decision(
            Role.MANUFACTURER,
            tuple(reasons),
            tuple(QUESTION[k] for k in missing),
            category=chosen,
            category_class=cls,
            routes=routes,
            route_basis=basis,
            obligations=obligations(Role.MANUFACTURER, cls, routes),
            answered=answers,
        )

    if scope.category is None:
        return result(None, (), "", "category")
    if scope.category == "none":
        reasons.append("core functionality not listed in Annex III or IV: default class")
        return result("default", DEFAULT_ROUTES, "Art. 32(1)")
    chosen = cra.category(scope.category)
    if chosen is None:  # validated by documents.answers before; kept for direct callers
        raise ValueError(f"unknown category {scope.category!r}")
    reasons.append(
        f"core functionality: {chosen.title} ({chosen.point}): {cra.CLASS_TITLES[chosen.cls]}"
    )
    if chosen.cls == "critical":
        reasons.append(
            "critical product: a European cybersecurity certificate where a delegated act "
            "under Art. 8(1) requires one, otherwise one of the procedures of Art. 32(3) "
            "(Art. 32(4))"
        )
        return result(
            chosen.cls,
            (CERTIFICATION_REQUIRED, MODULE_BC, MODULE_H, CERTIFICATION_SUBSTANTIAL),
            "Art. 32(4), Art. 8(1)",
        )
    if scope.free_open_source is None:
        return result(chosen.cls, (), "", "free_open_source")
    if scope.free_open_source:
        if scope.documentation_public is None:
            return result(chosen.cls, (), "", "documentation_public")
        if scope.documentation_public:
            reasons.append("free and open-source, technical documentation public (Art. 32(5))")
            return result(chosen.cls, DEFAULT_ROUTES, "Art. 32(5)")
    if chosen.cls == "important-ii":
        return result(chosen.cls, (MODULE_BC, MODULE_H, CERTIFICATION_SUBSTANTIAL), "Art. 32(3)")
    if scope.harmonised_standards is None:
        return result(chosen.cls, (), "", "harmonised_standards")
    if scope.harmonised_standards:
        reasons.append("harmonised standards or certification applied in full (Art. 32(2))")
        return result(chosen.cls, DEFAULT_ROUTES, "Art. 32(1)-(2)")
    return result(chosen.cls, (MODULE_BC, MODULE_H), "Art. 32(2)(a)-(b)")


MODULE_A = "internal control (module A, Annex VIII Part I)"
MODULE_BC = (
    "EU-type examination followed by conformity to type (modules B and C, Annex VIII Parts II "
    "and III)"
)
MODULE_H = "conformity based on full quality assurance (module H, Annex VIII Part IV)"
CERTIFICATION = "a European cybersecurity certification scheme (Art. 32(1)(d))"
DEFAULT_ROUTES = (MODULE_A, MODULE_BC, MODULE_H, CERTIFICATION)
CERTIFICATION_SUBSTANTIAL = (
    "a European cybersecurity certification scheme at assurance level at least 'substantial'"
)
CERTIFICATION_REQUIRED = (
    "a European cybersecurity certificate where a delegated act under Art. 8(1) requires one"
)


def obligations(
    role: Role, category_class: str | None = None, routes: tuple[str, ...] = ()
) -> tuple[Obligation, ...]:
    """What applies to ``role``, each with its basis, its date and the Steward command."""
    reporting = cra.REPORTING_FROM
    full = cra.FULL_APPLICATION
    if role is Role.MANUFACTURER:
        route = (
            "; or ".join(routes)
            if routes
            else "not decided yet (answer the questions still open: it follows from the "
            "product category)"
        )
        items = [
            Obligation(
                "Notify actively exploited vulnerabilities (24 h early warning, 72 h "
                "notification, final report within 14 days of a fix) and severe incidents "
                "(24 h, 72 h, one month) to the coordinating CSIRT and ENISA; inform users. "
                "Also for products placed on the market before 11 Dec 2027 (Art. 69(3)).",
                "Art. 14, Art. 69(3)",
                reporting,
                "steward vulns --reportable; steward case new / event / report",
            ),
            Obligation(
                "Meet the essential requirements of Annex I Part I on the basis of a "
                "cybersecurity risk assessment, kept up to date.",
                "Art. 13(1)-(3), Annex I Part I",
                full,
                "steward docs annex-vii (risk assessment and Annex I table); "
                "steward assess --role manufacturer",
            ),
            Obligation(
                "Handle vulnerabilities for the support period: SBOM, remediation, tests, "
                "disclosure, coordinated vulnerability disclosure policy and contact, secure "
                "update distribution.",
                "Art. 13(8), Annex I Part II",
                full,
                "steward sbom; steward vulns; steward init security; steward case advisory",
            ),
            Obligation(
                "Exercise due diligence on integrated components, including free and "
                "open-source ones; report their vulnerabilities upstream.",
                "Art. 13(5)-(6)",
                full,
                "steward vulns; steward sbom check",
            ),
            Obligation(
                "Set a support period reflecting the expected use time (at least five years "
                "unless the product is expected to be used for less).",
                "Art. 13(8)",
                full,
                "cra.product.support_period_end and support_period_rationale in steward.yml",
            ),
            Obligation(
                "Accompany the product with the user information and instructions of Annex II.",
                "Art. 13, Annex II",
                full,
                "steward docs annex-ii",
            ),
            Obligation(
                "Draw up the technical documentation before placing on the market.",
                "Art. 31, Annex VII",
                full,
                "steward docs annex-vii; steward evidence pack",
            ),
            Obligation(
                f"Carry out the conformity assessment: {route}.",
                "Art. 32",
                full,
                "",
            ),
            Obligation(
                "Draw up the EU declaration of conformity (or give the simplified one with the "
                "address of the full text) and affix the CE marking.",
                "Art. 28, Art. 30, Annexes V and VI",
                full,
                "steward docs annex-v; steward docs annex-vi",
            ),
            Obligation(
                "Keep the technical documentation and the declaration for ten years after "
                "placing on the market or for the support period, whichever is longer.",
                "Art. 13(13)",
                full,
                "steward evidence pack (signed, reproducible)",
            ),
        ]
        if routes and MODULE_A not in routes:  # every procedure left involves a notified body
            items.append(
                Obligation(
                    "A notified body takes part in the procedures other than module A "
                    "(conformity assessment bodies are notified from 11 Jun 2026).",
                    "Art. 32, Art. 71(2)",
                    cra.NOTIFIED_BODIES_FROM,
                    "cra.declaration.notified_body in steward.yml",
                )
            )
        return tuple(items)
    if role is Role.STEWARD:
        return (
            Obligation(
                "Put in place and document, verifiably, a cybersecurity policy that fosters "
                "secure development and effective vulnerability handling by the developers, "
                "fosters voluntary reporting (Art. 15), covers documenting, addressing and "
                "remediating vulnerabilities, and promotes sharing vulnerability information.",
                "Art. 24(1)",
                full,
                "steward docs art24-policy",
            ),
            Obligation(
                "Cooperate with market surveillance authorities on request, and hand over the "
                "policy on a reasoned request.",
                "Art. 24(2)",
                full,
                "steward evidence pack",
            ),
            Obligation(
                "Notify actively exploited vulnerabilities to the extent you take part in "
                "development, and severe incidents affecting the systems you provide for "
                "development; inform users (Art. 14(1), (3), (8) via Art. 24(3); Art. 14 "
                "applies from 11 Sep 2026, Art. 24 from 11 Dec 2027, Art. 71(2)).",
                "Art. 24(3), Art. 14",
                reporting,
                "steward vulns --reportable; steward case new / event / report",
            ),
        )
    if role in (Role.NON_COMMERCIAL, Role.CONTRIBUTOR):
        return (
            Obligation(
                "No CRA obligations. Manufacturers that integrate the software must exercise "
                "due diligence on it (Art. 13(5)); a published security policy, an SBOM and a "
                "voluntary security attestation (Art. 25) make that easier for them.",
                "Recital 18, Art. 13(5), Art. 25",
                full,
                "steward assess; steward init security; steward sbom; "
                "steward docs art25-attestation",
            ),
        )
    return ()


def check_category(scope: Scope, *, source: str, line: int | None) -> None:
    """:class:`InputError` naming ``source:line`` when ``category`` is not a known id."""
    if scope.category not in (None, "none") and cra.category(scope.category) is None:
        known = ", ".join(["none", *(c.id for c in cra.categories())])
        raise InputError(
            f"cra.scope.category: unknown category {scope.category!r} (known: {known})",
            source=source,
            line=line,
        )


def decide_config(config: ProjectConfig) -> Decision:
    """The decision from a steward.yml's ``cra.scope`` (an unknown category: InputError with
    the file and line)."""
    scope = config.sections.cra.scope
    check_category(scope, source=config.source,
                   line=config.key_lines.get(("cra", "scope", "category")))  # fmt: skip
    return decide(scope)


def next_question(scope: Scope) -> Question | None:
    """The first question the decision still needs, or None when it is complete."""
    missing = decide(scope).missing
    return missing[0] if missing else None


def status(item: Obligation, today: dt.date) -> str:
    """``applies since DATE`` or ``applies from DATE``, relative to ``today``."""
    verb = "applies since" if item.applies_from <= today else "applies from"
    return f"{verb} {item.applies_from.isoformat()}"


def interview(
    scope: Scope,
    ask_yes_no: Callable[[Question], bool],
    ask_category: Callable[[Question], str],
) -> Scope:
    """Ask the questions the decision still needs, one at a time, in order; returns the
    answers given so far plus the new ones. ``ask_category`` returns ``none`` or a category
    id (checked here; an unknown id is asked again)."""
    while (question := next_question(scope)) is not None:
        if question.kind == "category":
            value: object = ask_category(question)
            if value != "none" and cra.category(str(value)) is None:
                continue
        else:
            value = ask_yes_no(question)
        scope = scope.model_copy(update={question.key: value})
    return scope
