"""A key named twice in one object or mapping is refused by every security-relevant
reader, with the key and its place named: orjson, Python's json and PyYAML keep the last
value in silence, while other readers keep the first (a parser differential)."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from cpstrust.errors import InputError
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.formats.osv import read_osv
from cpstrust.formats.supplychain import read_supply_chain
from cpstrust.formats.truststore import TRUST_STORE_TYPE, read_trust_store

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


@pytest.mark.parametrize(
    ("document", "key", "location"),
    [
        (b'{"subject": 1, "subject": 2}', "subject", "/"),
        (b'{"a": {"b": [0, {"x": 1, "y": 2, "x": 3}]}}', "x", "/a/b/1"),
        (b'{"predicate": {"buildDefinition": {"k": 1, "k": 1}}}', "k",
         "/predicate/buildDefinition"),
        (b'{"a": 1, "\\u0061": 2}', "a", "/"),  # the same key, spelt with an escape
        (b'{"a/b~c": {"k": 1, "k": 2}}', "k", "/a~1b~0c"),  # RFC 6901 escaping
        (b'\xef\xbb\xbf{"k": 1, "k": 2}', "k", "/"),
    ],
)
def test_strict_json_refuses_a_duplicate_key_naming_it_and_its_object(
    document: bytes, key: str, location: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_json_strict(document, "doc.json")
    assert caught.value.problem == f'duplicate key "{key}"'
    assert caught.value.location == location
    assert caught.value.source == "doc.json"


def test_strict_json_names_the_first_duplicate_in_document_order() -> None:
    document = b'{"outer": {"a": 1, "a": 2}, "inner": {"b": {"c": 1, "c": 2}}}'
    with pytest.raises(InputError) as caught:
        parse_json_strict(document, "doc.json")
    assert (caught.value.problem, caught.value.location) == ('duplicate key "a"', "/outer")


def test_strict_json_refuses_a_duplicate_in_orjson_own_layouts() -> None:
    # Text as our writers lay it out, but for the repeated key: the fast path must not
    # take it for a document orjson wrote.
    compact = orjson.dumps({"a": 1, "b": 2}).replace(b'"b"', b'"a"')
    indented = orjson.dumps({"a": 1, "b": 2}, option=orjson.OPT_INDENT_2).replace(b'"b"', b'"a"')
    for document in (compact, indented, indented + b"\n"):
        with pytest.raises(InputError, match='duplicate key "a"'):
            parse_json_strict(document, "doc.json")


@pytest.mark.parametrize(
    "document",
    [
        orjson.dumps({"a": [1, {"b": "c"}], "d": None}),
        orjson.dumps({"a": [1, {"b": "c"}], "d": None}, option=orjson.OPT_INDENT_2) + b"\n",
        json.dumps({"a": [1, {"b": "c"}], "d": None, "é": "\u2028"}).encode(),
        b'  {"a" : 1 , "b" : {"a": 1}}  ',
        b'{"a": 1, "A": 2, "a ": 3}',
    ],
)
def test_strict_json_reads_documents_without_a_duplicate_in_any_layout(document: bytes) -> None:
    assert parse_json_strict(document, "doc.json") == json.loads(document)


def test_strict_json_survives_nesting_as_deep_as_orjson_reads() -> None:
    # Python's json recurses in C: Python 3.11 stops short of orjson's 1,024 levels,
    # later versions may not; either way the answer is a document or an InputError.
    deep = b" " + b"[" * 1020 + b"]" * 1020  # not orjson's layout: json checks it
    try:
        assert parse_json_strict(deep, "deep.json") == orjson.loads(deep)
    except InputError as exc:
        assert (exc.source, exc.problem) == ("deep.json", "nesting is too deep to parse")


def test_strict_json_keeps_the_messages_of_malformed_json() -> None:
    with pytest.raises(InputError, match="the document ends too early") as caught:
        parse_json_strict(b'{"a": [1, 2', "cut.json")
    assert caught.value.location == "line 1 column 12"


def test_trust_store_naming_keys_twice_is_refused() -> None:
    document = (b'{"_type": "%s", "version": 2, "issued_at": "2026-11-23T12:00:00+00:00", '
                b'"keys": [], "keys": []}' % TRUST_STORE_TYPE.encode())
    with pytest.raises(InputError) as caught:
        read_trust_store(document, "store.json")
    assert caught.value.diagnostics() == 'store.json: at /: duplicate key "keys"'


def test_yaml_advisory_naming_its_id_twice_is_refused() -> None:
    path = BAD / "osv" / "duplicate_key.yaml"
    with pytest.raises(InputError) as caught:
        read_osv(path.read_bytes(), source=path.name, yaml=True)
    assert caught.value.problem == 'duplicate key "id"'
    assert caught.value.location == "line 3 column 1"


def test_supply_chain_naming_an_organisation_twice_in_one_mapping_is_refused() -> None:
    path = BAD / "supplychain" / "duplicate-name.yaml"
    with pytest.raises(InputError) as caught:
        read_supply_chain(path.read_bytes(), source=path.name)
    assert caught.value.source == "duplicate-name.yaml"
    assert caught.value.location == "line 3 column 5"
    assert 'duplicate key "name"' in caught.value.problem


def test_yaml_keys_spelt_alike_in_two_styles_are_one_key() -> None:
    with pytest.raises(InputError, match='duplicate key "name"'):
        read_supply_chain(b"organizations:\n  - name: A\n    'name': B\n", source="c.yaml")


def test_yaml_alias_refusal_does_not_speak_of_advisories_in_a_supply_chain() -> None:
    with pytest.raises(InputError) as caught:
        read_supply_chain(b"organizations: &o [{name: A}]\nsites: *o\n", source="c.yaml")
    assert "YAML aliases are not allowed" in caught.value.problem
    assert "advisor" not in caught.value.problem
