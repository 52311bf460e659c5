"""The safe loader: plain JSON values only, duplicate keys, bounded size, depth and
aliases, and errors that never quote the input."""

from __future__ import annotations

import pytest

from wildside_cnpg.yamlload import (
    INPUT_LIMITS,
    Limits,
    YAMLInputError,
    decode,
    load_all,
    load_one,
    show_value,
)

ONLY = " (only strings, numbers, booleans, null, lists and mappings)"
QUOTE = "; quote a value that starts with !"


def bomb(levels: int = 9, width: int = 9) -> str:
    """The classic alias bomb: `width ** levels` values from a few hundred bytes."""
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def error_of(text: str, limits: Limits = INPUT_LIMITS) -> str:
    with pytest.raises(YAMLInputError) as caught:
        load_all(text, limits)
    return str(caught.value)


def test_plain_values_load_as_json_would() -> None:
    text = "a: 1\nb: 1.5\nc: true\nd: null\ne: [x, 'y']\nf: {g: h}\n'1': one\n"
    assert load_one(text) == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": ["x", "y"],
        "f": {"g": "h"},
        "1": "one",
    }


def test_timestamps_stay_the_strings_they_were_written_as() -> None:
    text = "a: 2026-01-01T00:00:00Z\nb: 2026-01-01\nc: !!timestamp 2026-01-02 10:00:00\n"
    assert load_one(text) == {
        "a": "2026-01-01T00:00:00Z",
        "b": "2026-01-01",
        "c": "2026-01-02 10:00:00",
    }


def test_keys_are_the_text_written() -> None:
    assert load_one("1: a\ntrue: b\n~: c\n") == {"1": "a", "true": "b", "~": "c"}


def test_merge_keys_apply_and_own_keys_win() -> None:
    text = "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n"
    assert load_one(text) == {"base": {"x": 1, "y": 2}, "c": {"x": 1, "y": 3}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", "line 3: duplicate key 'a' (first on line 1)"),
        ("{a: 1, a: 2}", "line 1: duplicate key 'a' (first on line 1)"),
        ("x:\n  k: 1\n  'k': 2\n", "line 3: duplicate key 'k' (first on line 2)"),
        ("a: !!set {x, y}", f"line 1: tag !!set is not allowed{ONLY}"),
        ("a: !!binary aGVsbG8=", f"line 1: tag !!binary is not allowed{ONLY}"),
        ("a: !!omap [{x: 1}]", f"line 1: tag !!omap is not allowed{ONLY}"),
        (
            "a: !!python/object/apply:os.system [id]",
            f"line 1: a custom tag is not allowed{ONLY}{QUOTE}",
        ),
        ("a: !vault secret/x", f"line 1: a custom tag is not allowed{ONLY}{QUOTE}"),
        ("a: !!sekrit x", f"line 1: a custom tag is not allowed{ONLY}{QUOTE}"),
        ("a: !<tag:example.com,2026:x> y", f"line 1: a custom tag is not allowed{ONLY}{QUOTE}"),
        ("a: !!pairs [{x: 1}]", f"line 1: tag !!pairs is not allowed{ONLY}"),
        ("a: !!str {b: 1}", f"line 1: tag !!str does not fit this value{ONLY}"),
        ("a: .nan", "line 1, column 4: not a JSON number"),
        ("a: -.inf", "line 1, column 4: not a JSON number"),
        ("a: " + "1" * 5000, "line 1, column 4: a number too long"),
        ("? [a]\n: b", "line 1: a key must be a string, not a list or mapping"),
        ("a: {<<: 1}", "line 1: a merge key (<<) needs a mapping"),
        (
            "a: &a [1, *a]",
            "line 1: an alias refers to a node that contains it (a self-referencing structure)",
        ),
        (
            "a: &a {b: *a}",
            "line 1: an alias refers to a node that contains it (a self-referencing structure)",
        ),
        ("[" * 101 + "]" * 101, "line 1: nested deeper than 100 levels"),
        (
            "a: [1\n",
            "line 2, column 1: did not find expected ',' or ']' (while parsing a flow sequence)",
        ),
        (
            "a:\n\tb: 1",
            "line 2, column 1: found character that cannot start any token "
            "(while scanning for the next token)",
        ),
        ("a: x\x01y", "line 1: control characters are not allowed"),
    ],
)
def test_refused_with_the_line(text: str, message: str) -> None:
    assert error_of(text) == message


def test_one_document_only_where_one_is_expected() -> None:
    with pytest.raises(YAMLInputError, match=r"^expected one YAML document, found several"):
        load_one("a: 1\n---\nb: 2\n")
    assert load_all("a: 1\n---\n---\nb: 2\n") == [{"a": 1}, None, {"b": 2}]


def test_an_alias_bomb_fails_at_the_cap_without_expanding() -> None:
    text = bomb()
    assert len(text) < 500
    assert error_of(text) == "line 5: aliases expand to more than 100000 values"


def test_aliases_within_the_cap_load_shared() -> None:
    data = load_one(bomb(levels=4, width=9))  # 9**4 = 6561 values through aliases
    assert len(data["a3"]) == 9
    assert data["a3"][0] is data["a3"][1]


def test_the_alias_cap_counts_across_the_documents_of_a_file() -> None:
    limits = Limits(max_bytes=1 << 20, max_alias_values=20)
    one = "a: &a [1, 2, 3, 4]\nb: [*a, *a]\n"  # 10 values through aliases
    assert len(load_all(one + "---\n" + one, limits)) == 2
    assert error_of(one + "---\n" + one + "---\n" + one, limits) == (
        "line 7: aliases expand to more than 20 values"
    )


def test_depth_counts_through_aliases() -> None:
    deep = "[" * 60 + "]" * 60
    assert error_of(f"a: &a {deep}\nb: " + "[" * 50 + "*a" + "]" * 50) == (
        "line 1: nested deeper than 100 levels"
    )


def test_size_is_capped_before_parsing() -> None:
    limits = Limits(max_bytes=1024)
    assert error_of("a: " + "x" * 1100, limits) == "larger than 1 KiB"
    with pytest.raises(YAMLInputError, match=r"^larger than 1 KiB$"):
        decode(b"x" * 1025, limits)


def test_bytes_must_be_utf8() -> None:
    assert decode("\ufeffa: é".encode(), INPUT_LIMITS) == "a: é"
    with pytest.raises(YAMLInputError) as caught:
        decode(b"a: 1\nb: \xff\xfe\n", INPUT_LIMITS)
    assert str(caught.value) == "line 2: not UTF-8 text (byte 0xff)"


def test_errors_never_quote_the_line() -> None:
    secret = "AKIA-canary-9f8e7d"
    for text in (
        f"key: '{secret}\n",
        f"key: {secret}\n  bad: [\n",
        f'key: "{secret}\\q"\n',
        f"key: !custom {secret}\n",
        f"key: {secret}\nkey: {secret}\n",
    ):
        assert secret not in error_of(text)


def test_echoed_values_are_cut_short() -> None:
    assert show_value("x" * 100) == "'" + "x" * 58 + "…'"
    assert show_value("short") == "'short'"
    assert show_value("a\nb") == "'a\\nb'"


def test_a_leaf_counts_as_a_level_of_nesting() -> None:
    """The innermost value is a level: 99 lists around a number are 100 levels, one
    list more is too deep, and an alias to that number counts the same."""
    assert load_one("[" * 99 + "1" + "]" * 99) is not None
    assert error_of("[" * 100 + "1" + "]" * 100) == "line 1: nested deeper than 100 levels"
    assert error_of("a: &n 1\nb: " + "[" * 100 + "*n" + "]" * 100) == (
        "line 2: nested deeper than 100 levels"
    )


def test_an_alias_to_a_plain_value_counts_against_the_cap() -> None:
    limits = Limits(max_bytes=1 << 20, max_alias_values=3)
    assert load_one("a: &s x\nb: [*s, *s, *s]\n", limits) == {"a": "x", "b": ["x"] * 3}
    # the line is the value's own, as for any alias
    assert error_of("a: &s x\nb: [*s, *s, *s, *s]\n", limits) == (
        "line 1: aliases expand to more than 3 values"
    )
