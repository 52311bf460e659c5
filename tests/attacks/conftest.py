"""Running the command line as an attacker would: a separate process, real file
descriptors, its exit code, everything it printed, and its peak memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

# Every attack must end within this (a bound against hangs, not a measurement).
DEADLINE_SECONDS = 120
CANARY = "CANARY-8f14e45fceea167a5a36dedd4bea2543"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str
    peak_mib: float

    @property
    def printed(self) -> str:
        return self.out + self.err


def _drain(stream: IO[bytes], into: list[bytes]) -> None:
    into.append(stream.read())


def run_cli(
    *args: str,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdout: int | IO[bytes] | None = None,
    close_stdout: bool = False,
) -> Result:
    """`python -m wildside_cnpg ARGS` with its exit code, its output and its peak
    resident memory (from wait4, so this child's own)."""
    environ = {**os.environ, **(env or {})}
    out: list[bytes] = []
    err: list[bytes] = []
    if close_stdout:
        stdout = subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "wildside_cnpg", *args],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ,
        cwd=cwd,
        close_fds=True,
        preexec_fn=(lambda: os.close(1)) if close_stdout else None,  # noqa: PLW1509
    )
    readers = []
    if process.stdout is not None:
        readers.append(threading.Thread(target=_drain, args=(process.stdout, out)))
    assert process.stderr is not None
    readers.append(threading.Thread(target=_drain, args=(process.stderr, err)))
    for reader in readers:
        reader.start()
    if process.stdin is not None:
        try:
            process.stdin.write(stdin or b"")
            process.stdin.close()
        except BrokenPipeError:
            pass
    timer = threading.Timer(DEADLINE_SECONDS, os.kill, (process.pid, signal.SIGKILL))
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(timeout=DEADLINE_SECONDS)
    return Result(
        code=process.returncode,
        out=b"".join(out).decode("utf-8", "replace"),
        err=b"".join(err).decode("utf-8", "replace"),
        peak_mib=usage.ru_maxrss / 1024,
    )


def bomb(levels: int = 9, width: int = 9, key: str = "helm_values") -> str:
    """An alias bomb under `key`: `width ** levels` values from a few hundred bytes."""
    lines = [f"{key}:", f"  a0: &a0 [{', '.join(['x'] * width)}]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"  a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"
