#!/usr/bin/env bash
# zsh and fish from Debian's packages, for the tests of `wildside-cnpg completion`
# (bash is already there). Idempotent: returns at once when both are installed.
set -euo pipefail
. "$(dirname "$0")/lib/apt.sh"
apt_install 70-shells zsh fish
