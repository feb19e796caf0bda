"""`cpstrust release`: sign a release (DSSE + in-toto + SLSA provenance) and verify one
offline against the trust store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from cpstrust.app import releases
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_refused
from cpstrust.cli.i18n import t
from cpstrust.cli.secrets import (
    PASSPHRASE_ENV,
    PIN_ENV,
    PassphraseEnvOption,
    PinEnvOption,
    read_secrets,
)
from cpstrust.model.evidence import VerifiedRelease
from cpstrust.model.trust import Refused

app = typer.Typer(
    help="Sign releases (DSSE envelope, in-toto Statement v1, SLSA provenance v1 naming the "
    "SBOM) and verify them offline.",
    no_args_is_help=True,
)

@app.command("sign")
def sign(
    ctx: typer.Context,
    artifacts: Annotated[list[Path], typer.Argument(
        metavar="ARTIFACT...", help="Files to sign (firmware images, packages), or a "
        "directory: a firmware root file system, every file of which becomes a subject.",
        exists=True)],
    key: Annotated[str, typer.Option(help="Signing key name (from `keys list`).")],
    product: Annotated[str, typer.Option(help="Product the release belongs to.")],
    version: Annotated[str, typer.Option(help="Version of the release.")],
    out: Annotated[Path, typer.Option(help="Where to write the DSSE envelope.")],
    sbom: Annotated[Path | None, typer.Option(
        help="SBOM describing the release; its digest is bound into the signed provenance.",
        exists=True, dir_okay=False)] = None,
    passphrase_env: Annotated[str, PassphraseEnvOption] = PASSPHRASE_ENV,
    pin_env: Annotated[str, PinEnvOption] = PIN_ENV,
) -> None:
    """Sign ARTIFACT... as release VERSION of PRODUCT.

    Writes a standard DSSE envelope (payloadType application/vnd.in-toto+json) whose
    subjects are the artifacts' SHA-256 digests. Any DSSE verifier can check it with the
    public key from `cpstrust keys export-public`.
    """
    app = app_context(ctx)
    signed = releases.sign(app.services, artifacts, key=key,
                           secrets=read_secrets(passphrase_env, pin_env), product=product,
                           version=version, sbom=sbom, at=datetime.now(UTC))
    out.write_bytes(signed.envelope)
    app.console.print(t("release_signed", app.lang, product=product, version=version,
                        n=signed.subjects, file=out))


@app.command("verify")
def verify(
    ctx: typer.Context,
    envelope_file: Annotated[Path, typer.Argument(
        metavar="ENVELOPE", help="DSSE envelope of the release.", exists=True, dir_okay=False)],
    artifact: Annotated[list[Path] | None, typer.Option(
        help="File that must be one of the signed subjects (repeatable).",
        exists=True, dir_okay=False)] = None,
    product: Annotated[str | None, typer.Option(
        help="Product the release must be for.")] = None,
    version: Annotated[str | None, typer.Option(help="Version the release must be.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Check a signed release offline: a trusted release-signer key, in scope for the
    product, neither revoked nor expired, signed it, and every --artifact is a subject.

    Exit 0 trusted, 1 refused (reason on stderr or in --format json), 2 unreadable input.
    """
    app = app_context(ctx)
    outcome = releases.verify(app.services, envelope_file, artifacts=artifact or (),
                              product=product, version=version, at=datetime.now(UTC))
    if isinstance(outcome, Refused):
        exit_refused(app, outcome, output)
    _report_trusted(app, outcome, output)


@app.command("import")
def import_(
    ctx: typer.Context,
    envelope_file: Annotated[Path, typer.Argument(
        metavar="ENVELOPE", help="DSSE envelope of the release.", exists=True, dir_okay=False)],
    sbom: Annotated[Path | None, typer.Option(
        help="The SBOM the release names; refused unless its digest is the signed one.",
        exists=True, dir_okay=False)] = None,
    supplier: Annotated[str | None, typer.Option(
        help="Supplier organisation, creating the product under it if new.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Verify a signed release and keep it as evidence for its release in the store: its
    subjects become the reference values that images and devices are checked against.

    Exit 0 stored, 1 refused (nothing stored), 2 unreadable input.
    """
    app = app_context(ctx)
    done = releases.import_signed(app.services, envelope_file, sbom_path=sbom,
                                  supplier=supplier, at=datetime.now(UTC))
    if isinstance(done, Refused):
        exit_refused(app, done, output)
    if output is OutputFormat.JSON:
        print_json({"accepted": True, "product": done.release.product, "version": done.version,
                    "evidence_id": done.evidence_id,
                    "subjects": len(done.release.statement.subjects),
                    "sbom_components": done.sbom.components if done.sbom else None})
        return
    app.console.print(t("release_imported", app.lang, product=done.release.product,
                        version=done.version, n=len(done.release.statement.subjects)))


def _report_trusted(app: AppContext, release: VerifiedRelease, output: OutputFormat) -> None:
    p = release.provenance
    if output is OutputFormat.JSON:
        print_json({
            "accepted": True,
            "product": release.product,
            "version": p.version,
            "builder": p.builder_id,
            "built_at": p.built_at.isoformat() if p.built_at else None,
            "signers": [k.keyid for k in release.signers],
            "subjects": [{"name": s.name, "digest": dict(s.digest)}
                         for s in release.statement.subjects],
            "sbom": ({"name": p.sbom.name, "digest": dict(p.sbom.digest)} if p.sbom else None),
            "artifacts": dict(release.matched_artifacts),
        })
        return
    app.console.print(t("release_trusted", app.lang, product=release.product,
                        version=p.version or "?", n=len(release.statement.subjects),
                        keyid=release.signers[0].keyid[:16]))
    for name, subject in release.matched_artifacts.items():
        app.console.print(f"  ✓ {name} = {subject}")
