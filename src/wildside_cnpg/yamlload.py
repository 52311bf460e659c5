"""Reading YAML (and JSON, a subset of it) that a user hands the tool, safely.

PyYAML's safe loader still builds sets, binary strings and datetimes, keeps the
last of two equal keys, and expands aliases without limit once the data is walked
(a few hundred bytes can stand for billions of values). This loader:

- builds plain JSON values only: strings, numbers, booleans, null, lists and
  mappings; a timestamp stays the string it was written as, and any other tag
  (`!!set`, `!!binary`, `!!python/...`, a custom one) is an error;
- refuses a duplicate key, naming both lines;
- bounds the input's size, its nesting depth and the values reached through
  aliases, and refuses an alias to a node that contains it;
- never echoes a value: an error names the line, the problem and at most a key
  (a name) or one of YAML's own tags, never a value, a tag of the user's or the
  line's text (any of which may hold a secret).

With `exact_numbers` (an OpenTofu `*.tfvars.json`), a number spelled as JSON spells
one is read as the exact Decimal it spells (YAML 1.1 reads `1e3` as a string and
0.30000000000000001 as 0.3), so that it converts the way OpenTofu converts it; one
of more than MAX_NUMBER_DIGITS digits, as written or written out, is an error.

libyaml composes the node graph (aliases stay shared, so it is as big as the
input); the graph is checked before anything is constructed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any, ClassVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "merge")
)
_MERGE = _YAML + "merge"
_IMPLICIT_TAGS = _SCALAR_TAGS - {_YAML + "timestamp"}


@dataclass(frozen=True)
class Limits:
    """How much one file may hold."""

    max_bytes: int
    max_depth: int = 100
    max_alias_values: int = 100_000


# An inputs file, standard input or a --set value.
INPUT_LIMITS = Limits(max_bytes=1 << 20)
# A manifest file (`policy DIR`, `validate`, CRDs).
MANIFEST_LIMITS = Limits(max_bytes=8 << 20)


class AliasBudget:
    """The values aliases may still add, shared by every file read with it (a tree of
    manifests gets one budget, not one per file)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0


class YAMLInputError(ValueError):
    """A file that cannot be read as plain data; the message is one line, starting
    with the line number where there is one, and never quotes the input."""


ECHO_LIMIT = 60


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text` cut to `limit` characters with an ellipsis: for echoing a value."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_value(value: object, limit: int = ECHO_LIMIT) -> str:
    """A value for an error message: repr of a string, shortened."""
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…" + (text[0] if isinstance(value, str) else "")


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit >> 10} KiB"


def decode(data: bytes, limits: Limits) -> str:
    """UTF-8 text of a file's bytes (a leading byte-order mark dropped)."""
    if len(data) > limits.max_bytes:
        raise YAMLInputError(f"larger than {_size(limits.max_bytes)}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YAMLInputError(
            f"line {line}: not UTF-8 text (byte 0x{data[error.start]:02x})"
        ) from None
    return text.removeprefix("\ufeff")


def read_limited(stream: IO[bytes], limits: Limits) -> str:
    """At most `limits.max_bytes` of a binary stream, decoded (larger is an error)."""
    return decode(stream.read(limits.max_bytes + 1), limits)


class _Resolver(Resolver):
    """YAML 1.1's implicit types except timestamps (and `=`): a timestamp is read as
    the string it was written as, as JSON and Kubernetes read it."""

    yaml_implicit_resolvers = {  # noqa: RUF012 (PyYAML's own class-level table)
        first: [(tag, regexp) for tag, regexp in resolvers if tag in _IMPLICIT_TAGS]
        for first, resolvers in Resolver.yaml_implicit_resolvers.items()
    }


def _json_float(loader: SafeConstructor, node: ScalarNode) -> float:
    value = loader.construct_yaml_float(node)
    if math.isnan(value) or math.isinf(value):
        raise ConstructorError(None, None, "not a JSON number", node.start_mark)
    return value


def _bounded_int(loader: SafeConstructor, node: ScalarNode) -> int:
    try:
        return int(loader.construct_yaml_int(node))
    except ValueError:  # more digits than Python converts
        raise ConstructorError(None, None, "a number too long", node.start_mark) from None


def _plain_string(loader: SafeConstructor, node: ScalarNode) -> str:
    return str(loader.construct_scalar(node))


class _Constructor(SafeConstructor):
    """Plain JSON values only (the graph is checked first, see `_Walk`)."""

    yaml_constructors: ClassVar[dict[Any, Any]] = {
        **{
            tag: SafeConstructor.yaml_constructors[tag]
            for tag in (_YAML + name for name in ("null", "bool", "str", "seq", "map"))
        },
        _YAML + "int": _bounded_int,
        _YAML + "float": _json_float,
        _YAML + "timestamp": _plain_string,
    }
    yaml_multi_constructors: ClassVar[dict[Any, Any]] = {}

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Keys as written (JSON has string keys only); merge keys (<<) applied."""
        self.flatten_mapping(node)
        return {
            str(key.value): self.construct_object(value, deep=deep) for key, value in node.value
        }


class _Loader(CParser, _Constructor, _Resolver):
    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


# A number as JSON writes it (RFC 8259).
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")
# The most digits an exact number may take, as written or written out in full (in
# OpenTofu a few bytes of exponent can stand for millions of digits). Every float64
# fits: 4.9406564584124654e-324, the smallest, takes 340.
MAX_NUMBER_DIGITS = 400
# The most significant digits of a number the tool converts as OpenTofu does: up to
# there, the exact decimal is what OpenTofu's 512-bit number prints (opentofu/ctynumber.py).
MAX_SIGNIFICANT_DIGITS = 150


def plain_width(number: Decimal) -> int:
    """How many digits `number` takes written out without an exponent."""
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite: JSON has no NaN or infinity
    if exponent >= 0:
        return len(digits) + exponent
    return max(len(digits), -exponent) + 1


def _exact_number(loader: SafeConstructor, node: ScalarNode) -> object:
    text = str(node.value)
    if not _JSON_NUMBER.match(text):  # a YAML-only spelling (0x1f, .5, 1_000)
        construct = _bounded_int if node.tag == _YAML + "int" else _json_float
        return construct(loader, node)
    try:
        number = Decimal(text)
    except InvalidOperation:  # an exponent past what Decimal holds (about 10**18)
        number = None
    if number is None or plain_width(number) > MAX_NUMBER_DIGITS:
        raise ConstructorError(None, None, "a number too long", node.start_mark)
    return number


class _ExactResolver(_Resolver):
    """A JSON number resolves as a number before YAML 1.1's own patterns are tried."""

    yaml_implicit_resolvers = {  # noqa: RUF012 (PyYAML's own class-level table)
        first: [(_YAML + "float", _JSON_NUMBER), *resolvers]
        if first == "-" or first.isdigit()
        else resolvers
        for first, resolvers in _Resolver.yaml_implicit_resolvers.items()
    }


class _ExactConstructor(_Constructor):
    yaml_constructors: ClassVar[dict[Any, Any]] = {
        **_Constructor.yaml_constructors,
        _YAML + "int": _exact_number,
        _YAML + "float": _exact_number,
    }


class _ExactLoader(CParser, _ExactConstructor, _ExactResolver):
    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _ExactConstructor.__init__(self)
        _ExactResolver.__init__(self)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


# YAML's own types, which an error may name; any other tag is written by the user and
# is never echoed: an unquoted value that starts with "!" (a generated password, say)
# is read as a tag.
_NAMED_TAGS = frozenset(
    _YAML + name
    for name in (
        "binary", "bool", "float", "int", "map", "merge", "null", "omap", "pairs", "seq",
        "set", "str", "timestamp", "value", "yaml",
    )
)  # fmt: skip


def _tag_problem(tag: str, what: str) -> str:
    if tag in _NAMED_TAGS:
        return f"tag !!{tag.removeprefix(_YAML)} {what}{_ONLY}"
    return f"a custom tag {what}{_ONLY}; quote a value that starts with !"


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_node(node: Node) -> None:
    """The node's own tag and, for a mapping, its keys."""
    if isinstance(node, ScalarNode):
        fits = node.tag in _SCALAR_TAGS
    else:
        fits = node.tag == (_YAML + "seq" if isinstance(node, SequenceNode) else _YAML + "map")
    if not fits:
        known = node.tag in _SCALAR_TAGS or node.tag in (_YAML + "seq", _YAML + "map")
        what = "does not fit this value" if known else "is not allowed"
        raise YAMLInputError(f"line {_line(node)}: {_tag_problem(node.tag, what)}")
    if isinstance(node, MappingNode):
        _check_keys(node)


_ONLY = " (only strings, numbers, booleans, null, lists and mappings)"


def _check_keys(node: MappingNode) -> None:
    seen: dict[str, int] = {}
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.tag == _MERGE:
            if not isinstance(value, MappingNode | SequenceNode):
                raise YAMLInputError(f"line {_line(key)}: a merge key (<<) needs a mapping")
            continue
        if not isinstance(key, ScalarNode):
            raise YAMLInputError(
                f"line {_line(key)}: a key must be a string, not a list or mapping"
            )
        first = seen.get(key.value)
        if first is not None:
            raise YAMLInputError(
                f"line {_line(key)}: duplicate key {show_value(key.value)} (first on line {first})"
            )
        seen[key.value] = _line(key)


@dataclass(slots=True)
class _Frame:
    node: Node
    children: Iterator[Node]
    size: int = 1
    height: int = 1


class _Walk:
    """Checks a composed document: tags, keys, depth, aliases and self-reference.

    Per node it remembers the size and height of its expansion, so a node reached
    again through an alias costs one step: the walk is linear in the input."""

    def __init__(self, limits: Limits, aliases: AliasBudget) -> None:
        self.limits = limits
        self.aliases = aliases
        self.done: dict[int, tuple[int, int]] = {}

    def check(self, root: Node) -> None:
        path: list[_Frame] = []
        on_path: set[int] = set()
        self._enter(root, path, on_path)
        while path:
            frame = path[-1]
            child = next(frame.children, None)
            if child is None:
                path.pop()
                on_path.discard(id(frame.node))
                self.done[id(frame.node)] = (frame.size, frame.height)
                if path:
                    path[-1].size += frame.size
                    path[-1].height = max(path[-1].height, frame.height + 1)
                continue
            if id(child) in on_path:
                raise YAMLInputError(
                    f"line {_line(child)}: an alias refers to a node that contains it "
                    "(a self-referencing structure)"
                )
            known = self.done.get(id(child))
            if known is None and isinstance(child, ScalarNode):
                # A leaf (most nodes): checked and counted as its own frame would be.
                if len(path) >= self.limits.max_depth:
                    self._too_deep(child)
                if child.tag not in _SCALAR_TAGS:
                    _check_node(child)
                self.done[id(child)] = (1, 1)
                frame.size += 1
                frame.height = max(frame.height, 2)
                continue
            if known is None:
                self._enter(child, path, on_path)
                continue
            size, height = known
            self.aliases.used += size
            if self.aliases.used > self.aliases.limit:
                raise YAMLInputError(
                    f"line {_line(child)}: aliases expand to more than {self.aliases.limit} values"
                )
            if len(path) + height > self.limits.max_depth:
                self._too_deep(child)
            frame.size += size
            frame.height = max(frame.height, height + 1)

    def _enter(self, node: Node, path: list[_Frame], on_path: set[int]) -> None:
        if len(path) >= self.limits.max_depth:
            self._too_deep(node)
        _check_node(node)
        path.append(_Frame(node, iter(_children(node))))
        on_path.add(id(node))

    def _too_deep(self, node: Node) -> None:
        raise YAMLInputError(
            f"line {_line(node)}: nested deeper than {self.limits.max_depth} levels"
        )


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _parser_error(error: yaml.YAMLError, text: str) -> YAMLInputError:
    """libyaml's complaint as one line: the position and libyaml's own fixed words
    (it never quotes the input), without the snippet of the line PyYAML can add."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        problem = _words(error.problem)
        if error.context:
            problem += f" ({_words(error.context)})"
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        return YAMLInputError(where + shorten(problem, 120))
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return YAMLInputError(f"line {line}: {_words(error.reason)}")
    return YAMLInputError(shorten(_words(str(error)), 120))


def load_all(
    text: str,
    limits: Limits = MANIFEST_LIMITS,
    aliases: AliasBudget | None = None,
    *,
    exact_numbers: bool = False,
) -> list[Any]:
    """Every document of a YAML stream as plain data (empty documents included as
    None); YAMLInputError on anything else. `aliases` shares one alias budget between
    several files (default: the file's own, limits.max_alias_values); with
    `exact_numbers`, JSON numbers are Decimals (see above)."""
    if len(text) > limits.max_bytes:
        raise YAMLInputError(f"larger than {_size(limits.max_bytes)}")
    loader = _ExactLoader(text) if exact_numbers else _Loader(text)
    walk = _Walk(limits, aliases or AliasBudget(limits.max_alias_values))
    documents: list[Any] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            walk.check(node)
            documents.append(loader.construct_document(node))
    except yaml.YAMLError as error:
        raise _parser_error(error, text) from None
    finally:
        loader.dispose()
    return documents


def load_one(text: str, limits: Limits = INPUT_LIMITS, *, exact_numbers: bool = False) -> Any:
    """The single document of a YAML stream (None when empty)."""
    documents = load_all(text, limits, exact_numbers=exact_numbers)
    if len(documents) > 1:
        raise YAMLInputError("expected one YAML document, found several (---)")
    return documents[0] if documents else None
