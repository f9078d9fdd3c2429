

def test_migration_qr_codes_read_by_zxing_then_protobuf():
    """Google migration URIs drawn by our QR encoder, read by zxing-cpp, then decoded with the
    published schema: the path a phone's camera takes."""
    import zxingcpp
    from PIL import Image

    Payload = migration_payload_class()
    entries = [f"otpauth://totp/AWS:user{i}@111122223333?secret=JBSWY3DPEHPK3PX{'AQIY'[i % 4]}&issuer=AWS" for i in range(10)]
    [uri] = call("formats.google_write", {"uris": entries})["migration"]
    [result] = call("qr.encode", {"texts": [uri]})["results"]
    rows = result["rows"]
    scale, border = 4, 4
    side = (len(rows) + 2 * border) * scale
    im = Image.new("L", (side, side), 255)
    px = im.load()
    for y, row in enumerate(rows):
        for x, bit in enumerate(row):
            if bit == "1":
                for dy in range(scale):
                    for dx in range(scale):
                        px[(x + border) * scale + dx, (y + border) * scale + dy] = 0
    [found] = zxingcpp.read_barcodes(im)
    assert found.text == uri
    payload = Payload()
    payload.ParseFromString(base64.b64decode(urllib.parse.parse_qs(urllib.parse.urlsplit(found.text).query)["data"][0]))
    assert [p.name for p in payload.otp_parameters] == [f"user{i}@111122223333" for i in range(10)]
