"""A small HTTP proxy on 127.0.0.1 in front of the test API server that fails on
purpose: the first N requests matching a pattern get a fault (HTTP 429 with
Retry-After, HTTP 503, or a connection reset), the others are forwarded to the real
server. It records every request, so tests count the attempts a client made.

It listens on plain HTTP (the client needs no certificate for it) and speaks HTTPS
with the test CA to the API server; the client's bearer token passes through. Watch
responses are streamed as they come.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from kube_harness import ControlPlane

Fault = Literal["429", "503", "reset"]
STOP_TIMEOUT = 10.0
UPSTREAM_TIMEOUT = 60.0
_HOP_BY_HOP = {"connection", "transfer-encoding", "keep-alive", "content-length"}


def status_body(code: int, reason: str, message: str, **details: Any) -> bytes:
    """A Status object, as the API server answers a refused request."""
    status: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    if details:
        status["details"] = details
    return json.dumps(status).encode()


@dataclass
class Rule:
    fault: Fault
    method: str
    path: str  # a substring of the request's path and query
    count: int  # how many matching requests fail
    retry_after: int | None = None
    served: int = 0

    def matches(self, method: str, target: str) -> bool:
        return method == self.method and self.path in target and self.served < self.count


@dataclass
class FaultyProxy:
    upstream: str
    ca_file: Path
    rules: list[Rule] = field(default_factory=list)
    seen: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0
    seen_event: threading.Condition = field(default_factory=threading.Condition)
    open_upstreams: set[http.client.HTTPSConnection] = field(default_factory=set)

    def fail(
        self,
        fault: Fault,
        method: str,
        path: str,
        count: int,
        *,
        retry_after: int | None = None,
    ) -> Rule:
        rule = Rule(fault, method, path, count, retry_after)
        with self.lock:
            self.rules.append(rule)
        return rule

    def requests(self, method: str, *parts: str) -> list[str]:
        """The targets (path and query) of the requests seen with method whose target
        contains every one of parts."""
        with self.lock:
            return [t for m, t in self.seen if m == method and all(p in t for p in parts)]

    def wait_for(self, method: str, *parts: str, count: int, timeout: float = 60.0) -> bool:
        """Block until `count` matching requests were seen (False after timeout)."""
        with self.seen_event:
            return self.seen_event.wait_for(
                lambda: len(self.requests(method, *parts)) >= count, timeout
            )

    def _take(self, method: str, target: str) -> Rule | None:
        with self.lock:
            self.seen.append((method, target))
            rule = next((r for r in self.rules if r.matches(method, target)), None)
            if rule is not None:
                rule.served += 1
        with self.seen_event:
            self.seen_event.notify_all()
        return rule

    def kubeconfig(self, path: Path, token: str) -> Path:
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "proxy", "cluster": {"server": f"http://127.0.0.1:{self.port}"}}],
            "users": [{"name": "admin", "user": {"token": token}}],
            "contexts": [{"name": "proxy", "context": {"cluster": "proxy", "user": "admin"}}],
            "current-context": "proxy",
        }
        path.write_text(yaml.safe_dump(config))
        path.chmod(0o600)
        return path


def _handler(proxy: FaultyProxy) -> type[BaseHTTPRequestHandler]:
    upstream = urlsplit(proxy.upstream)
    tls = ssl.create_default_context(cafile=str(proxy.ca_file))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: a reset hits one

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _answer(self, code: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(code)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _reset(self) -> None:
            # SO_LINGER with a zero timeout: close() sends RST, not FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def _handle(self) -> None:
            body = self._body()
            rule = proxy._take(self.command, self.path)
            if rule is not None and rule.fault == "reset":
                self._reset()
                return
            if rule is not None and rule.fault == "429":
                headers = {"Content-Type": "application/json"}
                details: dict[str, Any] = {}
                if rule.retry_after is not None:
                    headers["Retry-After"] = str(rule.retry_after)
                    details["retryAfterSeconds"] = rule.retry_after
                message = "Too many requests, please try again later."
                self._answer(429, status_body(429, "TooManyRequests", message, **details), headers)
                return
            if rule is not None and rule.fault == "503":
                message = "the server is currently unable to handle the request"
                headers = {"Content-Type": "application/json"}
                self._answer(503, status_body(503, "ServiceUnavailable", message), headers)
                return
            self._forward(body)

        def _forward(self, body: bytes) -> None:
            conn = http.client.HTTPSConnection(
                upstream.hostname, upstream.port, context=tls, timeout=UPSTREAM_TIMEOUT
            )
            with proxy.lock:
                proxy.open_upstreams.add(conn)
            try:
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in _HOP_BY_HOP and k.lower() != "host"
                }
                conn.request(self.command, self.path, body=body or None, headers=headers)
                answer = conn.getresponse()
                watch = "watch=true" in self.path or "watch=1" in self.path
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in _HOP_BY_HOP:
                        self.send_header(name, value)
                if not watch:
                    data = answer.read()
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.end_headers()  # streamed until the API server ends the watch
                while chunk := answer.read1(65536):
                    self.wfile.write(chunk)
                    self.wfile.flush()
            finally:
                with proxy.lock:
                    proxy.open_upstreams.discard(conn)
                conn.close()

        def do_GET(self) -> None:
            self._handle()

        def do_PATCH(self) -> None:
            self._handle()

        def do_DELETE(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def do_PUT(self) -> None:
            self._handle()

        def finish(self) -> None:
            with contextlib.suppress(OSError, ValueError):  # reset on purpose
                super().finish()

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # resets and clients that went away are expected here


@contextmanager
def faulty_proxy(plane: ControlPlane) -> Iterator[FaultyProxy]:
    """A proxy in front of plane's API server, stopped (and joined) on exit."""
    proxy = FaultyProxy(upstream=plane.server, ca_file=plane.ca_file)
    server = _Server(("127.0.0.1", 0), _handler(proxy))
    proxy.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, name="faulty-proxy", daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        # Watches still streamed through the proxy would hold the API server's
        # shutdown: end them.
        with proxy.lock:
            for conn in proxy.open_upstreams:
                if conn.sock is not None:
                    with contextlib.suppress(OSError):
                        conn.sock.shutdown(socket.SHUT_RDWR)
        server.shutdown()
        server.server_close()
        thread.join(STOP_TIMEOUT)
