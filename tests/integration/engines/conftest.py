"""Session-wide engines: one S3-compatible server, one PostGIS instance bootstrapped
from the default rendering, one archiving primary for every backup test. Each is
stopped by PID at the end of the session; every wait is bounded."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from .backups import Archiving
from .barmancloud import BarmanCloud
from .bootstrap import new_instance
from .configs import BUCKET, PARAMETERS, backup_config
from .objectstore import ObjectStore
from .pgserver import PgServer, make_workdir
from .rendering import VAULT_BACKUP_PATH, Rendered, render


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
