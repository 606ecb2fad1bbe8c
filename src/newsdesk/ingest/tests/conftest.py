import pytest

from newsdesk.ingest.tests.helpers import LocalServer


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running
