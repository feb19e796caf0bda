#!/usr/bin/env bash
# Installs test dependencies (Debian packages and Python) and runs the whole suite:
# ruff, mypy --strict on src/, the layering contracts (import-linter, pyproject.toml), our
# own SBOM against the shared advisories (scripts/own-sbom.sh), then pytest (SQLite and a
# real PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh test
.venv/bin/ruff check src tests bench scripts
.venv/bin/mypy src
.venv/bin/lint-imports
bash scripts/own-sbom.sh
exec .venv/bin/pytest -q -p no:cacheprovider "$@"
