"""The first of two commits when a tree written without Flux's prune protection is
reshaped: add `kustomize.toolkit.fluxcd.io/prune: disabled` to the objects the new
render protects, in the files already in the checkout, and change nothing else. Once
Flux has applied that, no Kustomization can delete them while they move."""

from __future__ import annotations

from pathlib import Path

from .constants import FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED
from .fluxgraph import ObjectKey
from .module import Module
from .plan.classify import protected
from .writer import Checkout, WriteReport, read_checkout, write_tree
from .yamlio import dump_documents, load_all_yaml_text


def protected_files(module: Module, out_dir: Path | Checkout) -> dict[str, str]:
    """This render's files in the checkout, rewritten with the protection added to
    every object the new render protects (only the files that change)."""
    record, texts = read_checkout(out_dir)
    wanted = {
        ObjectKey.of(doc)
        for docs in module.documents().values()
        for doc in docs
        if isinstance(doc, dict) and protected(doc)
    }
    changed: dict[str, str] = {}
    for path in sorted(record.owned_by(module.shape.owner) & set(texts)):
        try:
            documents = load_all_yaml_text(texts[path])
        except ValueError:
            continue  # not YAML: the render's plan refuses it until it is restored
        touched = False
        for doc in documents:
            if isinstance(doc, dict) and ObjectKey.of(doc) in wanted and not protected(doc):
                metadata = doc.setdefault("metadata", {})
                annotations = metadata.setdefault("annotations", {}) or {}
                annotations[FLUX_PRUNE_ANNOTATION] = FLUX_PRUNE_DISABLED
                metadata["annotations"] = annotations
                touched = True
        if touched:
            changed[path] = dump_documents(documents)
    return changed


def protect_only(module: Module, out_dir: Path | Checkout) -> WriteReport:
    return write_tree(
        out_dir, protected_files(module, out_dir), owner=module.shape.owner, prune=False
    )
