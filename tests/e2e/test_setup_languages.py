"""The admin's choice of citizen languages, as the admin sees it in Chromium."""

import pytest

from tests.helpers.credentials import TEST_SECRETS

pytestmark = pytest.mark.e2e


def test_each_language_is_one_tappable_row_named_in_its_script(page, live_kiosk):
    """A box per language, each a row of its own with its whole name beside it (the boxes were
    once squeezed to 32 px, their names spilling over each other)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_kiosk.url + "/admin/login")
    page.locator("#password").fill(TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    page.locator("#password").press("Enter")
    page.wait_for_url("**/admin/**")
    page.goto(live_kiosk.url + "/admin/setup/station")
    rows = page.locator(".languages-field label").all()
    assert [row.inner_text().split()[0] for row in rows] == ["ไทย", "English", "မြန်မာ", "ខ្មែរ", "ລາວ", "中文"]
    boxes = [row.bounding_box() for row in rows]
    for box in boxes:
        assert box["height"] >= 44 and box["width"] >= 100, box  # a staff target, the name on one line
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above["y"] + above["height"] <= below["y"] + 1, (above, below)
