"""From a pydantic field to an OpenTofu variable: its HCL type, whether it is
nullable or sensitive, and the validations HCL can express.

Everything is derived from the annotations and their metadata, recursively (nested
models become `object(...)` types with `optional()` attributes for those with a
default, lists `list(...)`, string-keyed dicts `map(...)`). What it cannot map is
an error naming the input, never a silent `any`.

The type is kept as a structure (`HclType`) that spells itself for variables.tf and
that the `*.tfvars.json` conversion (tfvars.py) walks: one mapping for both."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import annotated_types
from pydantic import AfterValidator, BaseModel, BeforeValidator, SecretStr, Strict
from pydantic.fields import FieldInfo

from ..inputs import types as input_types
from ..inputs.marks import After, Before, Secret
from . import hcl
from .hcltypes import AnyType, Attribute, HclType, ListOf, MapOf, ObjectOf, Primitive
from .rules import STRING_RULES, secret_condition

_BOUNDS: dict[type, tuple[str, str]] = {
    annotated_types.Ge: ("ge", ">="),
    annotated_types.Gt: ("gt", ">"),
    annotated_types.Le: ("le", "<="),
    annotated_types.Lt: ("lt", "<"),
}


# pydantic's validators (models of others) and the tool's own (inputs/marks.py).
_AFTER = (AfterValidator, After)
_BEFORE = (BeforeValidator, Before)


def _is_helm_values_check(meta: Any) -> bool:
    return isinstance(meta, _AFTER) and isinstance(meta.func, input_types.HelmValuesCheck)


class MappingError(ValueError):
    """A type or rule the generator cannot express in HCL."""


@dataclass(frozen=True)
class Rule:
    """A validation: `condition(ref)` holds when the value at `ref` is valid;
    `path(ref)` is the template text naming the input (it may interpolate the index
    or key of a failing item); `expected` is the tool's own wording."""

    condition: Callable[[str], str]
    path: Callable[[str], str]
    expected: str

    def message(self, ref: str) -> str:
        return f"{self.path(ref)}: {hcl.template_text(self.expected)}"


_LITERAL_TYPES: dict[type, typing.Literal["string", "number", "bool"]] = {
    str: "string",
    int: "number",
    bool: "bool",
}


@dataclass(frozen=True)
class Mapped:
    shape: HclType
    nullable: bool = False
    sensitive: bool = False
    rules: tuple[Rule, ...] = field(default=())

    @property
    def type(self) -> str:
        """The type as variables.tf spells it."""
        return self.shape.text()


def _choices(values: Sequence[Any]) -> str:
    """`a, b or c`, as the tool words a choice."""
    words = [str(value) for value in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _guarded(rule: Rule) -> Rule:
    """The rule of a value that may be null: null passes."""
    return replace(rule, condition=lambda ref: f"{ref} == null ? true : ({rule.condition(ref)})")


def _lift(rule: Rule, depth: int, keyed: bool) -> Rule:
    """An item's rule as a rule of its list (or map): every item must pass, and the
    message names the first failing index (or key) as the tool does."""
    item, at = f"x{depth}", f"k{depth}"

    def condition(ref: str) -> str:
        return f"alltrue([for {item} in {ref} : {rule.condition(item)}])"

    def path(ref: str) -> str:
        # OpenTofu evaluates the message even when the condition holds: try().
        first = f'try([for {at}, {item} in {ref} : {at} if !({rule.condition(item)})][0], "")'
        # The item's own path (a list or map inside it) names it through `ref`: its
        # loop variable is bound only inside the expression above.
        inner = rule.path(f"{ref}[{first}]")
        return ("." if keyed else "[") + "${" + first + "}" + ("" if keyed else "]") + inner

    return Rule(condition, path, rule.expected)


def _prefixed(rule: Rule, name: str) -> Rule:
    return replace(rule, path=lambda ref: hcl.template_text(name) + rule.path(ref))


def _attribute(rule: Rule, attribute: str) -> Rule:
    return Rule(
        lambda ref: rule.condition(f"{ref}.{attribute}"),
        lambda ref: "." + hcl.template_text(attribute) + rule.path(f"{ref}.{attribute}"),
        rule.expected,
    )


class _Mapper:
    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, what: str) -> MappingError:
        return MappingError(f"{self.where}: {what}")

    def map(self, annotation: Any, metadata: Sequence[Any] = (), depth: int = 0) -> Mapped:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            return self.map(args[0], [*metadata, *args[1:]], depth)
        if origin in (typing.Union, types.UnionType):
            return self._union(args, metadata, depth)
        mapped = self._plain(annotation, origin, args, depth)
        rules = list(mapped.rules)
        range_rule = self._range_rule(metadata, annotation)
        if range_rule is not None:
            rules.append(range_rule)
            metadata = [meta for meta in metadata if type(meta) not in _BOUNDS]
        for meta in metadata:
            rules.extend(self._metadata_rules(meta, annotation, origin))
        return replace(mapped, rules=tuple(rules))

    def _union(self, args: tuple[Any, ...], metadata: Sequence[Any], depth: int) -> Mapped:
        members = [arg for arg in args if arg is not type(None)]
        nullable = len(members) < len(args)
        if len(members) == 1:
            inner = self.map(members[0], metadata, depth)
        else:
            mapped = [self.map(member, (), depth) for member in members]
            # Chart values: the tool refuses control characters in them when the data
            # source runs (HCL has no rule over an `any` value).
            metadata = [m for m in metadata if not _is_helm_values_check(m)]
            if metadata:
                raise self.fail(f"constraints on a union of {len(members)} types")
            # Different shapes (a mapping or a list): HCL's `any`; the tool checks it.
            sensitive = any(m.sensitive for m in mapped)
            inner = Mapped(AnyType(), sensitive=sensitive)
        if not nullable:
            return inner
        return replace(inner, nullable=True, rules=tuple(_guarded(rule) for rule in inner.rules))

    def _plain(self, annotation: Any, origin: Any, args: tuple[Any, ...], depth: int) -> Mapped:
        if annotation is bool:
            return Mapped(Primitive("bool"))
        if annotation is int:
            whole = Rule(
                lambda ref: f"floor({ref}) == {ref}", lambda ref: "", "expected a whole number"
            )
            return Mapped(Primitive("number"), rules=(whole,))
        if annotation is float:
            return Mapped(Primitive("number"))
        if annotation is str:
            return Mapped(Primitive("string"))
        if annotation is SecretStr or annotation is Secret:
            return Mapped(Primitive("string"), sensitive=True)
        if annotation is Any:
            return Mapped(AnyType())
        if origin is typing.Literal:
            return self._literal(args)
        if origin in (tuple, list) and (origin is list or (len(args) == 2 and args[1] is ...)):
            item = self.map(args[0], (), depth + 1)
            return Mapped(
                ListOf(item.shape),
                sensitive=item.sensitive,
                rules=tuple(_lift(rule, depth, keyed=False) for rule in item.rules),
            )
        if origin is dict:
            if args[0] is not str:
                raise self.fail(f"a mapping with {args[0]!r} keys (HCL keys are strings)")
            if args[1] is Any:
                mapping = Rule(
                    lambda ref: f"can(keys({ref}))", lambda ref: "", "expected a mapping"
                )
                return Mapped(AnyType(), rules=(mapping,))
            item = self.map(args[1], (), depth + 1)
            return Mapped(
                MapOf(item.shape),
                sensitive=item.sensitive,
                rules=tuple(_lift(rule, depth, keyed=True) for rule in item.rules),
            )
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self._model(annotation, depth)
        raise self.fail(
            f"no OpenTofu type for {annotation!r}: teach wildside_cnpg/opentofu/typemap.py"
        )

    def _literal(self, values: tuple[Any, ...]) -> Mapped:
        kinds = {type(value) for value in values}
        if kinds not in ({str}, {int}, {bool}):
            raise self.fail(f"a choice among values of types {sorted(k.__name__ for k in kinds)}")
        type_name = _LITERAL_TYPES[kinds.pop()]
        choices = hcl.literal(list(values))
        rule = Rule(
            lambda ref: f"contains({choices}, {ref})",
            lambda ref: "",
            f"expected one of {_choices(values)}",
        )
        return Mapped(Primitive(type_name), rules=(rule,))

    def _model(self, model: type[BaseModel], depth: int) -> Mapped:
        attributes: list[tuple[str, Attribute]] = []
        rules: list[Rule] = []
        sensitive = False
        for name, info in model.model_fields.items():
            inner = _Mapper(f"{self.where}.{name}").field(info, depth + 1)
            sensitive = sensitive or inner.sensitive
            optional = not info.is_required()
            default = _default_value(info) if optional else None
            attributes.append((name, Attribute(inner.shape, optional, default)))
            rules.extend(_attribute(rule, name) for rule in inner.rules)
        return Mapped(ObjectOf(tuple(attributes)), sensitive=sensitive, rules=tuple(rules))

    def field(self, info: FieldInfo, depth: int = 0) -> Mapped:
        mapped = self.map(info.annotation, info.metadata, depth)
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get("sensitive"):
            mapped = replace(mapped, sensitive=True)
        return mapped

    def _metadata_rules(self, meta: Any, annotation: Any, origin: Any) -> list[Rule]:
        if isinstance(meta, _AFTER) and isinstance(meta.func, input_types.Check):
            rule = STRING_RULES.get(meta.func)
            if rule is None:
                raise self.fail(
                    f"no HCL condition for the check '{meta.func.expected}': "
                    "add one to wildside_cnpg/opentofu/rules.py"
                )
            return [Rule(rule.condition, lambda ref: "", meta.func.expected)]
        if isinstance(meta, _AFTER) and isinstance(meta.func, input_types.SecretCheck):
            return [Rule(secret_condition, lambda ref: "", meta.func.expected)]
        if isinstance(meta, _BEFORE) and meta.func is input_types._number_to_text:
            return []  # HCL converts a number given for a string the same way
        if isinstance(meta, Strict | input_types.JsonSchemaHint):
            return []  # the JSON Schema's spelling of a Check mapped above
        if isinstance(meta, annotated_types.MinLen | annotated_types.MaxLen):
            return [self._length_rule(meta, annotation, origin)]
        if type(meta) in _BOUNDS:
            return [self._bound_rule(meta, annotation)]
        raise self.fail(f"no HCL validation for {meta!r}: teach wildside_cnpg/opentofu/typemap.py")

    def _length_rule(self, meta: Any, annotation: Any, origin: Any) -> Rule:
        unit = "characters" if annotation is str else "items"
        if isinstance(meta, annotated_types.MinLen):
            limit, operator, word = meta.min_length, ">=", "at least"
        else:
            limit, operator, word = meta.max_length, "<=", "at most"
        amount = "one item" if (limit, unit) == (1, "items") else f"{limit} {unit}"
        if annotation is not str and origin not in (tuple, list, dict):
            raise self.fail(f"a length bound on {annotation!r}")
        return Rule(
            lambda ref: f"length({ref}) {operator} {limit}",
            lambda ref: "",
            f"expected {word} {amount}",
        )

    def _range_rule(self, metadata: Sequence[Any], annotation: Any) -> Rule | None:
        """A whole number bounded both ways, worded as the tool words it."""
        low = next((m.ge for m in metadata if isinstance(m, annotated_types.Ge)), None)
        high = next((m.le for m in metadata if isinstance(m, annotated_types.Le)), None)
        if annotation is not int or low is None or high is None:
            return None
        return Rule(
            lambda ref: f"{ref} >= {low} && {ref} <= {high}",
            lambda ref: "",
            f"expected a whole number from {low} to {high}",
        )

    def _bound_rule(self, meta: Any, annotation: Any) -> Rule:
        if annotation not in (int, float):
            raise self.fail(f"a numeric bound on {annotation!r}")
        kind = "a whole number" if annotation is int else "a number"
        attribute, operator = _BOUNDS[type(meta)]
        bound = getattr(meta, attribute)
        return Rule(
            lambda ref: f"{ref} {operator} {bound}",
            lambda ref: "",
            f"expected {kind} {operator} {bound}",
        )


def _default_value(info: FieldInfo) -> Any:
    """The field's default as plain data (models dumped, tuples as lists)."""
    if info.default_factory is not None:
        value: Any = info.default_factory()  # type: ignore[call-arg]
    else:
        value = info.default
    return _plain_data(value)


def _plain_data(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _plain_data(value.model_dump())
    if isinstance(value, dict):
        return {key: _plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_data(item) for item in value]
    return value


def map_field(name: str, info: FieldInfo) -> Mapped:
    """The variable for the input `name`; its rules' paths start with the name."""
    mapped = _Mapper(name).field(info)
    return replace(mapped, rules=tuple(_prefixed(rule, name) for rule in mapped.rules))


def default_value(info: FieldInfo) -> Any:
    """The input's default as plain data (what `default =` spells)."""
    return _default_value(info)
