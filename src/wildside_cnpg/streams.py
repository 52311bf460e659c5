"""Standard output that fails cleanly: a reader that went away ends the run like
SIGPIPE would (exit 141), any other write failure (a full disk behind `>`, a closed
descriptor) is one line and exit 5, never a traceback at interpreter exit."""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from .errors import EnvironmentFailureError


class StdoutError(EnvironmentFailureError):
    """Standard output cannot be written."""


class GuardedStdout:
    """A text stream around sys.stdout that turns write errors into StdoutError
    (BrokenPipeError passes through: it has its own exit code)."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream

    def _fail(self, error: OSError) -> StdoutError:
        return StdoutError(f"cannot write to standard output: {error.strerror or error}")

    def write(self, text: str) -> int:
        if self._stream is None:
            raise StdoutError("cannot write to standard output: it is closed")
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def discard_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so that the interpreter's own flush of
    what is still buffered cannot fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass
