#!/usr/bin/env bash
# Create (once) and refresh this checkout's virtualenv under the cache directory,
# then print its path. Each checkout gets its own venv (keyed by its path), so two
# checkouts on one machine never import each other's code; pip's cache keeps the
# second one fast. Reruns reinstall only when pyproject.toml changed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
extras=${1:-test}
venv=$cache/venvs/$(printf '%s' "$here" | sha256sum | cut -c1-12)
mkdir -p "$cache/venvs"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
fi
stamp=$venv/.wildside-stamp-$extras
want=$( (cat "$here/pyproject.toml"; echo "$here") | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$venv/bin/python" -m pip install --quiet -e "$here[$extras]" >&2
  echo "$want" > "$stamp"
fi
echo "$venv"
