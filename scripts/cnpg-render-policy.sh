#!/usr/bin/env bash
# Render examples/render (or INPUTS=file) into a temporary directory and run the
# policies over it: in-process (`wildside-cnpg policy`), then with conftest one file
# at a time and with --combine, exactly as a GitOps repository's CI would.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
export WILDSIDE_CNPG_CACHE=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
venv=$(scripts/venv.sh test)
export PATH="$WILDSIDE_CNPG_CACHE/bin:$venv/bin:$PATH"
bash scripts/setup/50-conftest.sh
inputs=${INPUTS:-examples/render/inputs.yaml}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== render $inputs -> $out" >&2
wildside-cnpg render --inputs "$inputs" --out "$out" >/dev/null
echo "== wildside-cnpg policy (in-process)" >&2
wildside-cnpg policy --fail-on-warn "$out"
policy=$(python -c 'from wildside_cnpg.policy import policy_dir; print(policy_dir())')
cd "$out"
echo "== conftest, one file at a time" >&2
conftest test --no-color --fail-on-warn --namespace wildside_cnpg --policy "$policy" platform
echo "== conftest --combine" >&2
conftest test --no-color --fail-on-warn --namespace wildside_cnpg --policy "$policy" --combine platform
