"""Session-wide engines: one S3-compatible server, one PostGIS instance bootstrapped
from the default rendering, one archiving primary for every backup test. Each is
stopped by PID at the end of the session; every wait is bounded."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .backups import Archiving
from .barmancloud import BarmanCloud
from .bootstrap import new_instance
from .configs import BUCKET, PARAMETERS, backup_config
from .objectstore import ObjectStore
from .pgserver import PgServer, make_workdir
from .rendering import VAULT_BACKUP_PATH, Rendered, render
from .workload import checksum, create_places, write_batch


@pytest.fixture(scope="session")
def workdir() -> Iterator[Path]:
    """Torn down last: by then every server must be gone. A process still running
    from the work directory is killed by PID and reported as an error."""
    path = make_workdir("wildside-engines-")
    yield path
    leftovers = processes_using(path)
    for pid in leftovers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(path, ignore_errors=True)
    assert not leftovers, f"processes left behind: {leftovers}"


def processes_using(path: Path) -> dict[int, str]:
    """Processes whose command line names `path` (a postmaster's -D, a barman
    tool's data directory)."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if str(path) in cmdline:
                found[int(entry.name)] = cmdline.strip()
    return found


@pytest.fixture(scope="session")
def postgis_rendered() -> Rendered:
    """The default inputs plus parameters: what a user gets out of the box."""
    return render({"postgresql_parameters": PARAMETERS})


@pytest.fixture(scope="session")
def postgis_server(workdir: Path, postgis_rendered: Rendered) -> Iterator[PgServer]:
    server = PgServer(workdir / "postgis")
    try:
        new_instance(server, postgis_rendered.cluster)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def object_store(workdir: Path) -> Iterator[ObjectStore]:
    store = ObjectStore()
    try:
        store.start(workdir)
        store.create_bucket(BUCKET)
        yield store
    finally:
        store.stop()


@pytest.fixture(scope="session")
def vault(object_store: ObjectStore) -> dict[str, dict[str, str]]:
    """What Vault holds at the rendered ExternalSecret's remote key."""
    return {
        VAULT_BACKUP_PATH: {
            "access_key_id": object_store.access_key_id,
            "secret_access_key": object_store.secret_access_key,
        }
    }


@pytest.fixture(scope="session")
def primary(
    object_store: ObjectStore, vault: dict[str, dict[str, str]]
) -> tuple[Rendered, BarmanCloud]:
    """Backups enabled with the module's defaults (gzip WAL, 30d, no data compression)."""
    return backup_config(object_store, vault, "primary")


@pytest.fixture(scope="session")
def primary_config(primary: tuple[Rendered, BarmanCloud]) -> BarmanCloud:
    return primary[1]


@pytest.fixture(scope="session")
def database(primary: tuple[Rendered, BarmanCloud]) -> str:
    return primary[0].inputs.database_name


@pytest.fixture(scope="session")
def archiving(workdir: Path, primary: tuple[Rendered, BarmanCloud]) -> Iterator[Archiving]:
    """A primary bootstrapped from a backup-enabled rendering, archiving WAL."""
    rendered, bc = primary
    server = PgServer(workdir / "primary", env=dict(bc.env))
    source = Archiving(server=server, workdir=workdir)
    try:
        new_instance(server, rendered.cluster, source.harness_settings(bc))
        source.current = bc
        yield source
    finally:
        server.stop()


@dataclass(frozen=True)
class PitrArchive:
    """An archive with one base backup and three batches of rows: before the backup,
    then up to `time` and `lsn`, then after them (all archived)."""

    rendered: Rendered
    bc: BarmanCloud
    prefix: str
    backup_id: str
    table: str
    time: str  # RFC 3339, between the second and the third batch
    lsn: str  # the insert position right after the second batch's commit
    rows_at_target: int
    rows_total: int


@pytest.fixture(scope="session")
def pitr_archive(
    archiving: Archiving, object_store: ObjectStore, vault: dict[str, dict[str, str]]
) -> PitrArchive:
    """Backups through the Barman Cloud plugin's configuration (the default method)."""
    prefix = "pitr"
    rendered, bc = backup_config(object_store, vault, prefix)
    assert bc.method == "plugin"
    database = rendered.inputs.database_name
    source = archiving.server
    archiving.use(bc)
    create_places(source, database, "trips")
    write_batch(source, database, "trips", 1, 200)
    backup = archiving.backup(bc, "pitr-base")
    write_batch(source, database, "trips", 201, 300)
    lsn = str(source.scalar("SELECT pg_current_wal_insert_lsn()::text"))
    # An instant strictly after the second batch's commit and before the third's.
    source.scalar("SELECT pg_sleep(0.05)")
    when = str(
        source.scalar(
            "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
            '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\')'
        )
    )
    source.scalar("SELECT pg_sleep(0.05)")
    write_batch(source, database, "trips", 301, 400)
    archiving.switch_wal()
    assert checksum(source, database, "trips")[0] == 400
    return PitrArchive(rendered, bc, prefix, backup, "trips", when, lsn, 300, 400)
