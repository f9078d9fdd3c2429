"""softkey-qr against independent implementations: our decoder reads QR codes drawn by segno (a
pure-Python encoder), and zxing-cpp (a C++ decoder) reads the codes our encoder makes.

Needs SOFTKEY_HARNESS (the built softkey-harness binary: `qr.decode`, `qr.encode`), and segno,
zxing-cpp, numpy and Pillow from tests/requirements.txt. Noise is seeded; set QR_SEED to try others.
"""

import io
import os
import random

import pytest
import segno
import zxingcpp
from PIL import Image, ImageFilter

from harness import call

SEED = int(os.environ.get("QR_SEED", "20261123"))
AWS_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"[:64]
AMAZON_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZD"[:52]
AWS_URI = (
    "otpauth://totp/Amazon%20Web%20Services:alice-phone@123456789012"
    f"?secret={AWS_SECRET}&issuer=Amazon%20Web%20Services"
)
AMAZON_URI = f"otpauth://totp/Amazon:someone.with.a.long.address@example.com?secret={AMAZON_SECRET}&issuer=Amazon"
TEXTS = [
    "hello",
    AWS_URI,
    AMAZON_URI,
    # Long enough for a version in the teens, where alignment patterns and version blocks appear.
    AWS_URI + "&image=" + "https%3A%2F%2Fexample.com%2F" + "x" * 200,
    "Ünïcödé label ✓ " + AWS_URI,
]


def segno_image(text, scale, error="m", border=4):
    """The code segno draws, as a greyscale PIL image."""
    qr = segno.make(text, error=error, micro=False)
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=scale, border=border)
    buf.seek(0)
    return Image.open(buf).convert("L")


def decode(images):
    """Runs our decoder on PIL images (greyscale as luma, RGB(A) as RGBA); one result each."""
    payload = []
    for im in images:
        if im.mode == "L":
            payload.append({"width": im.width, "height": im.height, "luma_hex": im.tobytes().hex()})
        else:
            rgba = im.convert("RGBA")
            payload.append({"width": im.width, "height": im.height, "rgba_hex": rgba.tobytes().hex()})
    return call("qr.decode", {"images": payload})["results"]


def encode(texts):
    return call("qr.encode", {"texts": texts})["results"]


def draw(rows, scale=4, border=4):
    """Our module rows as a greyscale image, drawn here (not by our code)."""
    size = len(rows)
    side = (size + 2 * border) * scale
    im = Image.new("L", (side, side), 255)
    px = im.load()
    for y, row in enumerate(rows):
        for x, bit in enumerate(row):
            if bit == "1":
                for dy in range(scale):
                    for dx in range(scale):
                        px[(x + border) * scale + dx, (y + border) * scale + dy] = 0
    return im


def noisy(im, rng, fraction):
    """Flips a fraction of the pixels to a random grey."""
    im = im.copy()
    px = im.load()
    for _ in range(int(im.width * im.height * fraction)):
        px[rng.randrange(im.width), rng.randrange(im.height)] = rng.randrange(256)
    return im


def on_page(im, width, height, left, top):
    """The code pasted onto a larger light-grey 'page' with some text-like dark bars."""
    page = Image.new("L", (width, height), 235)
    for i in range(0, height, 37):
        page.paste(60, (10, i + 5, min(width - 10, 10 + (i * 7) % 300 + 40), i + 12))
    page.paste(im, (left, top))
    return page


# ---------------------------------------------------------------- our decoder, segno's codes


@pytest.mark.parametrize("scale", [2, 3, 4, 5, 8])
def test_reads_segno_codes_at_every_scale(scale):
    results = decode([segno_image(t, scale) for t in TEXTS])
    assert [r.get("texts") for r in results] == [[t] for t in TEXTS]


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
def test_reads_every_error_correction_level(error):
    results = decode([segno_image(t, 3, error=error) for t in TEXTS[:3]])
    assert [r.get("texts") for r in results] == [[t] for t in TEXTS[:3]]


def test_reads_damaged_and_photographed_codes():
    rng = random.Random(SEED)
    images = []
    expected = []
    for text in (AWS_URI, AMAZON_URI):
        base = segno_image(text, 5, error="m")
        images += [
            noisy(base, rng, 0.01),
            base.filter(ImageFilter.GaussianBlur(1.2)),
            base.rotate(7, resample=Image.BICUBIC, expand=True, fillcolor=255),
            base.rotate(-4, resample=Image.BILINEAR, expand=True, fillcolor=255).filter(ImageFilter.GaussianBlur(0.8)),
            base.resize((int(base.width * 0.83), int(base.height * 0.83)), Image.BILINEAR),
            on_page(base, 1280, 720, 500, 180),
        ]
        expected += [[text]] * 6
    results = decode(images)
    assert [r.get("texts") for r in results] == expected, [r.get("error") for r in results]


def test_reads_colour_and_dark_theme_codes():
    base = segno_image(AWS_URI, 4)
    # Dark blue on pale yellow, as RGBA.
    colour = Image.merge("RGB", [base.point(lambda v: 20 if v < 128 else 250),
                                 base.point(lambda v: 40 if v < 128 else 245),
                                 base.point(lambda v: 120 if v < 128 else 200)])
    # Light on dark, as a dark theme might draw it.
    inverted = base.point(lambda v: 255 - v)
    results = decode([colour, inverted])
    assert [r.get("texts") for r in results] == [[AWS_URI], [AWS_URI]]


def test_two_codes_in_one_screenshot():
    a, b = segno_image(AWS_URI, 3), segno_image(AMAZON_URI, 3)
    page = on_page(a, 900, 500, 20, 40)
    page.paste(b, (500, 60))
    [result] = decode([page])
    assert sorted(result["texts"]) == sorted([AWS_URI, AMAZON_URI])


def test_refusals_have_names_and_messages():
    blank = Image.new("L", (300, 200), 255)
    too_small = Image.new("L", (20, 20), 255)
    results = decode([blank, too_small])
    assert results[0] == {"error": "no QR code was found in the image", "name": "NoQrFound"}
    assert results[1]["name"] == "BadImage" and "too small" in results[1]["error"]
    [wrong] = call("qr.decode", {"images": [{"width": 30, "height": 30, "luma_hex": "00" * 10}]})["results"]
    assert wrong["name"] == "BadImage" and "900" in wrong["error"]
    [large] = call("qr.decode", {"images": [{"width": 5000, "height": 30, "luma_hex": ""}]})["results"]
    assert large["name"] == "BadImage" and "too large" in large["error"]


# ---------------------------------------------------------------- zxing-cpp, our codes


def test_zxing_reads_our_codes():
    results = encode(TEXTS)
    for text, result in zip(TEXTS, results):
        [found] = zxingcpp.read_barcodes(draw(result["rows"]))
        assert found.format == zxingcpp.BarcodeFormat.QRCode
        assert found.text == text
        assert found.ec_level == "M"
        # No larger than the smallest version segno finds for level M (ours may mix
        # alphanumeric and byte segments and so come out smaller).
        version = segno.make(text, error="m", micro=False, boost_error=False).version
        assert result["size"] % 4 == 1 and result["size"] <= 17 + 4 * version, text


def test_zxing_reads_our_codes_small_and_rotated():
    [result] = encode([AWS_URI])
    for im in (draw(result["rows"], scale=2, border=2), draw(result["rows"], scale=3).rotate(90)):
        [found] = zxingcpp.read_barcodes(im)
        assert found.text == AWS_URI


def test_encode_refusals():
    results = encode(["", "x" * 1025])
    assert results[0] == {"error": "there is no text to put into a QR code", "name": "BadText"}
    assert results[1]["name"] == "BadText" and "1025 bytes" in results[1]["error"]
