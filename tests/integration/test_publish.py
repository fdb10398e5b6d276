"""The station's public pages: every QR code of the screens, printable pages and posters has
its page in the published folder; the statistics page is the public export; hub and admin."""

import html
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image, ImageDraw

from kiosk.app import create_app
from kiosk.cli import main
from kiosk.cli.publish import citizen_screens
from kiosk.config.settings import SettingsError, load_settings
from kiosk.content import pages
from kiosk.publish import build, check_folder, classify, publish
from kiosk.store.eventlog import EventLog
from kiosk.web.database import get_db
from tests.helpers.clock import FakeClock
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.forms import csrf_token

BASE = "https://changhan.roiet.police.go.th/onestop/"
OUTSIDE_HOSTS = {
    "itas.nacc.go.th",
    "ptm.police.go.th",
    "www.thaipoliceonline.go.th",
    "criminal.police.go.th",
    "wbs.nacc.go.th",
    "changhan.roiet.police.go.th",  # the station website's own home, outside the published folder
}
SECRET_COMMENT = "ความคิดเห็นลับ-ห้ามเผยแพร่-0812345678"
SVG_RE = re.compile(r"<svg [^>]*viewBox=\"0 0 (\d+) \1\"[^>]*>.*?</svg>", re.S)
RUN_RE = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\d+z")


def svg_codes(page_html):
    """Every QR code in a page, decoded from its drawing (rasterised, read by zxing-cpp)."""
    found = []
    for match in SVG_RE.finditer(page_html):
        svg, n = match.group(0), int(match.group(1))
        if 'class="qr"' not in svg:
            continue
        scale = 6
        image = Image.new("L", (n * scale, n * scale), 255)
        draw = ImageDraw.Draw(image)
        for x, y, w in RUN_RE.findall(svg):
            x, y, w = int(x), int(y), int(w)
            draw.rectangle([x * scale, y * scale, (x + w) * scale - 1, (y + 1) * scale - 1], fill=0)
        results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert len(results) == 1, "a QR code on the page does not decode"
        found.append(results[0].text)
    return found


def host(url):
    return url.split("/")[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo station's pages, published by the command a station runs."""
    root = tmp_path_factory.mktemp("publish")
    out = root / "site"
    result = CliRunner().invoke(
        main, ["publish", "--out", str(out), "--data-dir", str(root / "data")], env=TEST_SECRETS
    )
    assert result.exit_code == 0, result.output
    assert f"Upload the folder so that it answers at {BASE}" in result.output
    return out


def own_page(site, url):
    path = classify(url, BASE)
    assert path is not None, url
    assert (site / path).is_file(), f"{url}: no page {path} in the published folder"
    return path


def test_every_code_on_every_citizen_screen_and_printable_page_has_its_page(site, app):
    client = app.test_client()
    content = app.extensions["kiosk_content"]
    outside, phone_pages = set(), {}
    for lang in ("th", "en"):
        client.get(f"/home?lang={lang}")
        for screen in citizen_screens(content):
            page = client.get(screen).get_data(as_text=True)
            if screen == "/":
                client.get(f"/home?lang={lang}")
            codes = svg_codes(page)
            # what is drawn is what the page says it is
            assert sorted(codes) == sorted(html.unescape(d) for d in re.findall(r'data-qr="([^"]*)"', page))
            for url in codes:
                if url.startswith(BASE):
                    path = own_page(site, url)
                    # a screen in English points at the English page (the start screen is both)
                    if screen != "/":
                        assert path.startswith("en/") == (lang == "en"), (screen, lang, url)
                else:
                    outside.add(host(url))
            phone = re.search(r'class="phone-qr-code"[^>]*aria-label="[^:]*: ([^"]+)"', page)
            phone_pages[(screen, lang)] = phone and phone.group(1)
    assert outside <= OUTSIDE_HOSTS and {"itas.nacc.go.th", "ptm.police.go.th"} <= outside
    # the small "open this page on your phone" code: on every information screen, the same page
    assert phone_pages[("/manual", "th")] == BASE + "manual.html"
    assert phone_pages[("/policy", "en")] == BASE + "en/policy.html"
    assert phone_pages[("/manual/situation/lost", "th")] == BASE + "situations/lost.html"
    for screen in ("/", "/home", "/eservices", "/about", "/case-progress", "/eit"):
        assert phone_pages[(screen, "th")], screen
    # the service screen and the printed manual carry the service's own page
    bail = client.get("/manual/bail/print?lang=th").get_data(as_text=True)
    assert svg_codes(bail) == [BASE + "manual/bail.html"]
    # the EIT code screen shows one code only: the survey's
    assert svg_codes(client.get("/eit/qr/traffic").get_data(as_text=True)) == [app.config["KIOSK"].eit.url]


def test_every_code_on_every_poster_has_its_page(site):
    from kiosk.signage import load_job

    job = load_job()
    seen = set()
    for name in job.names:
        rendered = job.render(name, "A4", 80)
        codes = [b.text for page in rendered.pages for b in zxingcpp.read_barcodes(page.image)]
        assert sorted(codes) == sorted(job.poster(name).urls), name
        for url in codes:
            if url.startswith(BASE):
                own_page(site, url)
            else:
                assert host(url) in OUTSIDE_HOSTS, (name, url)
            seen.add(url)
    assert BASE + "manual.html" in seen and BASE + "manual/bail.html" in seen


def test_publish_check_finds_every_page_and_names_a_missing_one(site, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["publish", "--check", str(site)], env=TEST_SECRETS)
    assert result.exit_code == 0, result.output
    assert "Every code of the kiosk and the posters has its page." in result.output
    assert "outside  https://itas.nacc.go.th/go/eit/demo" in result.output
    assert "outside  https://ptm.police.go.th" in result.output
    assert f"ok       {BASE}en/manual/bail.html" in result.output
    # a folder with one page lost
    broken = tmp_path / "broken"
    import shutil

    shutil.copytree(site, broken)
    (broken / "manual" / "bail.html").unlink()
    result = runner.invoke(main, ["publish", "--check", str(broken)], env=TEST_SECRETS)
    assert result.exit_code == 1
    assert f"MISSING  {BASE}manual/bail.html" in result.output
    assert "screen /manual/bail (th)" in result.output and "poster manual-inquiry" in result.output
    assert runner.invoke(main, ["publish"]).exit_code == 2  # neither --out nor --check


def test_check_refuses_to_leave_the_folder(tmp_path):
    (tmp_path / "index.html").write_text("x")
    result = check_folder(tmp_path, [("a", BASE + "../secret.html"), ("b", BASE), ("c", "https://x.example/")], BASE)
    assert list(result.outside) == [BASE + "../secret.html", "https://x.example/"]
    assert list(result.found) == [BASE]


def test_pages_are_small_bilingual_scriptless_and_self_contained(site):
    html_files = sorted(site.rglob("*.html"))
    assert len(html_files) == 2 * (8 + 20 + 8 + 4)
    for path in html_files:
        relative = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8")
        lang = "en" if relative.startswith("en/") else "th"
        assert path.stat().st_size < 50 * 1024, relative
        assert f'<html lang="{lang}">' in text
        assert "<script" not in text.lower() and " on" + "click" not in text
        other = relative.removeprefix("en/") if lang == "en" else "en/" + relative
        link = re.search(r'<a class="lang" href="([^"]+)"', text).group(1)
        assert (path.parent / link).resolve() == (site / other).resolve(), relative
        for ref in re.findall(r'(?:href|src)="([^"]+)"', text):
            if ref.startswith(("https://", "tel:", "#")):
                continue  # links to outside services are links, never styles or fonts
            assert (path.parent / ref.split("#")[0]).resolve().is_file(), (relative, ref)
        for ref in re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', text):
            assert not ref.startswith(("http:", "https:", "//")), relative
    css = (site / "assets" / "public.css").read_text()
    for font in re.findall(r"url\(([^)]+)\)", css):
        assert (site / "assets" / font).is_file()
    service = (site / "manual" / "bail.html").read_text()
    assert "ไม่เสียค่าธรรมเนียม" in service and 'type="checkbox"' in service
    assert "2569" in (site / "index.html").read_text() or "2570" in (site / "index.html").read_text()


@pytest.fixture
def filled_app(station_app):
    """A kiosk with answers in September (last fiscal year), October and November 2026, a comment, referrals."""
    app = station_app
    with app.app_context():
        clock = FakeClock(0)
        log = EventLog(get_db(), "kiosk-1", clock=clock)
        for when, level in [
            ("2026-09-30T05:00:00Z", 1),
            ("2026-10-02T03:00:00Z", 5),
            ("2026-10-02T03:00:03Z", 5),  # a repeat: flagged, left out
            ("2026-10-15T03:00:00Z", 4),
            ("2026-11-03T03:00:00Z", 3),
            ("2026-11-20T03:00:00Z", 5),
            ("2026-11-21T03:00:00Z", 2),
        ]:
            clock.at(when)
            answer = log.record_rating(level)
        log.amend(answer.answer_id, unit="traffic", aspects={"staff": 2}, comment=SECRET_COMMENT)
        for when, unit in [("2026-10-05T03:00:00Z", "traffic"), ("2026-11-05T03:00:00Z", "investigation")]:
            clock.at(when)
            log.record_referral(unit)
    return app


def figures_of(page):
    summary = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', page))
    months = {
        key: cells
        for key, *cells in re.findall(
            r'<tr data-month="([\d-]+)"><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>',
            page,
        )
    }
    units = {
        key: cells
        for key, *cells in re.findall(
            r'<tr data-unit="(\w+)"><th scope="row">[^<]*</th><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>', page
        )
    }
    return summary, months, units


def fmt(value, percent=False):
    return "–" if value is None else (f"{value:.2f}%" if percent else f"{value:.2f}")


def test_statistics_page_shows_the_public_export_and_never_a_comment(filled_app):
    app = filled_app
    with app.app_context():
        site = build(app.config["KIOSK"], app.extensions["kiosk_content"], get_db(), today=date(2026, 11, 30))
    client = app.test_client()
    token = csrf_token(client, "/admin/login")
    client.post("/admin/login", data={"username": "admin", "password": "test-admin-password", "csrf_token": token})
    export = client.get("/admin/export/public.json?from=2026-10-01&to=2026-11-30").json
    s, e = export["satisfaction"], export["eit"]
    summary, months, units = figures_of(site["statistics.html"])
    assert summary == {
        "total": str(s["total"]),
        "flagged": str(s["flagged"]),
        "percent_satisfied": fmt(s["percent_satisfied"], percent=True),
        "mean": fmt(s["mean"]),
        "band": s["band_label"],
    }
    assert s["total"] == 5 and s["flagged"] == 1  # September is the last fiscal year
    assert list(months) == list(s["by_month"]) == ["2026-10", "2026-11"]
    for key, month in s["by_month"].items():
        assert months[key] == [
            month["label"],
            str(month["total"]),
            fmt(month["mean"]),
            month["band_label"],
            fmt(month["percent_satisfied"], percent=True),
        ]
    for unit, row in e["by_unit"].items():
        assert units[unit] == [str(row["referrals"]), str(row["quota"]), fmt(row["percent_of_quota"], percent=True)]
    assert units["total"][:2] == [str(e["units_total"]["referrals"]), str(e["units_total"]["quota"])]
    assert "ตุลาคม 2569" in site["statistics.html"] and "ปีงบประมาณ พ.ศ. 2570" in site["statistics.html"]
    assert "Fiscal year 2027 (B.E. 2570)" in site["en/statistics.html"]
    for path, page in site.items():
        assert SECRET_COMMENT not in page and "0812345678" not in page, path


def test_admin_downloads_the_pages_and_sees_when_they_changed(filled_app, make_app, data_dir):
    client = filled_app.test_client()
    token = csrf_token(client, "/admin/login")
    client.post("/admin/login", data={"username": "admin", "password": "test-admin-password", "csrf_token": token})
    page = client.get("/admin").get_data(as_text=True)
    assert "ยังไม่ได้เผยแพร่" in page and BASE in page
    token = csrf_token(client, "/admin")
    response = client.post("/admin/public-pages.zip", data={"csrf_token": token})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert 'filename="changhan-public-pages.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"index.html", "en/index.html", "manual/bail.html", "assets/public.css", "assets/fonts/OFL.txt"} <= names
    for name in names:
        assert SECRET_COMMENT.encode() not in archive.read(name), name
    page = client.get("/admin").get_data(as_text=True)
    assert "เผยแพร่ครั้งล่าสุด" in page and "ไม่มีการเปลี่ยนแปลงหลังจากนั้น" in page
    # the same data, the station's name changed in the settings: the page says publish again
    changed = make_app({"station": {"name_th": "สถานีตำรวจภูธรทดสอบ"}}).test_client()
    token = csrf_token(changed, "/admin/login")
    changed.post("/admin/login", data={"username": "admin", "password": "test-admin-password", "csrf_token": token})
    assert "เนื้อหาหรือการตั้งค่ามีการเปลี่ยนแปลง" in changed.get("/admin").get_data(as_text=True)
    assert client.post("/admin/public-pages.zip").status_code == 400  # no CSRF token


def test_the_old_setting_name_still_works(tmp_path):
    old = tmp_path / "old.toml"
    old.write_text('[kiosk]\nmanual_base_url = "https://x.police.go.th/manual/"\n', encoding="utf-8")
    assert load_settings(old).public.base_url == "https://x.police.go.th/manual/"
    both = tmp_path / "both.toml"
    both.write_text(
        '[kiosk]\nmanual_base_url = "https://x.police.go.th/a/"\n[public]\nbase_url = "https://x.police.go.th/b/"\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsError, match="kiosk.manual_base_url: renamed public.base_url"):
        load_settings(both)
    bad = tmp_path / "bad.toml"
    bad.write_text('[public]\nbase_url = "http://x.police.go.th/"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="public.base_url: must be an https:// address"):
        load_settings(bad)


def test_page_addresses():
    assert pages.page_url(BASE, "manual/bail", "en") == BASE + "en/manual/bail.html"
    assert pages.relative_link("en/manual/bail.html", "en/index.html") == "../../en/index.html"
    assert classify(BASE, BASE) == "index.html" and classify("https://ptm.police.go.th", BASE) is None


@pytest.fixture
def hub_with_pages(tmp_path, site):
    def make(serve):
        data = tmp_path / f"hub-{serve}"
        result = CliRunner().invoke(main, ["hub", "--data-dir", str(data), "publish", "changhan", str(site)])
        assert result.exit_code == 0, result.output
        app = create_app(
            "hub",
            data_dir=data,
            overrides={"public": {"serve_on_hub": serve}},
            environ=TEST_SECRETS,
            announce=lambda _t: None,
        )
        return app.test_client()

    return make


def fetch(client, path, method="get"):
    """(status, mimetype, body) of a request, the response closed."""
    with getattr(client, method)(path) as response:
        return response.status_code, response.mimetype, response.get_data(as_text=True)


def test_hub_serves_published_pages_only_when_enabled(hub_with_pages, tmp_path):
    assert fetch(hub_with_pages(False), "/public/changhan/")[0] == 404
    client = hub_with_pages(True)
    status, _, body = fetch(client, "/public/changhan/")
    assert status == 200 and "สถานีตำรวจภูธรจังหาร" in body
    assert fetch(client, "/public/changhan/en/manual/bail.html")[0] == 200
    assert fetch(client, "/public/changhan/assets/public.css")[1] == "text/css"
    for path in [
        "/public/changhan/../../hub.db",
        "/public/changhan/%2e%2e/%2e%2e/kiosk.db",
        "/public/changhan/..%2f..%2fsecret_key",
        "/public/..%2fpublic/changhan/index.html",
        "/public/changhan/hub/login",
        "/public/changhan/index.py",
        "/public/other/index.html",
        "/public/CHANGHAN/index.html",
    ]:
        assert fetch(client, path)[0] == 404, path
    assert fetch(client, "/public/changhan/index.html", "post")[0] == 405
    # a zip from the admin's button installs the same way; a folder without index.html does not
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["hub", "--data-dir", str(tmp_path / "h"), "publish", "changhan", str(empty)])
    assert result.exit_code == 1 and "no index.html" in result.output


def test_hub_installs_a_zip_and_leaves_out_what_a_site_does_not_hold(tmp_path, site):
    from kiosk.hub.public import install_pages

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in site.rglob("*"):
            if path.is_file():
                archive.write(path, path.relative_to(site).as_posix())
        archive.writestr("../escape.html", "x")
        archive.writestr("run.php", "<?php ?>")
    zip_path = tmp_path / "pages.zip"
    zip_path.write_bytes(buffer.getvalue())
    count = install_pages(tmp_path / "hub", "changhan", zip_path)
    root = tmp_path / "hub" / "public" / "changhan"
    assert count == sum(1 for p in site.rglob("*") if p.is_file())
    assert (root / "index.html").is_file() and not (root / "run.php").exists()
    assert not (tmp_path / "hub" / "public" / "escape.html").exists()
    assert json.loads(json.dumps(sorted(p.name for p in root.iterdir())))  # listing is the site's own files
    assert Path(root / "assets" / "fonts" / "sarabun-thai-400-normal.woff2").stat().st_size > 1000


def test_publish_writes_into_a_folder_and_records_it(filled_app, tmp_path):
    from kiosk.publish import last_published

    with filled_app.app_context():
        written = publish(
            tmp_path / "out", filled_app.config["KIOSK"], filled_app.extensions["kiosk_content"], get_db()
        )
        assert last_published(get_db())["pages"] == 80
    assert len(written) == 80 + 7
