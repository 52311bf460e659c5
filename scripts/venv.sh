#!/usr/bin/env bash
# Create (once) and refresh the project's virtualenv under the cache directory,
# then print its path. Reruns only reinstall when pyproject.toml changed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${WILDSIDE_CNPG_CACHE:-$HOME/.cache/wildside-cnpg}
venv=$cache/venv
extras=${1:-test}
mkdir -p "$cache"
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
