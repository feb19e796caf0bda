"""Who calls: users and API keys of an organisation (a tenant), their roles, and what
each role may do. No I/O: the rules here are what the application layer enforces on
every use case the service exposes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # everything of its organisation, keys included; imports advisories
    ANALYST = "analyst"  # reads, uploads, scans, decides on findings
    UPLOADER = "uploader"  # a supplier's CI: uploads SBOMs and signed releases, reads nothing
    AUDITOR = "auditor"  # reads only


class Action(StrEnum):
    READ = "read"  # organisations, products, releases, findings, audit trails, sites
    UPLOAD = "upload"  # store an SBOM or a signed release for one of its products
    SCAN = "scan"  # re-evaluate one of its organisation's releases
    TRIAGE = "triage"  # change a finding's status
    IMPORT_ADVISORIES = "import-advisories"  # change the advisory database every tenant shares


PERMITTED: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.ANALYST: frozenset(Action) - {Action.IMPORT_ADVISORIES},
    Role.UPLOADER: frozenset({Action.UPLOAD}),
    Role.AUDITOR: frozenset({Action.READ}),
}


def permits(role: Role, action: Action) -> bool:
    return action in PERMITTED[role]


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated caller: the tenant every query it makes is filtered by."""

    organisation_id: int
    organisation: str
    role: Role
    actor: str  # what the audit trail records: "key:<id>" or "user:<name>"


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
