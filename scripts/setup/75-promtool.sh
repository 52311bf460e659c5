#!/usr/bin/env bash
# promtool, to test the alert rules the tree renders with `promtool test rules` on
# synthetic series (tests/alerts). Built once with `go install` from the Go module
# proxy into the cache's bin/ (Prometheus 3.x publishes its Go module as v0.3xx.y:
# v0.316.0 is Prometheus 3.16.0, the newest whose go.mod these machines' Go accepts).
# `remove_all_sd` leaves out the service discovery plugins (cloud SDKs) that rule
# tests never use, which halves the build. Skipped while the cached binary is that
# build; a rerun takes about a second.
set -euo pipefail
version=${WILDSIDE_CNPG_PROMTOOL_VERSION:-v0.316.0}
module=github.com/prometheus/prometheus
tags=remove_all_sd
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
bin=$cache/bin/promtool
if [ -x "$bin" ] && built=$(go version -m "$bin" 2>/dev/null) &&
  grep -Eq "^[[:space:]]+mod[[:space:]]+$module[[:space:]]+$version([[:space:]]|$)" <<<"$built" &&
  grep -Eq "^[[:space:]]+build[[:space:]]+-tags=$tags$" <<<"$built"; then
  exit 0
fi
mkdir -p "$cache/bin"
echo "building promtool from $module $version (go install, cached in $cache/bin)" >&2
GOBIN="$cache/bin" CGO_ENABLED=0 GOFLAGS=-buildvcs=false nice -n 10 \
  go install -trimpath -tags "$tags" -ldflags "-s -w" "$module/cmd/promtool@$version"
"$bin" --version >&2
