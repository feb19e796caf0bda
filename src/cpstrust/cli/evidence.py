"""`cpstrust evidence`: sign organisational evidence, export it as one bundle for a
buyer, and on the buyer's side verify and import it offline and list what is held."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cpstrust.app import orgevidence
from cpstrust.app.orgevidence import BundleCheck, EvidenceOutcome, SignRequest
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.secrets import (
    PASSPHRASE_ENV,
    PIN_ENV,
    PassphraseEnvOption,
    PinEnvOption,
    read_secrets,
)
from cpstrust.formats.files import write_whole
from cpstrust.model.orgevidence import (
    EvidenceKind,
    OrganisationEvidence,
    VerifiedEvidence,
    claimed_star,
    subject_of,
)
from cpstrust.model.trust import Refused
from cpstrust.timeutil import as_utc

app = typer.Typer(
    help="Signed organisational evidence: ★ self-declarations, assessors' attestations, "
    "assessment results, JC-STAR labels, SBOM and VEX deliveries. A supplier exports one "
    "bundle; the buyer verifies and imports it offline against its trust store.",
    no_args_is_help=True,
)


@app.command("sign")
def sign(
    ctx: typer.Context,
    kind: Annotated[EvidenceKind, typer.Argument(
        help="star-declaration, star-attestation, jcstar-label, sbom-delivery or "
        "vex-delivery.")],
    org: Annotated[str, typer.Option(help="Organisation the evidence speaks for.")],
    key: Annotated[str, typer.Option(help="Signing key name (from `keys list`).")],
    level: Annotated[int | None, typer.Option(
        help="★ level (3-5; a self-declaration 3 only) or JC-STAR level (1-4).")] = None,
    product: Annotated[str | None, typer.Option(
        help="Product (jcstar-label, sbom-delivery; optional for vex-delivery).")] = None,
    release: Annotated[str | None, typer.Option(
        help="Release of the product the SBOM describes (sbom-delivery).")] = None,
    document: Annotated[Path | None, typer.Option(
        help="The SBOM or VEX file delivered; its SHA-256 is signed.", exists=True,
        dir_okay=False)] = None,
    assessor: Annotated[str | None, typer.Option(
        help="Assessor organisation (star-attestation).")] = None,
    assessed_at: Annotated[datetime | None, typer.Option(
        help="When the assessment was made, UTC (star-attestation; default now).")] = None,
    report: Annotated[str | None, typer.Option(
        help="The assessor's report reference (star-attestation).")] = None,
    label_id: Annotated[str | None, typer.Option(
        help="JC-STAR registration number (jcstar-label).")] = None,
    expires: Annotated[datetime | None, typer.Option(
        help="Expiry time, UTC (default a year from now).")] = None,
    passphrase_env: Annotated[str, PassphraseEnvOption] = PASSPHRASE_ENV,
    pin_env: Annotated[str, PinEnvOption] = PIN_ENV,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Sign a piece of evidence for ORG with KEY and keep it here, to be exported with
    `evidence export`.

    Assessment results are signed by the assessment engine, not here.
    """
    app = app_context(ctx)
    request = SignRequest(kind=kind, organisation=org, expires_at=expires and as_utc(expires),
                          level=level, product=product, release=release, assessor=assessor,
                          assessed_at=assessed_at and as_utc(assessed_at), report=report,
                          label_id=label_id, document=document)
    signed = orgevidence.sign(app.services, request, key=key,
                              secrets=read_secrets(passphrase_env, pin_env),
                              at=datetime.now(UTC))
    if output is OutputFormat.JSON:
        print_json({"id": signed.id, **_evidence_json(signed.evidence)})
        return
    app.console.print(t("evidence_signed", app.lang, kind=kind.value, org=org, id=signed.id,
                        date=f"{signed.evidence.validity.expires_at:%Y-%m-%d}"))


@app.command("export")
def export(
    ctx: typer.Context,
    org: Annotated[str, typer.Option(help="Organisation whose evidence to export.")],
    out: Annotated[Path | None, typer.Option(
        help="Bundle file to write (default: standard output).")] = None,
) -> None:
    """Write every piece of evidence held for ORG as one bundle (JSON, DSSE envelopes
    and the signers' public keys for the buyer to review)."""
    app = app_context(ctx)
    exported = orgevidence.export_bundle(app.services, org, datetime.now(UTC))
    if out is None:
        sys.stdout.buffer.write(exported.data + b"\n")
        sys.stdout.flush()
        return
    write_whole(out, exported.data + b"\n")
    app.console.print(t("evidence_exported", app.lang, n=exported.envelopes,
                        keys=exported.keys, org=org, file=out))


@app.command("import")
def import_(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(
        help="Evidence bundle (from `evidence export`).", exists=True, dir_okay=False)],
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Verify each envelope of BUNDLE offline against the trust store and keep those
    accepted, in one transaction. The keys the bundle offers are shown, never trusted.

    Exit 0 all accepted, 1 some refused (the others kept), 2 malformed bundle (nothing
    kept).
    """
    app = app_context(ctx)
    done = orgevidence.import_bundle(app.services, bundle, datetime.now(UTC))
    if output is OutputFormat.JSON:
        print_json({**_check_json(done.check), "stored": dict(done.stored),
                    "already_held": dict(done.already_held)})
    else:
        _render_check(app, done.check)
        app.console.print(t("evidence_imported", app.lang, stored=len(done.stored),
                            held=len(done.already_held), refused=done.check.refused))
    exit_for(done.check.refused)


@app.command("verify")
def verify(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(
        metavar="BUNDLE|ID", help="Evidence bundle file, or the id of held evidence.")],
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Verify a bundle (or held evidence) against the trust store now, keeping nothing.

    Exit 0 all accepted, 1 any refused, 2 malformed input.
    """
    app = app_context(ctx)
    at = datetime.now(UTC)
    if target.isdigit() and not Path(target).exists():
        outcome = orgevidence.verify_stored(app.services, int(target), at)
        check = BundleCheck(source=f"evidence {target}", outcomes=(outcome,), offered_keys=())
    else:
        check = orgevidence.verify_bundle(app.services, Path(target), at)
    if output is OutputFormat.JSON:
        print_json(_check_json(check))
    else:
        _render_check(app, check)
    exit_for(check.refused)


@app.command("list")
def list_(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option(help="Only this organisation's evidence.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """The evidence held, each verified again now: expiry, revocation and the trust
    store may have changed since it was kept."""
    app = app_context(ctx)
    listed = orgevidence.list_evidence(app.services, datetime.now(UTC), org)
    if output is OutputFormat.JSON:
        print_json([{"id": e.stored.id, "kind": e.stored.kind,
                     "organisation": e.stored.organisation, "subject": e.stored.subject,
                     "signers": list(e.stored.signer_keyids),
                     "issued_at": e.stored.issued_at.isoformat(),
                     "expires_at": e.stored.expires_at.isoformat(),
                     "source": e.stored.source, **_verdict_json(e.verdict)}
                    for e in listed])
        return
    table = Table(title=t("evidence_title", app.lang))
    for column in ("id", "kind", "organisation", "subject", "keyid", "issued", "expires",
                   "verdict"):
        table.add_column(t(f"evidence_column_{column}", app.lang))
    for e in listed:
        table.add_row(str(e.stored.id), e.stored.kind, e.stored.organisation, e.stored.subject,
                      ", ".join(k[:16] for k in e.stored.signer_keyids),
                      f"{e.stored.issued_at:%Y-%m-%d}", f"{e.stored.expires_at:%Y-%m-%d}",
                      _verdict_now(app, e.verdict))
    app.console.print(table)


def _render_check(app: AppContext, check: BundleCheck) -> None:
    for outcome in check.outcomes:
        app.console.print(f"{outcome.place}: {_verdict_text(app, outcome.outcome)}",
                          markup=False, highlight=False)
    for offer in check.offered_keys:
        if not offer.trusted_roles:
            app.console.print(t("evidence_key_offered", app.lang, keyid=offer.key.keyid,
                                comment=offer.key.comment or "-"),
                              markup=False, highlight=False)


def _verdict_text(app: AppContext, verdict: VerifiedEvidence | Refused) -> str:
    if isinstance(verdict, Refused):
        why = verdict.message.text(app.lang)
        return f"{t('refused', app.lang)} ({verdict.reason.value}): {why}"
    return t("evidence_accepted", app.lang, kind=verdict.evidence.kind.value,
             org=verdict.evidence.organisation, subject=subject_of(verdict.evidence),
             keyid=verdict.signers[0].keyid[:16])


def _verdict_now(app: AppContext, verdict: VerifiedEvidence | Refused) -> str:
    """The verdict column: accepted, or the refusal's case and why."""
    if isinstance(verdict, Refused):
        return f"{verdict.reason.value}: {verdict.message.text(app.lang)}"
    return t("evidence_verdict_accepted", app.lang)


def _check_json(check: BundleCheck) -> dict[str, Any]:
    return {
        "source": check.source,
        "accepted": len(check.outcomes) - check.refused,
        "refused": check.refused,
        "envelopes": [_outcome_json(o) for o in check.outcomes],
        "offered_keys": [{"keyid": o.key.keyid, "algorithm": o.key.algorithm.value,
                          "comment": o.key.comment, "public_key": o.key.public_key_pem,
                          "trusted_roles": sorted(r.value for r in o.trusted_roles)}
                         for o in check.offered_keys],
    }


def _outcome_json(outcome: EvidenceOutcome) -> dict[str, Any]:
    return {"place": outcome.place, "signers": list(outcome.keyids),
            **_verdict_json(outcome.outcome)}


def _verdict_json(verdict: VerifiedEvidence | Refused) -> dict[str, Any]:
    if isinstance(verdict, Refused):
        return {"verdict": verdict.reason.value, "reason": verdict.detail}
    return {"verdict": "accepted", **_evidence_json(verdict.evidence),
            "signed_by": [k.keyid for k in verdict.signers]}


def _evidence_json(evidence: OrganisationEvidence) -> dict[str, Any]:
    return {"kind": evidence.kind.value, "organisation": evidence.organisation,
            "subject": subject_of(evidence), "star_level": claimed_star(evidence),
            "issued_at": evidence.validity.issued_at.isoformat(),
            "expires_at": evidence.validity.expires_at.isoformat()}
