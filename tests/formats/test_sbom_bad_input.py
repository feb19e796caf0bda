"""Hostile and broken SBOMs: each is refused with the file, the place and the problem."""

from __future__ import annotations

import codecs
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.sbom import read_sbom, read_sbom_file
from cpstrust.limits import ReadLimits
from cpstrust.messages import Lang, catalogue

BAD = Path(__file__).resolve().parent.parent / "data" / "bad" / "sbom"
SMALL_STRINGS = ReadLimits(max_string=1000)


def refusal(name: str, limits: ReadLimits = ReadLimits()) -> InputError:
    path = BAD / name
    with pytest.raises(InputError) as caught:
        read_sbom_file(path, limits)
    error = caught.value
    assert error.source == str(path)
    assert error.diagnostics().startswith(f"{path}: at {error.location}: ")
    assert error.code in catalogue()  # a coded message, said in Japanese too
    assert error.diagnostics(Lang.JA) != error.diagnostics()
    return error


@pytest.mark.parametrize(
    ("name", "location", "problem"),
    [
        (
            "malformed.json",
            "line 1 column 65",
            "malformed JSON: unexpected character, expected a JSON value",
        ),
        (
            "truncated.json",
            "line 6 column 45",
            "malformed JSON, the document ends too early (truncated?): unexpected end of data",
        ),
        (
            "empty.json",
            "line 1",
            "empty file: expected CycloneDX JSON or XML, SPDX 2 JSON or tag-value, or SPDX 3 "
            "JSON-LD",
        ),
        (
            "blank.json",
            "line 1",
            "empty file: expected CycloneDX JSON or XML, SPDX 2 JSON or tag-value, or SPDX 3 "
            "JSON-LD",
        ),
        (
            "wrong-top-level.json",
            "/",
            "the top level is an array, expected an object: expected "
            "CycloneDX JSON or XML, SPDX 2 JSON or tag-value, or SPDX 3 JSON-LD",
        ),
        (
            "not-an-sbom.json",
            "/",
            "not an SBOM: a JSON object without 'bomFormat' (CycloneDX), 'spdxVersion' "
            "(SPDX 2) or '@context' (SPDX 3 JSON-LD)",
        ),
        (
            "not-an-sbom.txt",
            "line 1",
            "not an SBOM: expected CycloneDX JSON or XML, SPDX 2 JSON or tag-value, or SPDX 3 "
            "JSON-LD",
        ),
        (
            "not-cyclonedx.xml",
            "line 2",
            "not a CycloneDX XML document: root element is 'html', "
            "expected 'bom' in namespace http://cyclonedx.org/schema/bom/1.x",
        ),
        (
            "malformed.xml",
            "line 4",
            "malformed XML: Opening and ending tag mismatch: components "
            "line 3 and bom, line 4, column 7",
        ),
        (
            "unknown-spec-version.json",
            "/specVersion",
            "unsupported CycloneDX spec version '9.9' "
            "(supported in JSON: 1.2, 1.3, 1.4, 1.5, 1.6, 1.7)",
        ),
        (
            "unknown-spec-version.xml",
            "line 2",
            "unsupported CycloneDX spec version '1.0' "
            "(supported in XML: 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7)",
        ),
        (
            "unknown-spec-version.spdx.json",
            "/spdxVersion",
            "unsupported SPDX spec version 'SPDX-9.9' (supported: SPDX-2.2, SPDX-2.3)",
        ),
        (
            "invalid-purl.json",
            "/components/1/purl",
            "component 'broken' has an invalid package URL "
            "'pkg:9pypi/broken@2.0': purl type cannot start with a number: '9pypi'.",
        ),
        (
            "invalid-purl.xml",
            "line 4",
            "component 'broken' has an invalid package URL "
            "'pkg:/broken@2.0': purl is missing the required type component: 'pkg:/broken@2.0'.",
        ),
        (
            "schema-invalid.json",
            "/components/1/hashes/0/alg",
            "does not match the CycloneDX 1.5 "
            'JSON schema: "SHA-999" is not one of "MD5", "SHA-1" or 10 other candidates',
        ),
        (
            "bad-tagvalue.spdx",
            "line 7",
            "not a valid SPDX tag-value document: Error while parsing "
            "CreationInfo: ['Error while parsing Created: Token did not match specified grammar "
            "rule. Line: 7']",
        ),
        (
            "dangling-relationship.spdx.json",
            "/relationships/1",
            "SPDX validation failed: did not "
            'find the referenced spdx_id "SPDXRef-missing" in the SPDX document',
        ),
        ("wrong-types.spdx.json", "/packages", "expected an array, found a number"),
        ("not-utf8.spdx", "line 3", "tag-value document is not UTF-8 text"),
    ],
)
def test_refuses_broken_document_naming_place_and_problem(
    name: str, location: str, problem: str
) -> None:
    error = refusal(name)
    assert (error.location, error.problem) == (location, problem)


def test_refusal_is_told_in_japanese_with_the_same_file_and_place() -> None:
    error = refusal("wrong-top-level.json")
    assert error.diagnostics(Lang.JA) == (
        f"{BAD / 'wrong-top-level.json'}: /: 最上位が配列ですが、オブジェクトが必要です: "
        "CycloneDX(JSON または XML)、SPDX 2(JSON またはタグ値形式)か SPDX 3(JSON-LD)"
        "が必要です")


def test_rejects_schema_invalid_xml_with_line_and_schema_message() -> None:
    error = refusal("schema-invalid.xml")
    assert error.location == "line 4"
    assert error.problem.startswith(
        "does not match the CycloneDX 1.4 XML schema: Element "
        "'{http://cyclonedx.org/schema/bom/1.4}component', "
        "attribute 'type': [facet 'enumeration'] The value 'banana'"
    )


def test_rejects_billion_laughs_xml() -> None:
    error = refusal("billion-laughs.xml")
    assert error.location == "line 2"
    assert error.problem.startswith(
        "XML document type declarations (DTD) and entity declarations are not allowed"
    )


def test_rejects_xxe_external_entity_without_reading_it() -> None:
    error = refusal("xxe.xml")
    assert error.location == "line 2"
    assert "DTD" in error.problem
    assert "root:" not in error.diagnostics()  # nothing of /etc/passwd leaks into the message


def test_rejects_dtd_hidden_by_utf16_encoding() -> None:
    # The byte-level prolog scan cannot see a UTF-16 DTD; the parsed document's doctype can.
    text = (
        (BAD / "xxe.xml")
        .read_text()
        .replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    )
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    with pytest.raises(InputError, match="document type declarations"):
        read_sbom(data, source="utf16.xml")


def test_refuses_oversized_file_before_reading_it() -> None:
    path = BAD / "valid-small.cdx.json"
    with pytest.raises(LimitExceededError) as caught:
        read_sbom_file(path, ReadLimits(max_bytes=100))
    assert caught.value.diagnostics() == (
        f"{path}: file is {path.stat().st_size} bytes, over the 100 byte limit"
    )


def test_refuses_oversized_bytes() -> None:
    data = (BAD / "valid-small.cdx.json").read_bytes()
    with pytest.raises(LimitExceededError, match=r"^mem: document is \d+ bytes, over the 100 byte"):
        read_sbom(data, source="mem", limits=ReadLimits(max_bytes=100))


def test_refuses_raw_json_nesting_past_max_depth() -> None:
    error = refusal("deep-nesting.json")
    assert isinstance(error, LimitExceededError)
    assert error.problem == "nesting is deeper than 64 levels"
    assert error.location == "/x-extension" + "/0" * 63


def test_refuses_nested_components_past_max_depth() -> None:
    error = refusal("deep-components.json")
    assert isinstance(error, LimitExceededError)
    assert error.problem == "nesting is deeper than 64 levels"
    assert error.location == "/components/0" * 32


def test_refuses_nested_xml_components_past_max_depth() -> None:
    inner = "<component type='library'><name>leaf</name></component>"
    for _ in range(40):
        inner = (
            f"<component type='library'><name>n</name><components>{inner}</components></component>"
        )
    data = (
        f"<bom xmlns='http://cyclonedx.org/schema/bom/1.4'>\n<components>{inner}</components></bom>"
    )
    with pytest.raises(
        LimitExceededError, match=r"^deep\.xml: at line 2: nesting is deeper than 64"
    ):
        read_sbom(data.encode(), source="deep.xml")


def test_refuses_huge_string() -> None:
    error = refusal("huge-string.json", SMALL_STRINGS)
    assert isinstance(error, LimitExceededError)
    assert (error.location, error.problem) == (
        "/components/0/name",
        "a string of 5000 characters is longer than the 1000 limit",
    )


def test_refuses_huge_xml_text() -> None:
    data = (
        "<bom xmlns='http://cyclonedx.org/schema/bom/1.4'><components>\n"
        f"<component type='library'><name>{'x' * 2000}</name></component>"
        "</components></bom>"
    ).encode()
    with pytest.raises(
        LimitExceededError, match=r"^big\.xml: at line 2: a text or attribute is longer"
    ):
        read_sbom(data, source="big.xml", limits=SMALL_STRINGS)


def test_refuses_more_components_than_the_limit() -> None:
    with pytest.raises(LimitExceededError) as caught:
        read_sbom_file(BAD / "deep-components.json", ReadLimits(max_components=5, max_depth=200))
    assert (caught.value.location, caught.value.problem) == (
        "/components/0" * 5 + "/components/0",
        "more than 5 components",
    )


def test_unreadable_path_is_an_input_error() -> None:
    missing = BAD / "no-such-file.json"
    # What follows is the system's description of the error, in its words and language.
    with pytest.raises(InputError, match=r"no-such-file.json: cannot read the file: \S"):
        read_sbom_file(missing)


_VALID = [
    (BAD / "valid-small.cdx.json").read_bytes(),
    (BAD / "invalid-purl.xml").read_bytes().replace(b"pkg:/broken", b"pkg:npm/broken"),
    (BAD / "bad-tagvalue.spdx").read_bytes().replace(b"not-a-date", b"2024-01-01T00:00:00Z"),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_VALID),
    st.integers(min_value=0),
    st.binary(max_size=8),
    st.integers(min_value=0, max_value=3),
)
def test_mangled_documents_raise_only_input_errors(
    document: bytes, at: int, junk: bytes, how: int
) -> None:
    at %= len(document) + 1
    mangled = [
        document[:at],
        document[:at] + junk + document[at:],
        document[:at] + junk + document[at + len(junk) :],
        junk * 50,
    ][how]
    try:
        read_sbom(mangled, source="fuzz")
    except InputError as error:
        assert error.source == "fuzz"
        assert error.problem
        assert error.code in catalogue()


@pytest.mark.timeout(10)  # a backtracking pattern would run for hours on these
@pytest.mark.parametrize(
    "data",
    [
        b"\n" * 300_000 + b"!",
        b" \n" * 300_000 + b"x",
        b"# comment\n" * 100_000 + b"\n" * 100_000 + b"?",
    ],
)
def test_format_detection_stays_linear_on_long_blank_runs(data: bytes) -> None:
    with pytest.raises(InputError, match="not an SBOM"):
        read_sbom(data, source="blank-runs")


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "purl",
    [
        "pkg:npm/" + "a" * 500_000 + "!",
        "pkg:npm/" + "a/" * 250_000 + "!",
        "pkg:npm/x@" + "1" * 500_000 + " ",
    ],
)
def test_purl_check_stays_linear_on_long_purls_outside_the_fast_subset(purl: str) -> None:
    # packageurl-python accepts these; the point is that the regex gives up quickly.
    document = (
        '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": '
        f'[{{"type": "library", "name": "x", "purl": "{purl}"}}]}}'
    ).encode()
    assert read_sbom(document, source="purl").components[0].purl == purl


def test_refuses_cyclonedx_nested_to_orjsons_own_limit_without_crashing() -> None:
    # 1,000 levels: orjson parses it, so the schema walk is what refuses it.
    document = b'{"bomFormat":"CycloneDX","specVersion":"1.5","x":' + b"[" * 1000 + b"]" * 1000
    with pytest.raises(LimitExceededError) as caught:
        read_sbom(document + b"}", source="deep")
    assert caught.value.problem == "nesting is deeper than 64 levels"
    assert caught.value.location == "/x" + "/0" * 63


def test_refuses_json_nested_past_orjsons_limit_as_too_deep() -> None:
    document = b'{"bomFormat":"CycloneDX","x":' + b"[" * 5000 + b"]" * 5000 + b"}"
    with pytest.raises(InputError, match="nesting is too deep to parse"):
        read_sbom(document, source="deeper")


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=40,
)


@settings(max_examples=200, deadline=None)
@given(_JSON_VALUES)
def test_cyclonedx_values_we_never_read_are_not_walked(value: object) -> None:
    # 1.2 allows any value under an extension property; we never read it, so neither its
    # nesting nor its strings count against the limits (the byte limit bounds them).
    limits = ReadLimits(max_depth=3, max_string=len("CycloneDX"))
    document = {"bomFormat": "CycloneDX", "specVersion": "1.2", "version": 1, "x-ext": value}
    assert read_sbom(orjson.dumps(document), source="generated", limits=limits).components == ()


_KEPT_FIELDS = ("name", "version", "purl", "group", "bom-ref", "cpe", "description")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(("1.2", "1.4", "1.5", "1.6")), st.sampled_from(_KEPT_FIELDS),
       st.integers(min_value=1, max_value=40), st.integers(min_value=9, max_value=30))
def test_cyclonedx_strings_the_schema_types_are_refused_past_the_limit(
    version: str, field: str, length: int, max_string: int
) -> None:
    # 9 characters at least: "CycloneDX" is a string the schema types too.
    value = ("pkg:npm/v" if field == "purl" else "").ljust(length, "v")
    length = len(value)
    component = {"type": "library", "name": "n", "version": "1", field: value}
    document = {"bomFormat": "CycloneDX", "specVersion": version, "version": 1,
                "components": [component]}
    limits = ReadLimits(max_string=max_string)
    data = orjson.dumps(document)
    if length <= max_string:
        assert len(read_sbom(data, source="generated", limits=limits).components) == 1
        return
    with pytest.raises(LimitExceededError) as caught:
        read_sbom(data, source="generated", limits=limits)
    assert (caught.value.location, caught.value.problem) == (
        f"/components/0/{field}",
        f"a string of {length} characters is longer than the {max_string} limit",
    )


def test_cyclonedx_components_nested_to_orjsons_own_limit_are_refused_at_max_depth() -> None:
    # 510 levels of components: the schema follows them all (in Rust, without crashing),
    # and the reader refuses them where a component lies past max_depth.
    inner = '{"type": "library", "name": "leaf"}'
    for _ in range(510):
        inner = f'{{"type": "library", "name": "n", "components": [{inner}]}}'
    document = f'{{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{inner}]}}'
    with pytest.raises(LimitExceededError) as caught:
        read_sbom(document.encode(), source="deep")
    assert (caught.value.location, caught.value.problem) == (
        "/components/0" * 32, "nesting is deeper than 64 levels")
