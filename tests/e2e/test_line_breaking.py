"""Thai words stay whole on the citizen screens, checked from the line boxes Chromium lays
out (a Range per occurrence of a compound); the unit question says what each unit does;
a redirect page is one card; secondary text is at least 22 px."""

import pytest
from playwright.sync_api import expect

from kiosk.content.loader import load_content
from kiosk.core.vocab import UNIT_DESCRIPTIONS
from tests.helpers.paths import screenshot_path

pytestmark = pytest.mark.e2e
CONTENT = load_content()

# The words Chromium's own dictionary split on these screens (issue 16).
COMPOUNDS = ("แจ้งความ", "เจ้าหน้าที่", "ใบอนุญาต", "ปานกลาง", "ประจำวัน", "แห่งชาติ", "ผู้บังคับบัญชา", "e-Service")
SCREENS = ["/home", "/manual", "/policy", "/eservices", "/about", "/case-progress", "/eit"] + [
    f"/manual/{service.slug}" for service in CONTENT.services
]
SIZES = {"landscape": (1280, 800), "portrait": (800, 1280)}

# For each occurrence of each word in the screen's text: how many lines its letters sit on.
SPLIT_WORDS = """words => {
  const nodes = [], walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  let text = '', node;
  while ((node = walker.nextNode())) {
    if (!node.parentElement.closest('script, style, textarea, [hidden]')) { nodes.push([node, text.length]); text += node.data; }
  }
  const at = offset => { let i = nodes.length - 1; while (nodes[i][1] > offset) i--; return [nodes[i][0], offset - nodes[i][1]]; };
  const found = {}, split = [];
  for (const word of words) {
    found[word] = 0;
    for (let start = text.indexOf(word); start >= 0; start = text.indexOf(word, start + 1)) {
      const tops = [];
      let height = 0;
      for (let k = start; k < start + word.length; k++) {
        const [node, i] = at(k), range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        for (const rect of range.getClientRects()) {
          if (rect.width > 0 && rect.height > 0) { tops.push(rect.top); height = Math.max(height, rect.height); }
        }
      }
      if (height === 0) continue;  // not laid out (a closed panel)
      found[word] += 1;
      if (Math.max(...tops) - Math.min(...tops) > height / 2) split.push(word + ' at ' + start);
    }
  }
  return {found, split};
}"""


def visit(page, kiosk, path, lang="th", large=False):
    sep = "&" if "?" in path else "?"
    page.goto(f"{kiosk.url}{path}{sep}lang={lang}&text={'large' if large else 'normal'}")
    page.evaluate("document.fonts.ready")


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("orientation", SIZES)
def test_no_compound_breaks_across_lines(browser, live_kiosk, orientation, large, tmp_path):
    width, height = SIZES[orientation]
    page = browser.new_page(viewport={"width": width, "height": height}, has_touch=True)
    found = dict.fromkeys(COMPOUNDS, 0)
    split = []
    for path in SCREENS:
        visit(page, live_kiosk, path, large=large)
        result = page.evaluate(SPLIT_WORDS, list(COMPOUNDS))
        for word, n in result["found"].items():
            found[word] += n
        split += [f"{path}: {where}" for where in result["split"]]
    # The follow-ups: the aspect faces' labels sit in narrow cells ("พึงพอใจ/ปานกลาง").
    visit(page, live_kiosk, "/satisfaction", large=large)
    page.locator(".faces button[value='4']").click()
    page.wait_for_selector("[data-screen=feedback-unit]")
    answer_id = page.locator("form.followup-form").get_attribute("action").split("/")[2]
    for step in ("unit", "aspects", "reasons", "comment"):
        visit(page, live_kiosk, f"/satisfaction/{answer_id}/{step}", large=large)
        split += [f"{step}: {where}" for where in page.evaluate(SPLIT_WORDS, list(COMPOUNDS))["split"]]
    visit(page, live_kiosk, "/manual/lost-id-card", large=large)
    page.screenshot(path=screenshot_path(f"lost-id-card-{orientation}-{'large' if large else 'normal'}.png", tmp_path))
    page.close()
    assert split == []
    assert all(found.values()), found  # every word was on some screen, laid out


def test_the_unit_question_says_what_each_unit_does(page, live_kiosk):
    for lang in ("th", "en"):
        visit(page, live_kiosk, "/eit", lang=lang)
        for unit, description in UNIT_DESCRIPTIONS.items():
            button = page.locator(f'button[name="unit"][value="{unit}"]')
            expect(button).to_contain_text(description.in_language(lang))
            expect(button).to_have_accessible_description(description.in_language(lang))
    # the accessible names stay the unit names (the feedback flow taps them by name)
    expect(page.get_by_role("button", name="Traffic", exact=True)).to_be_visible()


@pytest.mark.parametrize("slug", ["lost-id-card", "criminal-record-check"])
def test_a_redirect_page_is_one_card(page, live_kiosk, slug):
    service = CONTENT.service(slug)
    visit(page, live_kiosk, f"/manual/{slug}")
    main = page.locator("main")
    expect(main.locator(".redirect-box")).to_have_count(1)
    card = main.locator(".redirect-box")
    for heading in ("สถานที่ติดต่อ", "เอกสารที่ต้องนำมา", "ค่าธรรมเนียม"):
        expect(card.get_by_role("heading", name=heading)).to_be_visible()
    expect(card).to_contain_text(service.fee.th)
    text = main.inner_text()
    assert text.count(service.redirect_to.th) == 1
    assert "หน่วยงานที่รับผิดชอบ" not in text
    expect(main.locator(".notice-rights")).to_have_count(0)
    expect(main.locator(".facts")).to_have_count(0)


SECONDARY = {
    "/manual/bail": [".doc-kind", ".facts dt", ".steps li small", ".qr-card .qr-address", ".small"],
    "/home": [".face-label"],
    "/eservices": [".qr-card .qr-address"],
    "/about": [".facts dt", ".figures dt"],
    "/eit": [".choice-what"],
}


@pytest.mark.parametrize("path", SECONDARY)
def test_secondary_text_is_at_least_22_px(page, live_kiosk, path):
    visit(page, live_kiosk, path)
    for selector in SECONDARY[path]:
        sizes = page.locator(selector).evaluate_all(
            "els => els.filter(e => e.getClientRects().length).map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert sizes, selector
        assert min(sizes) >= 22, (selector, sizes)


def test_aspect_labels_are_at_least_22_px_and_documents_are_bullets(page, live_kiosk):
    visit(page, live_kiosk, "/home")
    page.get_by_role("button", name="พึงพอใจมาก", exact=True).tap()
    page.locator('button[name="unit"][value="traffic"]').tap()
    labels = page.locator(".aspect-face-label")
    expect(labels.first).to_be_visible()
    assert min(labels.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")) >= 22
    visit(page, live_kiosk, "/manual/bail")
    expect(page.locator(".checklist .check")).to_have_count(0)
    expect(page.locator(".checklist input")).to_have_count(0)
    assert page.locator(".checklist").evaluate("e => getComputedStyle(e).listStyleType") == "disc"


def test_shift_times_read_the_thai_way_on_the_thai_screen(page, live_kiosk):
    visit(page, live_kiosk, "/about")
    shifts = page.locator(".on-duty .facts-compact").last
    expect(shifts).to_contain_text("08.00-16.00 น.")
    expect(shifts).not_to_contain_text("08:00")
    visit(page, live_kiosk, "/about", lang="en")
    expect(page.locator(".on-duty .facts-compact").last).to_contain_text("08:00-16:00")
