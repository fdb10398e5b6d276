"""The citizen languages in Chromium: a citizen picks Myanmar, Khmer, Lao or Chinese from the
start, rates in one tap, reads the No Gift Policy and the lost-documents manual, and every word
on those screens is in that language (checked by the Unicode script of the rendered text); the
next citizen starts in Thai; nothing is clipped or overflows, in both orientations and in large
text; axe finds no violation; the start screen's first load stays under 300 KB."""

import re
import unicodedata

import pytest
from playwright.sync_api import expect

from kiosk.core.i18n import LANGUAGE_NAMES
from tests.helpers.paths import ROOT
from tests.helpers.servers import LiveKiosk
from tests.helpers.touch import tap


@pytest.fixture(scope="module")
def live_kiosk(tmp_path_factory):
    """A demo kiosk set to offer all six languages."""
    root = tmp_path_factory.mktemp("languages")
    settings = root / "languages.toml"
    settings.write_text('[station]\nlanguages = ["th", "en", "my", "km", "lo", "zh"]\n', encoding="utf-8")
    kiosk = LiveKiosk(root / "data", settings)
    yield kiosk
    kiosk.stop()


pytestmark = pytest.mark.e2e
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"

# The script each language is written in (unicodedata's name prefix of its letters).
SCRIPTS = {"my": "MYANMAR", "km": "KHMER", "lo": "LAO", "zh": "CJK"}
# Latin words allowed on a translated screen: acronyms and names of programmes, systems and
# laws that are written in Latin letters in every language (the station's own name and the
# addresses of QR codes are left out by selector, below).
LATIN_ALLOWED = {"ITA", "EIT", "NACC", "ITAS", "QR", "PTM", "PACC", "Case", "ID", "e-Ticket", "Chang", "Han"}
# Text that is a name or an address, whatever the language: the language control (each
# language in its own script), the station's name, the addresses printed under QR codes.
NAMES_AND_ADDRESSES = ".lang-switch, .brand-name strong, .qr-address, .qr-card a, .qr-url, [data-qr-url]"

VISIBLE_TEXT = """(skip) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skip) || el.closest('script, style, template, [hidden]')) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    out.push(text);
  }
  return out;
}"""


def script_of(char):
    """The script of a letter ("THAI", "LATIN", "MYANMAR"...), None for digits and signs."""
    if not unicodedata.category(char).startswith(("L", "M")):
        return None
    name = unicodedata.name(char, "")
    if name.startswith(("CJK", "FULLWIDTH")):
        return "CJK"
    return name.split(" ")[0]


def foreign_words(texts, lang):
    """The words of `texts` written in a script other than `lang`'s, beyond the allowed ones."""
    found = []
    for text in texts:
        for word in re.split(r"[\s/()（）:：,，.。;；·\-។៕၊။“”]+", text):
            scripts = {script_of(c) for c in word} - {None}
            if scripts - {SCRIPTS[lang]} and word.strip(".") not in LATIN_ALLOWED and word not in LATIN_ALLOWED:
                found.append(word)
    return found


def tap_the_start_screen(page):
    """A finger on the slides: the whole start screen is the link laid over them."""
    tap(page, ".slides")


def assert_all_in(page, lang, screen):
    page.wait_for_load_state("networkidle")
    texts = page.evaluate(VISIBLE_TEXT, NAMES_AND_ADDRESSES)
    assert texts, screen
    left = foreign_words(texts, lang)
    assert not left, f"{lang} {screen}: words in another script: {left}"
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^" + lang))


@pytest.mark.parametrize("lang", ["my", "km", "lo", "zh"])
def test_a_citizen_reads_and_rates_in_their_language_and_the_next_starts_in_thai(page, live_kiosk, lang):
    page.goto(live_kiosk.url + "/")
    tap_the_start_screen(page)
    expect(page.get_by_role("heading", name="ต้องการรับบริการเรื่องใด")).to_be_visible()
    page.locator(".lang-menu > summary").tap()
    page.get_by_role("link", name=LANGUAGE_NAMES[lang], exact=True).tap()
    expect(page.locator(".app")).to_have_attribute("data-lang", lang)
    assert_all_in(page, lang, "home")
    # One tap on a face records the answer; the follow-ups are in the language too.
    page.locator(".face-button[value='5']").tap()
    expect(page.locator("[data-screen^='feedback']")).to_be_visible()
    assert_all_in(page, lang, "after the rating")
    page.locator(".control-home").tap()
    page.locator(".tile-policy").tap()
    expect(page.locator("[data-screen='policy']")).to_be_visible()
    assert_all_in(page, lang, "No Gift Policy")
    page.locator(".control-home").tap()
    page.locator(".tile-manual").tap()
    page.locator("a.situation[href$='/lost']").tap()
    expect(page.locator("[data-screen='manual-situation']")).to_be_visible()
    page.locator("a.service-link[href*='/lost-documents?from=lost']").tap()  # back link: to the situation
    expect(page.locator("[data-screen='service']")).to_be_visible()
    assert_all_in(page, lang, "lost-documents manual")
    expect(page.locator(".translation-note")).to_be_visible()
    # The next citizen: the start screen forgets the language.
    page.goto(live_kiosk.url + "/")
    tap_the_start_screen(page)
    expect(page.get_by_role("heading", name="ต้องการรับบริการเรื่องใด")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "th")


OVERFLOW = """() => {
  const bad = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) bad.push('page scrolls sideways');
  for (const el of document.querySelectorAll('#app *')) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (box.width === 0 || style.visibility === 'hidden' || el.closest('svg')) continue;
    const label = el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 40);
    if (box.right > width + 1) bad.push('beyond the screen: ' + label);
    const clipsX = style.overflowX !== 'visible' && style.overflowX !== 'auto' && style.overflowX !== 'scroll';
    const clipsY = style.overflowY !== 'visible' && style.overflowY !== 'auto' && style.overflowY !== 'scroll';
    if (clipsX && el.scrollWidth > el.clientWidth + 1) bad.push('clipped across: ' + label);
    if (clipsY && el.scrollHeight > el.clientHeight + 1) bad.push('clipped down: ' + label);
    if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) bad.push('cut: ' + label);
  }
  return bad;
}"""


@pytest.mark.parametrize("lang", ["my", "km", "lo", "zh"])
def test_nothing_is_clipped_in_either_orientation_or_in_large_text(browser, live_kiosk, lang):
    for width, height in [(1920, 1080), (1080, 1920)]:
        context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True)
        page = context.new_page()
        for text in ("normal", "large"):
            for path in ("/home", "/policy", "/manual/lost-documents", "/manual", "/eservices", "/about", "/eit"):
                page.goto(f"{live_kiosk.url}{path}?lang={lang}&text={text}")
                page.wait_for_load_state("networkidle")
                problems = page.evaluate(OVERFLOW)
                assert not problems, f"{lang} {path} {width}x{height} {text}: {problems[:5]}"
        context.close()


def axe_violations(page, url, script):
    page.goto(url)
    page.add_script_tag(content=script)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )


@pytest.mark.parametrize("lang", ["my", "km", "lo", "zh"])
def test_axe_finds_no_violation_in_each_language(browser, live_kiosk, lang):
    # axe is injected by the test: the kiosk's policy allows no inline script, so bypass it here.
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, has_touch=True, bypass_csp=True)
    page = context.new_page()
    script = AXE.read_text(encoding="utf-8")
    failures = {}
    for path in ("/home", "/policy", "/manual/lost-documents", "/eservices", "/eit"):
        # What the screens' layout has in Thai too is the layout's, not the language's (issue 16
        # restyles it); a language must add nothing to it.
        thai = set(axe_violations(page, f"{live_kiosk.url}{path}?lang=th", script))
        violations = [v for v in axe_violations(page, f"{live_kiosk.url}{path}?lang={lang}", script) if v not in thai]
        if violations:
            failures[path] = violations
    context.close()
    assert not failures, failures


def test_each_font_is_in_its_language_and_loads_only_when_chosen(page, live_kiosk):
    fonts = []
    page.on("requestfinished", lambda request: fonts.append(request.url) if request.url.endswith(".woff2") else None)
    page.goto(live_kiosk.url + "/home")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fonts if "noto-sans" in url], fonts
    for lang, family in [
        ("my", "Noto Sans Myanmar"),
        ("km", "Noto Sans Khmer"),
        ("lo", "Noto Sans Lao"),
        ("zh", "Noto Sans SC Kiosk"),
    ]:
        page.goto(f"{live_kiosk.url}/home?lang={lang}")
        page.wait_for_load_state("networkidle")
        title = page.locator("h1.screen-title")
        assert page.evaluate(f"document.fonts.check('700 32px \"{family}\"', {title.inner_text()!r})")
        rendered = page.evaluate(
            "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))"
        )
        assert family in rendered, (lang, rendered)


def test_the_start_screen_first_load_stays_under_300_kb(browser, live_kiosk):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, has_touch=True)
    page = context.new_page()
    sizes = []

    def record(request):
        size = request.sizes()
        sizes.append((request.url, size["responseBodySize"] + size["responseHeadersSize"]))

    page.on("requestfinished", record)
    page.goto(live_kiosk.url + "/")
    page.wait_for_load_state("networkidle")
    total = sum(size for _, size in sizes)
    assert total < 300_000, sorted(sizes, key=lambda s: -s[1])[:8]
    context.close()
