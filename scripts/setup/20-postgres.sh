#!/usr/bin/env bash
# PostgreSQL 15 and PostGIS 3 from Debian's packages, for the engine tests
# (tests/integration/engines). Idempotent: returns at once when every package
# is already installed; otherwise refreshes the package lists once and installs.
set -euo pipefail
packages=(postgresql-15 postgresql-15-postgis-3 postgresql-15-postgis-3-scripts)

installed() {
  dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo -n)
fi
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Debian's post-install creates a default cluster (15/main) and may start it
# where services can run; the tests start their own servers, so stop it.
if pg_lsclusters -h 2>/dev/null | grep -q '^15 \+main .* online'; then
  "${sudo[@]}" pg_ctlcluster 15 main stop >&2 || true
fi
for p in "${packages[@]}"; do
  installed "$p" || { echo "20-postgres: $p did not install" >&2; exit 1; }
done
