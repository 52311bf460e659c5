"""Every barman-cloud invocation, derived from the rendered objects exactly as
CNPG derives it from a Cluster's `spec.backup.barmanObjectStore`.

Sources followed (cloudnative-pg/barman-cloud, used by the operator's instance
manager): `BarmanCloudWalArchiveOptions` (archive_command), `GetBarmanCloudBackupOptions`
(backups), `restoreDataDir` (recovery: barman-cloud-restore), `CloudWalRestoreOptions`
(restore_command), `DeleteBackupsByPolicy` + `ParsePolicy` (retention), and
`envSetAWSCredentials` (credentials become AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
in the tools' environment, read from the Secret keys the Cluster references).

Both backup methods the module renders are read: in-tree Barman
(`Cluster.spec.backup.barmanObjectStore`, retention in `spec.backup`, environment
from `Cluster.spec.env`) and the Barman Cloud plugin (the Cluster's
`barman-cloud.cloudnative-pg.io` WAL-archiver plugin names an ObjectStore whose
`spec.configuration` has the same schema; retention and the sidecar's environment
live on the ObjectStore; the server name is the plugin's `serverName` parameter or
the cluster name). The plugin calls the same barman-cloud library, so the argv is
the same for the same configuration.

The one deliberate difference from production is the endpoint scheme: see
`local_endpoint` below.
"""

from __future__ import annotations

import base64
import re
import shlex
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BARMAN_VENV = Path("/var/cache/wildside-cnpg/barman-venv")
BARMAN_BIN = BARMAN_VENV / "bin"

# CNPG's enums (postgresql.cnpg.io_clusters.yaml, barmanObjectStore.{wal,data}.compression).
PLUGIN = "barman-cloud.cloudnative-pg.io"
WAL_COMPRESSIONS = ("bzip2", "gzip", "lz4", "snappy", "xz", "zstd")
DATA_COMPRESSIONS = ("bzip2", "gzip", "lz4", "snappy")


def local_endpoint(endpoint_url: str) -> str:
    """THE ONLY PLACE the harness departs from what CNPG would run.

    The module requires an https:// endpoint (real object stores); the local
    S3-compatible test server speaks plain http on 127.0.0.1. Everything else in
    the URL (host, port, path) is used exactly as rendered."""
    if not endpoint_url.startswith("https://"):
        raise ValueError(f"rendered endpointURL is not https: {endpoint_url!r}")
    return "http://" + endpoint_url.removeprefix("https://")


class DerivationError(ValueError):
    """The rendered objects do not give CNPG what it needs to run barman-cloud."""


def parse_policy(policy: str) -> str:
    """CNPG's ParsePolicy: `30d` -> `RECOVERY WINDOW OF 30 DAYS`."""
    match = re.search(r"([1-9][0-9]*)([dwm])$", policy)
    if match is None:
        raise DerivationError(f"not a valid policy: {policy!r}")
    unit = {"d": "DAYS", "w": "WEEKS", "m": "MONTHS"}[match.group(2)]
    return f"RECOVERY WINDOW OF {match.group(1)} {unit}"


@dataclass(frozen=True)
class BarmanCloud:
    """The invocations CNPG would run for one Cluster (argv lists, credentials env)."""

    method: str  # "barmanObjectStore" (in-tree) or "plugin"
    cluster_name: str
    destination: str
    server_name: str
    endpoint_url: str | None
    wal_compression: str | None
    data_compression: str | None
    data_jobs: int | None
    immediate_checkpoint: bool
    retention_policy: str | None
    env: dict[str, str] = field(repr=False)
    bin_dir: Path = BARMAN_BIN

    def _tool(self, name: str) -> str:
        return str(self.bin_dir / name)

    def _endpoint(self) -> list[str]:
        return ["--endpoint-url", self.endpoint_url] if self.endpoint_url else []

    def _provider(self) -> list[str]:
        return ["--cloud-provider", "aws-s3"]

    def wal_archive(self) -> list[str]:
        """barman-cloud-wal-archive argv; the WAL path is appended per file."""
        compression = [f"--{self.wal_compression}"] if self.wal_compression else []
        return [
            self._tool("barman-cloud-wal-archive"),
            *compression,
            *self._endpoint(),
            *self._provider(),
            self.destination,
            self.server_name,
        ]

    def archive_command(self) -> str:
        return shlex.join(self.wal_archive()) + " %p"

    def backup(self, backup_name: str) -> list[str]:
        """barman-cloud-backup argv (the connection comes from PGHOST/PGPORT, as in
        the instance manager)."""
        options = ["-U", "postgres", "-n", backup_name]
        if self.data_compression:
            options.append(f"--{self.data_compression}")
        if self.immediate_checkpoint:
            options.append("--immediate-checkpoint")
        if self.data_jobs is not None:
            options += ["--jobs", str(self.data_jobs)]
        return [
            self._tool("barman-cloud-backup"),
            *options,
            *self._endpoint(),
            *self._provider(),
            self.destination,
            self.server_name,
        ]

    def restore(self, backup_id: str, pgdata: Path) -> list[str]:
        return [
            self._tool("barman-cloud-restore"),
            *self._endpoint(),
            self.destination,
            self.server_name,
            backup_id,
            *self._provider(),
            str(pgdata),
        ]

    def wal_restore(self) -> list[str]:
        """barman-cloud-wal-restore argv; WAL name and destination are appended."""
        return [
            self._tool("barman-cloud-wal-restore"),
            *self._endpoint(),
            *self._provider(),
            self.destination,
            self.server_name,
        ]

    def restore_command(self) -> str:
        return shlex.join(self.wal_restore()) + " %f %p"

    def backup_delete_by_policy(self) -> list[str]:
        if not self.retention_policy:
            raise DerivationError("the Cluster renders no backup.retentionPolicy")
        return [
            self._tool("barman-cloud-backup-delete"),
            *self._endpoint(),
            *self._provider(),
            "--retention-policy",
            parse_policy(self.retention_policy),
            self.destination,
            self.server_name,
        ]

    def backup_list(self) -> list[str]:
        return [
            self._tool("barman-cloud-backup-list"),
            *self._endpoint(),
            *self._provider(),
            "--format",
            "json",
            self.destination,
            self.server_name,
        ]


def _one_cluster(objects: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    clusters = [o for o in objects if o.get("kind") == "Cluster"]
    if len(clusters) != 1:
        raise DerivationError(f"expected exactly one Cluster, found {len(clusters)}")
    return clusters[0]


def _secret_value(
    objects: list[Mapping[str, Any]],
    namespace: str | None,
    ref: Mapping[str, Any],
    vault: Mapping[str, Mapping[str, str]],
    existing: Mapping[str, Mapping[str, str]],
) -> str:
    """The value of `ref` ({name, key}) as the cluster would see it: from a
    rendered Secret, from the Secret an ExternalSecret would create (values
    looked up in `vault` by remoteRef key and property, as ESO does), or from a
    Secret the user manages outside the tree (`existing`, supplied by the test)."""
    name, key = ref["name"], ref["key"]
    for obj in objects:
        meta = obj.get("metadata") or {}
        if meta.get("namespace") not in (None, namespace):
            continue
        if obj.get("kind") == "Secret" and meta.get("name") == name:
            string_data = obj.get("stringData") or {}
            data = obj.get("data") or {}
            if key in string_data:
                return str(string_data[key])
            if key in data:
                return base64.b64decode(data[key]).decode()
            raise DerivationError(f"Secret {name} has no key {key}")
        if obj.get("kind") == "ExternalSecret":
            spec = obj.get("spec") or {}
            target = (spec.get("target") or {}).get("name") or meta.get("name")
            if target != name:
                continue
            for item in spec.get("data") or []:
                if item.get("secretKey") == key:
                    remote = item["remoteRef"]
                    try:
                        return vault[remote["key"]][remote["property"]]
                    except KeyError as exc:
                        raise DerivationError(
                            f"the test's vault has no {remote['key']}#{remote.get('property')}"
                        ) from exc
            raise DerivationError(f"ExternalSecret {meta.get('name')} does not produce key {key}")
    if name in existing:
        if key not in existing[name]:
            raise DerivationError(f"the existing Secret {name} has no key {key}")
        return existing[name][key]
    raise DerivationError(f"no rendered Secret or ExternalSecret provides secret {name}")


def _plain_env(entries: list[Mapping[str, Any]] | None) -> dict[str, str]:
    """Literal `env` entries of a pod spec (valueFrom is not rendered here)."""
    env: dict[str, str] = {}
    for entry in entries or []:
        if "value" not in entry:
            raise DerivationError(f"env {entry.get('name')} is not a literal value")
        env[str(entry["name"])] = str(entry["value"])
    return env


@dataclass(frozen=True)
class _Store:
    method: str
    configuration: Mapping[str, Any]
    namespace: str | None
    server_name: str | None
    retention_policy: str | None
    env: dict[str, str]


def _store(objects: list[Mapping[str, Any]], cluster: Mapping[str, Any]) -> _Store:
    spec = cluster["spec"]
    namespace = cluster["metadata"].get("namespace")
    backup = spec.get("backup") or {}
    in_tree = backup.get("barmanObjectStore")
    archivers = [
        p for p in spec.get("plugins") or [] if p.get("name") == PLUGIN and p.get("isWALArchiver")
    ]
    if in_tree and archivers:
        raise DerivationError("isWALArchiver cannot be combined with backup.barmanObjectStore")
    if in_tree:
        return _Store(
            method="barmanObjectStore",
            configuration=in_tree,
            namespace=namespace,
            server_name=in_tree.get("serverName"),
            retention_policy=backup.get("retentionPolicy"),
            env=_plain_env(spec.get("env")),
        )
    if not archivers:
        raise DerivationError("the Cluster renders neither barmanObjectStore nor the plugin")
    parameters = archivers[0].get("parameters") or {}
    name = parameters.get("barmanObjectName")
    stores = [
        o
        for o in objects
        if o.get("kind") == "ObjectStore"
        and o["metadata"]["name"] == name
        and o["metadata"].get("namespace") == namespace
    ]
    if len(stores) != 1:
        raise DerivationError(f"no rendered ObjectStore {name!r} in namespace {namespace!r}")
    store_spec = stores[0]["spec"]
    sidecar = store_spec.get("instanceSidecarConfiguration") or {}
    return _Store(
        method="plugin",
        configuration=store_spec["configuration"],
        namespace=namespace,
        server_name=parameters.get("serverName"),
        retention_policy=store_spec.get("retentionPolicy"),
        env=_plain_env(sidecar.get("env")),
    )


def barman_cloud(
    objects: Iterable[Mapping[str, Any]],
    *,
    vault: Mapping[str, Mapping[str, str]] | None = None,
    existing_secrets: Mapping[str, Mapping[str, str]] | None = None,
) -> BarmanCloud:
    """Derive every barman-cloud invocation CNPG would run for the rendered
    Cluster's object store (in-tree or plugin). `objects` are all rendered
    Kubernetes objects; `vault` holds what Vault would return for ExternalSecret
    remote refs; `existing_secrets` the data of Secrets the user manages
    (name -> key -> value). The environment is the instance's (or plugin sidecar's) rendered
    env plus the credentials, as the operator sets them."""
    objects = list(objects)
    cluster = _one_cluster(objects)
    name = cluster["metadata"]["name"]
    found = _store(objects, cluster)
    store = found.configuration
    creds = store.get("s3Credentials") or {}
    env = dict(found.env)
    if not creds.get("inheritFromIAMRole"):
        for field_name, variable in (
            ("accessKeyId", "AWS_ACCESS_KEY_ID"),
            ("secretAccessKey", "AWS_SECRET_ACCESS_KEY"),
            ("region", "AWS_DEFAULT_REGION"),
            ("sessionToken", "AWS_SESSION_TOKEN"),
        ):
            ref = creds.get(field_name)
            if ref:
                env[variable] = _secret_value(
                    objects, found.namespace, ref, vault or {}, existing_secrets or {}
                )
        if "AWS_ACCESS_KEY_ID" not in env or "AWS_SECRET_ACCESS_KEY" not in env:
            raise DerivationError("s3Credentials lacks accessKeyId or secretAccessKey")
    wal = store.get("wal") or {}
    data = store.get("data") or {}
    endpoint = store.get("endpointURL")
    return BarmanCloud(
        method=found.method,
        cluster_name=name,
        destination=store["destinationPath"],
        server_name=found.server_name or name,
        endpoint_url=local_endpoint(endpoint) if endpoint else None,
        wal_compression=wal.get("compression"),
        data_compression=data.get("compression"),
        data_jobs=data.get("jobs"),
        immediate_checkpoint=bool(data.get("immediateCheckpoint")),
        retention_policy=found.retention_policy,
        env=env,
    )


def supported_compressions(tool: str) -> set[str]:
    """The compression flags the installed barman tool accepts (from its --help)."""
    out = subprocess.run(
        [str(BARMAN_BIN / tool), "--help"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    names = set(WAL_COMPRESSIONS) | set(DATA_COMPRESSIONS)
    return {n for n in names if re.search(rf"--{n}\b", out)}


def barman_version() -> str:
    out = subprocess.run(
        [str(BARMAN_BIN / "barman-cloud-backup"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return (out.stdout + out.stderr).strip()
