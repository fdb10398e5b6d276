"""The content editor and the setup show each field's help in the admin's language."""

import re

import pytest

from tests.helpers.forms import admin_signed_in


@pytest.fixture
def admin(client):
    return admin_signed_in(client)


def field_block(page, field_id):
    """The label line and help of the field with id `field_id`."""
    found = re.search(rf'<div class="field[^"]*" id="{re.escape(field_id)}">(.*?)</p>', page, re.S)
    assert found, f"no field {field_id}"
    return found.group(1)


def test_the_editor_shows_the_help_in_thai_then_in_english(admin):
    thai = field_block(admin.get("/admin/content/edit/services/bail.toml").get_data(as_text=True), "f-complaint")
    assert "ช่องทางการร้องเรียน" in thai and "Where to complain" in thai  # the bilingual label
    assert "ช่องทางการร้องเรียนเกี่ยวกับงานบริการนี้" in thai
    assert "Where to complain about the service." not in thai
    english = field_block(
        admin.get("/admin/content/edit/services/bail.toml?lang=en").get_data(as_text=True), "f-complaint"
    )
    assert "Where to complain about the service." in english
    assert "ช่องทางการร้องเรียนเกี่ยวกับงานบริการนี้" not in english
    # Back to Thai: a nested model's field, inside a list entry, too.
    page = admin.get("/admin/content/edit/services/bail.toml?lang=th").get_data(as_text=True)
    assert "สิ่งที่ดำเนินการในขั้นตอนนี้" in field_block(page, "f-steps.0.text")


def test_the_setup_shows_the_settings_help_in_the_admins_language(admin):
    thai = admin.get("/admin/setup/station").get_data(as_text=True)
    assert "รหัสย่อของสถานี" in field_block(thai, "f-station.code")
    assert "ชื่อเต็มของสถานีเป็นภาษาไทย" in field_block(thai, "f-station.name_th")
    english = admin.get("/admin/setup/eit?lang=en").get_data(as_text=True)
    assert "empty means 1 January of the fiscal year" in field_block(english, "f-eit.period_start")
    assert "ปีงบประมาณ" not in field_block(english, "f-eit.period_start")
