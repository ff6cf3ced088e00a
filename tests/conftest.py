"""Fixtures shared by every test layer: the local AWS endpoint, started once per test process."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tests.helpers.endpoint import LocalEndpoint  # noqa: E402


@pytest.fixture(scope="session")
def local_aws(tmp_path_factory):
    endpoint = LocalEndpoint(tmp_path_factory.mktemp("endpoint"))
    yield endpoint
    endpoint.stop()


@pytest.fixture
def ssm(local_aws):
    return local_aws.client("ssm")
