"""Rendered trees as plain data, mutated in place by the rejection cases, and
written to disk for conftest."""

from __future__ import annotations

import copy
import posixpath
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from wildside_cnpg import Inputs, Module

Tree = dict[str, list[dict[str, Any]]]

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

STANDARD_IMAGE = (
    "ghcr.io/cloudnative-pg/postgis:16.14-3.6.4-202608031108-standard-trixie"
    "@sha256:1b9516949b3e3b5651d3585c2923acb6a701f1abbfbb63274886108b58d3652c"
)

SUPERUSER = {
    "enable_superuser_access": True,
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}

# Base input sets the cases start from.
BASES: dict[str, dict[str, Any]] = {
    "defaults": {},
    "two-instances": {"instances": 2},
    # The tree's own budgets instead of CloudNativePG's (enablePDB: false).
    "custom-budgets": {"pdb_enabled": True},
    "custom-budgets-two": {"pdb_enabled": True, "instances": 2},
    # The production example, with superuser access (and its ExternalSecret) back on.
    "eso-backup": {
        **yaml.safe_load((EXAMPLES / "render" / "inputs.yaml").read_text()),
        **SUPERUSER,
    },
    # The example with CNPG's in-tree Barman (the policies warn about it, B16).
    "in-tree-backup": {
        **yaml.safe_load((EXAMPLES / "render" / "inputs.yaml").read_text()),
        **SUPERUSER,
        "backup_method": "barman_object_store",
    },
    "inline-keys": {
        "backup_enabled": True,
        "backup_destination_path": "s3://wildside-backups/pg",
        "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "backup_s3_access_key_id": "DO00EXAMPLEKEYID",
        "backup_s3_secret_access_key": "example-secret-access-key-0000",
        "backup_s3_inline_credentials_acknowledged": True,
    },
    "existing-s3-secret": {
        "backup_enabled": True,
        "backup_destination_path": "s3://wildside-backups/pg",
        "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "backup_s3_credentials_secret_name": "my-s3",
    },
    "oci-chart": {"chart_repository": "oci://ghcr.io/cloudnative-pg/charts"},
    # Database resources: the application database's and one extra database whose
    # owner's password an ExternalSecret fetches.
    "databases": {
        **SUPERUSER,
        "eso_enabled": True,
        "app_credentials_vault_path": "wildside/postgres/app",
        "database_resource_enabled": True,
        "databases": [
            {
                "name": "geo",
                "owner": "geo_owner",
                "credentials_vault_path": "wildside/postgres/geo",
            }
        ],
    },
    "pooling": {"pooler_enabled": True},
    # PgBouncer in front of the primary and the replicas, TLS from cert-manager, alerts.
    "pooling-tls-alerts": {
        **yaml.safe_load((EXAMPLES / "render" / "inputs.yaml").read_text()),
        **SUPERUSER,
        "pooler_enabled": True,
        "pooler_read_only_enabled": True,
        "tls_enabled": True,
        "tls_issuer_name": "ca-issuer",
        "monitoring_enabled": True,
        "alerts_enabled": True,
    },
    # A new cluster recovered from another archive, read through the plugin (keys from
    # Vault) or in-tree (keys from Vault, a system image; the policies warn, B16).
    "recovery-plugin": {
        **yaml.safe_load((EXAMPLES / "render" / "inputs.yaml").read_text()),
        "recovery_enabled": True,
        "recovery_source_destination_path": "s3://wildside-backups/old",
        "recovery_source_endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "recovery_source_credentials_vault_path": "wildside/postgres/backup-s3",
        "recovery_source_server_name": "wildside-pg",
        "recovery_backup_id": "20260801T093000",
        "recovery_target_name": "before-migration",
    },
    "recovery-in-tree": {
        "eso_enabled": True,
        "app_credentials_vault_path": "wildside/postgres/app",
        "superuser_credentials_vault_path": "wildside/postgres/superuser",
        "backup_method": "barman_object_store",
        "recovery_enabled": True,
        "recovery_source_destination_path": "s3://wildside-backups/old",
        "recovery_source_endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "recovery_source_credentials_vault_path": "wildside/postgres/backup-s3",
        "recovery_target_lsn": "0/3000060",
    },
    "plugin-backup": {
        **yaml.safe_load((EXAMPLES / "render" / "inputs.yaml").read_text()),
        **SUPERUSER,
        "backup_method": "barman_cloud_plugin",
        "image_name": STANDARD_IMAGE,
    },
}


@cache
def _rendered(base: str) -> tuple[tuple[str, str], ...]:
    files = Module(Inputs.from_mapping(BASES[base])).render()
    return tuple(sorted(files.items()))


def tree_of(base: str) -> Tree:
    """A fresh, mutable copy of a base tree, parsed from the rendered text."""
    return {
        path: [doc for doc in yaml.safe_load_all(text) if doc is not None]
        for path, text in _rendered(base)
    }


def dump(tree: Tree) -> dict[str, str]:
    return {
        path: yaml.safe_dump_all(docs, sort_keys=False, explicit_start=False)
        for path, docs in sorted(tree.items())
    }


def write(tree: Tree, root: Path) -> dict[str, str]:
    files = dump(tree)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return files


def find(tree: Tree, kind: str, name: str | None = None) -> dict[str, Any]:
    """The one document of `kind` (and `name`) in the tree."""
    found = [
        doc
        for docs in tree.values()
        for doc in docs
        if doc.get("kind") == kind and (name is None or doc.get("metadata", {}).get("name") == name)
    ]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def file_of(tree: Tree, kind: str) -> str:
    """The path of the one file holding documents of `kind`."""
    paths = [path for path, docs in tree.items() if any(d.get("kind") == kind for d in docs)]
    assert len(paths) == 1, f"expected one file holding {kind}, found {paths}"
    return paths[0]


def kustomization_beside(tree: Tree, kind: str) -> str:
    """The kustomization.yaml of the directory holding the one file of `kind`."""
    path = posixpath.join(posixpath.dirname(file_of(tree, kind)), "kustomization.yaml")
    assert path in tree, path
    return path


def beside(tree: Tree, kind: str, name: str) -> str:
    """A path `name` in the directory of the one file holding documents of `kind`."""
    return posixpath.join(posixpath.dirname(file_of(tree, kind)), name)


def add_file(tree: Tree, path: str, docs: list[dict[str, Any]]) -> None:
    """Add a file and list it in the kustomization.yaml of its directory."""
    tree[path] = docs
    kustomization = posixpath.join(posixpath.dirname(path), "kustomization.yaml")
    tree[kustomization][0]["resources"].append(posixpath.basename(path))


def remove_file(tree: Tree, path: str) -> None:
    """Drop a file and every kustomization entry that lists it."""
    del tree[path]
    for kpath, docs in tree.items():
        if posixpath.basename(kpath) != "kustomization.yaml":
            continue
        directory = posixpath.dirname(kpath)
        for doc in docs:
            doc["resources"] = [
                entry
                for entry in doc["resources"]
                if posixpath.normpath(posixpath.join(directory, entry)) != path
            ]


def copy_tree(tree: Tree) -> Tree:
    return copy.deepcopy(tree)
