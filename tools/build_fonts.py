"""Build the fonts of the citizen languages into static/fonts/ (run by `make fonts`).

- Myanmar, Khmer, Lao: the script subsets (400 and 700) of Noto Sans Myanmar, Khmer and
  Lao from npm's @fontsource packages, copied as they are (Latin comes from Sarabun).
- Chinese: Noto Sans SC (@fontsource/noto-sans-sc, split by Google into ~100 files per
  weight) cut down with fontTools to the characters the kiosk shows in Chinese (the zh
  screen strings and content translations), merged into one small file per weight.
- The Chinese keyboard's candidates: every character simple-keyboard-layouts' chinese.js offers
  for a pinyin syllable (GB 2312, 6,763), one weight, a separate family that loads only when such
  a character is on screen (the comment screen in Chinese).
- The language control's names (မြန်မာ ខ្មែរ ລາວ 中文), on every screen: tiny subsets of
  their fonts, so that the start screen never loads a whole script font.

Re-run after changing the Chinese texts; tests/unit/test_language_fonts.py fails when a
character shown in Chinese is missing from the subset. Needs npm on the PATH and the dev
requirements (fonttools, brotli).

    python tools/build_fonts.py [--npm-cache DIR]
"""

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

from babel.messages.pofile import read_po
from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "static" / "fonts"
VERSION = "5.3.0"
SCRIPTS = {"my": ("noto-sans-myanmar", "myanmar"), "km": ("noto-sans-khmer", "khmer"), "lo": ("noto-sans-lao", "lao")}
WEIGHTS = (400, 700)
NAMES = {"my": "မြန်မာ", "km": "ខ្មែរ", "lo": "ລາວ", "zh": "中文"}
# Always in the Chinese subset: punctuation and the language's own name.
ZH_ALWAYS = "中文，。、：；？！（）“”‘’《》「」—…·"


def npm_package(name, cache):
    """The unpacked npm package @fontsource/<name> (downloaded once into `cache`)."""
    target = cache / f"{name}-{VERSION}"
    if not target.exists():
        subprocess.run(["npm", "pack", f"@fontsource/{name}@{VERSION}", "--silent"], cwd=cache, check=True)
        with tarfile.open(cache / f"fontsource-{name}-{VERSION}.tgz") as tar:
            tar.extractall(target, filter="data")
    return target / "package"


def chinese_characters():
    """Every non-ASCII character the kiosk shows in Chinese."""
    text = ZH_ALWAYS
    with (ROOT / "kiosk/translations/zh/LC_MESSAGES/messages.po").open("rb") as po:
        text += "".join(m.string for m in read_po(po) if isinstance(m.string, str))
    for path in (ROOT / "kiosk/content/defaults/translations").glob("zh.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        text += "".join(e["text"] for table in data.values() if isinstance(table, dict) for e in table.values())
    return sorted({c for c in text if ord(c) > 0x2FF})


def keyboard_characters():
    """Every character the vendored Chinese keyboard offers as a candidate."""
    text = (ROOT / "static/vendor/simple-keyboard/chinese.js").read_text(encoding="utf-8")
    return sorted({c for c in text if 0x3400 <= ord(c) <= 0x9FFF})


def subset_font(source, characters, target):
    """`source` cut down to `characters` (those it has), written as woff2 to `target`; None if none."""
    font = TTFont(source)
    cmap = font.getBestCmap()
    wanted = [c for c in characters if ord(c) in cmap]
    if not wanted:
        return None
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target)
    return wanted


def build_chinese(package, characters, weight, work, name="kiosk"):
    """One woff2 of Noto Sans SC at `weight` holding `characters`, merged from Google's slices."""
    parts = []
    for source in sorted((package / "files").glob(f"noto-sans-sc-*-{weight}-normal.woff2")):
        part = work / f"{source.stem}.ttf"
        font = TTFont(source)
        if not any(ord(c) in font.getBestCmap() for c in characters):
            continue
        font.flavor = None
        font.save(part)
        options = subset.Options()
        options.layout_features = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        cmap = font.getBestCmap()
        subsetter.populate(unicodes=[ord(c) for c in characters if ord(c) in cmap])
        font = TTFont(part)
        subsetter.subset(font)
        font.save(part)
        parts.append(str(part))
    merged = Merger().merge(parts) if len(parts) > 1 else TTFont(parts[0])
    merged.flavor = "woff2"
    target = OUT / "noto-sans-sc" / f"noto-sans-sc-{name}-{weight}.woff2"
    target.parent.mkdir(parents=True, exist_ok=True)
    merged.save(target)
    return target


def main():
    """Build every file and print what was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm-cache", type=Path, default=None)
    args = parser.parse_args()
    cache = args.npm_cache or Path(tempfile.mkdtemp(prefix="kiosk-fonts-"))
    cache.mkdir(parents=True, exist_ok=True)
    names_dir = OUT / "language-names"
    names_dir.mkdir(parents=True, exist_ok=True)
    for lang, (name, script) in SCRIPTS.items():
        package = npm_package(name, cache)
        target = OUT / name
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(package / "LICENSE", target / "OFL.txt")
        for weight in WEIGHTS:
            shutil.copy(package / "files" / f"{name}-{script}-{weight}-normal.woff2", target)
        subset_font(package / "files" / f"{name}-{script}-700-normal.woff2", NAMES[lang], names_dir / f"{lang}.woff2")
    package = npm_package("noto-sans-sc", cache)
    characters = chinese_characters()
    with tempfile.TemporaryDirectory() as work:
        for weight in WEIGHTS:
            print(build_chinese(package, characters, weight, Path(work)))
    with tempfile.TemporaryDirectory() as work:
        print(build_chinese(package, keyboard_characters(), 400, Path(work), name="keyboard"))
    shutil.copy(package / "LICENSE", OUT / "noto-sans-sc" / "OFL.txt")
    subset_font(OUT / "noto-sans-sc" / "noto-sans-sc-kiosk-700.woff2", NAMES["zh"], names_dir / "zh.woff2")
    shutil.copy(OUT / "noto-sans-sc" / "OFL.txt", names_dir / "OFL.txt")
    (OUT / "noto-sans-sc" / "characters.txt").write_text("".join(characters) + "\n", encoding="utf-8")
    print(f"{len(characters)} Chinese characters; fonts in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
