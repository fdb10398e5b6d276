"""The comment keyboard in the citizen's language, in Chromium: Burmese and Chinese (pinyin with
candidates) from simple-keyboard-layouts type a comment that the admin's list shows; Khmer and
Lao, which have no layout there, say so in their language and offer English and Thai; the
layout key is not the top bar's language control; everything fits without scrolling."""

import re

import pytest
from playwright.sync_api import expect

from kiosk.core.i18n import translate
from tests.helpers.credentials import TEST_SECRETS
from tests.helpers.servers import LiveKiosk

pytestmark = pytest.mark.e2e
SETTINGS = '[station]\nlanguages = ["th", "en", "my", "km", "lo", "zh"]\n[feedback]\nrepeat_window_seconds = 0\n'
NO_LAYOUT = "There is no on-screen keyboard for your language yet: please type in English or Thai."


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    """A station's kiosk offering all six languages (past its setup, so the admin pages open)."""
    root = tmp_path_factory.mktemp("keyboard-languages")
    settings = root / "station.toml"
    settings.write_text(SETTINGS, encoding="utf-8")
    live = LiveKiosk(root / "data", settings)
    yield live
    live.stop()


def to_comment(page, kiosk, lang, large=False):
    page.goto(f"{kiosk.url}/home?lang={lang}" + ("&text=large" if large else ""))
    page.locator(".faces button[value='4']").tap()
    for _step in range(3):
        skip = page.locator(".followup-actions a.button").element_handle()  # Skip, in any language
        skip.tap()
        skip.wait_for_element_state("hidden")
    expect(page.locator("[data-screen='feedback-comment'] [data-osk-keys] .hg-button").first).to_be_visible()


def key(page, name):
    return page.locator(f'[data-osk-keys] [data-skbtn="{name}"]').first


def type_keys(page, names):
    for name in names:
        key(page, name).tap()


def admin_comments(browser, kiosk):
    context = browser.new_context()
    admin = context.new_page()
    admin.goto(kiosk.url + "/admin/login?lang=en")
    admin.fill("#password", TEST_SECRETS["KIOSK_ADMIN_PASSWORD"])
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(re.compile("/admin$"))
    admin.goto(kiosk.url + "/admin/comments?lang=en")
    return admin


def test_a_myanmar_reader_types_in_burmese_and_the_admin_reads_it(page, browser, kiosk):
    to_comment(page, kiosk, "my")
    expect(page.locator(".osk")).to_have_attribute("data-osk-layout", "my")
    # ka, aa, space, ma, nga, asat, visarga: "ကာ မင်း"; vowel signs sit on a dotted circle on their key
    expect(key(page, "\u102c").locator(".osk-base")).to_have_count(1)
    type_keys(page, ["\u1000", "\u102c", "{space}", "\u1019", "\u1004", "\u103a", "\u1038"])
    expect(page.locator("textarea#comment")).to_have_value("ကာ မင်း")
    page.locator(".button-done").tap()
    expect(page.locator("[data-comment-saved]")).to_be_visible()
    expect(admin_comments(browser, kiosk).locator(".comment-text", has_text="ကာ မင်း")).to_have_count(1)


def test_a_chinese_reader_types_pinyin_and_picks_the_characters(page, browser, kiosk):
    to_comment(page, kiosk, "zh")
    expect(page.locator(".osk-hint")).to_have_text(
        translate("Type the pinyin, then tap the character on the top row", "zh")
    )
    expect(key(page, "{cand:0}")).to_have_count(0)  # no pinyin yet: the digits
    type_keys(page, ["n", "i"])
    # The candidates of "ni" take the place of the digit row, each a key as large as the others.
    expect(key(page, "{cand:0}")).to_have_text("你")
    expect(key(page, "1")).to_have_count(0)
    box = key(page, "{cand:0}").bounding_box()
    assert box["width"] >= 64 and box["height"] >= 64, box
    key(page, "{cand:0}").tap()
    type_keys(page, ["h", "a", "o"])
    key(page, "{cand-next}").tap()  # another page of candidates, and back
    expect(key(page, "{cand:10}")).to_be_visible()
    key(page, "{cand-prev}").tap()
    hao = key(page, "{cand:0}").inner_text()
    key(page, "{cand:0}").tap()
    expect(page.locator("textarea#comment")).to_have_value("你" + hao)
    expect(key(page, "1")).to_be_visible()  # the digits are back
    type_keys(page, ["\uff01"] if key(page, "\uff01").count() else [])
    page.locator(".button-done").tap()
    expect(page.locator("[data-comment-saved]")).to_be_visible()
    expect(admin_comments(browser, kiosk).locator(".comment-text", has_text="你" + hao)).to_have_count(1)


@pytest.mark.parametrize("lang", ["my", "zh"])
def test_the_layout_key_is_a_keyboard_not_the_language_control(page, kiosk, lang):
    to_comment(page, kiosk, lang)
    layout_key = key(page, "{lang}")
    expect(layout_key).to_have_text("ABC")
    expect(layout_key).to_have_accessible_name(translate("English", lang))  # in the citizen's language
    expect(layout_key.locator("svg.osk-icon-keyboard")).to_have_count(1)
    expect(page.locator(".topbar .lang-menu > summary")).not_to_have_text("ABC")
    layout_key.tap()  # English, then Thai, then back to the citizen's own
    expect(page.locator(".osk")).to_have_attribute("data-osk-layout", "en")
    key(page, "{lang}").tap()
    expect(page.locator(".osk")).to_have_attribute("data-osk-layout", "th")
    key(page, "{lang}").tap()
    expect(page.locator(".osk")).to_have_attribute("data-osk-layout", lang)
    expect(page.locator(".app")).to_have_attribute("data-lang", lang)  # the screens' language never moved


@pytest.mark.parametrize("lang", ["km", "lo"])
def test_khmer_and_lao_say_there_is_no_layout_and_offer_english_and_thai(page, kiosk, lang):
    to_comment(page, kiosk, lang)
    note = page.locator(".osk-note")
    expect(note).to_have_text(translate(NO_LAYOUT, lang))
    assert translate(NO_LAYOUT, lang) != NO_LAYOUT  # in that language, not in English
    expect(page.locator(".osk")).to_have_attribute("data-osk-layout", "en")
    type_keys(page, ["o", "k"])
    expect(page.locator("textarea#comment")).to_have_value("ok")
    key(page, "{lang}").tap()
    expect(page.locator(".osk")).to_have_attribute("data-osk-layout", "th")


FITS = """() => {
  const screen = document.querySelector('#screen');
  const keys = [...document.querySelectorAll('[data-osk-keys] .hg-button')].map(b => b.getBoundingClientRect());
  const bottom = Math.max(...keys.map(r => r.bottom), document.querySelector('.button-done').getBoundingClientRect().bottom);
  return {scrolls: screen.scrollHeight - screen.clientHeight, bottom: bottom,
          lowest: Math.min(...keys.map(r => r.height)), narrowest: Math.min(...keys.map(r => r.width))};
}"""


@pytest.mark.parametrize(
    ("lang", "width", "height", "large"),
    [
        ("en", 1280, 800, True),
        ("th", 1280, 800, True),
        ("zh", 1280, 800, True),
        ("km", 1280, 800, True),
        ("lo", 1280, 800, True),
        ("my", 1280, 800, False),
        ("my", 1280, 800, True),
        ("zh", 800, 1280, True),
        ("my", 800, 1280, False),
        ("my", 800, 1280, True),
        ("my", 1920, 1080, True),
        ("zh", 1920, 1080, True),
        ("my", 1080, 1920, True),
        ("zh", 1080, 1920, True),
    ],
)
def test_the_comment_screen_fits_without_scrolling(page, kiosk, lang, width, height, large):
    page.set_viewport_size({"width": width, "height": height})
    to_comment(page, kiosk, lang, large)
    if lang == "zh":
        type_keys(page, ["n", "i"])  # with the candidates on the top row
        expect(key(page, "{cand:0}")).to_be_visible()
    page.wait_for_timeout(300)  # fonts in
    fit = page.evaluate(FITS)
    assert fit["scrolls"] <= 1 and fit["bottom"] <= height, fit
    assert fit["lowest"] >= 64, fit
    if width >= 1080:  # at 800 px wide a row of 13 keys cannot be 64 px wide
        assert fit["narrowest"] >= 64, fit
