"""The HCL types of variables.tf (`string`, `list(...)`, `object({...})`, ...) as
values: the mapping of the inputs writes them (typemap.py), the `*.tfvars.json`
conversion reads them (tfvars.py), and `variable_types.py` holds each input's."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from . import hcl


@dataclass(frozen=True)
class Primitive:
    """`string`, `number` or `bool`."""

    name: typing.Literal["string", "number", "bool"]

    def text(self) -> str:
        return self.name


@dataclass(frozen=True)
class AnyType:
    """`any`: OpenTofu keeps the value as given; the tool checks it."""

    def text(self) -> str:
        return "any"


@dataclass(frozen=True)
class ListOf:
    item: HclType

    def text(self) -> str:
        return f"list({self.item.text()})"


@dataclass(frozen=True)
class MapOf:
    item: HclType

    def text(self) -> str:
        return f"map({self.item.text()})"


@dataclass(frozen=True)
class Attribute:
    """An object attribute: its type, whether it is `optional()` and the default
    that fills it in (plain data; None when it has none)."""

    type: HclType
    optional: bool = False
    default: Any = None

    def text(self) -> str:
        if not self.optional:
            return self.type.text()
        if self.default is None:
            return f"optional({self.type.text()})"
        return f"optional({self.type.text()}, {hcl.literal(self.default)})"


@dataclass(frozen=True)
class ObjectOf:
    attributes: tuple[tuple[str, Attribute], ...]

    def text(self) -> str:
        spelled = (f"{hcl.key(name)} = {attribute.text()}" for name, attribute in self.attributes)
        return "object({ " + ", ".join(spelled) + " })"


HclType = Primitive | AnyType | ListOf | MapOf | ObjectOf
