#!/usr/bin/env bash
# Installs cpstrust into .venv and runs the main job on the embedded default store
# (SQLite in the per-user data directory, or $CPSTRUST_HOME) with the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh runtime
exec .venv/bin/cpstrust demo "$@"
