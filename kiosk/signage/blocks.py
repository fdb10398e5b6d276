"""Laying out poster blocks: each block becomes a Box (a width, a height and a
list of drawing operations relative to its top-left corner), so that a poster
can be measured at several sizes before anything is drawn.

Sizes are designed in millimetres for A4 and scaled by ``Ctx.k`` for other
paper (A3 is A4 enlarged by the square root of 2); text also scales by
``Ctx.s`` when a poster is full. QR codes never shrink below 4 cm on A4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from kiosk.content.loader import Text
from kiosk.core.i18n import translate_plural
from kiosk.core.qr import QUIET_ZONE, qr_matrix
from kiosk.core.thaidate import format_time_span
from kiosk.signage.typeset import LayoutError, Style, layout_para, measure

NAVY = (11, 42, 74)
GOLD = (201, 162, 39)
INK = (26, 32, 44)
MUTED = (70, 84, 102)
PANEL = (236, 241, 247)
CARD_LINE = (196, 206, 219)
WHITE = (255, 255, 255)
GOLD_PALE = (250, 243, 219)

QR_MIN_MM = 40.0  # the dark symbol, quiet zone not counted, on A4

# Type sizes in points at A4 and full scale.
STYLES = {
    "title_th": Style(34, True, NAVY, 1.25),
    "title_en": Style(20, False, MUTED, 1.25),
    "subtitle_th": Style(16, True, INK),
    "subtitle_en": Style(12.5, False, MUTED),
    "lead_th": Style(20, True, NAVY),
    "lead_en": Style(14, False, MUTED),
    "lead_long_th": Style(16, True, NAVY),  # a lead of more than a few lines
    "lead_long_en": Style(12, False, MUTED),
    "h_th": Style(17.5, True, NAVY),
    "h_en": Style(13, False, MUTED),
    "body_th": Style(15, False, INK),
    "body_en": Style(11.5, False, MUTED),
    "small_th": Style(9.5, False, MUTED),
    "small_en": Style(8.5, False, MUTED),
    "card_th": Style(13, True, NAVY),
    "card_en": Style(10, False, MUTED),
    "cardbody_th": Style(10.5, False, INK),
    "cardbody_en": Style(9, False, MUTED),
    "meta_th": Style(9.5, False, INK),
    "meta_en": Style(8.5, False, MUTED),
    "phone": Style(24, True, NAVY, 1.25),
    "qr_url": Style(11, True, NAVY, 1.25),
    "banner_th": Style(18, True, NAVY),
    "banner_en": Style(13, False, NAVY),
    "badge_th": Style(12, True, WHITE),
    "badge_en": Style(9, False, WHITE),
    "figure": Style(40, True, NAVY, 1.25),
    "shift_time": Style(22, True, NAVY, 1.25),
    "duty_th": Style(18, True, NAVY),
    "duty_en": Style(13, False, MUTED),
    "marker": Style(12, True, WHITE, 1.25),
}
# Styles read from afar (numbers, headings) shrink less than the rest: by the
# square root of the poster's text scale.
SOFT = {"lead_th", "lead_short_th", "h_th", "phone", "figure", "shift_time", "banner_th", "badge_th", "duty_th"}
# Styles that do not shrink with the poster's text scale (the header and footer).
FIXED = {
    "station_th": Style(17, True, WHITE, 1.25),
    "station_en": Style(11, False, GOLD, 1.25),
    "tag_th": Style(11, True, WHITE, 1.25),
    "tag_en": Style(9, False, GOLD, 1.25),
    "foot": Style(9, False, MUTED, 1.25),
    "foot_b": Style(9, True, NAVY, 1.25),
    "demo": Style(8.5, False, MUTED, 1.25),
    "url": Style(8, False, MUTED, 1.25),  # the address under a QR code stays legible
}


@dataclass
class Ctx:
    dpi: int
    k: float  # paper scale (A4 = 1)
    s: float = 1.0  # text scale
    variants: dict = field(default_factory=dict)  # block index -> variant name
    demo_seen: bool = False

    def mm(self, v: float) -> float:
        return v * self.k * self.dpi / 25.4

    def st(self, name: str) -> Style:
        if name in FIXED:
            return FIXED[name].scaled(self.k)
        if name in SOFT:
            return STYLES[name].scaled(self.k * math.sqrt(self.s))
        return STYLES[name].scaled(self.k * self.s)

    @property
    def qr_min_px(self) -> float:
        return self.mm(QR_MIN_MM)


class Box:
    """A laid-out piece: size and drawing operations relative to its top-left."""

    def __init__(self, w: float = 0.0, h: float = 0.0):
        self.w = w
        self.h = h
        self.ops: list[tuple] = []

    def put(self, child: Box, x: float, y: float) -> Box:
        for op in child.ops:
            self.ops.append(_move(op, x, y))
        return self

    def op(self, *op) -> None:
        self.ops.append(op)


def _move(op: tuple, dx: float, dy: float) -> tuple:
    kind = op[0]
    if kind in ("text", "qr", "logo"):
        return (kind, op[1] + dx, op[2] + dy) + op[3:]
    if kind in ("rect", "line"):
        return (kind, op[1] + dx, op[2] + dy, op[3] + dx, op[4] + dy) + op[5:]
    if kind in ("circle", "tick"):
        return (kind, op[1] + dx, op[2] + dy) + op[3:]
    raise ValueError(kind)


# ---------------------------------------------------------------------------
# Text pieces.


def para(
    text: str,
    style: Style,
    width: float,
    ctx: Ctx,
    align: str = "left",
    url: bool = False,
    max_lines: int | None = None,
    one_line: float | None = None,
) -> Box:
    """A paragraph; ``one_line``: shrink down to this fraction of the size to stay on one line."""
    p = layout_para(
        text,
        style,
        width,
        ctx.dpi,
        align=align,
        url=url,
        max_lines=max_lines,
        one_line_min_pt=style.pt * one_line if one_line else None,
    )
    box = Box(width, p.height)
    for line in p.lines:
        box.op("text", line.x, line.baseline, line.text, line.px, line.bold, line.color)
    box.text_w = p.width  # the widest line
    box.first_baseline = p.lines[0].baseline if p.lines else 0
    box.first_px = p.lines[0].px if p.lines else 0
    return box


def vstack(boxes: list[Box], gap: float = 0.0, width: float | None = None) -> Box:
    boxes = [b for b in boxes if b is not None]
    out = Box(width if width is not None else max((b.w for b in boxes), default=0))
    y = 0.0
    for i, b in enumerate(boxes):
        if i:
            y += gap
        out.put(b, 0, y)
        y += b.h
    out.h = y
    if boxes and hasattr(boxes[0], "first_baseline"):
        out.first_baseline = boxes[0].first_baseline
        out.first_px = boxes[0].first_px
    return out


def bi(
    t: Text,
    th: str,
    en: str,
    width: float,
    ctx: Ctx,
    align: str = "left",
    gap_mm: float = 0.6,
    mark: bool = False,
    one_line: float | None = None,
) -> Box:
    """Thai over English."""
    star = " *" if mark else ""
    if mark:
        ctx.demo_seen = True
    a = para(t.th + star, ctx.st(th), width, ctx, align, one_line=one_line)
    b = para(t.en + star, ctx.st(en), width, ctx, align, one_line=one_line)
    return vstack([a, b], ctx.mm(gap_mm), width)


def heading(t: Text, width: float, ctx: Ctx, align: str = "left") -> Box:
    """Thai heading in bold with the English beside it when there is room, else under it."""
    th, en = ctx.st("h_th"), ctx.st("h_en")
    bar = ctx.mm(1.6)
    pad = ctx.mm(3) if align == "left" else 0
    inner = width - pad
    gap = ctx.mm(3)
    a = para(t.th, th, inner, ctx, align)
    b = para(t.en, en, inner, ctx, align)
    one_line = len(a.ops) == 1 and len(b.ops) == 1 and a.text_w + gap + b.text_w <= inner
    box = Box(width)
    if one_line:
        h = max(a.h, b.h)
        left = pad if align == "left" else (width - a.text_w - gap - b.text_w) / 2
        top_a = (h - a.h) / 2
        base = top_a + a.first_baseline
        box.op("text", left, base, t.th, a.ops[0][4], True, th.color)
        box.op("text", left + a.text_w + gap, base, t.en, b.ops[0][4], False, en.color)
        box.h = h
    else:
        st = vstack([a, b], ctx.mm(0.5), inner)
        box.put(st, pad, 0)
        box.h = st.h
    if align == "left":
        box.op("rect", 0, ctx.mm(1.5), bar, box.h - ctx.mm(1.5), GOLD, None, 0, bar / 2)
    return box


# ---------------------------------------------------------------------------
# QR codes.


def qr_box(url: str, ctx: Ctx, target_mm: float | None = None) -> Box:
    """A QR code with its quiet zone; the dark symbol is at least 4 cm on A4
    (scaled with the paper) and ``target_mm`` if larger, in whole pixels per module."""
    n = len(qr_matrix(url))
    core = n - 2 * QUIET_ZONE
    want = max(ctx.qr_min_px, ctx.mm(target_mm) if target_mm else 0)
    m = max(1, math.ceil(want / core))
    box = Box(n * m, n * m)
    box.op("qr", 0, 0, m, url)
    box.quiet = QUIET_ZONE * m
    return box


# ---------------------------------------------------------------------------
# Blocks.


def lead(text: Text, width: float, ctx: Ctx) -> Box:
    pad = ctx.mm(5)
    bar = ctx.mm(2.2)
    long = len(text.th) > 150
    inner = bi(
        text,
        "lead_long_th" if long else "lead_th",
        "lead_long_en" if long else "lead_en",
        width - 2 * pad - bar,
        ctx,
        gap_mm=1.2,
    )
    box = Box(width, inner.h + 2 * pad)
    box.op("rect", 0, 0, width, box.h, PANEL, None, 0, ctx.mm(2.5))
    box.op("rect", 0, 0, bar, box.h, GOLD, None, 0, 0)
    box.put(inner, bar + pad, pad)
    return box


def banner(text: Text, width: float, ctx: Ctx) -> Box:
    pad = ctx.mm(4)
    inner = bi(text, "banner_th", "banner_en", width - 2 * pad, ctx, align="center", gap_mm=0.8)
    box = Box(width, inner.h + 2 * pad)
    box.op("rect", 0, 0, width, box.h, GOLD, None, 0, ctx.mm(2.5))
    box.put(inner, pad, pad)
    return box


def text_block(items: list[Text], style: str, width: float, ctx: Ctx) -> Box:
    if style == "small":
        parts = [bi(t, "small_th", "small_en", width, ctx, gap_mm=0.3) for t in items]
        return vstack(parts, ctx.mm(1.6), width)
    parts = [bi(t, "body_th", "body_en", width, ctx, align="center", gap_mm=0.8) for t in items]
    return vstack(parts, ctx.mm(3), width)


def _marker(ctx: Ctx, number: int | None, cy: float, x: float) -> Box:
    box = Box()
    if number is None:
        r = ctx.mm(1.5) * ctx.s
        box.op("circle", x + r, cy, r, GOLD, None, 0)
    else:
        r = ctx.mm(3.4) * ctx.s
        box.op("circle", x + r, cy, r, NAVY, None, 0)
        st = ctx.st("marker")
        s = str(number)
        px = max(1, round(st.pt * ctx.dpi / 72))
        w = measure(True, px, s)
        box.op("text", x + r - w / 2, cy + px * 0.36, s, px, True, WHITE)
    return box


def bullets(items: list[Text], numbered: bool, head: Text | None, width: float, ctx: Ctx) -> Box:
    indent = ctx.mm(9) * max(ctx.s, 0.8)
    parts = []
    if head is not None:
        parts.append(heading(head, width, ctx))
    rows = []
    for i, t in enumerate(items):
        body = bi(t, "body_th", "body_en", width - indent, ctx, gap_mm=0.4)
        row = Box(width, body.h)
        cy = body.first_baseline - body.first_px * 0.3
        row.put(_marker(ctx, i + 1 if numbered else None, cy, 0), 0, 0)
        row.put(body, indent, 0)
        rows.append(row)
    parts.append(vstack(rows, ctx.mm(2.6), width))
    return vstack(parts, ctx.mm(3.5), width)


def single_qr(url: str, caption: Text | None, width: float, ctx: Ctx, target_mm: float) -> Box:
    q = qr_box(url, ctx, target_mm)
    frame = ctx.mm(1.2)
    parts = []
    if caption is not None:
        parts.append(bi(caption, "h_th", "h_en", width, ctx, align="center", gap_mm=0.6))
    holder = Box(width, q.h + 2 * frame)
    x = (width - q.w) / 2
    holder.op("rect", x - frame, 0, x + q.w + frame, q.h + 2 * frame, WHITE, GOLD, frame * 0.6, ctx.mm(3))
    holder.put(q, x, frame)
    parts.append(holder)
    parts.append(para(url, ctx.st("qr_url"), width, ctx, align="center", url=True))
    return vstack(parts, ctx.mm(2.5), width)


@dataclass(frozen=True)
class CardStyle:
    """How a cards block is laid out: cards with a QR code ``qr`` = "top" (code
    above the text) or "left" (beside it) in ``qr_cols`` columns; cards without
    one as tiles in ``tile_cols`` columns, under the QR cards, or beside them
    when ``side``; ``body``: with descriptions."""

    qr: str = "top"
    qr_cols: int = 3
    tile_cols: int = 3
    body: bool = True
    side: bool = False
    qr_mm: float = QR_MIN_MM  # the QR symbol's size (never below 4 cm on A4)


def card_content(card, width: float, ctx: Ctx, cs: CardStyle, layout: str) -> Box:
    """One card's content; ``layout``: "top", "left" or "tile"."""
    pad = ctx.mm(3)
    align = "left" if layout == "left" else "center"

    def text_parts(w, body=cs.body):
        out = [bi(card.title, "card_th", "card_en", w, ctx, align=align, gap_mm=0.3, mark=card.demo)]
        if card.phone:
            out.append(para(card.phone, ctx.st("phone"), w, ctx, align=align))
        if card.body is not None and body:
            out.append(bi(card.body, "cardbody_th", "cardbody_en", w, ctx, align=align, gap_mm=0.3))
        for m in card.meta:
            if body:
                out.append(bi(m, "meta_th", "meta_en", w, ctx, align=align, gap_mm=0.2))
        return vstack(out, ctx.mm(1.6), w)

    box = Box(width)
    if layout == "tile" or not card.url:
        t = text_parts(width - 2 * pad)
        box.put(t, pad, pad)
        box.h = t.h + 2 * pad
        return box
    q = qr_box(card.url, ctx, cs.qr_mm)
    if q.w > width:
        raise LayoutError("QR code wider than its card")
    if layout == "top":
        # white card: the QR's quiet zone is the card's padding
        inner = width - 2 * pad
        url_box = para(card.url, ctx.st("url"), inner, ctx, align="center", url=True)
        top = ctx.mm(1.5)  # inside the card's border
        box.put(q, (width - q.w) / 2, top)
        y = top + q.h
        box.put(url_box, pad, y)
        y += url_box.h + ctx.mm(2)
        t = text_parts(inner)
        box.put(t, pad, y)
        box.h = y + t.h + pad
        return box
    # left: the QR and its address on the left, the text on the right
    inset = ctx.mm(1.5)  # inside the card's border
    left_w = q.w + inset
    url_box = para(card.url, ctx.st("url"), left_w - 2 * pad, ctx, align="center", url=True)
    box.put(q, inset, inset)
    box.put(url_box, pad, inset + q.h)
    left_h = inset + q.h + url_box.h + pad
    tx = left_w + ctx.mm(1)
    t = text_parts(width - tx - pad)
    if not cs.body:  # the description too, if it fits beside the code anyway
        full = text_parts(width - tx - pad, body=True)
        if inset + q.quiet + full.h + pad <= left_h:
            t = full
    box.put(t, tx, inset + q.quiet)
    box.h = max(left_h, inset + q.quiet + t.h + pad)
    return box


def cards(items: list, head: Text | None, width: float, ctx: Ctx, cs: CardStyle) -> Box:
    """A grid of cards: those with a QR code first, then the others as tiles
    (or the tiles beside the QR cards, with ``cs.side``)."""
    with_qr = [c for c in items if c.url]
    without = [c for c in items if not c.url]
    gap = ctx.mm(4)
    if cs.side and with_qr and without:
        q = qr_box(with_qr[0].url, ctx, cs.qr_mm)
        left_w = q.w + ctx.mm(8)
        left = _grid(with_qr, left_w, ctx, cs, cs.qr, 1)
        right = _grid(without, width - left_w - gap, ctx, cs, "tile", cs.tile_cols)
        if right.h < left.h:  # tiles as tall as the QR cards beside them
            n_rows = math.ceil(len(without) / max(1, min(cs.tile_cols, len(without))))
            right = _grid(
                without,
                width - left_w - gap,
                ctx,
                cs,
                "tile",
                cs.tile_cols,
                min_row_h=(left.h - gap * (n_rows - 1)) / n_rows,
            )
        body = Box(width, max(left.h, right.h))
        body.put(left, 0, 0)
        body.put(right, left_w + gap, 0)
    else:
        grids = []
        if with_qr:
            grids.append(_grid(with_qr, width, ctx, cs, cs.qr, cs.qr_cols))
        if without:
            grids.append(_grid(without, width, ctx, cs, "tile", cs.tile_cols))
        body = vstack(grids, gap, width)
    parts = []
    if head is not None:
        parts.append(heading(head, width, ctx))
    parts.append(body)
    return vstack(parts, ctx.mm(3.5), width)


def _grid(items: list, width: float, ctx: Ctx, cs: CardStyle, layout: str, columns: int, min_row_h: float = 0.0) -> Box:
    gap = ctx.mm(4)
    cols = max(1, min(columns, len(items)))
    cw = (width - gap * (cols - 1)) / cols
    rows = []
    for r in range(0, len(items), cols):
        chunk = items[r : r + cols]
        contents = [card_content(c, cw, ctx, cs, layout) for c in chunk]
        h = max(max(c.h for c in contents), min_row_h)
        row = Box(width, h)
        # centre a short last row
        x0 = (width - (len(chunk) * cw + (len(chunk) - 1) * gap)) / 2
        for i, content in enumerate(contents):
            x = x0 + i * (cw + gap)
            if layout != "tile":
                row.op("rect", x, 0, x + cw, h, WHITE, CARD_LINE, ctx.mm(0.35), ctx.mm(2.5))
            else:
                row.op("rect", x, 0, x + cw, h, PANEL, None, 0, ctx.mm(2.5))
            # tiles: centred in their height; QR cards: from the top
            row.put(content, x, (h - content.h) / 2 if layout == "tile" else 0)
        rows.append(row)
    return vstack(rows, gap, width)


def pledges(items, width: float, ctx: Ctx) -> Box:
    badge_w = ctx.mm(44)
    r = ctx.mm(4) * ctx.s  # the number's circle
    indent = ctx.mm(2) + 2 * r + ctx.mm(3)
    rows = []
    pad = ctx.mm(3)
    for i, p in enumerate(items):
        has_time = p.time is not None
        tw = width - indent - (badge_w + ctx.mm(4) if has_time else 0)
        body = bi(p.text, "body_th", "body_en", tw, ctx, gap_mm=0.4)
        badge = None
        if has_time:
            bpad = ctx.mm(2.5)
            binner = bi(p.time, "badge_th", "badge_en", badge_w - 2 * bpad, ctx, align="center", gap_mm=0.2)
            badge = Box(badge_w, binner.h + 2 * bpad)
            badge.op("rect", 0, 0, badge_w, badge.h, NAVY, None, 0, ctx.mm(2.5))
            badge.put(binner, bpad, bpad)
        h = max(body.h, badge.h if badge else 0) + 2 * pad
        row = Box(width, h)
        if i % 2 == 0:
            row.op("rect", 0, 0, width, h, PANEL, None, 0, ctx.mm(2))
        cy = pad + body.first_baseline - body.first_px * 0.3
        cy = max(cy, pad + r)
        row.op("circle", ctx.mm(2) + r, cy, r, GOLD, None, 0)
        st = ctx.st("marker")
        px = max(1, round(st.pt * ctx.dpi / 72))
        s = str(i + 1)
        row.op("text", ctx.mm(2) + r - measure(True, px, s) / 2, cy + px * 0.36, s, px, True, NAVY)
        row.put(body, indent, pad + (h - 2 * pad - body.h) / 2)
        if badge:
            row.put(badge, width - badge_w - ctx.mm(2), (h - badge.h) / 2)
        rows.append(row)
    return vstack(rows, ctx.mm(1.2), width)


def facilities(items, head: Text | None, width: float, ctx: Ctx, columns: int = 2) -> Box:
    gap = ctx.mm(4)
    cols = max(1, min(columns, len(items)))
    cw = (width - gap * (cols - 1)) / cols
    pad = ctx.mm(3)
    r = ctx.mm(4.2) * max(ctx.s, 0.8)
    rows = []
    for i in range(0, len(items), cols):
        chunk = items[i : i + cols]
        contents = []
        for f in chunk:
            w = cw - 2 * pad - 2 * r - ctx.mm(3)
            parts = [bi(f.name, "card_th", "card_en", w, ctx, gap_mm=0.3, mark=f.demo)]
            if f.note is not None:
                parts.append(bi(f.note, "meta_th", "meta_en", w, ctx, gap_mm=0.2))
            contents.append(vstack(parts, ctx.mm(1.2), w))
        h = max(c.h for c in contents) + 2 * pad
        row = Box(width, h)
        for j, c in enumerate(contents):
            x = j * (cw + gap)
            row.op("rect", x, 0, x + cw, h, PANEL, None, 0, ctx.mm(2.5))
            cy = pad + max(r, c.first_baseline - c.first_px * 0.3)
            row.op("circle", x + pad + r, cy, r, NAVY, None, 0)
            row.op("tick", x + pad + r, cy, r * 0.55, WHITE, max(2, r * 0.22))
            row.put(c, x + pad + 2 * r + ctx.mm(3), pad)
        rows.append(row)
    parts = [heading(head, width, ctx)] if head is not None else []
    parts.append(vstack(rows, gap, width))
    return vstack(parts, ctx.mm(3.5), width)


def hours(items, head: Text | None, width: float, ctx: Ctx) -> Box:
    pad = ctx.mm(3)
    lw = (width - 2 * pad) * 0.5
    rw = width - 2 * pad - lw - ctx.mm(4)
    rows = []
    for h in items:
        a = bi(h.label, "card_th", "card_en", lw, ctx, gap_mm=0.3, mark=h.demo)
        b = bi(h.time, "cardbody_th", "cardbody_en", rw, ctx, gap_mm=0.3)
        hh = max(a.h, b.h) + 2 * pad
        row = Box(width, hh)
        row.op("rect", 0, 0, width, hh, PANEL, None, 0, ctx.mm(2))
        row.put(a, pad, pad)
        row.put(b, width - pad - rw, pad)
        rows.append(row)
    parts = [heading(head, width, ctx)] if head is not None else []
    parts.append(vstack(rows, ctx.mm(1.5), width))
    return vstack(parts, ctx.mm(3.5), width)


def shifts(sh, head: Text | None, width: float, ctx: Ctx) -> Box:
    parts = [heading(head, width, ctx)] if head is not None else []
    parts.append(bi(sh.summary, "body_th", "body_en", width, ctx, gap_mm=0.5, mark=sh.demo))
    gap = ctx.mm(4)
    n = len(sh.shifts)
    cols = min(n, 3) if n else 1
    cw = (width - gap * (cols - 1)) / cols
    pad = ctx.mm(3)
    rows = []
    for i in range(0, n, cols):
        chunk = sh.shifts[i : i + cols]
        contents = []
        for s in chunk:
            w = cw - 2 * pad
            contents.append(
                vstack(
                    [
                        bi(s.label, "card_th", "card_en", w, ctx, align="center", gap_mm=0.2),
                        para(format_time_span(s.time, "th", dash="–"), ctx.st("shift_time"), w, ctx, align="center"),
                        para(s.time.replace("-", "–"), ctx.st("card_en"), w, ctx, align="center"),
                    ],
                    ctx.mm(1.2),
                    w,
                )
            )
        h = max(c.h for c in contents) + 2 * pad
        row = Box(width, h)
        for j, c in enumerate(contents):
            x = j * (cw + gap)
            row.op("rect", x, 0, x + cw, h, PANEL, None, 0, ctx.mm(2.5))
            row.op("rect", x, 0, x + cw, ctx.mm(1.5), GOLD, None, 0, 0)
            row.put(c, x + pad, pad + ctx.mm(0.8))
        rows.append(row)
    parts.append(vstack(rows, gap, width))
    return vstack(parts, ctx.mm(3.5), width)


def duty_box(label: Text, date_label: Text | None, width: float, ctx: Ctx) -> Box:
    """A clean white box to write today's duty officer in with a pen:
    "เจ้าหน้าที่เวรวันนี้ / Officer on duty today: ____", and the date."""
    pad = ctx.mm(6)
    inner = width - 2 * pad
    rule = max(1, ctx.mm(0.35))
    box = Box(width)
    y = pad
    lab = heading(Text(label.th, label.en + ":"), inner, ctx, align="center")
    box.put(lab, pad, y)
    y += lab.h + ctx.mm(22)  # room for handwriting: never shrinks with the text
    box.op("line", pad, y, width - pad, y, CARD_LINE, rule)
    if date_label is not None:
        y += ctx.mm(6)
        dl = heading(Text(date_label.th, date_label.en + ":"), inner, ctx, align="center")
        w = dl.ops[-1][1] + measure(False, dl.ops[-1][4], dl.ops[-1][3]) if len(dl.ops) == 2 else inner * 0.3
        # the label on the left, the line after it
        left = Box(inner, dl.h)
        for op in dl.ops:
            left.ops.append(_move(op, -dl.ops[0][1], 0))
        box.put(left, pad, y)
        line_y = y + dl.h
        x0 = pad + (w - dl.ops[0][1]) + ctx.mm(3)
        box.op("line", x0, line_y, pad + inner * 0.6, line_y, CARD_LINE, rule)
        y = line_y
    box.h = y + pad
    box.ops.insert(0, ("rect", 0, 0, width, box.h, WHITE, NAVY, max(2, ctx.mm(0.8)), ctx.mm(3)))
    return box


def figures(items, head: Text | None, width: float, ctx: Ctx, columns: int = 2) -> Box:
    gap = ctx.mm(4)
    cols = max(1, min(columns, len(items)))
    cw = (width - gap * (cols - 1)) / cols
    pad = ctx.mm(3.5)
    rows = []
    for i in range(0, len(items), cols):
        chunk = items[i : i + cols]
        contents = []
        for f in chunk:
            w = cw - 2 * pad
            contents.append(
                vstack(
                    [
                        para(f.value, ctx.st("figure"), w, ctx, align="center"),
                        bi(f.label, "meta_th", "meta_en", w, ctx, align="center", gap_mm=0.2, mark=f.demo),
                    ],
                    ctx.mm(1.5),
                    w,
                )
            )
        h = max(c.h for c in contents) + 2 * pad
        row = Box(width, h)
        for j, c in enumerate(contents):
            x = j * (cw + gap) + (width - (len(chunk) * cw + (len(chunk) - 1) * gap)) / 2
            row.op("rect", x, 0, x + cw, h, PANEL, None, 0, ctx.mm(2.5))
            row.op("rect", x, 0, x + cw, ctx.mm(1.5), GOLD, None, 0, 0)
            row.put(c, x + pad, pad + ctx.mm(0.5))
        rows.append(row)
    parts = [heading(head, width, ctx)] if head is not None else []
    parts.append(vstack(rows, gap, width))
    return vstack(parts, ctx.mm(3.5), width)


def _services_count(n: int, lang: str) -> str:
    return translate_plural("%(n)s service", "%(n)s services", n, lang)


def index(sections, head: Text | None, width: float, ctx: Ctx, mode: str = "full", columns: int = 2) -> Box:
    """The manual's sections with their services in balanced columns (``mode``
    "full": Thai and English names; "th": Thai names), or "sections": one tile
    per section with its number of services."""
    parts = [heading(head, width, ctx)] if head is not None else []
    if mode == "sections":
        gap = ctx.mm(4)
        cols = min(3, len(sections))
        cw = (width - gap * (cols - 1)) / cols
        pad = ctx.mm(3)
        rows = []
        for i in range(0, len(sections), cols):
            chunk = sections[i : i + cols]
            contents = [
                bi(
                    Text(
                        f"{label.th} ({_services_count(len(names), 'th')})",
                        f"{label.en} ({_services_count(len(names), 'en')})",
                    ),
                    "card_th",
                    "card_en",
                    cw - 2 * pad,
                    ctx,
                    align="center",
                    gap_mm=0.3,
                )
                for label, names in chunk
            ]
            h = max(c.h for c in contents) + 2 * pad
            row = Box(width, h)
            x0 = (width - (len(chunk) * cw + (len(chunk) - 1) * gap)) / 2
            for j, c in enumerate(contents):
                x = x0 + j * (cw + gap)
                row.op("rect", x, 0, x + cw, h, PANEL, None, 0, ctx.mm(2.5))
                row.put(c, x + pad, pad + (h - 2 * pad - c.h) / 2)
            rows.append(row)
        parts.append(vstack(rows, gap, width))
        return vstack(parts, ctx.mm(3.5), width)
    gap = ctx.mm(6)
    cw = (width - gap * (columns - 1)) / columns
    groups = []
    for label, names in sections:
        h = para(label.th + "  " + label.en, ctx.st("card_th"), cw, ctx)
        dots = []
        for n in names:
            if mode == "full":
                item = bi(n, "cardbody_th", "meta_en", cw - ctx.mm(4), ctx, gap_mm=0.1)
            else:
                item = para(n.th, ctx.st("cardbody_th"), cw - ctx.mm(4), ctx)
            row = Box(cw, item.h)
            cy = item.first_baseline - item.first_px * 0.3
            row.op("circle", ctx.mm(1), cy, ctx.mm(0.8) * ctx.s, GOLD, None, 0)
            row.put(item, ctx.mm(4), 0)
            dots.append(row)
        groups.append(vstack([h, vstack(dots, ctx.mm(1.2), cw)], ctx.mm(1.5), cw))
    total = sum(g.h for g in groups)
    cols: list[list[Box]] = [[] for _ in range(columns)]
    acc, c = 0.0, 0
    for g in groups:
        if c < columns - 1 and cols[c] and acc + g.h / 2 > total * (c + 1) / columns:
            c += 1
        cols[c].append(g)
        acc += g.h
    col_boxes = [vstack(col, ctx.mm(4), cw) for col in cols]
    body = Box(width, max(b.h for b in col_boxes))
    for i, b in enumerate(col_boxes):
        body.put(b, i * (cw + gap), 0)
    parts.append(body)
    return vstack(parts, ctx.mm(3.5), width)
