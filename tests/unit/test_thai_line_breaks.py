"""One Thai line-breaking rule for the screens and the posters (kiosk.core.thaiwords):
compounds and names are never cut, and the screen's HTML offers exactly the poster's breaks."""

import re

import pytest
from markupsafe import Markup

from kiosk.content.loader import Text, load_content
from kiosk.core.thaidate import format_time_span
from kiosk.core.thaiwords import atoms, keep_whole, words
from kiosk.signage import thai
from kiosk.web.linebreaks import mark_breaks, mark_text, unmark

# The splits seen on the kiosk's screens (issue 16), in the sentences they came from.
COMPOUNDS = {
    "แจ้งความ": "บัตรประจำตัวประชาชนหาย (ไม่ต้องแจ้งความ)",
    "เจ้าหน้าที่": "แจ้งเจ้าหน้าที่ว่าบัตรหาย",
    "ใบอนุญาต": "เช่น ใบอนุญาตขับรถ หรือหนังสือเดินทาง",
    "ปานกลาง": "พึงพอใจปานกลาง",
    "ประจำวัน": "ขอสำเนาบันทึกประจำวัน",
    "แห่งชาติ": "สำนักงานตำรวจแห่งชาติกำหนด",
    "ผู้บังคับบัญชา": "รายงานผู้บังคับบัญชาภายใน 30 วัน",
    "e-Service": "บริการออนไลน์ (e-Service)",
}


def breaks(pieces):
    """The offsets between pieces: where a line may break."""
    out, pos = set(), 0
    for piece in pieces[:-1]:
        pos += len(piece)
        out.add(pos)
    return out


def inside(text, compound):
    start = text.index(compound)
    return set(range(start + 1, start + len(compound)))


@pytest.mark.parametrize("compound, sentence", COMPOUNDS.items())
def test_no_break_inside_a_compound(compound, sentence):
    for chunk in sentence.split():
        if compound in chunk:
            assert not breaks(words(chunk)) & inside(chunk, compound), words(chunk)
    assert compound in keep_whole()[0]


def test_words_still_break_between_words():
    assert words("ไม่ต้องแจ้งความที่สถานีตำรวจ") == ["ไม่ต้อง", "แจ้งความ", "ที่", "สถานีตำรวจ"]
    assert "".join(words("การประเมินคุณธรรมและความโปร่งใส")) == "การประเมินคุณธรรมและความโปร่งใส"


def test_a_line_never_ends_on_a_prefix():
    assert words("เป็นผู้ตอบ") == ["เป็น", "ผู้ตอบ"]
    assert words("ความคืบหน้าคดี") == ["ความคืบหน้า", "คดี"]


@pytest.mark.parametrize("width", range(3, 30))
def test_poster_lines_keep_compounds_whole(width):
    text = " ".join(COMPOUNDS.values())
    lines, _ = thai.break_lines(thai.atoms(text), width, len)
    joined = "\n".join(lines)
    for compound in COMPOUNDS:
        for i in range(1, len(compound)):
            assert compound[:i] + "\n" + compound[i:] not in joined, (compound, lines)


def screen_breaks(html):
    """The text of marked HTML and the offsets where the browser may break it: a <wbr>,
    or a space outside the no-wrap spans."""
    text, out, in_run = "", set(), False
    for token in re.split(r"(<[^>]+>)", html):
        if token == "<wbr>":
            out.add(len(text))
        elif token.startswith('<span class="tw">'):
            in_run = True
        elif token == "</span>":
            in_run = False
        elif token.startswith("<"):
            continue
        else:
            for char in token:
                text += char
                if char == " " and not in_run:
                    out.add(len(text))
    return text, out


def poster_breaks(text):
    """The same for the posters' atoms (after a space, or at a word boundary)."""
    pos, out = 0, set()
    for atom in atoms(text):
        pos += len(atom.text) + len(atom.sep)
        if atom.brk:
            out.add(pos)
    return out


def content_texts():
    texts = []

    def walk(obj):
        if isinstance(obj, Text):
            texts.append(obj.th)
        elif hasattr(obj, "__dataclass_fields__"):
            for name in obj.__dataclass_fields__:
                walk(getattr(obj, name))
        elif isinstance(obj, (list, tuple)):
            for value in obj:
                walk(value)

    walk(load_content())
    return [t for t in texts if re.search("[ก-๛]", t) and len(t.split()) > 1 and "\n" not in t]


def test_screens_and_posters_break_at_the_same_places():
    texts = content_texts()
    assert len(texts) > 100
    for text in texts:
        marked, offered = screen_breaks(mark_text(text))
        assert marked == " ".join(text.split())
        assert offered == poster_breaks(text), text


def test_short_labels_stay_on_one_line():
    # a label is one nowrap run with no <wbr>: hidden ones would split its accessible name
    assert mark_text("มากที่สุด") == '<span class="tw tl">มากที่สุด</span>'
    assert mark_text("เจ้าหน้าที่สุภาพ") == '<span class="tw">เจ้าหน้าที่<wbr>สุภาพ</span>'


def test_only_text_is_marked():
    html = (
        '<a href="/manual/lost-id-card" aria-label="ไม่ต้องแจ้งความ" title="สถานีตำรวจ">ไม่ต้องแจ้งความ</a>'
        "<textarea>ไม่ต้องแจ้งความ</textarea><script>let a = 'ไม่ต้องแจ้งความ';</script>"
        "<!-- ไม่ต้องแจ้งความ --><svg><text>ไม่ต้องแจ้งความ</text></svg>"
        '<span class="qr-address">https://changhan.roiet.police.go.th/onestop/manual/lost-id-card.html</span>'
        "<p data-own-breaks>ไม่ต้องแจ้งความ</p><p>Follow-up &amp; ไม่ต้องแจ้งความ</p>"
    )
    marked = mark_breaks(Markup(html))
    assert isinstance(marked, Markup)
    assert marked.count("<wbr>") == 2  # the link's text and the last paragraph's
    assert '<a href="/manual/lost-id-card" aria-label="ไม่ต้องแจ้งความ" title="สถานีตำรวจ">' in marked
    assert re.sub(r"<wbr>|</?span[^>]*>", "", marked) == re.sub(r"</?span[^>]*>", "", html)
    assert "https://changhan.roiet.police.go.th/onestop/manual/lost-id-card.html" in marked
    assert '<p><span class="tw">Follow-up</span> &amp; <span class="tw">ไม่ต้อง<wbr>แจ้งความ</span></p>' in marked


def test_english_without_hyphens_is_left_alone():
    assert mark_text("Very satisfied with the service") == "Very satisfied with the service"


def test_shift_times_are_written_the_thai_way():
    """Row 24 of the content review: "08.00-16.00 น." on the Thai screen and poster."""
    assert format_time_span("08:00-16:00", "th") == "08.00-16.00 น."
    assert format_time_span("08:00-16:00", "en") == "08:00-16:00"
    assert format_time_span("เช้า", "th") == "เช้า"
    # and the span stays on one line ("16.00 น." never splits)
    assert mark_text("ผลัด 08.00-16.00 น.") == '<span class="tw">ผลัด</span> <span class="tw">08.00-16.00 น.</span>'


def test_unmark_gives_back_the_html_as_written():
    html = '<p class="lead">ไม่ต้องแจ้งความที่สถานีตำรวจ ยื่นขอ 08.00-16.00 น.</p><span class="x">มากที่สุด</span>'
    assert unmark(mark_breaks(html)) == html
