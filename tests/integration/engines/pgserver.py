"""Throwaway PostgreSQL servers for the engine tests.

Each server lives in its own data directory under a work directory owned by the
`postgres` user, listens on 127.0.0.1 on a free port (and a private Unix socket
directory), runs as `postgres` (PostgreSQL refuses root), and is stopped by the
PID in its `postmaster.pid`. Every wait is bounded.

Configuration follows the layout CNPG gives an instance: the rendered
`postgresql.parameters` go to `custom.conf`, included after the server's base
settings; the harness's own settings (address, port, socket, archiving and
recovery, which CNPG also owns and forbids users to set) go to `harness.conf`,
included last.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from tests.processes import free_port

from wildside_cnpg.backups.processes import alive

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_USER = "postgres"
START_TIMEOUT = 60
STOP_TIMEOUT = 60
COMMAND_TIMEOUT = 300


class ServerError(RuntimeError):
    """A server failed to initialise, start or stop; the message carries the
    server's own output (its log), so a rejected setting is named by PostgreSQL."""


def as_postgres(argv: list[str]) -> list[str]:
    """Run as the postgres user when the suite runs as root (it normally does)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", PG_USER, "--", *argv]
    return argv


def run_as_postgres(
    argv: list[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = COMMAND_TIMEOUT,
    while_running: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command as postgres in its own process group, output (stdout and
    stderr together) captured through a file. Never raises on a non-zero exit
    (callers decide); a command that outlives `timeout` is killed with its whole
    group and raises. `while_running` is called about twice a second meanwhile."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(
            as_postgres(argv),
            env=full_env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while process.poll() is None:
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
                out.seek(0)
                raise TimeoutError(
                    f"{Path(argv[0]).name} still running after {timeout}s, killed:\n{out.read()}"
                )
            if while_running is not None:
                while_running()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(0.5)
        out.seek(0)
        return subprocess.CompletedProcess(argv, process.returncode, out.read(), "")


def make_workdir(prefix: str) -> Path:
    """A directory the postgres user owns (pytest's tmp_path is root-only)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(PG_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    path.chmod(0o700)
    return path


def quote_conf(value: str) -> str:
    """A postgresql.conf string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def conf_text(settings: Mapping[str, str]) -> str:
    return "".join(f"{name} = {quote_conf(value)}\n" for name, value in settings.items())


@dataclass
class PgServer:
    """One PostgreSQL instance (data directory + optional running postmaster)."""

    datadir: Path
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict, repr=False)
    pid: int | None = None

    @property
    def socket_dir(self) -> Path:
        return self.datadir.parent / f"{self.datadir.name}.sock"

    @property
    def logfile(self) -> Path:
        return self.datadir.parent / f"{self.datadir.name}.log"

    def write_as_postgres(self, path: Path, text: str) -> None:
        path.write_text(text)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(PG_USER)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def initdb(self, options: list[str]) -> None:
        """`initdb` with the given options (the bootstrap's locale/encoding flags),
        trust authentication on 127.0.0.1, then the include layout."""
        result = run_as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(self.datadir), "--auth=trust", "--no-sync", *options]
        )
        if result.returncode != 0:
            raise ServerError(f"initdb failed:\n{result.stdout}{result.stderr}")
        self.prepare_layout()

    def prepare_layout(self) -> None:
        """Append the include lines once, create empty custom/harness files."""
        self.socket_dir.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(PG_USER)
            os.chown(self.socket_dir, entry.pw_uid, entry.pw_gid)
        conf = self.datadir / "postgresql.conf"
        text = conf.read_text()
        marker = "# wildside-cnpg engine tests\n"
        if marker not in text:
            text += (
                marker
                + "fsync = off\n"  # throwaway data: no durability needed
                + "include_if_exists 'custom.conf'\n"
                + "include_if_exists 'harness.conf'\n"
            )
            self.write_as_postgres(conf, text)
        for name in ("custom.conf", "harness.conf"):
            if not (self.datadir / name).exists():
                self.write_as_postgres(self.datadir / name, "")

    def set_parameters(self, parameters: Mapping[str, str]) -> None:
        """The rendered `postgresql.parameters`, as CNPG writes them."""
        self.write_as_postgres(self.datadir / "custom.conf", conf_text(parameters))

    def set_harness(self, settings: Mapping[str, str]) -> None:
        """Address, port and socket, plus the archiving/recovery settings given."""
        base = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.socket_dir),
        }
        self.write_as_postgres(self.datadir / "harness.conf", conf_text(base | dict(settings)))

    def start(self, harness: Mapping[str, str] | None = None) -> None:
        """Start and wait (bounded) until it accepts connections. On failure the
        server's log is in the error: that is where PostgreSQL says what it rejects."""
        self.set_harness(harness or {})
        if self.logfile.exists():
            self.logfile.unlink()
        result = run_as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-l",
                str(self.logfile),
                "-w",
                "-t",
                str(START_TIMEOUT),
                "start",
            ],
            env=self.env,
            timeout=START_TIMEOUT + 30,
        )
        self.pid = self._read_pid()
        if result.returncode != 0:
            log = self.log()
            self.stop()
            raise ServerError(
                f"PostgreSQL did not start (pg_ctl exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}\n--- server log ---\n{log}"
            )

    def _read_pid(self) -> int | None:
        pidfile = self.datadir / "postmaster.pid"
        with contextlib.suppress(FileNotFoundError, ValueError, IndexError):
            return int(pidfile.read_text().splitlines()[0])
        return None

    def log(self) -> str:
        with contextlib.suppress(FileNotFoundError):
            return self.logfile.read_text(errors="replace")
        return ""

    def stop(self) -> None:
        """Fast shutdown by PID (SIGINT), bounded; SIGKILL if it outlives the bound."""
        pid = self.pid or self._read_pid()
        self.pid = None
        if pid is None or not alive(pid):
            return
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline:
            if not alive(pid):
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        _wait_gone(pid, 10)

    @property
    def running(self) -> bool:
        pid = self.pid or self._read_pid()
        return pid is not None and alive(pid)

    def connect(self, dbname: str = "postgres", user: str = PG_USER) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            dbname=dbname,
            user=user,
            autocommit=True,
            connect_timeout=10,
        )

    @contextlib.contextmanager
    def session(
        self, dbname: str = "postgres", user: str = PG_USER
    ) -> Iterator[psycopg.Connection]:
        conn = self.connect(dbname, user)
        try:
            yield conn
        finally:
            conn.close()

    def query(self, sql: str, dbname: str = "postgres", user: str = PG_USER) -> list[tuple]:
        with self.session(dbname, user) as conn:
            return conn.execute(sql).fetchall()  # type: ignore[arg-type]

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        with self.session(dbname) as conn:
            conn.execute(sql.encode())

    def scalar(self, sql: str, dbname: str = "postgres", user: str = PG_USER) -> object:
        rows = self.query(sql, dbname, user)
        return rows[0][0]

    def wait_until(self, sql: str, *, timeout: float = 60, dbname: str = "postgres") -> None:
        """Poll a boolean query until it is true (bounded)."""
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            with contextlib.suppress(psycopg.OperationalError):
                last = self.scalar(sql, dbname)
                if last is True:
                    return
            time.sleep(0.1)
        raise ServerError(
            f"timed out after {timeout}s waiting for: {sql} (last: {last!r})\n"
            f"--- server log ---\n{self.log()}"
        )

    def remove(self) -> None:
        self.stop()
        for path in (self.datadir, self.socket_dir):
            shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            self.logfile.unlink()


def _wait_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.05)
