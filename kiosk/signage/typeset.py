"""Fonts, text measurement and paragraphs for the posters.

Text is shaped by raqm (complex layout: Thai vowels and tone marks stacked in
place) with the Sarabun TTFs shipped in static/fonts/sarabun-ttf/. Myanmar, Khmer,
Lao and Chinese (a poster in a station's other languages) are cut into runs by
script, each drawn with its Noto font from static/fonts/ (the kiosk's own woff2
files, which FreeType reads); Chinese may break between any two characters. Lines are
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

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT_DIR = FONTS / "sarabun-ttf"
FONT_FILES = {False: FONT_DIR / "Sarabun-Regular.ttf", True: FONT_DIR / "Sarabun-Bold.ttf"}
# script -> (first, last) code point ranges, and its font file for (regular, bold).
SCRIPT_RANGES = {
    "my": ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
    "km": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "lo": ((0x0E80, 0x0EFF),),
    "zh": ((0x2E80, 0x2FFF), (0x3000, 0x303F), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF)),
}
SCRIPT_FONTS = {
    "my": "noto-sans-myanmar/noto-sans-myanmar-myanmar-{weight}-normal.woff2",
    "km": "noto-sans-khmer/noto-sans-khmer-khmer-{weight}-normal.woff2",
    "lo": "noto-sans-lao/noto-sans-lao-lao-{weight}-normal.woff2",
    "zh": "noto-sans-sc/noto-sans-sc-kiosk-{weight}.woff2",
}


class LayoutError(RuntimeError):
    """The content cannot be laid out on the poster (even at the smallest size)."""


def require_raqm() -> None:
    if not features.check("raqm"):
        raise LayoutError(
            "Pillow's raqm layout is not available (install libfribidi0): "
            "without it Thai tone marks are drawn over the vowels"
        )


@lru_cache(maxsize=512)
def font(bold: bool, px: int, script: str = "") -> ImageFont.FreeTypeFont:
    """The font of `script` ("" for Thai and Latin: Sarabun) at `px`."""
    path = FONTS / SCRIPT_FONTS[script].format(weight=700 if bold else 400) if script else FONT_FILES[bold]
    return ImageFont.truetype(str(path), max(1, px), layout_engine=ImageFont.Layout.RAQM)


def script_of(char: str) -> str | None:
    """The script of `char` among SCRIPT_RANGES, "" for any other letter, None for a space or a mark."""
    code = ord(char)
    for script, ranges in SCRIPT_RANGES.items():
        if any(first <= code <= last for first, last in ranges):
            return script
    if char.isspace() or 0x200B <= code <= 0x200D:
        return None
    return ""


@lru_cache(maxsize=100_000)
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """`text` as (script, piece) runs; spaces stay with the run before them."""
    out: list[list[str]] = []
    for char in text:
        script = script_of(char)
        if out and (script is None or script == out[-1][0]):
            out[-1][1] += char
        else:
            out.append([script or "", char])
    return tuple((script, piece) for script, piece in out)


@lru_cache(maxsize=200_000)
def measure(bold: bool, px: int, text: str) -> float:
    return sum(font(bold, px, script).getlength(piece) for script, piece in runs(text))


@lru_cache(maxsize=100_000)
def ink(bold: bool, px: int, text: str) -> tuple[int, int]:
    """(above, below): how far this text's ink reaches above and below the baseline."""
    if not text.strip():
        return 0, 0
    above = below = 0
    for script, piece in runs(text):
        if piece.strip():
            bb = font(bold, px, script).getbbox(piece, anchor="ls")
            above, below = max(above, -bb[1]), max(below, bb[3])
    return above, below


def draw_text(draw, xy, text: str, bold: bool, px: int, color) -> tuple[float, float, float, float] | None:
    """Draw `text` run by run from its baseline's left end `xy`; its ink box, or None if blank."""
    x, y = xy
    box = None
    for script, piece in runs(text):
        f = font(bold, px, script)
        draw.text((x, y), piece, font=f, fill=color, anchor="ls")
        if piece.strip():
            bb = draw.textbbox((x, y), piece, font=f, anchor="ls")
            box = (
                bb if box is None else (min(box[0], bb[0]), min(box[1], bb[1]), max(box[2], bb[2]), max(box[3], bb[3]))
            )
        x += f.getlength(piece)
    return box


def _breakable(items: list[thai.Atom]) -> list[thai.Atom]:
    """Atoms with Chinese in them cut between characters, where a Chinese line may break."""
    out = []
    for atom in items:
        if not any(script_of(c) == "zh" for c in atom.text):
            out.append(atom)
            continue
        pieces = [piece for _script, run in runs(atom.text) for piece in (list(run) if _script == "zh" else [run])]
        out += [thai.Atom(piece, "", "word") for piece in pieces[:-1]]
        out.append(thai.Atom(pieces[-1], atom.sep, atom.brk))
    return out


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
            items = thai.url_atoms(p) if url else _breakable(thai.atoms(p))
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
