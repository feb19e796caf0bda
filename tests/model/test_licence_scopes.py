"""The policy that applies to a product: its overrides over its organisation's over the
base, key by key; conflict rules added, a narrower one between the same sides replacing
(or, with allow, lifting) a broader one; every rule keeps the scope it came from."""

from __future__ import annotations

import pytest

from cpstrust.model.licence import (
    BASE_SCOPE,
    ConflictRule,
    Decision,
    LicenceCategory,
    LicencePolicy,
    PolicyOverride,
    PolicyScope,
    Ruling,
    ScopeKind,
    effective_policy,
)

ACME = PolicyScope(ScopeKind.ORGANISATION, "Acme")
GATEWAY = PolicyScope(ScopeKind.PRODUCT, "Gateway")
COPYLEFT = LicenceCategory.COPYLEFT
GPL_APACHE = ("GPL-2.0-only", "Apache-2.0")

POLICY = LicencePolicy(
    licences={"MIT": Decision.ALLOW, "LGPL-2.1-only": Decision.REVIEW},
    categories={COPYLEFT: Decision.DENY},
    default=Decision.REVIEW, missing=Decision.REVIEW, unknown=Decision.DENY,
    conflicts=(ConflictRule(GPL_APACHE, Decision.DENY),),
    organisations={"Acme": PolicyOverride(
        licences={"LGPL-2.1-only": Decision.ALLOW}, categories={COPYLEFT: Decision.REVIEW},
        missing=Decision.DENY,
        conflicts=(ConflictRule(("category:copyleft", "MIT"), Decision.REVIEW, scope=ACME),))},
    products={"Gateway": PolicyOverride(
        categories={COPYLEFT: Decision.ALLOW}, missing=Decision.ALLOW,
        conflicts=(ConflictRule(("Apache-2.0", "GPL-2.0-only"), Decision.REVIEW,
                                scope=GATEWAY),))},
)


def test_the_base_alone_applies_to_a_product_no_override_names() -> None:
    effective = effective_policy(POLICY, "Other", "Elsewhere")
    assert effective == effective_policy(POLICY)
    assert effective.categories == {COPYLEFT: Ruling(Decision.DENY, BASE_SCOPE)}
    assert effective.missing == Ruling(Decision.REVIEW, BASE_SCOPE)
    assert effective.conflicts == POLICY.conflicts


def test_an_organisations_overrides_replace_the_base_key_by_key() -> None:
    effective = effective_policy(POLICY, "Other", "Acme")
    assert effective.licences == {"MIT": Ruling(Decision.ALLOW, BASE_SCOPE),
                                  "LGPL-2.1-only": Ruling(Decision.ALLOW, ACME)}
    assert effective.categories == {COPYLEFT: Ruling(Decision.REVIEW, ACME)}
    assert effective.missing == Ruling(Decision.DENY, ACME)
    # What the organisation leaves out stays the base's.
    assert (effective.default, effective.unknown) == (Ruling(Decision.REVIEW, BASE_SCOPE),
                                                      Ruling(Decision.DENY, BASE_SCOPE))
    assert [(c.between, c.scope) for c in effective.conflicts] == [
        (GPL_APACHE, BASE_SCOPE), (("category:copyleft", "MIT"), ACME)]  # added


def test_a_products_overrides_win_over_its_organisations() -> None:
    effective = effective_policy(POLICY, "Gateway", "Acme")
    assert effective.categories == {COPYLEFT: Ruling(Decision.ALLOW, GATEWAY)}
    assert effective.missing == Ruling(Decision.ALLOW, GATEWAY)
    assert effective.licences["LGPL-2.1-only"] == Ruling(Decision.ALLOW, ACME)
    # The same two sides, in the other order: the product's rule takes the base's place.
    assert [(c.between, c.decision, c.scope) for c in effective.conflicts] == [
        (("category:copyleft", "MIT"), Decision.REVIEW, ACME),
        (("Apache-2.0", "GPL-2.0-only"), Decision.REVIEW, GATEWAY)]


def test_a_product_override_applies_without_its_organisation_known() -> None:
    effective = effective_policy(POLICY, "Gateway", None)
    assert effective.categories == {COPYLEFT: Ruling(Decision.ALLOW, GATEWAY)}
    assert effective.licences["LGPL-2.1-only"] == Ruling(Decision.REVIEW, BASE_SCOPE)


def test_an_allowing_conflict_rule_lifts_the_broader_one() -> None:
    lifted = LicencePolicy(
        conflicts=POLICY.conflicts,
        products={"Gateway": PolicyOverride(conflicts=(
            ConflictRule(GPL_APACHE, Decision.ALLOW, scope=GATEWAY),))})
    assert effective_policy(lifted, "Gateway", None).conflicts == ()
    assert effective_policy(lifted, "Other", None).conflicts == POLICY.conflicts


def test_scopes_are_listed_broadest_first() -> None:
    assert POLICY.scopes_for("Gateway", "Acme") == (ACME, GATEWAY)
    assert POLICY.scopes_for("Other", None) == ()
    assert str(ACME) == "organisation Acme" and str(BASE_SCOPE) == "base"


def test_a_scope_without_its_name_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        PolicyScope(ScopeKind.PRODUCT)
    with pytest.raises(ValueError, match="takes no name"):
        PolicyScope(ScopeKind.BASE, "Acme")
