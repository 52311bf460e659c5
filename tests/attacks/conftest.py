"""Running the command line as an attacker would: a separate process, real file
descriptors, its exit code, everything it printed, and its peak memory."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import tempfile
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


# `python -m wildside_cnpg`, writing the process's own peak resident memory (VmHWM)
# to the file $WILDSIDE_TEST_PEAK_FILE names as it exits. wait4's ru_maxrss cannot
# say it: a child forked from this test process starts with this process's resident
# pages, and Linux keeps that peak across exec, so a large pytest would be measured.
_MEASURED_CLI = """
import atexit, os, runpy, sys

def _peak():
    with open("/proc/self/status") as status:
        kib = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["WILDSIDE_TEST_PEAK_FILE"], "w") as out:
        out.write(kib)

atexit.register(_peak)
sys.argv[0] = "wildside_cnpg"
runpy.run_module("wildside_cnpg", run_name="__main__", alter_sys=True)
"""


def run_cli(
    *args: str,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdout: int | IO[bytes] | None = None,
    close_stdout: bool = False,
) -> Result:
    """`python -m wildside_cnpg ARGS` with its exit code, its output and its own peak
    resident memory."""
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        environ = {**os.environ, **(env or {}), "WILDSIDE_TEST_PEAK_FILE": str(peak_file)}
        result = _run(
            args, stdin=stdin, environ=environ, cwd=cwd, stdout=stdout, close_stdout=close_stdout
        )
        if peak_file.exists():  # not when killed at the deadline
            result = dataclasses.replace(result, peak_mib=int(peak_file.read_text()) / 1024)
        return result


def _run(
    args: tuple[str, ...],
    *,
    stdin: bytes | None,
    environ: Mapping[str, str],
    cwd: Path | None,
    stdout: int | IO[bytes] | None,
    close_stdout: bool,
) -> Result:
    """The run; its peak memory from wait4, which counts this process's too."""
    out: list[bytes] = []
    err: list[bytes] = []
    if close_stdout:
        stdout = subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-c", _MEASURED_CLI, *args],
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
