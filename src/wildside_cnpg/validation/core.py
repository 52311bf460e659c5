"""Core Kubernetes kinds (Namespace, Secret, PodDisruptionBudget, ...) against the
strict JSON schemas of given Kubernetes versions, shipped in the package
(data/kubernetes, see its SOURCES.txt)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .paths import child, json_path

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator as JsonSchemaValidator


def _root() -> Traversable:
    return resources.files("wildside_cnpg").joinpath("data", "kubernetes")


def shipped_versions() -> tuple[str, ...]:
    """The Kubernetes minor versions whose schemas the package carries ("1.34", ...)."""
    found = [entry.name[1:] for entry in _root().iterdir() if entry.name.startswith("v")]
    return tuple(sorted(found, key=lambda v: tuple(int(p) for p in v.split("."))))


def schema_directory(version: str) -> Traversable:
    """The schema set of a Kubernetes minor version ("1.35")."""
    directory = _root().joinpath(f"v{version}")
    if not directory.is_dir():
        raise UsageError(
            f"--kubernetes-version: expected one of {', '.join(shipped_versions())} "
            f"(the versions whose schemas are shipped), got {version!r}"
        )
    return directory


def schema_file_name(api_version: str, kind: str) -> str:
    """The schema's file name: `policy/v1` PodDisruptionBudget ->
    poddisruptionbudget-policy-v1.json, `v1` Secret -> secret-v1.json."""
    api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{kind.lower()}-{api}.json"


def core_schema(version: str, api_version: str, kind: str) -> dict[str, Any] | None:
    """The standalone schema of a core kind (None when the package has none)."""
    path = schema_directory(version).joinpath(schema_file_name(api_version, kind))
    if not path.is_file():
        return None
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=64)
def _validator(version: str, api_version: str, kind: str) -> JsonSchemaValidator | None:
    from jsonschema import Draft202012Validator

    schema = core_schema(version, api_version, kind)
    return None if schema is None else Draft202012Validator(schema)


def is_core_kind(version: str, api_version: str, kind: str) -> bool:
    return _validator(version, api_version, kind) is not None


# A Secret's values (and the whole Secret, which holds them) are never quoted: a
# finding names the path and the rule, with the value shown as <sensitive>.
_SECRET_VALUES = frozenset({"data", "stringData"})


def _holds_secret(body: Mapping[str, Any], error: ValidationError) -> bool:
    if body.get("apiVersion") != "v1" or body.get("kind") != "Secret":
        return False
    return not error.absolute_path or error.absolute_path[0] in _SECRET_VALUES


def _message(error: ValidationError, secret: bool) -> str:
    if not secret:
        return error.message
    shown = repr(error.instance)
    if shown in error.message:
        return error.message.replace(shown, "<sensitive>")
    return f"<sensitive> fails the schema's {error.validator} rule"


def _flatten(error: ValidationError, secret: bool) -> list[tuple[str, str]]:
    path = json_path(error.absolute_path)
    schema, instance = error.schema, error.instance
    if (
        error.validator == "additionalProperties"
        and isinstance(schema, Mapping)
        and isinstance(instance, Mapping)
    ):
        known = set(schema.get("properties") or {})
        unknown = [str(k) for k in instance if k not in known]
        if unknown:
            return [
                (child(path, key), "unknown field (the API server would drop it)")
                for key in unknown
            ]
    return [(path, _message(error, secret))]


def core_problems(version: str, body: Mapping[str, Any]) -> list[tuple[str, str]]:
    validator = _validator(version, str(body.get("apiVersion")), str(body.get("kind")))
    if validator is None:
        return [("$", f"no Kubernetes {version} schema for this apiVersion and kind")]
    found = {
        problem
        for error in validator.iter_errors(dict(body))
        for problem in _flatten(error, _holds_secret(body, error))
    }
    return sorted(found)
