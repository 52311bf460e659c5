"""The complete, validated set of inputs, and the translation of validation
failures into one line per problem naming the input."""

from __future__ import annotations

import difflib
import json
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError
from pydantic_core import ErrorDetails

from ..errors import InputError
from ..yamlio import load_yaml_text
from ..yamlload import shorten, show_value
from .access import AccessInputs
from .backup import BackupInputs
from .base import InputGroup
from .cluster import ClusterInputs
from .core import CoreInputs
from .credentials import CredentialsInputs
from .databases import DatabasesInputs
from .monitoring import MonitoringInputs
from .pooling import PoolingInputs
from .recovery import RecoveryInputs
from .replication import ReplicationInputs
from .rules import cross_input_problems
from .services import ServicesInputs
from .storage import StorageInputs
from .text import has_control
from .tls import TlsInputs
from .topology import TopologyInputs

_TYPE_EXPECTATIONS = {
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "string_type": "expected a string",
    "dict_type": "expected a mapping",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "missing": "required",
    "too_short": "expected at least one item",
    "model_type": "expected a mapping",
}


class Inputs(
    ServicesInputs,
    AccessInputs,
    ReplicationInputs,
    StorageInputs,
    TopologyInputs,
    DatabasesInputs,
    RecoveryInputs,
    TlsInputs,
    MonitoringInputs,
    PoolingInputs,
    CredentialsInputs,
    BackupInputs,
    ClusterInputs,
    CoreInputs,
    InputGroup,
):
    """Every input of the module, grouped by concern in the parent classes (listed in
    reverse so that pydantic orders the fields core, cluster, backup, credentials,
    pooling, monitoring, tls, recovery, databases, topology, storage, replication,
    access, services).

    Construct with keyword arguments (Python) or `from_mapping` (files, tfvars JSON);
    both report every problem at once as an InputError.
    """

    model_config = ConfigDict(defer_build=False)

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise InputError(_describe(error)) from None
        problems = cross_input_problems(self)
        if problems:
            raise InputError(problems)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Inputs:
        return cls(**dict(values))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(cls.model_fields)

    @classmethod
    def sensitive_names(cls) -> frozenset[str]:
        return frozenset(
            name
            for name, field in cls.model_fields.items()
            if isinstance(field.json_schema_extra, dict)
            and field.json_schema_extra.get("sensitive")
        )

    def sensitive_values(self) -> tuple[str, ...]:
        """The values of the sensitive inputs that are set: what no output may show."""
        values = (getattr(self, name) for name in sorted(self.sensitive_names()))
        return tuple(
            v.get_secret_value() if isinstance(v, SecretStr) else v
            for v in values
            if isinstance(v, SecretStr | str)
        )

    def helm_values_mapping(self) -> dict[str, Any]:
        """helm_values as one mapping; a list of YAML documents merges shallowly in order,
        as OpenTofu's merge() did in the module this replaces."""
        if isinstance(self.helm_values, dict):
            return dict(self.helm_values)

        merged: dict[str, Any] = {}
        for text in self.helm_values:
            loaded = load_yaml_text(text)
            if isinstance(loaded, dict):
                merged.update(loaded)
        return merged

    def given(self) -> dict[str, Any]:
        """The inputs set explicitly, with sensitive values masked (safe to log)."""
        sensitive = self.sensitive_names()
        return {
            name: "<sensitive>" if name in sensitive else getattr(self, name)
            for name in sorted(self.model_fields_set)
        }


def _show(value: Any) -> str:
    """The offending value for a message, cut to a few dozen characters."""
    if isinstance(value, str):
        return show_value(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal):  # a `*.tfvars.json` number the tool does not read
        return shorten(str(value))
    try:
        return shorten(json.dumps(value, sort_keys=True, default=str))
    except (TypeError, ValueError, RecursionError):
        return shorten(repr(value))


def _bounds(loc: tuple[int | str, ...]) -> tuple[Any, Any]:
    """The ge and le bounds of the field at `loc`, inside objects and lists too
    (`synchronous_replication.number`, `pod_security_context.supplemental_groups[0]`)."""
    model: Any = Inputs
    metadata: list[Any] = []
    annotation: Any = None
    for part in loc:
        if isinstance(part, str) and isinstance(model, type) and issubclass(model, BaseModel):
            field = model.model_fields.get(part)
            if field is None:
                return None, None
            annotation, metadata = field.annotation, list(field.metadata)
        elif isinstance(part, int):
            items = [a for a in typing.get_args(annotation) if a is not Ellipsis]
            annotation, metadata = (items[0] if items else None), []
        else:
            return None, None
        while typing.get_origin(annotation) in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        if typing.get_origin(annotation) is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            metadata += extra
        model = annotation
    bounds: dict[str, Any] = {}
    for meta in metadata:
        for bound in ("ge", "le"):
            if getattr(meta, bound, None) is not None:
                bounds[bound] = getattr(meta, bound)
    return bounds.get("ge"), bounds.get("le")


def _expected(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}".replace("'", "")
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(error["loc"])
        if low is not None and high is not None:
            return f"expected a whole number from {low} to {high}"
        return f"expected a whole number {'>=' if high is None else '<='} {low or high}"
    if kind in _TYPE_EXPECTATIONS:
        return _TYPE_EXPECTATIONS[kind]
    return str(error["msg"]).lower()


# pydantic tags each member of a union in an error's location (helm_values).
_UNION_MEMBER_TAGS = frozenset({"list[str]", "dict[str,any]"})


def _name(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part in _UNION_MEMBER_TAGS:
            continue
        else:
            text = str(part)
            # A key the user made up is echoed shortened; an input's own name never is.
            if has_control(text) or (len(text) > 40 and text not in Inputs.model_fields):
                text = show_value(text, 40)
            parts.append(("." if parts else "") + text)
    return "".join(parts)


def _describe(error: ValidationError) -> list[str]:
    sensitive = Inputs.sensitive_names()
    known = list(Inputs.model_fields)
    expectations: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        name = _name(loc)
        top = str(loc[0]) if loc else ""
        if detail["type"] == "extra_forbidden":
            # A key inside an object input is checked against that object, not the inputs.
            close = difflib.get_close_matches(top, known, n=1, cutoff=0.6) if len(loc) == 1 else []
            hint = f"; did you mean '{close[0]}'?" if close else "; see `wildside-cnpg schema`"
            expectations.setdefault(name, []).append(f"unknown input{hint}")
            continue
        expected = _expected(detail)
        # A union (helm_values) fails once per member: say so in one line.
        expectations.setdefault(name, [])
        if expected not in expectations[name]:
            expectations[name].append(
                expected.removeprefix("expected ") if expectations[name] else expected
            )
        if detail["type"] != "missing":
            shown[name] = "<sensitive>" if top in sensitive else _show(detail.get("input"))
    return [
        f"{name}: {' or '.join(parts)}" + (f", got {shown[name]}" if name in shown else "")
        for name, parts in expectations.items()
    ]
