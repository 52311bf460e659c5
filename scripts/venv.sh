#!/usr/bin/env bash
# Create (once) and refresh a virtualenv of this checkout under the cache directory,
# then print its path. The argument says what to install: `base` (the package alone:
# render, outputs, policy, schema), or extras such as `apply`, `validate` or `test`
# (everything the suite needs; the default). Each checkout and each choice gets its
# own venv (keyed by the checkout's path), so two checkouts never import each other's
# code and `make render` never pulls in the test tools; pip's cache keeps a second
# venv fast. Reruns reinstall only when pyproject.toml changed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
extras=${1:-test}
case $extras in
  base) spec=$here ;;
  *[!a-z,]*) echo "venv.sh: expected base or extras such as test or apply,validate, got '$extras'" >&2; exit 2 ;;
  *) spec="$here[$extras]" ;;
esac
venv=$cache/venvs/$(printf '%s' "$here" | sha256sum | cut -c1-12)-$extras
mkdir -p "$cache/venvs"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
fi
stamp=$venv/.wildside-stamp
want=$( (cat "$here/pyproject.toml"; echo "$here $extras") | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$venv/bin/python" -m pip install --quiet -e "$spec" >&2
  echo "$want" > "$stamp"
fi
echo "$venv"
