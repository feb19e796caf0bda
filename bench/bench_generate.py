"""SBOM generation cost: ``generate_sbom`` against bare ``hashlib.sha256`` on the same files.

Builds a root filesystem of N files (default 20,000; sizes as in a Debian rootfs: most
of a few KB, a tenth of 100 KB-2 MB, a few of 10-20 MB) with a dpkg status of 400
packages (Depends between them), 60 Python dist-info directories and an npm lock of 200
packages, packs it as a plain tar, and prints best-of times for:

- the floors: SHA-256 of every file's bytes already in memory, and opening, reading and
  hashing every file (page cache warm), in the same run;
- ``generate_sbom`` CycloneDX over the directory and over the plain tar (every file
  hashed, the databases read in the same pass, the JSON written to memory), SPDX 2.3
  over the directory (SHA-1 as well, which SPDX 2 requires of each file) and SPDX 3.0.1
  over the directory;
- reading each generated SBOM back (``read_sbom``): what ``image verify`` and ``scan``
  pay for it;
- with ``--progress``, CycloneDX over the directory again with the progress bar the CLI
  shows on a terminal (rich, drawn to /dev/null as if it were one), to see its cost.

Usage: python bench/bench_generate.py [--files 20000] [--megabytes 600] [--repeat 3]
       [--progress]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench_image_hash import best, hash_all, write_files
from cpstrust.app.sbom_generation import GeneratedFormat, generate_sbom
from cpstrust.formats.sbom import read_sbom


def _sizes(count: int, total: int, rng: random.Random) -> list[int]:
    raw = [rng.randint(100, 16_000) if rng.random() < 0.88 else rng.randint(100_000, 2 << 20)
           for _ in range(count)]
    for index in rng.sample(range(count), max(1, count // 2000)):
        raw[index] = rng.randint(10, 20) << 20
    scale = total / sum(raw)
    return [max(16, int(size * scale)) for size in raw]


def _databases(root: Path, rng: random.Random) -> int:
    (root / "etc").mkdir(parents=True, exist_ok=True)
    (root / "etc/os-release").write_text("ID=debian\nVERSION_ID=12\n")
    stanzas = []
    for i in range(400):
        depends = ", ".join(f"pkg{rng.randrange(i)} (>= 1.0)" for _ in range(min(i, 3)))
        stanzas.append(f"Package: pkg{i}\nStatus: install ok installed\nPriority: optional\n"
                       f"Architecture: amd64\nMaintainer: Team {i % 30} <team{i % 30}@debian.org>\n"
                       f"Version: 1.{i}-{i % 7}\n" + (f"Depends: {depends}\n" if depends else "")
                       + f"Description: package {i}\n a longer description\n .\n of it\n")
    status = root / "var/lib/dpkg/status"
    status.parent.mkdir(parents=True)
    status.write_text("\n".join(stanzas))
    site = root / "usr/lib/python3/dist-packages"
    for i in range(60):
        info = site / f"dist{i}-2.{i}.dist-info"
        info.mkdir(parents=True)
        requires = f"Requires-Dist: dist{i - 1} (>=1)\n" if i else ""
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: dist{i}\nVersion: 2.{i}\n"
                                       f"License: MIT\nAuthor: A{i}\n{requires}\n"
                                       + "description line\n" * 200)
        (info / "RECORD").write_text(f"dist{i}/__init__.py,,\n")
    app = root / "srv/app"
    app.mkdir(parents=True)
    (app / "package-lock.json").write_text(json.dumps({"lockfileVersion": 3, "packages": {
        f"node_modules/npm{i}": {"version": f"3.{i}.0", "license": "ISC",
                                 "dependencies": {f"npm{i + 1}": "*"}} for i in range(200)}}))
    return 400 + 60 + 200


def build_rootfs(root: Path, count: int, total: int) -> list[Path]:
    rng = random.Random(7)
    packages = _databases(root, rng)
    files = [p for p in root.rglob("*") if p.is_file()]
    files += write_files(
        lambda index: root / ("usr/lib" if index % 3 else "usr/share") / f"d{index % 300}",
        _sizes(count - len(files), total, rng), rng)
    print(f"{len(files)} files, {packages} packages in the databases")
    return files


def _read_and_hash(files: list[Path]) -> None:
    for path in files:
        with path.open("rb") as stream:
            hashlib.file_digest(stream, "sha256").hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--megabytes", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "rootfs"
        files = build_rootfs(root, args.files, args.megabytes << 20)
        contents = [p.read_bytes() for p in files]
        megabytes = sum(map(len, contents)) / 1e6
        plain = Path(temp) / "rootfs.tar"
        with tarfile.open(plain, "w") as tar:
            tar.add(root, arcname=".")
        print(f"{megabytes:.0f} MB")
        memory = best(lambda: hash_all(contents), args.repeat)
        floor = best(lambda: _read_and_hash(files), args.repeat)
        print(f"floor   hashlib.sha256 in memory          {memory:6.2f} s "
              f"{megabytes / memory:6.0f} MB/s")
        print(f"floor   open + read + hashlib.sha256      {floor:6.2f} s "
              f"{megabytes / floor:6.0f} MB/s")
        runs = (("cyclonedx directory", root, GeneratedFormat.CYCLONEDX),
                ("cyclonedx plain tar", plain, GeneratedFormat.CYCLONEDX),
                ("spdx      directory", root, GeneratedFormat.SPDX),
                ("spdx3     directory", root, GeneratedFormat.SPDX3))
        for label, target, output_format in runs:
            done = generate_sbom(target, output_format=output_format, at=now)
            took = best(lambda t=target, f=output_format: generate_sbom(t, output_format=f,
                                                                        at=now), args.repeat)
            print(f"generate {label}  {took:6.2f} s {megabytes / took:6.0f} MB/s"
                  f"  = {floor / took:.0%} of open+read+hash, {memory / took:.0%} of in-memory"
                  f"  ({done.files} files, {done.packages} packages,"
                  f" {len(done.document) / 1e6:.1f} MB of SBOM)")
            reading = best(lambda d=done.document: read_sbom(d, source="bench"), args.repeat)
            print(f"read back {label} {reading:6.2f} s")
        if args.progress:
            with_bar = best(lambda: _with_progress_bar(root, now), args.repeat)
            print(f"generate cyclonedx directory, progress bar  {with_bar:6.2f} s "
                  f"{megabytes / with_bar:6.0f} MB/s")


def _with_progress_bar(root: Path, now: datetime) -> None:
    from rich.console import Console
    from rich.progress import DownloadColumn, Progress, SpinnerColumn, TextColumn

    with open(os.devnull, "w") as sink, Progress(  # noqa: PTH123 - a console's file
            SpinnerColumn(), TextColumn("{task.fields[files]:,} files"), DownloadColumn(),
            console=Console(file=sink, force_terminal=True), transient=True) as bar:
        task = bar.add_task("hashing files", total=None, files=0)
        generate_sbom(root, output_format=GeneratedFormat.CYCLONEDX, at=now,
                      progress=lambda files, size: bar.update(task, completed=size,
                                                              files=files))


if __name__ == "__main__":
    main()
