"""Deterministic serialisation."""

from __future__ import annotations

import datetime

import pytest

from wildside_cnpg.yamlio import dump_document, dump_documents, load_all_yaml_text


def test_head_keys_first_then_sorted_and_no_nulls() -> None:
    text = dump_document(
        {
            "spec": {"b": 1, "a": None, "c": [None, "x"]},
            "metadata": {"name": "n"},
            "kind": "K",
            "apiVersion": "v1",
            "data": {"z": "1", "y": "2"},
        }
    )
    assert text == (
        "apiVersion: v1\nkind: K\nmetadata:\n  name: n\ndata:\n  y: '2'\n  z: '1'\n"
        "spec:\n  b: 1\n  c:\n  - x\n"
    )


def test_multiline_strings_use_block_style_and_round_trip() -> None:
    text = dump_documents([{"a": "line1\nline2\n"}, {"b": "yes"}])
    assert text == "a: |\n  line1\n  line2\n---\nb: 'yes'\n"
    assert load_all_yaml_text(text) == [{"a": "line1\nline2\n"}, {"b": "yes"}]


def test_refuses_values_that_are_not_plain_data() -> None:
    when = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(TypeError, match=r"\$.spec.when: datetime is not plain data"):
        dump_document({"spec": {"when": when}})


def test_no_aliases_for_shared_objects() -> None:
    shared = {"k": "v"}
    assert "&" not in dump_document({"a": shared, "b": shared})
