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

# The setup steps' Go builds share a module and build cache of their own, removed
# when the steps are done: only the binaries are kept (in the cache above). On a
# fresh machine these Go caches grow to about 18 GiB, which the tests never read,
# and a disk they filled would fail the tests that write data.
go_scratch=$(mktemp -d "${TMPDIR:-/tmp}/wildside-cnpg-go.XXXXXX")
remove_go_scratch() {
  chmod -R u+w "$go_scratch" 2>/dev/null || true # the module cache is read-only
  rm -rf "$go_scratch"
}
trap remove_go_scratch EXIT
trap 'exit 130' INT TERM
export GOCACHE=$go_scratch/build GOMODCACHE=$go_scratch/mod

for step in scripts/setup/[0-9]*.sh; do
  [ -e "$step" ] || continue
  echo "== setup: $step" >&2
  bash "$step"
done

remove_go_scratch
trap - EXIT INT TERM
unset GOCACHE GOMODCACHE
exec "$venv/bin/python" -m pytest "$@"
