"""The bundled demo as use cases, on SQLite and PostgreSQL: loading it again changes
nothing, and its chain of trust is shown without trusting a key on the user's behalf."""

from __future__ import annotations

from datetime import UTC, datetime

from installations import row_counts

from cpstrust.app import truststore
from cpstrust.app.demo import chain_of_trust_demo, load_demo
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


def test_the_chain_of_trust_demo_trusts_no_key_on_the_user_s_behalf(services: Services) -> None:
    load_demo(services, NOW)
    shown = chain_of_trust_demo()
    assert shown.release.product == "SS-SensorHub"
    assert shown.genuine.verdict is ImageVerdict.GENUINE
    assert {(f.kind, f.path) for f in shown.tampered.findings} == {
        (FindingKind.MODIFIED, "bin/uplink"), (FindingKind.UNLISTED, "bin/.cache/miner")}
    assert truststore.current(services).version == 0
