"""Fonts, text measurement and paragraphs for the posters.

Text is shaped by raqm (complex layout: Thai vowels and tone marks stacked in
place) with the Sarabun TTFs shipped in static/fonts/sarabun-ttf/. Lines are
placed by their ink extents (``textbbox``), not the font's nominal size: stacked
Thai marks rise above the nominal ascent.

A paragraph wraps at word boundaries (thai.py); if a single word or address is
wider than the column it shrinks (never cut). Markup in the content is text:
nothing here interprets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont, features

from kiosk.signage import thai

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts" / "sarabun-ttf"
FONT_FILES = {False: FONT_DIR / "Sarabun-Regular.ttf", True: FONT_DIR / "Sarabun-Bold.ttf"}


class LayoutError(RuntimeError):
    """The content cannot be laid out on the poster (even at the smallest size)."""


def require_raqm() -> None:
    if not features.check("raqm"):
        raise LayoutError(
            "Pillow's raqm layout is not available (install libfribidi0): "
            "without it Thai tone marks are drawn over the vowels"
        )


@lru_cache(maxsize=512)
def font(bold: bool, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILES[bold]), max(1, px), layout_engine=ImageFont.Layout.RAQM)


@lru_cache(maxsize=200_000)
def measure(bold: bool, px: int, text: str) -> float:
    return font(bold, px).getlength(text)


@lru_cache(maxsize=100_000)
def ink(bold: bool, px: int, text: str) -> tuple[int, int]:
    """(above, below): how far this text's ink reaches above and below the baseline."""
    if not text.strip():
        return 0, 0
    bb = font(bold, px).getbbox(text, anchor="ls")
    return -bb[1], bb[3]


@dataclass(frozen=True)
class Style:
    pt: float
    bold: bool = False
    color: tuple[int, int, int] = (26, 32, 44)
    leading: float = 1.5  # line pitch in ems; lines with tall marks get more room

    def scaled(self, k: float) -> Style:
        return Style(self.pt * k, self.bold, self.color, self.leading)


@dataclass
class Line:
    text: str
    x: float  # left of the line, relative to the paragraph
    baseline: float  # relative to the top of the paragraph
    px: int
    bold: bool
    color: tuple
    width: float


@dataclass
class Para:
    lines: list[Line]
    height: float
    width: float  # the widest line


def pt_px(pt: float, dpi: int) -> int:
    return max(1, round(pt * dpi / 72))


def layout_para(
    text: str,
    style: Style,
    width: float,
    dpi: int,
    align: str = "left",
    url: bool = False,
    min_pt: float = 5.0,
    max_lines: int | None = None,
    one_line_min_pt: float | None = None,
) -> Para:
    """Wrap ``text`` into ``width`` pixels. Shrinks the size (never below
    ``min_pt``) while a single unbreakable piece is wider than the column, or
    while there are more than ``max_lines`` lines. With ``one_line_min_pt``, a
    size down to that is tried first to keep the text on one line."""
    paragraphs = text.split("\n") if not url else [text]
    if one_line_min_pt and "\n" not in text:
        # a headline: rather a little smaller on one line than broken in two
        pt = style.pt
        while pt >= one_line_min_pt:
            px = pt_px(pt, dpi)
            if measure(style.bold, px, text) <= width:
                return layout_para(
                    text, Style(pt, style.bold, style.color, style.leading), width, dpi, align, url, min_pt, max_lines
                )
            pt *= 0.95
    pt = style.pt
    while True:
        px = pt_px(pt, dpi)
        lines: list[str] = []
        ok = True
        for p in paragraphs:
            items = thai.url_atoms(p) if url else thai.atoms(p)
            if not items:
                lines.append("")
                continue
            got, fits = thai.break_lines(items, width, lambda s, b=style.bold, px=px: measure(b, px, s))
            ok = ok and fits
            lines += got
        if max_lines is not None and len(lines) > max_lines:
            ok = False
        if ok:
            break
        if pt <= min_pt:
            raise LayoutError(f"text does not fit in {width:.0f} px even at {min_pt} pt: {text[:60]!r}")
        pt = max(min_pt, pt * 0.92)
    # Baselines: ``leading`` ems apart, more where stacked marks or tails would
    # come closer than a small gap; the paragraph's box is tight around the ink,
    # with at least a nominal cap height above and descent below.
    pitch = px * style.leading
    gap = px * 0.12
    out = []
    widest = 0.0
    baseline = 0.0
    prev_down = 0.0
    for i, s in enumerate(lines):
        w = measure(style.bold, px, s)
        widest = max(widest, w)
        up, down = ink(style.bold, px, s)
        if i == 0:
            baseline = max(up, px * 0.78)
        else:
            baseline += max(pitch, prev_down + up + gap)
        prev_down = max(down, px * 0.22)
        if align == "center":
            x = (width - w) / 2
        elif align == "right":
            x = width - w
        else:
            x = 0
        out.append(Line(s, x, baseline, px, style.bold, style.color, w))
    return Para(out, baseline + prev_down if out else 0.0, widest)
