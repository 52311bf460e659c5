"""Error hierarchy (provisional copy of the core module's root; main's version wins)."""

from __future__ import annotations


class WildsideError(Exception):
    """Root of the package's errors; exit_code is what the CLI returns."""

    exit_code = 70
