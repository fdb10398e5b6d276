"""A citizen finds what they need and gives feedback, in headless Chromium on the real server."""

import io
import json
import re
import signal
import urllib.request

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from kiosk.content.loader import load_content
from tests.helpers.credentials import TEST_SECRETS

pytestmark = pytest.mark.e2e
CONTENT = load_content()


def api_tallies(kiosk):
    request = urllib.request.Request(
        kiosk.url + "/api/v1/tallies", headers={"Authorization": "Bearer " + TEST_SECRETS["KIOSK_API_TOKEN"]}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def decode_qr(locator):
    image = Image.open(io.BytesIO(locator.screenshot()))
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize(
    "lang, manual_tile, documents",
    [("th", "คู่มือการให้บริการ", "เอกสารที่ต้องนำมา"), ("en", "Service manual", "Documents to bring")],
)
def test_every_manual_is_two_taps_from_home(page, live_kiosk, lang, manual_tile, documents):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for service in CONTENT.services:
        page.goto(f"{live_kiosk.url}/home?lang={lang}")
        page.get_by_role("link", name=re.compile("^" + re.escape(manual_tile))).tap()
        page.get_by_text(service.name.get(lang), exact=True).first.tap()  # the most used are listed twice
        expect(page.get_by_role("heading", name=documents)).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(service.name.get(lang))
        first_document = service.documents[0].name.get(lang)
        expect(page.locator(".checklist").get_by_text(first_document, exact=False).first).to_be_visible()
    assert all(url.startswith(live_kiosk.url + "/") for url in requests)


def test_situation_chip_leads_to_the_manual_in_three_taps(page, live_kiosk):
    page.goto(live_kiosk.url + "/home?lang=en")
    page.get_by_role("link", name=re.compile("^Service manual")).tap()
    page.get_by_role("link", name="I was cheated online").tap()
    # the situation's own screen has swapped in (its address is in the text-size link)
    expect(page.get_by_role("button", name="Larger text")).to_have_attribute("href", re.compile("/situation/"))
    page.get_by_text(CONTENT.service("online-fraud").name.en, exact=True).tap()
    expect(page.get_by_role("heading", name="Documents to bring")).to_be_visible()


@pytest.mark.parametrize("slug", ["lost-documents", "bail", "traffic-fine-online"])
def test_take_home_qr_scans_to_the_public_manual(page, live_kiosk, slug):
    page.goto(f"{live_kiosk.url}/manual/{slug}")
    assert decode_qr(page.locator(".take-home .qr-small")) == [
        f"https://changhan.roiet.police.go.th/onestop/manual/{slug}.html"
    ]


def test_reporting_channel_qr_codes_scan_to_their_addresses(page, live_kiosk):
    page.goto(live_kiosk.url + "/policy")
    cards = page.locator(".channel:has(.qr-small)")
    assert cards.count() >= 2
    for index in range(cards.count()):
        card = cards.nth(index)
        address = card.locator(".qr-address").inner_text()
        assert decode_qr(card.locator(".qr-small")) == [address]


def test_one_tap_on_a_face_records_a_rating(page, start_kiosk):
    kiosk = start_kiosk()
    page.goto(kiosk.url + "/home?lang=en")
    page.get_by_role("button", name="Satisfied", exact=True).tap()
    expect(page.get_by_role("status")).to_contain_text("Your rating is recorded")
    figures = api_tallies(kiosk)["satisfaction"]
    assert figures["total"] == 1 and figures["counts"]["4"] == 1


def test_a_full_answer_with_follow_ups_is_one_answer(page, start_kiosk):
    kiosk = start_kiosk()
    page.goto(kiosk.url + "/home?lang=en")
    page.get_by_role("button", name="Very satisfied", exact=True).tap()
    page.get_by_role("button", name="Traffic", exact=True).tap()
    for name in ("Staff: Very satisfied", "Process and steps: Neutral"):
        page.locator("label.aspect-face", has=page.get_by_role("radio", name=name)).tap()
        expect(page.get_by_role("radio", name=name)).to_be_checked()
    page.get_by_role("button", name="Next").tap()
    page.get_by_text("Polite staff").tap()
    page.get_by_role("button", name="Next").tap()
    expect(page.get_by_role("note")).to_contain_text("do not write names")
    for key in ("{shift}", "H", "i", "{space}", "1", "5", "9", "9"):
        page.locator(f'[data-osk-keys] [data-skbtn="{key}"]').first.tap()
    expect(page.locator("textarea#comment")).to_have_value("Hi 1599")
    page.get_by_role("button", name="Send").tap()
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    figures = api_tallies(kiosk)["satisfaction"]
    assert figures["total"] == 1
    assert figures["by_unit"]["traffic"]["total"] == 1
    assert figures["aspects"]["staff"]["mean"] == 5.0 and figures["aspects"]["process"]["mean"] == 3.0
    assert figures["reasons"]["polite_staff"] == 1
    assert figures["comments"] == 1
    # The thank-you screen goes back to the start screen by itself (issue 16: the next citizen starts fresh).
    expect(page.locator(".app[data-screen=attract]")).to_be_visible(timeout=8000)


def test_eit_referral_for_traffic_counts_for_traffic(page, start_kiosk):
    kiosk = start_kiosk()
    page.goto(kiosk.url + "/home?lang=en")
    page.get_by_role("link", name="ITA / EIT survey").tap()
    page.get_by_role("button", name="Traffic", exact=True).tap()
    qr = page.locator(".qr-box")
    expect(qr).to_be_visible()
    assert decode_qr(qr) == ["https://itas.nacc.go.th/go/eit/demo"]
    page.get_by_role("link", name="Show the QR code bigger").tap()
    expect(page.locator(".eit-qr-big")).to_be_visible()
    eit = api_tallies(kiosk)["eit"]
    assert eit["by_unit"]["traffic"] == 1 and eit["total"] == 1


def test_twenty_rapid_taps_count_once_officially(page, start_kiosk):
    kiosk = start_kiosk()
    for _ in range(20):
        page.goto(kiosk.url + "/home")
        page.locator(".faces button[value='5']").tap()
        expect(page.get_by_role("status")).to_be_visible()
    figures = api_tallies(kiosk)["satisfaction"]
    assert figures["total"] == 1
    assert figures["raw"]["total"] == 20
    assert figures["flagged"] == 19


def test_answer_survives_sigkill_right_after_the_thank_you(page, start_kiosk):
    kiosk = start_kiosk()
    page.goto(kiosk.url + "/home?lang=en")
    page.get_by_role("button", name="Dissatisfied", exact=True).tap()
    expect(page.get_by_role("status")).to_contain_text("Your rating is recorded")
    kiosk.process.send_signal(signal.SIGKILL)
    kiosk.process.wait()
    restarted = start_kiosk.restart(kiosk)
    figures = api_tallies(restarted)["satisfaction"]
    assert figures["total"] == 1 and figures["counts"]["2"] == 1


@pytest.mark.parametrize("viewport", [{"width": 1920, "height": 1080}, {"width": 1080, "height": 1920}])
def test_the_comment_keyboard_and_send_fit_on_screen_without_scrolling(page, live_kiosk, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_kiosk.url + "/home?lang=en")
    page.locator(".faces button[value='4']").tap()
    for _step in range(3):
        skip = page.get_by_role("link", name="Skip").element_handle()
        skip.tap()
        skip.wait_for_element_state("hidden")  # the next step swapped in, not this one tapped twice
    for target in (
        page.locator('[data-osk-keys] [data-skbtn="{space}"]').first,
        page.get_by_role("button", name="Send"),
    ):
        expect(target).to_be_visible()
        box = target.bounding_box()
        assert box and box["y"] + box["height"] <= viewport["height"], box
