#!/usr/bin/env bash
# Build (once) the real controllers the controller tests run outside the cluster:
# CloudNativePG's manager and Flux's source-, kustomize- and helm-controller. Each is
# cached under $WILDSIDE_CNPG_CACHE/controllers/<name>-<version> with a stamp, so a
# rerun only checks the stamps; the binaries are linked into the cache's bin/.
#
# - CNPG 1.30.0 and helm-controller 1.5.5 from the source archives in
#   tests/data/upstream-src (the module proxy does not serve them as modules that
#   build; helm-controller 1.6.x needs a Helm fork the proxy does not serve).
# - source- and kustomize-controller v1.9.6 from the module proxy: the newest 1.9.x
#   whose module and /api module are both served (1.10.x needs Go 1.27). Their
#   go.mod replaces ./api, which a module download does not contain, so each is built
#   from a wrapper module that requires the controller and its /api module at the same
#   version and copies the controller's other replace lines.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
root=$cache/controllers
bin=$cache/bin
src_archives=$here/tests/data/upstream-src
mkdir -p "$root" "$bin"

CNPG_VERSION=1.30.0
HELM_CONTROLLER_VERSION=1.5.5
SOURCE_CONTROLLER_VERSION=v1.9.6
KUSTOMIZE_CONTROLLER_VERSION=v1.9.6
# source-controller v1.9.6 requires github.com/fluxcd/pkg/artifact v0.18.3, which the
# proxy does not serve; v0.18.0 builds and serves artifacts the same way.
SOURCE_CONTROLLER_ARTIFACT_PKG=v0.18.0
# Bump when the build recipe changes, so cached binaries are rebuilt.
RECIPE=1

export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
run() { nice -n 10 "$@"; }
log() { echo "70-controllers: $*" >&2; }

# cached NAME VERSION: true when NAME's binary for VERSION and this recipe is there.
cached() {
  local dir=$root/$1-$2
  [ -x "$dir/$1" ] && [ "$(cat "$dir/.built" 2>/dev/null)" = "$2 recipe $RECIPE" ]
}

# finish NAME VERSION START: stamp, link into bin/ and log the build time.
finish() {
  local dir=$root/$1-$2
  echo "$2 recipe $RECIPE" > "$dir/.built"
  rm -rf "$dir/src"
  log "built $1 $2 in $(( $(date +%s) - $3 ))s"
}

# from_archive NAME VERSION ARCHIVE PACKAGE: go build PACKAGE inside the unpacked archive.
from_archive() {
  local name=$1 version=$2 archive=$3 package=$4
  local dir=$root/$name-$version
  [ -f "$archive" ] || { log "missing source archive $archive"; exit 1; }
  rm -rf "$dir" && mkdir -p "$dir/src"
  tar xzf "$archive" -C "$dir/src" --strip-components=1
  (cd "$dir/src" && run go build -trimpath -ldflags=-s -o "$dir/$name.tmp" "$package")
  mv "$dir/$name.tmp" "$dir/$name"
}

# from_proxy NAME VERSION [EXTRA_REPLACE...]: a wrapper module requiring
# github.com/fluxcd/NAME and its /api module at VERSION, with the controller's own
# replace lines that do not point into its tree.
from_proxy() {
  local name=$1 version=$2
  shift 2
  local module=github.com/fluxcd/$name
  local dir=$root/$name-$version
  local modfile goline
  modfile=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$modfile" ] || { log "cannot read go.mod of $module@$version"; exit 1; }
  goline=$(awk '$1 == "go" {print $2; exit}' "$modfile")
  rm -rf "$dir" && mkdir -p "$dir/src"
  {
    printf 'module wildside-cnpg.local/%s\n\ngo %s\n\n' "$name" "$goline"
    printf 'require (\n\t%s %s\n\t%s/api %s\n)\n\n' "$module" "$version" "$module" "$version"
    # `replace a => b v` lines and the lines of replace blocks, minus local paths.
    awk '/=>/ { line = $0; sub(/^[[:space:]]*replace[[:space:]]+/, "", line);
                sub(/^[[:space:]]+/, "", line); split(line, parts, "=>");
                target = parts[2]; sub(/^[[:space:]]+/, "", target);
                if (target !~ /^\.\.?\//) print "replace " line }' "$modfile"
    for extra in "$@"; do echo "replace $extra"; done
  } > "$dir/src/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$module" > "$dir/src/tools.go"
  # `go get` rather than `go mod tidy`: tidy also resolves the controllers' test-only
  # dependencies, some of which the proxy does not serve.
  (cd "$dir/src" && run go get "$module@$version" "$module/api@$version" &&
    run go build -mod=mod -trimpath -ldflags=-s -o "$dir/$name.tmp" "$module")
  mv "$dir/$name.tmp" "$dir/$name"
}

build() { # NAME VERSION BUILDER ARGS...
  local name=$1 version=$2 builder=$3
  shift 3
  if cached "$name" "$version"; then
    log "$name $version cached"
  else
    local start
    start=$(date +%s)
    log "building $name $version"
    "$builder" "$name" "$version" "$@"
    finish "$name" "$version" "$start"
  fi
  ln -sf "$root/$name-$version/$name" "$bin/$name"
}

build cnpg-manager "$CNPG_VERSION" from_archive \
  "$src_archives/cloudnative-pg-$CNPG_VERSION.tar.gz" ./cmd/manager
build helm-controller "$HELM_CONTROLLER_VERSION" from_archive \
  "$src_archives/helm-controller-$HELM_CONTROLLER_VERSION.tar.gz" .
build kustomize-controller "$KUSTOMIZE_CONTROLLER_VERSION" from_proxy
build source-controller "$SOURCE_CONTROLLER_VERSION" from_proxy \
  "github.com/fluxcd/pkg/artifact => github.com/fluxcd/pkg/artifact $SOURCE_CONTROLLER_ARTIFACT_PKG"
