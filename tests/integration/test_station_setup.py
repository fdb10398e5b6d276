"""The station makes the kiosk its own: setup, editor, versions, export/import (web and CLI)."""

import re
import subprocess
import sys

import pytest

from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.forms import csrf_token
from tests.helpers.pages import page_text
from tests.helpers.paths import ROOT

PASSWORD = TEST_SECRETS["KIOSK_ADMIN_PASSWORD"]
ITAS = "https://itas.nacc.go.th/go/eit/ab12cd"


def sign_in(client):
    token = csrf_token(client, "/admin/login")
    client.post("/admin/login", data={"username": "admin", "password": PASSWORD, "next": "", "csrf_token": token})


def post(client, url, data):
    token = csrf_token(client, "/admin/login")
    return client.post(url, data={**data, "csrf_token": token})


def station_form(**changes):
    data = {
        "station.code": "nongphok",
        "station.name_th": "สถานีตำรวจภูธรหนองพอก",
        "station.name_en": "Nong Phok Provincial Police Station",
        "station.province_th": "ร้อยเอ็ด",
        "station.province_en": "Roi Et",
        "station.website": "https://nongphok.roiet.police.go.th/",
        "contact.address.th": "อำเภอหนองพอก จังหวัดร้อยเอ็ด",
        "contact.address.en": "Nong Phok District, Roi Et",
        "contact.phone": "043-579-111",
        "head_phone": "081-234-5678",
        "go": "next",
    }
    return {**data, **changes}


def eit_form(**changes):
    data = {
        "eit.url": ITAS,
        "eit.period_start": "",
        "eit.period_end": "",
        "eit.quota.administration": "10",
        "eit.quota.crime_prevention": "20",
        "eit.quota.traffic": "30",
        "eit.quota.investigation": "40",
        "eit.quota_total": "100",
        "go": "next",
    }
    return {**data, **changes}


@pytest.fixture
def admin(client):
    sign_in(client)
    return client


def test_a_kiosk_without_settings_file_sends_the_admin_to_setup(admin):
    response = admin.get("/admin")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/setup")
    assert "data-demo-station" in admin.get("/home").get_data(as_text=True)


def test_a_kiosk_with_a_settings_file_does_not(make_app):
    client = make_app({"feedback": {"repeat_window_seconds": 0}}).test_client()
    sign_in(client)
    assert client.get("/admin").status_code == 200


def test_setup_publishes_the_station_at_once(admin):
    assert post(admin, "/admin/setup/station", station_form()).status_code == 302
    assert post(admin, "/admin/setup/eit", eit_form()).status_code == 302
    page = admin.get("/home").get_data(as_text=True)
    assert "หนองพอก" not in page  # a draft is not live
    response = post(admin, "/admin/setup/hub", {"hub.url": "", "hub.token": "", "go": "finish"})
    assert response.status_code == 302
    home = admin.get("/home").get_data(as_text=True)
    assert "สถานีตำรวจภูธรหนองพอก" in home and "data-demo-station" not in home
    assert ITAS in admin.get("/eit").get_data(as_text=True) or ITAS in admin.get("/eit/qr/traffic").get_data(
        as_text=True
    )
    about = admin.get("/about").get_data(as_text=True)
    assert "043-579-111" in about
    assert "081-234-5678" in admin.get("/policy").get_data(as_text=True)
    assert admin.get("/admin").status_code == 200  # setup done


@pytest.mark.parametrize(
    ("step", "form", "field", "words"),
    [
        ("eit", eit_form(**{"eit.url": "https://evil.example/go/eit/ab12"}), "eit.url", "ITAS"),
        ("eit", eit_form(**{"eit.quota_total": "99"}), "eit.quota_total", "add up to 100"),
        ("station", station_form(**{"station.name_th": "ก" * 10_000}), "station.name_th", "at most 200"),
        ("station", station_form(**{"contact.phone": "call us"}), "contact.phone", "phone number"),
    ],
)
def test_setup_refuses_a_wrong_value_naming_the_field_and_keeps_the_rest(admin, step, form, field, words):
    response = post(admin, f"/admin/setup/{step}", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field in page and words in page
    kept = next(v for k, v in form.items() if k not in (field, "go") and v)
    assert kept in page  # what was typed is kept


def test_negative_fee_is_refused_in_the_services_step(admin):
    response = post(
        admin,
        "/admin/setup/services",
        {"fee_baht.bail": "-5", "fee.bail.th": "ฟรี", "fee.bail.en": "Free", "go": "next"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "fee_baht" in page and "at least 0" in page and 'value="-5"' in page


def edit_form(admin, rel):
    page = admin.get(f"/admin/content/edit/{rel}").get_data(as_text=True)
    fields = dict(re.findall(r'<input type="text" name="([^"]+)" value="([^"]*)"', page))
    fields.update(dict(re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', page)))
    fields.update(dict.fromkeys(re.findall(r'<input type="hidden" name="([^"]+)" value="">', page), ""))
    for name in re.findall(r'<select name="([^"]+)">', page):
        chosen = re.search(rf'<select name="{re.escape(name)}">.*?<option value="([^"]*)" selected', page, re.S)
        fields[name] = chosen.group(1) if chosen else ""
    for name in re.findall(r'<input type="checkbox" name="([^"]+)" checked>', page):
        fields[name] = "on"
    import html

    return {k: html.unescape(v) for k, v in fields.items()}


def test_editor_round_trip_publish_and_restore(admin):
    form = edit_form(admin, "services/bail.toml")
    form["fee_baht"], form["fee.th"] = "123", "ค่าธรรมเนียม 123 บาท"
    response = post(admin, "/admin/content/edit/services/bail.toml", {**form, "op": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert post(admin, "/admin/content/publish", {"note": "fee"}).status_code == 302
    assert "ค่าธรรมเนียม 123 บาท" in page_text(admin.get("/manual/bail"))
    history = admin.get("/admin/content/history").get_data(as_text=True)
    assert "fee_baht = 123" in history
    form["fee_baht"], form["fee.th"] = "456", "ค่าธรรมเนียม 456 บาท"
    post(admin, "/admin/content/edit/services/bail.toml", {**form, "op": "save"})
    post(admin, "/admin/content/publish", {"note": "again"})
    assert "ค่าธรรมเนียม 456 บาท" in page_text(admin.get("/manual/bail"))
    assert post(admin, "/admin/content/restore/1", {}).status_code == 302
    page = page_text(admin.get("/manual/bail"))
    assert "ค่าธรรมเนียม 123 บาท" in page and "ค่าธรรมเนียม 456 บาท" not in page


def test_editor_refuses_a_service_with_no_documents_and_keeps_the_form(admin):
    form = edit_form(admin, "services/bail.toml")
    form = {k: v for k, v in form.items() if not k.startswith("documents.")}
    form["documents"] = ""
    form["summary.th"] = "สรุปที่พิมพ์ไว้"
    response = post(admin, "/admin/content/edit/services/bail.toml", {**form, "op": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "documents" in page and "must not be empty" in page
    assert "สรุปที่พิมพ์ไว้" in page


def test_editor_list_operations_keep_what_was_typed(admin):
    form = edit_form(admin, "services/bail.toml")
    form["name.th"] = "ชื่อใหม่ที่ยังไม่บันทึก"
    page = post(admin, "/admin/content/edit/services/bail.toml", {**form, "op": "add:steps"}).get_data(as_text=True)
    assert "ชื่อใหม่ที่ยังไม่บันทึก" in page
    assert (
        page.count('name="op" value="remove:steps.')
        == len([k for k in form if re.fullmatch(r"steps\.\d+\.text\.th", k)]) + 1
    )


def test_html_is_never_interpreted(admin):
    form = edit_form(admin, "services/bail.toml")
    form["summary.th"] = "<script>alert(1)</script>บรรทัดแรก\nบรรทัดสอง"
    assert post(admin, "/admin/content/edit/services/bail.toml", {**form, "op": "save"}).status_code == 302
    post(admin, "/admin/content/publish", {"note": ""})
    page = page_text(admin.get("/manual/bail"))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "บรรทัดแรก<br>\nบรรทัดสอง" in page  # the line break is kept


def test_forms_need_their_csrf_token(admin):
    response = admin.post("/admin/setup/station", data=station_form())
    assert response.status_code == 400


def test_preview_shows_the_draft_not_the_live_screen(admin):
    post(admin, "/admin/setup/station", station_form())
    frame = admin.get("/admin/content/preview/frame?screen=/home&lang=th")
    assert frame.status_code == 200 and "หนองพอก" in frame.get_data(as_text=True)
    assert "หนองพอก" not in admin.get("/home").get_data(as_text=True)
    assert admin.get("/admin/content/preview?screen=/home").status_code == 200


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **TEST_SECRETS},
    )


CITIZEN_SCREENS = ["/", "/home", "/manual", "/policy", "/eservices", "/about", "/case-progress", "/eit"]


def screens(app):
    client = app.test_client()
    slugs = [s.slug for s in app.extensions["kiosk_content"].services]
    out = {}
    for lang in ("th", "en"):
        for path in CITIZEN_SCREENS + [f"/manual/{slug}" for slug in slugs]:
            html = client.get(path, query_string={"lang": lang}).get_data(as_text=True)
            out[(lang, path)] = re.sub(r"(csrf_token|X-CSRFToken|form_id)[^>]*", "", html)
    return out


def test_export_then_import_gives_identical_screens(tmp_path, admin, app):
    post(admin, "/admin/setup/station", station_form())
    post(
        admin,
        "/admin/setup/services",
        {
            "fee_baht.bail": "77",
            "fee.bail.th": "77 บาท",
            "fee.bail.en": "77 baht",
            "hide.tip-off": "on",
            "go": "finish",
        },
    )
    data_a = app.config["DATA_DIR"]
    out = tmp_path / "export"
    result = run("content", "export", str(out), "--data-dir", data_a)
    assert result.returncode == 0, result.stderr
    data_b = tmp_path / "other"
    result = run("content", "import", str(out), "--data-dir", str(data_b))
    assert result.returncode == 0, result.stderr
    from kiosk.app import create_app

    other = create_app(data_dir=data_b, environ=TEST_SECRETS, announce=lambda _t: None)
    a, b = screens(app), screens(other)
    assert a.keys() == b.keys() and all(a[k] == b[k] for k in a), [k for k in a if a[k] != b.get(k)][:3]
    assert "77 บาท" in b[("th", "/manual/bail")]


def test_import_is_refused_whole_naming_file_and_field(tmp_path, app):
    out = tmp_path / "export"
    assert run("content", "export", str(out), "--data-dir", app.config["DATA_DIR"]).returncode == 0
    bail = out / "services" / "bail.toml"
    bail.write_text(bail.read_text(encoding="utf-8").replace("fee_baht = 0", "fee_baht = -1"), encoding="utf-8")
    result = run("content", "import", str(out), "--data-dir", app.config["DATA_DIR"])
    assert result.returncode == 2 and "services/bail.toml: fee_baht: must be at least 0" in result.stderr


def test_the_station_adds_its_own_service(admin):
    assert post(admin, "/admin/content/new-service", {"slug": "<b>bad"}).status_code == 400
    response = post(admin, "/admin/content/new-service", {"slug": "village-meeting"})
    assert response.status_code == 302
    form = edit_form(admin, "services/village-meeting.toml")
    form["name.th"], form["name.en"] = "ประชุมหมู่บ้าน", "Village meeting"
    assert post(admin, "/admin/content/edit/services/village-meeting.toml", {**form, "op": "save"}).status_code == 302
    post(admin, "/admin/content/publish", {"note": "own service"})
    assert "ประชุมหมู่บ้าน" in page_text(admin.get("/manual/village-meeting"))
