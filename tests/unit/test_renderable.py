"""`writer.renderable`, the check every path of a record and of a write passes before
the tool opens it: exactly the paths under `platform/` it can have rendered."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wildside_cnpg.writer import RENDERED_ROOT, renderable


def _by_its_parts(path: str) -> bool:
    """The rule spelled out on the normalised path: relative, under RENDERED_ROOT, a
    .yaml file, every component non-empty and not hidden, nothing normalised away,
    no control character, valid UTF-8 (no lone surrogate) with no component over 255
    bytes and under 4096 bytes in all."""
    parts = PurePosixPath(path).parts
    return (
        bool(parts)
        and not path.startswith("/")
        and parts[0] == RENDERED_ROOT
        and path.endswith(".yaml")
        and all(part not in ("", ".", "..") and not part.startswith(".") for part in parts)
        and path == "/".join(parts)
        and not any(ord(char) < 32 or ord(char) == 127 for char in path)
        and not any(0xD800 <= ord(char) <= 0xDFFF for char in path)
        and all(len(part.encode()) <= 255 for part in parts)
        and len(path.encode()) < 4096
    )


components = st.sampled_from(
    [
        "platform",
        "databases",
        "x.yaml",
        ".hidden.yaml",
        ".",
        "..",
        "",
        "a\nb",
        "a\x7f",
        "é",
        "\ud800",
        "a" * 250 + ".yaml",  # 255 bytes: the longest name
        "é" * 125 + ".yaml",  # 255 bytes in UTF-8, 130 characters
        "é" * 126 + ".yaml",  # 257 bytes
        "a" * 251 + ".yaml",  # 256 bytes
        "/".join(["a" * 250] * 16),  # 4015 bytes of directories
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(components, max_size=5), st.sampled_from(["", "/", "//"]))
@example(["platform", "x.yaml"], "")
@example(["platform", "", "x.yaml"], "")
@example(["platform", ".", "x.yaml"], "")
def test_the_rule_is_the_rule_on_the_normalised_path(parts: list[str], lead: str) -> None:
    path = lead + "/".join(parts)
    assert renderable(path) == _by_its_parts(path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("platform/databases/clusters/pg/cluster/cluster.yaml", True),
        ("platform/x.yaml", True),
        ("/platform/x.yaml", False),
        ("platform//x.yaml", False),
        ("platform/./x.yaml", False),
        ("platform/../x.yaml", False),
        ("platform/.git/x.yaml", False),
        ("platform/x.yml", False),
        ("platform/x.yaml/", False),
        ("other/x.yaml", False),
        ("platform/a\tb.yaml", False),
        ("platform/a\x7fb.yaml", False),
        ("", False),
        ("platform/\ud800.yaml", False),
        ("platform/" + "a" * 250 + ".yaml", True),
        ("platform/" + "a" * 251 + ".yaml", False),
        ("platform/" + "é" * 126 + ".yaml", False),
        ("platform/" + "a/" * 2040 + "x.yaml", True),  # 4095 bytes
        ("platform/" + "a/" * 2041 + "x.yaml", False),  # 4097 bytes
    ],
)
def test_paths_the_tool_may_write(path: str, expected: bool) -> None:
    assert renderable(path) is expected
