"""The on-screen keyboard (Thai Kedmanee / English) in headless Chromium, on the real static files.

No test route: the page is opened on the live server's origin (/healthz), then replaced with a
small document whose stylesheets and scripts are absolute URLs on that server, under a strict
Content-Security-Policy (no inline script, no eval), with the real _keyboard.html partial.
"""

import pytest
from flask import render_template
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MAX = 20
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self'"


@pytest.fixture
def keyboard_markup(app):
    with app.test_request_context("/"):
        return render_template("_keyboard.html")


def textarea_html(markup, name="comment"):
    return f'<textarea name="{name}" data-osk maxlength="{MAX}" inputmode="none" rows="2"></textarea>' + markup


def document_html(base, markup, lang):
    static = base + "/static/"
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>keyboard</title>
<link rel="icon" href="{static}img/logo.svg" type="image/svg+xml">
<link rel="stylesheet" href="{static}fonts/sarabun.css">
<link rel="stylesheet" href="{static}css/kiosk.css">
<link rel="stylesheet" href="{static}vendor/simple-keyboard/simple-keyboard.css">
<link rel="stylesheet" href="{static}css/keyboard.css">
<script src="{static}vendor/simple-keyboard/simple-keyboard.min.js" defer></script>
<script src="{static}vendor/simple-keyboard/thai.js" defer></script>
<script src="{static}js/keyboard.js" defer></script>
</head>
<body>
<div id="app"><div class="app" data-lang="{lang}"><main class="screen" id="screen">
  <h1 class="screen-title">ความคิดเห็นเพิ่มเติม (ไม่บังคับ)</h1>
  <form id="feedback" class="rate">
    <div id="slot">{textarea_html(markup)}</div>
  </form>
</main></div></div>
</body>
</html>"""


class KeyboardPage:
    def __init__(self, page, base):
        self.page = page
        self.base = base
        self.requests = []
        self.problems = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda msg: msg.type in ("error", "warning") and self.problems.append(msg.text))
        page.on("pageerror", lambda error: self.problems.append(str(error)))

    def open(self, markup, lang="th"):
        self.page.goto(self.base + "/healthz")
        self.page.set_content(document_html(self.base, markup, lang))
        self.page.wait_for_function("() => window.KioskKeyboard && window.KioskKeyboard.count() === 1")
        self.page.evaluate("document.fonts.ready")
        # Record every input event the textarea fires (set up from outside the page: no inline script).
        self.page.evaluate(
            """() => { window.inputEvents = [];
                document.querySelector('textarea[data-osk]').addEventListener(
                    'input', e => window.inputEvents.push(e.target.value)); }"""
        )
        return self

    def key(self, value):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return self.page.locator(f'[data-osk-keys] [data-skbtn="{escaped}"]').first

    def tap(self, *values):
        for value in values:
            self.key(value).tap()

    @property
    def textarea(self):
        return self.page.locator("textarea[data-osk]")

    @property
    def counter(self):
        return self.page.locator("[data-osk-count]")

    def value(self):
        return self.textarea.input_value()

    def clean(self):
        assert self.problems == [], self.problems
        assert self.requests and all(url.startswith(self.base + "/") for url in self.requests), self.requests


@pytest.fixture
def osk(page, live_kiosk, keyboard_markup):
    kb = KeyboardPage(page, live_kiosk.url).open(keyboard_markup)
    yield kb
    kb.clean()


def test_works_under_a_csp_without_inline_script_or_eval(osk):
    # The policy (script-src 'self', so no inline script and no eval) is in force ...
    osk.page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.head.append(s); }"
    )
    assert osk.page.evaluate("window.inlineRan") is None
    assert any("Content Security Policy" in text for text in osk.problems)
    osk.problems.clear()
    # ... and the keyboard still works (any refusal it caused would be a console error, see clean()).
    osk.tap("ก")
    assert osk.value() == "ก"


def test_thai_word_with_vowel_and_tone_marks(osk):
    expect(osk.counter).to_have_text(f"0/{MAX}")
    # Combining marks sit on a dotted circle (drawn by CSS) so that they show on their keys.
    for mark in "\u0e31\u0e35\u0e49\u0e48\u0e38":
        expect(osk.key(mark)).to_have_text(mark)
        expect(osk.key(mark).locator(".osk-base")).to_be_visible()
    osk.tap("ส", "ว", "\u0e31", "ส", "ด", "\u0e35")
    assert osk.value() == "สวัสดี"
    expect(osk.counter).to_have_text(f"6/{MAX}")
    # Every key press reached other scripts as an input event.
    assert osk.page.evaluate("window.inputEvents") == ["ส", "สว", "สวั", "สวัส", "สวัสด", "สวัสดี"]
    assert osk.textarea.get_attribute("readonly") is not None
    assert osk.textarea.get_attribute("inputmode") == "none"


def test_shift_is_one_shot(osk):
    shift = osk.key("{shift}")
    expect(shift).to_have_attribute("aria-pressed", "false")
    shift.tap()
    expect(shift).to_have_attribute("aria-pressed", "true")
    expect(osk.key("ฉ")).to_be_visible()
    expect(osk.key("\u0e47").locator(".osk-base")).to_be_visible()  # mai taikhu, a shifted mark
    expect(osk.key("ส")).to_have_count(0)
    osk.tap("ฉ")
    # Back to the normal layer after one character.
    expect(osk.key("ส")).to_be_visible()
    expect(osk.key("ฉ")).to_have_count(0)
    expect(osk.key("{shift}")).to_have_attribute("aria-pressed", "false")
    osk.tap("ั", "น")
    assert osk.value() == "ฉัน"


def test_english_layout_types_letters_and_digits(osk):
    osk.tap("{lang}")
    expect(osk.key("q")).to_be_visible()
    expect(osk.key("{lang}")).to_have_text("ไทย")
    osk.tap("{shift}", "H", "i", "{space}", "1", "5", "9", "9")
    assert osk.value() == "Hi 1599"
    expect(osk.counter).to_have_text(f"7/{MAX}")
    # And back to Thai.
    osk.tap("{lang}")
    expect(osk.key("{lang}")).to_have_text("ABC")
    osk.tap("ก")
    assert osk.value() == "Hi 1599ก"


def test_backspace_and_clear(osk):
    osk.tap("ก", "ข", "\u0e48")
    assert osk.value() == "กข่"
    osk.tap("{bksp}")  # removes the tone mark alone
    assert osk.value() == "กข"
    osk.tap("{bksp}")
    assert osk.value() == "ก"
    osk.tap("ค", "{space}", "ง")
    assert osk.value() == "กค ง"
    osk.tap("{clear}")
    assert osk.value() == ""
    expect(osk.counter).to_have_text(f"0/{MAX}")
    assert osk.page.evaluate("window.inputEvents").pop() == ""


def test_maxlength_is_enforced(osk):
    for _ in range(MAX + 5):
        osk.tap("ก")
    assert osk.value() == "ก" * MAX
    expect(osk.counter).to_have_text(f"{MAX}/{MAX}")
    expect(osk.counter).to_have_class("osk-count osk-count-full")
    osk.tap("{space}")
    assert len(osk.value()) == MAX
    osk.tap("{bksp}")
    expect(osk.counter).to_have_text(f"{MAX - 1}/{MAX}")


def test_keys_are_buttons_that_do_not_submit_the_form(osk):
    osk.page.evaluate(
        "document.getElementById('feedback').addEventListener('submit', e => { e.preventDefault(); window.submitted = true; })"
    )
    osk.tap("ก", "{shift}", "{lang}", "{space}", "{bksp}", "{clear}")
    assert osk.page.evaluate("window.submitted") is None
    types = osk.page.eval_on_selector_all("[data-osk-keys] .hg-button", "els => els.map(e => e.type)")
    assert types and set(types) == {"button"}


def test_reattaches_after_an_htmx_swap_without_leaking(osk, keyboard_markup):
    osk.tap("ก")
    for round_ in range(2):
        osk.page.evaluate(
            """markup => {
                document.getElementById('slot').innerHTML = markup;
                document.body.dispatchEvent(new CustomEvent('htmx:afterSwap', {bubbles: true}));
            }""",
            textarea_html(keyboard_markup, name=f"comment{round_}"),
        )
        osk.page.wait_for_function("() => document.querySelector('[data-osk-keys] .hg-button') !== null")
        counts = osk.page.evaluate(
            """() => ({
                attached: window.KioskKeyboard.count(),
                keyboards: document.querySelectorAll('.hg-theme-default').length,
                instances: Object.keys(window.SimpleKeyboardInstances).length,
                textareas: document.querySelectorAll('textarea[data-osk]').length,
            })"""
        )
        assert counts == {"attached": 1, "keyboards": 1, "instances": 1, "textareas": 1}
        expect(osk.counter).to_have_text(f"0/{MAX}")
        osk.tap("ด", "\u0e35")
        assert osk.value() == "ดี"
        assert osk.textarea.get_attribute("name") == f"comment{round_}"


def contrast(rgb_a, rgb_b):
    def luminance(rgb):
        def channel(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


KEY_GEOMETRY = """els => els.map(e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    let bg = s.backgroundColor;
    if (bg === 'rgba(0, 0, 0, 0)') bg = getComputedStyle(e.closest('.osk')).backgroundColor;
    return {key: e.dataset.skbtn, left: r.left, right: r.right, width: r.width, height: r.height,
            color: s.color, background: bg, font: s.fontFamily,
            overflow: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1};
})"""


def rgb(css):
    return tuple(int(float(part)) for part in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


@pytest.mark.parametrize("width,height,large", [(1920, 1080, False), (1080, 1920, False), (1080, 1920, True)])
def test_keys_are_big_readable_and_fit_the_screen(page, live_kiosk, keyboard_markup, width, height, large):
    page.set_viewport_size({"width": width, "height": height})
    osk = KeyboardPage(page, live_kiosk.url).open(keyboard_markup)
    if large:  # the kiosk's "larger text" setting
        page.evaluate("document.querySelector('.app').classList.add('text-large')")
    assert page.evaluate("document.fonts.check('34px Sarabun', 'กขั้')")
    osk.tap("ท", "\u0e35", "\u0e48", "น", "\u0e35", "\u0e48")  # stacked marks in the textarea
    assert osk.value() == "ที่นี่"
    suffix = "-large" if large else ""
    for name, taps in [("th", []), ("th-shift", ["{shift}"]), ("en", ["{lang}"])]:
        osk.tap(*taps)
        page.wait_for_timeout(100)  # let the pressed look fade before the picture
        osk.page.locator(".osk").screenshot(path=f"/tmp/osk-{width}x{height}{suffix}-{name}-keys.png")
        page.screenshot(path=f"/tmp/osk-{width}x{height}{suffix}-{name}.png")
        keys = page.eval_on_selector_all("[data-osk-keys] .hg-button", KEY_GEOMETRY)
        assert len(keys) >= 40
        small = [k for k in keys if k["width"] < 64 or k["height"] < 64]
        assert not small, small
        outside = [k for k in keys if k["left"] < 0 or k["right"] > width]
        assert not outside, outside
        clipped = [k for k in keys if k["overflow"]]
        assert not clipped, clipped
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("document.querySelector('.osk').scrollWidth <= document.querySelector('.osk').clientWidth")
        low = [k for k in keys if contrast(rgb(k["color"]), rgb(k["background"])) < 4.5]
        assert not low, low
        assert all(k["font"].startswith('"Sarabun"') or k["font"].startswith("Sarabun") for k in keys)
        if taps == ["{shift}"]:
            osk.tap("{shift}")  # leave the shift layer before the next picture
    osk.clean()


def test_english_pages_start_on_the_english_layout(page, live_kiosk, keyboard_markup):
    osk = KeyboardPage(page, live_kiosk.url).open(keyboard_markup, lang="en")
    expect(osk.key("q")).to_be_visible()
    expect(osk.key("{lang}")).to_have_text("ไทย")
    osk.clean()
