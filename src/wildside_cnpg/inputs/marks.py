"""What the input types attach to a value, declared without importing pydantic.

`After` and `Before` are pydantic's after- and before-validators in the form pydantic
reads from any annotation (`__get_pydantic_core_schema__`), and `Secret` is the
sensitive string. pydantic is imported only when a schema is built from the
declarations (the JSON Schema, the OpenTofu variables, `compiled.py`'s generator);
a render validates with the compiled schema (`compiled.py`) and never imports it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema


class _Validator:
    """Run `func` on the value, once its type is checked or before."""

    __slots__ = ("func",)
    _after: ClassVar[bool]

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        if self._after:
            return core_schema.no_info_after_validator_function(self.func, handler(source))
        return core_schema.no_info_before_validator_function(self.func, handler(source))


class After(_Validator):
    """pydantic's AfterValidator: `func` sees a value of the declared type."""

    __slots__ = ()
    _after = True


class Before(_Validator):
    """pydantic's BeforeValidator: `func` sees the value as given."""

    __slots__ = ()
    _after = False


def validator_of(alias: object, index: int) -> Callable[[Any], Any]:
    """The function of the `After` or `Before` at `index` in an `Annotated` alias's
    metadata: how `compiled.py` names the checks it runs."""
    mark = alias.__metadata__[index]  # type: ignore[attr-defined]
    if not isinstance(mark, _Validator):
        raise TypeError(f"{alias!r}: metadata {index} is not a validator")
    return mark.func


class Secret:
    """A sensitive string: its text only through `get_secret_value()`, never in a
    repr, a str or a log line."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def get_secret_value(self) -> str:
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(cls, core_schema.str_schema())

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"format": "password", "type": "string", "writeOnly": True}
