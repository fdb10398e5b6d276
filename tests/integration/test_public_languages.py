"""The public pages and the posters in the station's other languages: a page per language (a
QR code on a screen in Myanmar opens the Myanmar page, which exists), a language list on every
page, and the No Gift Policy and reporting-channel posters in Thai over each language, drawn
in that script, whose codes decode to pages of the published folder."""

import html
import re
import unicodedata

import pytest
import zxingcpp
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.config.settings import load_settings
from kiosk.content.loader import load_content
from kiosk.core.i18n import LANGUAGE_NAMES
from kiosk.publish import classify
from kiosk.signage import load_job
from tests.helpers.credentials import TEST_SECRETS

BASE = "https://changhan.roiet.police.go.th/onestop/"
SCRIPT = {"my": "MYANMAR", "km": "KHMER", "lo": "LAO", "zh": "CJK"}
OFFERED = ["th", "en", "my", "zh"]


def in_script(text, lang):
    """How many letters of `text` are written in `lang`'s script."""
    return sum(1 for c in text if c.isalpha() and unicodedata.name(c, "").startswith(SCRIPT[lang]))


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    root = tmp_path_factory.mktemp("public-languages")
    config = root / "station.toml"
    config.write_text(f"[station]\nlanguages = {OFFERED!r}\n".replace("'", '"'), encoding="utf-8")
    out = root / "site"
    result = CliRunner().invoke(
        main,
        ["publish", "--out", str(out), "--data-dir", str(root / "data"), "--config", str(config)],
        env=TEST_SECRETS,
    )
    assert result.exit_code == 0, result.output
    assert "pages in th, en, my, zh" in result.output
    return {"config": config, "site": out, "root": root}


@pytest.mark.parametrize("lang", ["my", "zh"])
def test_each_offered_language_has_its_pages_in_its_script(station, lang):
    site = station["site"]
    policy = (site / lang / "policy.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in policy
    body = re.sub(r"<[^>]+>", " ", policy.split("<main", 1)[1].split("</main>", 1)[0])
    assert in_script(html.unescape(body), lang) > 100  # the No Gift Policy in that language
    assert (site / lang / "manual" / "lost-documents.html").is_file()
    assert (site / lang / "assets").exists() is False  # one assets folder for every language
    # its font, served from the folder, with its licence
    font = re.search(r"url\(([^)]+\.woff2)\)", policy).group(1)
    assert (site / lang / font).resolve().is_file()


def test_the_languages_not_offered_have_no_pages(station):
    assert not (station["site"] / "km").exists() and not (station["site"] / "lo").exists()


def test_every_page_lists_the_languages_and_each_link_opens_a_page(station):
    site = station["site"]
    for path in ("index.html", "my/manual/bail.html", "zh/eit/traffic.html", "en/policy.html"):
        page = (site / path).read_text(encoding="utf-8")
        nav = page.split('<nav class="langs"', 1)[1].split("</nav>", 1)[0]
        for code in OFFERED:
            assert LANGUAGE_NAMES[code] in nav
        for href in re.findall(r'href="([^"]+)"', nav):
            assert (site / path).parent.joinpath(href).resolve().is_file(), (path, href)
        assert LANGUAGE_NAMES["km"] not in nav
        # The names in their own scripts, with their fonts in the site: a phone without
        # Myanmar or Chinese fonts still reads them (not boxes).
        fonts = re.findall(r"url\(([^)]*language-names/(\w+)\.woff2)\)", page)
        assert sorted(code for _url, code in fonts) == ["my", "zh"], path
        for url, _code in fonts:
            assert (site / path).parent.joinpath(url).resolve().is_file(), (path, url)


def test_a_code_on_a_screen_in_myanmar_opens_the_myanmar_page(station):
    result = CliRunner().invoke(
        main, ["publish", "--check", str(station["site"]), "--config", str(station["config"])], env=TEST_SECRETS
    )
    assert result.exit_code == 0, result.output
    assert f"ok       {BASE}my/manual/lost-documents.html" in result.output
    assert f"ok       {BASE}zh/policy.html" in result.output
    assert "Every code of the kiosk and the posters has its page." in result.output


@pytest.mark.parametrize(("name", "lang"), [("no-gift-my", "my"), ("anti-bribery-zh", "zh"), ("hotlines-my", "my")])
def test_the_policy_and_channel_posters_carry_the_language_and_their_codes_open_its_pages(station, name, lang):
    settings = load_settings(str(station["config"]))
    job = load_job(settings=settings, content=load_content())
    assert {"no-gift-my", "anti-bribery-my", "hotlines-my", "no-gift-zh"} <= set(job.names)
    assert not any(n.endswith(("-km", "-lo")) for n in job.names)
    rendered = job.render(name, "A4", 100)
    texts = " ".join(item.value for page in rendered.pages for item in page.items if item.kind == "text")
    assert in_script(texts, lang) > 50
    thai = sum(1 for c in texts if unicodedata.name(c, "").startswith("THAI"))
    assert "สถานีตำรวจภูธรจังหาร" in texts and thai > 200  # Thai stays on top
    codes = [code.text for page in rendered.pages for code in zxingcpp.read_barcodes(page.image)]
    assert codes or name.startswith("hotlines")  # the hotlines poster has numbers, no codes
    for url in codes:
        path = classify(url, BASE)
        if path is not None:
            assert path.startswith(f"{lang}/"), url
            assert (station["site"] / path).is_file(), url


def test_the_chinese_poster_is_drawn_with_its_font_not_boxes(station):
    from PIL import Image, ImageDraw

    from kiosk.signage.typeset import draw_text, measure

    text = "本处不收受任何礼物"
    image = Image.new("L", (900, 120), 255)
    draw_text(ImageDraw.Draw(image), (10, 90), text, True, 80, 0)
    # every character has its own shape: no two alike (missing glyphs would all be the same box)
    cells = [image.crop((10 + i * 80, 10, 10 + (i + 1) * 80, 110)).tobytes() for i in range(len(text))]
    assert len(set(cells)) == len(text)
    assert 8 * 80 <= measure(True, 80, text) <= 10 * 80
