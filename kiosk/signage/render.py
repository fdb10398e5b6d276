"""Posters drawn with Pillow: page frame (header with the station's name and
logo, title, footer), fitting the blocks to the page, drawing, saving PNG + PDF.

Fitting: each block may have layout variants (card columns, QR size); for each
combination the largest text scale that fits the page is found, and the best
(largest scale, least penalised variant) wins. If nothing fits even at the
smallest scale, the largest card grid is spread over several pages (QR codes
never shrink below 4 cm on A4).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.config.settings import Settings
from kiosk.content.loader import Text
from kiosk.core.qr import qr_matrix
from kiosk.signage import blocks as B
from kiosk.signage.definitions import Block, Poster
from kiosk.signage.typeset import LayoutError, draw_text, require_raqm

SIZES_MM = {"A4": (210, 297), "A3": (297, 420)}
PAPER_SCALE = {"A4": 1.0, "A3": math.sqrt(2)}
MARGIN_MM = 11  # printers need 10 mm or so; everything stays inside
# Text scales tried, largest first: a sparse poster gets larger text (up to 1.15).
SCALES = [round(1.15 - 0.025 * i, 3) for i in range(27)]  # 1.15 .. 0.5
BLOCK_GAP_MM = 7


def page_size(size: str, dpi: int) -> tuple[int, int]:
    w, h = SIZES_MM[size]
    return round(w * dpi / 25.4), round(h * dpi / 25.4)


@dataclass
class Item:
    """Something drawn, recorded so that tests can check the page: text and QR
    codes must not overlap each other or leave the margins, nor cross the edge
    of a panel or a rule."""

    kind: str  # "text", "qr", or "panel" (a filled shape) and "rule" (a line) that text must not cross
    bbox: tuple[int, int, int, int]
    value: str  # the text, or the QR's address


@dataclass
class Page:
    image: Image.Image
    items: list[Item] = field(default_factory=list)


@dataclass
class Rendered:
    name: str
    size: str
    dpi: int
    pages: list[Page]
    scale: float  # the text scale chosen (1.0 = full size)
    variants: dict
    safe_box: tuple[int, int, int, int]  # inside the print margins


# ---------------------------------------------------------------------------
# Logo: the shield and star of static/img/logo.svg (viewBox 120 x 120).


def _cubic(p0, p1, p2, p3, steps=24):
    out = []
    for i in range(1, steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
        out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


_SHIELD = (
    [(60, 6), (104, 22), (104, 56)]
    + _cubic((104, 56), (104, 84), (85, 104), (60, 114))
    + _cubic((60, 114), (35, 104), (16, 84), (16, 56))
    + [(16, 22)]
)
_STAR = [
    (60, 30),
    (67.6, 45.4),
    (84.6, 47.9),
    (72.3, 59.9),
    (75.2, 76.8),
    (60, 68.8),
    (44.8, 76.8),
    (47.7, 59.9),
    (35.4, 47.9),
    (52.4, 45.4),
]


@lru_cache(maxsize=8)
def logo_image(size: int) -> Image.Image:
    """The station logo, ``size`` pixels square, drawn at 4x and scaled down (smooth edges)."""
    ss = 4
    big = size * ss
    f = big / 120
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    shield = [(x * f, y * f) for x, y in _SHIELD]
    d.polygon(shield, fill=B.NAVY)
    d.line(shield + [shield[0], shield[1]], fill=B.GOLD, width=round(5 * f), joint="curve")
    d.polygon([(x * f, y * f) for x, y in _STAR], fill=B.GOLD)
    w = 4 * f
    d.line([(38 * f, 92 * f), (82 * f, 92 * f)], fill=B.GOLD, width=round(w))
    for cx in (38, 82):
        d.ellipse([cx * f - w / 2, 92 * f - w / 2, cx * f + w / 2, 92 * f + w / 2], fill=B.GOLD)
    return img.resize((size, size), Image.LANCZOS)


@lru_cache(maxsize=256)
def _qr_image(url: str, m: int) -> Image.Image:
    matrix = qr_matrix(url)
    n = len(matrix)
    small = Image.new("L", (n, n), 255)
    small.putdata([0 if v else 255 for row in matrix for v in row])
    return small.resize((n * m, n * m), Image.NEAREST).convert("RGB")


# ---------------------------------------------------------------------------
# Page frame.


def _station(settings: Settings) -> Text:
    st = settings.station
    th, en = st.name_th, st.name_en
    if st.province_th and st.province_th not in th:
        th = f"{th} จังหวัด{st.province_th}"
    if st.province_en and st.province_en not in en:
        en = f"{en}, {st.province_en}"
    return Text(th, en)


def header(ctx: B.Ctx, width: float, settings: Settings, common: dict) -> B.Box:
    pad = ctx.mm(4)
    min_h = ctx.mm(24)
    tag = common["tagline"]
    ta = B.para(tag.th, ctx.st("tag_th"), width * 0.3, ctx, align="right")
    tb = B.para(tag.en, ctx.st("tag_en"), width * 0.3, ctx, align="right")
    tag_w = max(ta.text_w, tb.text_w)
    tags = B.vstack([ta, tb], ctx.mm(0.6), width * 0.3)
    logo = min_h - 2 * ctx.mm(2.5)
    name_x = pad + logo + ctx.mm(4)
    name_w = width - name_x - tag_w - ctx.mm(10)
    name = B.bi(_station(settings), "station_th", "station_en", name_w, ctx, gap_mm=0.8)
    h = max(min_h, name.h + 2 * pad, tags.h + 2 * pad)
    box = B.Box(width, h)
    box.op("rect", 0, 0, width, h, B.NAVY, None, 0, ctx.mm(3))
    box.op("rect", 0, h - ctx.mm(1.2), width, h, B.GOLD, None, 0, 0)
    box.op("logo", pad, (h - logo) / 2, round(logo))
    box.put(name, name_x, (h - name.h) / 2)
    box.put(tags, width - pad - width * 0.3, (h - tags.h) / 2)
    return box


def title_block(poster: Poster, ctx: B.Ctx, width: float, page_label: str = "") -> B.Box:
    t = poster.title
    if page_label:
        t = Text(f"{t.th} {page_label}", f"{t.en} {page_label}")
    parts = [B.bi(t, "title_th", "title_en", width, ctx, align="center", gap_mm=1.0, one_line=0.72)]
    if poster.subtitle is not None:
        parts.append(B.bi(poster.subtitle, "subtitle_th", "subtitle_en", width, ctx, align="center", gap_mm=0.5))
    box = B.vstack(parts, ctx.mm(2.5), width)
    bar_w, bar_h = ctx.mm(50), ctx.mm(1.4)
    y = box.h + ctx.mm(3)
    box.op("rect", (width - bar_w) / 2, y, (width + bar_w) / 2, y + bar_h, B.GOLD, None, 0, bar_h / 2)
    box.h = y + bar_h
    return box


def footer(ctx: B.Ctx, width: float, settings: Settings, content, common: dict, demo: bool) -> B.Box:
    contact = content.about.contact
    site = settings.station.website.split("://", 1)[-1].rstrip("/")
    phone = contact.phone + (" *" if contact.demo else "")
    demo = demo or contact.demo or settings.station.demo
    left = f"{settings.station.name_th}  ·  {common['phone'].th} {phone}  ·  {site}"
    ng = common["no_gift"]
    pill_text = f"{ng.th}  ·  {ng.en}"
    fb = ctx.st("foot_b")
    pill_px = max(1, round(fb.pt * ctx.dpi / 72))
    pill_w = B.measure(True, pill_px, pill_text) + ctx.mm(8)
    lp = B.para(left, ctx.st("foot"), width - pill_w - ctx.mm(4), ctx)
    pp = B.para(pill_text, fb, pill_w - ctx.mm(8), ctx, align="center")
    row_h = max(lp.h, pp.h + ctx.mm(2.4))
    box = B.Box(width)
    box.op("line", 0, 0, width, 0, B.CARD_LINE, max(1, ctx.mm(0.3)))
    y = ctx.mm(2.5)
    box.put(lp, 0, y + (row_h - lp.h) / 2)
    px0 = width - pill_w
    box.op("rect", px0, y, width, y + row_h, B.GOLD_PALE, B.GOLD, max(1, ctx.mm(0.35)), row_h / 2)
    box.put(pp, px0 + ctx.mm(4), y + (row_h - pp.h) / 2)
    y += row_h
    if demo:
        note = common["demo_note"]
        dn = B.para(f"{note.th}  /  {note.en}", ctx.st("demo"), width, ctx)
        y += ctx.mm(1.2)
        box.put(dn, 0, y)
        y += dn.h
    box.h = y
    return box


# ---------------------------------------------------------------------------
# Blocks, their variants, and fitting.


OMIT = "omit"


def variants(block: Block) -> list[tuple[object, float]]:
    """(variant, penalty) pairs, the preferred first. An optional block may
    also be left out, at a high penalty."""
    out = _variants(block)
    if block.optional:
        out.append((OMIT, 0.3))
    return out


def _card_variants(block: Block) -> list[tuple[object, float]]:
    nq = sum(1 for c in block.items if c.url)
    nt = len(block.items) - nq
    qr = {
        0: [("top", 1)],
        1: [("left", 1), ("top", 1)],
        2: [("top", 2), ("left", 2), ("left", 1)],
        3: [("top", 3), ("left", 1)],
        4: [("top", 2), ("top", 3)],
    }.get(nq, [("top", 3)])
    tiles = {0: [1], 1: [1], 2: [2], 3: [3], 4: [2, 4], 5: [3, 5], 6: [3]}.get(nt, [4, 3])
    styles = [B.CardStyle(q, qc, tc) for (q, qc), tc in itertools.product(qr, tiles)]
    if 0 < nq <= 2 and nt >= 2:
        styles += [B.CardStyle("top", 1, 2, side=True), B.CardStyle("top", 1, 1, side=True)]
    out = [(v, 0.03 * i) for i, v in enumerate(styles)]
    if 0 < nq <= 4:  # few codes: larger ones where they fit
        out = [
            (replace(v, qr_mm=mm), p + extra)
            for mm, extra in ((60, 0.0), (50, 0.03), (B.QR_MIN_MM, 0.06))
            for v, p in out
        ]
    if block.compact:
        return [(replace(v, body=False), p) for v, p in out]
    return out + [(replace(v, body=False), 0.3 + p) for v, p in out]


def _variants(block: Block) -> list[tuple[object, float]]:
    if block.kind == "cards":
        return _card_variants(block)
    if block.kind == "qr":
        # the one QR of a poster is its point: rather smaller text than a smaller code
        return [(80, 0.0), (70, 0.1), (60, 0.2), (50, 0.3), (B.QR_MIN_MM, 0.4)]
    if block.kind == "figures":
        return [(2, 0.0), (4, 0.05)]
    if block.kind == "facilities":
        return [(2, 0.0), (1, 0.05)]
    if block.kind == "index":
        return [("full", 0.0), ("th", 0.15), ("sections", 0.3)]
    return [(None, 0.0)]


def layout_block(block: Block, poster: Poster, width: float, ctx: B.Ctx, v) -> B.Box | None:
    k = block.kind
    if v == OMIT:
        return None
    if k == "lead":
        return B.lead(block.text, width, ctx)
    if k == "banner":
        return B.banner(block.text, width, ctx)
    if k == "text":
        return B.text_block(block.items, block.style, width, ctx)
    if k == "bullets":
        return B.bullets(block.items, block.numbered, block.heading, width, ctx)
    if k == "cards":
        return B.cards(block.items, block.heading, width, ctx, v)
    if k == "qr":
        return B.single_qr(block.url, block.caption, width, ctx, v)
    if k == "pledges":
        parts = [B.heading(block.heading, width, ctx)] if block.heading else []
        parts.append(B.pledges(block.items, width, ctx))
        return B.vstack(parts, ctx.mm(3.5), width)
    if k == "facilities":
        return B.facilities(block.items, block.heading, width, ctx, v)
    if k == "hours":
        return B.hours(block.items, block.heading, width, ctx)
    if k == "shifts":
        return B.shifts(block.shifts, block.heading, width, ctx)
    if k == "duty_box":
        return B.duty_box(block.label, block.date_label, width, ctx)
    if k == "figures":
        return B.figures(block.items, block.heading, width, ctx, v)
    if k == "index":
        return B.index(poster.index, block.heading, width, ctx, v)
    raise LayoutError(f"unknown block kind {k!r}")


@dataclass
class Fit:
    scale: float
    choice: tuple
    boxes: list[B.Box]
    demo: bool
    score: float


def _layout_all(poster, width, dpi, k, s, choice) -> tuple[list[B.Box], float, bool]:
    ctx = B.Ctx(dpi, k, s)
    boxes = [layout_block(b, poster, width, ctx, v) for b, v in zip(poster.blocks, choice, strict=True)]
    boxes = [b for b in boxes if b is not None]
    gap = ctx.mm(BLOCK_GAP_MM) * max(s, 0.7)
    total = sum(b.h for b in boxes) + gap * (len(boxes) - 1)
    return boxes, total, ctx.demo_seen


READABLE = 0.7  # below this text scale, shrinking costs more than leaving things out


def _worth(scale: float) -> float:
    if scale > 1.0:
        return 1.0 + 0.5 * (scale - 1.0)
    return scale if scale >= READABLE else scale - 2 * (READABLE - scale)


def fit(poster: Poster, width: float, height: float, dpi: int, k: float, like: Fit | None = None) -> Fit | None:
    """The best layout of the poster's blocks in ``width`` x ``height``; with
    ``like`` (another page of the same poster), its choices if they fit."""
    if like is not None and len(like.choice) == len(poster.blocks):
        try:
            boxes, total, demo = _layout_all(poster, width, dpi, k, like.scale, like.choice)
            if total <= height:
                return Fit(like.scale, like.choice, boxes, demo, like.score)
        except LayoutError:
            pass
    options = [variants(b) for b in poster.blocks]
    combos = sorted(itertools.product(*options), key=lambda c: sum(p for _, p in c))
    best: Fit | None = None
    for combo in combos[:64]:
        penalty = sum(p for _, p in combo)
        if best is not None and _worth(SCALES[0]) - penalty <= best.score:
            break  # sorted by penalty: no later combination can win
        choice = tuple(v for v, _ in combo)
        lo, hi, found = 0, len(SCALES) - 1, None
        # SCALES run from large to small; find the first (largest) that fits
        try:
            boxes, total, demo = _layout_all(poster, width, dpi, k, SCALES[0], choice)
            if total <= height:
                found = (SCALES[0], boxes, demo)
        except LayoutError:
            pass
        if found is None:
            lo = 1
            while lo <= hi:
                mid = (lo + hi) // 2
                try:
                    boxes, total, demo = _layout_all(poster, width, dpi, k, SCALES[mid], choice)
                    ok = total <= height
                except LayoutError:
                    ok = False
                if ok:
                    found = (SCALES[mid], boxes, demo)
                    hi = mid - 1
                else:
                    lo = mid + 1
        if found is None:
            continue
        score = _worth(found[0]) - penalty
        if best is None or score > best.score:
            best = Fit(found[0], choice, found[1], found[2], score)
    return best


# ---------------------------------------------------------------------------
# Drawing.


def draw_ops(page: Page, ops: list[tuple], dpi: int) -> None:
    img = page.image
    d = ImageDraw.Draw(img)
    for op in ops:
        kind = op[0]
        if kind == "text":
            _, x, y, text, px, bold, color = op
            bb = draw_text(d, (x, y), text, bold, px, color)
            if bb is not None:
                page.items.append(Item("text", tuple(round(v) for v in bb), text))
        elif kind == "rect":
            _, x0, y0, x1, y1, fill, outline, width, radius = op
            box = [round(x0), round(y0), round(x1), round(y1)]
            w = round(width) if outline else 0
            if radius:
                d.rounded_rectangle(box, radius=round(radius), fill=fill, outline=outline, width=w)
            else:
                d.rectangle(box, fill=fill, outline=outline, width=w)
            page.items.append(Item("panel", tuple(box), ""))
        elif kind == "line":
            _, x0, y0, x1, y1, color, width = op
            d.line([(x0, y0), (x1, y1)], fill=color, width=round(width))
            page.items.append(Item("rule", (round(x0), round(y0 - width / 2), round(x1), round(y1 + width / 2)), ""))
        elif kind == "circle":
            _, cx, cy, r, fill, outline, width = op
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill, outline=outline, width=round(width or 0))
        elif kind == "tick":
            _, cx, cy, r, color, width = op
            pts = [(cx - r, cy), (cx - 0.3 * r, cy + 0.65 * r), (cx + r, cy - 0.7 * r)]
            d.line(pts, fill=color, width=round(width), joint="curve")
        elif kind == "qr":
            _, x, y, m, url = op
            q = _qr_image(url, m)
            x, y = round(x), round(y)
            img.paste(q, (x, y))
            page.items.append(Item("qr", (x, y, x + q.width, y + q.height), url))
        elif kind == "logo":
            _, x, y, size = op
            logo = logo_image(size)
            img.paste(logo, (round(x), round(y)), logo)


def _split(poster: Poster) -> list[Poster] | None:
    """The poster spread over 2, 3, ... pages by its largest card grid."""
    idx = max(
        (i for i, b in enumerate(poster.blocks) if b.kind == "cards" and len(b.items) > 1),
        key=lambda i: len(poster.blocks[i].items),
        default=None,
    )
    if idx is None:
        return None
    items = poster.blocks[idx].items
    out = []
    for pages in range(2, len(items) + 1):
        per = math.ceil(len(items) / pages)
        chunks = [items[i : i + per] for i in range(0, len(items), per)]
        out.append([_with_items(poster, idx, c, first=(n == 0)) for n, c in enumerate(chunks)])
    return out


def _with_items(poster: Poster, idx: int, items: list, first: bool) -> Poster:
    blocks = []
    for i, b in enumerate(poster.blocks):
        if i == idx:
            blocks.append(replace(b, items=items))
        elif first or b.kind in ("text", "lead", "banner"):
            blocks.append(b)
    return replace(poster, blocks=blocks)


def render_poster(
    poster: Poster, settings: Settings, content, common: dict, size: str = "A4", dpi: int = 300
) -> Rendered:
    """Lay out and draw one poster (one or more pages)."""
    require_raqm()
    pw, ph = page_size(size, dpi)
    k = PAPER_SCALE[size]
    frame = B.Ctx(dpi, k)
    margin = frame.mm(MARGIN_MM)
    width = pw - 2 * margin

    def attempt(p: Poster, label: str, like: Fit | None = None):
        head = header(frame, width, settings, common)
        title = title_block(p, frame, width, label)
        foot_probe = footer(frame, width, settings, content, common, demo=True)
        top = margin + head.h + frame.mm(6) + title.h + frame.mm(7)
        bottom = ph - margin - foot_probe.h - frame.mm(5)
        return fit(p, width, bottom - top, dpi, k, like), head, title, top, bottom

    def plans():
        yield [poster]
        yield from _split(poster) or []

    results = None
    for pages in plans():
        n = len(pages)
        tried = []
        for i, p in enumerate(pages):
            like = tried[0][0] if tried else None  # pages after the first: the first's layout if it fits
            tried.append(attempt(p, f"({i + 1}/{n})" if n > 1 else "", like))
        if all(t[0] is not None for t in tried):
            results = (pages, tried)
            break
    if results is None:
        raise LayoutError(f"poster {poster.name!r} does not fit on {size} even with smaller text")

    pages, tried = results
    out_pages = []
    scales = []
    choices = {}
    for _page, (f, head, title, top, bottom) in zip(pages, tried, strict=True):
        page = Page(Image.new("RGB", (pw, ph), B.WHITE))
        ops = []
        frame_box = B.Box(pw, ph)
        frame_box.put(head, margin, margin)
        frame_box.put(title, margin, margin + head.h + frame.mm(6))
        foot = footer(frame, width, settings, content, common, demo=f.demo)
        frame_box.put(foot, margin, ph - margin - foot.h)
        ops += frame_box.ops
        # spread the free space: wider gaps between blocks (up to 2.5x), the rest centred
        gap = frame.mm(BLOCK_GAP_MM) * max(f.scale, 0.7)
        used = sum(b.h for b in f.boxes) + gap * (len(f.boxes) - 1)
        free = (bottom - top) - used
        extra = 0.0
        if len(f.boxes) > 1:
            extra = min(free / (len(f.boxes) - 1 + 1), gap * 1.5)
        y = top + (free - extra * (len(f.boxes) - 1)) / 3  # a third above, two below: the optical centre
        body = B.Box(pw, ph)
        for b in f.boxes:
            body.put(b, margin, y)
            y += b.h + gap + extra
        ops += body.ops
        draw_ops(page, ops, dpi)
        out_pages.append(page)
        scales.append(f.scale)
        choices = dict(enumerate(f.choice))
    safe = (round(margin), round(margin), round(pw - margin), round(ph - margin))
    return Rendered(poster.name, size, dpi, out_pages, min(scales), choices, safe)


def save(rendered: Rendered, out_dir: Path) -> list[Path]:
    """<name>.png (and <name>-2.png ... for more pages) and <name>.pdf (all pages)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    dpi = rendered.dpi
    for i, page in enumerate(rendered.pages):
        path = out_dir / (f"{rendered.name}.png" if i == 0 else f"{rendered.name}-{i + 1}.png")
        page.image.save(path, "PNG", dpi=(dpi, dpi), compress_level=3)
        files.append(path)
    pdf = out_dir / f"{rendered.name}.pdf"
    first, *rest = [p.image for p in rendered.pages]
    first.save(
        pdf,
        "PDF",
        resolution=float(dpi),
        save_all=True,
        append_images=rest,
        quality=92,
        subsampling=0,
        title=rendered.name,
        creator="kiosk signage",
    )
    files.append(pdf)
    return files
