"""Child processes of a drill: each in a session of its own (a terminal's Ctrl-C
reaches only the drill, which then stops them in order), tracked by PID, waited for
with a bound, and stopped by PID. Output is captured through a file and has every
secret replaced before anyone sees it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from ..masking import scrub

STOP_TIMEOUT = 10.0


@dataclass
class Result:
    returncode: int
    output: str


def alive(pid: int) -> bool:
    """Whether `pid` still runs. A zombie (a child that ended and is not yet reaped,
    as our own children are until we wait for them) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # no /proc: what kill says
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def stop_group(pid: int, first: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> None:
    """`first` to the process group `pid` leads, a bounded wait, then SIGKILL."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, first)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP held back until the block ends, then delivered to
    the handlers they would have met. An interrupt inside Popen would leave a child
    that has forked but not yet exec'd (its command line not yet naming the drill's
    directory) unknown to everyone: it would outlive the drill. Only the main thread
    can set handlers; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        held.append(signum)

    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, hold) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in dict.fromkeys(held):
            signal.raise_signal(signum)


@dataclass
class Children:
    """Every process the drill started and has not yet seen end."""

    user: str | None = None  # run as this user (the drill started as root)
    secrets: tuple[str, ...] = ()
    running: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    def spawn(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        stdout: int | object,
    ) -> subprocess.Popen[bytes]:
        with _interrupts_held():
            process = self._start(argv, env=env, cwd=cwd, stdout=stdout)
            self.running[process.pid] = process
        return process

    def _start(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        stdout: int | object,
    ) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            list(argv),
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=stdout,  # type: ignore[arg-type]
            stderr=subprocess.STDOUT,
            start_new_session=True,
            user=self.user,
            group=self._group(),
            extra_groups=[] if self.user else None,
        )

    def _group(self) -> int | None:
        if self.user is None:
            return None
        import pwd

        return pwd.getpwnam(self.user).pw_gid

    def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        timeout: float,
        tick: Callable[[], None] | None = None,
    ) -> Result:
        """Run to the end (bounded); `tick` is called about twice a second meanwhile."""
        with tempfile.TemporaryFile("w+b") as out:
            process = self.spawn(argv, env=env, cwd=cwd, stdout=out)
            deadline = time.monotonic() + timeout
            try:
                while process.poll() is None:
                    if time.monotonic() > deadline:
                        self.stop(process)
                        out.seek(0)
                        text = out.read().decode(errors="replace")
                        return Result(
                            -1,
                            scrub(
                                f"still running after {timeout:.0f}s, stopped\n{text}", self.secrets
                            ),
                        )
                    if tick is not None:
                        tick()
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        process.wait(0.5)
            finally:
                if process.poll() is None:
                    self.stop(process)
                self.running.pop(process.pid, None)
            out.seek(0)
            return Result(
                process.returncode, scrub(out.read().decode(errors="replace"), self.secrets)
            )

    def stop(self, process: subprocess.Popen[bytes], first: int = signal.SIGTERM) -> None:
        if process.poll() is None:
            stop_group(process.pid, first)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(STOP_TIMEOUT)
        self.running.pop(process.pid, None)

    def stop_all(self) -> None:
        for process in list(self.running.values()):
            self.stop(process)


def processes_naming(path: Path) -> dict[int, str]:
    """Processes whose command line names `path`: what is left of a drill whose work
    directory is `path` (a restore_command, a postmaster's -D)."""
    found: dict[int, str] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if str(path) in cmdline:
                found[int(entry.name)] = cmdline.strip()
    return found
