"""wildside-cnpg: PostgreSQL with PostGIS on Kubernetes through CloudNativePG.

The public surface is `Inputs`, `Module` and the errors; everything else is private.
Imports are lazy so that the CLI's --help and --version stay fast."""

from __future__ import annotations

# `typing` (and the `re` it pulls in) would cost more than the whole of `--version`.
TYPE_CHECKING = False

__version__ = "0.1.0"
__all__ = ["InputError", "Inputs", "Module", "WildsideError", "__version__"]

if TYPE_CHECKING:
    from typing import Any

    from .errors import InputError, WildsideError
    from .inputs import Inputs
    from .module import Module


def __getattr__(name: str) -> Any:
    if name in ("InputError", "WildsideError"):
        from . import errors

        return getattr(errors, name)
    if name == "Inputs":
        from .inputs import Inputs

        return Inputs
    if name == "Module":
        from .module import Module

        return Module
    raise AttributeError(f"module 'wildside_cnpg' has no attribute {name!r}")
