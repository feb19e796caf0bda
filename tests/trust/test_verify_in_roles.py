"""The one verifier asked about several roles at once (as organisational evidence asks
for an organisation's or an assessor's): each role gets what asking for it alone gets,
whoever signed and however the signature names its key."""

from __future__ import annotations

from dataclasses import replace

import pytest
from keyfactory import NOW, make_signer, trusted

from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Envelope, EnvelopeSignature
from cpstrust.model.trust import Algorithm, Role, TrustStore
from cpstrust.trust.verify import authenticate, authenticate_in_roles, sign_envelope

ROLES = (Role.ORGANISATION, Role.ASSESSOR)
SIGNER = make_signer(Algorithm.ED25519, "signer")
OTHER = make_signer(Algorithm.ECDSA_P256, "other")


def envelope(hinted: bool = True, tampered: bool = False) -> Envelope:
    signed = sign_envelope(INTOTO_PAYLOAD_TYPE, b'{"_type": "statement"}', [SIGNER])
    if tampered:
        signed = replace(signed, payload=b'{"_type": "other"}')
    if not hinted:
        signed = replace(signed, signatures=tuple(EnvelopeSignature("", s.sig)
                                                  for s in signed.signatures))
    return signed


@pytest.mark.parametrize("keys", [
    (trusted(SIGNER, Role.ORGANISATION),),
    (trusted(SIGNER, Role.ASSESSOR),),
    (trusted(SIGNER, Role.ORGANISATION, Role.ASSESSOR),),
    (trusted(SIGNER, Role.RELEASE_SIGNER),),
    (trusted(OTHER, Role.ASSESSOR),),
    (trusted(OTHER, Role.ORGANISATION), trusted(SIGNER, Role.ASSESSOR, valid_days=-1)),
], ids=["organisation", "assessor", "both", "other-role", "unknown-key", "expired-assessor"])
@pytest.mark.parametrize("hinted", [True, False], ids=["keyid", "no-keyid"])
@pytest.mark.parametrize("tampered", [False, True], ids=["intact", "tampered"])
def test_each_role_is_answered_as_if_asked_alone(keys, hinted: bool, tampered: bool) -> None:  # type: ignore[no-untyped-def]
    store = TrustStore(version=1, issued_at=NOW, keys=keys)
    signed = envelope(hinted, tampered)
    together = authenticate_in_roles(signed, store, ROLES, NOW)
    assert together == [authenticate(signed, store, role, NOW) for role in ROLES]


def test_an_unsigned_envelope_is_refused_in_every_role() -> None:
    store = TrustStore(version=1, issued_at=NOW, keys=(trusted(SIGNER, Role.ASSESSOR),))
    unsigned = replace(envelope(), signatures=())
    assert authenticate_in_roles(unsigned, store, ROLES, NOW) == [
        authenticate(unsigned, store, role, NOW) for role in ROLES]
