"""The shipped policy.wasm is what OPA builds from the shipped .rego files today:
a fresh build with the OPA of scripts/setup/55-opa.sh (the one conftest v0.69.0 is
built with) is byte for byte the shipped one, and its stamp records the sources."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.policy.trees import REPO
from wildside_cnpg.policy import compiled, policy_dir


def test_the_shipped_build_is_what_opa_builds_from_the_shipped_rego() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/build-policy-wasm.py", "--check"],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_the_stamp_records_the_sources_and_the_build() -> None:
    stamp = json.loads(compiled.STAMP.read_text(encoding="utf-8"))
    assert stamp == {
        "entrypoint": "wildside_cnpg_engine/findings",
        "opa": "1.19.0",
        "memory_pages": stamp["memory_pages"],
        "sources": compiled.sources_digest(),
        "wasm": hashlib.sha256(compiled.POLICY_WASM.read_bytes()).hexdigest(),
    }
    assert int(stamp["memory_pages"]) > 0
    shipped = sorted(f"manifests/{p.name}" for p in policy_dir().glob("*.rego"))
    names = [f"{p.parent.name}/{p.name}" for p in compiled.source_files()]
    assert names == [*shipped, "wasm/entrypoint.rego"]


def test_the_rego_is_formatted_as_opa_fmt_writes_it() -> None:
    opa = shutil.which("opa") or str(
        Path(os.environ.get("WILDSIDE_CNPG_CACHE", Path.home() / ".cache/wildside-cnpg"))
        / "bin"
        / "opa"
    )
    done = subprocess.run(
        [opa, "fmt", "--list", str(policy_dir())],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # --list names each file whose formatting differs from opa fmt's.
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
