#!/usr/bin/env bash
# Installs cpstrust into .venv and runs the main job on the embedded default store
# (SQLite in the per-user data directory, or $CPSTRUST_HOME) with the bundled sample:
# loads it, then shows the trust report under the demo buyer's policy.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh runtime
echo "==> cpstrust demo: the bundled sample supply chain, loaded into the store (SQLite unless CPSTRUST_DATABASE_URL says otherwise)"
.venv/bin/cpstrust demo "$@"
policy=src/cpstrust/demo/trust-policy.yaml
page=${CPSTRUST_DEMO_REPORT:-demo-trust-report.html}
echo "==> cpstrust trust report --policy $policy: every subject's verdict, why, and what to do next"
# Exit 1 means some subject is untrusted: the demo shows such subjects on purpose.
report() { .venv/bin/cpstrust trust report --policy "$policy" "$@" || [ $? -eq 1 ]; }
report
report --format html --out "$page"
echo "==> open $page for the graph (add --lang ja for Japanese)"
