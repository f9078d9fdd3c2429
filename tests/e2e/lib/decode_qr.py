"""Reads the QR codes in PNG files with zxing-cpp (independent of the extension's decoder).

Usage: decode_qr.py FILE...  ->  one JSON line: [[texts of FILE 1], [texts of FILE 2], ...]
"""

import json
import sys

import zxingcpp
from PIL import Image

print(json.dumps([[r.text for r in zxingcpp.read_barcodes(Image.open(p).convert("L"))
                   if r.format == zxingcpp.BarcodeFormat.QRCode] for p in sys.argv[1:]]))
