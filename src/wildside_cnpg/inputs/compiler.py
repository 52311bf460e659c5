"""Generate what a render needs of the inputs' pydantic declaration
(`model.InputsModel`), so that it never imports pydantic:

- `compiled.py`: the validator, the pydantic-core schema pydantic would build, with
  the records it builds and the tables the messages read;
- `opentofu/variable_types.py`: each input's variables.tf type, which a
  `*.tfvars.json` file's values convert to.

Building pydantic models costs a render most of its start-up; what they build is the
same each run, so it is built here once and written down. The files are checked to
be current by the test suite (`make compiled-inputs` rewrites them). Run:
`python -m wildside_cnpg.inputs.compiler [--check]`."""

from __future__ import annotations

import subprocess
import sys
import types
import typing
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import BaseModel

from . import feature_types
from . import types as input_types
from .base import InputGroup
from .marks import After, Before, Secret
from .model import InputsModel

TARGET = Path(__file__).with_name("compiled.py")
VARIABLE_TYPES_TARGET = Path(__file__).parents[1] / "opentofu" / "variable_types.py"
# The modules whose `Annotated` aliases carry every validator a field runs, by the
# name compiled.py imports them as.
_ALIAS_MODULES = {"t": input_types, "ft": feature_types}
# Left out of the compiled schema: they serve only pydantic's JSON Schema and dumps,
# which the compiled validator does not make.
_DROPPED_KEYS = frozenset({"metadata", "serialization"})


class CompileError(Exception):
    """The declaration holds something the compiled validator cannot name."""


def _validator_names() -> dict[int, str]:
    found: dict[int, str] = {}
    for alias_module, module in _ALIAS_MODULES.items():
        for name, value in vars(module).items():
            if typing.get_origin(value) is not typing.Annotated:
                continue
            for index, mark in enumerate(value.__metadata__):
                if isinstance(mark, After | Before):
                    found.setdefault(id(mark.func), f"validator_of({alias_module}.{name}, {index})")
    return found


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """`model` and every model its fields hold, each once, in field order."""
    seen: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in seen:
                parent = _parent(annotation)
                if parent is not None:
                    visit(parent)
                for info in annotation.model_fields.values():
                    visit(info.annotation)
                seen.append(annotation)
            return
        for argument in typing.get_args(annotation):
            visit(argument)

    visit(model)
    yield from seen


def _parent(model: type[BaseModel]) -> type[BaseModel] | None:
    """The input model `model` extends (AdditionalService a ServiceSettings), if any."""
    base = model.__bases__[0]
    if base is InputGroup or not issubclass(base, BaseModel) or model is InputsModel:
        return None
    return base


class _Emitter:
    def __init__(self, records: dict[type[BaseModel], str]) -> None:
        self.records = records
        self.validators = _validator_names()
        self.refs: dict[str, str] = {}

    def ref(self, ref: str) -> str:
        """A schema reference without the object id pydantic puts in it."""
        name = ref.split(":", 1)[0].rsplit(".", 1)[-1]
        if ref not in self.refs and name in self.refs.values():
            raise CompileError(f"two models are named {name}: rename one")
        return self.refs.setdefault(ref, name)

    def value(self, value: Any, where: str) -> str:
        if isinstance(value, dict):
            items = []
            for key, item in value.items():
                if key in _DROPPED_KEYS:
                    continue
                if key == "custom_init":  # a record has no __init__ of its own to call
                    items.append(f"{key!r}: False")
                elif key in ("ref", "schema_ref"):
                    items.append(f"{key!r}: {self.ref(item)!r}")
                else:
                    items.append(f"{key!r}: {self.value(item, f'{where}.{key}')}")
            return "{" + ", ".join(items) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.value(item, where) for item in value) + "]"
        if isinstance(value, tuple):
            inner = ", ".join(self.value(item, where) for item in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        if value is None or isinstance(value, bool | int | float | str):
            return repr(value)
        if isinstance(value, BaseModel):
            fields = ", ".join(
                f"{name}={self.value(getattr(value, name), where)}"
                for name in type(value).model_fields
            )
            return f"{self.records[type(value)]}._of({fields})"
        if isinstance(value, type) and value in self.records:
            return self.records[value]
        if value is Secret:
            return "Secret"
        if value is dict:
            return "dict"
        if id(value) in self.validators:
            return self.validators[id(value)]
        raise CompileError(f"{where}: {value!r} has no name compiled.py can import")


def _annotation(annotation: Any, records: dict[type[BaseModel], str]) -> str:
    """A field's type as compiled.py declares it (for mypy): the declared type with
    the validators dropped and each model replaced by its record."""
    if annotation is None or annotation is type(None):
        return "None"
    if annotation is Any:
        return "Any"
    if annotation in records:
        return records[annotation]
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _annotation(arguments[0], records)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_annotation(argument, records) for argument in arguments)
    if origin is typing.Literal:
        return "Literal[" + ", ".join(repr(argument) for argument in arguments) + "]"
    if origin in (tuple, list, dict, frozenset):
        inner = ", ".join(
            "..." if argument is Ellipsis else _annotation(argument, records)
            for argument in arguments
        )
        return f"{origin.__name__}[{inner}]"
    if annotation in (str, int, bool, float, Secret):
        return str(annotation.__name__)
    raise CompileError(f"no spelling for the type {annotation!r}")


def _bounds() -> dict[tuple[int | str, ...], tuple[Any, Any]]:
    """The ge and le bounds of every whole-number field, by its location in a
    validation error (a list item at index 0)."""
    found: dict[tuple[int | str, ...], tuple[Any, Any]] = {}

    def visit(model: type[BaseModel], loc: tuple[int | str, ...]) -> None:
        for name, info in model.model_fields.items():
            walk(info.annotation, list(info.metadata), (*loc, name))

    def walk(annotation: Any, metadata: list[Any], loc: tuple[int | str, ...]) -> None:
        while typing.get_origin(annotation) in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        if typing.get_origin(annotation) is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            metadata = metadata + extra
        bounds = {
            bound: getattr(meta, bound)
            for meta in metadata
            for bound in ("ge", "le")
            if getattr(meta, bound, None) is not None
        }
        if bounds:
            found[loc] = (bounds.get("ge"), bounds.get("le"))
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            visit(annotation, loc)
        elif typing.get_origin(annotation) in (tuple, list):
            items = [a for a in typing.get_args(annotation) if a is not Ellipsis]
            if items:
                walk(items[0], [], (*loc, 0))

    visit(InputsModel, ())
    return found


def _defaults() -> dict[str, Any]:
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in InputsModel.model_fields.items()
    }


def source() -> str:
    """compiled.py's text, formatted as the project formats code."""
    models = list(_models(InputsModel))
    records = {model: "Inputs" if model is InputsModel else model.__name__ for model in models}
    if len(set(records.values())) != len(records):
        raise CompileError("two input models share a name: rename one")
    emitter = _Emitter(records)
    schema = emitter.value(InputsModel.__pydantic_core_schema__, "Inputs")
    lines = [
        '"""The inputs\' validator, generated from `model.InputsModel` by `compiler.py`',
        '(`make compiled-inputs`): do not edit."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any, Literal",
        "",
        "from pydantic_core import SchemaValidator",
        "",
        "from . import feature_types as ft",
        "from . import types as t",
        "from .marks import Secret, validator_of",
        "from .runtime import InputsRecord, Record",
        "",
    ]
    for model in models:
        parent = _parent(model)
        base = "InputsRecord" if model is InputsModel else records.get(parent, "Record")  # type: ignore[arg-type]
        inherited = parent.model_fields if parent is not None else {}
        lines += ["", "", f"class {records[model]}({base}):", "    __slots__ = ()", ""]
        for name, info in model.model_fields.items():
            if name not in inherited:
                lines.append(f"    {name}: {_annotation(info.annotation, records)}")
    sensitive = sorted(InputsModel.sensitive_names())
    lines += [
        "",
        "",
        "# The pydantic-core the schema was generated with (pyproject.toml holds its series).",
        f"PYDANTIC_CORE_VERSION = {pydantic_core.__version__!r}",
        f"SCHEMA: Any = {schema}",
        "VALIDATOR = SchemaValidator(SCHEMA)",
        f"NAMES: tuple[str, ...] = {tuple(InputsModel.model_fields)!r}",
        f"SENSITIVE: frozenset[str] = frozenset({sensitive!r})",
        f"BOUNDS: dict[tuple[int | str, ...], tuple[Any, Any]] = {_bounds()!r}",
        f"DEFAULTS: dict[str, Any] = {emitter.value(_defaults(), 'defaults')}",
        "Inputs._validator = VALIDATOR",
        "Inputs._names = NAMES",
        "Inputs._sensitive = SENSITIVE",
        "Inputs._defaults = DEFAULTS",
    ]
    return _formatted("\n".join(lines) + "\n", TARGET)


def variable_types_source() -> str:
    """opentofu/variable_types.py's text: each input's variables.tf type as a value."""
    from ..opentofu.typemap import map_field

    fields = InputsModel.model_fields
    types = {name: map_field(name, info).shape for name, info in fields.items()}
    names = sorted(
        {type(node).__name__ for shape in types.values() for node in _nodes(shape)} | {"HclType"}
    )
    # The type of a model that several inputs take (ComputeResources, ServiceSettings)
    # is spelled once, as a constant named after the model.
    uses = Counter(repr(shape) for shape in types.values())
    shared: dict[str, str] = {}
    for name, info in fields.items():
        spelled = repr(types[name])
        model = _model_in(info.annotation)
        if model is not None and uses[spelled] > 1:
            shared.setdefault(spelled, _constant_name(model.__name__))
    entries = ", ".join(
        f"{name!r}: {shared.get(repr(shape), repr(shape))}" for name, shape in types.items()
    )
    lines = [
        '"""Each input\'s variables.tf type, generated from `inputs/model.InputsModel` by',
        '`inputs/compiler.py` (`make compiled-inputs`): do not edit."""',
        "",
        "from __future__ import annotations",
        "",
        f"from .hcltypes import {', '.join(names)}",
        "",
        *(f"{constant} = {spelled}" for spelled, constant in shared.items()),
        "",
        f"VARIABLE_TYPES: dict[str, HclType] = {{{entries}}}",
    ]
    return _formatted("\n".join(lines) + "\n", VARIABLE_TYPES_TARGET)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an input's annotation takes, alone or beside None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    models = [arg for arg in typing.get_args(annotation) if _model_in(arg) is not None]
    return _model_in(models[0]) if len(models) == 1 else None


def _constant_name(model: str) -> str:
    """ComputeResources -> COMPUTE_RESOURCES."""
    return "".join("_" + c if c.isupper() and i else c for i, c in enumerate(model)).upper()


def _nodes(shape: Any) -> Iterator[Any]:
    """`shape` and every HCL type inside it."""
    yield shape
    for attribute in ("item", "type"):
        if hasattr(shape, attribute):
            yield from _nodes(getattr(shape, attribute))
    for _name, attribute in getattr(shape, "attributes", ()):
        yield from _nodes(attribute)


def _formatted(text: str, target: Path) -> str:
    """`text` as `ruff format` writes it (the test extra installs ruff)."""
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(target), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    if formatted.returncode != 0:
        raise CompileError(f"ruff format {target.name} failed: {formatted.stderr.strip()}")
    return formatted.stdout


def main(argv: list[str]) -> int:
    try:
        targets = {TARGET: source(), VARIABLE_TYPES_TARGET: variable_types_source()}
    except CompileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if argv[1:] == ["--check"]:
        stale = [path for path, text in targets.items() if path.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path} is not current: run `make compiled-inputs`", file=sys.stderr)
        return 1 if stale else 0
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
