"""`cpstrust demo`: load the bundled sample supply chain and print the report."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from cpstrust import operations
from cpstrust.cli.chain import chain_message
from cpstrust.cli.context import AppContext, OutputFormat, app_context
from cpstrust.cli.i18n import t
from cpstrust.cli.impact import render_impact
from cpstrust.cli.output import styled
from cpstrust.cli.report import render_report
from cpstrust.cli.vulndb import import_message
from cpstrust.formats.dsse import read_envelope
from cpstrust.model.trust import Refused, Role, TrustedKey, TrustStore
from cpstrust.store.impact import impact
from cpstrust.trust.authenticity import appraise_image, reference_from_subjects
from cpstrust.trust.crypto import algorithm_of, keyid_of, read_public_key
from cpstrust.trust.image import measure_image
from cpstrust.trust.release import verify_release

DEMO_FOCUS = "CVE-2021-3121"  # gogo/protobuf: reaches a tier-2 supplier's firmware


def demo_dir() -> Path:
    return Path(str(resources.files("cpstrust") / "demo"))


def demo(
    ctx: typer.Context,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Load the bundled sample (a made-up car maker, its suppliers, their SBOMs, and an
    advisory snapshot taken from real OSV records) into the store and print the report.

    Runs against the configured store (CPSTRUST_HOME / CPSTRUST_DATABASE_URL); running it
    again changes nothing.
    """
    app = app_context(ctx)
    base = demo_dir()
    done = operations.import_advisory_paths(app.store, [base / "advisories"], kind="directory")
    counts, sboms = operations.load_supply_chain_file(app.store, base / "supply-chain.yaml")
    if output is OutputFormat.TABLE:
        app.console.print(import_message(done, app.lang))
        app.console.print(chain_message(counts, sboms, app.lang))
    render_report(app, output, None)
    if output is OutputFormat.TABLE:
        with app.store.transaction() as session:
            render_impact(app, impact(session, DEMO_FOCUS))
        render_trust_demo(app, base)


def render_trust_demo(app: AppContext, base: Path) -> None:
    """The chain of trust on the bundled firmware: its signed release is verified against
    a trust store held in memory (the demo never adds keys to the user's trust store),
    then the image and a tampered copy of it are checked against the signed subjects."""
    pem = (base / "release" / "setouchi-release.pem").read_text("ascii")
    public = read_public_key(pem)
    vendor = TrustedKey(keyid=keyid_of(public), algorithm=algorithm_of(public),
                        public_key_pem=pem, roles=frozenset({Role.RELEASE_SIGNER}),
                        scopes=frozenset({"SS-SensorHub"}))
    envelope_path = base / "release" / "ss-sensorhub-1.8.0.release.json"
    envelope = read_envelope(envelope_path.read_bytes(), str(envelope_path))
    release = verify_release(envelope, TrustStore(1, datetime.now(UTC), (vendor,)),
                             at=datetime.now(UTC), product="SS-SensorHub")
    app.console.print(f"\n[bold]{t('trust_demo_title', app.lang)}[/]")
    if isinstance(release, Refused):  # the bundled release is signed; this is a bug
        app.console.print(f"{t('refused', app.lang)}: {release.detail}")
        return
    app.console.print(t("release_trusted", app.lang, product=release.product,
                        version=release.provenance.version, n=len(release.statement.subjects),
                        keyid=vendor.keyid[:16]))
    reference = reference_from_subjects(release.subject_digests)
    tree = base / "firmware" / "ss-sensorhub-1.8.0"
    genuine = appraise_image(measure_image(tree), reference)
    app.console.print(t("demo_image", app.lang, image=tree.name, verdict=genuine.verdict.value))
    with tempfile.TemporaryDirectory(prefix="cpstrust-demo-") as scratch:
        tampered = Path(scratch) / "tampered"
        shutil.copytree(tree, tampered)
        with (tampered / "bin" / "uplink").open("ab") as binary:
            binary.write(b"implant: forwards sensor data to 203.0.113.7\n")
        (tampered / "bin" / ".cache").mkdir()
        (tampered / "bin" / ".cache" / "miner").write_bytes(b"\x7fELF undeclared binary\n")
        result = appraise_image(measure_image(tampered), reference)
    app.console.print(t("demo_image", app.lang, image=t("demo_tampered", app.lang),
                        verdict=result.verdict.value))
    for finding in result.findings:
        app.console.print(f"  {styled(finding.severity)} {finding.kind.value} {finding.path}")
