"""`kiosk serve` on the station network: refused with staff pages over plain HTTP."""

import os
import subprocess
import sys

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.paths import ROOT
from tests.helpers.servers import free_port


def test_serve_refuses_the_network_while_staff_pages_are_plain_http(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "serve", "--host", "0.0.0.0", "--port", str(free_port())]
        + ["--data-dir", str(tmp_path / "data")],
        cwd=ROOT,
        env={**os.environ, **TEST_SECRETS},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Settings error: --host 0.0.0.0" in result.stderr
    assert 'staff_pages = "this_machine"' in result.stderr
