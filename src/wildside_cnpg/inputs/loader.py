"""Reading inputs from files (YAML or JSON, so an OpenTofu *.tfvars.json loads as
is) and from `name=value` overrides, later sources winning."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..yamlio import load_yaml_text
from .model import Inputs


def read_inputs_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--inputs {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--inputs {path}: cannot read ({error})") from None
    try:
        data = load_yaml_text(text)
    except ValueError as error:
        raise UsageError(f"--inputs {path}: invalid YAML or JSON ({error})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"--inputs {path}: expected a mapping of input names to values")
    # OpenTofu treats null as "use the default"; `$schema` names the file's JSON Schema
    # (for editors), not an input.
    return {
        str(key): value for key, value in data.items() if value is not None and key != "$schema"
    }


def parse_override(text: str) -> tuple[list[str], Any]:
    """`name=value` (or `group.key=value`) with the value read as a YAML scalar or
    flow collection, so `instances=5` is a number and `postgis_enabled=false` a bool."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise UsageError(f"--set {text}: expected name=value")
    try:
        value = load_yaml_text(raw) if raw.strip() else ""
    except ValueError as error:
        raise UsageError(f"--set {text}: invalid value ({error})") from None
    return name.strip().split("."), value


def _nested_default(name: str) -> dict[str, Any] | None:
    """The default of a structured input, so `--set resource_requests.cpu=1` keeps memory."""
    field = Inputs.model_fields.get(name)
    default = getattr(field, "default", None)
    dump = getattr(default, "model_dump", None)
    return dump() if callable(dump) else None


def merge_sources(files: Iterable[Path], overrides: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path in files:
        values.update(read_inputs_file(path))
    for text in overrides:
        keys, value = parse_override(text)
        target = values
        for depth, key in enumerate(keys[:-1]):
            current = target.get(key)
            if current is None and depth == 0:
                current = _nested_default(key)
            target[key] = dict(current) if isinstance(current, dict) else {}
            target = target[key]
        target[keys[-1]] = value
    return values


def load_inputs(files: Iterable[Path] = (), overrides: Iterable[str] = ()) -> Inputs:
    """Inputs from files and overrides; every problem reported at once."""
    values = merge_sources(files, overrides)
    return Inputs.from_mapping(values)
