"""Rebuild words_th.txt, the word list of the line breaker of screens and posters (a tool for
maintainers; the kiosk itself never needs PyThaiNLP).

    pip download --no-deps pythainlp==5.4.0 -d /tmp/pt && unzip -q /tmp/pt/*.whl -d /tmp/pt/x
    PYTHONPATH=/tmp/pt/x python -m kiosk.signage.build_words [--common 4000]

The list is: every word of the kiosk's default content, the poster definitions
and the settings' station names, as PyThaiNLP's newmm segmenter cuts them with
its dictionary (words_th.txt, CC0), plus the most common words of the Thai
National Corpus (tnc_freq.txt, CC0) that are in that dictionary, plus EXTRA
(names and terms the dictionary lacks). A station whose own content has words
outside the list still gets correct lines: the breaker keeps unknown words
whole (see thai.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import tomllib

from kiosk.config.model import Settings
from kiosk.content.loader import Text, load_content
from kiosk.core.thaidate import MONTHS_TH, WEEKDAYS_TH
from kiosk.core.thaiwords import WORDS_FILE
from kiosk.signage.definitions import DEFINITIONS_FILE

# Names and terms that PyThaiNLP's dictionary cuts in two.
EXTRA = [
    "จังหาร",
    "สืบสวนสอบสวน",
    "ป้องกันปราบปราม",
    "ตำรวจภูธร",
    "ตำรวจท่องเที่ยว",
    "คิวอาร์โค้ด",
    "สายด่วน",
    "แชต",
    "ไลน์",
    "เฟซบุ๊ก",
    "ออนไลน์",
    "อินเทอร์เน็ต",
    "เว็บไซต์",
    "ดาวน์โหลด",
    "สแกน",
    "ผู้รับบริการ",
    "ผู้มารับบริการ",
    "ผู้มีส่วนได้ส่วนเสีย",
    "แบบวัด",
    "ดำรงธรรม",
    "เบ็ดเสร็จ",
]

# Dictionary entries that are not words on their own and cause bad breaks.
EXCLUDE = {"เจ้าหน้า"}

_THAI_ONLY = re.compile(r"^[\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E]+$")
_THAI_RUN = re.compile(r"[\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E]+")


def _texts(obj):
    """Every Thai string in content dataclasses, TOML tables and lists."""
    if isinstance(obj, Text):
        yield obj.th
    elif isinstance(obj, str):
        yield obj
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _texts(getattr(obj, f.name))
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _texts(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _texts(v)


def corpus_texts() -> list[str]:
    out = list(_texts(load_content()))
    out += list(_texts(tomllib.loads(DEFINITIONS_FILE.read_text(encoding="utf-8"))))
    out += list(_texts(Settings().station.model_dump()))
    out += list(MONTHS_TH) + list(WEEKDAYS_TH)
    return [t for t in out if _THAI_RUN.search(t)]


def build(common: int) -> list[str]:
    from pythainlp.corpus import get_corpus, thai_words
    from pythainlp.tokenize import word_tokenize

    dictionary = set(thai_words())
    words = set(EXTRA)
    custom = dictionary | set(EXTRA)
    from pythainlp.util import Trie

    trie = Trie(custom)
    for text in corpus_texts():
        for run in _THAI_RUN.findall(text):
            for w in word_tokenize(run, custom_dict=trie, engine="newmm", keep_whitespace=False):
                if _THAI_ONLY.match(w) and w in custom:
                    words.add(w)
    # the words that long compounds are made of, so that they may break between them
    for w in list(words):
        if len(w) >= 9:
            parts = word_tokenize(w, custom_dict=Trie(custom - {w}), engine="newmm")
            words.update(p for p in parts if p in dictionary and len(p) >= 3)
    freqs = []
    for line in get_corpus("tnc_freq.txt"):
        w, _, n = line.partition("\t")
        if n.strip().isdigit():
            freqs.append((int(n), w.strip()))
    count = 0
    for _, w in sorted(freqs, reverse=True):
        if w in dictionary and _THAI_ONLY.match(w) and len(w) > 1:
            words.add(w)
            count += 1
            if count >= common:
                break
    return sorted(w for w in words - EXCLUDE if _THAI_ONLY.match(w))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--common", type=int, default=4000, help="common words from the TNC list")
    args = ap.parse_args()
    words = build(args.common)
    header = [
        "# Thai words for the line breaker of screens and posters (kiosk/core/thaiwords.py), one per line.",
        "# Built by `python -m kiosk.signage.build_words` (see its docstring): the words of",
        "# the kiosk's content and poster definitions as PyThaiNLP 5.4 newmm cuts them, the",
        f"# {args.common} most common words of the Thai National Corpus frequency list,",
        "# and a few names. Sources: PyThaiNLP corpus words_th.txt and tnc_freq.txt,",
        "# CC0-1.0 (https://github.com/PyThaiNLP/pythainlp-corpus). Add a word by hand",
        "# if a station's text breaks badly; lines starting with # are ignored.",
    ]
    WORDS_FILE.write_text("\n".join(header + words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {WORDS_FILE}")


if __name__ == "__main__":
    main()
