"""Connecting to the cluster and finding the API resource for each object.

Built-in kinds come from lightkube's models; custom kinds are defined from
their CustomResourceDefinition once the server reports it Established (watched,
not polled), so a custom resource is never sent before its CRD can serve it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx2
from lightkube import ApiError, Client, ConfigError, KubeConfig
from lightkube.core.exceptions import LoadResourceError
from lightkube.core.resource import NamespacedResource, NamespacedResourceG
from lightkube.core.resource_registry import resource_registry
from lightkube.generic_resource import create_resources_from_crd
from lightkube.resources.apiextensions_v1 import CustomResourceDefinition

from .errors import ClusterError
from .retry import Notify, RetryingClient, RetryPolicy, policy_of, warn

# A lightkube resource class. Any: the client's overloads want the concrete
# global or namespaced class, which is only known at run time.
ResourceType = Any


def connect(
    kubeconfig: Path | None,
    context: str | None,
    field_manager: str,
    *,
    retry: RetryPolicy | None = None,
    notify: Notify = warn,
) -> Client:
    """A client for kubeconfig (default: $KUBECONFIG or ~/.kube/config) and context,
    retrying transient failures as `retry` says."""
    try:
        config = KubeConfig.from_file(kubeconfig) if kubeconfig else KubeConfig.from_env()
        single = config.get(context)
    except (ConfigError, OSError) as exc:
        where = str(kubeconfig) if kubeconfig else "the default kubeconfig"
        raise ClusterError(f"cannot load {where}: {exc}") from exc
    if single is None:
        raise ClusterError("the kubeconfig has no current context: pass --context")
    return RetryingClient(
        config=single,
        field_manager=field_manager,
        timeout=httpx2.Timeout(30.0),
        retry=retry,
        notify=notify,
    )


def _established(crd: Any) -> bool:
    conditions = crd.status.conditions if crd.status and crd.status.conditions else []
    return any(c.type == "Established" and c.status == "True" for c in conditions)


def _serves(crd: Any, group: str, version: str, kind: str) -> bool:
    spec = crd.spec
    return (
        spec.group == group
        and spec.names.kind == kind
        and any(v.name == version and v.served for v in spec.versions)
    )


class Resources:
    """Maps apiVersion/kind to a lightkube resource type, waiting for CRDs."""

    def __init__(self, client: Client, *, crd_timeout: float) -> None:
        self._client = client
        self._crd_timeout = crd_timeout
        self._cache: dict[tuple[str, str], ResourceType] = {}

    def for_kind(self, api_version: str, kind: str, *, wait: bool = True) -> ResourceType | None:
        """The resource type; None only when wait is False and no CRD serves it."""
        key = (api_version, kind)
        if key not in self._cache:
            resolved = self._resolve(api_version, kind, wait=wait)
            if resolved is None:
                return None
            self._cache[key] = resolved
        return self._cache[key]

    def require(self, api_version: str, kind: str) -> ResourceType:
        found = self.for_kind(api_version, kind)
        assert found is not None  # for_kind(wait=True) raises instead
        return found

    def _resolve(self, api_version: str, kind: str, *, wait: bool) -> ResourceType | None:
        try:
            return resource_registry.load(api_version, kind)
        except LoadResourceError:
            pass
        group, _, version = api_version.rpartition("/")
        crd = self._find_crd(group, version, kind, timeout=self._crd_timeout if wait else 0.0)
        if crd is None:
            return None
        create_resources_from_crd(crd)
        return resource_registry.get(api_version, kind)

    def _find_crd(self, group: str, version: str, kind: str, *, timeout: float) -> Any:
        """The Established CRD serving group/version/kind, waiting at most timeout
        (by watching the CRDs from the version the list was read at).

        With timeout 0 a missing CRD gives None; otherwise it is an error.
        """
        deadline = time.monotonic() + timeout
        try:
            listed = self._client.list(CustomResourceDefinition)
            crds = list(listed)
        except ApiError as exc:
            raise ClusterError(f"cannot list CustomResourceDefinitions: {exc}") from exc
        except httpx2.HTTPError as exc:
            raise ClusterError(f"cannot reach the API server: {exc}") from exc
        serving = [crd for crd in crds if _serves(crd, group, version, kind)]
        found = next((crd for crd in serving if _established(crd)), None)
        seen = bool(serving)
        remaining = deadline - time.monotonic()
        if found is None and remaining > 0:
            found, seen_later = self._watch_crd(
                (group, version, kind), listed.resourceVersion, remaining
            )
            seen = seen or seen_later
        if found is not None:
            return found
        if timeout == 0 and not seen:
            return None
        state = "is not Established" if seen else "is not installed"
        raise ClusterError(
            f"the CustomResourceDefinition for {group}/{version} {kind} {state} "
            f"after {self._crd_timeout:g}s; install its operator first "
            "(apply installs CloudNativePG unless --skip-operator is given)"
        )

    def _watch_crd(
        self, gvk: tuple[str, str, str], resource_version: str, timeout: float
    ) -> tuple[Any, bool]:
        """Watch the CRDs until one serving gvk is Established: (it or None, whether
        one serving gvk was seen at all)."""
        from .watch import Watch

        retry, notify = policy_of(self._client)
        found: list[Any] = []
        seen: list[bool] = []

        def on_event(event: str, data: dict[str, Any]) -> bool:
            crd = CustomResourceDefinition.from_dict(data)
            if event == "DELETED" or not _serves(crd, *gvk):
                return False
            seen.append(True)
            if _established(crd):
                found.append(crd)
                return True
            return False

        watch = Watch(
            self._client.config,
            CustomResourceDefinition,
            resource_version=resource_version,
            retry=retry,
            notify=notify,
        )
        watch.until(on_event, timeout)
        return (found[0] if found else None), bool(seen)


def is_namespaced(resource: ResourceType) -> bool:
    return issubclass(resource, NamespacedResource | NamespacedResourceG)
