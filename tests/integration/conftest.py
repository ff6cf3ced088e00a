"""Fixtures of the integration tests beside the shared endpoint of tests/conftest.py."""

import pytest

from tests.helpers.endpoint import LocalEndpoint


@pytest.fixture
def account(tmp_path, monkeypatch):
    """An endpoint of its own: the seed models use fixed names, so each test gets an empty account."""
    # AWS has its managed policies (AmazonSSMManagedInstanceCore); moto loads them only when asked.
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    endpoint = LocalEndpoint(tmp_path)
    yield endpoint
    endpoint.stop()
