"""What a tenant sends the service besides SBOMs: signed releases of its products, and
(the server's operator) advisories, with the status of the advisory database.

The advisory database is one for every tenant (advisories are public facts, and one
copy serves all): an import changes the findings of every tenant, which is why only the
server's operator may import (ADR 0029), no organisation's administrator, and why what it
is told names the upload, never another tenant's data or the server's temporary files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cpstrust.app.advisories import AdvisoryImport, import_advisory_paths, vulndb_status
from cpstrust.app.releases import ReleaseImport, keep_signed, read_signed, verify_signed
from cpstrust.app.services import Services
from cpstrust.app.tenancy import require
from cpstrust.errors import ConflictError, CpstrustError
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.messages import Message
from cpstrust.model.advisory import VulndbStatus
from cpstrust.model.identity import Action, Caller
from cpstrust.model.trust import Refused
from cpstrust.store import identity as identity_store

ADVISORY_UPLOADS = "api upload"  # the source every advisory import through the API counts as


@dataclass(frozen=True, slots=True)
class Upload:
    """A file a client sent, as the server keeps it for the request, with the name the
    client gave it (what errors and stored records say)."""

    path: Path
    name: str


def advisory_status(services: Services, caller: Caller) -> VulndbStatus:
    require(caller, Action.READ)
    return vulndb_status(services)


def import_advisories(services: Services, caller: Caller, upload: Upload,
                      limits: ReadLimits = DEFAULT_LIMITS) -> AdvisoryImport:
    """Import an OSV record (``.json``) or export (``.zip``) into the shared database;
    the stored SBOMs of every tenant whose packages it changes are evaluated again."""
    require(caller, Action.IMPORT_ADVISORIES)
    try:
        return import_advisory_paths(services, [upload.path], location=ADVISORY_UPLOADS,
                                     limits=limits)
    except CpstrustError as error:
        raise _renamed(error, upload) from None


def import_release(services: Services, caller: Caller, envelope: Upload, sbom: Upload | None,
                   *, at: datetime,
                   limits: ReadLimits = DEFAULT_LIMITS) -> ReleaseImport | Refused:
    """Verify a signed release against the trust store and keep it as evidence of a
    release of the caller's products (created under its organisation when new), with
    the SBOM it signed. A product another organisation holds is refused (ConflictError),
    never reassigned; nothing is written when the signature is refused."""
    require(caller, Action.UPLOAD)
    signed = read_signed(envelope.path, sbom.path if sbom else None, envelope_name=envelope.name,
                         sbom_name=sbom.name if sbom else None, limits=limits)
    with services.store.transaction() as session:  # names are global: not the tenant's scope
        verified = verify_signed(session, signed, at)
        held = (None if isinstance(verified, Refused)
                else identity_store.product_of(session, verified.product))
    if isinstance(verified, Refused):
        return verified
    if held is not None and held[1] != caller.organisation_id:
        raise ConflictError("tenancy_product_name_taken", product=verified.product)
    # Checked again inside: PostgreSQL's row-level security hides another's product from
    # the tenant's transaction, where creating one of the same name would then fail.
    with services.tenant_transaction(caller) as session:
        return keep_signed(session, services, signed, supplier=caller.organisation, at=at,
                           owner=caller.organisation_id)


def _renamed(error: CpstrustError, upload: Upload) -> CpstrustError:
    """``error`` naming the client's file where it named the server's copy of it."""
    server_path = str(upload.path)
    if error.source is not None:
        error.source = error.source.replace(server_path, upload.name)
    error.message = _renamed_message(error.message, server_path, upload.name)
    error.args = (error.diagnostics(),)
    return error


def _renamed_message(told: Message, old: str, new: str) -> Message:
    return Message(told.code, _renamed_facts(told.facts, old, new))


def _renamed_facts(facts: Mapping[str, object], old: str, new: str) -> dict[str, object]:
    renamed: dict[str, object] = {}
    for name, value in facts.items():
        if isinstance(value, Message):
            renamed[name] = _renamed_message(value, old, new)
        elif isinstance(value, str):
            renamed[name] = type(value)(value.replace(old, new))  # a Place stays a Place
        else:
            renamed[name] = value
    return renamed
