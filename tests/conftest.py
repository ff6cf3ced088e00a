"""Fixtures shared by every test layer: the local AWS endpoint, started once per test process."""

import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# `make setup` links the checkout as .collections/ansible_collections/patchmodel/ssm; import it from there.
sys.path.insert(0, str(REPO / ".collections"))

from tests.helpers.endpoint import LocalEndpoint  # noqa: E402


@pytest.fixture(scope="session")
def local_aws(tmp_path_factory):
    endpoint = LocalEndpoint(tmp_path_factory.mktemp("endpoint"))
    yield endpoint
    endpoint.stop()


@pytest.fixture
def ssm(local_aws):
    return local_aws.client("ssm")
