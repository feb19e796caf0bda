"""Who calls: users and API keys of an organisation (a tenant), their roles, and what
each role may do. No I/O: the rules here are what the application layer enforces on
every use case the service exposes.

A role is a power within its organisation. Changing what every tenant shares (the
advisory database) is no tenant's: it is the server's operator's, a user made with
``users create --operator`` and the keys made for it with ``apikeys create --operator``
(ADR 0029)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # everything of its organisation
    ANALYST = "analyst"  # reads, uploads, scans, decides on findings
    UPLOADER = "uploader"  # a supplier's CI: uploads SBOMs and signed releases, reads nothing
    AUDITOR = "auditor"  # reads only


class Action(StrEnum):
    READ = "read"  # organisations, products, releases, findings, audit trails, sites
    UPLOAD = "upload"  # store an SBOM or a signed release for one of its products
    SCAN = "scan"  # re-evaluate one of its organisation's releases
    TRIAGE = "triage"  # change a finding's status
    IMPORT_ADVISORIES = "import-advisories"  # change the advisory database every tenant shares


# What changes data every tenant shares: the operator's, whatever its role.
OPERATOR_ACTIONS = frozenset({Action.IMPORT_ADVISORIES})

PERMITTED: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action) - OPERATOR_ACTIONS,
    Role.ANALYST: frozenset(Action) - OPERATOR_ACTIONS,
    Role.UPLOADER: frozenset({Action.UPLOAD}),
    Role.AUDITOR: frozenset({Action.READ}),
}


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated caller: the tenant every query it makes is filtered by."""

    organisation_id: int
    organisation: str
    role: Role
    actor: str  # what the audit trail records: "key:<id>" or "user:<name>"
    operator: bool = False  # the server's operator: may change what every tenant shares


def permits(caller: Caller, action: Action) -> bool:
    if action in OPERATOR_ACTIONS:
        return caller.operator
    return action in PERMITTED[caller.role]


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    """What is kept of an API key: never the secret, which is shown once."""

    key_id: str
    organisation: str
    role: Role
    user: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    operator: bool = False  # carries its user's operator power (the user must hold it)


@dataclass(frozen=True, slots=True)
class NewApiKey:
    info: ApiKeyInfo
    secret: str  # the whole key as the client presents it, shown once


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    organisation: str
    role: Role
    created_at: datetime
    operator: bool = False
