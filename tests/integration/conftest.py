"""Fixtures of the integration tests: real hub processes."""

import pytest

from tests.helpers.hub import HubProcess


@pytest.fixture
def hub_factory(tmp_path):
    """Start real hubs; each is stopped at the end of the test."""
    started = []

    def start(name="hub", **kwargs):
        hub = HubProcess(tmp_path / name, **kwargs)
        started.append(hub)
        return hub

    yield start
    for hub in started:
        hub.stop()
