"""`cpstrust evidence` between two installations (separate CPSTRUST_HOME directories):
the supplier signs and exports, the buyer verifies and imports offline; exit codes 0/1/2
and each bad bundle named by file and place."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from clirun import Home, ok, row_count, run

from cpstrust.store.tables import EvidenceRow

ORG = "Hokuriku Controls"
VEX = Path(__file__).resolve().parents[1] / "data" / "vex" / "gateway.openvex.json"

@pytest.fixture
def bundle(home: Home) -> Path:
    """The supplier's bundle: a ★3 declaration and a VEX delivery, and its key's PEM."""
    home("supplier")
    ok("keys", "create", "org")
    Path("org.pem").write_text(ok("keys", "export-public", "org"))
    ok("evidence", "sign", "star-declaration", "--org", ORG, "--level", "3", "--key", "org")
    ok("evidence", "sign", "vex-delivery", "--org", ORG, "--document", str(VEX),
       "--product", "HC-Gateway", "--key", "org")
    ok("evidence", "export", "--org", ORG, "--out", "supplier.bundle.json")
    return Path("supplier.bundle.json")


def report(*args: str) -> tuple[int, dict[str, object]]:
    code, out, _ = run(*args, "--format", "json")
    return code, json.loads(out)


def test_round_trip_supplier_export_buyer_verify_and_import_offline(
    bundle: Path, home: Home,
) -> None:
    home("buyer")
    code, untrusted = report("evidence", "verify", str(bundle))
    assert code == 1
    assert [e["verdict"] for e in untrusted["envelopes"]] == ["untrusted-signer"] * 2  # type: ignore[index]
    assert untrusted["offered_keys"][0]["trusted_roles"] == []  # type: ignore[index]
    ok("trust", "add-key", "org.pem", "--role", "organisation", "--scope", ORG)
    code, verified = report("evidence", "verify", str(bundle))
    assert code == 0 and verified["accepted"] == 2
    code, imported = report("evidence", "import", str(bundle))
    assert code == 0 and len(imported["stored"]) == 2  # type: ignore[arg-type]
    listed = json.loads(ok("evidence", "list", "--org", ORG, "--format", "json"))
    assert [(e["kind"], e["verdict"]) for e in listed] == [
        ("star-declaration", "accepted"), ("vex-delivery", "accepted")]
    assert listed[0]["star_level"] == 3 and listed[1]["subject"] == VEX.name
    code, held = report("evidence", "verify", str(listed[0]["id"]))
    assert code == 0 and held["envelopes"][0]["verdict"] == "accepted"  # type: ignore[index]
    assert "受理" in ok("--lang", "ja", "evidence", "list")


def test_key_trusted_in_the_wrong_role_is_refused_and_nothing_kept(
    bundle: Path, home: Home,
) -> None:
    buyer = home("buyer")
    ok("trust", "add-key", "org.pem", "--role", "assessor")
    code, out, _ = run("evidence", "import", str(bundle))
    assert code == 1
    assert "wrong-role" in out and "organisation" in out
    assert row_count(buyer, EvidenceRow) == 0


def test_tampered_payload_in_the_bundle_is_a_bad_signature(bundle: Path, home: Home) -> None:
    document = json.loads(bundle.read_text())
    payload = base64.b64decode(document["envelopes"][0]["payload"])
    document["envelopes"][0]["payload"] = base64.b64encode(
        payload.replace(b'"starLevel":3', b'"starLevel":5')).decode()
    bundle.write_text(json.dumps(document))
    home("buyer")
    ok("trust", "add-key", "org.pem", "--role", "organisation")
    code, checked = report("evidence", "import", str(bundle))
    assert code == 1
    assert [e["verdict"] for e in checked["envelopes"]] == ["bad-signature", "accepted"]  # type: ignore[index]


@pytest.mark.parametrize(("damage", "said"), [
    (lambda data: data[: len(data) // 3], "line "),
    (lambda data: data.replace(b'"_type"', b'"envelopes": [],\n  "_type"', 1), "envelopes"),
], ids=["truncated", "duplicate-key"])
def test_malformed_bundle_is_refused_whole_naming_file_and_place(
    bundle: Path, home: Home, damage: Callable[[bytes], bytes], said: str,
) -> None:
    bundle.write_bytes(damage(bundle.read_bytes()))
    buyer = home("buyer")
    ok("trust", "add-key", "org.pem", "--role", "organisation")
    code, _, err = run("evidence", "import", str(bundle))
    assert code == 2
    assert str(bundle) in err and said in err
    assert row_count(buyer, EvidenceRow) == 0


def test_oversize_bundle_is_refused_before_it_is_read(home: Home) -> None:
    home("buyer")
    huge = Path("huge.bundle.json")
    with huge.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: no 65 MiB written
    code, _, err = run("evidence", "verify", str(huge))
    assert code == 2
    assert "huge.bundle.json" in err and "limit" in err


def test_self_declared_star4_is_refused_at_signing(home: Home) -> None:
    home("supplier")
    ok("keys", "create", "org")
    code, _, err = run("evidence", "sign", "star-declaration", "--org", ORG, "--level", "4",
                       "--key", "org")
    assert code == 2 and "assessor" in err
