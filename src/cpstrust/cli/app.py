"""The `cpstrust` command: a root with global options and one group per area."""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import typer
import typer.main
from typer import _click as click  # typer vendors click
from typer._click.core import Context as ClickContext
from typer.core import TyperCommand, TyperGroup

from cpstrust.cli.context import AppContext
from cpstrust.cli.exits import EXIT_INPUT
from cpstrust.cli.i18n import detect_lang, error_line, t
from cpstrust.errors import CpstrustError
from cpstrust.messages import Lang
from cpstrust.settings import Settings


@dataclass(frozen=True, slots=True)
class Entry:
    """A command of the root: where its Typer app is, and its one-line help for the
    root's listing (a test checks it against the command's own)."""

    module: str
    attribute: str
    short_help: str


# Each command imports only what it uses, when it is run: `cpstrust --help` and a scan
# do not pay for the TPM stack, the verifier or SPDX tools (issue 11: 1.78 s before).
COMMANDS: dict[str, Entry] = {
    "scan": Entry("cpstrust.cli.scan", "command",
                  "Find known vulnerabilities in an SBOM file or in stored releases."),
    "impact": Entry("cpstrust.cli.impact", "command",
                    "Show the blast radius of a vulnerability across the stored supply chain."),
    "report": Entry("cpstrust.cli.report", "command",
                    "Summarise every stored release: components, devices, open findings by "
                    "severity, and the vulnerabilities that reach the most releases and "
                    "devices."),
    "demo": Entry("cpstrust.cli.demo", "command",
                  "Load the bundled sample (a made-up car maker, its suppliers, their SBOMs, "
                  "and an advisory snapshot taken from real OSV records) into the store and "
                  "print the report."),
    "vulndb": Entry("cpstrust.cli.vulndb", "app",
                    "The offline advisory database: import OSV data, update it, show status."),
    "sbom": Entry("cpstrust.cli.sbom", "app",
                  "Generate the SBOM of a firmware or container image, store SBOMs received "
                  "for releases (evidence kept with its digest) and check their quality "
                  "against NTIA, BSI TR-03183-2 and METI."),
    "licenses": Entry("cpstrust.cli.licences", "app",
                      "Licence compliance: the licences of an SBOM's components against a "
                      "policy (allow, review, deny)."),
    "vex": Entry("cpstrust.cli.vex", "app",
                 "VEX: a supplier's word on which vulnerabilities affect its products "
                 "(OpenVEX, CycloneDX VEX, CSAF 2.0 VEX)."),
    "events": Entry("cpstrust.cli.events", "app",
                    "Findings introduced, resolved or reopened by each change to the stored "
                    "data (advisories, VEX, SBOMs, re-scans, the licence policy), and their "
                    "delivery to a JSONL file or a webhook."),
    "catalog": Entry("cpstrust.cli.catalog", "app",
                     "Control catalogues (OSCAL catalogs), levels (OSCAL profiles) and "
                     "cross-framework mappings (OSCAL mapping collections)."),
    "chain": Entry("cpstrust.cli.chain", "app",
                   "The supply-chain graph: organisations, products, releases, sites, devices."),
    "findings": Entry("cpstrust.cli.findings", "app",
                      "Stored findings and their lifecycle (open, accepted, fixed, "
                      "not_affected)."),
    "keys": Entry("cpstrust.cli.keys", "app",
                  "Signing keys and roots of trust. The private key never leaves its backend: "
                  "an encrypted file, a PKCS#11 token (HSM, secure element) or a TPM 2.0."),
    "trust": Entry("cpstrust.cli.trust", "app",
                   "Trusted keys with roles (root, release-signer, device-identity, "
                   "organisation, assessor, data-producer), scopes, validity and revocation. "
                   "Exported as a signed, versioned document; an older version is never "
                   "accepted back (rollback)."),
    "release": Entry("cpstrust.cli.release", "app",
                     "Sign releases (DSSE envelope, in-toto Statement v1, SLSA provenance v1 "
                     "naming the SBOM) and verify them offline."),
    "evidence": Entry("cpstrust.cli.evidence", "app",
                      "Signed organisational evidence: ★ self-declarations, assessors' "
                      "attestations, assessment results, JC-STAR labels, SBOM and VEX "
                      "deliveries. A supplier exports one bundle; the buyer verifies and "
                      "imports it offline against its trust store."),
    "assess": Entry("cpstrust.cli.assess", "app",
                    "CPSF assessments: answer the questionnaire of a catalogue or ★ profile, then "
                    "see the ★ level, the gaps and the plan, the maturity of the management "
                    "guideline's ten items, and export or sign them."),
    "risk": Entry("cpstrust.cli.risk", "app",
                  "Risk of a site's zones (likelihood x impact, from the stored findings, "
                  "attestations, trust verdicts and the operator's assessment) and the plan of "
                  "CPSF countermeasures by risk reduction per effort."),
    "update": Entry("cpstrust.cli.update", "app",
                    "Check updates against the trust store before installing them."),
    "verifier": Entry("cpstrust.cli.attest", "verifier_app",
                      "The attestation verifier: issues challenges to devices and appraises "
                      "their signed or TPM-quoted measurement reports against signed release "
                      "reference values."),
    "agent": Entry("cpstrust.cli.attest", "agent_app",
                   "The device side of attestation: measure, answer the verifier's challenge."),
    "devices": Entry("cpstrust.cli.devices", "app",
                     "Devices with their site, release, latest attestation verdict and open "
                     "findings."),
    "serve": Entry("cpstrust.cli.serve", "command",
                   "Serve the REST API (/api/v1, OpenAPI at /openapi.json) and the "
                   "attestation verifier (/v1/challenge, /v1/attest) until interrupted."),
    "worker": Entry("cpstrust.cli.worker", "command",
                    "Run background jobs (advisory updates, re-evaluations, uploads) from the "
                    "database's queue until interrupted."),
    "users": Entry("cpstrust.cli.identity", "users_app",
                   "Users of the service, each of one organisation with one role."),
    "apikeys": Entry("cpstrust.cli.identity", "apikeys_app",
                     "API keys: shown once, kept as a digest, of one organisation with one "
                     "role, expiring and revocable."),
    "grants": Entry("cpstrust.cli.identity", "grants_app",
                    "What a supplier shows another organisation: one product, or every one."),
    "image": Entry("cpstrust.cli.image", "app",
                   "Check firmware images against their signed release and SBOM."),
    "incidents": Entry("cpstrust.cli.incidents", "app",
                       "OT incidents: the same anomaly on devices of one release or supplier, "
                       "across sites, as one incident with its evidence and a ranked plan of "
                       "countermeasures."),
    "monitor": Entry("cpstrust.cli.monitor", "app",
                     "OT monitoring: decode Modbus/TCP and BACnet/IP captures, and write labelled "
                     "scenarios for training and evaluating detectors."),
}


def load_command(name: str, lang: Lang = Lang.EN) -> click.Command:
    """The click command of ``name``, its module imported now: a group of subcommands
    (even of one, as `chain load`), or the one command of a module's ``command`` app;
    its help in ``lang``."""
    entry = COMMANDS[name]
    typer_app = getattr(importlib.import_module(entry.module), entry.attribute)
    if entry.attribute == "command":
        return _in_language(typer.main.get_command(typer_app), lang)
    return _in_language(typer.main.get_group(typer_app), lang)


def _in_language(command: click.Command, lang: Lang) -> click.Command:
    """``command`` with its help in ``lang``: the command modules write it in English."""
    if lang is Lang.JA:
        from cpstrust.cli import help_ja  # only a Japanese run loads the catalogue

        help_ja.localise(command)
    return command


def _lang_option(args: Sequence[str]) -> str | None:
    """The root's ``--lang`` in ``args`` (``--lang ja`` or ``--lang=ja``), read before
    click parses them: an eager --help is rendered while they are parsed."""
    for i, arg in enumerate(args):
        if arg == "--lang":
            return args[i + 1] if i + 1 < len(args) else None
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
        if not arg.startswith("-"):
            return None  # a command's name: what follows is not the root's
    return None


class _NotLoaded:
    """Takes the place of rich's Markdown and Traceback in typer's help module: cpstrust
    renders neither (rich markup mode; pretty exceptions off), and fails loudly if a new
    typer starts to."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError("cpstrust loaded typer's help without rich.markdown and "
                           "rich.traceback, and typer asked for one of them")


def _load_help_rendering() -> None:
    """Import typer's rich help rendering before a help page, without rich.markdown and
    rich.traceback: typer.rich_utils imports both at its top (markdown_it, pygments),
    about 50 ms of the ~130 ms a ``cpstrust --help`` process took, for Markdown help
    text and pretty tracebacks, neither of which cpstrust shows. Stand-ins take their
    place while it loads and are removed after, so any later import gets the real ones."""
    if "typer.rich_utils" in sys.modules:
        return
    stand_ins = {}
    for name, attribute in (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback")):
        if name not in sys.modules:
            module = types.ModuleType(name)
            setattr(module, attribute, _NotLoaded)
            stand_ins[name] = module
    sys.modules.update(stand_ins)
    try:
        import typer.rich_utils  # noqa: F401
    finally:
        for name in stand_ins:
            del sys.modules[name]


def _shows_help(args: Sequence[str]) -> bool:
    """Whether ``args`` ask for a help page (the root's no-arguments page included). A
    guess only decides what is imported early: an error or a group's own page that it
    misses imports typer's help rendering in full, as before."""
    return not args or "--help" in args


class CpstrustGroup(TyperGroup):
    """Loads each command when it is run, and turns any cpstrust error into one line on
    stderr and exit code 2."""

    # The language of this run's help, decided once in main() before anything is parsed.
    lang: Lang = Lang.EN

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; the help is in the user's language (--lang, else
        CPSTRUST_LANG or LANG): the root now, each command when it is loaded."""
        given = sys.argv[1:] if args is None else args
        if _shows_help(given):
            _load_help_rendering()
        self.lang = detect_lang(_lang_option(given))
        _in_language(self, self.lang)
        return super().main(args, prog_name, complete_var, standalone_mode,
                            windows_expand_args, **extra)

    def list_commands(self, ctx: ClickContext) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: ClickContext, cmd_name: str) -> click.Command | None:
        """The loaded command, or, for the root's listing, a stand-in that only knows
        its one-line help: listing commands must not import them."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        stand_in = TyperCommand(cmd_name, help=entry.short_help, short_help=entry.short_help)
        return _in_language(stand_in, self.lang)

    def resolve_command(self, ctx: ClickContext, args: list[str],
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] in COMMANDS and args[0] not in self.commands:
            self.commands[args[0]] = load_command(args[0], self.lang)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except CpstrustError as exc:
            obj = ctx.obj
            if isinstance(obj, AppContext) and obj.debug:
                raise
            lang = obj.lang if isinstance(obj, AppContext) else detect_lang()
            typer.echo(f"cpstrust: {t('error', lang)}: {error_line(exc, lang)}", err=True)
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
    if debug:
        import logging  # ~5 ms: without --debug, Python's default shows warnings and errors

        logging.basicConfig(level=logging.DEBUG)
    if not debug:  # the TPM stack logs refused commands to stderr itself; we report them
        os.environ.setdefault("TSS2_LOG", "all+NONE")
    ctx.obj = AppContext(settings=Settings.from_env(), lang=detect_lang(lang), debug=debug)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """Run the command line; the console script (``cli.entry``) calls it with the
    cyclic collector already off. Typer ends every run with SystemExit."""
    try:
        app()
    except SystemExit as done:
        # Everything is written, flushed and closed by now (the store on the context's
        # close): leave without the interpreter's teardown, which spends ~0.25 s freeing a
        # large scan's objects one by one after the work is done.
        if "logging" in sys.modules:  # loaded by --debug or a library that logs: flush it
            sys.modules["logging"].shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_code(done.code))


def _exit_code(code: object) -> int:
    """What ``sys.exit(code)`` would make of it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
