"""The two text checks every rule builds on: a pattern matches the whole value, and
no value holds a control character.

`re.match(r"^...$")` accepts a trailing newline (`$` matches before a final one), so
every pattern of the inputs goes through `whole`, which uses `re.fullmatch`."""

from __future__ import annotations

import re
from collections.abc import Callable

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LAYOUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def whole(pattern: str | re.Pattern[str]) -> Callable[[str], bool]:
    """A predicate: does `pattern` match the whole value? (A pattern's own ^ and $
    are harmless: the match must still span every character, a final newline too.)"""
    compiled = re.compile(pattern)

    def matches(value: str) -> bool:
        return compiled.fullmatch(value) is not None

    return matches


def match_whole(pattern: re.Pattern[str], value: str) -> re.Match[str] | None:
    """`pattern` over the whole of `value` (its groups, for a pattern with parts)."""
    return pattern.fullmatch(value)


def has_control(value: str, *, layout: bool = False) -> bool:
    """Does `value` hold a control character? With `layout`, tabs and newlines are
    allowed (free text such as a chart value may span lines)."""
    return (_CONTROL_BUT_LAYOUT if layout else _CONTROL).search(value) is not None
