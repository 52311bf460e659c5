"""Reading inputs from the environment, files (YAML or JSON, or `-` for standard
input) and `--set` overrides.

A file named `*.tfvars.json` is an OpenTofu variables file: its values convert to
their variables' types as OpenTofu converts them (`"instances": "3"` is 3, a number
for a string is its text; opentofu/tfvars.py). Every other source is taken as
written: a value must already have its input's type.

One merge rule for every source, in this order: environment variables (the
sensitive inputs only), then the files in the order given, then the overrides in
the order given. A later source wins; mappings merge key by key (deeply), any
other value (a list included) replaces what was there, and `null` removes the key
so that the default applies. Structured inputs (`resource_requests`, ...) merge
over their defaults the same way.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..yamlload import INPUT_LIMITS, YAMLInputError, load_one, read_limited, shorten, show_value
from .compiled import Inputs

ENV_PREFIX = "WILDSIDE_CNPG_"
STDIN = "-"
TFVARS_SUFFIX = ".tfvars.json"
# Editors put a schema reference at the top of a file; it is not an input.
_SCHEMA_KEY = "$schema"


@dataclass(frozen=True)
class Override:
    """One `--set NAME=VALUE` (the value read as YAML) or `--set-string NAME=VALUE`
    (the value always a string)."""

    text: str
    literal: bool = False

    @property
    def option(self) -> str:
        return "--set-string" if self.literal else "--set"


def environment_variable(name: str) -> str:
    """The environment variable an input can be given in (sensitive inputs only)."""
    return ENV_PREFIX + name.upper()


def _read_text(path: Path, option: str) -> str:
    if str(path) == STDIN:
        return read_limited(sys.stdin.buffer, INPUT_LIMITS)
    try:
        with path.open("rb") as stream:
            return read_limited(stream, INPUT_LIMITS)
    except FileNotFoundError:
        raise UsageError(f"{option} {path}: no such file") from None
    except OSError as error:
        raise UsageError(f"{option} {path}: cannot read ({error.strerror})") from None


def read_inputs_file(path: Path, option: str = "--inputs") -> dict[str, Any]:
    """The mapping an inputs file holds (`-`: standard input), `$schema` dropped, a
    `*.tfvars.json`'s values converted to their variables' types; problems name the
    file after the option that gave it."""
    tfvars = path.name.endswith(TFVARS_SUFFIX)
    try:
        data = load_one(_read_text(path, option), INPUT_LIMITS, exact_numbers=tfvars)
    except YAMLInputError as error:
        raise UsageError(f"{option} {path}: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"{option} {path}: expected a mapping of input names to values")
    data.pop(_SCHEMA_KEY, None)
    if tfvars:
        from ..opentofu.tfvars import convert_tfvars

        return convert_tfvars(data)
    return data


def parse_override(override: Override | str) -> tuple[list[str], Any]:
    """`name=value` (or `group.key=value`). With --set the value is read as a YAML
    scalar or flow collection, so `instances=5` is a number and `postgis_enabled=false`
    a bool; with --set-string it is the text as given. A sensitive input's value is
    never echoed."""
    if isinstance(override, str):
        override = Override(override)
    name, sep, raw = override.text.partition("=")
    keys = name.strip().split(".")
    if not sep or not all(keys):
        given = shorten(name.strip()) + ("=…" if sep else "")  # never the value
        raise UsageError(f"{override.option} {given}: expected name=value")
    if override.literal:
        return keys, raw
    try:
        value = load_one(raw, INPUT_LIMITS) if raw.strip() else ""
    except YAMLInputError as error:
        # A sensitive value's problem is not described: YAML's complaint can name
        # part of it (a key, or a tag when the value starts with "!").
        if keys[0] in Inputs.sensitive_names():
            shown = "<sensitive>"
            problem = "not valid YAML; a sensitive input's problem is not shown"
        else:
            shown, problem = show_value(raw), str(error)
        raise UsageError(
            f"{override.option} {name.strip()}={shown}: invalid value ({problem}); "
            "--set-string takes it as a string"
        ) from None
    return keys, value


def _without_nulls(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    return value


def merge(target: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """`overlay` merged into `target` (changed in place and returned): the merge rule."""
    for key, value in overlay.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = _without_nulls(value)
    return target


def _nested(keys: list[str], value: Any) -> dict[str, Any]:
    nested: dict[str, Any] = {keys[-1]: value}
    for key in reversed(keys[:-1]):
        nested = {key: nested}
    return nested


def environment_values(environ: Mapping[str, str]) -> dict[str, str]:
    """The sensitive inputs set in the environment (an empty variable is unset)."""
    return {
        name: environ[variable]
        for name in sorted(Inputs.sensitive_names())
        if environ.get(variable := environment_variable(name))
    }


def merge_sources(
    files: Iterable[Path] = (),
    overrides: Iterable[Override | str] = (),
    environ: Mapping[str, str] | None = None,
    *,
    each: Path | None = None,
) -> dict[str, Any]:
    """Every source merged by the rule above, over the structured defaults; `each`
    (one cluster's file of `render --each`) after the files, before the overrides."""
    values: dict[str, Any] = {}
    if environ is not None:
        merge(values, environment_values(environ))
    for path in files:
        merge(values, read_inputs_file(path))
    if each is not None:
        merge(values, read_inputs_file(each, "--each"))
    for override in overrides:
        keys, value = parse_override(override)
        merge(values, _nested(keys, value))
    for name, given in values.items():
        # default_data builds a new mapping each call: merging into it changes no default.
        default = Inputs.default_data(name) if name in Inputs.names() else None
        if isinstance(given, dict) and isinstance(default, dict) and default:
            values[name] = merge(default, given)
    return values


def load_inputs(
    files: Iterable[Path] = (),
    overrides: Iterable[Override | str] = (),
    environ: Mapping[str, str] | None = None,
    *,
    each: Path | None = None,
) -> Inputs:
    """Inputs from the environment (pass os.environ to read it), files and
    overrides; every problem reported at once."""
    return Inputs.from_mapping(merge_sources(files, overrides, environ, each=each))
