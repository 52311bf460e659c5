"""A Git server on loopback: smart HTTP through `git http-backend` (CGI) behind a
small threaded HTTP server, serving bare repositories the tests commit to."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from . import logs

BRANCH = "main"
GIT_TIMEOUT = 60.0
_IDENTITY = [
    "-c",
    "user.name=wildside-cnpg tests",
    "-c",
    "user.email=tests@wildside-cnpg.invalid",
]


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=GIT_TIMEOUT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)},
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}:\n{done.stderr}")
    return done.stdout.strip()


@dataclass(frozen=True)
class GitRepository:
    """A bare repository served at url, with a work tree the tests commit from (a
    checkout the tool can render into)."""

    url: str
    bare: Path
    work: Path

    def commit(self, files: Mapping[str, str], message: str) -> str:
        """Make the branch hold exactly files (path -> text); return the commit SHA."""
        for entry in self.work.iterdir():
            if entry.name == ".git":
                continue
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        for path, text in files.items():
            target = self.work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        return self.commit_work_tree(message)

    def commit_work_tree(self, message: str) -> str:
        """Commit the work tree as it is (every change, additions and removals) and
        push it; return the commit SHA."""
        _git("add", "--all", cwd=self.work)
        _git(*_IDENTITY, "commit", "--allow-empty", "--quiet", "-m", message, cwd=self.work)
        _git("push", "--quiet", str(self.bare), f"HEAD:{BRANCH}", cwd=self.work)
        return _git("rev-parse", "HEAD", cwd=self.work)


def _split_cgi(output: bytes) -> tuple[bytes, bytes]:
    """A CGI response's header block and body (the headers end at a blank line)."""
    ends = [(output.find(sep), sep) for sep in (b"\r\n\r\n", b"\n\n") if sep in output]
    if not ends:
        return output, b""
    index, sep = min(ends)
    return output[:index], output[index + len(sep) :]


class _Handler(BaseHTTPRequestHandler):
    server: _GitHTTPServer

    def do_GET(self) -> None:
        self._backend()

    def do_POST(self) -> None:
        self._backend()

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _backend(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": str(self.server.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": self.client_address[0],
        }
        for header in ("Content-Encoding", "Git-Protocol"):
            if header in self.headers:
                env["HTTP_" + header.upper().replace("-", "_")] = self.headers[header]
        done = subprocess.run(
            ["git", "http-backend"],
            input=body,
            capture_output=True,
            env=env,
            timeout=GIT_TIMEOUT,
            check=False,
        )
        with self.server.log.open("ab") as log:
            log.write(f"{self.command} {self.path} -> exit {done.returncode}\n".encode())
            log.write(done.stderr)
        head, payload = _split_cgi(done.stdout)
        status = 200
        headers: list[tuple[str, str]] = []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        with self.server.log.open("a") as log:
            log.write(format % args + "\n")


class _GitHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, log: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.log = log


@dataclass
class GitServer:
    root: Path
    base_url: str

    def repository(self, name: str) -> GitRepository:
        """A new, empty repository name.git, served from now on."""
        bare = self.root / f"{name}.git"
        _git("init", "--quiet", "--bare", f"--initial-branch={BRANCH}", str(bare), cwd=self.root)
        work = self.root.parent / "work" / name
        work.mkdir(parents=True)
        _git("init", "--quiet", f"--initial-branch={BRANCH}", cwd=work)
        return GitRepository(url=f"{self.base_url}/{name}.git", bare=bare, work=work)


@contextmanager
def running_git_server(workdir: Path) -> Iterator[GitServer]:
    root = workdir / "repositories"
    root.mkdir(parents=True)
    server = _GitHTTPServer(root, logs.register(workdir / "git-server.log"))
    thread = threading.Thread(target=server.serve_forever, name="git-server", daemon=True)
    thread.start()
    try:
        yield GitServer(root=root, base_url=f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
