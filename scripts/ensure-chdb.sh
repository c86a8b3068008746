#!/usr/bin/env bash
# The ClickHouse tests and the benchmark's ClickHouse column run on chDB (ClickHouse embedded in
# the Node process). Its native package is ~550 MB, so it is not a dependency of Segscope: this
# installs it (without touching package.json) only where the tests need it.
set -euo pipefail
cd "$(dirname "$0")/.."
if node -e "require.resolve('chdb')" >/dev/null 2>&1; then exit 0; fi
echo "ensure-chdb: installing chdb@3.4.0 (embedded ClickHouse for the tests, ~550 MB, not saved to package.json)" >&2
if command -v flock >/dev/null 2>&1; then
  flock /tmp/npm.lock npm install --no-save --no-audit --no-fund chdb@3.4.0 >&2
else
  npm install --no-save --no-audit --no-fund chdb@3.4.0 >&2
fi
node -e "require.resolve('chdb')"
