"""Markdown tables of every input and output, generated from the model itself so the
README cannot drift from the code (a test compares them)."""

from __future__ import annotations

import json
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .inputs.cluster import ComputeResources
from .inputs.core import FluxDependsOn
from .inputs.marks import After, Secret
from .inputs.model import InputsModel
from .outputs import OUTPUTS

_GROUPS = (
    "CoreInputs",
    "ClusterInputs",
    "BackupInputs",
    "CredentialsInputs",
    "PoolingInputs",
    "MonitoringInputs",
    "TlsInputs",
    "RecoveryInputs",
    "DatabasesInputs",
    "TopologyInputs",
    "StorageInputs",
    "ReplicationInputs",
    "AccessInputs",
    "ServicesInputs",
)


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is typing.Literal:
        return "string"
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(arg) for arg in args if arg is not type(None)]
        return " or ".join(dict.fromkeys(names)) + (" or null" if type(None) in args else "")
    if origin in (tuple, list):
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return "map of " + ("any" if args[1] is typing.Any else _type_name(args[1]))
    plain: dict[Any, str] = {
        str: "string",
        int: "number",
        bool: "bool",
        Secret: "string (sensitive)",
        ComputeResources: "object {cpu, memory}",
        FluxDependsOn: "object {operator, credentials, cluster, addons} of lists of string",
    }
    if (
        annotation not in plain
        and isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
    ):
        return "object {" + ", ".join(annotation.model_fields) + "}"
    return plain.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _checks(annotation: Any) -> list[str]:
    found: list[str] = []
    for arg in typing.get_args(annotation):
        expected = getattr(arg.func, "expected", None) if isinstance(arg, After) else None
        if isinstance(expected, str):
            found.append(expected.removeprefix("expected "))
        elif typing.get_origin(arg) is typing.Literal:
            found.append("one of " + ", ".join(str(v) for v in typing.get_args(arg)))
        else:
            found.extend(_checks(arg))
    return found


def rule(field: FieldInfo) -> str:
    """What the validator enforces on the value, in words ('-' when nothing)."""
    annotation = field.annotation
    # The annotation is the first argument of Annotated[...]: its checks are found once.
    rules = _checks(typing.Annotated[annotation, *field.metadata] if field.metadata else annotation)
    if typing.get_origin(annotation) is typing.Literal:
        rules.insert(0, "one of " + ", ".join(str(v) for v in typing.get_args(annotation)))
    bounds = {
        bound: getattr(meta, bound)
        for meta in field.metadata
        for bound in ("ge", "le")
        if getattr(meta, bound, None) is not None
    }
    if "ge" in bounds and "le" in bounds:
        rules.append(f"a whole number from {bounds['ge']} to {bounds['le']}")
    elif bounds:
        rules.append(" ".join(f"{'>=' if b == 'ge' else '<='} {v}" for b, v in bounds.items()))
    for meta in field.metadata:
        if getattr(meta, "min_length", None):
            rules.append("at least one item")
    return "; ".join(dict.fromkeys(rules)) or "-"


def default_value(field: FieldInfo) -> Any:
    """The default as plain data (what an inputs file would hold)."""
    if field.default_factory is not None:
        value: Any = field.default_factory()  # type: ignore[call-arg]
    else:
        value = field.default
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        value = dump()
    if isinstance(value, tuple):
        value = list(value)
    return value


def input_groups() -> list[tuple[str, list[str]]]:
    """The inputs grouped like the OpenTofu module's variables files, in their order."""
    bases = {base.__name__: base for base in InputsModel.__mro__}
    return [
        (name.removesuffix("Inputs").lower(), list(bases[name].__annotations__)) for name in _GROUPS
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def inputs_table() -> str:
    lines = []
    for group, names in input_groups():
        lines.append(f"\n#### {group}\n")
        lines.append("| input | type | default | rule | description |")
        lines.append("|---|---|---|---|---|")
        for name in names:
            field = InputsModel.model_fields[name]
            default = "`" + json.dumps(default_value(field)) + "`"
            lines.append(
                f"| `{name}` | {_type_name(field.annotation)} | {_cell(default)} | "
                f"{_cell(rule(field))} | {_cell(field.description or '')} |"
            )
    return "\n".join(lines).strip() + "\n"


def outputs_table() -> str:
    lines = ["| output | sensitive | description |", "|---|---|---|"]
    for name in sorted(OUTPUTS):
        spec = OUTPUTS[name]
        sensitive = "yes" if spec.sensitive else "no"
        lines.append(f"| `{name}` | {sensitive} | {_cell(spec.description)} |")
    return "\n".join(lines) + "\n"
