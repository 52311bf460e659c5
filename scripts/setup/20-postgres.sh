#!/usr/bin/env bash
# PostgreSQL 15 and PostGIS 3 from Debian's packages, for the engine tests
# (tests/integration/engines). Idempotent: returns at once when every package
# is already installed; otherwise refreshes the package lists once and installs.
set -euo pipefail
. "$(dirname "$0")/lib/apt.sh"
apt_install 20-postgres postgresql-15 postgresql-15-postgis-3 postgresql-15-postgis-3-scripts
# Debian's post-install creates a default cluster (15/main) and may start it
# where services can run; the tests start their own servers, so stop it.
if [ "$APT_INSTALLED" = 1 ] && pg_lsclusters -h 2>/dev/null | grep -q '^15 \+main .* online'; then
  apt_sudo pg_ctlcluster 15 main stop >&2 || true
fi
