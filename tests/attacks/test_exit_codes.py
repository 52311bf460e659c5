"""Foreseeable failures end with their documented exit code and one line, never 70:
a full or closed standard output, a reader that went away, unreadable inputs, an
exec credential plugin lightkube cannot run or that answers nonsense, an API server
answer without a Kubernetes Status, and durations that are not durations."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.attacks.conftest import run_cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def documented(code: int) -> bool:
    return f"\n| {code} | " in README


def test_a_full_standard_output() -> None:
    with open("/dev/full", "wb") as full:
        for arguments in (
            # Superuser access off: on, every render warns about it on stderr first.
            ("render", "--stdout", "--set", "enable_superuser_access=false"),
            ("outputs",),
            ("--version",),
            ("render", "--help"),
        ):
            result = run_cli(*arguments, stdout=full)
            assert (result.code, result.err) == (
                5,
                "error: cannot write to standard output: No space left on device\n",
            ), arguments
    assert documented(5)


def test_a_closed_standard_output() -> None:
    result = run_cli("outputs", close_stdout=True)
    assert (result.code, result.err) == (
        5,
        "error: cannot write to standard output: it is closed\n",
    )


def test_a_reader_that_went_away() -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        with os.fdopen(write, "wb") as pipe:
            result = run_cli(
                "render", "--stdout", "--set", "enable_superuser_access=false", stdout=pipe
            )
    except BrokenPipeError:  # closing our end may flush nothing into the closed pipe
        pytest.fail("the test itself wrote to the pipe")
    assert (result.code, result.err) == (141, "")
    assert documented(141)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"cluster_name: caf\xe9\n", "line 1: not UTF-8 text (byte 0xe9)"),
        (
            b"helm_values: &a {x: *a}\n",
            "line 1: an alias refers to a node that contains it (a self-referencing structure)",
        ),
        (
            b"helm_values: " + b"[" * 101 + b"]" * 101 + b"\n",
            "line 1: nested deeper than 100 levels",
        ),
    ],
)
def test_unreadable_inputs_are_bad_input(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "inputs.yaml"
    path.write_bytes(content)
    result = run_cli("outputs", "-f", str(path))
    assert (result.code, result.err) == (2, f"error: --inputs {path}: {message}\n")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("nan", 2),
        ("inf", 2),
        ("-inf", 2),
        ("-5", 2),
        ("0", 2),
        ("1d", 2),
        ("1e309", 2),
        ("1h30m", 5),
        ("90s", 5),
        ("2m30.5s", 5),
        ("600", 5),
    ],
)
def test_timeouts_are_go_durations(tmp_path: Path, value: str, expected: int) -> None:
    missing = tmp_path / "missing-kubeconfig"
    result = run_cli("apply", "--skip-operator", "--kubeconfig", str(missing), f"--timeout={value}")
    assert result.code == expected
    last = result.err.splitlines()[-1]
    if expected == 2:
        assert last == (
            "wildside-cnpg apply: error: argument --timeout: expected a positive duration "
            f"such as 90, 90s, 10m or 1h30m, got '{value}'"
        )
    else:  # accepted: the run goes on to the cluster
        assert last == f"error: cannot load {missing}: no such file"


def kubeconfig(tmp_path: Path, server: str, user: str) -> Path:
    path = tmp_path / "kubeconfig"
    path.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: ctx\n"
        f"clusters: [{{name: c, cluster: {{server: '{server}', "
        "insecure-skip-tls-verify: true}}]\n"
        "contexts: [{name: ctx, context: {cluster: c, user: u}}]\n"
        f"users: [{{name: u, user: {user}}}]\n",
        encoding="utf-8",
    )
    return path


def plugin(tmp_path: Path, answer: str) -> Path:
    path = tmp_path / "credential-plugin"
    path.write_text(f"#!/bin/sh\ncat <<'EOF'\n{answer}\nEOF\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def apply(config: Path) -> tuple[int, str]:
    result = run_cli("apply", "--no-policy", "--skip-operator", "--kubeconfig", str(config))
    lines = [
        line for line in result.err.splitlines() if not line.startswith("WARNING: --no-policy")
    ]
    return result.code, "\n".join(lines)


# A port nothing listens on: authentication runs before the connection.
CLOSED = "https://127.0.0.1:9"


def test_an_exec_plugin_lightkube_cannot_run(tmp_path: Path) -> None:
    command = plugin(tmp_path, "{}")
    config = kubeconfig(
        tmp_path,
        CLOSED,
        f"{{exec: {{apiVersion: client.authentication.k8s.io/v1, command: {command}, "
        "interactiveMode: Never}}",
    )
    assert apply(config) == (
        5,
        f"error: kubeconfig: context 'ctx' authenticates with an exec plugin ({command}) of "
        "API version client.authentication.k8s.io/v1, which lightkube, the client "
        "wildside-cnpg uses, cannot run (it runs client.authentication.k8s.io/v1alpha1 and "
        "client.authentication.k8s.io/v1beta1); use a context with a token or a client "
        "certificate",
    )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            "<html>login</html>",
            "error: kubeconfig: the exec plugin did not answer with JSON (an ExecCredential)",
        ),
        (
            '{"kind": "ExecCredential", "status": {}}',
            "error: kubeconfig: the exec plugin's answer has no status.token (an ExecCredential)",
        ),
    ],
)
def test_an_exec_plugin_answering_nonsense(tmp_path: Path, answer: str, message: str) -> None:
    command = plugin(tmp_path, answer)
    user = f"{{exec: {{apiVersion: client.authentication.k8s.io/v1beta1, command: {command}}}}}"
    assert apply(kubeconfig(tmp_path, CLOSED, user)) == (5, message)


def test_an_exec_plugin_that_is_not_installed(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-plugin"
    user = f"{{exec: {{apiVersion: client.authentication.k8s.io/v1beta1, command: {missing}}}}}"
    assert apply(kubeconfig(tmp_path, CLOSED, user)) == (
        5,
        f"error: kubeconfig: the exec plugin {missing} is not installed",
    )


class _Answer(BaseHTTPRequestHandler):
    """Answers every request with the status and content type the test set."""

    status = 502
    content_type: str | None = None
    body = b"Bad Gateway"

    def _answer(self) -> None:
        self.send_response(self.status)
        if self.content_type is not None:
            self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def do_GET(self) -> None:
        self._answer()

    def do_PATCH(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


# apply's first request reads its inventory (what an earlier apply recorded).
INVENTORY = "GET /api/v1/namespaces/databases/configmaps/wildside-pg-wildside-cnpg-inventory"
NOT_A_STATUS = [
    (
        (502, None, b"Bad Gateway"),
        f"HTTP 502 Bad Gateway to {INVENTORY} without a Kubernetes Status (no content type)",
    ),
    (
        (503, "application/json", b"<html>down</html>"),
        f"HTTP 503 Service Unavailable to {INVENTORY} without a Kubernetes Status "
        "(application/json)",
    ),
    (
        (500, "text/html; charset=utf-8", b"<h1>oops</h1>"),
        f"HTTP 500 Internal Server Error to {INVENTORY} without a Kubernetes Status (text/html)",
    ),
]


@pytest.mark.parametrize(("answer", "shown"), NOT_A_STATUS)
def test_an_error_answer_that_is_not_a_status(
    tmp_path: Path,
    server: ThreadingHTTPServer,
    answer: tuple[int, str | None, bytes],
    shown: str,
) -> None:
    status, content_type, body = answer
    attributes = {"status": status, "content_type": content_type, "body": body}
    server.RequestHandlerClass = type("Handler", (_Answer,), attributes)
    port = server.server_address[1]
    config = kubeconfig(tmp_path, f"http://127.0.0.1:{port}", "{token: abc}")
    assert apply(config) == (
        5,
        f"error: the API server answered {shown}; is the kubeconfig's server an API server?",
    )
