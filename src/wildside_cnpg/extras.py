"""Optional dependencies: `apply` and `validate` need an extra of the package; a
command whose extra is missing stops with one line saying which extra to install."""

from __future__ import annotations

from importlib.util import find_spec

from .errors import EnvironmentFailureError

# extra -> (import name, distribution name) of each package it brings.
EXTRAS: dict[str, tuple[tuple[str, str], ...]] = {
    "apply": (("lightkube", "lightkube"),),
    "validate": (
        ("openapi_schema_validator", "openapi-schema-validator"),
        ("jsonschema", "jsonschema"),
        ("celpy", "cel-python"),
    ),
}


def missing(extra: str) -> list[str]:
    """The distributions of `extra` that cannot be imported."""
    return [dist for module, dist in EXTRAS[extra] if find_spec(module) is None]


def require_extra(command: str, extra: str) -> None:
    """EnvironmentFailureError (exit 5) naming the extra when any of it is missing."""
    absent = missing(extra)
    if absent:
        raise EnvironmentFailureError(
            f"{command} needs the '{extra}' extra (not installed: {', '.join(absent)}): "
            f"pip install 'wildside-cnpg[{extra}]'"
        )
