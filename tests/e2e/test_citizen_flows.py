"""The citizen's flows in Chromium on the real server: Done saves the follow-ups, "Still there?"
before the idle reset, the next citizen starts fresh, typed text survives the language switch,
and a service opened from a situation goes back to it."""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from kiosk.content.loader import load_content
from tests.helpers.credentials import TEST_SECRETS

pytestmark = pytest.mark.e2e
CONTENT = load_content()
# A station's settings file (no first-start setup in the way of the admin pages).
STATION = "[feedback]\nrepeat_window_seconds = 0\n"


def api_satisfaction(kiosk):
    request = urllib.request.Request(
        kiosk.url + "/api/v1/tallies", headers={"Authorization": "Bearer " + TEST_SECRETS["KIOSK_API_TOKEN"]}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)["satisfaction"]


def admin_page(browser, kiosk, path):
    """A separate browser (the admin's desk), signed in, showing `path` in English."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(kiosk.url + "/admin/login?lang=en")
    page.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile("/admin$"))
    page.goto(kiosk.url + path)
    return page


def type_keys(page, keys):
    for key in keys:
        page.locator(f'[data-osk-keys] [data-skbtn="{key}"]').first.tap()


def to_comment_step(page):
    for _step in range(3):
        skip = page.locator(".followup-actions a.button").element_handle()  # Skip, in either language
        skip.tap()
        skip.wait_for_element_state("hidden")


def test_done_saves_the_unit_and_aspects_and_the_admin_sees_them(page, browser, start_kiosk):
    kiosk = start_kiosk(STATION)
    page.goto(kiosk.url + "/home?lang=en")
    page.get_by_role("button", name="Satisfied", exact=True).tap()
    page.get_by_role("button", name="Traffic", exact=True).tap()
    for name in ("Staff: Very satisfied", "Facilities: Dissatisfied"):
        page.locator("label.aspect-face", has=page.get_by_role("radio", name=name)).tap()
    page.get_by_role("button", name="Done").tap()
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    expect(page.locator("[data-comment-saved]")).to_have_count(0)  # no comment: no thanks for one
    admin = admin_page(browser, kiosk, "/admin?lang=en")
    for aspect, mean in (("Staff", "5.0"), ("Facilities", "2.0")):
        row = admin.locator("table.bars tr", has=admin.get_by_role("rowheader", name=aspect, exact=True))
        expect(row.locator(".bar-value")).to_have_text(mean)
    by_unit = admin.locator("section.block", has=admin.get_by_role("heading", name="By unit that served"))
    traffic = by_unit.locator("tr", has=admin.get_by_role("rowheader", name="Traffic", exact=True))
    expect(traffic.locator("td")).to_have_text(["1", "4.00"])


def test_done_saves_a_typed_comment_into_the_admins_list(page, browser, start_kiosk):
    kiosk = start_kiosk(STATION)
    page.goto(kiosk.url + "/home?lang=en")
    page.get_by_role("button", name="Very satisfied", exact=True).tap()
    to_comment_step(page)
    type_keys(page, ("{shift}", "C", "l", "e", "a", "n", "{space}", "r", "o", "o", "m"))
    expect(page.locator("textarea#comment")).to_have_value("Clean room")
    page.get_by_role("button", name="Done").tap()
    expect(page.locator("[data-comment-saved]")).to_contain_text("Thank you for your comment")
    admin = admin_page(browser, kiosk, "/admin/comments?lang=en")
    expect(admin.locator(".comment-text")).to_have_text(["Clean room"])


def test_the_language_switch_keeps_the_typed_comment(page, start_kiosk):
    kiosk = start_kiosk(STATION)
    page.goto(kiosk.url + "/home")
    page.locator(".faces button[value='4']").tap()
    to_comment_step(page)
    type_keys(page, ("ด", "ี", "ม", "า", "ก"))
    page.locator(".topbar").get_by_role("link", name="English").tap()
    expect(page.get_by_role("heading", name="Anything else to tell us?")).to_be_visible()
    expect(page.locator("textarea#comment")).to_have_value("ดีมาก")
    expect(page.locator("[data-osk-count]")).to_have_text("5/500")
    page.get_by_role("button", name="Done").tap()
    expect(page.locator("[data-comment-saved]")).to_be_visible()
    assert api_satisfaction(kiosk)["comments"] == 1


def test_home_with_unsent_answers_asks_first_and_can_send_them(page, start_kiosk):
    kiosk = start_kiosk(STATION)
    page.goto(kiosk.url + "/home?lang=en")
    page.locator(".faces button[value='4']").tap()
    page.get_by_role("link", name="Skip").tap()
    page.locator("label.aspect-face", has=page.get_by_role("radio", name="Staff: Satisfied")).tap()
    page.locator(".topbar .control-home").tap()
    guard = page.get_by_role("alertdialog", name="Your answers are not sent yet")
    expect(guard).to_be_visible()
    guard.get_by_role("button", name="Stay here").tap()
    expect(page.get_by_role("radio", name="Staff: Satisfied")).to_be_checked()
    page.locator(".topbar .control-home").tap()
    guard.get_by_role("button", name="Send and finish").tap()
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    assert api_satisfaction(kiosk)["aspects"]["staff"]["mean"] == 4.0


def test_still_there_comes_before_the_reset_and_a_tap_keeps_the_page(page, start_kiosk):
    # 6 s on this reading screen: "Still there?" for the last 3 s.
    kiosk = start_kiosk(STATION + "[kiosk]\nidle_seconds = 4\nreading_idle_seconds = 6\n")
    page.goto(kiosk.url + "/manual/bail?lang=en")
    title = page.get_by_role("heading", level=1, name=CONTENT.service("bail").name.en)
    prompt = page.get_by_role("alertdialog", name=re.compile("Still there?"))
    expect(prompt).to_be_visible(timeout=6000)
    expect(title).to_be_attached()  # the prompt comes before the reset, on the same page
    seconds = int(prompt.locator("[data-still-there-seconds]").inner_text())
    assert 1 <= seconds <= 3
    prompt.get_by_role("button", name=re.compile("Yes, keep this page")).tap()
    expect(prompt).to_be_hidden()
    page.wait_for_timeout(3500)  # past the reset that the tap called off
    expect(title).to_be_visible()
    # Untouched again, it asks again, then goes back to the start screen.
    expect(prompt).to_be_visible(timeout=6000)
    expect(page.locator(".app[data-screen=attract]")).to_be_visible(timeout=6000)


def test_the_next_citizen_after_a_thank_you_starts_in_thai_at_normal_size(page, start_kiosk):
    kiosk = start_kiosk(STATION)
    page.goto(kiosk.url + "/home?lang=en&text=large")
    expect(page.locator(".app.text-large")).to_be_visible()
    page.get_by_role("button", name="Very satisfied", exact=True).tap()
    page.get_by_role("button", name="Done").tap()
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    # The thank-you goes to the start screen by itself, not to home in the last visit's choices.
    expect(page.locator(".app[data-screen=attract]")).to_be_visible(timeout=9000)
    page.locator(".attract-link").tap()
    expect(page.get_by_role("heading", name="ต้องการรับบริการเรื่องใด")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator(".app.text-large")).to_have_count(0)


def test_back_from_a_service_returns_to_its_situation_list(page, live_kiosk):
    scam = CONTENT.situation("scam")
    page.goto(live_kiosk.url + "/manual?lang=en")
    page.get_by_role("link", name=scam.label.en).tap()
    expect(page.get_by_role("heading", level=1, name=scam.label.en)).to_be_visible()
    page.locator(".service-list").get_by_text(CONTENT.service("online-fraud").name.en, exact=True).tap()
    expect(page.get_by_role("heading", name="Documents to bring")).to_be_visible()
    page.get_by_role("link", name=f"Back to: {scam.label.en}").tap()
    expect(page.get_by_role("heading", level=1, name=scam.label.en)).to_be_visible()


def test_the_manual_shows_the_most_used_services_first(page, live_kiosk):
    page.goto(live_kiosk.url + "/manual?lang=en")
    names = page.locator(".service-link .service-name").all_inner_texts()
    assert names[:2] == [CONTENT.service("lost-documents").name.en, CONTENT.service("online-fraud").name.en]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 800, "height": 1280}])
def test_a_long_screen_says_there_is_more_below_and_scrolls(page, live_kiosk, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_kiosk.url + "/policy?lang=en")
    more = page.get_by_role("button", name="More below")
    expect(more).to_be_visible()
    before = page.evaluate("document.getElementById('screen').scrollTop")
    more.tap()
    page.wait_for_function("before => document.getElementById('screen').scrollTop > before", arg=before)
    # At the end of the page the cue goes.
    page.evaluate("document.getElementById('screen').scrollTo(0, 1e6)")
    expect(more).to_be_hidden()
    # The numbers to call are in the first screenful.
    box = page.locator(".channel").first.bounding_box()
    page.evaluate("document.getElementById('screen').scrollTo(0, 0)")
    box = page.locator(".channel").first.bounding_box()
    assert box["y"] < viewport["height"]


def test_in_portrait_the_take_home_code_is_in_the_first_screenful(page, live_kiosk):
    page.set_viewport_size({"width": 800, "height": 1280})
    page.goto(live_kiosk.url + "/manual/lost-documents")
    box = page.locator(".take-home .qr-small").bounding_box()
    assert box["y"] + box["height"] <= 1280


@pytest.mark.parametrize("lang", ["th", "en"])
def test_in_portrait_a_service_with_an_online_code_keeps_both_cards_readable(page, live_kiosk, lang):
    # Two codes share the width: each card's words stay on a line or two, its code under them.
    page.set_viewport_size({"width": 800, "height": 1280})
    page.goto(live_kiosk.url + f"/manual/online-fraud?lang={lang}")
    cards = page.locator(".service-side .card")
    expect(cards).to_have_count(2)
    for index in range(2):
        card = cards.nth(index)
        heading, code = card.locator("h2").bounding_box(), card.locator(".qr-small").bounding_box()
        line = card.locator("h2").evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
        assert heading["height"] <= 2 * line + 1, f"card {index}: its heading takes {heading['height']:.0f} px"
        assert code["y"] >= heading["y"] + heading["height"], f"card {index}: the code is not under the words"
        assert code["y"] + code["height"] <= 1280
