"""Every character the kiosk shows in Chinese is in the Chinese font subset (re-run
`make fonts` after changing the Chinese texts), and every script font is vendored with its licence."""

import tomllib

from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from tests.helpers.paths import ROOT

FONTS = ROOT / "static" / "fonts"


def chinese_text():
    with (ROOT / "kiosk/translations/zh/LC_MESSAGES/messages.po").open("rb") as po:
        text = "".join(m.string for m in read_po(po) if isinstance(m.string, str))
    data = tomllib.loads((ROOT / "kiosk/content/defaults/translations/zh.toml").read_text(encoding="utf-8"))
    return text + "".join(e["text"] for t in data.values() if isinstance(t, dict) for e in t.values())


def test_the_chinese_subset_holds_every_character_shown():
    for weight in (400, 700):
        cmap = TTFont(FONTS / "noto-sans-sc" / f"noto-sans-sc-kiosk-{weight}.woff2").getBestCmap()
        missing = sorted({c for c in chinese_text() if 0x2E80 <= ord(c) <= 0xFFEF and ord(c) not in cmap})
        assert not missing, f"run `make fonts`: {''.join(missing)}"


def test_each_script_font_has_its_licence_and_its_letters():
    for folder, letter in [
        ("noto-sans-myanmar", "မ"),
        ("noto-sans-khmer", "ខ"),
        ("noto-sans-lao", "ລ"),
        ("noto-sans-sc", "中"),
    ]:
        assert "SIL Open Font License" in (FONTS / folder / "OFL.txt").read_text(encoding="utf-8")
        font = next((FONTS / folder).glob("*700*.woff2"))
        assert ord(letter) in TTFont(font).getBestCmap(), folder
