"""Quote appraisal throughput on one core, against the floor of bare ECDSA verification.

Starts its own swtpm, creates an attestation key, and makes N real TPM2_Quotes of PCR
16, each with its own nonce, over ``--boots`` event logs of E measurements (PCR 16
reset and re-extended per boot, quoted N / boots times, as a device is re-challenged
between reboots). Then appraises every quote (signature, magic, type, nonce, PCR
selection, event-log replay) and prints appraisals/s against the floor of
``cryptography``'s P-256 verify of the same signatures over the same bytes, measured in
the same run; and the cost of reading TPMS_ATTEST into the model with quote.py's parser
against tpm2-pytss (``TPMS_ATTEST.unmarshal`` and reading its fields). Best of
``--repeat`` timings of all quotes, pinned to one CPU.

Usage: python bench/bench_tpm_quote.py [--quotes 300] [--events 200] [--boots 10]
       [--repeat 5]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from tpm2_pytss.types import TPMS_ATTEST

from cpstrust.crypto import read_public_key
from cpstrust.model.tpm import (
    Attestation,
    ClockInfo,
    PcrSelection,
    QuoteAccepted,
    QuoteInfo,
    TpmQuote,
)
from cpstrust.model.trust import Algorithm
from cpstrust.trust import tpmkeys
from cpstrust.trust.quote import appraise_quote, parse_attest, replay_pcr
from cpstrust.trust.tpmkeys import TpmKeyBackend

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from roots_of_trust import running_swtpm

PCR = 16


def make_quotes(tcti: str, directory: Path, count: int, events: int, boots: int
                ) -> tuple[str, list[tuple[TpmQuote, bytes, list[bytes]]]]:
    ak = TpmKeyBackend().create("ak", Algorithm.ECDSA_P256,
                                {"tcti": tcti, "directory": str(directory),
                                 "restricted": "true"}, {})
    quotes = []
    for boot in range(boots):
        log = [hashlib.sha256(f"boot {boot} component {i}".encode()).digest()
               for i in range(events)]
        tpmkeys.pcr_reset(tcti, PCR)
        for digest in log:
            tpmkeys.pcr_extend(tcti, PCR, digest)
        for _ in range(count // boots + (boot < count % boots)):
            nonce = os.urandom(32)
            quotes.append((tpmkeys.quote(ak, nonce, [PCR]), nonce, log))
    return ak.public_key_pem, quotes


def parse_with_tpm2_pytss(data: bytes) -> Attestation | None:
    """The alternative to quote.py's parser: unmarshal with tpm2-pytss, then read the
    fields appraisal needs out of its cffi structures into the same model."""
    attest, used = TPMS_ATTEST.unmarshal(data)
    if used != len(data):
        return None
    quote, clock = attest.attested.quote, attest.clockInfo
    selections = []
    for i in range(quote.pcrSelect.count):
        selection = quote.pcrSelect.pcrSelections[i]
        bits = int.from_bytes(bytes(selection.pcrSelect)[:selection.sizeofSelect], "little")
        selections.append(PcrSelection(int(selection.hash), frozenset(
            j for j in range(selection.sizeofSelect * 8) if bits >> j & 1)))
    return Attestation(
        int(attest.magic), int(attest.type), bytes(attest.qualifiedSigner),
        bytes(attest.extraData),
        ClockInfo(int(clock.clock), int(clock.resetCount), int(clock.restartCount),
                  bool(clock.safe)),
        int(attest.firmwareVersion), QuoteInfo(tuple(selections), bytes(quote.pcrDigest)))


def best_of(repeat: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=300)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--boots", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory, running_swtpm() as tcti:
        start = time.perf_counter()
        pem, quotes = make_quotes(tcti, Path(directory), args.quotes, args.events, args.boots)
        print(f"{len(quotes)} TPM quotes ({args.boots} boots of {args.events} events in PCR "
              f"{PCR}) made by swtpm in {time.perf_counter() - start:.1f} s")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    n = len(quotes)

    def appraise_all() -> None:
        for quote, nonce, log in quotes:
            if not isinstance(appraise_quote(quote, pem, nonce, PCR, log), QuoteAccepted):
                raise SystemExit("a genuine quote was refused")

    key = read_public_key(pem)
    assert isinstance(key, ec.EllipticCurvePublicKey)
    ecdsa = ec.ECDSA(hashes.SHA256())

    def verify_all() -> None:
        for quote, _, _ in quotes:
            key.verify(quote.signature, quote.attest, ecdsa)

    appraise = best_of(args.repeat, appraise_all)
    floor = best_of(args.repeat, verify_all)
    replay = best_of(args.repeat, lambda: [replay_pcr(log) for _, _, log in quotes])
    ours = best_of(args.repeat, lambda: [parse_attest(q.attest) for q, _, _ in quotes])
    unmarshal = best_of(args.repeat, lambda: [TPMS_ATTEST.unmarshal(q.attest)
                                              for q, _, _ in quotes])
    theirs = best_of(args.repeat, lambda: [parse_with_tpm2_pytss(q.attest) for q, _, _ in quotes])
    if any(parse_attest(q.attest) != parse_with_tpm2_pytss(q.attest) for q, _, _ in quotes):
        raise SystemExit("the two parsers disagree")
    print(f"appraise_quote: {n / appraise:,.0f} appraisals/s ({appraise / n * 1e6:.0f} µs each; "
          f"{appraise / floor:.2f}x the floor)")
    print(f"floor, bare ECDSA P-256 verify (cryptography): {n / floor:,.0f} verifies/s "
          f"({floor / n * 1e6:.0f} µs each)")
    print(f"  of which event-log replay ({args.events} extends): {replay / n * 1e6:.0f} µs")
    print(f"TPMS_ATTEST to model: quote.py {ours / n * 1e6:.1f} µs; tpm2-pytss "
          f"{theirs / n * 1e6:.1f} µs ({theirs / ours:.0f}x; its unmarshal alone "
          f"{unmarshal / n * 1e6:.1f} µs, the rest reading fields out of cffi structures)")


if __name__ == "__main__":
    main()
