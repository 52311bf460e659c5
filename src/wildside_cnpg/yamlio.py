"""Deterministic YAML: apiVersion, kind and metadata first, every other mapping's
keys sorted, no nulls, block style, a trailing newline. Same data, same bytes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from .yamlload import INPUT_LIMITS, MANIFEST_LIMITS, load_all, load_one

_FIRST = ("apiVersion", "kind", "metadata")

# libyaml's C emitter: the same output as the pure-Python one, faster.
_Dumper = yaml.CSafeDumper


class _NoAliasDumper(_Dumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_NoAliasDumper.add_representer(str, _str_representer)


def plain_data(value: Any, path: str = "$") -> Any:
    """Refuse anything that is not plain data, drop None values, sort mapping keys."""
    if isinstance(value, Mapping):
        return {
            str(k): plain_data(value[k], f"{path}.{k}")
            for k in sorted(value, key=str)
            if value[k] is not None
        }
    if isinstance(value, list | tuple):
        return [plain_data(v, f"{path}[{i}]") for i, v in enumerate(value) if v is not None]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise TypeError(f"{path}: {type(value).__name__} is not plain data")


def _ordered(document: Mapping[str, Any]) -> dict[str, Any]:
    first = {key: document[key] for key in _FIRST if key in document}
    rest = {key: document[key] for key in sorted(document) if key not in first}
    return first | rest


def dump_document(document: Mapping[str, Any]) -> str:
    text: str = yaml.dump(
        _ordered(plain_data(document, "$")),
        Dumper=_NoAliasDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=4096,
        explicit_start=False,
    )
    return text


def dump_documents(documents: Iterable[Mapping[str, Any]]) -> str:
    """One or more documents, separated by `---` lines."""
    return "---\n".join(dump_document(document) for document in documents)


def load_yaml_text(text: str) -> Any:
    """One YAML document as plain data (yamlload's rules and input limits); a
    ValueError naming the line and the problem when it is not."""
    return load_one(text, INPUT_LIMITS)


def load_all_yaml_text(text: str) -> list[Any]:
    """Every non-empty document of a manifest stream as plain data (yamlload's rules
    and manifest limits)."""
    return [doc for doc in load_all(text, MANIFEST_LIMITS) if doc is not None]


def dump_data(value: Any) -> str:
    """Plain data (a report, the outputs) as block YAML: mapping keys sorted, nulls
    kept, multi-line strings as literal blocks."""
    text: str = yaml.dump(
        value,
        Dumper=_NoAliasDumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=4096,
    )
    return text
