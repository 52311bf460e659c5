"""`backups drill`: restore a backup into a throwaway local PostgreSQL and check it.

The steps, each a check of the report: read the archive's catalog, choose the backup,
download it (barman-cloud-restore), replay WAL from the archive
(barman-cloud-wal-restore as restore_command) to the end or to the target, reach a
consistent state and promote, make sure replay did not stop short of WAL the archive
holds, then check every database (extensions, row counts) and the user's assertions.
Everything started is stopped and the work directory removed, whatever happens: on
success, on failure, on Ctrl-C or SIGTERM."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from ..errors import EnvironmentFailureError, UsageError
from ..masking import scrub
from . import barman
from .archive import Archive, S3Access
from .catalog import BackupInfo, Selection, SelectionError, choose
from .checks import Assertion, Database, assertions, databases
from .instance import Instance, Replay
from .listing import ArchiveError, last_lines, read_catalog
from .processes import Children, processes_naming, stop_group
from .tools import Tools, find_barman, find_postgres
from .wal import is_segment, next_segment, postgres_time

Progress = Callable[[str], None]
PROBE_TIMEOUT = 120
# The WAL continuity check probes the segments 1, 2, 4, ... 4096 after replay's end.
PROBE_POWERS = 13


@dataclass(frozen=True)
class DrillOptions:
    archive: Archive
    credentials: S3Access = field(repr=False)
    selection: Selection = field(default_factory=Selection)
    barman_bin: Path | None = None
    pg_bin: Path | None = None
    postgis: bool = True
    workdir: Path | None = None  # where the drill's own directory is made
    run_as: str | None = None  # default: postgres when started as root
    database: str = "postgres"  # where the assertions run
    assertions: Path | None = None
    timeout: float = 3600.0


@dataclass
class Check:
    name: str
    ok: bool
    detail: str

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass
class DrillReport:
    archive: Archive
    selection: Selection
    backup: BackupInfo | None = None
    replay: Replay | None = None
    checks: list[Check] = field(default_factory=list)
    databases: list[Database] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    cleanup: str = ""

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    def check(self, name: str, ok: bool, detail: str) -> bool:
        self.checks.append(Check(name, ok, detail))
        return ok

    def as_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "archive": self.archive.as_json(),
            "target": self.selection.as_json(),
            "backup": self.backup.as_json() if self.backup else None,
            "recovery": self.replay.as_json() if self.replay else None,
            "checks": [check.as_json() for check in self.checks],
            "databases": [database.as_json() for database in self.databases],
            "assertions": [assertion.as_json() for assertion in self.assertions],
            "cleanup": self.cleanup,
        }


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the drill as Ctrl-C does (KeyboardInterrupt), so the
    cleanup runs."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _uninterruptible() -> Iterator[None]:
    """A second Ctrl-C must not cut the cleanup short."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run_as(requested: str | None) -> str | None:
    """PostgreSQL refuses to run as root: then the drill runs it (and barman-cloud) as
    an unprivileged user."""
    if os.geteuid() != 0:
        if requested is not None and requested != pwd.getpwuid(os.geteuid()).pw_name:
            raise UsageError("--run-as: only root can run the drill as another user")
        return None
    user = requested or "postgres"
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        raise EnvironmentFailureError(
            f"--run-as {user}: no such user; PostgreSQL refuses to run as root, so the drill "
            "runs it as an unprivileged user: create one (useradd --system postgres) or pass "
            "--run-as USER"
        ) from None
    if entry.pw_uid == 0:
        raise UsageError(f"--run-as {user}: PostgreSQL refuses to run as root")
    return user


def _size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


def mib(size: int | None) -> str:
    return "?" if size is None else f"{size / 1048576:.1f} MiB"


class _Drill:
    def __init__(self, options: DrillOptions, progress: Progress) -> None:
        self.options = options
        self.progress = progress
        self.report = DrillReport(options.archive, options.selection)
        self.user = _run_as(options.run_as)
        self.children = Children(user=self.user, secrets=options.credentials.secrets())
        self.workdir = Path(
            tempfile.mkdtemp(prefix="wildside-cnpg-drill-", dir=options.workdir)
        ).resolve()
        self.instance: Instance | None = None

    # The steps.
    def run(self) -> DrillReport:
        options, report = self.options, self.report
        tools = find_barman(options.barman_bin)
        self._prepare_workdir()
        env = barman.environment(options.archive, options.credentials, self.workdir)
        location = options.archive.location
        self.progress(f"reading the catalog of {location}")
        try:
            backups = read_catalog(
                barman.backup_list(tools, options.archive),
                env,
                self.children,
                self.workdir,
                location,
            )
            backup = choose(backups, options.selection, location)
        except (ArchiveError, SelectionError) as error:
            report.check("catalog", False, str(error))
            return report
        report.backup = backup
        report.check(
            "catalog",
            True,
            f"{len(backups)} backup(s); chosen {backup.backup_id}"
            + (f" ({backup.name})" if backup.name else "")
            + f", ended {backup.end_time}",
        )
        if backup.major is None:
            report.check("restore", False, f"backup {backup.backup_id} names no PostgreSQL version")
            return report
        tools = find_postgres(tools, backup.major, options.pg_bin, postgis=options.postgis)
        if not self._restore(tools, env, backup):
            return report
        self._recover(tools, env, backup)
        return report

    def _prepare_workdir(self) -> None:
        self.workdir.chmod(0o700)
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.workdir, entry.pw_uid, entry.pw_gid)
            probe = self.children.run(
                ["test", "-w", str(self.workdir)],
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                cwd=Path("/"),
                timeout=30,
            )
            if probe.returncode != 0:
                raise EnvironmentFailureError(
                    f"--workdir: {self.user} cannot reach {self.workdir} (a parent directory "
                    "is closed to it); pass --workdir DIR where it can, such as /tmp"
                )

    def _restore(self, tools: Tools, env: dict[str, str], backup: BackupInfo) -> bool:
        report = self.report
        instance = Instance(tools, self.workdir, self.children, env)
        self.instance = instance
        instance.mkdir(instance.datadir)
        total = backup.size
        self.progress(
            f"downloading base backup {backup.backup_id} ({mib(total)}, PostgreSQL {backup.major})"
        )
        shown = [0.0]

        def tick() -> None:
            now = time.monotonic()
            if now - shown[0] >= 2:
                shown[0] = now
                self.progress(f"downloading: {mib(_size(instance.datadir))} of {mib(total)}")

        argv = barman.restore(tools, self.options.archive, backup.backup_id, instance.datadir)
        result = self.children.run(
            argv, env=env, cwd=self.workdir, timeout=self.options.timeout, tick=tick
        )
        if result.returncode != 0:
            return report.check(
                "restore",
                False,
                f"barman-cloud-restore of {backup.backup_id} exited {result.returncode}: "
                f"{last_lines(result.output)}",
            )
        return report.check(
            "restore", True, f"base backup downloaded ({mib(_size(instance.datadir))})"
        )

    def _target_settings(self) -> dict[str, str]:
        selection = self.options.selection
        if selection.kind == "time":
            return {"recovery_target_time": postgres_time(selection.value or "")}
        if selection.kind == "lsn":
            return {"recovery_target_lsn": selection.value or ""}
        return {}

    def _recover(self, tools: Tools, env: dict[str, str], backup: BackupInfo) -> None:
        report, instance = self.report, self.instance
        assert instance is not None
        script = barman.restore_script(
            tools, self.options.archive, instance.restore_log, instance.restore_errors
        )
        instance.configure(script, self._target_settings())
        self.progress("starting PostgreSQL and replaying WAL from the archive")
        instance.start()
        seen = [0]

        def progress(state: Replay) -> None:
            if len(state.restored) != seen[0]:
                seen[0] = len(state.restored)
                self.progress(
                    f"replaying WAL: {seen[0]} segment(s) restored, last {state.restored[-1]}"
                )

        state = instance.wait_promoted(time.monotonic() + self.options.timeout, progress)
        report.replay = state
        secrets = self.options.credentials.secrets()
        if state.errors:
            report.check(
                "wal",
                False,
                "barman-cloud-wal-restore could not read WAL from the archive: "
                + scrub(" | ".join(s for s in state.errors.splitlines() if s.strip()), secrets),
            )
            return
        failure = scrub(state.failure, secrets) if state.failure else None
        report.check(
            "consistency",
            state.consistent_at is not None,
            f"consistent at {state.consistent_at}"
            if state.consistent_at
            else f"never reached a consistent state: {failure or 'no word from the server'}",
        )
        if not state.promoted or failure:
            report.check("starts", False, failure or "the server was not promoted")
            return
        report.check(
            "starts",
            True,
            f"promoted after {len(state.restored)} WAL segment(s), redo done at "
            f"{state.redo_done_at}"
            + (f"; recovery stopping {state.stopped}" if state.stopped else ""),
        )
        self.progress("promoted; checking the databases")
        if self.options.selection.kind in ("latest", "backup"):
            self._continuity(tools, env, backup, state)
        self._databases()
        if self.options.assertions is not None:
            self._assertions()

    def _continuity(
        self, tools: Tools, env: dict[str, str], backup: BackupInfo, state: Replay
    ) -> None:
        """PostgreSQL ends recovery at the first WAL segment it cannot read and promotes,
        as if the archive ended there: look for what it holds beyond that point."""
        segments = [name for name in state.restored if is_segment(name)]
        last = segments[-1] if segments else backup.end_wal
        if last is None:
            self.report.check("wal continuity", False, "no WAL was restored")
            return
        size = backup.wal_segment_size or 16 * 1024 * 1024
        # 1, 2, 4, ... segments on: a gap is found when the archive holds WAL at least about
        # as far past it as the gap is long (the next one alone is not enough: the segment
        # after a gap of two is never asked for).
        beyond = [next_segment(last, size, 1 << power) for power in range(PROBE_POWERS)]
        for name in beyond:
            found = self._probe(tools, env, name)
            if found is None:
                return
            if found:
                self.report.check(
                    "wal continuity",
                    False,
                    f"WAL replay ended after {last}, but the archive holds {name}: a segment "
                    "in between is missing or unreadable, and a recovery would lose every "
                    f"transaction after {last}",
                )
                return
        self.report.check(
            "wal continuity",
            True,
            f"replay reached {last}, and the archive holds no WAL after it ({len(beyond)} "
            f"segments probed, up to {beyond[-1]})",
        )

    def _probe(self, tools: Tools, env: dict[str, str], name: str) -> bool | None:
        target = self.workdir / "probe"
        argv = [*barman.wal_restore(tools, self.options.archive), name, str(target)]
        result = self.children.run(argv, env=env, cwd=self.workdir, timeout=PROBE_TIMEOUT)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        if result.returncode in (0, barman.NOT_FOUND):
            return result.returncode == 0
        self.report.check(
            "wal continuity",
            False,
            f"cannot read WAL {name} from the archive: {last_lines(result.output)}",
        )
        return None

    def _databases(self) -> None:
        assert self.instance is not None
        found = databases(self.instance)
        self.report.databases = found
        broken = [f"{d.name}: {d.error}" for d in found if d.error]
        failed = [
            f"{d.name}: {e.name} {e.version}: {e.detail}"
            for d in found
            for e in d.extensions
            if not e.ok
        ]
        loaded = "; ".join(
            f"{d.name}: " + ", ".join(f"{e.name} {e.version}" for e in d.extensions)
            for d in found
            if d.extensions
        )
        self.report.check(
            "extensions",
            not failed and not broken,
            "; ".join(failed + broken) or f"every extension loads ({loaded or 'none'})",
        )
        tables = sum(len(d.tables) for d in found)
        rows = sum(n for d in found for _, _, n in d.tables)
        self.report.check(
            "rows",
            not broken,
            "; ".join(broken)
            or f"{tables} table(s) in {len(found)} database(s) counted, {rows} row(s) in all",
        )

    def _assertions(self) -> None:
        assert self.instance is not None
        assert self.options.assertions is not None
        copy = self.workdir / "assertions.sql"
        shutil.copyfile(self.options.assertions, copy)
        self.instance.own(copy)
        found, error = assertions(self.instance, self.options.database, copy)
        self.report.assertions = found
        failed = [a for a in found if not a.ok]
        if error and not failed:
            self.report.check("assertions", False, f"psql stopped: {error}")
            return
        self.report.check(
            "assertions",
            bool(found) and not failed,
            (
                f"{len(found) - len(failed)} of {len(found)} hold"
                if found
                else "the file holds no query"
            )
            + "".join(f"; failed: {a.query} -> {a.result or 'no row'}" for a in failed),
        )

    # Cleanup: whatever happened.
    def cleanup(self) -> None:
        with _uninterruptible():
            if self.instance is not None:
                self.instance.stop()
            self.children.stop_all()
            leftovers = processes_naming(self.workdir)
            for pid in leftovers:
                stop_group(pid, signal.SIGKILL, timeout=5)
            shutil.rmtree(self.workdir, ignore_errors=True)
            gone = not self.workdir.exists()
            words = "stopped everything it started"
            if leftovers:
                words += f" (killed {len(leftovers)} leftover process(es))"
            self.report.cleanup = (
                f"{words}; {self.workdir} {'removed' if gone else 'could not be removed'}"
            )


def run_drill(options: DrillOptions, progress: Progress) -> DrillReport:
    """The drill's report; MissingToolsError (exit 5) when a tool is missing,
    KeyboardInterrupt after cleaning up when interrupted."""
    if options.assertions is not None and not options.assertions.is_file():
        raise UsageError(f"--assertions {options.assertions}: no such file")
    drill = _Drill(options, progress)
    with _interruptible():
        try:
            return drill.run()
        finally:
            drill.cleanup()
