#!/usr/bin/env bash
# Manifest tooling for the conformance tests: kubeconform and kustomize built with
# `go install` at pinned versions into the cache's bin/ (skipped when that version is
# there), and the local JSON schemas kubeconform reads offline, generated from the
# upstream CRDs vendored in tests/data/crds and from the core Kubernetes
# schemas the package ships. Idempotent; a rerun takes about a second.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
bin=$cache/bin
python=${PYTHON:-python}
mkdir -p "$bin"

KUBECONFORM_VERSION=v0.7.0
# v5.8.3 needs Go >= 1.27; v5.8.2 is the newest that builds with the Go these machines have.
KUSTOMIZE_VERSION=v5.8.2

go_install() { # binary module version
  local stamp=$bin/.$1.version
  if [ -x "$bin/$1" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$3" ]; then
    return 0
  fi
  echo "installing $1 $3 into $bin" >&2
  GOBIN=$bin GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go install "$2@$3"
  echo "$3" > "$stamp"
}

go_install kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
go_install kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"

crds=$here/tests/data/crds
if [ ! -d "$crds" ]; then
  echo "60-manifest-tools: the upstream CRDs are missing: expected $crds" >&2
  exit 1
fi
"$python" "$here/scripts/kubeconform_schemas.py" --crds "$crds" --out "$cache/kubeconform-schemas" >/dev/null
