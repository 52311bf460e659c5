"""Structural validation of one custom resource against a strict CRD schema with
openapi-schema-validator's OAS30Validator (OpenAPI 3.0 semantics, so `nullable` is
honoured)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .paths import child, json_path
from .strict import strict_schema

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator as JsonSchemaValidator

    from .crds import CrdVersion


@lru_cache(maxsize=64)
def _validator(crd: CrdVersion) -> JsonSchemaValidator:
    from openapi_schema_validator import OAS30Validator, oas30_format_checker

    # Formats checked as well: the CRDs use int32/int64 (the Go field's range), byte
    # (base64) and date-time, which the API server or the controller's decoder refuse.
    validator: JsonSchemaValidator = OAS30Validator(
        strict_schema(crd.schema), format_checker=oas30_format_checker
    )
    return validator


def _unknown_fields(error: ValidationError) -> list[str]:
    instance, schema = error.instance, error.schema
    if not isinstance(instance, Mapping) or not isinstance(schema, Mapping):
        return []
    known = set(schema.get("properties") or {})
    patterns = [re.compile(p) for p in schema.get("patternProperties") or {}]
    return [
        str(key)
        for key in instance
        if key not in known and not any(p.search(str(key)) for p in patterns)
    ]


def _flatten(error: ValidationError) -> Iterator[tuple[str, str]]:
    path = json_path(error.absolute_path)
    if error.validator == "additionalProperties" and error.validator_value is False:
        unknown = _unknown_fields(error)
        if unknown:
            for key in unknown:
                yield child(path, key), "unknown field (the API server would drop it)"
            return
    yield path, error.message


def structural_problems(crd: CrdVersion, body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(JSON path, message) for every schema violation, sorted by path."""
    validator = _validator(crd)
    problems = {
        problem for error in validator.iter_errors(dict(body)) for problem in _flatten(error)
    }
    return sorted(problems)
