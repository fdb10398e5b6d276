"""Staff sign in behind HTTPS: headless Chromium, Debian's nginx terminating TLS as README's
"The hub behind HTTPS" shows it, the hub (and a kiosk) behind it with --trusted-proxy.

Every form a member of staff sends goes through TLS here: the sign-ins, a filter, the duty
panel's reset, the sign-outs, and an export is downloaded. Skipped where nginx or openssl
is not installed (apt-get install nginx-light)."""

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.helpers.credentials import HUB_SECRETS, TEST_SECRETS
from tests.helpers.paths import ROOT
from tests.helpers.servers import free_port, station_settings, wait_healthy
from tests.helpers.tls import NGINX, OPENSSL, start_nginx

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not (NGINX and OPENSSL), reason="nginx and openssl are needed (apt-get install nginx-light)"),
]


@pytest.fixture
def tls_proxy(tmp_path):
    """Start nginx with a self-signed certificate in front of a local port; returns its https URL."""
    started = []

    def start(upstream_port):
        nginx, tls_port, _http_port = start_nginx(tmp_path / f"tls-{len(started)}", upstream_port)
        started.append(nginx)
        return f"https://localhost:{tls_port}"

    yield start
    for nginx in started:
        nginx.terminate()
        nginx.wait(timeout=10)
        nginx.stderr.close()


@pytest.fixture
def kiosk_behind_proxy(tmp_path):
    """`python -m kiosk serve --trusted-proxy 127.0.0.1`, as it runs behind a local nginx."""
    data = tmp_path / "kiosk"
    data.mkdir()
    port = free_port()
    log_path = tmp_path / "kiosk.log"
    command = [sys.executable, "-m", "kiosk", "serve", "--port", str(port), "--data-dir", str(data)]
    command += ["--config", str(station_settings(tmp_path))]
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            [*command, "--trusted-proxy", "127.0.0.1"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **TEST_SECRETS},
        )
        try:
            wait_healthy(f"http://127.0.0.1:{port}", process, log_path)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def tls_page(browser):
    """A browser tab that accepts the test's self-signed certificate (and nothing else changed)."""
    context = browser.new_context(
        ignore_https_errors=True, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()


def test_the_hub_admin_signs_in_filters_and_signs_out_through_https(tls_page, hub_factory, tls_proxy):
    hub = hub_factory(extra_args=["--trusted-proxy", "127.0.0.1"])
    base = tls_proxy(hub.port)
    page = tls_page
    page.goto(base + "/hub")
    page.fill("#password", HUB_SECRETS["KIOSK_ADMIN_PASSWORD"])
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(re.compile(r"/hub$"))
    expect(page.get_by_role("form", name="ตัวกรอง")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "hub_session")
    assert cookie["secure"] and cookie["httpOnly"]

    with page.expect_response(lambda response: "/hub?" in response.url) as shown:
        page.get_by_role("form", name="ตัวกรอง").get_by_role("button", name="แสดง").click()
    assert shown.value.status == 200

    with page.expect_response(lambda response: response.url.endswith("/hub/logout")) as signed_out:
        page.get_by_role("button", name="ออกจากระบบ").click()
    assert signed_out.value.status == 302
    expect(page.get_by_role("heading", name="เข้าสู่ระบบผู้ดูแล")).to_be_visible()
    page.goto(base + "/hub")
    expect(page).to_have_url(re.compile(r"/hub/login"))


def test_the_kiosk_admin_and_duty_officer_work_through_https(tls_page, kiosk_behind_proxy, tls_proxy):
    base = tls_proxy(kiosk_behind_proxy)
    page = tls_page
    # A citizen's tap (htmx, CSRF in a header) is recorded through TLS too.
    page.goto(base + "/home")
    with page.expect_response(lambda response: response.url.endswith("/satisfaction")) as answer:
        page.locator(".faces button[value='5']").click()
    assert answer.value.status == 200

    page.goto(base + "/duty")
    page.fill("#pin", TEST_SECRETS["KIOSK_DUTY_PIN"])
    page.locator(".pin-ok").click()
    page.get_by_role("button", name="รีเซ็ตหน้าจอตู้บริการ").click()
    expect(page.get_by_role("status")).to_contain_text("ส่งคำสั่งรีเซ็ตแล้ว")

    page.goto(base + "/admin")
    page.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(re.compile(r"/admin$"))
    expect(page.locator(".kpi").first).to_contain_text("1")
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    assert cookie["secure"]  # the kiosk believed its proxy: this was HTTPS all the way
    with page.expect_download() as download_info:
        page.locator(".exports a", has_text="Excel").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert download.path().read_bytes()[:2] == b"PK"  # a real workbook, not an error page

    with page.expect_response(lambda response: response.url.endswith("/admin/logout")) as signed_out:
        page.get_by_role("button", name="ออกจากระบบ").click()
    assert signed_out.value.status == 302
    expect(page.get_by_role("heading", name="เข้าสู่ระบบผู้ดูแล")).to_be_visible()
    page.goto(base + "/admin")
    expect(page).to_have_url(re.compile(r"/admin/login"))
