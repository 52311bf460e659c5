"""Typed, validated inputs, grouped by concern like the OpenTofu module's variables files.

`Inputs` and `load_inputs` are imported on first use, so that a module of this
package (a type, a check) can be imported without the compiled validator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compiled import Inputs
    from .loader import load_inputs

__all__ = ["Inputs", "load_inputs"]


def __getattr__(name: str) -> Any:
    if name == "Inputs":
        from .compiled import Inputs

        return Inputs
    if name == "load_inputs":
        from .loader import load_inputs

        return load_inputs
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
