#!/usr/bin/env bash
# Barman Cloud (barman-cloud-wal-archive, -backup, -restore, ...) in a virtualenv
# the `postgres` user can execute: PostgreSQL runs archive_command and
# restore_command as that user, and a venv under /root (mode 0700) is out of its
# reach. Every compression library pip can provide for CNPG's WAL and data
# compression enums goes in too (gzip, bzip2, xz come with Python itself).
# Idempotent: a stamp records the requirement set; reruns return at once.
set -euo pipefail
venv=${WILDSIDE_CNPG_BARMAN_VENV:-/var/cache/wildside-cnpg/barman-venv}
requirements=(
  "barman[cloud]==3.19.1"   # newest for Debian 12's Python 3.11 (3.20 needs 3.12)
  "python-snappy>=0.7"      # --snappy
  "lz4>=4"                  # --lz4
  "zstandard>=0.22"         # --zstd
)
want=$(printf '%s\n' "${requirements[@]}" | sha256sum | cut -c1-16)
stamp=$venv/.wildside-stamp
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/barman-cloud-backup" ]; then
  exit 0
fi
echo "building $venv" >&2
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
# The system interpreter, so the venv never points into a directory the
# postgres user cannot traverse.
/usr/bin/python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${requirements[@]}" >&2
chmod -R a+rX "$venv"
chmod a+rx "$(dirname "$venv")"
runuser -u postgres -- "$venv/bin/barman-cloud-backup" --version >&2
echo "$want" > "$stamp"
