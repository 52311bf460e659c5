"""The integration harnesses' free_port: never the same port twice in one run."""

from __future__ import annotations

import socket
from typing import Any, ClassVar

import pytest

from tests import processes


class _Offering:
    """A socket that binds to the next port of a list, as the kernel may offer them."""

    ports: ClassVar[list[int]] = []

    def __init__(self, *args: Any) -> None:
        self.port = 0

    def __enter__(self) -> _Offering:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def bind(self, address: tuple[str, int]) -> None:
        self.port = self.ports.pop(0)

    def getsockname(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)


def test_a_port_offered_again_is_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "_HANDED_OUT", set(), raising=False)
    monkeypatch.setattr(_Offering, "ports", [40263, 40263, 40263, 40264])
    monkeypatch.setattr(processes.socket, "socket", _Offering)
    assert [processes.free_port(), processes.free_port()] == [40263, 40264]


def test_free_ports_are_free_and_distinct() -> None:
    ports = [processes.free_port() for _ in range(50)]
    assert len(set(ports)) == 50
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", ports[-1]))
