"""Printable posters: Thai set correctly, every QR code decodes from the poster
itself, nothing overlaps or leaves the print margins, exact paper sizes, PDF,
the CLI. Most posters are drawn at a low resolution to keep this fast; one A4
and one A3 poster are drawn at 300 dpi."""

import dataclasses
import math
import re

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image, ImageFont, features

from kiosk.cli import main
from kiosk.content.loader import Text, public_url
from kiosk.signage import LayoutError, PosterError, load_job, page_size, render_all, save, thai
from kiosk.signage.definitions import build_posters, load_definitions
from kiosk.signage.typeset import FONT_FILES, Style, font, layout_para

LOW_DPI = 100  # QR modules stay 5 px or more: decodable, and quick to draw
MM = 25.4


@pytest.fixture(scope="module")
def job():
    return load_job()


@pytest.fixture(scope="module")
def rendered(job):
    """Every poster, A4, at LOW_DPI (drawn once for the module)."""
    return {name: job.render(name, "A4", LOW_DPI) for name in job.names}


def decode(image):
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def _intersect(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(a, b):
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


def check_page(name, r, page):
    """Text and QR codes inside the margins, not overlapping, not crossing the
    edge of a panel or a rule."""
    ink = [i for i in page.items if i.kind in ("text", "qr")]
    panels = [i for i in page.items if i.kind == "panel"]
    rules = [i for i in page.items if i.kind == "rule"]
    assert ink, name
    for it in page.items:
        assert _inside(it.bbox, r.safe_box), f"{name}: outside the print margins: {it}"
    for i, a in enumerate(ink):
        for b in ink[i + 1 :]:
            assert not _intersect(a.bbox, b.bbox), f"{name}: overlap: {a} / {b}"
        for p in panels:
            assert not _intersect(a.bbox, p.bbox) or _inside(a.bbox, p.bbox), f"{name}: {a} crosses {p}"
        for rule in rules:
            assert not _intersect(a.bbox, rule.bbox), f"{name}: {a} crosses a rule"


# ---------------------------------------------------------------------------
# Thai text.


def test_raqm_is_available_and_used():
    assert features.check("raqm"), "install libfribidi0: without raqm Thai marks are drawn wrongly"
    assert font(False, 40).layout_engine == ImageFont.Layout.RAQM


def test_font_has_thai_and_latin_and_its_licence():
    for path in FONT_FILES.values():
        assert path.is_file()
    assert "SIL Open Font License" in (FONT_FILES[False].parent / "OFL.txt").read_text()
    f = font(False, 60)
    for ch in ("ก", "A", "7", "฿"):
        assert f.getmask(ch).getbbox() is not None, ch


def test_tone_marks_stack_above_upper_vowels():
    """With raqm the tone mark of ที่ sits above the vowel (taller ink than ที);
    the basic layout draws it over the vowel (same height)."""
    size = 100
    raqm = font(False, size)
    top = lambda f, t: f.getbbox(t, anchor="ls")[1]  # noqa: E731
    assert top(raqm, "ที่") < top(raqm, "ที") - size * 0.1
    assert top(raqm, "ปั่น") < top(raqm, "ปัน") - size * 0.1
    basic = ImageFont.truetype(str(FONT_FILES[False]), size, layout_engine=ImageFont.Layout.BASIC)
    assert top(basic, "ที่") == top(basic, "ที")


KNOWN = [
    "ประชาชน",
    "เจ้าหน้าที่",
    "ค่าธรรมเนียม",
    "ที่นี่",
    "ปั่น",
    "สถานีตำรวจ",
    "บันทึกประจำวัน",
    "พนักงานสอบสวน",
    "ใบเสร็จรับเงิน",
    "ความปลอดภัย",
]
SENTENCES = [
    "เจ้าหน้าที่จะแจ้งค่าธรรมเนียมให้ประชาชนทราบที่นี่ก่อนชำระเงินทุกครั้ง",
    "ประชาชนไม่ต้องให้สิ่งใดแก่เจ้าหน้าที่ทั้งก่อนระหว่างและหลังการรับบริการ",
    "ท่านชำระเฉพาะค่าธรรมเนียมที่กฎหมายกำหนดและได้รับใบเสร็จรับเงินทุกครั้ง",
    "พนักงานสอบสวนลงบันทึกประจำวันเพื่อความปลอดภัยของประชาชน",
]


@pytest.mark.parametrize("word", KNOWN)
def test_known_words_are_never_split(word):
    assert thai.words(word) == [word]


def _break_points(pieces):
    out, pos = set(), 0
    for p in pieces[:-1]:
        pos += len(p)
        out.add(pos)
    return out


def _inside_word(text, cut):
    for w in KNOWN:
        for m in re.finditer(re.escape(w), text):
            if m.start() < cut < m.end():
                return w
    return None


@pytest.mark.parametrize("text", SENTENCES)
def test_breaks_fall_between_words(text):
    pieces = thai.words(text)
    assert "".join(pieces) == text
    assert len(pieces) > 3
    for cut in _break_points(pieces):
        assert _inside_word(text, cut) is None, (text, cut, pieces)


@pytest.mark.parametrize(
    "text",
    SENTENCES
    + [
        "ข้าราชการตำรวจของสถานีตำรวจแห่งนี้ไม่รับของขวัญ ของกำนัล เงิน หรือประโยชน์อื่นใด จากการปฏิบัติหน้าที่ ทุกกรณี",
    ],
)
def test_wrapped_lines_never_cut_a_word(text):
    for width in range(6, 60, 3):
        lines, fits = thai.break_lines(thai.atoms(text), width, len)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        pos = 0
        flat = text.replace(" ", "")
        for line in lines[:-1]:
            pos += len(line.replace(" ", ""))
            assert _inside_word(flat, pos) is None, (width, lines)
        if fits:
            assert all(len(line) <= width for line in lines), (width, lines)


def test_marks_and_units_stay_with_their_word():
    text = "ไม่รับสิ่งตอบแทนใด ๆ ทั้งสิ้น เวลา 08.30-16.30 น. ตาม พ.ศ. 2561 ภายใน 20 นาที งานจราจร (4 งาน) 1 ม.ค. 2570"
    for width in range(4, 40):
        lines, _ = thai.break_lines(thai.atoms(text), width, len)
        for line in lines:
            assert not line.startswith(("ๆ", "น.", "2561", "นาที", "งาน)", "ม.ค.", "2570")), (width, lines)


def test_unknown_words_are_kept_whole():
    made_up = "ฆฌฒฑฎฏฐ"
    pieces = thai.words("ประชาชน" + made_up + "เจ้าหน้าที่")
    assert any(made_up in p for p in pieces)
    assert "".join(pieces) == "ประชาชน" + made_up + "เจ้าหน้าที่"


def test_long_compounds_may_break_between_their_words():
    assert thai.words("กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม") == ["กระทรวง", "ดิจิทัล", "เพื่อ", "เศรษฐกิจ", "และ", "สังคม"]


def test_addresses_break_only_after_separators():
    url = "https://changhan.roiet.police.go.th/manual/return-seized-property"
    parts = [a.text for a in thai.url_atoms(url)]
    assert "".join(parts) == url
    assert all(re.search(r"[/.\-]$", p) for p in parts[:-1])


def test_the_word_list_covers_the_default_content(job):
    """Every Thai word of the content and the poster texts is in words_th.txt
    (unknown runs of one to three letters are abbreviations such as ป.ป.ช.).
    If this fails after a content change: add the word to
    kiosk/core/words_th.txt (or rebuild it, see build_words.py)."""
    texts = []

    def walk(obj):
        if isinstance(obj, Text):
            texts.append(obj.th)
        elif dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name))
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v)

    walk(job.content)
    for p in job.posters:
        walk(p.title)
        walk(p.subtitle)
        for b in p.blocks:
            walk([b.heading, b.text, b.caption, b.label])
            walk([i for i in b.items if isinstance(i, Text)])
    unknown = set()
    for t in texts:
        for run in re.findall(r"[\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E]+", t):
            unknown.update(p for p, known in thai.segment(run) if not known)
    assert all(len(u) <= 3 for u in unknown), sorted(u for u in unknown if len(u) > 3)


def test_text_too_wide_shrinks_instead_of_being_cut():
    style = Style(20)
    natural = font(False, round(20 * 300 / 72)).getlength("ประชาชน")
    para = layout_para("ประชาชน", style, natural * 0.7, 300)
    assert len(para.lines) == 1 and para.lines[0].width <= natural * 0.7
    assert para.lines[0].px < round(20 * 300 / 72)
    with pytest.raises(LayoutError):
        layout_para("ประชาชน", style, 3, 300)


# ---------------------------------------------------------------------------
# Posters.


EXPECTED_NAMES = {
    "no-gift",
    "anti-bribery",
    "manual",
    "eit",
    "eservices",
    "hotlines",
    "pledge",
    "facilities",
    "duty",
    "about",
    "eit-administration",
    "eit-crime-prevention",
    "eit-traffic",
    "eit-investigation",
}


def test_the_set(job):
    names = set(job.names)
    assert names >= EXPECTED_NAMES
    sections = {n for n in names if n.startswith("manual-")}
    assert sections == {"manual-" + k.replace("_", "-") for k, _ in job.content.by_section()}


@pytest.mark.slow
def test_every_qr_decodes_from_the_poster_to_its_address(job, rendered):
    settings, content = job.settings, job.content
    base = settings.public.base_url
    for name, r in rendered.items():
        got = sorted(b.text for page in r.pages for b in decode(page.image))
        assert got == sorted(job.poster(name).urls), name
        min_px = 40 / MM * LOW_DPI - 1  # the symbol is at least 4 cm
        for page in r.pages:
            for b in decode(page.image):
                p = b.position
                side = math.dist((p.top_left.x, p.top_left.y), (p.top_right.x, p.top_right.y))
                assert side >= min_px, (name, b.text, side)
    # the addresses themselves, from the settings and the content
    qr = lambda n: sorted(b.text for page in rendered[n].pages for b in decode(page.image))  # noqa: E731
    assert qr("manual") == [base + "manual.html"]
    for unit in ("eit", "eit-administration", "eit-crime-prevention", "eit-traffic", "eit-investigation"):
        assert qr(unit) == [settings.eit.url]
    for section, services in content.by_section():
        assert qr("manual-" + section.replace("_", "-")) == sorted(public_url(s, base) for s in services)
    assert qr("eservices") == sorted(c.url for c in content.eservices if c.url)
    assert "https://wbs.nacc.go.th" in qr("no-gift")
    assert qr("anti-bribery") == sorted(c.url for c in content.policy.channels if c.url)


@pytest.mark.slow
def test_nothing_overlaps_or_leaves_the_margins(rendered):
    for name, r in rendered.items():
        margin = r.safe_box[0] / LOW_DPI * MM
        assert margin >= 10, name
        for page in r.pages:
            check_page(name, r, page)


@pytest.mark.slow
def test_every_poster_is_bilingual_and_names_the_station(job, rendered):
    th = job.settings.station.name_th
    for name, r in rendered.items():
        for page in r.pages:
            texts = " ".join(i.value for i in page.items if i.kind == "text")
            assert th in texts, name
            assert re.search(r"[\u0E01-\u0E2E]", texts) and re.search(r"[A-Za-z]{4}", texts), name


@pytest.mark.slow
def test_duty_poster_has_a_box_to_write_in(rendered):
    page = rendered["duty"].pages[0]
    texts = [i.value for i in page.items if i.kind == "text"]
    assert "เจ้าหน้าที่เวรวันนี้" in texts and "Officer on duty today:" in texts
    assert any(i.kind == "rule" for i in page.items)


def test_a3_posters_fit_too(job):
    for name in ("no-gift", "manual-inquiry", "eservices", "duty"):
        r = job.render(name, "A3", 72)
        for page in r.pages:
            check_page(name, r, page)
            assert sorted(b.text for b in decode(page.image)) == sorted(i.value for i in page.items if i.kind == "qr")


def test_markup_in_content_is_drawn_as_literal_text(job):
    content = job.content
    svc = content.services_in("traffic")[0]
    odd = dataclasses.replace(svc, name=Text("<b>ชำระค่าปรับ</b> & <script>x</script>", "<i>Pay</i> &amp; go"))
    content = dataclasses.replace(content, services=tuple(odd if s is svc else s for s in content.services))
    j = load_job(settings=job.settings, content=content)
    r = j.render("manual-traffic", "A4", 72)
    texts = " ".join(i.value for i in r.pages[0].items if i.kind == "text")
    assert "<b>ชำระค่าปรับ</b>" in texts or "<b>ชำระค่าปรับ</b> &" in texts
    assert "<script>x</script>" in texts and "&amp;" in texts


def test_many_services_spread_over_pages_and_all_decode(job):
    """A section with more QR codes than a page holds gets more pages: QR codes
    never shrink below 4 cm and nothing is cut."""
    content = job.content
    svc = content.services_in("traffic")[0]
    extra = tuple(dataclasses.replace(svc, slug=f"extra-{i}", order=100 + i) for i in range(9))
    content = dataclasses.replace(content, services=content.services + extra)
    j = load_job(settings=job.settings, content=content)
    r = j.render("manual-traffic", "A4", 80)
    assert len(r.pages) >= 2
    got = sorted(b.text for page in r.pages for b in decode(page.image))
    base = job.settings.public.base_url
    assert got == sorted(public_url(s, base) for s in content.services_in("traffic"))
    for page in r.pages:
        check_page("manual-traffic", r, page)


def test_station_settings_reach_the_posters(tmp_path):
    cfg = tmp_path / "station.toml"
    cfg.write_text(
        '[station]\nname_th = "สถานีตำรวจภูธรเมืองทดสอบ"\nname_en = "Mueang Thot Sop Police Station"\n'
        'website = "https://test.example.police.go.th/"\n'
        '[eit]\nurl = "https://itas.nacc.go.th/go/eit/abc123"\n'
        '[public]\nbase_url = "https://test.example.police.go.th/onestop/"\n',
        encoding="utf-8",
    )
    j = load_job(str(cfg))
    r = j.render("eit-traffic", "A4", 80)
    assert [b.text for b in decode(r.pages[0].image)] == ["https://itas.nacc.go.th/go/eit/abc123"]
    assert any("เมืองทดสอบ" in i.value for i in r.pages[0].items if i.kind == "text")
    assert j.poster("manual").urls == ["https://test.example.police.go.th/onestop/manual.html"]


def test_definition_mistakes_name_the_place(job):
    data = load_definitions()
    bad = {**data, "posters": [{"name": "x", "title": {"th": "ก", "en": "A"}, "blocks": [{"kind": "marquee"}]}]}
    with pytest.raises(PosterError, match=r"posters\[0\] \(x\): blocks\[0\]\.kind"):
        build_posters(job.content, job.settings, bad)
    bad = {**data, "posters": [{"name": "x", "title": "@policy.nothing", "blocks": [{"kind": "index"}]}]}
    with pytest.raises(PosterError, match="unknown reference"):
        build_posters(job.content, job.settings, bad)


# ---------------------------------------------------------------------------
# Files: exact sizes at 300 dpi, PDF, the command line.


@pytest.mark.parametrize("size, name", [("A4", "eit"), ("A3", "pledge")])
def test_300_dpi_png_size_is_exact_and_pdf_is_written(job, tmp_path, size, name):
    r = job.render(name, size, 300)
    files = save(r, tmp_path)
    png, pdf = tmp_path / f"{name}.png", tmp_path / f"{name}.pdf"
    assert files == [png, pdf]
    expected = {"A4": (2480, 3508), "A3": (3508, 4961)}[size]
    assert page_size(size, 300) == expected
    with Image.open(png) as im:
        assert im.size == expected
        assert round(im.info["dpi"][0]) == 300
    head = pdf.read_bytes()
    assert head.startswith(b"%PDF-") and head.rstrip().endswith(b"%%EOF")
    # page size in points: 72 per inch at 300 pixels per inch
    box = re.search(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", head)
    assert box and abs(float(box.group(1)) - expected[0] * 72 / 300) < 1
    for b in decode(r.pages[0].image):  # 4 cm at 300 dpi = 472 px
        p = b.position
        assert math.dist((p.top_left.x, p.top_left.y), (p.top_right.x, p.top_right.y)) >= 471


def test_cli_only_renders_those(tmp_path):
    out = tmp_path / "posters"
    res = CliRunner().invoke(
        main,
        ["signage", "--out", str(out), "--only", "eit,duty", "--only", "manual-inquiry", "--dpi", "72", "--jobs", "1"],
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == [
        "duty.pdf",
        "duty.png",
        "eit.pdf",
        "eit.png",
        "manual-inquiry-2.png",
        "manual-inquiry.pdf",
        "manual-inquiry.png",
    ]
    lines = res.output.strip().splitlines()
    progress = [re.match(r"\[\s*(\d+)/3\]\s+(\S+)\s+A4\s", ln) for ln in lines[:3]]
    assert all(progress), lines
    assert [m.group(2) for m in progress] == ["manual-inquiry", "eit", "duty"]  # in poster order
    assert lines[-1].startswith("3 posters (4 pages, A4, 72 dpi)")
    pdf = (out / "manual-inquiry.pdf").read_bytes()
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 2


def test_cli_rejects_unknown_names_and_lists(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["signage", "--out", str(tmp_path), "--only", "nope"])
    assert res.exit_code == 2 and "no poster named 'nope'" in res.output
    res = runner.invoke(main, ["signage", "--out", str(tmp_path), "--list"])
    assert res.exit_code == 0 and "no-gift" in res.output.split()


def test_render_all_in_processes(job, tmp_path):
    results = render_all(tmp_path, only=["facilities", "hotlines"], job=job, dpi=72, jobs=2)
    assert [r.name for r in results] == ["hotlines", "facilities"]  # in poster order
    assert all(f.exists() for r in results for f in r.files)
    with pytest.raises(KeyError):
        render_all(tmp_path, only=["nope"], job=job, dpi=72)
