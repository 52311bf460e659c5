"""Whole rendered trees for representative inputs, byte for byte, with the exact
file list. After an intended change: `make golden` and review the diff."""

from __future__ import annotations

import pytest

from tests.golden.cases import CASES, GOLDEN_DIR
from wildside_cnpg import Inputs, Module


@pytest.mark.parametrize("name", sorted(CASES))
def test_tree_matches_golden(name: str) -> None:
    rendered = Module(Inputs.from_mapping(CASES[name])).render()
    root = GOLDEN_DIR / name
    on_disk = {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
    assert sorted(rendered) == sorted(on_disk)
    for path, text in rendered.items():
        assert text == on_disk[path], f"{name}: {path} differs from its golden file"


EXPECTED_FILES = {
    "defaults": [
        "platform/databases/cnpg-operator-helmrelease.yaml",
        "platform/databases/kustomization.yaml",
        "platform/databases/layers/cluster/kustomization.yaml",
        "platform/databases/layers/operator/kustomization.yaml",
        "platform/databases/namespace-cnpg-system.yaml",
        "platform/databases/namespace-databases.yaml",
        "platform/databases/pdb-cnpg-cluster.yaml",
        "platform/databases/wildside-pg-cluster.yaml",
        "platform/flux/cnpg-kustomizations.yaml",
        "platform/sources/cloudnative-pg-repo.yaml",
    ],
    "single-instance": [
        "platform/databases/cnpg-operator-helmrelease.yaml",
        "platform/databases/kustomization.yaml",
        "platform/databases/layers/cluster/kustomization.yaml",
        "platform/databases/layers/operator/kustomization.yaml",
        "platform/databases/namespace-cnpg-system.yaml",
        "platform/databases/namespace-databases.yaml",
        "platform/databases/wildside-pg-cluster.yaml",
        "platform/flux/cnpg-kustomizations.yaml",
        "platform/sources/cloudnative-pg-repo.yaml",
    ],
    "backup-inline-keys": [
        "platform/databases/cnpg-operator-helmrelease.yaml",
        "platform/databases/kustomization.yaml",
        "platform/databases/layers/cluster/kustomization.yaml",
        "platform/databases/layers/operator/kustomization.yaml",
        "platform/databases/namespace-cnpg-system.yaml",
        "platform/databases/namespace-databases.yaml",
        "platform/databases/pdb-cnpg-cluster.yaml",
        "platform/databases/s3-credentials-secret.yaml",
        "platform/databases/scheduled-backup.yaml",
        "platform/databases/wildside-pg-cluster.yaml",
        "platform/flux/cnpg-kustomizations.yaml",
        "platform/sources/cloudnative-pg-repo.yaml",
    ],
    "plugin-backup-oci": [
        "platform/databases/barman-cloud-plugin-helmrelease.yaml",
        "platform/databases/cnpg-operator-helmrelease.yaml",
        "platform/databases/kustomization.yaml",
        "platform/databases/layers/cluster/kustomization.yaml",
        "platform/databases/layers/operator/kustomization.yaml",
        "platform/databases/namespace-cnpg-system.yaml",
        "platform/databases/namespace-databases.yaml",
        "platform/databases/object-store.yaml",
        "platform/databases/pdb-cnpg-cluster.yaml",
        "platform/databases/podmonitor-wildside-pg.yaml",
        "platform/databases/scheduled-backup.yaml",
        "platform/databases/wildside-pg-cluster.yaml",
        "platform/flux/cnpg-kustomizations.yaml",
        "platform/sources/cloudnative-pg-repo.yaml",
    ],
    "eso-with-backup": [
        "platform/databases/cnpg-operator-helmrelease.yaml",
        "platform/databases/external-secret-app.yaml",
        "platform/databases/external-secret-backup.yaml",
        "platform/databases/external-secret-superuser.yaml",
        "platform/databases/kustomization.yaml",
        "platform/databases/layers/cluster/kustomization.yaml",
        "platform/databases/layers/operator/kustomization.yaml",
        "platform/databases/namespace-cnpg-system.yaml",
        "platform/databases/namespace-databases.yaml",
        "platform/databases/pdb-cnpg-cluster.yaml",
        "platform/databases/scheduled-backup.yaml",
        "platform/databases/wildside-pg-cluster.yaml",
        "platform/flux/cnpg-kustomizations.yaml",
        "platform/sources/cloudnative-pg-repo.yaml",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_FILES))
def test_exact_file_list(name: str) -> None:
    """The file list is part of the contract; it is written out here, not derived."""
    assert sorted(Module(Inputs.from_mapping(CASES[name])).render()) == EXPECTED_FILES[name]


def test_rendering_is_deterministic_across_processes() -> None:
    """Same inputs, same bytes, in a fresh interpreter with another hash seed."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json,sys; from wildside_cnpg import Inputs, Module; "
        "v=json.loads(sys.argv[1]); print(json.dumps(Module(Inputs.from_mapping(v)).render()))"
    )
    values = CASES["eso-with-backup"]
    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, "-c", code, json.dumps(values)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == Module(Inputs.from_mapping(values)).render()
