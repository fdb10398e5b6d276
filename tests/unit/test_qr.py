"""QR codes: decode the PNG and the SVG with zxing-cpp, check the SVG shape and
the caching.

The SVG is rasterised here by a few lines of Pillow that read back its single
path (the run-length rectangles qr_svg writes), not by an SVG library: no new
dependency. Its module matrix is also compared with qrcode's and with the PNG's.
"""

import io
import re

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from kiosk.core.qr import QUIET_ZONE, qr_matrix, qr_png, qr_svg

URLS = [
    "https://www.thaipoliceonline.go.th",
    "https://ptm.police.go.th",
    "https://changhan.roiet.police.go.th/manual/lost-id-card",
]

RUN_RE = re.compile(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z")


def decode(img):
    results = zxingcpp.read_barcodes(img)
    assert len(results) == 1
    return results[0]


def svg_matrix(svg):
    n = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    grid = [[False] * n for _ in range(n)]
    d = re.search(r'<path fill="#000" d="([^"]*)"', svg).group(1)
    assert RUN_RE.sub("", d) == ""  # the path is made of runs only
    for x, y, w, w2 in RUN_RE.findall(d):
        x, y, w = int(x), int(y), int(w)
        assert int(w2) == w
        for i in range(x, x + w):
            grid[y][i] = True
    return grid


def rasterise(svg, scale=8):
    grid = svg_matrix(svg)
    n = len(grid)
    img = Image.new("L", (n * scale, n * scale), 255)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(grid):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle([x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1], fill=0)
    return img


def png_matrix(png, box_size):
    img = Image.open(io.BytesIO(png)).convert("L")
    n = img.width // box_size
    return [
        [img.getpixel((x * box_size + box_size // 2, y * box_size + box_size // 2)) < 128 for x in range(n)]
        for y in range(n)
    ]


@pytest.mark.parametrize("url", URLS)
def test_png_decodes_to_the_url(url):
    png = qr_png(url)
    assert png.startswith(b"\x89PNG")
    result = decode(Image.open(io.BytesIO(png)))
    assert result.text == url
    assert result.ec_level == "M"


@pytest.mark.parametrize("url", URLS)
def test_svg_decodes_to_the_url(url):
    result = decode(rasterise(qr_svg(url)))
    assert result.text == url
    assert result.ec_level == "M"


@pytest.mark.parametrize("url", URLS)
def test_svg_png_and_qrcode_matrices_agree(url):
    expected = [list(row) for row in qr_matrix(url)]
    assert svg_matrix(qr_svg(url)) == expected
    assert png_matrix(qr_png(url, box_size=6), 6) == expected


def test_svg_markup():
    svg = qr_svg(URLS[0])
    opening = svg[: svg.index(">")]
    assert opening.startswith("<svg ")
    assert 'viewBox="0 0 ' in opening
    assert " width=" not in opening and " height=" not in opening
    assert 'shape-rendering="crispEdges"' in opening
    assert 'fill="#000"' in svg and 'fill="#fff"' in svg
    # quiet zone: the outer 4 modules are white
    grid = svg_matrix(svg)
    n = len(grid)
    for i in range(QUIET_ZONE):
        assert not any(grid[i]) and not any(grid[n - 1 - i])
        assert not any(row[i] or row[n - 1 - i] for row in grid)


def test_png_box_size():
    n = len(qr_matrix(URLS[1]))
    for box in (3, 10):
        img = Image.open(io.BytesIO(qr_png(URLS[1], box_size=box)))
        assert img.size == (n * box, n * box)


def test_cached_by_content():
    assert qr_svg(URLS[0]) is qr_svg(URLS[0])
    assert qr_png(URLS[0]) is qr_png(URLS[0])
    assert qr_png(URLS[0], box_size=4) is qr_png(URLS[0], box_size=4)
    assert qr_svg(URLS[0]) != qr_svg(URLS[1])
    assert qr_svg.cache_info().maxsize and qr_png.cache_info().maxsize


@pytest.mark.parametrize("bad", ["", None, b"https://x"])
def test_rejects_bad_data(bad):
    with pytest.raises(ValueError):
        qr_svg(bad)
    with pytest.raises(ValueError):
        qr_png(bad)


def test_rejects_bad_box_size():
    with pytest.raises(ValueError):
        qr_png(URLS[0], box_size=0)
