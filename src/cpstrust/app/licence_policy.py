"""The stored licence policy: set (validated whole first), shown, cleared. Each change is
one transaction that keeps the new version beside the old ones, re-evaluates the licence
findings of every stored release, and records their events (cause ``policy``). Setting a
policy says which organisations and products it overrides that the store does not hold
(allowed: a policy may be written before they are stored)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust.app.events import FindingWatch, record_events
from cpstrust.app.licence_findings import LicenceEvaluation, evaluate_licences
from cpstrust.app.services import Services
from cpstrust.formats.files import read_limited
from cpstrust.formats.licence_policy import read_licence_policy
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.events import Cause, CauseKind
from cpstrust.model.finding import FindingKind
from cpstrust.model.licence import LicencePolicy
from cpstrust.store.graph import unknown_names
from cpstrust.store.licence_findings import releases_with_sboms
from cpstrust.store.licence_policy import (
    PolicyVersion,
    current_policy_version,
    policy_versions,
    save_policy_version,
)


@dataclass(frozen=True, slots=True)
class PolicyChange:
    """What setting or clearing the policy did; ``version`` None: nothing was recorded
    (the same policy set again, or a policy cleared that was not held)."""

    version: int | None
    sha256: str | None
    evaluation: LicenceEvaluation | None
    events: int
    # Names the policy overrides that no stored organisation or product has (yet).
    unknown_organisations: tuple[str, ...] = ()
    unknown_products: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HeldPolicy:
    """The policy held now, as recorded, and how many versions were recorded in all."""

    held: PolicyVersion
    policy: LicencePolicy
    versions: int


def set_licence_policy(services: Services, path: Path,
                       limits: ReadLimits = DEFAULT_LIMITS) -> PolicyChange:
    """Store the policy at ``path`` (refused whole, storing nothing, when any of it is
    bad) and re-evaluate every stored release by it."""
    document = read_limited(path, limits)
    policy = read_licence_policy(document, source=str(path), limits=limits)
    sha256 = hashlib.sha256(document).hexdigest()
    with services.store.transaction() as session:
        organisations, products = unknown_names(session, policy.organisations,
                                                policy.products)
        held = current_policy_version(session)
        if held is not None and held.sha256 == sha256:
            change = PolicyChange(None, sha256, None, 0)
        else:
            change = _change(session, document, sha256, path.name, policy)
        return replace(change, unknown_organisations=tuple(organisations),
                       unknown_products=tuple(products))


def clear_licence_policy(services: Services) -> PolicyChange:
    """Stop judging licences: every licence finding still standing is resolved."""
    with services.store.transaction() as session:
        held = current_policy_version(session)
        if held is None or held.document is None:
            return PolicyChange(None, None, None, 0)
        return _change(session, None, None, None, None)


def held_licence_policy(services: Services) -> HeldPolicy | None:
    """The policy held now, or None (never set, or cleared)."""
    with services.store.transaction() as session:
        held = current_policy_version(session)
        if held is None or held.document is None:
            return None
        policy = read_licence_policy(held.document,
                                     source=f"stored licence policy version {held.version}")
        return HeldPolicy(held, policy, policy_versions(session))


def _change(session: Session, document: bytes | None, sha256: str | None,
            source: str | None, policy: LicencePolicy | None) -> PolicyChange:
    at = datetime.now(UTC)
    version = save_policy_version(session, document, sha256, source, at)
    ids = releases_with_sboms(session)
    watch = FindingWatch(session, ids, FindingKind.LICENCE)
    evaluation = evaluate_licences(session, ids, policy, at)
    named = (f"{source} (licence policy version {version}, sha256 {sha256})"
             if sha256 is not None else f"cleared (licence policy version {version})")
    events = record_events(session, watch, (), Cause(CauseKind.POLICY, named), at)
    return PolicyChange(version, sha256, evaluation, events)
