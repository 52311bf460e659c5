#!/usr/bin/env bash
# The policies' WebAssembly compiled for this machine, cached beside the package as
# its owner would after installing (docs/policy.md, "What is cached"): the suite's
# processes then load it (a few milliseconds) even when PYTHONDONTWRITEBYTECODE keeps
# them from writing it, instead of compiling it in each one. A rerun only loads it.
set -euo pipefail
env -u PYTHONDONTWRITEBYTECODE wildside-cnpg policy --inputs /dev/null >/dev/null
