#!/usr/bin/env bash
# Creates .venv and installs cpstrust into it. Sourced by demo.sh and test.sh.
# Usage: setup-env.sh [runtime|test]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-runtime}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# tpm2-pytss builds against the TPM software stack's headers.
dpkg -s libtss2-dev >/dev/null 2>&1 || need_apt+=(libtss2-dev pkg-config)
if [ "$kind" = test ]; then
  # A real PostgreSQL for the storage tests, dpkg for the Debian version differential test.
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
  command -v dpkg >/dev/null || need_apt+=(dpkg)
  # Real roots of trust: a SoftHSM2 token (PKCS#11) and a software TPM 2.0.
  command -v softhsm2-util >/dev/null || need_apt+=(softhsm2)
  command -v swtpm >/dev/null || need_apt+=(swtpm swtpm-tools)
  command -v tpm2_startup >/dev/null || need_apt+=(tpm2-tools)
  # Go's own module version ordering (golang.org/x/mod/semver) for the Go differential test.
  command -v go >/dev/null || need_apt+=(golang-go)
  [ -d /usr/share/gocode/src/golang.org/x/mod/semver ] || need_apt+=(golang-golang-x-mod-dev)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
extra=""
[ "$kind" = test ] && extra="[test]"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".${extra}"
