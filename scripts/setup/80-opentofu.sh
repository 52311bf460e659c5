#!/usr/bin/env bash
# OpenTofu and the hashicorp/external provider, for the tests of the OpenTofu
# module in opentofu/modules/cnpg. Built once, cached under $WILDSIDE_CNPG_CACHE;
# a rerun only checks the version stamps.
#
# - tofu: `go install github.com/opentofu/opentofu/cmd/tofu@...` is refused because
#   OpenTofu's go.mod replaces github.com/hashicorp/hcl/v2 with OpenTofu's fork. A
#   small wrapper module requires github.com/opentofu/opentofu and repeats every
#   replace line of that tag's go.mod, then builds cmd/tofu with the release flags.
# - terraform-provider-external: its module path is not served by the Go module
#   proxy, so it is built from the source archive vendored in tests/data and laid
#   out as an unpacked provider directory: `tofu init -plugin-dir DIR` (or a
#   filesystem_mirror in a CLI configuration) installs it without any registry.
#
# Prints nothing on stdout. Logs each build's duration on stderr.
set -euo pipefail

TOFU_VERSION=${WILDSIDE_CNPG_TOFU_VERSION:-v1.12.6}
EXTERNAL_VERSION=2.4.0
# Bump when a build recipe changes, so cached binaries are rebuilt.
RECIPE=1

here=$(cd "$(dirname "$0")/../.." && pwd)
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
root=$cache/opentofu
bin=$cache/bin
archive=$here/tests/data/upstream-src/terraform-provider-external-$EXTERNAL_VERSION.tar.gz
platform=$(go env GOOS)_$(go env GOARCH)
plugins=$root/plugins
provider_dir=$plugins/registry.opentofu.org/hashicorp/external/$EXTERNAL_VERSION/$platform
provider=$provider_dir/terraform-provider-external_v$EXTERNAL_VERSION
mkdir -p "$root" "$bin"
[ -f "$archive" ] || { echo "80-opentofu: the provider source is missing: expected $archive" >&2; exit 1; }

export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
run() { nice -n 10 "$@"; }
log() { echo "80-opentofu: $*" >&2; }

build_tofu() {
  local info modfile goline src
  info=$(go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION")
  modfile=$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$modfile" ] || { log "cannot read go.mod of github.com/opentofu/opentofu@$TOFU_VERSION"; exit 1; }
  goline=$(awk '$1 == "go" {print $2; exit}' "$modfile")
  src=$root/src/tofu
  rm -rf "$src" && mkdir -p "$src"
  {
    echo "module wildside-cnpg.local/tofu"
    echo
    echo "go $goline"
    echo
    echo "require github.com/opentofu/opentofu $TOFU_VERSION"
    echo
    # OpenTofu's replace lines (one-line form; its go.mod has no replace block).
    awk '$1 == "replace" && $0 !~ /\($/' "$modfile"
  } > "$src/go.mod"
  grep -q '^replace github.com/hashicorp/hcl/v2 ' "$src/go.mod" ||
    { log "OpenTofu $TOFU_VERSION no longer replaces hcl/v2 on one line: revisit this recipe"; exit 1; }
  (cd "$src" && run go build -mod=mod -trimpath \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    -o "$root/tofu.tmp" github.com/opentofu/opentofu/cmd/tofu)
  mv "$root/tofu.tmp" "$root/tofu"
}

build_external() {
  local src=$root/src
  rm -rf "$src/terraform-provider-external-$EXTERNAL_VERSION"
  mkdir -p "$src" "$provider_dir"
  tar xzf "$archive" -C "$src"
  (cd "$src/terraform-provider-external-$EXTERNAL_VERSION" &&
    run go build -trimpath -ldflags "-s -w" -o "$provider.tmp" .)
  mv "$provider.tmp" "$provider"
}

timed() { # what function
  local start
  start=$(date +%s)
  log "building $1"
  "$2"
  log "built $1 in $(($(date +%s) - start))s"
}

tofu_stamp="$TOFU_VERSION recipe $RECIPE"
if [ -x "$root/tofu" ] && [ "$(cat "$root/.tofu.built" 2>/dev/null)" = "$tofu_stamp" ]; then
  log "tofu $TOFU_VERSION cached in $root"
else
  timed "tofu $TOFU_VERSION" build_tofu
  # An empty CLI configuration: a stale TF_CLI_CONFIG_FILE only adds warnings.
  TF_CLI_CONFIG_FILE=/dev/null "$root/tofu" version -json |
    grep -q "\"terraform_version\": \"${TOFU_VERSION#v}\"" ||
    { log "the built tofu does not report OpenTofu $TOFU_VERSION"; exit 1; }
  echo "$tofu_stamp" > "$root/.tofu.built"
fi
ln -sf "$root/tofu" "$bin/tofu"

external_stamp="$EXTERNAL_VERSION $platform recipe $RECIPE $(sha256sum "$archive" | cut -c1-16)"
if [ -x "$provider" ] && [ "$(cat "$root/.external.built" 2>/dev/null)" = "$external_stamp" ]; then
  log "terraform-provider-external $EXTERNAL_VERSION cached in $plugins"
else
  timed "terraform-provider-external $EXTERNAL_VERSION" build_external
  echo "$external_stamp" > "$root/.external.built"
fi
