"""DSSE envelopes: the PAE of the spec, strict reading, limits."""

from __future__ import annotations

import base64
import json

import pytest

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.dsse import EnvelopeLimits, pae, read_envelope, write_envelope
from cpstrust.model.evidence import Envelope, EnvelopeSignature


def test_pae_matches_the_dsse_specification_example() -> None:
    # protocol.md of secure-systems-lab/dsse
    assert pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_pae_counts_bytes_not_characters() -> None:
    assert pae("t", "ä".encode()) == b"DSSEv1 1 t 2 \xc3\xa4"


def test_envelope_round_trips() -> None:
    envelope = Envelope("application/vnd.in-toto+json", b'{"a":1}',
                        (EnvelopeSignature("abc", b"\x01\x02"),))
    assert read_envelope(write_envelope(envelope)) == envelope


def test_url_safe_unpadded_base64_is_read() -> None:
    payload = b"\xfb\xff\xfe"
    data = json.dumps({"payloadType": "t", "payload": base64.urlsafe_b64encode(payload)
                       .decode().rstrip("="), "signatures": [{"sig": "AQ"}]})
    envelope = read_envelope(data.encode())
    assert envelope.payload == payload
    assert envelope.signatures[0].keyid == ""


@pytest.mark.parametrize(
    ("document", "message", "location"),
    [
        ("[]", "JSON object", None),
        ('{"payload": "", "signatures": []}', "'payloadType' is missing", "/payloadType"),
        ('{"payloadType": "t", "payload": "%%%", "signatures": []}', "invalid base64",
         "/payload"),
        ('{"payloadType": "t", "payload": "", "signatures": {}}', "'signatures'", "/signatures"),
        ('{"payloadType": "t", "payload": "", "signatures": [{"keyid": "k"}]}',
         "missing signature", "/signatures/0/sig"),
        ('{"payloadType": "t", "payload": "", "signatures": [{"sig": "AA==", "keyid": 5}]}',
         "keyid", "/signatures/0/keyid"),
        ('{"payloadType": "t", "payload": "", "signatures": [', "malformed JSON",
         "line 1 column 52"),
    ],
)
def test_malformed_envelope_is_refused_with_its_place(
    document: str, message: str, location: str | None
) -> None:
    with pytest.raises(InputError) as caught:
        read_envelope(document.encode(), "env.json")
    assert message in caught.value.problem
    assert caught.value.location == location
    assert caught.value.source == "env.json"


def test_oversized_envelope_is_refused_before_parsing() -> None:
    with pytest.raises(LimitExceededError, match="exceeds the limit"):
        read_envelope(b" " * 101, limits=EnvelopeLimits(max_bytes=100))


def test_too_many_signatures_are_refused() -> None:
    document = {"payloadType": "t", "payload": "", "signatures": [{"sig": "AA=="}] * 17}
    with pytest.raises(LimitExceededError, match="17 signatures"):
        read_envelope(json.dumps(document).encode())
