"""Policy-as-code for the rendered tree: Rego shipped in `manifests/`, evaluated
in-process (compiled to WebAssembly by OPA) or by conftest unchanged."""

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
