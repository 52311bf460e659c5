"""Which archive to read (the cluster's own, or the source it recovers from) and the
credentials to read it with: keys from the environment or a file, or, where the
cluster reads the archive with its pods' IAM role, the AWS default chain of the
machine running the command; never from argv, and never shown."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import UsageError
from ..inputs import Inputs
from ..inputs.derived import backup_server_name, recovery_source_server_name
from ..yamlio import load_yaml_text

Which = Literal["backup", "recovery"]
# The keys of the Secret the cluster reads (and of a file holding them), and the
# variables barman-cloud (boto3) reads.
SECRET_KEYS = ("ACCESS_KEY_ID", "SECRET_ACCESS_KEY")
ENVIRONMENT_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
CHECKSUM_VARIABLES = ("AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION")
# What configures the AWS default credential chain of boto3 (barman-cloud's), in the
# order of its providers: keys in the environment, the shared credentials and config
# files with their profiles (assume-role, SSO, credential_process), a web identity
# token (EKS IRSA), the container endpoint (EKS Pod Identity, ECS) and the instance
# metadata (EC2); and the region the role is assumed in.
DEFAULT_CHAIN_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_V1_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "AWS_METADATA_SERVICE_TIMEOUT",
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
    "AWS_STS_REGIONAL_ENDPOINTS",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)
# Those whose values are credentials: never shown.
_SENSITIVE_CHAIN_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
)
# The shared files the chain reads when no variable names them, under the caller's
# home (barman-cloud runs with a home directory of its own).
_SHARED_FILES = {"AWS_SHARED_CREDENTIALS_FILE": "credentials", "AWS_CONFIG_FILE": "config"}


@dataclass(frozen=True)
class Archive:
    """A Barman Cloud archive: `destination_path/server_name/{base,wals}`."""

    destination_path: str
    server_name: str
    endpoint_url: str
    checksum_when_required: bool = True
    # Where the server name and the destination path came from (inputs or options),
    # for a message that says what to check.
    server_name_from: str = field(default="backup_server_name", compare=False)
    destination_path_from: str = field(default="backup_destination_path", compare=False)

    @property
    def location(self) -> str:
        return f"{self.destination_path.rstrip('/')}/{self.server_name}"

    def as_json(self) -> dict[str, str]:
        return {
            "destination_path": self.destination_path,
            "server_name": self.server_name,
            "endpoint_url": self.endpoint_url,
        }


@dataclass(frozen=True)
class Credentials:
    access_key_id: str = field(repr=False)
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)

    def environment(self) -> dict[str, str]:
        env = {"AWS_ACCESS_KEY_ID": self.access_key_id}
        env["AWS_SECRET_ACCESS_KEY"] = self.secret_access_key
        if self.session_token:
            env["AWS_SESSION_TOKEN"] = self.session_token
        return env

    def secrets(self) -> tuple[str, ...]:
        """The values a message must never show."""
        return tuple(
            v for v in (self.access_key_id, self.secret_access_key, self.session_token) if v
        )


@dataclass(frozen=True)
class DefaultChain:
    """No keys of the tool's own: barman-cloud finds its credentials through the AWS
    default chain of the machine it runs on, as the instances do with
    `inheritFromIAMRole`. `variables` are the chain's settings taken from the caller's
    environment (DEFAULT_CHAIN_VARIABLES), the shared files defaulting to the caller's
    own."""

    variables: Mapping[str, str] = field(repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> DefaultChain:
        variables = {name: environ[name] for name in DEFAULT_CHAIN_VARIABLES if environ.get(name)}
        home = environ.get("HOME")
        if home:
            for name, file in _SHARED_FILES.items():
                variables.setdefault(name, str(Path(home) / ".aws" / file))
        return cls(variables)

    def environment(self) -> dict[str, str]:
        return dict(self.variables)

    def secrets(self) -> tuple[str, ...]:
        """The values a message must never show."""
        return tuple(
            value for name in _SENSITIVE_CHAIN_VARIABLES if (value := self.variables.get(name))
        )


# What barman-cloud reads the archive with.
S3Access = Credentials | DefaultChain


def inherits_iam_role(inputs: Inputs, which: Which = "backup") -> bool:
    """Whether the cluster reads this archive with its pods' IAM role, no keys."""
    if which == "backup":
        return inputs.backup_s3_inherit_from_iam_role
    return inputs.recovery_source_inherit_from_iam_role


def archive_from_inputs(
    inputs: Inputs,
    which: Which = "backup",
    *,
    endpoint_url: str | None = None,
    server_name: str | None = None,
) -> Archive:
    """The cluster's own archive (`backup`) or the one it recovers from (`recovery`),
    as the inputs configure it; `endpoint_url` and `server_name` override (a store
    reached another way from where the drill runs, an older server name)."""
    if which == "backup":
        destination, endpoint = inputs.backup_destination_path, inputs.backup_endpoint_url
        server = backup_server_name(inputs)
        names = ("backup_destination_path", "backup_endpoint_url")
        server_from = "backup_server_name"
    else:
        destination = inputs.recovery_source_destination_path
        endpoint = inputs.recovery_source_endpoint_url
        server = recovery_source_server_name(inputs)
        names = ("recovery_source_destination_path", "recovery_source_endpoint_url")
        server_from = "recovery_source_server_name"
    missing = [
        name for name, value in zip(names, (destination, endpoint), strict=True) if value is None
    ]
    if endpoint_url is not None and names[1] in missing:
        missing.remove(names[1])
    if missing:
        raise UsageError(
            f"--source {which}: the inputs set no {' or '.join(missing)}; expected the inputs "
            "file of the cluster (--inputs FILE)"
        )
    return Archive(
        destination_path=destination or "",
        server_name=server_name or server,
        endpoint_url=endpoint_url or endpoint or "",
        checksum_when_required=inputs.backup_s3_checksum_when_required,
        server_name_from="--server-name" if server_name else server_from,
        destination_path_from=names[0],
    )


def read_credentials(
    environ: Mapping[str, str], path: Path | None, *, iam_role: bool = False
) -> S3Access:
    """From `path` (a mapping with ACCESS_KEY_ID and SECRET_ACCESS_KEY, or the
    Kubernetes Secret holding them); else, for an archive the cluster reads with its
    IAM role (`iam_role`), the AWS default chain as `environ` configures it; else from
    AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment. Messages name
    keys, never values."""
    if path is not None:
        return _from_file(path)
    if iam_role:
        return DefaultChain.from_environment(environ)
    if all(environ.get(key) for key in ENVIRONMENT_KEYS):
        return Credentials(
            environ["AWS_ACCESS_KEY_ID"],
            environ["AWS_SECRET_ACCESS_KEY"],
            environ.get("AWS_SESSION_TOKEN") or None,
        )
    raise UsageError(
        "credentials: expected AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, "
        "or --credentials-file FILE holding ACCESS_KEY_ID and SECRET_ACCESS_KEY (a mapping, "
        "or the Kubernetes Secret the cluster reads)"
    )


def _from_file(path: Path) -> Credentials:
    where = f"--credentials-file {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{where}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{where}: cannot read ({type(error).__name__})") from None
    try:
        data = load_yaml_text(text)
    except ValueError:
        # The parser's message may quote the file's text: say only that it is unreadable.
        raise UsageError(f"{where}: expected YAML or JSON") from None
    if not isinstance(data, dict):
        raise UsageError(f"{where}: expected a mapping of ACCESS_KEY_ID and SECRET_ACCESS_KEY")
    values = _secret_values(data, where) if data.get("kind") == "Secret" else data
    found = {key: values.get(key) for key in SECRET_KEYS}
    absent = [key for key, value in found.items() if not isinstance(value, str) or not value]
    if absent:
        raise UsageError(f"{where}: expected {' and '.join(absent)} (non-empty strings)")
    return Credentials(str(found["ACCESS_KEY_ID"]), str(found["SECRET_ACCESS_KEY"]))


def _secret_values(secret: Mapping[str, object], where: str) -> dict[str, object]:
    """A Kubernetes Secret's keys: stringData as is, data decoded from base64."""
    values: dict[str, object] = {}
    data = secret.get("data") or {}
    if isinstance(data, dict):
        for key, value in data.items():
            try:
                values[str(key)] = base64.b64decode(str(value), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                raise UsageError(f"{where}: data.{key}: expected base64") from None
    string_data = secret.get("stringData") or {}
    if isinstance(string_data, dict):
        values.update({str(key): value for key, value in string_data.items()})
    return values
