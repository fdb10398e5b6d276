"""The station chooses the citizen languages in the admin's setup (`[station] languages`):
Thai always, only known codes, a clear Thai and English error, nothing stored on a bad save."""

import re

import pytest

from tests.helpers.forms import admin_signed_in, csrf_token
from tests.helpers.pages import page_text


@pytest.fixture
def admin(client):
    return admin_signed_in(client)


def station_form(languages, **changes):
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
        "head_phone": "",
        "station.languages": languages,
        "go": "next",
    }
    return {**data, **changes}


def post(client, url, data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/admin/login")})


def ticked(page):
    """The language codes ticked in the setup's station step."""
    return re.findall(r'name="station.languages" value="(\w+)" checked', page)


def test_the_setup_offers_each_language_by_its_own_name_thai_always(admin):
    page = admin.get("/admin/setup/station").get_data(as_text=True)
    assert "ภาษาที่ตู้บริการให้เลือก" in page and "Languages offered" in page
    for name in ("ไทย", "English", "မြန်မာ", "ខ្មែរ", "ລາວ", "中文"):
        assert name in page
    assert re.search(r'<input type="checkbox" checked disabled>\s*<span lang="th">ไทย', page)
    assert ticked(page) == ["en"]  # the default: Thai and English


def test_a_station_adds_myanmar_and_chinese_and_the_screens_offer_them(admin):
    response = post(admin, "/admin/setup/station", station_form(["th", "en", "my", "zh"]))
    assert response.status_code == 302
    assert ticked(admin.get("/admin/setup/station").get_data(as_text=True)) == ["en", "my", "zh"]
    assert post(admin, "/admin/setup/hub", {"hub.url": "", "hub.token": "", "go": "finish"}).status_code == 302
    home = page_text(admin.get("/home"))
    assert "မြန်မာ" in home and "中文" in home
    assert "ខ្មែរ" not in home and "ລາວ" not in home


def test_unticking_english_leaves_thai_and_the_others(admin):
    assert post(admin, "/admin/setup/station", station_form(["th", "km"])).status_code == 302
    assert ticked(admin.get("/admin/setup/station").get_data(as_text=True)) == ["km"]


@pytest.mark.parametrize(
    ("languages", "thai", "english"),
    [
        (["th", "en", "xx"], "ไม่พบรหัสภาษา xx", "Unknown language code xx"),
        (["th", "fr" * 5000], "ไม่พบรหัสภาษา", "Unknown language code"),
        (["en", "my"], "ต้องมีภาษาไทยให้เลือกเสมอ", "Thai must always be offered"),
        (["my"], "ต้องมีภาษาไทยให้เลือกเสมอ", "Thai must always be offered"),
    ],
)
def test_a_wrong_language_list_is_refused_in_thai_and_english_and_nothing_is_stored(admin, languages, thai, english):
    before = admin.get("/admin/setup/station").get_data(as_text=True)
    form = station_form(languages, **{"station.name_en": "Changed Name Station"})
    response = post(admin, "/admin/setup/station", form)
    page = page_text(response)
    assert response.status_code == 400
    assert thai in page and english in page
    assert "Changed Name Station" in page  # what was typed is kept on the form...
    after = admin.get("/admin/setup/station").get_data(as_text=True)
    assert "Changed Name Station" not in after  # ...but nothing was saved
    assert ticked(after) == ticked(before) == ["en"]
