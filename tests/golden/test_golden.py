"""Whole rendered trees for representative inputs, byte for byte, with the exact
file list. After an intended change: `make golden` and review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.cases import CASES, CHECKOUTS, GOLDEN_DIR
from tests.golden.regenerate import render_checkout
from wildside_cnpg import Inputs, Module


def files_under(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_tree_matches_golden(name: str) -> None:
    rendered = Module(Inputs.from_mapping(CASES[name])).render()
    on_disk = files_under(GOLDEN_DIR / name)
    assert sorted(rendered) == sorted(on_disk)
    for path, text in rendered.items():
        assert text == on_disk[path], f"{name}: {path} differs from its golden file"


@pytest.mark.parametrize("name", sorted(CHECKOUTS))
def test_checkout_matches_golden(name: str, tmp_path: Path) -> None:
    """Several clusters rendered into one checkout: each render leaves the others'
    files byte for byte, and the whole checkout (record included) is pinned."""
    render_checkout(CHECKOUTS[name], tmp_path)
    on_disk = files_under(tmp_path)
    golden = files_under(GOLDEN_DIR / name)
    assert sorted(on_disk) == sorted(golden)
    for path, text in on_disk.items():
        assert text == golden[path], f"{name}: {path} differs from its golden file"


def test_a_render_leaves_another_clusters_files_byte_for_byte(tmp_path: Path) -> None:
    first, *rest = CHECKOUTS["two-clusters-one-operator"]
    render_checkout([first], tmp_path)
    before = {
        path: text
        for path, text in files_under(tmp_path).items()
        if path != ".wildside-cnpg-owned.json"
    }
    render_checkout(rest, tmp_path)
    after = files_under(tmp_path)
    for path, text in before.items():
        assert after[path] == text, path


_NS = "platform/databases/namespaces"
_OP = "platform/databases/operator"
_WPG = "platform/databases/clusters/wildside-pg"
_BASE = [
    f"{_WPG}/cluster/cluster.yaml",
    f"{_WPG}/cluster/kustomization.yaml",
    f"{_WPG}/flux-kustomizations.yaml",
    f"{_WPG}/kustomization.yaml",
    f"{_NS}/cnpg-system/kustomization.yaml",
    f"{_NS}/cnpg-system/namespace.yaml",
    f"{_NS}/databases/kustomization.yaml",
    f"{_NS}/databases/namespace.yaml",
    f"{_OP}/flux-kustomization.yaml",
    f"{_OP}/kustomization.yaml",
    f"{_OP}/layer/chart-sources.yaml",
    f"{_OP}/layer/cnpg-operator-helmrelease.yaml",
    f"{_OP}/layer/kustomization.yaml",
]
EXPECTED_FILES = {
    "defaults": sorted(_BASE),
    "single-instance": sorted(_BASE),
    "backup-inline-keys": sorted(
        [
            *_BASE,
            f"{_WPG}/cluster/s3-credentials-secret.yaml",
            f"{_WPG}/cluster/scheduled-backup.yaml",
        ]
    ),
    "plugin-backup-oci": sorted(
        [
            *_BASE,
            f"{_OP}/layer/barman-cloud-plugin-helmrelease.yaml",
            f"{_WPG}/cluster/object-store.yaml",
            f"{_WPG}/cluster/scheduled-backup.yaml",
            f"{_WPG}/addons/kustomization.yaml",
            f"{_WPG}/addons/podmonitor.yaml",
        ]
    ),
    "eso-with-backup": sorted(
        [
            *_BASE,
            f"{_OP}/layer/barman-cloud-plugin-helmrelease.yaml",
            f"{_WPG}/cluster/object-store.yaml",
            f"{_WPG}/cluster/pdb.yaml",
            f"{_WPG}/cluster/scheduled-backup.yaml",
            f"{_WPG}/credentials/external-secret-app.yaml",
            f"{_WPG}/credentials/external-secret-backup.yaml",
            f"{_WPG}/credentials/external-secret-superuser.yaml",
            f"{_WPG}/credentials/kustomization.yaml",
        ]
    ),
    "pooling-alerts-tls": sorted(
        [
            *_BASE,
            f"{_OP}/layer/barman-cloud-plugin-helmrelease.yaml",
            f"{_WPG}/addons/kustomization.yaml",
            f"{_WPG}/addons/podmonitor.yaml",
            f"{_WPG}/addons/prometheus-rule.yaml",
            f"{_WPG}/cluster/object-store.yaml",
            f"{_WPG}/cluster/poolers.yaml",
            f"{_WPG}/cluster/scheduled-backup.yaml",
            f"{_WPG}/credentials/certificate.yaml",
            f"{_WPG}/credentials/external-secret-app.yaml",
            f"{_WPG}/credentials/external-secret-backup.yaml",
            f"{_WPG}/credentials/external-secret-superuser.yaml",
            f"{_WPG}/credentials/kustomization.yaml",
        ]
    ),
    "recovery-point-in-time": sorted(
        [
            *_BASE,
            f"{_OP}/layer/barman-cloud-plugin-helmrelease.yaml",
            f"{_WPG}/cluster/object-store.yaml",
            f"{_WPG}/cluster/recovery-object-store.yaml",
            f"{_WPG}/cluster/scheduled-backup.yaml",
            f"{_WPG}/credentials/external-secret-app.yaml",
            f"{_WPG}/credentials/external-secret-backup.yaml",
            f"{_WPG}/credentials/external-secret-recovery.yaml",
            f"{_WPG}/credentials/external-secret-superuser.yaml",
            f"{_WPG}/credentials/kustomization.yaml",
        ]
    ),
    "production": sorted(
        [
            *_BASE,
            f"{_OP}/layer/barman-cloud-plugin-helmrelease.yaml",
            f"{_WPG}/cluster/object-store.yaml",
            f"{_WPG}/addons/kustomization.yaml",
            f"{_WPG}/addons/podmonitor.yaml",
            f"{_WPG}/cluster/databases.yaml",
            f"{_WPG}/cluster/scheduled-backup.yaml",
            f"{_WPG}/credentials/external-secret-app.yaml",
            f"{_WPG}/credentials/external-secret-backup.yaml",
            f"{_WPG}/credentials/external-secrets-roles.yaml",
            f"{_WPG}/credentials/kustomization.yaml",
        ]
    ),
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
