"""QR codes for the screens (inline SVG) and for print or download (PNG).

Both are made with the ``qrcode`` library, error correction level M, with the
standard 4-module quiet zone, and cached by content.
"""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def _qr(data: str, box_size: int = 10) -> qrcode.QRCode:
    if not isinstance(data, str) or not data:
        raise ValueError("QR data must be a non-empty string")
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=box_size)
    qr.add_data(data)
    qr.make(fit=True)
    return qr


@lru_cache(maxsize=256)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix of ``data``'s QR code, quiet zone included (True = dark)."""
    return tuple(tuple(row) for row in _qr(data).get_matrix())


@lru_cache(maxsize=256)
def qr_svg(data: str) -> str:
    """Inline SVG markup of ``data``'s QR code: one path of black modules on a
    white square, quiet zone included, sized by CSS (a viewBox, no width or
    height), crisp edges."""
    matrix = qr_matrix(data)
    n = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" '
        f'shape-rendering="crispEdges" role="img" aria-label="QR code" class="qr">'
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


@lru_cache(maxsize=128)
def qr_png(data: str, box_size: int = 10) -> bytes:
    """PNG bytes of ``data``'s QR code, ``box_size`` pixels per module, black on
    white, quiet zone included."""
    if not isinstance(box_size, int) or box_size < 1:
        raise ValueError("box_size must be a positive integer")
    img = _qr(data, box_size).make_image(fill_color="black", back_color="white")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
