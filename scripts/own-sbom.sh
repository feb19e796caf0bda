#!/usr/bin/env bash
# Our own SBOM: the locked environment's SBOM, made by `cpstrust sbom generate`, scanned
# against the shared PyPA advisories. Any finding fails the run (exit 1) unless a
# statement of .ci/cpstrust.vex.json (OpenVEX, kept in the repository) says it does not
# affect us or is fixed; the SBOM is left in .ci/out/ for whoever wants to read it.
set -euo pipefail
cd "$(dirname "$0")/.."
advisories=../shared/data/advisories/pypa/vulns
if [ ! -d "$advisories" ]; then
  echo "own-sbom: $advisories not found: clone ../shared beside the repository" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CPSTRUST_HOME="$work/home"
unset CPSTRUST_DATABASE_URL
mkdir -p .ci/out
.venv/bin/cpstrust sbom generate .venv --name cpstrust-environment --out .ci/out/cpstrust.cdx.json
.venv/bin/cpstrust vulndb import "$advisories" > /dev/null
vex=()
if [ -f .ci/cpstrust.vex.json ]; then vex=(--vex .ci/cpstrust.vex.json); fi
.venv/bin/cpstrust scan .ci/out/cpstrust.cdx.json "${vex[@]}" --fail-on any
