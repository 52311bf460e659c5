"""The few calls of wasmtime's C API the policy engine makes, through ctypes.

The library is the one the `wasmtime` package ships (wasmtime-py): loading it takes
about a millisecond, where importing wasmtime-py takes about thirty (it declares
every function of the C API, about 1,500, at import), and the policy check of a tree
not checked before would spend most of its time there. The declarations below are
those of wasmtime-py's generated bindings for the major version the dependency is
held to; tests/unit/test_wasmrt.py compares them with wasmtime-py's, so an upgrade
that changes a signature or a structure fails there, not here."""

from __future__ import annotations

import ctypes
import importlib.util
import platform
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

c_size_t, c_uint8, c_uint64, c_bool, c_char_p = (
    ctypes.c_size_t,
    ctypes.c_uint8,
    ctypes.c_uint64,
    ctypes.c_bool,
    ctypes.POINTER(ctypes.c_char),
)
OPAQUE = ctypes.c_void_p  # pointers to structures only wasmtime reads


class Func(ctypes.Structure):
    """wasmtime_func_t"""

    _fields_ = [("store_id", ctypes.c_uint64), ("private", ctypes.c_void_p)]


class _MemoryHead(ctypes.Structure):
    _fields_ = [("store_id", ctypes.c_uint64), ("private1", ctypes.c_uint32)]


class Memory(ctypes.Structure):
    """wasmtime_memory_t"""

    _fields_ = [("head", _MemoryHead), ("private2", ctypes.c_uint32)]


class Instance(ctypes.Structure):
    """wasmtime_instance_t"""

    _fields_ = [("store_id", ctypes.c_uint64), ("private", ctypes.c_size_t)]


class _ExternUnion(ctypes.Union):
    # Only the members read or written here; `padding` keeps the union at the size of
    # wasmtime's (its largest member, the memory, is 24 bytes).
    _fields_ = [("func", Func), ("memory", Memory), ("padding", ctypes.c_uint8 * 24)]


class Extern(ctypes.Structure):
    """wasmtime_extern_t"""

    _fields_ = [("kind", ctypes.c_uint8), ("of", _ExternUnion)]


class ValRaw(ctypes.Union):
    """wasmtime_val_raw_t (the members used here, padded to its 16 bytes)."""

    _fields_ = [("i32", ctypes.c_int32), ("i64", ctypes.c_int64), ("bytes", ctypes.c_uint8 * 16)]


class ByteVec(ctypes.Structure):
    """wasm_byte_vec_t"""

    _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.POINTER(ctypes.c_uint8))]


class ValtypeVec(ctypes.Structure):
    """wasm_valtype_vec_t"""

    _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.POINTER(ctypes.c_void_p))]


EXTERN_MEMORY = 3
WASM_I32 = 0
CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_size_t, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ValRaw), ctypes.c_size_t
)
FINALIZER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_P = ctypes.POINTER

# name: (restype, argtypes), as wasmtime-py declares them.
SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "wasm_config_new": (OPAQUE, []),
    "wasmtime_config_consume_fuel_set": (None, [OPAQUE, c_bool]),
    "wasm_engine_new_with_config": (OPAQUE, [OPAQUE]),
    "wasm_engine_delete": (None, [OPAQUE]),
    "wasmtime_module_new": (OPAQUE, [OPAQUE, _P(c_uint8), c_size_t, _P(OPAQUE)]),
    "wasmtime_module_serialize": (OPAQUE, [OPAQUE, _P(ByteVec)]),
    "wasmtime_module_deserialize": (OPAQUE, [OPAQUE, _P(c_uint8), c_size_t, _P(OPAQUE)]),
    "wasmtime_module_delete": (None, [OPAQUE]),
    "wasm_byte_vec_delete": (None, [_P(ByteVec)]),
    "wasmtime_store_new": (OPAQUE, [OPAQUE, ctypes.c_void_p, FINALIZER]),
    "wasmtime_store_context": (OPAQUE, [OPAQUE]),
    "wasmtime_store_delete": (None, [OPAQUE]),
    "wasmtime_context_set_fuel": (OPAQUE, [OPAQUE, c_uint64]),
    "wasmtime_context_get_fuel": (OPAQUE, [OPAQUE, _P(c_uint64)]),
    "wasmtime_memorytype_new": (
        OPAQUE,
        [c_uint64, c_bool, c_uint64, c_bool, c_bool, c_uint8, _P(OPAQUE)],
    ),
    "wasm_memorytype_delete": (None, [OPAQUE]),
    "wasmtime_memory_new": (OPAQUE, [OPAQUE, OPAQUE, _P(Memory)]),
    "wasmtime_memory_data": (_P(c_uint8), [OPAQUE, _P(Memory)]),
    "wasmtime_memory_data_size": (c_size_t, [OPAQUE, _P(Memory)]),
    "wasmtime_memory_grow": (OPAQUE, [OPAQUE, _P(Memory), c_uint64, _P(c_uint64)]),
    "wasm_valtype_new": (OPAQUE, [c_uint8]),
    "wasm_valtype_vec_new": (None, [_P(ValtypeVec), c_size_t, _P(OPAQUE)]),
    "wasm_functype_new": (OPAQUE, [_P(ValtypeVec), _P(ValtypeVec)]),
    "wasm_functype_delete": (None, [OPAQUE]),
    "wasmtime_linker_new": (OPAQUE, [OPAQUE]),
    "wasmtime_linker_delete": (None, [OPAQUE]),
    "wasmtime_linker_define": (
        OPAQUE,
        [OPAQUE, OPAQUE, c_char_p, c_size_t, c_char_p, c_size_t, _P(Extern)],
    ),
    "wasmtime_linker_define_func_unchecked": (
        OPAQUE,
        [
            OPAQUE,
            c_char_p,
            c_size_t,
            c_char_p,
            c_size_t,
            OPAQUE,
            CALLBACK,
            ctypes.c_void_p,
            FINALIZER,
        ],
    ),
    "wasmtime_linker_instantiate": (
        OPAQUE,
        [OPAQUE, OPAQUE, OPAQUE, _P(Instance), _P(OPAQUE)],
    ),
    "wasmtime_instance_export_get": (
        c_bool,
        [OPAQUE, _P(Instance), c_char_p, c_size_t, _P(Extern)],
    ),
    "wasmtime_func_call_unchecked": (
        OPAQUE,
        [OPAQUE, _P(Func), _P(ValRaw), c_size_t, _P(OPAQUE)],
    ),
    "wasmtime_error_message": (None, [OPAQUE, _P(ByteVec)]),
    "wasmtime_error_delete": (None, [OPAQUE]),
    "wasm_trap_message": (None, [OPAQUE, _P(ByteVec)]),
    "wasm_trap_delete": (None, [OPAQUE]),
    "wasmtime_trap_new": (OPAQUE, [c_char_p, c_size_t]),
}


class WasmError(RuntimeError):
    """wasmtime refused or trapped."""


def library_path() -> Path:
    """The shared library inside the installed wasmtime package (found without
    importing it), where wasmtime-py itself loads it from."""
    spec = importlib.util.find_spec("wasmtime")
    if spec is None or not spec.submodule_search_locations:
        raise WasmError("the wasmtime package is not installed")
    system = "darwin" if sys.platform == "darwin" else sys.platform
    name = {"linux": "_libwasmtime.so", "win32": "_wasmtime.dll"}.get(system, "_libwasmtime.dylib")
    machine = {"AMD64": "x86_64", "arm64": "aarch64", "ARM64": "aarch64"}.get(
        platform.machine(), platform.machine()
    )
    for location in spec.submodule_search_locations:
        path = Path(location) / f"{system}-{machine}" / name
        if path.is_file():
            return path
    raise WasmError(f"wasmtime ships no library for {system}-{machine}")


@cache
def library() -> Any:
    lib = ctypes.CDLL(str(library_path()))
    for name, (restype, argtypes) in SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


def _vector_bytes(vector: ByteVec) -> bytes:
    return ctypes.string_at(vector.data, vector.size) if vector.size else b""


def check(error: int | None) -> None:
    """Raise the message of a wasmtime_error_t (and free it)."""
    if not error:
        return
    lib = library()
    vector = ByteVec()
    lib.wasmtime_error_message(error, ctypes.byref(vector))
    message = _vector_bytes(vector).decode("utf-8", "replace")
    lib.wasm_byte_vec_delete(ctypes.byref(vector))
    lib.wasmtime_error_delete(error)
    raise WasmError(message)


def trap_message(trap: int) -> str:
    """The message of a wasm_trap_t (freed)."""
    lib = library()
    vector = ByteVec()
    lib.wasm_trap_message(trap, ctypes.byref(vector))
    message = _vector_bytes(vector).rstrip(b"\0").decode("utf-8", "replace")
    lib.wasm_byte_vec_delete(ctypes.byref(vector))
    lib.wasm_trap_delete(trap)
    return message


def new_trap(message: str) -> int:
    data = message.encode("utf-8", "replace")
    trap: int = library().wasmtime_trap_new(data, len(data)) or 0
    return trap


HostFunction = Callable[[Any, int], None]


class Runtime:
    """One engine, store and instance of a module whose imports are host functions
    (i32 parameters and results) and one memory. Not thread-safe."""

    def __init__(self, fuel: bool = False) -> None:
        lib = self._lib = library()
        config = lib.wasm_config_new()
        if fuel:
            lib.wasmtime_config_consume_fuel_set(config, True)
        self._engine = lib.wasm_engine_new_with_config(config)  # takes the config
        self._store = lib.wasmtime_store_new(self._engine, None, FINALIZER())
        self.context = lib.wasmtime_store_context(self._store)
        self._module: int | None = None
        self._linker = lib.wasmtime_linker_new(self._engine)
        self._keep: list[Any] = []
        self.memory = Memory()
        self._instance = Instance()
        self._fuel = fuel
        self._failure: BaseException | None = None
        if fuel:
            check(lib.wasmtime_context_set_fuel(self.context, 1 << 62))

    def compile(self, wasm: bytes) -> bytes:
        """Compile `wasm` for this machine; the serialized module, for `load`."""
        module = ctypes.c_void_p()
        data = (ctypes.c_uint8 * len(wasm)).from_buffer_copy(wasm)
        check(self._lib.wasmtime_module_new(self._engine, data, len(wasm), ctypes.byref(module)))
        self._module = module.value
        vector = ByteVec()
        check(self._lib.wasmtime_module_serialize(self._module, ctypes.byref(vector)))
        serialized = _vector_bytes(vector)
        self._lib.wasm_byte_vec_delete(ctypes.byref(vector))
        return serialized

    def load(self, serialized: bytes) -> None:
        """Use a module `compile` serialized (with this wasmtime and these settings)."""
        module = ctypes.c_void_p()
        data = (ctypes.c_uint8 * len(serialized)).from_buffer_copy(serialized)
        check(
            self._lib.wasmtime_module_deserialize(
                self._engine, data, len(serialized), ctypes.byref(module)
            )
        )
        self._module = module.value

    def define_memory(self, module: str, name: str, pages: int) -> None:
        lib = self._lib
        memory_type = ctypes.c_void_p()
        check(
            lib.wasmtime_memorytype_new(
                pages, False, 0, False, False, 16, ctypes.byref(memory_type)
            )
        )
        try:
            check(lib.wasmtime_memory_new(self.context, memory_type, ctypes.byref(self.memory)))
        finally:
            lib.wasm_memorytype_delete(memory_type)
        item = Extern(kind=EXTERN_MEMORY)
        item.of.memory = self.memory
        check(self._define(lib.wasmtime_linker_define, module, name, self.context, item))

    def define_function(
        self, module: str, name: str, params: int, results: int, function: HostFunction
    ) -> None:
        """A host function of `params` i32 parameters and `results` i32 results:
        `function(values, count)` reads the parameters from `values` and writes its
        result into `values[0]`; an exception becomes a trap (and is raised by `call`)."""
        lib = self._lib

        def call(_env: Any, _caller: Any, values: Any, count: int) -> int:
            try:
                function(values, count)
            except BaseException as error:  # the caller raises it again
                self._failure = error
                return new_trap(str(error))
            return 0

        callback = CALLBACK(call)
        self._keep.append(callback)
        signature = lib.wasm_functype_new(self._i32s(params), self._i32s(results))
        try:
            check(
                lib.wasmtime_linker_define_func_unchecked(
                    self._linker, *self._names(module, name), signature, callback, None, FINALIZER()
                )
            )
        finally:
            lib.wasm_functype_delete(signature)

    def _i32s(self, count: int) -> Any:
        types = (ctypes.c_void_p * count)(
            *(self._lib.wasm_valtype_new(WASM_I32) for _ in range(count))
        )
        vector = ValtypeVec()
        self._lib.wasm_valtype_vec_new(ctypes.byref(vector), count, types)
        return ctypes.byref(vector)

    @staticmethod
    def _names(module: str, name: str) -> tuple[bytes, int, bytes, int]:
        first, second = module.encode(), name.encode()
        return first, len(first), second, len(second)

    def _define(self, define: Any, module: str, name: str, context: int, item: Extern) -> int:
        first, first_size, second, second_size = self._names(module, name)
        result: int = define(
            self._linker, context, first, first_size, second, second_size, ctypes.byref(item)
        )
        return result

    def instantiate(self) -> None:
        trap = ctypes.c_void_p()
        self._failure = None
        check(
            self._lib.wasmtime_linker_instantiate(
                self._linker,
                self.context,
                self._module,
                ctypes.byref(self._instance),
                ctypes.byref(trap),
            )
        )
        if trap.value:
            raise WasmError(trap_message(trap.value))

    def function(self, name: str) -> Func:
        item = Extern()
        data = name.encode()
        if not self._lib.wasmtime_instance_export_get(
            self.context, ctypes.byref(self._instance), data, len(data), ctypes.byref(item)
        ):
            raise WasmError(f"the module exports no {name}")
        return Func(item.of.func.store_id, item.of.func.private)

    def call(self, function: Func, values: Any, slots: int) -> None:
        """Call with the parameters in `values` (raw, `slots` of them at least as
        many as the parameters and results); the results replace them. A host
        function's exception is raised again as it was."""
        trap = ctypes.c_void_p()
        error = self._lib.wasmtime_func_call_unchecked(
            self.context, ctypes.byref(function), values, slots, ctypes.byref(trap)
        )
        failure, self._failure = self._failure, None
        message = trap_message(trap.value) if trap.value else None
        try:
            check(error)
        except WasmError:
            if failure is not None:
                raise failure from None
            raise
        if message is not None:
            if failure is not None:
                raise failure
            raise WasmError(message)

    def memory_base(self) -> int:
        """The address of the memory's first byte (it moves when the memory grows)."""
        return (
            ctypes.cast(
                self._lib.wasmtime_memory_data(self.context, ctypes.byref(self.memory)),
                ctypes.c_void_p,
            ).value
            or 0
        )

    def memory_size(self) -> int:
        size: int = self._lib.wasmtime_memory_data_size(self.context, ctypes.byref(self.memory))
        return size

    def grow(self, pages: int) -> None:
        previous = ctypes.c_uint64()
        check(
            self._lib.wasmtime_memory_grow(
                self.context, ctypes.byref(self.memory), pages, ctypes.byref(previous)
            )
        )

    def fuel_consumed(self) -> int:
        left = ctypes.c_uint64()
        check(self._lib.wasmtime_context_get_fuel(self.context, ctypes.byref(left)))
        return (1 << 62) - left.value
