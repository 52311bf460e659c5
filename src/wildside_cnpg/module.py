"""The module: inputs in, the tree, its YAML, its objects and the outputs out."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from .inputs import Inputs
from .kinds import KUSTOMIZATION, SECRET
from .outputs import module_outputs
from .shape import Shape, decide
from .tree import Tree, build_tree
from .yamlio import dump_documents


class Module:
    """One configured instance of the module. Results are computed once and cached;
    treat the returned structures as read-only."""

    def __init__(self, inputs: Inputs | None = None) -> None:
        self.inputs = inputs if inputs is not None else Inputs()
        self.shape: Shape = decide(self.inputs)

    @cached_property
    def _tree(self) -> Tree:
        return build_tree(self.inputs, self.shape)

    @cached_property
    def _rendered(self) -> dict[str, str]:
        return {path: dump_documents(docs) for path, docs in self._tree.items()}

    def documents(self) -> Tree:
        """Relative path -> the plain-data documents of that file."""
        return self._tree

    def render(self) -> dict[str, str]:
        """Relative path -> deterministic YAML text."""
        return self._rendered

    def objects(self) -> list[dict[str, Any]]:
        """Every object of the tree once, in the order of the files that hold them;
        kustomization files and Flux's layer Kustomizations (render-mode plumbing) are
        left out."""
        return [
            doc
            for docs in self._tree.values()
            for doc in docs
            if doc.get("kind") != KUSTOMIZATION.kind
        ]

    def sensitive_paths(self) -> frozenset[str]:
        """Files whose text holds secret values (plaintext Secrets)."""
        return frozenset(
            path
            for path, docs in self._tree.items()
            if any(doc.get("kind") == SECRET.kind and "stringData" in doc for doc in docs)
        )

    def outputs(self) -> dict[str, dict[str, Any]]:
        return module_outputs(self.inputs, self.shape, self.render)
