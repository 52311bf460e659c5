"""Wrong credentials, a missing bucket or an unreachable endpoint: barman's own
error reaches the test output, and no data directory is touched."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from tests.processes import free_port

from .backups import Archiving, CommandFailedError, list_backups, run_barman
from .barmancloud import BarmanCloud, DerivationError, barman_cloud
from .configs import BUCKET
from .objectstore import ObjectStore
from .pgserver import make_workdir
from .rendering import VAULT_BACKUP_PATH, backup_inputs, render
from .workload import checksum, create_places, write_batch

PREFIX = "faults"


def faulty(
    fault: str, object_store: ObjectStore, vault: dict[str, dict[str, str]], prefix: str
) -> tuple[BarmanCloud, str]:
    """The rendered configuration with one fault, and barman's expected error."""
    endpoint, destination = object_store.https_endpoint, f"s3://{BUCKET}/{prefix}"
    values = vault
    if fault == "wrong-credentials":
        values = {VAULT_BACKUP_PATH: vault[VAULT_BACKUP_PATH] | {"secret_access_key": "wrong"}}
        error = "(SignatureDoesNotMatch)"
    elif fault == "missing-bucket":
        destination = f"s3://wildside-missing/{prefix}"
        error = "(NoSuchBucket)"
    else:
        endpoint = f"https://127.0.0.1:{free_port()}"  # nothing listens there
        error = f'Could not connect to the endpoint URL: "http://{endpoint[len("https://") :]}/'
    rendered = render(backup_inputs(endpoint, destination))
    return barman_cloud(rendered.objects, vault=values), error


def snapshot(datadir: Path) -> set[str]:
    """The data directory's top-level entries (contents change with normal
    server activity; a backup would add backup_label/tablespace_map)."""
    return set(os.listdir(datadir))


FAULTS = ("wrong-credentials", "missing-bucket", "unreachable-endpoint")


@pytest.mark.parametrize("fault", FAULTS)
def test_failed_backup_surfaces_barman_error_and_leaves_data_alone(
    fault: str,
    archiving: Archiving,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    database: str,
) -> None:
    bc, error = faulty(fault, object_store, vault, PREFIX)
    source = archiving.server
    table = f"fault_{fault.replace('-', '_')}"
    create_places(source, database, table)
    write_batch(source, database, table, 1, 20)
    before = (checksum(source, database, table), snapshot(source.datadir))

    with pytest.raises(CommandFailedError) as failure:
        archiving.backup(bc, f"fails-{fault}")
    print(failure.value)  # barman's own report, in the test output
    assert failure.value.returncode == 1
    assert "ERROR: Backup failed uploading data" in failure.value.output
    assert error in failure.value.output

    assert source.running
    assert (checksum(source, database, table), snapshot(source.datadir)) == before
    assert "backup_label" not in before[1]
    assert object_store.keys(BUCKET, f"{PREFIX}/") == []


@pytest.fixture(scope="module")
def restorable(archiving: Archiving, primary_config: BarmanCloud) -> str:
    """A good backup of the primary, for the restores that must fail."""
    archiving.use(primary_config)
    return archiving.backup(primary_config, "restorable")


@pytest.mark.parametrize("fault", FAULTS)
def test_failed_restore_surfaces_barman_error_and_leaves_target_empty(
    fault: str,
    restorable: str,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    workdir: Path,
) -> None:
    """A restore of an existing backup with one fault: barman-cloud-restore fails
    with its message and the new (empty) data directory stays empty."""
    bc, error = faulty(fault, object_store, vault, "primary")
    backup = restorable
    target = make_workdir("wildside-restore-")
    try:
        with pytest.raises(CommandFailedError) as failure:
            run_barman(bc.restore(backup, target), bc, workdir)
        print(failure.value)
        assert failure.value.returncode == 4
        assert "ERROR: Barman cloud restore exception: " in failure.value.output
        assert error in failure.value.output
        assert os.listdir(target) == []
    finally:
        target.rmdir()


def test_every_credential_source_reaches_barman(
    object_store: ObjectStore, vault: dict[str, dict[str, str]], workdir: Path
) -> None:
    """Inline keys (a rendered Secret), keys from Vault (an ExternalSecret) and a
    Secret the user manages all give barman the store's key; the store, which
    checks signatures, accepts a listing with each (and refuses a wrong one)."""
    key_id, secret = object_store.access_key_id, object_store.secret_access_key
    endpoint, destination = object_store.https_endpoint, f"s3://{BUCKET}/primary"
    inline = render(
        {
            "backup_enabled": True,
            "backup_destination_path": destination,
            "backup_endpoint_url": endpoint,
            "backup_s3_access_key_id": key_id,
            "backup_s3_secret_access_key": secret,
            "backup_s3_inline_credentials_acknowledged": True,
        }
    )
    managed = render(
        {
            "backup_enabled": True,
            "backup_destination_path": destination,
            "backup_endpoint_url": endpoint,
            "backup_s3_credentials_secret_name": "team-s3-keys",
        }
    )
    with pytest.raises(DerivationError, match="no rendered Secret or ExternalSecret provides"):
        barman_cloud(managed.objects)
    configs = {
        "inline": barman_cloud(inline.objects),
        "vault": barman_cloud(render(backup_inputs(endpoint, destination)).objects, vault=vault),
        "existing": barman_cloud(
            managed.objects,
            existing_secrets={
                "team-s3-keys": {"ACCESS_KEY_ID": key_id, "SECRET_ACCESS_KEY": secret}
            },
        ),
    }
    catalogs = {}
    for source, bc in configs.items():
        assert (bc.env["AWS_ACCESS_KEY_ID"], bc.env["AWS_SECRET_ACCESS_KEY"]) == (key_id, secret)
        catalogs[source] = list_backups(bc, workdir)
    assert catalogs["inline"] == catalogs["vault"] == catalogs["existing"]
    wrong = dataclasses.replace(
        configs["existing"], env=configs["existing"].env | {"AWS_SECRET_ACCESS_KEY": "wrong"}
    )
    with pytest.raises(CommandFailedError, match=r"\(SignatureDoesNotMatch\)"):
        list_backups(wrong, workdir)
