"""Fixtures of the browser tests: a shared live kiosk and Debian's Chromium."""

import pytest

from tests.helpers.paths import CHROMIUM, CHROMIUM_ARGS
from tests.helpers.servers import LiveKiosk


@pytest.fixture(scope="session")
def live_kiosk(tmp_path_factory):
    """One demo kiosk shared by the browser tests that do not change its settings."""
    kiosk = LiveKiosk(tmp_path_factory.mktemp("live"))
    yield kiosk
    kiosk.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A 1920x1080 touch screen, as the kiosk's."""
    return {**browser_context_args, "viewport": {"width": 1920, "height": 1080}, "has_touch": True}
