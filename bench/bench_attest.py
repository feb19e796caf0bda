"""Attestation appraisal throughput on one core, against bare signature verification.

Makes N distinct measurement reports (D devices, each with its own device-identity key
enrolled for it alone; every report answers its own challenge and carries M
measurements of one release), a share of them with one file modified, and signs them
as DSSE envelopes, once with Ed25519 keys and once with ECDSA P-256 keys. Then times
``read_envelope`` + ``appraise_report`` from the raw envelope bytes of every report
(challenge looked up by nonce, trust store and reference values given, as the
verifier holds them), against the floor of ``cryptography``'s bare ``verify`` of the
same signatures over the same PAE messages with already parsed keys, measured in the
same run. Best of ``--repeat`` rounds over all reports (ours and the floor alternate
within a round), pinned to one CPU.

Usage: python bench/bench_attest.py [--reports 5000] [--measurements 200]
       [--devices 100] [--modified 0.1] [--repeat 5]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from cpstrust.crypto import keyid_of, public_pem
from cpstrust.formats.attestation import measurement_list_digest, write_report
from cpstrust.formats.dsse import pae, read_envelope, write_envelope
from cpstrust.model.attestation import Challenge, MeasurementReport, ReleaseClaim
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE
from cpstrust.model.trust import Algorithm, Backend, KeyRecord, Role, TrustedKey, TrustStore
from cpstrust.trust.attestation import appraise_report, release_reference
from cpstrust.trust.authenticity import reference_from_subjects
from cpstrust.trust.filekeys import FileSigner
from cpstrust.trust.verify import sign_envelope

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())
PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey


def release_files(count: int) -> dict[str, str]:
    """Paths and digests of a firmware root file system, in measurement (path) order."""
    rng = random.Random(11)
    folders = ["bin", "sbin", "lib", "usr/bin", "usr/lib", "usr/share/firmware", "etc/init.d"]
    paths = {f"{rng.choice(folders)}/component-{i:04d}/file{i}.bin" for i in range(count)}
    return {p: hashlib.sha256(p.encode()).hexdigest() for p in sorted(paths)}


def make_devices(algorithm: Algorithm, count: int) -> list[tuple[str, PrivateKey, TrustedKey]]:
    devices = []
    for i in range(count):
        private: PrivateKey = (ed25519.Ed25519PrivateKey.generate()
                               if algorithm is Algorithm.ED25519
                               else ec.generate_private_key(ec.SECP256R1()))
        public = private.public_key()
        key = TrustedKey(keyid=keyid_of(public), algorithm=algorithm,
                         public_key_pem=public_pem(public),
                         roles=frozenset({Role.DEVICE_IDENTITY}),
                         scopes=frozenset({f"gw-{i:04d}"}))
        devices.append((f"gw-{i:04d}", private, key))
    return devices


def make_reports(devices: list[tuple[str, PrivateKey, TrustedKey]], files: dict[str, str],
                 count: int, modified: float) -> tuple[list[tuple[bytes, str]],
                                                       dict[str, Challenge]]:
    """(envelope bytes, nonce) per report, and the open challenges by nonce."""
    rng = random.Random(5)
    envelopes, challenges = [], {}
    paths = list(files)
    for i in range(count):
        device, private, key = devices[i % len(devices)]
        nonce = os.urandom(32).hex()
        measured = dict(files)
        if rng.random() < modified:
            measured[rng.choice(paths)] = hashlib.sha256(b"implant %d" % i).hexdigest()
        report = MeasurementReport(device, nonce, NOW, measured, measurement_list_digest(measured),
                                   frozenset(paths[::10]), {}, ReleaseClaim("HC-Gateway", "3.4"))
        record = KeyRecord(name=device, backend=Backend.FILE, algorithm=key.algorithm,
                           keyid=key.keyid, public_key_pem=key.public_key_pem, created_at=NOW)
        envelope = sign_envelope(INTOTO_PAYLOAD_TYPE, write_report(report),
                                 [FileSigner(record, private)])
        envelopes.append((write_envelope(envelope), nonce))
        challenges[nonce] = Challenge(nonce, device, NOW - timedelta(seconds=5),
                                      NOW + timedelta(seconds=55))
    return envelopes, challenges


def best_of(repeat: int, *works: Callable[[], object]) -> list[float]:
    """The best time of each work over ``repeat`` rounds; the works alternate within a
    round so that load from other processes hits them alike."""
    best = [float("inf")] * len(works)
    for _ in range(repeat):
        for index, work in enumerate(works):
            start = time.perf_counter()
            work()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def run(algorithm: Algorithm, args: argparse.Namespace) -> None:
    files = release_files(args.measurements)
    reference = release_reference("HC-Gateway", "3.4", reference_from_subjects(files))
    devices = make_devices(algorithm, args.devices)
    store = TrustStore(version=1, issued_at=NOW, keys=tuple(k for _, _, k in devices))
    envelopes, challenges = make_reports(devices, files, args.reports, args.modified)

    def appraise_all() -> Counter[str]:
        verdicts: Counter[str] = Counter()
        for data, nonce in envelopes:
            envelope = read_envelope(data)
            result = appraise_report(envelope, store=store, challenge=challenges.get(nonce),
                                     reference=reference, at=NOW)
            verdicts[result.verdict.value] += 1
        return verdicts

    publics = [private.public_key() for _, private, _ in devices]
    signed = [(pae(e.payload_type, e.payload), e.signatures[0].sig)
              for e in (read_envelope(data) for data, _ in envelopes)]

    def verify_all() -> None:
        for i, (message, sig) in enumerate(signed):
            public = publics[i % len(publics)]
            if isinstance(public, ed25519.Ed25519PublicKey):
                public.verify(sig, message)
            else:
                public.verify(sig, message, ECDSA_SHA256)

    verdicts = appraise_all()
    ours, floor = best_of(args.repeat, appraise_all, verify_all)
    n = len(envelopes)
    size = sum(len(data) for data, _ in envelopes) / n
    print(f"{algorithm.value}: {n} reports of {args.measurements} measurements "
          f"({size / 1024:.1f} KiB envelopes), {dict(verdicts)}")
    print(f"  appraise_report: {n / ours:8,.0f} reports/s ({ours / n * 1e6:.0f} µs each)")
    print(f"  bare verify:     {n / floor:8,.0f} signatures/s ({floor / n * 1e6:.0f} µs each)")
    print(f"  ratio: {floor / ours:.0%} of the bare verification rate")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--measurements", type=int, default=200)
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--modified", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    for algorithm in (Algorithm.ED25519, Algorithm.ECDSA_P256):
        run(algorithm, args)


if __name__ == "__main__":
    main()
