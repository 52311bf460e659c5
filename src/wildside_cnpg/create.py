"""Creating a file that must not exist yet, atomically: the content goes to a
temporary file beside it, which is then hard-linked to the name (the link fails
when the name exists, so nothing is ever overwritten, even by a racing writer)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import EnvironmentFailureError, UsageError


def create_new(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `target` whole, or raise UsageError when it already exists."""
    if target.exists() or target.is_symlink():
        raise UsageError(f"{target}: already exists; init never overwrites a file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".wildside-cnpg-new-", dir=target.parent)
    except OSError as error:
        raise EnvironmentFailureError(f"{target}: cannot write ({error.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.link(tmp_name, target)
    except FileExistsError:
        raise UsageError(f"{target}: already exists; init never overwrites a file") from None
    except OSError as error:
        raise EnvironmentFailureError(f"{target}: cannot write ({error.strerror})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
