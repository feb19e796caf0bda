"""The bundled demo as use cases, on SQLite and PostgreSQL: loading it again changes
nothing, its chain of trust shows a genuine and a tampered firmware, and the keys it
trusts are its own, marked and scoped, made in memory."""

from __future__ import annotations

from datetime import UTC, datetime

from installations import row_counts

from cpstrust.app import truststore
from cpstrust.app.demo import chain_of_trust_demo, load_demo
from cpstrust.app.demo_trust import DEMO_KEY
from cpstrust.app.findings import portfolio
from cpstrust.app.services import Services
from cpstrust.model.authenticity import FindingKind, ImageVerdict
from cpstrust.store.tables import (
    AdvisoryRow,
    ComponentRow,
    DeviceRow,
    FindingRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
)

NOW = datetime.now(UTC)

LOADED = (AdvisoryRow, OrganizationRow, ProductRow, ReleaseRow, DeviceRow, SbomDocumentRow,
          ComponentRow, FindingRow)


def test_loading_the_demo_again_changes_nothing(services: Services) -> None:
    load_demo(services, NOW)
    counts, report = row_counts(services.store, *LOADED), portfolio(services)
    again = load_demo(services, NOW)
    assert (again.advisories.result.added, again.advisories.result.updated) == (0, 0)
    assert row_counts(services.store, *LOADED) == counts
    assert portfolio(services) == report


def test_the_chain_of_trust_demo_shows_the_firmware_genuine_and_its_copy_tampered(
        services: Services) -> None:
    load_demo(services, NOW)
    shown = chain_of_trust_demo()
    assert shown.release.product == "SS-SensorHub"
    assert shown.genuine.verdict is ImageVerdict.GENUINE
    assert {(f.kind, f.path) for f in shown.tampered.findings} == {
        (FindingKind.MODIFIED, "bin/uplink"), (FindingKind.UNLISTED, "bin/.cache/miner")}


def test_the_demo_trusts_only_keys_it_marks_and_scopes_and_keeps_no_private_key(
        services: Services) -> None:
    seeded = load_demo(services, NOW).trust
    assert seeded.seeded and seeded.evidence == 6 and seeded.attestations == 2
    keys = truststore.current(services).keys
    assert len({k.keyid for k in keys}) == 7
    assert all((k.comment or "").startswith(DEMO_KEY) and k.scopes for k in keys)
    assert services.keyring.list() == []  # signed with keys held in memory only
    again = load_demo(services, NOW).trust
    assert not again.seeded
    assert truststore.current(services).keys == keys
