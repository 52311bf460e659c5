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

# Each setup step's Go builds use a module and build cache of their own, removed when
# the step ends: only the binaries are kept (in the cache above). On a fresh machine
# the Go caches of all the steps together would take about 21 GiB, which the tests
# never read; one step's take at most about 9 GiB (the controllers'), while it runs.
go_scratch=
remove_go_scratch() {
  [ -n "$go_scratch" ] || return 0
  chmod -R u+w "$go_scratch" 2>/dev/null || true # the module cache is read-only
  rm -rf "$go_scratch"
  go_scratch=
}
trap remove_go_scratch EXIT
trap 'exit 130' INT TERM
# A run killed outright (SIGKILL) cannot remove its caches: those of runs whose process
# is gone are removed here. Each directory is named after its run's PID.
for old in "${TMPDIR:-/tmp}"/wildside-cnpg-go.*; do
  [ -d "$old" ] || continue
  pid=${old##*/wildside-cnpg-go.}
  pid=${pid%%.*}
  case $pid in '' | *[!0-9]*) continue ;; esac
  kill -0 "$pid" 2>/dev/null && continue
  chmod -R u+w "$old" 2>/dev/null || true
  rm -rf "$old"
done

for step in scripts/setup/[0-9]*.sh; do
  [ -e "$step" ] || continue
  echo "== setup: $step" >&2
  go_scratch=$(mktemp -d "${TMPDIR:-/tmp}/wildside-cnpg-go.$$.XXXXXX")
  GOCACHE=$go_scratch/build GOMODCACHE=$go_scratch/mod bash "$step"
  if [ -n "$(ls -A "$go_scratch")" ]; then
    echo "== setup: $step built with $(du -sh "$go_scratch" | cut -f1) of Go caches, now removed" >&2
  fi
  remove_go_scratch
done

trap - EXIT INT TERM
exec "$venv/bin/python" -m pytest "$@"
