"""The throwaway PostgreSQL a drill restores into.

The base backup comes with the source's configuration (CNPG's, with its certificates,
libraries and archiving), which means nothing here: the drill writes its own, as CNPG
does for a recovering instance. It listens on a Unix socket in its work directory only
(no TCP port), trusts local connections, does not archive, takes WAL from the archive
through barman-cloud-wal-restore, and promotes at the end of the WAL or at the target.
Settings that a standby must keep at least as high as the primary's are read from the
backup's control file (pg_controldata)."""

from __future__ import annotations

import os
import pwd
import re
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .processes import Children, Result, stop_group
from .tools import Tools

PORT = 5432
SUPERUSER = "postgres"
PSQL_TIMEOUT = 600
SHUTDOWN_TIMEOUT = 30
# pg_controldata line -> the setting a standby needs at least as high.
_CONTROLDATA_SETTINGS = {
    "max_connections setting": "max_connections",
    "max_worker_processes setting": "max_worker_processes",
    "max_wal_senders setting": "max_wal_senders",
    "max_prepared_xacts setting": "max_prepared_transactions",
    "max_locks_per_xact setting": "max_locks_per_transaction",
    "wal_level setting": "wal_level",
}
# Files of the source's data directory that configure the source, not this instance.
_SOURCE_CONFIGURATION = (
    "postgresql.conf",
    "postgresql.auto.conf",
    "pg_hba.conf",
    "pg_ident.conf",
    "custom.conf",
    "override.conf",
    "standby.signal",
)
_RESTORED = re.compile(r'restored log file "([0-9A-F]{24})" from archive')
_CONSISTENT = re.compile(r"consistent recovery state reached at ([0-9A-F]+/[0-9A-F]+)")
_REDO_DONE = re.compile(r"redo done at ([0-9A-F]+/[0-9A-F]+)")
_STOPPING = re.compile(r"recovery stopping (.*)")
_READY = "database system is ready to accept connections"
_FAILURE = re.compile(r"(FATAL|PANIC):\s+(.*)")


def quote(value: str) -> str:
    """A postgresql.conf string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass
class Replay:
    """What recovery did, read from the server's log and the restore_command's record."""

    restored: list[str] = field(default_factory=list)  # WAL segments, in order
    consistent_at: str | None = None
    redo_done_at: str | None = None
    stopped: str | None = None  # "recovery stopping ..." (a target reached)
    promoted: bool = False
    errors: str = ""  # failures of barman-cloud-wal-restore other than "no such WAL"
    failure: str | None = None  # the server's FATAL or PANIC line

    def as_json(self) -> dict[str, object]:
        return {
            "wal_restored": len(self.restored),
            "last_wal": self.restored[-1] if self.restored else None,
            "consistent_at": self.consistent_at,
            "redo_done_at": self.redo_done_at,
            "stopped": self.stopped,
            "promoted": self.promoted,
        }


@dataclass
class Instance:
    tools: Tools
    workdir: Path
    children: Children
    env: Mapping[str, str]  # barman-cloud's (restore_command runs in the server)
    process: subprocess.Popen[bytes] | None = None

    @property
    def datadir(self) -> Path:
        return self.workdir / "pgdata"

    @property
    def socket_dir(self) -> Path:
        return self.workdir / "socket"

    @property
    def logfile(self) -> Path:
        return self.workdir / "postgres.log"

    @property
    def restore_log(self) -> Path:
        return self.workdir / "restore.log"

    @property
    def restore_errors(self) -> Path:
        return self.workdir / "restore-errors.log"

    @property
    def restore_script(self) -> Path:
        return self.workdir / "restore-wal.sh"

    # Files, owned by the user the server runs as.
    def write(self, path: Path, text: str, mode: int = 0o600) -> None:
        path.write_text(text, encoding="utf-8")
        path.chmod(mode)
        self.own(path)

    def mkdir(self, path: Path) -> None:
        path.mkdir(mode=0o700, exist_ok=True)
        self.own(path)

    def own(self, path: Path) -> None:
        user = self.children.user
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def controldata(self) -> dict[str, str]:
        result = self.children.run(
            [self.tools.postgres("pg_controldata"), "-D", str(self.datadir)],
            env={"LANG": "C", "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            cwd=self.workdir,
            timeout=60,
        )
        values: dict[str, str] = {}
        for line in result.output.splitlines():
            name, sep, value = line.partition(":")
            if sep:
                values[name.strip()] = value.strip()
        return values

    def configure(self, restore_script: str, target: Mapping[str, str]) -> None:
        """Replace the source's configuration with the drill's own."""
        control = self.controldata()
        for name in _SOURCE_CONFIGURATION:
            source = self.datadir / name
            if source.exists():
                source.rename(self.datadir / f"{name}.source")
        self.mkdir(self.socket_dir)
        self.write(self.restore_script, restore_script, 0o700)
        settings: dict[str, str] = {
            "listen_addresses": "",
            "port": str(PORT),
            "unix_socket_directories": str(self.socket_dir),
            "archive_mode": "off",
            "hot_standby": "on",
            "restore_command": f"{self.restore_script} %f %p",
            "recovery_target_action": "promote",
            "recovery_target_timeline": "latest",
            "shared_preload_libraries": "",
            "logging_collector": "off",
            "log_destination": "stderr",
            "ssl": "off",
            "fsync": "off",  # throwaway data
            "max_wal_size": "1GB",
        }
        for line, setting in _CONTROLDATA_SETTINGS.items():
            if control.get(line):
                settings[setting] = control[line]
        settings.update(target)
        text = "# wildside-cnpg restore drill\n" + "".join(
            f"{name} = {quote(value)}\n" for name, value in settings.items()
        )
        self.write(self.datadir / "postgresql.conf", text)
        self.write(self.datadir / "pg_hba.conf", "local all all trust\n")
        self.write(self.datadir / "pg_ident.conf", "")
        self.write(self.datadir / "recovery.signal", "")

    def start(self) -> None:
        with self.logfile.open("wb") as log:
            self.own(self.logfile)
            self.process = self.children.spawn(
                [self.tools.postgres("postgres"), "-D", str(self.datadir)],
                env=dict(self.env) | {"LANG": "C.UTF-8", "TZ": "UTC"},
                cwd=self.workdir,
                stdout=log,
            )

    def log(self) -> str:
        try:
            return self.logfile.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def replay(self) -> Replay:
        """Where recovery stands now."""
        text = self.log()
        state = Replay()
        restored: list[str] = []
        try:
            for line in self.restore_log.read_text(encoding="utf-8").splitlines():
                code, _, name = line.partition(" ")
                # PostgreSQL reads the last segment again when it ends recovery.
                if code == "0" and len(name) == 24 and name not in restored:
                    restored.append(name)
        except FileNotFoundError:
            pass
        state.restored = restored
        if match := _CONSISTENT.search(text):
            state.consistent_at = match.group(1)
        if match := _REDO_DONE.search(text):
            state.redo_done_at = match.group(1)
        if match := _STOPPING.search(text):
            state.stopped = match.group(1).strip()
        state.promoted = _READY in text
        try:
            state.errors = self.restore_errors.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            state.errors = ""
        failures = [m.group(0) for m in _FAILURE.finditer(text)]
        state.failure = failures[0] if failures else None
        return state

    def wait_promoted(self, deadline: float, progress: Callable[[Replay], None]) -> Replay:
        """Until the server promotes, exits, fails to read a WAL, or the deadline."""
        while True:
            state = self.replay()
            progress(state)
            if state.errors or state.failure:
                return state
            if state.promoted and self.sql("postgres", "SELECT pg_is_in_recovery()").output == "f":
                return state
            if self.process is not None and self.process.poll() is not None:
                state = self.replay()
                state.failure = state.failure or (
                    f"the server exited ({self.process.returncode}) before it was promoted"
                )
                return state
            if time.monotonic() > deadline:
                state.failure = "timed out before the server was promoted (--timeout)"
                return state
            time.sleep(0.3)

    def sql(self, database: str, query: str, *, timeout: float = PSQL_TIMEOUT) -> Result:
        """One query through psql on the socket; output unaligned, tab-separated."""
        result = self.psql(database, ["-c", query], timeout=timeout)
        return Result(result.returncode, result.output.strip())

    def psql(self, database: str, arguments: list[str], *, timeout: float = PSQL_TIMEOUT) -> Result:
        return self.children.run(
            [
                self.tools.postgres("psql"),
                "-X",
                "-q",
                "-A",
                "-t",
                "-F",
                "\t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                str(self.socket_dir),
                "-p",
                str(PORT),
                "-U",
                SUPERUSER,
                "-d",
                database,
                *arguments,
            ],
            env={"LANG": "C.UTF-8", "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            cwd=self.workdir,
            timeout=timeout,
        )

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL, each bounded."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.kill(process.pid, signal.SIGINT)
        try:
            process.wait(SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            stop_group(process.pid, signal.SIGQUIT)
        self.children.stop(process)
