#!/usr/bin/env bash
# OPA itself, the compiler of the policies' WebAssembly build (src/wildside_cnpg/
# policy/wasm/policy.wasm, `make policy-wasm`; a test rebuilds it and compares). The
# same OPA release conftest v0.69.0 is built with (scripts/setup/50-conftest.sh), so
# the in-process engine and conftest run one compiler's reading of the Rego. Built
# once with `go install` into the cache; skipped while the cached binary is this
# version (a rerun takes well under a second).
set -euo pipefail
version=v1.19.0
module=github.com/open-policy-agent/opa
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
bin=$cache/bin/opa
if [ -x "$bin" ] && go version -m "$bin" 2>/dev/null |
  grep -Eq "^[[:space:]]+mod[[:space:]]+$module[[:space:]]+$version([[:space:]]|$)"; then
  exit 0
fi
mkdir -p "$cache/bin"
echo "building opa $version (go install, cached in $cache/bin)" >&2
GOBIN="$cache/bin" CGO_ENABLED=0 GOFLAGS=-buildvcs=false nice -n 10 \
  go install -trimpath -ldflags "-s -w" "$module@$version"
"$bin" version | head -1 >&2
