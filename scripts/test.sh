#!/usr/bin/env bash
# The whole test suite: lint (ruff), types (mypy), layers (import-linter), then pytest.
# Extra arguments go to pytest (e.g. -m "" to include slow and browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
echo "== ruff";          $bin/ruff check src tests bench scripts
echo "== ruff format";   $bin/ruff format --check src tests bench scripts
echo "== mypy";          $bin/mypy
echo "== import-linter"; $bin/lint-imports
if [ -z "${COTERA_TEST_POSTGRES_URL:-}" ]; then
  echo "!! COTERA_TEST_POSTGRES_URL is not set: PostgreSQL tests will be SKIPPED (see README)." >&2
fi
echo "== pytest";        $bin/pytest "$@"
