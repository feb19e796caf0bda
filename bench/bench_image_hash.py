"""Image measuring cost: ``measure_image`` against bare ``hashlib.sha256`` on the same bytes.

Generates an image of N files (default 2,000, ~400 MB: many small files, some of a few
MB, a handful of tens of MB, as in a root filesystem) in a temporary directory, packs it
as a plain tar and a tar.gz, and prints best-of throughputs for:

- the floor: SHA-256 over every file's bytes, already in memory;
- ``measure_image`` over the directory and over the plain tar (page cache warm);
- ``measure_image`` over the tar.gz, against its own floor: gzip decompression of the
  whole archive plus SHA-256 of the decompressed bytes;
- the verdict engine alone on 100,000 measured files against an SBOM reference (1% each
  modified, missing and unlisted), against the floor of building one dict of them.

Usage: python bench/bench_image_hash.py [--files 2000] [--megabytes 400] [--repeat 3]
       [--engine-files 100000]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import random
import tarfile
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from cpstrust.limits import ImageLimits
from cpstrust.model.authenticity import MeasuredFile
from cpstrust.model.sbom import Hash, Sbom, SbomComponent, SbomFormat
from cpstrust.trust.authenticity import appraise_image, reference_from_sbom
from cpstrust.trust.image import measure_image

ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + bytes(8)


def _sizes(count: int, total: int, rng: random.Random) -> list[int]:
    """Mostly small files, a tenth of a few MB, 1% large: scaled to ``total`` bytes."""
    raw = [rng.choice([rng.randint(200, 64_000)] * 9 + [rng.randint(1, 8) << 20])
           for _ in range(count)]
    for index in rng.sample(range(count), max(1, count // 100)):
        raw[index] = rng.randint(20, 40) << 20
    scale = total / sum(raw)
    return [max(16, int(size * scale)) for size in raw]


def build_image(root: Path, count: int, total: int) -> list[Path]:
    rng = random.Random(11)
    return write_files(lambda index: root / f"d{index % 40}" / f"s{index % 7}",
                       _sizes(count, total, rng), rng)


def write_files(folder_of: Callable[[int], Path], sizes: list[int],
                rng: random.Random) -> list[Path]:
    """Files of these sizes, every fifth an ELF executable, in ``folder_of(index)``; half
    of their bytes random (incompressible, like firmware blobs), half repeated text.
    Shared with bench_generate."""
    block = rng.randbytes(1 << 20) + (b"config line\n" * 90_000)[:1 << 20]
    files = []
    for index, size in enumerate(sizes):
        folder = folder_of(index)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (f"lib{index}.so" if index % 5 == 0 else f"file{index}.dat")
        head = ELF_HEADER if index % 5 == 0 else b""
        offset = rng.randrange(len(block) // 2)
        body = (block * (size // len(block) + 2))[offset:offset + size - len(head)]
        path.write_bytes(head + body)
        files.append(path)
    return files


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def hash_all(contents: list[bytes]) -> None:
    for data in contents:
        hashlib.sha256(data).hexdigest()


def _gunzip_and_hash(archive: Path) -> None:
    with gzip.open(archive) as stream:
        digest = hashlib.sha256()
        while chunk := stream.read(1 << 20):
            digest.update(chunk)


def bench_engine(count: int, repeat: int) -> None:
    digests = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(count)]
    measured = [MeasuredFile(f"usr/share/d{i % 500}/f{i}", 10, digests[i], i % 7 == 0)
                for i in range(count) if i % 100 != 1]  # 1% missing
    measured += [MeasuredFile(f"opt/extra/x{i}", 10, "00" * 32, False)
                 for i in range(count // 100)]  # 1% unlisted
    sbom = Sbom(SbomFormat.CYCLONEDX_JSON, "1.6", None, None, None, tuple(
        SbomComponent(f"c{i}", f"usr/share/d{i % 500}/f{i}", None, None, type="file",
                      hashes=(Hash("SHA-256", "ff" * 32 if i % 100 == 2 else digests[i]),))
        for i in range(count)))  # 1% modified
    reference = reference_from_sbom(sbom)
    floor = best(lambda: {f.path: f for f in measured}, repeat)
    engine = best(lambda: appraise_image(measured, reference), repeat)
    built = best(lambda: reference_from_sbom(sbom), repeat)
    findings = len(appraise_image(measured, reference).findings)
    print(f"engine  {count} files, {findings} findings: appraise {engine * 1000:.0f} ms "
          f"({engine / floor:.0f}x one dict of them), reference_from_sbom {built * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--megabytes", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engine-files", type=int, default=100_000)
    args = parser.parse_args()
    bench_engine(args.engine_files, args.repeat)
    limits = ImageLimits()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "image"
        files = build_image(root, args.files, args.megabytes << 20)
        contents = [p.read_bytes() for p in files]
        total = sum(map(len, contents))
        plain, packed = Path(temp) / "image.tar", Path(temp) / "image.tar.gz"
        # tarfile's default PAX format gives every member an extended header (its mtime
        # has a fraction): the worst case for header parsing.
        with tarfile.open(plain, "w") as tar:
            tar.add(root, arcname=".")
        with tarfile.open(packed, "w:gz") as tar:
            tar.add(root, arcname=".")
        megabytes = total / 1e6
        print(f"{len(files)} files, {megabytes:.0f} MB "
              f"(tar.gz {packed.stat().st_size / 1e6:.0f} MB)")

        floor = best(lambda: hash_all(contents), args.repeat)
        print(f"floor   hashlib.sha256 in memory     {megabytes / floor:7.0f} MB/s")
        for label, target in (("directory", root), ("plain tar", plain)):
            measured = best(partial(measure_image, target, limits), args.repeat)
            print(f"measure_image {label:<14}         {megabytes / measured:7.0f} MB/s"
                  f"  = {floor / measured:.0%} of the floor")
        gz_floor = best(lambda: _gunzip_and_hash(packed), args.repeat)
        gz = best(lambda: measure_image(packed, limits), args.repeat)
        print(f"floor   gunzip + sha256              {megabytes / gz_floor:7.0f} MB/s")
        print(f"measure_image tar.gz                 {megabytes / gz:7.0f} MB/s"
              f"  = {gz_floor / gz:.0%} of its floor")


if __name__ == "__main__":
    main()
