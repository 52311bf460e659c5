"""An interrupt that arrives while a drill starts a child never leaves that child
unknown: it is delivered once the child is recorded, so the cleanup stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from wildside_cnpg.backups import processes
from wildside_cnpg.backups.processes import Children, _interrupts_held


def test_an_interrupt_inside_the_block_is_delivered_when_it_ends() -> None:
    reached: list[str] = []

    def interrupted_inside() -> None:
        with _interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            reached.append("after the signal")
        reached.append("after the block")

    with pytest.raises(KeyboardInterrupt):
        interrupted_inside()
    assert reached == ["after the signal"]
    # The handler in place before the block is back.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_child_started_during_an_interrupt_is_recorded_then_stopped(tmp_path: Path) -> None:
    class Interrupted(Children):
        def _start(
            self,
            argv: Sequence[str],
            *,
            env: Mapping[str, str],
            cwd: Path,
            stdout: int | object,
        ) -> subprocess.Popen[bytes]:
            # Ctrl-C while Popen runs: the moment a child would otherwise be lost.
            os.kill(os.getpid(), signal.SIGINT)
            return super()._start(argv, env=env, cwd=cwd, stdout=stdout)

    children = Interrupted()
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    with pytest.raises(KeyboardInterrupt):
        children.spawn(sleeper, env=os.environ, cwd=tmp_path, stdout=subprocess.DEVNULL)
    [process] = children.running.values()
    assert process.poll() is None
    children.stop_all()
    assert process.returncode == -signal.SIGTERM
    assert children.running == {}


def test_a_child_that_ends_on_sigterm_is_not_killed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until it is reaped, a child that ended is a zombie that `kill(pid, 0)` still
    finds; the stop sees it ended and sends nothing more."""
    sent: list[int] = []
    real_killpg = os.killpg

    def killpg(pgid: int, sig: int) -> None:
        sent.append(sig)
        real_killpg(pgid, sig)

    monkeypatch.setattr(processes.os, "killpg", killpg)
    children = Children()
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    process = children.spawn(sleeper, env=os.environ, cwd=tmp_path, stdout=subprocess.DEVNULL)
    children.stop(process)
    assert process.returncode == -signal.SIGTERM
    assert sent == [signal.SIGTERM]
