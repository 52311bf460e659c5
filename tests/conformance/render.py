"""Building the module of a matrix case or an example."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wildside_cnpg import Inputs, Module
from wildside_cnpg.inputs import load_inputs
from wildside_cnpg.yamlio import load_all_yaml_text

from .cases import MATRIX, example_inputs

CASES: dict[str, dict[str, Any] | Path] = {
    **MATRIX,
    **{f"example-{name}": path for name, path in example_inputs().items()},
}


def module_for(case: str) -> Module:
    source = CASES[case]
    if isinstance(source, Path):
        return Module(load_inputs([source]))
    return Module(Inputs.from_mapping(source))


def multiset(documents: Iterable[Any]) -> Counter[str]:
    """Documents as a multiset of canonical JSON, to compare streams as data."""
    return Counter(json.dumps(doc, sort_keys=True) for doc in documents)


def rendered_documents(files: dict[str, str], prefixes: tuple[str, ...]) -> list[Any]:
    """The documents of the rendered files under the given directories, kustomize's
    build files left out."""
    return [
        doc
        for path, text in files.items()
        if path.startswith(prefixes) and not path.endswith("/kustomization.yaml")
        for doc in load_all_yaml_text(text)
    ]
