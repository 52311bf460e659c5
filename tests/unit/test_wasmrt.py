"""The policy engine's own declarations of wasmtime's C API (policy/wasmrt.py) are
those of wasmtime-py's generated bindings for the installed wasmtime: every function's
parameters and result, the structures' sizes and layout, the constants, and the
library file. An upgrade of wasmtime that changes one of them fails here."""

from __future__ import annotations

import ctypes
from typing import Any

import pytest
from wasmtime import _bindings as upstream  # type: ignore[attr-defined]
from wasmtime import _ffi  # type: ignore[attr-defined]

from wildside_cnpg.policy import wasmrt


def shape(kind: Any) -> tuple[str, int] | None:
    """What the C ABI sees of a ctypes type: pointer or value, and its size."""
    if kind is None:
        return None
    pointer = kind is ctypes.c_void_p or (
        hasattr(kind, "_type_") and isinstance(kind, type(ctypes.POINTER(ctypes.c_int)))
    )
    if isinstance(kind, type(ctypes.CFUNCTYPE(None))):
        pointer = True
    return ("pointer" if pointer else "value", ctypes.sizeof(kind))


@pytest.mark.parametrize("name", sorted(wasmrt.SIGNATURES))
def test_each_function_is_declared_as_wasmtime_py_declares_it(name: str) -> None:
    restype, argtypes = wasmrt.SIGNATURES[name]
    theirs = getattr(upstream, f"_{name}")
    assert [shape(t) for t in argtypes] == [shape(t) for t in theirs.argtypes]
    assert shape(restype) == shape(theirs.restype)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (wasmrt.Func, "wasmtime_func_t"),
        (wasmrt.Memory, "wasmtime_memory_t"),
        (wasmrt.Instance, "wasmtime_instance_t"),
        (wasmrt.Extern, "wasmtime_extern_t"),
        (wasmrt.ValRaw, "wasmtime_val_raw_t"),
        (wasmrt.ByteVec, "wasm_byte_vec_t"),
        (wasmrt.ValtypeVec, "wasm_valtype_vec_t"),
    ],
)
def test_each_structure_has_wasmtime_s_size(ours: Any, theirs: str) -> None:
    assert ctypes.sizeof(ours) == ctypes.sizeof(getattr(upstream, theirs))
    assert ctypes.alignment(ours) == ctypes.alignment(getattr(upstream, theirs))


def test_the_members_read_sit_where_wasmtime_puts_them() -> None:
    assert wasmrt.Extern.of.offset == upstream.wasmtime_extern.of.offset
    assert wasmrt.Extern.kind.offset == upstream.wasmtime_extern.kind.offset
    assert ctypes.sizeof(wasmrt._ExternUnion) == ctypes.sizeof(upstream.wasmtime_extern_union)
    assert wasmrt.ByteVec.data.offset == upstream.wasm_byte_vec_t.data.offset


def test_constants_and_the_callback_type() -> None:
    assert _ffi.WASMTIME_EXTERN_MEMORY.value == wasmrt.EXTERN_MEMORY
    assert _ffi.WASM_I32.value == wasmrt.WASM_I32
    ours = wasmrt.CALLBACK
    theirs = upstream.wasmtime_func_unchecked_callback_t
    assert [shape(t) for t in ours._argtypes_] == [shape(t) for t in theirs._argtypes_]
    assert shape(ours._restype_) == shape(theirs._restype_)


def test_the_library_is_the_one_wasmtime_py_loads() -> None:
    assert wasmrt.library_path() == _ffi.filename
