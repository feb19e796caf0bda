#!/usr/bin/env bash
# Creates .venv and installs cpstrust into it from the hash-checked locks in requirements/
# (scripts/lock.sh refreshes them). Called by demo.sh and test.sh.
# Usage: setup-env.sh [runtime|test|peers]
#   runtime: cpstrust and what it needs to run (requirements/runtime.txt)
#   test:    with the TPM extra, the test tools, and the real components the suite starts
#   peers:   Syft and Trivy in their own environment (.bench-tools), for
#            bench/bench_generate_peers.py (requirements/peers.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-runtime}
if [ "$kind" = peers ]; then
  [ -x .bench-tools/bin/python ] || python3 -m venv .bench-tools
  .bench-tools/bin/python -m pip install -qq --disable-pip-version-check --require-hashes \
    -r requirements/peers.txt
  echo "==> Syft and Trivy: .bench-tools/bin/syft, .bench-tools/bin/trivy"
  exit 0
fi
case "$kind" in
  runtime) lock=requirements/runtime.txt ;;
  test) lock=requirements/test.txt ;;
  *) echo "usage: $0 [runtime|test|peers]" >&2; exit 2 ;;
esac

step() { echo "==> $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# The editable install compiles the OT decoder (Cython, ADR 0033): a C compiler and the
# headers of the Python that makes .venv.
command -v gcc >/dev/null || need_apt+=(gcc)
python3 -c 'import os, sysconfig; os.stat(sysconfig.get_paths()["include"] + "/Python.h")' \
  2>/dev/null || need_apt+=(python3-dev)
if [ "$kind" = test ]; then
  # tpm2-pytss (the tpm extra) compiles against the TPM software stack's headers.
  dpkg -s libtss2-dev >/dev/null 2>&1 || need_apt+=(libtss2-dev pkg-config)
  # A real PostgreSQL for the storage tests.
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
  # Real roots of trust: a SoftHSM2 token (PKCS#11) and a software TPM 2.0.
  command -v softhsm2-util >/dev/null || need_apt+=(softhsm2)
  command -v swtpm >/dev/null || need_apt+=(swtpm swtpm-tools)
  command -v tpm2_startup >/dev/null || need_apt+=(tpm2-tools)
  # Each ecosystem's own version ordering, which the differential tests compare ours with:
  # dpkg, Go's golang.org/x/mod/semver, rpm's rpmvercmp (python3-rpm), node-semver, and
  # Maven's ComparableVersion.
  command -v dpkg >/dev/null || need_apt+=(dpkg)
  command -v go >/dev/null || need_apt+=(golang-go)
  [ -d /usr/share/gocode/src/golang.org/x/mod/semver ] || need_apt+=(golang-golang-x-mod-dev)
  /usr/bin/python3 -c 'import rpm' 2>/dev/null || need_apt+=(python3-rpm rpm)
  [ -f /usr/share/nodejs/semver/package.json ] || need_apt+=(node-semver)
  command -v node >/dev/null || need_apt+=(nodejs)
  ls /usr/share/maven/lib/maven-artifact-*.jar >/dev/null 2>&1 || need_apt+=(maven)
  # dumpcap for `monitor live` (its tests capture on loopback); tcpreplay for its bench.
  command -v dumpcap >/dev/null || need_apt+=(tshark)
  command -v tcpreplay >/dev/null || need_apt+=(tcpreplay)
  # A real browser for the web UI's tests: Playwright drives Debian's chromium.
  command -v chromium >/dev/null || need_apt+=(chromium)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  step "Debian packages: installing ${need_apt[*]}"
  as_root apt-get update -qq
  # wireshark-common asks whether non-root users may capture: no (tests run dumpcap as root)
  echo "wireshark-common wireshark-common/install-setuid boolean false" \
    | as_root debconf-set-selections 2>/dev/null || true
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
else
  step "Debian packages: all present"
fi

if [ -x .venv/bin/python ]; then
  step "Python environment: .venv ($(.venv/bin/python -V))"
else
  step "Python environment: creating .venv ($(python3 -V))"
  python3 -m venv .venv
fi
# Build tools first, hash-checked like the rest: sources are then built with them
# (--no-build-isolation) instead of with tools fetched unchecked into a throwaway env.
step "Python packages: $lock (hash-checked)"
pip=(.venv/bin/python -m pip --disable-pip-version-check)
"${pip[@]}" install -qq --require-hashes -r requirements/build.txt
"${pip[@]}" install -qq --require-hashes --no-build-isolation -r "$lock"
step "cpstrust: editable install of $(pwd)"
"${pip[@]}" install -qq --no-deps --no-build-isolation --no-index -e .
# Bytecode for our modules now, as pip writes it for any installed package: an editable
# install has none, so every command of a user whose environment forbids writing it
# (PYTHONDONTWRITEBYTECODE, a read-only checkout) would compile what it imports
# (`scan --help` 0.16 -> 0.13 s). Only changed modules are compiled again.
.venv/bin/python -m compileall -q src >/dev/null
