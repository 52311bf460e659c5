#!/usr/bin/env bash
# conftest, to run the shipped policies exactly as a GitOps repository's CI does
# (the policy tests compare its verdicts with the in-process engine's). Built once
# with `go install` into the cache; skipped while the cached binary is this version.
set -euo pipefail
version=v0.69.0
module=github.com/open-policy-agent/conftest
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
bin=$cache/bin/conftest
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -qx "Conftest: ${version#v}" &&
  go version -m "$bin" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+$module[[:space:]]+$version([[:space:]]|$)"; then
  exit 0
fi
mkdir -p "$cache/bin"
echo "building conftest $version (go install, cached in $cache/bin)" >&2
GOBIN="$cache/bin" go install -trimpath \
  -ldflags "-s -w -X $module/internal/version.Version=${version#v}" "$module@$version"
"$bin" --version >&2
