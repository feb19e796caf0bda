"""The `cpstrust` command: a root with global options and one group per area."""

from __future__ import annotations

import gc
import logging
import os
from typing import Annotated, Any

import typer
from typer._click.core import Context as ClickContext  # typer vendors click
from typer.core import TyperGroup

from cpstrust.app.services import Services
from cpstrust.cli import (
    attest,
    chain,
    demo,
    devices,
    findings,
    image,
    impact,
    keys,
    release,
    report,
    sbom,
    scan,
    trust,
    update,
    vulndb,
)
from cpstrust.cli.context import AppContext
from cpstrust.cli.i18n import detect_lang, t
from cpstrust.errors import CpstrustError
from cpstrust.settings import Settings

EXIT_INPUT = 2  # 0 ok and 1 policy violation are raised by the commands


class CpstrustGroup(TyperGroup):
    """Turns any cpstrust error into one line on stderr and exit code 2."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except CpstrustError as exc:
            obj = ctx.obj
            if isinstance(obj, AppContext) and obj.debug:
                raise
            lang = obj.lang if isinstance(obj, AppContext) else detect_lang()
            typer.echo(f"cpstrust: {t('error', lang)}: {exc.diagnostics()}", err=True)
            raise typer.Exit(EXIT_INPUT) from None


app = typer.Typer(
    cls=CpstrustGroup,
    name="cpstrust",
    help=(
        "Build, prove and keep a chain of trust across an industrial supply chain.\n\n"
        "Start with `cpstrust demo` to load the bundled sample supply chain and see a report. "
        "Then load your own: `cpstrust chain load supply-chain.yaml`, "
        "`cpstrust vulndb import advisories/`, `cpstrust sbom import bom.json --product P "
        "--version V`, and ask `cpstrust impact CVE-2024-1234`.\n\n"
        "Chain of trust: `cpstrust keys create`, `cpstrust trust add-key`, `cpstrust release "
        "sign|verify|import`, `cpstrust image verify`, `cpstrust verifier serve` with "
        "`cpstrust agent attest` on devices, `cpstrust devices`, `cpstrust update check`.\n\n"
        "Exit codes: 0 ok, 1 findings at or above --fail-on or a refused signature, release, "
        "image or device, 2 bad input or usage."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(vulndb.app, name="vulndb")
app.add_typer(sbom.app, name="sbom")
app.add_typer(chain.app, name="chain")
app.add_typer(findings.app, name="findings")
app.add_typer(keys.app, name="keys")
app.add_typer(trust.app, name="trust")
app.add_typer(release.app, name="release")
app.add_typer(update.app, name="update")
app.add_typer(attest.verifier_app, name="verifier")
app.add_typer(attest.agent_app, name="agent")
app.add_typer(devices.app, name="devices")
app.add_typer(image.app, name="image")
app.command("scan")(scan.scan)
app.command("impact")(impact.impact)
app.command("report")(report.report)
app.command("demo")(demo.demo)


@app.callback()
def root(
    ctx: typer.Context,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Language of messages and reports: en or ja (default from LANG)."
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
) -> None:
    """Global options: read the environment once, here at the edge."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)
    if not debug:  # the TPM stack logs refused commands to stderr itself; we report them
        os.environ.setdefault("TSS2_LOG", "all+NONE")
    ctx.obj = AppContext(services=Services(Settings.from_env()), lang=detect_lang(lang),
                         debug=debug)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """Entry point of the `cpstrust` console script.

    A command is one short process that builds large acyclic structures (an SBOM's model,
    tens of thousands of matches and rows): the cyclic collector's passes over them cost
    35-200 ms of a 10,000-component scan and free nothing (ADR 0001), so a command runs
    without it; the long-running `verifier serve` turns it back on.
    """
    gc.disable()
    app()
