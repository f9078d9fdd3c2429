"""Our export formats, read by independent implementations built from each format's published
description: Python `protobuf` (Google Authenticator's migration payload, schema as in
tests/vectors/formats/google_migration.proto), Python `cryptography` (Aegis's encrypted vault as
its docs/vault.md describes; SoftKey's backup as docs/backup-format.md describes, both ways).
"""

import base64
import json
import os
import urllib.parse

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

import softkey_backup_spec
from harness import call, run

F = descriptor_pb2.FieldDescriptorProto

ENTRIES = [
    "otpauth://totp/Amazon%20Web%20Services:alice%40111122223333?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Amazon%20Web%20Services",
    "otpauth://totp/Example:bob?secret=JBSWY3DPEHPK3PXP&issuer=Example&algorithm=SHA256&digits=8",
    "otpauth://totp/carol?secret=MFRGGZDFMZTWQ2LK&algorithm=SHA512",
]


def migration_payload_class():
    """google_migration.proto, built with protobuf's descriptor API (no protoc here)."""
    file = descriptor_pb2.FileDescriptorProto(name="google_migration.proto", syntax="proto3")
    payload = file.message_type.add(name="MigrationPayload")
    for name, values in [
        ("Algorithm", ["ALGORITHM_UNSPECIFIED", "ALGORITHM_SHA1", "ALGORITHM_SHA256", "ALGORITHM_SHA512", "ALGORITHM_MD5"]),
        ("DigitCount", ["DIGIT_COUNT_UNSPECIFIED", "DIGIT_COUNT_SIX", "DIGIT_COUNT_EIGHT"]),
        ("OtpType", ["OTP_TYPE_UNSPECIFIED", "OTP_TYPE_HOTP", "OTP_TYPE_TOTP"]),
    ]:
        enum = payload.enum_type.add(name=name)
        for number, value in enumerate(values):
            enum.value.add(name=value, number=number)
    params = payload.nested_type.add(name="OtpParameters")
    for number, (name, kind, type_name) in enumerate(
        [
            ("secret", F.TYPE_BYTES, None),
            ("name", F.TYPE_STRING, None),
            ("issuer", F.TYPE_STRING, None),
            ("algorithm", F.TYPE_ENUM, ".MigrationPayload.Algorithm"),
            ("digits", F.TYPE_ENUM, ".MigrationPayload.DigitCount"),
            ("type", F.TYPE_ENUM, ".MigrationPayload.OtpType"),
            ("counter", F.TYPE_INT64, None),
        ],
        start=1,
    ):
        field = params.field.add(name=name, number=number, type=kind, label=F.LABEL_OPTIONAL)
        if type_name:
            field.type_name = type_name
    payload.field.add(
        name="otp_parameters", number=1, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED, type_name=".MigrationPayload.OtpParameters"
    )
    for number, name in enumerate(["version", "batch_size", "batch_index", "batch_id"], start=2):
        payload.field.add(name=name, number=number, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("MigrationPayload"))


def b32(secret: bytes) -> str:
    return base64.b32encode(secret).decode().rstrip("=")


def test_google_migration_payload_decodes_with_protobuf():
    Payload = migration_payload_class()
    entries = ENTRIES + [f"otpauth://totp/Issuer{i}:user{i}?secret=JBSWY3DPEHPK3PX{'AQIY'[i % 4]}&issuer=Issuer{i}" for i in range(9)]
    uris = call("formats.google_write", {"uris": entries})["migration"]
    assert len(uris) == 2, "12 entries: two QR codes of at most 10"
    decoded = []
    for index, uri in enumerate(uris):
        assert uri.startswith("otpauth-migration://offline?data=")
        data = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query)["data"][0]
        payload = Payload()
        payload.ParseFromString(base64.b64decode(data))
        assert (payload.version, payload.batch_size, payload.batch_index) == (1, 2, index)
        decoded.extend(payload.otp_parameters)
    assert len(decoded) == 12
    alice, bob, carol = decoded[:3]
    assert b32(alice.secret) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert alice.name == "alice@111122223333"
    assert alice.issuer == "Amazon Web Services"
    A, D, T = Payload.Algorithm, Payload.DigitCount, Payload.OtpType
    assert (alice.algorithm, alice.digits, alice.type) == (A.Value("ALGORITHM_SHA1"), D.Value("DIGIT_COUNT_SIX"), T.Value("OTP_TYPE_TOTP"))
    assert (bob.algorithm, bob.digits) == (A.Value("ALGORITHM_SHA256"), D.Value("DIGIT_COUNT_EIGHT"))
    assert carol.algorithm == A.Value("ALGORITHM_SHA512") and carol.issuer == ""
    assert b32(carol.secret) == "MFRGGZDFMZTWQ2LK"


def test_python_protobuf_payload_reads_back():
    """The other direction: a payload encoded by Python protobuf, read by our importer."""
    Payload = migration_payload_class()
    payload = Payload(version=1, batch_size=1, batch_index=0, batch_id=9)
    payload.otp_parameters.add(secret=b"12345678901234567890", name="ACME:dave", issuer="ACME", algorithm=2, digits=2, type=2)
    data = urllib.parse.quote(base64.b64encode(payload.SerializeToString()).decode(), safe="")
    [uri] = call("formats.google_read", {"uri": "otpauth-migration://offline?data=" + data})["uris"]
    parsed = urllib.parse.urlsplit(uri)
    query = urllib.parse.parse_qs(parsed.query)
    assert urllib.parse.unquote(parsed.path) == "/ACME:dave"
    assert query["secret"] == [b32(b"12345678901234567890")]
    assert query["algorithm"] == ["SHA256"] and query["digits"] == ["8"]


def aegis_open(text: str, password: bytes) -> dict:
    """Aegis docs/vault.md, "Encryption" and "Slots": scrypt → AES-GCM unwraps the master key
    from a password slot; AES-GCM under the master key opens `db`."""
    vault = json.loads(text)
    assert vault["version"] == 1
    slot = next(s for s in vault["header"]["slots"] if s["type"] == 1)
    key = Scrypt(salt=bytes.fromhex(slot["salt"]), length=32, n=slot["n"], r=slot["r"], p=slot["p"]).derive(password)
    master = AESGCM(key).decrypt(
        bytes.fromhex(slot["key_params"]["nonce"]), bytes.fromhex(slot["key"]) + bytes.fromhex(slot["key_params"]["tag"]), None
    )
    params = vault["header"]["params"]
    content = AESGCM(master).decrypt(
        bytes.fromhex(params["nonce"]), base64.b64decode(vault["db"]) + bytes.fromhex(params["tag"]), None
    )
    return json.loads(content)


def test_encrypted_aegis_vault_opens_with_cryptography():
    text = call("formats.aegis_write", {"uris": ENTRIES, "password": "aegis pass"})["text"]
    content = aegis_open(text, b"aegis pass")
    entries = content["entries"]
    assert [e["type"] for e in entries] == ["totp"] * 3
    assert entries[0]["name"] == "alice@111122223333"
    assert entries[0]["issuer"] == "Amazon Web Services"
    assert entries[0]["info"] == {"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA1", "digits": 6, "period": 30}
    assert entries[1]["info"]["algo"] == "SHA256" and entries[1]["info"]["digits"] == 8
    assert len({e["uuid"] for e in entries}) == 3
    # The sample written by Python from the same docs reads in Rust too (the other direction).
    with open(os.path.join(os.path.dirname(__file__), "..", "vectors", "formats", "aegis_encrypted.json")) as f:
        sample = f.read()
    uris = call("formats.aegis_read", {"text": sample, "password": "test"})["uris"]
    assert len(uris) == 3 and "secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" in uris[0]


def test_softkey_backup_both_ways_with_the_spec():
    aws = {"account": "111122223333", "user": "alice", "arn": "arn:aws:iam::111122223333:mfa/alice"}
    sealed = call("formats.backup_seal", {"totp": [{"uri": ENTRIES[0], "label": "prod", "aws": aws}], "password": "pw one"})
    contents = softkey_backup_spec.read(bytes.fromhex(sealed["file_hex"]), b"pw one")
    [entry] = contents["totp"]
    assert entry["otp"]["secret"] == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert entry["label"] == "prod" and entry["aws"] == aws

    written = softkey_backup_spec.write(
        {
            "format": "softkey-backup",
            "version": 1,
            "totp": [
                {
                    "otp": {"issuer": "X", "account": "y", "secret": "JBSWY3DPEHPK3PXP", "algorithm": "SHA256", "digits": 8, "kind": {"type": "totp", "period": 60}},
                    "label": "from python",
                }
            ],
        },
        b"pw two",
    )
    opened = call("formats.backup_open", {"file_hex": written.hex(), "password": "pw two"})
    assert opened["totp"][0]["label"] == "from python"
    assert "algorithm=SHA256" in opened["totp"][0]["uri"] and "period=60" in opened["totp"][0]["uri"]
    code, out = run("formats.backup_open", {"file_hex": written.hex(), "password": "wrong"})
    assert code == 1 and out["error"].startswith("WrongPassword:")
    code, out = run("formats.backup_open", {"file_hex": written[:-40].hex(), "password": "pw two"})
    assert code == 1 and out["error"].startswith("Truncated:")


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
