"""Changes from the tree already in a checkout that CNPG would refuse: a volume can
grow but never shrink. Checked before anything is written."""

from __future__ import annotations

from pathlib import Path

from .inputs.quantity import parse_quantity
from .module import Module
from .writer import read_owned
from .yamlio import load_all_yaml_text


def shrink_problems(out_dir: Path, module: Module) -> list[str]:
    path = module.names.paths.cluster
    target = out_dir / path
    if path not in read_owned(out_dir) or not target.is_file():
        return []
    try:
        documents = load_all_yaml_text(target.read_text(encoding="utf-8"))
    except ValueError:
        return []
    for document in documents:
        if not isinstance(document, dict) or document.get("kind") != "Cluster":
            continue
        current = str(document.get("spec", {}).get("storage", {}).get("size", ""))
        wanted = module.inputs.storage_size
        current_amount, wanted_amount = parse_quantity(current), parse_quantity(wanted)
        if (
            current_amount is not None
            and wanted_amount is not None
            and wanted_amount < current_amount
        ):
            return [
                f"storage_size: expected at least the '{current}' already in {path} "
                f"(CNPG volumes can grow but never shrink), got '{wanted}'"
            ]
    return []
