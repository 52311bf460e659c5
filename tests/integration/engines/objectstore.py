"""A local S3-compatible server (moto_server) on 127.0.0.1 with authentication on.

moto only checks credentials after INITIAL_NO_AUTH_ACTION_COUNT requests: the
first three create an IAM user, its S3 policy and its access key; from then on
every request must be signed with that key, so wrong credentials fail as they
would against a real store. The test hands that key to the harness as the value
Vault (or the inline Secret) would hold.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from tests.processes import free_port, stop_process

START_TIMEOUT = 30
STOP_TIMEOUT = 15
BOOTSTRAP_ACTIONS = 3  # create_user, put_user_policy, create_access_key


def moto_executable() -> str:
    local = Path(sys.executable).parent / "moto_server"
    if local.exists():
        return str(local)
    found = shutil.which("moto_server")
    if found is None:
        raise RuntimeError("moto_server is not installed (pip install 'moto[server]')")
    return found


@dataclass
class ObjectStore:
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    access_key_id: str = ""
    secret_access_key: str = field(default="", repr=False)
    logfile: Path | None = None

    @property
    def endpoint(self) -> str:
        """The URL the local server really speaks (plain http)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def https_endpoint(self) -> str:
        """What the module's inputs get: it only accepts https (see
        barmancloud.local_endpoint for the one place that turns it back)."""
        return f"https://127.0.0.1:{self.port}"

    def start(self, logdir: Path) -> None:
        self.logfile = logdir / "moto_server.log"
        env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT=str(BOOTSTRAP_ACTIONS))
        with self.logfile.open("wb") as log:
            self.process = subprocess.Popen(
                [moto_executable(), "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        self._wait_listening()
        self._create_key()

    def _wait_listening(self) -> None:
        """TCP connects only: an HTTP probe would use up an unauthenticated action."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto_server did not listen within {START_TIMEOUT}s:\n{self.log()}")

    def _create_key(self) -> None:
        iam = boto3.client(
            "iam",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="bootstrap",
            aws_secret_access_key="bootstrap",
        )
        iam.create_user(UserName="wildside-backup")
        policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
        }
        iam.put_user_policy(
            UserName="wildside-backup", PolicyName="s3", PolicyDocument=json.dumps(policy)
        )
        key = iam.create_access_key(UserName="wildside-backup")["AccessKey"]
        self.access_key_id = key["AccessKeyId"]
        self.secret_access_key = key["SecretAccessKey"]

    def s3(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
        )

    def create_bucket(self, name: str) -> None:
        self.s3().create_bucket(Bucket=name)

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        paginator = self.s3().get_paginator("list_objects_v2")
        found: list[str] = []
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            found += [item["Key"] for item in page.get("Contents", [])]
        return sorted(found)

    def log(self) -> str:
        if self.logfile is None or not self.logfile.exists():
            return ""
        return self.logfile.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        """Stop by PID: SIGTERM, bounded wait, then SIGKILL."""
        process, self.process = self.process, None
        if process is not None:
            stop_process(process, STOP_TIMEOUT)
