"""The policies ship inside the wheel, beside the runner that loads them, with their
WebAssembly build and its stamp."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.policy.trees import REPO
from wildside_cnpg.policy import policy_dir


def test_wheel_carries_every_policy(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), "."],
        cwd=REPO,
        check=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("wildside_cnpg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(path.name for path in policy_dir().glob("*.rego"))
    assert shipped == [
        "alerts.rego",
        "backup.rego",
        "cluster.rego",
        "credentials.rego",
        "databases.rego",
        "disruption.rego",
        "flux.rego",
        "helmrelease.rego",
        "lib.rego",
        "pooler.rego",
        "tls.rego",
        "tree.rego",
    ]
    for name in shipped:
        assert f"wildside_cnpg/policy/manifests/{name}" in names
    for name in ("entrypoint.rego", "policy.wasm", "policy.json"):
        assert f"wildside_cnpg/policy/wasm/{name}" in names
