"""The decode + detect path is compiled (ADR 0033): every module setup.py builds is the
extension when imported, not its source; and the decoder's compiled header reading
agrees with the general dissection every other frame takes."""

from __future__ import annotations

import importlib
import importlib.machinery
import re
from pathlib import Path

import pytest

from cpstrust.formats.pcap import CaptureReader
from cpstrust.limits import DEFAULT_CAPTURE_LIMITS, CaptureLimits
from cpstrust.ot.decoder import OtDecoder, OtMessage, Record

COMPILED = ["cpstrust.ot.decoder", "cpstrust.formats.pcap_loop", "cpstrust.formats.pcap",
            "cpstrust.formats.modbus_reads", "cpstrust.formats.bacnet",
            "cpstrust.formats.modbus",
            "cpstrust.ot.tcp", "cpstrust.ot.rules", "cpstrust.ot.features",
            "cpstrust.ot.forest", "cpstrust.ot.alerts", "cpstrust.ot.detect"]


def test_setup_builds_exactly_the_modules_checked_here() -> None:
    setup = (Path(__file__).parents[2] / "setup.py").read_text(encoding="utf-8")
    built = re.findall(r'"((?:\w+/)+\w+)\.pyx?"', setup)
    assert {"cpstrust." + m.replace("/", ".") for m in built} == set(COMPILED)


@pytest.mark.parametrize("name", COMPILED)
def test_the_module_imported_is_the_compiled_extension(name: str) -> None:
    module = importlib.import_module(name)
    suffix = "".join(Path(module.__file__ or "").suffixes)
    assert suffix in importlib.machinery.EXTENSION_SUFFIXES, module.__file__


def _decoded(records: list[Record], limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS,
             ) -> tuple[list[OtMessage], OtDecoder]:
    decoder = OtDecoder(limits)
    return list(decoder.messages(records)), decoder


def _vlan_tagged(record: Record) -> Record:
    """The same frame behind an 802.1Q tag: the compiled loop leaves it to dissect()."""
    ts, link_type, frame, wire_length = record
    return ts, link_type, frame[:12] + b"\x81\x00\x00\x05" + frame[12:], wire_length + 4


def test_compiled_and_general_header_paths_decode_real_captures_alike(
        shared_data: Path) -> None:
    captures = sorted((shared_data / "pcaps").rglob("*.pcap"))
    assert len(captures) >= 10
    for capture in captures:
        with capture.open("rb") as stream:
            records = list(CaptureReader(stream, str(capture)).records())
        fast, fast_decoder = _decoded(records)
        general, general_decoder = _decoded([_vlan_tagged(r) for r in records])
        assert fast == general, capture.name
        assert fast_decoder.malformed == general_decoder.malformed, capture.name
        assert fast_decoder.stream_events == general_decoder.stream_events, capture.name
        _assert_same_flows(fast_decoder, general_decoder, capture.name)


def _assert_same_flows(fast: OtDecoder, general: OtDecoder, name: str) -> None:
    """The compiled path counts a flow it found in its cache as C integers: the counters
    it gives agree with dissect()'s path, which counts each packet into the table (its
    frames are 4 bytes longer, for the tag)."""
    assert fast.flows.keys() == general.flows.keys(), name
    for key, (packets, size, first, last, mac) in fast.flows.items():
        assert general.flows[key] == [packets, size + 4 * packets, first, last, mac], name
    assert fast.flows_evicted == general.flows_evicted, name


def test_cached_flows_count_alike_when_the_table_evicts(shared_data: Path) -> None:
    """A table of a few flows evicts often: the cache's counts reach the counters first,
    so the least recently seen flows go on both paths."""
    captures = sorted((shared_data / "pcaps").rglob("*.pcap"))
    limits = CaptureLimits(max_flows=4)
    evicted = 0
    for capture in captures:
        with capture.open("rb") as stream:
            records = list(CaptureReader(stream, str(capture)).records())
        fast, fast_decoder = _decoded(records, limits)
        general, general_decoder = _decoded([_vlan_tagged(r) for r in records], limits)
        assert fast == general, capture.name
        _assert_same_flows(fast_decoder, general_decoder, capture.name)
        evicted += fast_decoder.flows_evicted
    assert evicted > 0
