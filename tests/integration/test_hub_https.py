"""The hub behind HTTPS, as README shows it: Debian's nginx terminates TLS on loopback with
a self-signed certificate, the kiosk trusts it through hub.ca_file. Skipped where nginx
or openssl is not installed (apt-get install nginx-light)."""

import os
import ssl
import subprocess
import sys
import urllib.request
from datetime import datetime, timezone

import pytest

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.fake_log import fill_log
from tests.helpers.hub import register
from tests.helpers.paths import ROOT
from tests.helpers.tls import NGINX, OPENSSL, start_nginx

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (NGINX and OPENSSL), reason="nginx and openssl are needed (apt-get install nginx-light)"),
]


def _sync(data_dir, config, env):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "sync", "--retries", "0", "--data-dir", str(data_dir), "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **TEST_SECRETS, **env},
    )


def test_a_kiosk_syncs_through_nginx_over_https_and_refuses_the_http_redirect(tmp_path, hub_factory):
    hub = hub_factory(extra_args=["--trusted-proxy", "127.0.0.1"])
    token = register(hub.data_dir, "k1", "changhan")
    tls = tmp_path / "tls"
    nginx, tls_port, http_port = start_nginx(tls, hub.port)
    try:
        data = tmp_path / "kiosk"
        data.mkdir()
        head = fill_log(data / "kiosk.db", "kiosk-1", 50, datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp(), 86400)
        config = tmp_path / "kiosk.toml"
        config.write_text(f'[hub]\nurl = "https://localhost:{tls_port}/"\nca_file = "{tls / "hub.crt"}"\n')
        result = _sync(data, config, {"KIOSK_HUB_TOKEN": token})
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"up to seq {head} of {head}" in result.stdout
        assert hub.kiosk_state("k1")["acked"] == head
        # The token travels in a header: nginx's access log never sees it.
        assert token not in (tls / "access.log").read_text()
        # Without the certificate's CA, the kiosk does not talk to it.
        untrusted = tmp_path / "untrusted.toml"
        untrusted.write_text(f'[hub]\nurl = "https://localhost:{tls_port}/"\n')
        refused = _sync(data, untrusted, {"KIOSK_HUB_TOKEN": token})
        assert refused.returncode == 1 and "CERTIFICATE_VERIFY_FAILED" in refused.stderr
        # Plain http on loopback is allowed by the settings, but a redirect is never followed.
        redirect = tmp_path / "redirect.toml"
        redirect.write_text(f'[hub]\nurl = "http://127.0.0.1:{http_port}/"\n')
        redirected = _sync(data, redirect, {"KIOSK_HUB_TOKEN": token})
        assert redirected.returncode == 1 and "redirects (301)" in redirected.stderr
        # Behind the proxy (hub --trusted-proxy 127.0.0.1), the admin's cookie is Secure.
        context = ssl.create_default_context(cafile=str(tls / "hub.crt"))
        with urllib.request.urlopen(f"https://localhost:{tls_port}/hub/login", context=context, timeout=10) as page:
            assert "Secure" in page.headers["Set-Cookie"]
        with urllib.request.urlopen(f"{hub.url}/hub/login", timeout=10) as page:
            assert "Secure" not in page.headers["Set-Cookie"]  # plain http on loopback, straight to the hub
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        nginx.stderr.close()
