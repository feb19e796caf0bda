#!/usr/bin/env bash
# Installs cpstrust into .venv and runs the main job on the embedded default store
# (SQLite in the per-user data directory, or $CPSTRUST_HOME) with the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh runtime
echo "==> cpstrust demo: the bundled sample supply chain, loaded into the store (SQLite unless CPSTRUST_DATABASE_URL says otherwise)"
exec .venv/bin/cpstrust demo "$@"
