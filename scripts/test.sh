#!/usr/bin/env bash
# Installs test dependencies (Debian packages and Python) and runs the whole suite:
# ruff, mypy --strict on src/, then pytest (SQLite and a real PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh test
.venv/bin/ruff check src tests bench scripts
.venv/bin/mypy src
exec .venv/bin/pytest -q -p no:cacheprovider "$@"
