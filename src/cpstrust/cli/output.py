"""Shared rendering and arguments: severities, finding rows, --fail-on gating, the SBOM
file argument, warnings of purls that disagree with their components."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cpstrust.cli.context import AppContext
from cpstrust.cli.i18n import t
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import VulnerabilityMatch
from cpstrust.model.sbom import PurlDisagreement

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.NONE: "dim",
    Severity.UNKNOWN: "dim",
}


class ReportFormat(StrEnum):
    """Reports CI systems and code hosts also read as SARIF 2.1.0."""

    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"


class FailOn(StrEnum):
    ANY = "any"  # every finding, those of no or unknown severity too
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def severity(self) -> Severity:
        return Severity.UNKNOWN if self is FailOn.ANY else Severity[self.name]


FAIL_ON_HELP = (
    "Exit with code 1 when a finding has this severity or worse (for CI gating; any: every "
    "finding); a vulnerability whose version could not be compared counts too."
)


# The SBOM a command reads (sbom check).
SbomFile = Annotated[Path, typer.Argument(
    help="SBOM file (CycloneDX JSON/XML, SPDX JSON/tag-value).", exists=True, dir_okay=False)]


def styled(severity: Severity) -> str:
    return f"[{SEVERITY_STYLE[severity]}]{severity.label}[/]"


# Severity.label is an enum property (name, lowered): looked up here instead, since a
# report of a large scan asks for it twice per finding, tens of thousands of times.
SEVERITY_LABEL = {s: s.label for s in Severity}


def match_json(m: VulnerabilityMatch) -> dict[str, Any]:
    """A finding as JSON reports give it. Tuples and the status (a str enum) are left to
    orjson, which writes them as arrays and strings without a copy. The match is
    unpacked as the tuple it is: a named field read costs a descriptor lookup, eleven
    per finding (~10 ms for a report of 25,000)."""
    (component_ref, purl, name, version, ecosystem, vulnerability_id, aliases, severity,
     fixed_versions, summary, status) = m
    return {
        "purl": purl,
        "name": name,
        "version": version,
        "ecosystem": ecosystem,
        "component_ref": component_ref,
        "vulnerability_id": vulnerability_id,
        "aliases": aliases,
        "severity": SEVERITY_LABEL[severity],
        "fixed_versions": fixed_versions,
        "summary": summary,
        "status": status,
    }


def write_report(app: AppContext, data: bytes, out: Path | None, written: str,
                 **fields: object) -> None:
    """A report's bytes to standard output, or whole to ``out`` (``formats.files``: no
    half-written file) with the message ``written`` (given ``path`` and ``fields``) on
    standard error."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from rich.markup import escape  # rich: only when something is printed through it

    from cpstrust.formats.files import write_whole

    write_whole(out, data)
    app.err.print(escape(t(written, app.lang, path=str(out), **fields)))


_WARNED_AT_MOST = 10  # disagreements named on the terminal; JSON lists them all


def warn_of_disagreements(app: AppContext, disagreements: Sequence[PurlDisagreement]) -> None:
    """On stderr, whatever the format: the purl wins, and the user must know it did."""
    if not disagreements:
        return
    from rich.markup import escape  # rich: only when something is printed through it

    for d in disagreements[:_WARNED_AT_MOST]:
        app.err.print(escape(t("purl_disagrees", app.lang, name=d.name, ref=d.ref,
                               field=t(f"field_{d.field.value}", app.lang),
                               component_value=d.component_value, purl=d.purl,
                               purl_value=d.purl_value)), style="yellow")
    if len(disagreements) > _WARNED_AT_MOST:
        app.err.print(t("purl_disagrees_more", app.lang,
                        n=len(disagreements) - _WARNED_AT_MOST), style="yellow")


def gate(severities: Iterable[Severity], fail_on: FailOn | None) -> int:
    """How many findings reach the --fail-on level (0 when no level was given)."""
    if fail_on is None:
        return 0
    return sum(1 for s in severities if s >= fail_on.severity)
