"""The CRD's CEL rules (`x-kubernetes-validations`) evaluated with cel-python at the
schema nodes where they appear, `self` bound to that node's value in the document.

A rule is evaluated only where the document has a value (as the API server does).
Rules cel-python cannot evaluate (Kubernetes' CEL extension libraries, transition
rules that compare with `oldSelf`) are recorded as skipped with the reason, never
as passed."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .paths import child

if TYPE_CHECKING:
    import celpy

_OLD_SELF = re.compile(r"\boldSelf\b")
_UNDECLARED = re.compile(r"undeclared reference to '([^']+)'")
TRANSITION = "transition rule: compares with oldSelf, not evaluated when an object is created"


@dataclass(frozen=True)
class RuleOutcome:
    path: str
    rule: str
    message: str
    passed: bool | None  # None: not evaluated (see reason)
    reason: str = ""


class _UnsupportedError(Exception):
    pass


@lru_cache(maxsize=1)
def _environment() -> celpy.Environment:
    import celpy

    # Creating an environment raises the interpreter's recursion limit (to 2500).
    return celpy.Environment()


@lru_cache(maxsize=256)
def _program(rule: str) -> celpy.Runner:
    from celpy.celparser import CELParseError

    environment = _environment()
    try:
        return environment.program(environment.compile(rule))
    except CELParseError as error:
        raise _UnsupportedError(f"cel-python cannot parse it: {error}".splitlines()[0]) from None


def _failure(error: Exception) -> tuple[bool | None, str]:
    """A function cel-python lacks skips the rule; any other evaluation error (a
    missing field, a type mismatch) fails it, as it makes the API server reject."""
    text = str(error.args[0]) if error.args else str(error)
    match = _UNDECLARED.search(text)
    if match:
        return None, f"cel-python lacks {match.group(1)!r}"
    return False, f"evaluation error: {text[:200]}"


def evaluate(rule: str, value: Any) -> tuple[bool | None, str]:
    """(True, "") passed; (False, why) failed; (None, reason) not evaluated."""
    if _OLD_SELF.search(rule):
        return None, TRANSITION
    from celpy.adapter import json_to_cel
    from celpy.celtypes import BoolType
    from celpy.evaluation import CELEvalError

    try:
        program = _program(rule)
        result = program.evaluate({"self": json_to_cel(value)})
    except _UnsupportedError as error:
        return None, str(error)
    except CELEvalError as error:
        return _failure(error)
    if isinstance(result, CELEvalError):
        return _failure(result)
    if isinstance(result, bool | BoolType):
        return bool(result), ""
    return False, f"the rule gave {type(result).__name__}, not a boolean"


def _rules(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rules = node.get("x-kubernetes-validations") or []
    return [rule for rule in rules if isinstance(rule, Mapping) and "rule" in rule]


def walk(node: Any, value: Any, path: str = "$") -> Iterator[RuleOutcome]:
    """Every rule on the schema nodes the value reaches, evaluated against it."""
    if not isinstance(node, Mapping):
        return
    for spec in _rules(node):
        rule = str(spec["rule"])
        passed, reason = evaluate(rule, value)
        message = str(spec.get("message") or f"failed rule: {rule}")
        if passed is False and reason:
            message = f"{message} ({reason})"
        yield RuleOutcome(path, rule, message, passed, reason)
    if isinstance(value, Mapping):
        properties = node.get("properties") or {}
        extra = node.get("additionalProperties")
        for key, sub in value.items():
            schema = properties.get(key, extra if isinstance(extra, Mapping) else None)
            if schema is not None:
                yield from walk(schema, sub, child(path, str(key)))
    elif isinstance(value, list) and isinstance(node.get("items"), Mapping):
        for index, item in enumerate(value):
            yield from walk(node["items"], item, child(path, index))
