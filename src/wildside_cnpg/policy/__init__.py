"""Policy-as-code for the rendered tree: Rego shipped in `manifests/`, evaluated
in-process (compiled to WebAssembly by OPA) or by conftest unchanged.

The names below are loaded on first use, so that importing the package for its
render gate (`policy.gate`) costs nothing when `--no-policy` skips the check."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .findings import Finding, PolicyReport
    from .runner import (
        NAMESPACE,
        check_directory,
        check_files,
        check_module,
        check_trees,
        evaluate,
        evaluate_document,
        policy_dir,
        tree_input,
    )

__all__ = [
    "NAMESPACE",
    "Finding",
    "PolicyReport",
    "check_directory",
    "check_files",
    "check_module",
    "check_trees",
    "evaluate",
    "evaluate_document",
    "policy_dir",
    "tree_input",
]

_HOME = {"Finding": "findings", "PolicyReport": "findings"}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{_HOME.get(name, 'runner')}", __name__)
    return getattr(module, name)
