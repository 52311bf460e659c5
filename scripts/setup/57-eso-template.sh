#!/usr/bin/env bash
# eso-template (tests/tools/eso-template): External Secrets Operator's template
# engine v2 as ESO composes it, Go's text/template with sprig v3's functions, so
# the tests render the tree's ExternalSecret templates as ESO would. Built once into
# the cache; rebuilt when its sources change (a stamp holds their hash).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
src=$here/tests/tools/eso-template
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
bin=$cache/bin/eso-template
stamp=$cache/bin/.eso-template.built
sum=$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -d' ' -f1)
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
  exit 0
fi
mkdir -p "$cache/bin"
echo "building eso-template (go build, cached in $cache/bin)" >&2
(cd "$src" && CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=readonly" GOTOOLCHAIN=local nice -n 10 \
  go build -trimpath -ldflags "-s -w" -o "$bin.tmp" .)
mv "$bin.tmp" "$bin"
echo "$sum" > "$stamp"
