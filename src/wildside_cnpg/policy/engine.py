"""The policies as OPA compiles them to WebAssembly (compiled.py), run in-process
with wasmtime. The host implements what OPA's WebAssembly ABI leaves to it for these
policies: memory, `opa_abort` and `sprintf` (gofmt.py).

Calls cross into WebAssembly through wasmtime's C API (wasmtime-py's ffi layer,
unchecked calls on raw values): its Python-level calls convert and check every
value and cost about twenty times as much, and a tree's check makes a few dozen
of them."""

from __future__ import annotations

import ctypes
import hashlib
import json
from collections.abc import Callable
from typing import Any

from . import cache as artifacts
from .compiled import ENTRYPOINT, HOST_BUILTINS, POLICY_WASM, PolicyEngineError, stamp
from .gofmt import Number, sprintf

_FIRST_PAGES = 5
_RAW_SLOTS = 8  # the most parameters or results of any function called here
_NO_FINALIZER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)  # called with no arguments: NULL


class Engine:
    """One instance of policy.wasm; `evaluate` runs the entry point over a JSON
    input. Not thread-safe: one evaluation at a time."""

    def __init__(self, fuel: bool = False) -> None:
        import wasmtime
        from wasmtime import _ffi as ffi

        self._ffi: Any = ffi
        self._wasmtime: Any = wasmtime
        recorded = stamp()
        config = wasmtime.Config()
        if fuel:  # counts the instructions executed (tests of the policies' cost)
            config.consume_fuel = True
        self._engine = wasmtime.Engine(config)
        self._module = self._load_module(recorded["wasm"], fuel)
        self._store = wasmtime.Store(self._engine)
        self._fuel = fuel
        if fuel:
            self._store.set_fuel(1 << 62)
        self._context = self._store._context()
        self._raw = (ffi.wasmtime_val_raw_t * _RAW_SLOTS)()
        self._trap = ctypes.POINTER(ffi.wasm_trap_t)()
        self._failure: BaseException | None = None
        self._callbacks: list[Any] = []  # kept alive as long as the instance
        self._builtins: dict[int, str] = {}
        self._instantiate()
        exports = self._instance.exports(self._store)
        self._functions = {
            name: exports[name]._func
            for name in (
                "opa_eval",
                "opa_json_dump",
                "opa_malloc",
                "opa_json_parse",
                "opa_heap_ptr_get",
                "builtins",
                "entrypoints",
            )
        }
        self._builtins = {
            number: name for name, number in self._dump_plain(self._call("builtins")).items()
        }
        missing = set(self._builtins.values()) - HOST_BUILTINS
        if missing:
            raise PolicyEngineError(
                f"{POLICY_WASM} needs builtins the host does not provide: {sorted(missing)}"
            )
        entrypoints = self._dump_plain(self._call("entrypoints"))
        if ENTRYPOINT not in entrypoints:
            raise PolicyEngineError(f"{POLICY_WASM} has no entry point {ENTRYPOINT}")
        self._entrypoint: int = entrypoints[ENTRYPOINT]
        self._data = self._parse(b"{}")
        self._heap: int = self._call("opa_heap_ptr_get")

    def _load_module(self, wasm_sha256: str, fuel: bool) -> Any:
        """The compiled module from the package's cache, else compiled and saved."""
        wasmtime = self._wasmtime
        key = f"{wasm_sha256}\0fuel={fuel}"
        cached = artifacts.compiled_path(key)
        if cached is not None:
            data = artifacts.read_intact(cached)
            if data is not None:
                try:
                    return wasmtime.Module.deserialize(self._engine, data)
                except wasmtime.WasmtimeError:
                    pass
        wasm = POLICY_WASM.read_bytes()
        if hashlib.sha256(wasm).hexdigest() != wasm_sha256:
            raise PolicyEngineError(f"{POLICY_WASM} is damaged: its digest is not the recorded one")
        module = wasmtime.Module(self._engine, wasm)
        if cached is not None:
            artifacts.save(cached, module.serialize())
        return module

    def _instantiate(self) -> None:
        wasmtime = self._wasmtime
        provided: dict[str, Any] = {
            "opa_abort": self._host(1, 0, self._abort),
            **{f"opa_builtin{n}": self._host(2 + n, 1, self._builtin) for n in range(5)},
        }
        imports: list[Any] = []
        for item in self._module.imports:
            if item.module == "env" and item.name == "memory":
                # The declared minimum covers the data segments; the runtime's stack
                # and first heap blocks need a few pages more (OPA's own SDKs start
                # with five).
                limits = item.type.limits
                pages = wasmtime.Limits(max(limits.min, _FIRST_PAGES), limits.max)
                self._memory = wasmtime.Memory(self._store, wasmtime.MemoryType(pages))
                imports.append(self._memory)
            elif item.module == "env" and item.name in provided:
                imports.append(provided[item.name])
            else:
                raise PolicyEngineError(f"{POLICY_WASM} imports {item.module}.{item.name}")
        self._instance = wasmtime.Instance(self._store, self._module, imports)

    def _host(self, params: int, results: int, function: Callable[[Any, int], None]) -> Any:
        """A host function on raw values: `function(values, count)` reads its
        parameters from `values` and writes its result into `values[0]`."""
        wasmtime, ffi = self._wasmtime, self._ffi
        i32 = wasmtime.ValType.i32()
        signature = wasmtime.FuncType([i32] * params, [i32] * results)

        def call(_env: Any, _caller: Any, values: Any, count: int) -> int:
            try:
                function(values, count)
            except BaseException as error:  # returned to the caller as a trap
                self._failure = error
                message = str(error).encode("utf-8", "replace")
                trap = ffi.wasmtime_trap_new(message, len(message))
                return ctypes.cast(trap, ctypes.c_void_p).value or 0
            return 0

        callback = ffi.wasmtime_func_unchecked_callback_t(call)
        self._callbacks.append(callback)
        raw = ffi.wasmtime_func_t()
        ffi.wasmtime_func_new_unchecked(
            self._context, signature.ptr(), callback, None, _NO_FINALIZER(), ctypes.byref(raw)
        )
        return wasmtime.Func._from_raw(raw)

    def _abort(self, values: Any, _count: int) -> None:
        message = self._string(values[0].i32).decode("utf-8", "replace")
        raise PolicyEngineError(f"policy evaluation aborted: {message}")

    def _builtin(self, values: Any, count: int) -> None:
        name = self._builtins.get(values[0].i32)
        arguments = [self._dump(values[index].i32) for index in range(2, count)]
        if name != "sprintf" or len(arguments) != 2:
            raise PolicyEngineError(f"policy evaluation called an unknown builtin {name}")
        template, operands = arguments
        if not isinstance(template, str) or not isinstance(operands, list):
            raise PolicyEngineError("sprintf: expected a string and an array")
        text = sprintf(template, operands)
        values[0].i32 = self._parse(json.dumps(text).encode())

    def _call(self, name: str, *arguments: int) -> int:
        raw = self._raw
        for index, value in enumerate(arguments):
            raw[index].i32 = value
        error = self._ffi.wasmtime_func_call_unchecked(
            self._context,
            ctypes.byref(self._functions[name]),
            raw,
            _RAW_SLOTS,
            ctypes.byref(self._trap),
        )
        if error:
            raise PolicyEngineError(str(self._wasmtime.WasmtimeError._from_ptr(error)))
        if self._trap:
            trap = self._wasmtime.Trap._from_ptr(self._trap)
            self._trap = ctypes.POINTER(self._ffi.wasm_trap_t)()
            failure, self._failure = self._failure, None
            if isinstance(failure, PolicyEngineError):
                raise failure
            raise PolicyEngineError(f"policy evaluation failed: {failure or trap.message}")
        result: int = raw[0].i32
        return result

    def _base(self) -> int:
        """The address of the instance's memory (it moves when the memory grows)."""
        data = self._ffi.wasmtime_memory_data(self._context, ctypes.byref(self._memory._memory))
        return ctypes.addressof(data.contents)

    def _string(self, address: int) -> bytes:
        return ctypes.string_at(self._base() + address)

    def _dump_plain(self, value: int) -> Any:
        return json.loads(self._string(self._call("opa_json_dump", value)))

    def _dump(self, value: int) -> Any:
        """A value as JSON, numbers kept as the text the engine holds."""
        text = self._string(self._call("opa_json_dump", value))
        return json.loads(text, parse_int=Number, parse_float=Number)

    def _parse(self, text: bytes) -> int:
        address = self._call("opa_malloc", len(text))
        ctypes.memmove(self._base() + address, text, len(text))
        return self._call("opa_json_parse", address, len(text))

    def evaluate(self, document: bytes) -> Any:
        """The entry point's value for the JSON `document` as input."""
        heap = self._heap
        end = heap + len(document)
        available = self._memory.data_len(self._store)
        if end > available:
            self._memory.grow(self._store, (end - available) // 65536 + 1)
        ctypes.memmove(self._base() + heap, document, len(document))
        address = self._call(
            "opa_eval", 0, self._entrypoint, self._data, heap, len(document), end, 0
        )
        results = json.loads(self._string(address))
        if not results:
            raise PolicyEngineError(f"{ENTRYPOINT} is undefined")
        return results[0]["result"]

    def fuel_consumed(self) -> int:
        """Instructions executed since the engine was made (with fuel=True)."""
        return (1 << 62) - self._store.get_fuel()
