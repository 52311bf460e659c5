"""Process helpers the integration harnesses share: loopback ports and stopping a
server by PID with bounded waits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess

_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now, and never one this process handed out
    before: the kernel may offer a port just closed again, and two servers of one
    test (etcd's client and peer ports) would then be given the same one."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def stop_process(process: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM, wait at most `timeout`, then SIGKILL and wait again."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
