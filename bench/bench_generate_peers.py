"""`cpstrust sbom generate` against Syft and Trivy, in the same run, on two trees it makes:

- a Python environment: a copy of the running interpreter's environment (``sys.prefix``:
  every installed distribution with its files), and beneath it, in ``peers/``, the
  Syft and Trivy environment, whose wheels install Go binaries (~190 modules between them);
- a Debian root filesystem: this machine's dpkg database (``var/lib/dpkg/status``,
  ``etc/os-release``) and the files its packages list (``var/lib/dpkg/info/*.list``), up
  to ``--files`` of them.

For each tree and tool: the best of ``--repeat`` whole-process times, peak memory, the
packages found by ecosystem (purls compared as the purl spec normalises them, PyPI names
as PEP 503 does, qualifiers dropped; Go's ``stdlib`` version with or without "go"/"v")
and every difference, listed. Syft and Trivy come from
``bash scripts/setup-env.sh peers`` (.bench-tools); all three run offline.

    .venv/bin/python bench/bench_generate_peers.py [--files 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / ".bench-tools" / "bin"
CPSTRUST = Path(sys.executable).with_name("cpstrust")


def python_tree(work: Path) -> Path:
    root = work / "pyenv"
    shutil.copytree(sys.prefix, root, symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    # The peers' own environment: their wheels hold Go binaries, whose build info names
    # their modules (Syft's executable is under site-packages, behind a Python launcher).
    shutil.copytree(TOOLS.parent, root / "peers", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return root


def debian_tree(work: Path, limit: int) -> Path:
    root = work / "debian"
    for name in ("etc/os-release", "var/lib/dpkg/status"):
        source = Path("/") / name
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source.resolve(), root / name)
    copied = 0
    for listing in sorted(Path("/var/lib/dpkg/info").glob("*.list")):
        for line in listing.read_text(errors="replace").splitlines():
            source = Path(line)
            if copied >= limit or not source.is_file() or source.is_symlink():
                continue
            target = root / line.lstrip("/")
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(source, target)
            except OSError:
                continue
            copied += 1
    return root


def commands(tree: Path, out: Path) -> dict[str, list[str]]:
    return {
        "cpstrust": [str(CPSTRUST), "sbom", "generate", str(tree), "--out", str(out)],
        "syft": [str(TOOLS / "syft"), f"dir:{tree}", "-q", "-o", f"cyclonedx-json={out}"],
        # Offline: Trivy names jars only through its Java database, which it must download
        # first, so it is told to leave jars out (a difference the report lists).
        "trivy": [str(TOOLS / "trivy"), "rootfs", "--quiet", "--skip-db-update",
                  "--offline-scan", "--skip-files", "**/*.jar", "--format", "cyclonedx",
                  "--output", str(out), str(tree)],
    }


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time of ``repeat`` runs, and the largest peak RSS (MiB) of the process."""
    env = {**os.environ, "SYFT_CHECK_FOR_APP_UPDATE": "false",
           "TRIVY_CACHE_DIR": str(Path(tempfile.gettempdir()) / "cpstrust-bench-trivy")}
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        best = min(best, time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{command[0]} failed: {os.waitstatus_to_exitcode(status)}")
    return best, peak


def packages(sbom: Path) -> set[str]:
    found: set[str] = set()
    stack = list(json.loads(sbom.read_bytes()).get("components", ()))
    while stack:
        component = stack.pop()
        stack.extend(component.get("components", ()))
        if component.get("purl"):
            found.add(_key(component["purl"]))
    return found


def _key(purl: str) -> str:
    """The purl without qualifiers or subpath, decoded; PyPI names as PEP 503 says; an
    ``epoch`` qualifier (Trivy's spelling) put back in the version (ours and Syft's); Go
    modules as their whole path, lowercased, "(devel)" as no version."""
    bare = unquote(purl.split("?")[0].split("#")[0])
    if bare.startswith("pkg:golang/"):
        # Syft puts a module path's tail in the subpath (pkg:golang/a/b@v2.0.0#v2), Trivy
        # lowercases module paths: compared as the whole path, lowercased, as we match them.
        subpath = unquote(purl.partition("#")[2])
        name, _, version = bare.partition("@")
        bare = (f"{name}/{subpath}" if subpath else name).lower() \
            + (f"@{version}" if version and version != "(devel)" else "")
    epoch = re.search(r"[?&]epoch=(\d+)", purl.split("#")[0])
    if epoch and "@" in bare and epoch.group(1) != "0":
        name, _, version = bare.rpartition("@")
        bare = f"{name}@{epoch.group(1)}:{version}"
    if bare.startswith("pkg:golang/stdlib@"):  # Syft writes go1.22.1, Trivy and we v1.22.1
        return "pkg:golang/stdlib@v" + bare.rpartition("@")[2].removeprefix("go") \
            .removeprefix("v")
    if bare.startswith("pkg:pypi/"):
        name, _, version = bare[len("pkg:pypi/"):].partition("@")
        return f"pkg:pypi/{re.sub(r'[-_.]+', '-', name).lower()}@{version}"
    return bare


def _by_type(purls: set[str]) -> str:
    """Packages per purl type: "deb 802, golang 187, pypi 98"."""
    counts: dict[str, int] = {}
    for purl in purls:
        kind = purl.removeprefix("pkg:").partition("/")[0]
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not (TOOLS / "syft").exists() or not (TOOLS / "trivy").exists():
        sys.exit("Syft and Trivy are missing: run `bash scripts/setup-env.sh peers`")
    work = Path(tempfile.mkdtemp(prefix="cpstrust-peers-"))
    try:
        trees = {"python environment": python_tree(work),
                 "Debian root filesystem": debian_tree(work, args.files)}
        for label, tree in trees.items():
            files = sum(1 for p in tree.rglob("*") if p.is_file() and not p.is_symlink())
            size = sum(p.stat().st_size for p in tree.rglob("*")
                       if p.is_file() and not p.is_symlink()) / 1e6
            print(f"\n{label}: {files:,} files, {size:,.0f} MB")
            found = {}
            for tool, command in commands(tree, work / "out.json").items():
                seconds, mib = timed(command, args.repeat)
                found[tool] = packages(work / "out.json")
                print(f"  {tool:9} {seconds:6.2f} s  {mib:5.0f} MiB  "
                      f"{len(found[tool]):5} packages  {_by_type(found[tool])}")
            for tool in ("syft", "trivy"):
                for ours, theirs, says in ((found["cpstrust"], found[tool], f"{tool} finds"),
                                           (found[tool], found["cpstrust"], "cpstrust finds")):
                    other = "cpstrust" if says.startswith(tool) else tool
                    differences = sorted(theirs - ours)
                    print(f"  {says}, {other} not ({len(differences)}):")
                    for purl in differences:
                        print(f"    {purl}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
