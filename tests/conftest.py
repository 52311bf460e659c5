"""Settings of the whole suite."""

from __future__ import annotations

import signal

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C as at a terminal. A suite started where SIGINT is ignored (a background
    job of a non-interactive shell, some CI runners) would pass that on: Python raises
    no KeyboardInterrupt, nor do the processes the tests start, and the tests of what
    an interrupt does (the drill's) would test nothing. A Python handler is reset to
    the default when a child starts, so the children get Ctrl-C back too."""
    del config
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
