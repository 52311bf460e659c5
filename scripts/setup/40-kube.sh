#!/usr/bin/env bash
# Build (once) a real kube-apiserver, etcd and kubectl from the Kubernetes and etcd
# Go modules through the Go module proxy, and install helm; everything is cached
# under $WILDSIDE_CNPG_CACHE so a rerun only checks the stamps.
#
# `go install k8s.io/kubernetes/cmd/kube-apiserver@...` is refused because the
# kubernetes module replaces its staging modules with local directories. A
# small wrapper module requires k8s.io/kubernetes and replaces every staging
# module it requires with the published k8s.io/<m> v0.<minor>.<patch>; the list
# is read from the tag's own go.mod. etcd is built in a second wrapper at the
# version that tag pins, so resolving etcd's own dependencies cannot move any of
# kube-apiserver's.
set -euo pipefail

KUBE_VERSION=${WILDSIDE_CNPG_KUBE_VERSION:-v1.36.3}
# Bump when the build recipe changes, so cached binaries are rebuilt.
RECIPE=2
HELM_VERSION=${WILDSIDE_CNPG_HELM_VERSION:-v3.21.4}
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
out=$cache/kube/$KUBE_VERSION
bin=$cache/bin
mkdir -p "$out" "$bin"

export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
run() { nice -n 10 "$@"; }

log() { echo "40-kube: $*" >&2; }

# The go.mod of k8s.io/kubernetes at KUBE_VERSION (sets modfile and goline).
read_kube_modfile() {
  local info
  info=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION")
  modfile=$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$modfile" ] || { log "cannot read go.mod of k8s.io/kubernetes@$KUBE_VERSION"; exit 1; }
  goline=$(awk '$1 == "go" {print $2; exit}' "$modfile")
}

# A fresh wrapper module in $1 that requires k8s.io/kubernetes at KUBE_VERSION.
write_kube_wrapper() {
  local src=$1 staging=v0.${KUBE_VERSION#v1.}
  rm -rf "$src" && mkdir -p "$src"
  {
    echo "module wildside-cnpg.local/kube"
    echo
    echo "go $goline"
    echo
    echo "godebug default=go${goline%.*}"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    echo "replace ("
    # Every staging module that the tag replaces with ./staging/src and also
    # requires; unrequired ones (sample plugins) may not be published.
    awk '$2 == "=>" && $3 ~ /^\.\/staging\/src\// {print $1}' "$modfile" | sort -u |
      while read -r m; do
        if grep -Eq "^[[:space:]]*$m v0\.0\.0" "$modfile"; then
          echo "	$m => $m $staging"
        fi
      done
    echo ")"
  } > "$src/go.mod"
}

# Stamp the version as Kubernetes' release builds do: /version, `kubectl version`
# and clients such as helm read it.
kube_ldflags() {
  local minor=${KUBE_VERSION#v1.}
  minor=${minor%%.*}
  local pkg=k8s.io/component-base/version
  echo "-s -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
}

build_kube() {
  local modfile goline src
  read_kube_modfile
  src=$out/src/kube
  write_kube_wrapper "$src"
  log "building kube-apiserver $KUBE_VERSION"
  (cd "$src" && run go build -mod=mod -trimpath -ldflags="$(kube_ldflags)" -o "$out/kube-apiserver.tmp" \
    k8s.io/kubernetes/cmd/kube-apiserver)
  mv "$out/kube-apiserver.tmp" "$out/kube-apiserver"

  local etcd_version
  etcd_version=$(awk '$1 == "go.etcd.io/etcd/server/v3" {print $2; exit}' "$modfile")
  [ -n "$etcd_version" ] || { log "k8s.io/kubernetes@$KUBE_VERSION pins no etcd server"; exit 1; }
  src=$out/src/etcd
  rm -rf "$src" && mkdir -p "$src"
  printf 'module wildside-cnpg.local/etcd\n\ngo %s\n\nrequire go.etcd.io/etcd/server/v3 %s\n' \
    "$goline" "$etcd_version" > "$src/go.mod"
  log "building etcd $etcd_version"
  (cd "$src" && run go build -mod=mod -trimpath -ldflags=-s -o "$out/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$out/etcd.tmp" "$out/etcd"
  echo "$stamp" > "$out/.built"
}

stamp="$KUBE_VERSION recipe $RECIPE"
if [ -x "$out/kube-apiserver" ] && [ -x "$out/etcd" ] && [ "$(cat "$out/.built" 2>/dev/null)" = "$stamp" ]; then
  log "kube-apiserver and etcd cached in $out"
else
  start=$(date +%s)
  build_kube
  log "built in $(( $(date +%s) - start ))s"
fi
ln -sf "$out/kube-apiserver" "$bin/kube-apiserver"
ln -sf "$out/etcd" "$bin/etcd"

# kubectl of the same version (for the `render --stdout | kubectl apply/diff -f -`
# tests), from its own wrapper; it shares the module and build caches with the
# API server, so it mostly links what is already compiled.
KUBECTL_RECIPE=1
kubectl_stamp="$KUBE_VERSION kubectl recipe $KUBECTL_RECIPE"
if [ -x "$out/kubectl" ] && [ "$(cat "$out/.kubectl-built" 2>/dev/null)" = "$kubectl_stamp" ]; then
  log "kubectl cached in $out"
else
  start=$(date +%s)
  modfile='' goline=''
  read_kube_modfile
  write_kube_wrapper "$out/src/kubectl"
  log "building kubectl $KUBE_VERSION"
  (cd "$out/src/kubectl" && run go build -mod=mod -trimpath -ldflags="$(kube_ldflags)" \
    -o "$out/kubectl.tmp" k8s.io/kubernetes/cmd/kubectl)
  mv "$out/kubectl.tmp" "$out/kubectl"
  echo "$kubectl_stamp" > "$out/.kubectl-built"
  log "built kubectl in $(( $(date +%s) - start ))s"
fi
ln -sf "$out/kubectl" "$bin/kubectl"

if [ -x "$bin/helm" ] && "$bin/helm" version --template '{{.Version}}' 2>/dev/null | grep -qx "$HELM_VERSION"; then
  log "helm $HELM_VERSION cached"
else
  log "installing helm $HELM_VERSION"
  GOBIN=$bin run go install -trimpath -ldflags="-s -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
fi
