"""`cpstrust update check`: fetch an update from a server that may be compromised and
accept it only if it is signed, in scope, unrevoked and not a rollback."""

from __future__ import annotations

import tempfile
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.cli.trust import EXIT_REFUSED, report_refusal
from cpstrust.errors import CpstrustError, InputError
from cpstrust.formats.dsse import DEFAULT_ENVELOPE_LIMITS, read_envelope
from cpstrust.formats.files import sha256_file
from cpstrust.model.trust import Refused
from cpstrust.store.trust import current_trust_store
from cpstrust.trust.update import check_update
from cpstrust.vulndb.fetch import check_url_scheme, default_opener

app = typer.Typer(help="Check updates against the trust store before installing them.",
                  no_args_is_help=True)

CHUNK = 1 << 20


@app.command("check")
def check(
    ctx: typer.Context,
    server: Annotated[str, typer.Option(
        help="Update server base URL; the release is at BASE/PRODUCT/release.json and each "
        "artifact at BASE/PRODUCT/NAME.")],
    product: Annotated[str, typer.Option(help="Installed product.")],
    installed: Annotated[str, typer.Option(help="Installed version.")],
    download: Annotated[Path | None, typer.Option(
        help="Keep verified artifacts here (default: a temporary directory).",
        file_okay=False)] = None,
    allow_http: Annotated[bool, typer.Option(
        help="Allow plain HTTP (a mirror on a trusted local network).")] = False,
    max_artifact_bytes: Annotated[int, typer.Option(help="Refuse larger artifacts.")] = 4 << 30,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Fetch the release from SERVER, verify it offline against the trust store, then
    download each artifact and check it against the signed digest.

    Exit 0 accepted, 1 refused (wrong signer, out of scope, revoked or expired key,
    tampered artifact, older version), 2 unreachable server or unreadable input.
    """
    app = app_context(ctx)
    base = server.rstrip("/") + "/" + urllib.parse.quote(product) + "/"
    check_url_scheme(base, allow_insecure_http=allow_http)
    opener = default_opener(allow_insecure_http=allow_http)
    envelope_url = base + "release.json"
    envelope = read_envelope(_fetch(opener, envelope_url, DEFAULT_ENVELOPE_LIMITS.max_bytes),
                             envelope_url)
    with app.store.transaction() as session:
        store = current_trust_store(session)
    now = datetime.now(UTC)
    # First the signature and version, so nothing is downloaded from an impostor.
    outcome = check_update(envelope, store, product=product, installed=installed, at=now,
                           source=envelope_url)
    if not isinstance(outcome, Refused):
        target = download or Path(tempfile.mkdtemp(prefix="cpstrust-update-"))
        fetched = {s.name: _download(opener, base, s.name, target, max_artifact_bytes)
                   for s in outcome.release.statement.subjects}
        digests = {name: sha256_file(path) for name, path in fetched.items()}
        outcome = check_update(envelope, store, product=product, installed=installed, at=now,
                               artifacts=digests, source=envelope_url)
        if isinstance(outcome, Refused):  # never leave a tampered artifact to be installed
            for path in fetched.values():
                path.unlink(missing_ok=True)
    if isinstance(outcome, Refused):
        report_refusal(app, outcome, output)
        raise typer.Exit(EXIT_REFUSED)
    if output is OutputFormat.JSON:
        print_json({"accepted": True, "product": product, "installed": installed,
                    "offered": outcome.offered, "directory": str(target),
                    "artifacts": sorted(digests),
                    "signers": [k.keyid for k in outcome.release.signers]})
    else:
        app.console.print(t("update_accepted", app.lang, product=product,
                            offered=outcome.offered, installed=installed, directory=target))


def _fetch(opener: urllib.request.OpenerDirector, url: str, limit: int) -> bytes:
    try:
        with opener.open(url, timeout=60) as response:
            data: bytes = response.read(limit + 1)
    except OSError as exc:
        raise CpstrustError(f"cannot fetch: {exc}", source=url) from exc
    if len(data) > limit:
        raise InputError(f"larger than {limit} bytes", source=url)
    return data


def _download(
    opener: urllib.request.OpenerDirector, base: str, name: str, target: Path, limit: int
) -> Path:
    """Stream one artifact into ``target``; subject names may not climb out of it."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise InputError(f"unsafe artifact name {name!r}", source=base)
    path = target.joinpath(*relative.parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    url = base + urllib.parse.quote(name)
    size = 0
    try:
        with opener.open(url, timeout=60) as response, path.open("wb") as out:
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InputError(f"artifact larger than {limit} bytes", source=url)
                out.write(chunk)
    except OSError as exc:
        raise CpstrustError(f"cannot fetch: {exc}", source=url) from exc
    return path

