"""The classes validated inputs are instances of (`compiled.py` declares their fields).

pydantic-core fills a `Record`'s fields as it fills a pydantic model's (the schema's
`model` validator sets `__dict__` and the fields set), so a Record behaves as the
frozen model it is compiled from: equal by value, hashable, read-only, `model_dump()`
and `model_fields_set`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self

from ..errors import InputError
from ..yamlio import load_yaml_text
from .marks import Secret

if TYPE_CHECKING:
    from pydantic_core import SchemaValidator


class Record:
    """A frozen record of validated fields."""

    __slots__ = (
        "__dict__",
        "__pydantic_extra__",
        "__pydantic_fields_set__",
        "__pydantic_private__",
    )
    # pydantic-core reads these of the class it builds instances of.
    __pydantic_fields_set__: set[str]

    @classmethod
    def _of(cls, **values: Any) -> Self:
        """A record of values already valid (the compiled schema's defaults)."""
        record = cls.__new__(cls)
        object.__setattr__(record, "__dict__", values)
        object.__setattr__(record, "__pydantic_fields_set__", set(values))
        object.__setattr__(record, "__pydantic_extra__", None)
        object.__setattr__(record, "__pydantic_private__", None)
        return record

    def __reduce__(self) -> tuple[Any, ...]:
        """Copied and pickled by its fields (the default would set them one by one,
        which a frozen record refuses)."""
        return (_rebuilt, (type(self), self.__dict__, self.__pydantic_fields_set__))

    @property
    def model_fields_set(self) -> set[str]:
        """The fields given (not defaulted)."""
        return self.__pydantic_fields_set__

    def model_dump(self) -> dict[str, Any]:
        """The fields as a mapping, records inside it as mappings too."""
        return {name: _dumped(value) for name, value in self.__dict__.items()}

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be deleted")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__name__}({fields})"


def _rebuilt(cls: type[Record], values: dict[str, Any], fields_set: set[str]) -> Record:
    record = cls._of(**values)
    object.__setattr__(record, "__pydantic_fields_set__", set(fields_set))
    return record


def _dumped(value: Any) -> Any:
    if isinstance(value, Record):
        return value.model_dump()
    if isinstance(value, tuple):
        return tuple(_dumped(item) for item in value)
    if isinstance(value, list):
        return [_dumped(item) for item in value]
    if isinstance(value, dict):
        return {key: _dumped(item) for key, item in value.items()}
    return value


def _declared(value: Any) -> bool:
    """An instance of the declaration's pydantic models (`inputs.model` and the modules
    it reads), recognised without importing pydantic."""
    return not isinstance(value, Record) and hasattr(type(value), "__pydantic_fields__")


def _plain(value: Any) -> Any:
    """A declared model's instance, alone or in a list, as the mapping it stands for
    (its given fields): code written for the pydantic models passes them."""
    if _declared(value):
        return value.model_dump(exclude_unset=True)
    if isinstance(value, list | tuple) and any(_declared(each) for each in value):
        return [_plain(each) for each in value]
    return value


class InputsRecord(Record):
    """Every input of the module (`compiled.Inputs` declares the fields).

    Construct with keyword arguments (Python) or `from_mapping` (files, tfvars JSON);
    both report every problem at once as an InputError."""

    __slots__ = ()
    _validator: ClassVar[SchemaValidator]
    _names: ClassVar[tuple[str, ...]]
    _sensitive: ClassVar[frozenset[str]]
    _defaults: ClassVar[dict[str, Any]]
    # Declared again by compiled.Inputs, with every other input.
    helm_values: dict[str, Any] | list[str]

    def __init__(self, **values: Any) -> None:
        from pydantic_core import ValidationError

        from .rules import cross_input_problems

        values = {name: _plain(value) for name, value in values.items()}
        try:
            self._validator.validate_python(values, self_instance=self)
        except ValidationError as error:
            from .messages import describe  # only on failure: it imports difflib

            raise InputError(describe(error)) from None
        problems = cross_input_problems(self)  # type: ignore[arg-type]
        if problems:
            raise InputError(problems)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Self:
        return cls(**dict(values))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return cls._names

    @classmethod
    def sensitive_names(cls) -> frozenset[str]:
        return cls._sensitive

    @classmethod
    def default(cls, name: str) -> Any:
        """The default of the input `name` (shared: never change it)."""
        return cls._defaults[name]

    @classmethod
    def default_data(cls, name: str) -> Any:
        """The default of the input `name` as plain data (records as mappings), as an
        inputs file or variables.tf spells it; new on each call."""
        return _dumped(cls._defaults[name])

    def sensitive_values(self) -> tuple[str, ...]:
        """The values of the sensitive inputs that are set: what no output may show."""
        values = (getattr(self, name) for name in sorted(self._sensitive))
        return tuple(
            v.get_secret_value() if isinstance(v, Secret) else v
            for v in values
            if isinstance(v, Secret | str)
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
        return {
            name: "<sensitive>" if name in self._sensitive else getattr(self, name)
            for name in sorted(self.model_fields_set)
        }
