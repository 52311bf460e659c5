"""Connecting to the cluster and finding the API resource for each object.

Built-in kinds come from lightkube's models; custom kinds are defined from
their CustomResourceDefinition once the server reports it Established (watched,
not polled), so a custom resource is never sent before its CRD can serve it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import httpx2
from lightkube import ApiError, Client, ConfigError, KubeConfig
from lightkube.config.kubeconfig import DEFAULT_KUBECONFIG, SingleConfig
from lightkube.core.exceptions import LoadResourceError
from lightkube.core.resource import NamespacedResource, NamespacedResourceG
from lightkube.core.resource_registry import resource_registry
from lightkube.generic_resource import create_resources_from_crd
from lightkube.resources.apiextensions_v1 import CustomResourceDefinition

from ..yamlload import MANIFEST_LIMITS, YAMLInputError, load_one, read_limited, shorten
from .errors import ClusterError
from .retry import Notify, RetryingClient, RetryPolicy, policy_of, warn

# A lightkube resource class. Any: the client's overloads want the concrete
# global or namespaced class, which is only known at run time.
ResourceType = Any

# The exec credential plugin API versions lightkube's ExecAuth runs.
EXEC_API_VERSIONS = frozenset(
    {"client.authentication.k8s.io/v1alpha1", "client.authentication.k8s.io/v1beta1"}
)


def _read_kubeconfig(path: Path) -> KubeConfig:
    """A kubeconfig file read with the safe loader: an error names the file and the
    line, never the line's text (it may hold a token)."""
    where = str(path)
    try:
        with path.expanduser().open("rb") as stream:
            data = load_one(read_limited(stream, MANIFEST_LIMITS), MANIFEST_LIMITS)
    except FileNotFoundError:
        raise ClusterError(f"cannot load {where}: no such file") from None
    except OSError as error:
        raise ClusterError(f"cannot load {where}: {error.strerror}") from None
    except YAMLInputError as error:
        raise ClusterError(f"cannot load {where}: {error}") from None
    if not isinstance(data, dict):
        raise ClusterError(f"cannot load {where}: expected a mapping (a kubeconfig)")
    try:
        return KubeConfig.from_dict(data, fname=path.expanduser())
    except KeyError as error:
        raise ClusterError(f"cannot load {where}: no {error.args[0]!r} in it") from None
    except (ConfigError, TypeError, ValueError, AttributeError) as error:
        raise ClusterError(
            f"cannot load {where}: not a valid kubeconfig ({type(error).__name__})"
        ) from None


def _kubeconfig(path: Path | None) -> KubeConfig:
    """`path`, else lightkube's own search: the in-cluster service account, then
    $KUBECONFIG, then ~/.kube/config."""
    if path is not None:
        return _read_kubeconfig(path)
    try:
        return KubeConfig.from_service_account()
    except (ConfigError, KeyError, OSError):
        pass
    return _read_kubeconfig(Path(os.environ.get("KUBECONFIG") or DEFAULT_KUBECONFIG))


def _context(config: KubeConfig, context: str | None) -> SingleConfig:
    where = str(config.fname) if config.fname else "the in-cluster configuration"
    try:
        single = config.get(context)
    except ConfigError as error:
        raise ClusterError(f"cannot load {where}: {shorten(str(error))}") from None
    except KeyError as error:
        raise ClusterError(
            f"cannot load {where}: context {context or config.current_context!r} names "
            f"{error.args[0]!r}, which the kubeconfig does not define"
        ) from None
    if single is None:
        raise ClusterError("the kubeconfig has no current context: pass --context")
    return single


def _check_exec(single: SingleConfig) -> None:
    plugin = single.user.exec if single.user else None
    if plugin is not None and plugin.apiVersion not in EXEC_API_VERSIONS:
        raise ClusterError(
            f"kubeconfig: context {single.context_name!r} authenticates with an exec plugin "
            f"({shorten(plugin.command, 200)}) of API version {shorten(str(plugin.apiVersion))}, "
            "which lightkube, the client wildside-cnpg uses, cannot run (it runs "
            f"{' and '.join(sorted(EXEC_API_VERSIONS))}); use a context with a token or a "
            "client certificate"
        )


class _GuardedAuth(httpx2.Auth):
    """lightkube's authentication, with its failures (an exec plugin that is missing,
    fails, or answers something other than an ExecCredential) as one ClusterError."""

    def __init__(self, inner: httpx2.Auth) -> None:
        self.inner = inner
        self.requires_request_body = inner.requires_request_body
        self.requires_response_body = inner.requires_response_body

    def sync_auth_flow(
        self, request: httpx2.Request
    ) -> Generator[httpx2.Request, httpx2.Response, None]:
        flow = self.inner.sync_auth_flow(request)
        try:
            outgoing = next(flow)
            while True:
                response = yield outgoing
                outgoing = flow.send(response)
        except StopIteration:
            return
        except ConfigError as error:
            raise ClusterError(f"kubeconfig authentication failed: {_first_line(error)}") from None
        except FileNotFoundError as error:
            raise ClusterError(
                f"kubeconfig: the exec plugin {shorten(str(error.filename), 200)} is not installed"
            ) from None
        except OSError as error:
            raise ClusterError(f"kubeconfig: the exec plugin failed: {error.strerror}") from None
        except json.JSONDecodeError:
            raise ClusterError(
                "kubeconfig: the exec plugin did not answer with JSON (an ExecCredential)"
            ) from None
        except (KeyError, TypeError):
            raise ClusterError(
                "kubeconfig: the exec plugin's answer has no status.token (an ExecCredential)"
            ) from None


def _first_line(error: Exception) -> str:
    return shorten(str(error).strip().splitlines()[0] if str(error).strip() else "", 120)


def _check_error_answer(response: httpx2.Response) -> None:
    """An error answer must be a Kubernetes Status (JSON) for lightkube to read it;
    anything else (a proxy's page, no content type) is one ClusterError here."""
    if not response.is_error:
        return
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        response.read()
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        if isinstance(body, dict):
            # lightkube compares the header exactly (a charset parameter defeats it).
            response.headers["content-type"] = "application/json"
            return
    raise ClusterError(
        f"the API server answered HTTP {response.status_code} "
        f"{shorten(response.reason_phrase, 40)} to {response.request.method} "
        f"{shorten(response.request.url.path, 80)} without a Kubernetes Status "
        f"({shorten(media, 40) or 'no content type'}); is the kubeconfig's server an API server?"
    )


def connect(
    kubeconfig: Path | None,
    context: str | None,
    field_manager: str,
    *,
    retry: RetryPolicy | None = None,
    notify: Notify = warn,
) -> Client:
    """A client for kubeconfig (default: in-cluster, $KUBECONFIG, ~/.kube/config) and
    context, retrying transient failures as `retry` says. Authentication failures and
    answers that are not Kubernetes Statuses become ClusterErrors (exit 5) instead of
    lightkube's exceptions."""
    single = _context(_kubeconfig(kubeconfig), context)
    _check_exec(single)
    try:
        client = RetryingClient(
            config=single,
            field_manager=field_manager,
            timeout=httpx2.Timeout(30.0),
            retry=retry,
            notify=notify,
        )
    except (ConfigError, OSError, ValueError) as error:
        raise ClusterError(f"kubeconfig: {_first_line(error)}") from None
    # lightkube keeps its httpx client private; these are httpx's public settings.
    http = getattr(getattr(client, "_client", None), "_client", None)
    if isinstance(http, httpx2.Client):
        if http.auth is not None:
            http.auth = _GuardedAuth(http.auth)
        hooks = http.event_hooks
        http.event_hooks = {**hooks, "response": [*hooks.get("response", []), _check_error_answer]}
    return client


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
