"""The shape of one render, decided once from the inputs.

Which objects and files exist, under which names, in which Flux layer, and where
each credential comes from: everything that is a decision rather than a document.
The tree, the builders, the outputs and the plan read it; builders only shape
documents and never decide whether something exists.

The tree is made of *units*, each a directory whose `kustomization.yaml` lists only
what the root of the GitOps repository should apply:

    platform/databases/operator/             the operator unit: its Flux Kustomization,
        layer/                               and the layer it applies (chart sources,
                                             HelmReleases)
    platform/databases/namespaces/<ns>/      a Namespace, applied by the root itself
    platform/databases/clusters/<cluster>/   a cluster unit: its Flux Kustomizations,
        credentials/ cluster/ addons/        and the layers they apply

A directory with a `kustomization.yaml` is one resource to kustomize and to Flux's
generated kustomizations, which do not descend into it. So a root at any ancestor of
the tree (`./`, `./platform`, `./platform/databases`, ...) reaches each unit's entry
and nothing else, and every object is reached from exactly one Flux Kustomization.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from .inputs import Inputs
from .inputs.derived import (
    backup_server_name,
    database_resource_name,
    eso_app_secret,
    eso_superuser_secret,
    image_name,
    recovery_source_server_name,
    replica_budget_name,
    role_secret_name,
    scheduled_backup_name,
    tls_server_secret,
)
from .inputs.service_names import PoolerType, default_service, pooler_kinds, pooler_name
from .inputs.types import image_tag
from .versions import BackupMethod

if TYPE_CHECKING:
    from .inputs.compiled import ServiceSettings

POSTGRES_PORT = 5432
ROOT_DIR = "platform/databases"
OPERATOR_UNIT = f"{ROOT_DIR}/operator"
NAMESPACES_DIR = f"{ROOT_DIR}/namespaces"
CLUSTERS_DIR = f"{ROOT_DIR}/clusters"
KUSTOMIZATION_FILE = "kustomization.yaml"

Layer = Literal["operator", "credentials", "cluster", "addons"]
# Where barman-cloud's S3 credentials come from: a Secret (ESO's from Vault, one the
# user manages, or the tree's plaintext one for inline keys), or no Secret at all: the
# IAM role of the instance pods (s3Credentials.inheritFromIAMRole).
CredentialSource = Literal["vault", "secret", "inline", "iam_role"]
BudgetSource = Literal["cnpg", "custom", "none"]
Content = Literal[
    "kustomization",
    "flux-kustomizations",
    "namespace",
    "chart-sources",
    "operator-release",
    "plugin-release",
    "cluster",
    "budgets",
    "scheduled-backup",
    "object-store",
    "s3-secret",
    "external-secret-app",
    "external-secret-superuser",
    "external-secret-backup",
    "pod-monitor",
    "poolers",
    "certificate",
    "prometheus-rule",
    "recovery-object-store",
    "external-secret-recovery",
    "databases",
    "external-secrets-roles",
]
Bootstrap = Literal["initdb", "recovery"]
# recoveryTarget fields of CNPG, one at most (the inputs validate that).
RecoveryTargetField = Literal[
    "targetTime", "targetLSN", "targetXID", "targetName", "targetImmediate"
]
# Extensions PostGIS ships, all versioned like PostGIS itself (fuzzystrmatch is
# PostgreSQL's and keeps its own version).
POSTGIS_FAMILY = frozenset(
    {
        "postgis",
        "postgis_topology",
        "postgis_raster",
        "postgis_sfcgal",
        "postgis_tiger_geocoder",
        "address_standardizer",
        "address_standardizer_data_us",
    }
)
# A CloudNativePG PostGIS tag such as 16.14-3.6.4-202608031108-system-trixie: the
# PostgreSQL version, then PostGIS's.
_POSTGIS_TAG = re.compile(r"[0-9]+(?:\.[0-9]+)?-([0-9]+\.[0-9]+\.[0-9]+)(?:-.*)?")


@dataclass(frozen=True)
class Chart:
    """A Helm chart the operator layer installs and the Flux source serving it."""

    release: str
    chart: str
    version: str
    source: str  # the HelmRepository (shared) or OCIRepository (one per chart) name


@dataclass(frozen=True)
class BackupShape:
    method: BackupMethod
    credentials: CredentialSource
    secret: str | None  # the Secret barman-cloud reads the S3 keys from; None: the IAM role
    object_store: str | None  # the plugin's ObjectStore
    destination_path: str
    endpoint_url: str
    server_name: str  # the archive's folder under destination_path
    scheduled_backup: str

    @property
    def uses_plugin(self) -> bool:
        return self.method == "barman_cloud_plugin"


@dataclass(frozen=True)
class RecoveryShape:
    """Where a new cluster recovers from: an `externalClusters` entry (`source`) read
    in-tree (`barmanObjectStore`) or through the plugin (an ObjectStore of its own)."""

    method: BackupMethod
    credentials: Literal["vault", "secret", "iam_role"]
    secret: str | None  # the Secret with the source's S3 keys; None: the IAM role
    source: str  # the externalClusters entry bootstrap.recovery.source names
    object_store: str | None  # the plugin's ObjectStore for the source
    destination_path: str
    endpoint_url: str
    server_name: str
    backup_id: str | None
    target: tuple[RecoveryTargetField, str | bool] | None

    @property
    def uses_plugin(self) -> bool:
        return self.method == "barman_cloud_plugin"


@dataclass(frozen=True)
class Resources:
    """Requests and limits of a container, as Kubernetes spells them."""

    requests: dict[str, str]
    limits: dict[str, str]

    @property
    def guaranteed(self) -> bool:
        return self.requests == self.limits

    def as_kubernetes(self) -> dict[str, dict[str, str]]:
        return {"requests": dict(self.requests), "limits": dict(self.limits)}


@dataclass(frozen=True)
class Budgets:
    """Who protects the instances from voluntary disruptions.

    cnpg: CNPG's own (`enablePDB`), `<cluster>-primary` and, from three instances,
    `<cluster>` over the replicas with minAvailable instances - 2. custom: the tree's
    pair with disjoint selectors, CNPG's off. none: a single instance, where a budget
    would block every drain of its node."""

    source: BudgetSource
    primary: str | None
    replicas: str | None
    min_available: int | None


@dataclass(frozen=True)
class DatabaseShape:
    """A PostgreSQL database a CNPG Database resource manages."""

    resource: str  # the Database object's name
    name: str
    owner: str
    extensions: tuple[tuple[str, str | None], ...]  # (name, version or None)
    secret: str  # the Secret with the owner's credentials
    application: bool  # the database initdb created


@dataclass(frozen=True)
class RoleShape:
    """A managed role (spec.managed.roles) owning extra databases."""

    name: str
    secret: str  # its password Secret (basic-auth, username = name)
    vault_path: str | None  # where an ExternalSecret fetches the password, if any
    database: str  # the first database it owns, the Secret's dbname


@dataclass(frozen=True)
class PoolerShape:
    """A PgBouncer Pooler; CNPG names its Deployment and its Service after it."""

    name: str
    type: PoolerType
    budget: str | None  # its PodDisruptionBudget, from two PgBouncer pods on
    # Its Service's settings (spec.serviceTemplate); None: CNPG's ClusterIP.
    service: ServiceSettings | None


@dataclass(frozen=True)
class TlsShape:
    """The server certificate cert-manager issues, and what spec.certificates names."""

    certificate: str
    secret: str  # serverTLSSecret: tls.crt, tls.key (and ca.crt) written by cert-manager
    ca_secret: str  # serverCASecret: the ca.crt clients verify the server with
    client_ca_secret: str | None  # clientCASecret; None: CNPG's own <cluster>-ca
    dns_names: tuple[str, ...]


@dataclass(frozen=True)
class FluxLayer:
    """A Flux Kustomization and the directory it applies."""

    layer: Layer
    name: str
    directory: str
    depends_on: tuple[str, ...]  # NAME or NAMESPACE/NAME


@dataclass(frozen=True)
class File:
    path: str
    content: Content
    layer: Layer | None = None  # None: applied by the repository's root
    subject: str = ""  # the namespace of a Namespace file

    @property
    def directory(self) -> str:
        return posixpath.dirname(self.path)


@dataclass(frozen=True)
class Shape:
    """Every decision of one render. Build it with `decide(inputs)`."""

    inputs: Inputs

    # Identity.
    @property
    def cluster(self) -> str:
        return self.inputs.cluster_name

    @property
    def namespace(self) -> str:
        return self.inputs.cluster_namespace

    @property
    def owner(self) -> str:
        """Who owns this render's files in a checkout: the cluster, NAMESPACE/NAME."""
        return f"{self.namespace}/{self.cluster}"

    # Services CNPG creates for every Cluster: -rw (the primary), -ro (replicas only:
    # no endpoints with one instance), -r (any instance); -ro and -r unless turned off.
    @property
    def primary_service(self) -> str:
        return default_service(self.cluster, "rw")

    @property
    def replica_service(self) -> str | None:
        if self.inputs.instances < 2 or "ro" in self.inputs.disabled_default_services:
            return None
        return default_service(self.cluster, "ro")

    @property
    def read_service(self) -> str | None:
        if "r" in self.inputs.disabled_default_services:
            return None
        return default_service(self.cluster, "r")

    @property
    def additional_services(self) -> tuple[str, ...]:
        """The Services of your own that CNPG keeps beside its own, by name."""
        return tuple(service.name for service in self.inputs.additional_services)

    def fqdn(self, service: str) -> str:
        return f"{service}.{self.namespace}.svc.{self.inputs.cluster_domain}"

    # Credentials: the Secret each consumer reads, whoever creates it.
    @property
    def eso(self) -> bool:
        return self.inputs.eso_enabled

    @property
    def app_secret(self) -> str:
        """ESO's target, or the `<cluster>-app` Secret CNPG generates without one."""
        return eso_app_secret(self.inputs) if self.eso else f"{self.cluster}-app"

    @property
    def superuser_secret(self) -> str | None:
        """ESO's target, or the one CNPG generates; None when superuser access is off."""
        if not self.inputs.enable_superuser_access:
            return None
        return eso_superuser_secret(self.inputs) if self.eso else f"{self.cluster}-superuser"

    # Databases and roles.
    @cached_property
    def postgis_version(self) -> str | None:
        """The version Database resources keep PostGIS at: the input, or the one in the
        image's tag (so PostGIS is updated with the image)."""
        if self.inputs.postgis_version is not None:
            return self.inputs.postgis_version
        match = _POSTGIS_TAG.fullmatch(image_tag(image_name(self.inputs)))
        return match.group(1) if match else None

    def _extensions(
        self, listed: tuple[tuple[str, str | None], ...]
    ) -> tuple[tuple[str, str | None], ...]:
        """The PostGIS extensions every database has from template1, then `listed`;
        PostGIS's own at postgis_version unless a version is given."""
        inputs = self.inputs
        bootstrap = (
            tuple((name, None) for name in inputs.postgis_extensions)
            if inputs.postgis_enabled
            else ()
        )
        version = self.postgis_version
        return tuple(
            (name, given if given is not None else (version if name in POSTGIS_FAMILY else None))
            for name, given in (*bootstrap, *listed)
        )

    def database_resource(self, name: str) -> str:
        return database_resource_name(self.inputs, name)

    @cached_property
    def roles(self) -> tuple[RoleShape, ...]:
        """The managed roles, by name: the owners of extra databases other than the
        application owner (initdb creates that one)."""
        # owner -> (first database, vault path, secret name), each the first one given
        owners: dict[str, tuple[str, str | None, str | None]] = {}
        for database in self.inputs.databases:
            owner = database.owner
            if owner == self.inputs.database_owner:
                continue
            first, vault, given = owners.get(owner, (database.name, None, None))
            owners[owner] = (
                first,
                vault or database.credentials_vault_path,
                given or database.credentials_secret_name,
            )
        found = {
            owner: RoleShape(owner, role_secret_name(self.inputs, owner, given), vault, first)
            for owner, (first, vault, given) in owners.items()
        }
        return tuple(found[name] for name in sorted(found))

    @cached_property
    def databases(self) -> tuple[DatabaseShape, ...]:
        """Every database a Database resource manages: the application database first
        (database_resource_enabled), then the extra ones by name."""
        inputs = self.inputs
        result: list[DatabaseShape] = []
        if inputs.database_resource_enabled:
            result.append(
                DatabaseShape(
                    self.database_resource(inputs.database_name),
                    inputs.database_name,
                    inputs.database_owner,
                    self._extensions(
                        tuple((e.name, e.version) for e in inputs.database_extensions)
                    ),
                    self.app_secret,
                    True,
                )
            )
        secrets = {role.name: role.secret for role in self.roles}
        for database in sorted(inputs.databases, key=lambda d: d.name):
            result.append(
                DatabaseShape(
                    self.database_resource(database.name),
                    database.name,
                    database.owner,
                    self._extensions(tuple((e.name, e.version) for e in database.extensions)),
                    secrets.get(database.owner, self.app_secret),
                    False,
                )
            )
        return tuple(result)

    @property
    def role_external_secrets(self) -> tuple[RoleShape, ...]:
        """The roles whose password an ExternalSecret fetches from Vault."""
        return tuple(role for role in self.roles if role.vault_path is not None) if self.eso else ()

    @cached_property
    def backup(self) -> BackupShape | None:
        inputs = self.inputs
        if not inputs.backup_enabled:
            return None
        if inputs.backup_s3_inherit_from_iam_role:
            source: CredentialSource = "iam_role"
        elif inputs.backup_credentials_vault_path is not None:
            source = "vault"
        elif inputs.backup_s3_credentials_secret_name is not None:
            source = "secret"
        else:
            source = "inline"
        plugin = inputs.backup_method == "barman_cloud_plugin"
        return BackupShape(
            method=inputs.backup_method,
            credentials=source,
            secret=None
            if source == "iam_role"
            else inputs.backup_s3_credentials_secret_name or f"{self.cluster}-s3-credentials",
            object_store=f"{self.cluster}-object-store" if plugin else None,
            destination_path=inputs.backup_destination_path or "",
            endpoint_url=inputs.backup_endpoint_url or "",
            server_name=backup_server_name(inputs),
            scheduled_backup=scheduled_backup_name(inputs),
        )

    @property
    def uses_plugin(self) -> bool:
        """Whether this cluster's backups (WAL archiving) go through the plugin."""
        return self.backup is not None and self.backup.uses_plugin

    @cached_property
    def recovery(self) -> RecoveryShape | None:
        inputs = self.inputs
        if not inputs.recovery_enabled:
            return None
        plugin = inputs.backup_method == "barman_cloud_plugin"
        source: Literal["vault", "secret", "iam_role"]
        if inputs.recovery_source_inherit_from_iam_role:
            source = "iam_role"
        elif inputs.recovery_source_credentials_vault_path is not None:
            source = "vault"
        else:
            source = "secret"
        return RecoveryShape(
            method=inputs.backup_method,
            credentials=source,
            secret=None
            if source == "iam_role"
            else inputs.recovery_source_s3_credentials_secret_name
            or f"{self.cluster}-recovery-s3-credentials",
            source="recovery-source",
            object_store=f"{self.cluster}-recovery-source" if plugin else None,
            destination_path=inputs.recovery_source_destination_path or "",
            endpoint_url=inputs.recovery_source_endpoint_url or "",
            server_name=recovery_source_server_name(inputs),
            backup_id=inputs.recovery_backup_id,
            target=self._recovery_target(),
        )

    def _recovery_target(self) -> tuple[RecoveryTargetField, str | bool] | None:
        inputs = self.inputs
        if inputs.recovery_target_time is not None:
            return ("targetTime", inputs.recovery_target_time)
        if inputs.recovery_target_lsn is not None:
            return ("targetLSN", inputs.recovery_target_lsn)
        if inputs.recovery_target_xid is not None:
            return ("targetXID", str(inputs.recovery_target_xid))
        if inputs.recovery_target_name is not None:
            return ("targetName", inputs.recovery_target_name)
        if inputs.recovery_target_immediate:
            return ("targetImmediate", True)
        return None

    @property
    def bootstrap(self) -> Bootstrap:
        """How CNPG creates the cluster: empty (initdb) or from a backup (recovery)."""
        return "recovery" if self.recovery is not None else "initdb"

    @property
    def needs_plugin(self) -> bool:
        """Whether this cluster reads or writes its object stores through the plugin."""
        return self.uses_plugin or (self.recovery is not None and self.recovery.uses_plugin)

    # The instance pods.
    @property
    def image(self) -> str:
        return image_name(self.inputs)

    @property
    def resources(self) -> Resources:
        inputs = self.inputs
        return Resources(inputs.resource_requests.model_dump(), inputs.resource_limits.model_dump())

    @property
    def sidecar_resources(self) -> Resources:
        """The Barman Cloud plugin's sidecar in each instance pod: without its own
        requests equal to limits, no pod of the cluster is Guaranteed."""
        inputs = self.inputs
        return Resources(
            inputs.barman_cloud_plugin_sidecar_resource_requests.model_dump(),
            inputs.barman_cloud_plugin_sidecar_resource_limits.model_dump(),
        )

    @cached_property
    def budgets(self) -> Budgets:
        inputs = self.inputs
        if inputs.pdb_enabled:
            replicas = replica_budget_name(inputs)
            return Budgets(
                "custom",
                f"{replicas}-primary",
                replicas if inputs.instances >= 3 else None,
                (inputs.pdb_min_available or inputs.instances - 2)
                if inputs.instances >= 3
                else None,
            )
        if inputs.instances < 2:
            return Budgets("none", None, None, None)
        return Budgets(
            "cnpg",
            f"{self.cluster}-primary",
            self.cluster if inputs.instances >= 3 else None,
            inputs.instances - 2 if inputs.instances >= 3 else None,
        )

    # PgBouncer in front of the -rw (and -ro) services.
    @cached_property
    def poolers(self) -> tuple[PoolerShape, ...]:
        inputs = self.inputs
        types = pooler_kinds(inputs.pooler_enabled, inputs.pooler_read_only_enabled)
        # A budget over a single PgBouncer pod would only ever allow its eviction.
        budgeted = inputs.pooler_instances >= 2
        poolers = []
        for kind in types:
            name = pooler_name(self.cluster, kind)
            service = inputs.pooler_service
            if kind == "ro" and inputs.pooler_read_only_service is not None:
                service = inputs.pooler_read_only_service
            poolers.append(PoolerShape(name, kind, name if budgeted else None, service))
        return tuple(poolers)

    def pooler(self, kind: PoolerType) -> PoolerShape | None:
        return next((pooler for pooler in self.poolers if pooler.type == kind), None)

    @property
    def default_services(self) -> tuple[str, ...]:
        """CNPG's default Services that are on (-ro even without replicas)."""
        disabled = self.inputs.disabled_default_services
        return (
            self.primary_service,
            *(default_service(self.cluster, s) for s in ("r", "ro") if s not in disabled),
        )

    def dns_names(self, *services: str) -> tuple[str, ...]:
        """Every name a client in the cluster may reach these Services by."""
        return tuple(
            name
            for service in services
            for name in (
                service,
                f"{service}.{self.namespace}",
                f"{service}.{self.namespace}.svc",
                self.fqdn(service),
            )
        )

    # The server certificate from cert-manager.
    @cached_property
    def tls(self) -> TlsShape | None:
        inputs = self.inputs
        if not inputs.tls_enabled:
            return None
        secret = tls_server_secret(inputs)
        # CNPG's own names, and the poolers' after its default Services' (the order of
        # the first release, so that an existing Certificate does not change).
        names = (
            *self.dns_names(
                *self.default_services,
                *(pooler.name for pooler in self.poolers),
                *self.additional_services,
            ),
            *inputs.tls_server_alt_dns_names,
        )
        return TlsShape(
            certificate=secret,
            secret=secret,
            ca_secret=inputs.tls_ca_secret_name or secret,
            client_ca_secret=inputs.tls_client_ca_secret_name,
            dns_names=names,
        )

    # Prometheus Operator objects (the add-ons layer).
    @property
    def monitoring_namespace(self) -> str:
        return self.inputs.monitoring_namespace or self.namespace

    @property
    def alert_rule(self) -> str | None:
        """The PrometheusRule, when alerts are on."""
        return f"{self.cluster}-alerts" if self.inputs.alerts_enabled else None

    # The operator and its charts.
    @property
    def owns_operator(self) -> bool:
        return self.inputs.operator_install == "own"

    @property
    def uses_oci(self) -> bool:
        return self.inputs.chart_repository.startswith("oci://")

    @property
    def chart_sources_namespace(self) -> str:
        """Where the chart sources live: flux_namespace, or beside the HelmReleases when
        Flux refuses references across namespaces (helm-controller's
        --no-cross-namespace-refs)."""
        inputs = self.inputs
        if inputs.flux_helm_repository_namespace is not None:
            return inputs.flux_helm_repository_namespace
        if inputs.flux_cross_namespace_refs:
            return inputs.flux_namespace
        return inputs.operator_namespace

    @cached_property
    def operator_chart(self) -> Chart:
        inputs = self.inputs
        return Chart(
            inputs.helm_release_name,
            inputs.chart_name,
            inputs.chart_version,
            inputs.flux_helm_repository_name,
        )

    @cached_property
    def plugin_chart(self) -> Chart | None:
        """The Barman Cloud plugin, installed with the operator when this cluster's
        backups use it or when asked (for other clusters, or while leaving it)."""
        inputs = self.inputs
        wanted = inputs.barman_cloud_plugin_install
        if wanted is None:
            wanted = self.needs_plugin
        if not wanted:
            return None
        source = inputs.flux_helm_repository_name
        return Chart(
            inputs.barman_cloud_plugin_release_name,
            inputs.barman_cloud_plugin_chart_name,
            inputs.barman_cloud_plugin_chart_version,
            f"{source}-{inputs.barman_cloud_plugin_chart_name}" if self.uses_oci else source,
        )

    @property
    def charts(self) -> tuple[Chart, ...]:
        """The charts this render installs (none unless it owns the operator)."""
        if not self.owns_operator:
            return ()
        plugin = self.plugin_chart
        return (self.operator_chart, *((plugin,) if plugin else ()))

    @property
    def namespaces(self) -> tuple[str, ...]:
        """Namespaces this render creates, the operator's first, without duplicates."""
        if not self.inputs.create_namespaces:
            return ()
        wanted = [self.namespace]
        if self.owns_operator:
            wanted.insert(0, self.inputs.operator_namespace)
        return tuple(dict.fromkeys(wanted))

    # Flux.
    @property
    def unit(self) -> str:
        """The cluster unit's directory."""
        return f"{CLUSTERS_DIR}/{self.cluster}"

    @property
    def operator_layer_name(self) -> str:
        return f"{self.inputs.helm_release_name}-operator"

    @cached_property
    def layers(self) -> dict[Layer, FluxLayer]:
        """The Flux Kustomizations of this render that have something to apply."""
        present = {file.layer for file in self._manifests}
        inputs = self.inputs
        extra = inputs.flux_depends_on
        waits_for_operator = (
            (self.operator_layer_name,) if inputs.operator_install != "external" else ()
        )
        candidates = (
            FluxLayer(
                "operator", self.operator_layer_name, f"{OPERATOR_UNIT}/layer", extra.operator
            ),
            FluxLayer(
                "credentials",
                f"{self.cluster}-credentials",
                f"{self.unit}/credentials",
                extra.credentials,
            ),
            FluxLayer(
                "cluster",
                f"{self.cluster}-cluster",
                f"{self.unit}/cluster",
                (*waits_for_operator, *extra.cluster),
            ),
            FluxLayer("addons", f"{self.cluster}-addons", f"{self.unit}/addons", extra.addons),
        )
        return {layer.layer: layer for layer in candidates if layer.layer in present}

    @cached_property
    def _manifests(self) -> tuple[File, ...]:
        """Every file holding objects, in the order of the tree's units."""
        files: list[File] = []
        if self.owns_operator:
            layer = f"{OPERATOR_UNIT}/layer"
            files.append(File(f"{layer}/chart-sources.yaml", "chart-sources", "operator"))
            files.append(
                File(f"{layer}/cnpg-operator-helmrelease.yaml", "operator-release", "operator")
            )
            if self.plugin_chart is not None:
                files.append(
                    File(
                        f"{layer}/barman-cloud-plugin-helmrelease.yaml",
                        "plugin-release",
                        "operator",
                    )
                )
        for name in self.namespaces:
            files.append(File(f"{NAMESPACES_DIR}/{name}/namespace.yaml", "namespace", None, name))
        backup = self.backup
        eso = self.eso
        credentials = f"{self.unit}/credentials"
        if eso:
            files.append(
                File(
                    f"{credentials}/external-secret-app.yaml", "external-secret-app", "credentials"
                )
            )
            if self.superuser_secret is not None:
                files.append(
                    File(
                        f"{credentials}/external-secret-superuser.yaml",
                        "external-secret-superuser",
                        "credentials",
                    )
                )
            if backup is not None and backup.credentials == "vault":
                files.append(
                    File(
                        f"{credentials}/external-secret-backup.yaml",
                        "external-secret-backup",
                        "credentials",
                    )
                )
            if self.role_external_secrets:
                files.append(
                    File(
                        f"{credentials}/external-secrets-roles.yaml",
                        "external-secrets-roles",
                        "credentials",
                    )
                )
            if self.recovery is not None and self.recovery.credentials == "vault":
                files.append(
                    File(
                        f"{credentials}/external-secret-recovery.yaml",
                        "external-secret-recovery",
                        "credentials",
                    )
                )
        if self.tls is not None:
            # cert-manager's CRD may be missing: never in the cluster layer.
            files.append(File(f"{credentials}/certificate.yaml", "certificate", "credentials"))
        cluster = f"{self.unit}/cluster"
        files.append(File(f"{cluster}/cluster.yaml", "cluster", "cluster"))
        if self.budgets.source == "custom":
            files.append(File(f"{cluster}/pdb.yaml", "budgets", "cluster"))
        if self.poolers:
            files.append(File(f"{cluster}/poolers.yaml", "poolers", "cluster"))
        if backup is not None:
            if backup.credentials == "inline":
                files.append(File(f"{cluster}/s3-credentials-secret.yaml", "s3-secret", "cluster"))
            if backup.uses_plugin:
                files.append(File(f"{cluster}/object-store.yaml", "object-store", "cluster"))
            files.append(File(f"{cluster}/scheduled-backup.yaml", "scheduled-backup", "cluster"))
        if self.recovery is not None and self.recovery.uses_plugin:
            files.append(
                File(f"{cluster}/recovery-object-store.yaml", "recovery-object-store", "cluster")
            )
        if self.databases:
            files.append(File(f"{cluster}/databases.yaml", "databases", "cluster"))
        if self.inputs.monitoring_enabled:
            files.append(File(f"{self.unit}/addons/podmonitor.yaml", "pod-monitor", "addons"))
        if self.alert_rule is not None:
            files.append(
                File(f"{self.unit}/addons/prometheus-rule.yaml", "prometheus-rule", "addons")
            )
        return tuple(files)

    @cached_property
    def files(self) -> tuple[File, ...]:
        """Every file of the tree, sorted by path: the manifests, each unit's Flux
        Kustomizations, and a kustomization.yaml in every directory that holds files."""
        files = list(self._manifests)
        if self.owns_operator:
            files.append(File(f"{OPERATOR_UNIT}/flux-kustomization.yaml", "flux-kustomizations"))
        files.append(File(f"{self.unit}/flux-kustomizations.yaml", "flux-kustomizations"))
        directories = {file.directory for file in files}
        files.extend(
            File(f"{directory}/{KUSTOMIZATION_FILE}", "kustomization") for directory in directories
        )
        return tuple(sorted(files, key=lambda file: file.path))

    def flux_layers_in(self, directory: str) -> tuple[FluxLayer, ...]:
        """The Flux Kustomizations a unit's entry directory declares, in layer order."""
        if directory == OPERATOR_UNIT:
            return tuple(layer for layer in self.layers.values() if layer.layer == "operator")
        return tuple(layer for layer in self.layers.values() if layer.layer != "operator")

    @property
    def git_repository_namespace(self) -> str | None:
        """The GitRepository's namespace when it is not the layers' own (their
        sourceRef then names it)."""
        namespace = self.inputs.flux_git_repository_namespace
        return None if namespace in (None, self.inputs.flux_namespace) else namespace

    def flux_path(self, directory: str) -> str:
        """A directory of the tree as a path inside the Git repository."""
        prefix = self.inputs.flux_path_prefix.rstrip("/")
        return f"{prefix}/{directory}" if prefix else f"./{directory}"


def decide(inputs: Inputs) -> Shape:
    return Shape(inputs)
