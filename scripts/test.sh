#!/usr/bin/env bash
# The README's test command: installs every component the suite needs (cached
# under ~/.cache/wildside-cnpg), then runs the whole suite. Servers the tests
# use are started and stopped by the suite's own fixtures.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
export WILDSIDE_CNPG_CACHE=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
venv=$(scripts/venv.sh test)
export PATH="$WILDSIDE_CNPG_CACHE/bin:$venv/bin:$PATH"
for step in scripts/setup/[0-9]*.sh; do
  [ -e "$step" ] || continue
  echo "== setup: $step" >&2
  bash "$step"
done
exec "$venv/bin/python" -m pytest "$@"
