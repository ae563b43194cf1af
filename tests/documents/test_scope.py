"""The scope questionnaire: roles, categories and conformity routes as the CRA decides them,
and never a guess when an answer is missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from steward.craconfig import Scope
from steward.documents import cra
from steward.documents.scope import (
    CERTIFICATION,
    CERTIFICATION_REQUIRED,
    CERTIFICATION_SUBSTANTIAL,
    MODULE_A,
    MODULE_BC,
    MODULE_H,
    QUESTIONS,
    Role,
    check_category,
    decide,
    interview,
    status,
)
from steward.errors import InputError
from steward.projectconfig import parse_project_config

IN_EU = {"eu_market": True, "excluded_sector": False, "contributor_only": False}
NO_TRADE = {
    "free_open_source": True,
    "charges_price": False,
    "paid_support_beyond_costs": False,
    "monetised_platform": False,
    "personal_data_beyond_security": False,
    "donations_for_profit": False,
}


def _decide(**answers: Any) -> Any:
    return decide(Scope(**answers))


def test_categories_follow_annex_iii_and_iv() -> None:
    found = cra.categories()
    classes = [c.cls for c in found]
    assert classes.count("important-i") == 19  # Annex III class I, points 1-19
    assert classes.count("important-ii") == 4  # Annex III class II, points 1-4
    assert classes.count("critical") == 3  # Annex IV, points 1-3
    assert len({c.id for c in found}) == len(found)
    assert cra.category("operating-systems").point == "Annex III, class I, point 11"
    assert cra.category("firewalls-ids-ips").cls == "important-ii"
    assert cra.category("smartcards-secure-elements").point == "Annex IV, point 3"
    assert all(c.description and c.title for c in found)


@pytest.mark.parametrize(
    ("answers", "role", "reason"),
    [
        ({"eu_market": False}, Role.OUT_OF_SCOPE, "Art. 2(1)"),
        ({"eu_market": True, "excluded_sector": True}, Role.OUT_OF_SCOPE, "Art. 2(2)"),
        ({**IN_EU, "contributor_only": True}, Role.CONTRIBUTOR, "Recital 18"),
        ({**IN_EU, **NO_TRADE, "legal_person": False}, Role.NON_COMMERCIAL, "Recital 18"),
        ({**IN_EU, **NO_TRADE, "legal_person": True, "sustained_support": False},
         Role.NON_COMMERCIAL, "Recital 18"),
        ({**IN_EU, **NO_TRADE, "legal_person": True, "sustained_support": True},
         Role.STEWARD, "Art. 3(14)"),
        ({**IN_EU, "donations_for_profit": True, "own_name": False},
         Role.OTHER_OPERATOR, "Art. 3(13)"),
        ({**IN_EU, "paid_support_beyond_costs": True, "own_name": True, "category": "none"},
         Role.MANUFACTURER, "Art. 3(13)"),
        ({**IN_EU, **NO_TRADE, "free_open_source": False, "business_context": True,
          "own_name": True, "category": "none"}, Role.MANUFACTURER, "Art. 3(22)"),
        ({**IN_EU, **NO_TRADE, "free_open_source": False, "business_context": False},
         Role.NON_COMMERCIAL, "Art. 3(22)"),
    ],
)  # fmt: skip
def test_roles(answers: dict[str, Any], role: Role, reason: str) -> None:
    decision = _decide(**answers)
    assert decision.role is role
    assert not decision.missing
    assert any(reason in r for r in decision.reasons)
    assert decision.assess_role == {"manufacturer": "manufacturer", "steward": "steward"}.get(
        role.value, "project"
    )


def test_one_commercial_trigger_is_enough_and_the_others_are_not_asked() -> None:
    decision = _decide(**IN_EU, charges_price=True)
    assert decision.role is Role.UNDETERMINED
    assert [q.key for q in decision.missing] == ["own_name"]


def test_no_trigger_needs_every_trigger_answered() -> None:
    decision = _decide(**IN_EU, charges_price=False, monetised_platform=False)
    assert decision.role is Role.UNDETERMINED
    assert [q.key for q in decision.missing] == [
        "paid_support_beyond_costs",
        "personal_data_beyond_security",
        "donations_for_profit",
    ]


def test_missing_answers_are_never_guessed() -> None:
    decision = _decide()
    assert decision.role is Role.UNDETERMINED
    assert [q.key for q in decision.missing] == ["eu_market"]
    assert decision.routes == () and decision.category_class is None
    assert decision.assess_role == "project"
    manufacturer = _decide(**IN_EU, charges_price=True, own_name=True)
    assert manufacturer.role is Role.MANUFACTURER
    assert [q.key for q in manufacturer.missing] == ["category"]
    assert manufacturer.routes == () and manufacturer.category_class is None


MAKER = {**IN_EU, "charges_price": True, "own_name": True}


@pytest.mark.parametrize(
    ("answers", "cls", "routes", "basis"),
    [
        ({"category": "none"}, "default", (MODULE_A, MODULE_BC, MODULE_H), "Art. 32(1)"),
        ({"category": "password-managers", "free_open_source": False,
          "harmonised_standards": True}, "important-i",
         (MODULE_A, MODULE_BC, MODULE_H, CERTIFICATION), "Art. 32(1)-(2)"),
        ({"category": "password-managers", "free_open_source": False,
          "harmonised_standards": False}, "important-i", (MODULE_BC, MODULE_H),
         "Art. 32(2)(a)-(b)"),
        ({"category": "operating-systems", "free_open_source": True,
          "documentation_public": True}, "important-i", (MODULE_A, MODULE_BC, MODULE_H),
         "Art. 32(5)"),
        ({"category": "firewalls-ids-ips", "free_open_source": False}, "important-ii",
         (MODULE_BC, MODULE_H), "Art. 32(3)"),
        ({"category": "hypervisors-container-runtimes", "free_open_source": True,
          "documentation_public": True}, "important-ii", (MODULE_A,), "Art. 32(5)"),
        ({"category": "smartcards-secure-elements"}, "critical",
         (CERTIFICATION_REQUIRED, MODULE_BC, MODULE_H, CERTIFICATION_SUBSTANTIAL),
         "Art. 32(4)"),
    ],
)  # fmt: skip
def test_conformity_routes(
    answers: dict[str, Any], cls: str, routes: tuple[str, ...], basis: str
) -> None:
    decision = _decide(**MAKER, **answers)
    assert decision.role is Role.MANUFACTURER and not decision.missing
    assert decision.category_class == cls
    assert set(routes) <= set(decision.routes)
    if MODULE_A not in routes:
        assert MODULE_A not in decision.routes
    assert decision.route_basis.startswith(basis)


def test_free_open_source_important_products_are_asked_about_public_documentation() -> None:
    decision = _decide(**MAKER, category="browsers", free_open_source=True)
    assert [q.key for q in decision.missing] == ["documentation_public"]
    assert decision.category_class == "important-i" and decision.routes == ()
    closed = _decide(**MAKER, category="browsers", free_open_source=True,
                     documentation_public=False)  # fmt: skip
    assert [q.key for q in closed.missing] == ["harmonised_standards"]


def test_obligations_carry_their_dates() -> None:
    manufacturer = _decide(**MAKER, category="none")
    reporting = next(o for o in manufacturer.obligations if o.basis.startswith("Art. 14"))
    assert reporting.applies_from == dt.date(2026, 9, 11)
    assert status(reporting, dt.date(2026, 11, 29)) == "applies since 2026-09-11"
    annex = next(o for o in manufacturer.obligations if "Annex VII" in o.basis)
    assert status(annex, dt.date(2026, 11, 29)) == "applies from 2027-12-11"
    assert "steward docs annex-vii" in annex.steward
    steward = _decide(**IN_EU, **NO_TRADE, legal_person=True, sustained_support=True)
    assert [o.basis for o in steward.obligations] == [
        "Art. 24(1)",
        "Art. 24(2)",
        "Art. 24(3), Art. 14",
    ]
    notified = _decide(**MAKER, category="firewalls-ids-ips", free_open_source=False)
    assert any(o.applies_from == cra.NOTIFIED_BODIES_FROM for o in notified.obligations)


def test_interview_asks_only_what_the_decision_needs() -> None:
    asked: list[str] = []
    replies = {"eu_market": True, "excluded_sector": False, "contributor_only": False,
               "charges_price": False, "paid_support_beyond_costs": False,
               "monetised_platform": True, "own_name": True, "free_open_source": False,
               "harmonised_standards": True}  # fmt: skip

    def yes_no(question: Any) -> bool:
        asked.append(question.key)
        return replies[question.key]

    categories = iter(["no-such-category", "routers-modems-switches"])

    def category(question: Any) -> str:
        asked.append(question.key)
        return next(categories)

    scope = interview(Scope(), yes_no, category)
    assert asked == [
        "eu_market", "excluded_sector", "contributor_only", "charges_price",
        "paid_support_beyond_costs", "monetised_platform", "own_name", "category", "category",
        "free_open_source", "harmonised_standards",
    ]  # fmt: skip
    assert scope.category == "routers-modems-switches"
    assert decide(scope).routes == (MODULE_A, MODULE_BC, MODULE_H, CERTIFICATION)
    assert "donations_for_profit" not in asked  # one trigger decided it


def test_every_question_is_a_scope_field_with_a_basis() -> None:
    fields = set(Scope.model_fields)
    assert {q.key for q in QUESTIONS} == fields
    assert all(q.basis for q in QUESTIONS)


def test_an_unknown_category_names_the_line() -> None:
    config = parse_project_config("cra:\n  scope:\n    eu_market: true\n    category: toaster\n")
    with pytest.raises(InputError) as caught:
        check_category(config.sections.cra.scope, source="steward.yml",
                       line=config.key_lines[("cra", "scope", "category")])  # fmt: skip
    assert str(caught.value).startswith("steward.yml:4: cra.scope.category: unknown category")


def test_free_and_open_source_is_asked_never_assumed() -> None:
    """Reproducer: with every commercial sign answered no, the decision used to conclude
    "free and open-source software outside a commercial activity" (and steward) without ever
    asking whether the software is free and open-source."""
    no_trade = {k: v for k, v in NO_TRADE.items() if k != "free_open_source"}
    decision = _decide(**IN_EU, **no_trade, legal_person=True, sustained_support=True)
    assert decision.role is Role.UNDETERMINED
    assert [q.key for q in decision.missing] == ["free_open_source"]
    closed = _decide(**IN_EU, **no_trade, free_open_source=False)
    assert closed.role is Role.UNDETERMINED
    assert [q.key for q in closed.missing] == ["business_context"]
    hobby = _decide(**IN_EU, **no_trade, free_open_source=False, business_context=False)
    assert hobby.role is Role.NON_COMMERCIAL
    assert not any("free and open-source software outside" in r for r in hobby.reasons)
    freeware = _decide(**IN_EU, **no_trade, free_open_source=False, business_context=True)
    assert [q.key for q in freeware.missing] == ["own_name"]


def test_routes_follow_article_32_for_every_class() -> None:
    """Art. 32: module A only for the default class, class I with harmonised standards (or
    certification) applied in full, or free and open-source with public documentation
    (Art. 32(5), Annex III only); class II: B+C, H or certification at 'substantial'; critical:
    certification under Art. 8(1), else the class II procedures."""
    for category in cra.categories():
        decision = _decide(**MAKER, category=category.id, free_open_source=False,
                           harmonised_standards=False)  # fmt: skip
        assert decision.role is Role.MANUFACTURER and not decision.missing, category.id
        assert MODULE_A not in decision.routes, category.id
        assert MODULE_BC in decision.routes and MODULE_H in decision.routes
        if category.cls == "critical":
            assert decision.routes[0] == CERTIFICATION_REQUIRED
            public = _decide(**MAKER, category=category.id, free_open_source=True,
                             documentation_public=True)  # fmt: skip
            assert MODULE_A not in public.routes  # Art. 32(5) is for Annex III only
        else:
            assert CERTIFICATION_REQUIRED not in decision.routes
        assert (CERTIFICATION_SUBSTANTIAL in decision.routes) == (category.cls != "important-i")


def test_an_undecided_route_is_not_described_as_decided() -> None:
    """Reproducer: with harmonised_standards unanswered, the obligation read "Carry out the
    conformity assessment: decided by the product category", and the reason gave the raw
    class id (important-i)."""
    decision = _decide(**MAKER, category="password-managers", free_open_source=True,
                       documentation_public=False)  # fmt: skip
    assert [q.key for q in decision.missing] == ["harmonised_standards"]
    conformity = next(o for o in decision.obligations if o.basis == "Art. 32")
    assert "not decided yet" in conformity.what
    assert any(r.endswith("important product, class I (Annex III)") for r in decision.reasons)
