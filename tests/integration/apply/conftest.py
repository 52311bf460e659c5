"""Fixtures of the apply tests: one real control plane per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kube_harness import ControlPlane, running_control_plane
from lightkube import Client


@pytest.fixture(scope="session")
def control_plane(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ControlPlane]:
    """etcd + kube-apiserver on free 127.0.0.1 ports with the upstream CRDs installed."""
    with running_control_plane(tmp_path_factory.mktemp("kube")) as plane:
        yield plane


@pytest.fixture
def kube(control_plane: ControlPlane) -> Iterator[Client]:
    """A client on the test server (field manager wildside-cnpg-tests)."""
    with control_plane.client() as client:
        yield client
