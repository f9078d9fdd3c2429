"""SoftKey's backup file (docs/backup-format.md), written and read from the specification alone
with Python's `cryptography` (Argon2id, AES-GCM): an implementation independent of the Rust one,
used to check that each reads what the other writes.
"""

import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

MAGIC = b"SKBACKUP"
HEADER_LEN = 54
# The cheapest cost readers accept (docs/backup-format.md, "Reading", step 8).
MIN_COST = (19456, 2, 1)


def _key(password: bytes, salt: bytes, m: int, t: int, p: int) -> bytes:
    return Argon2id(salt=salt, length=32, iterations=t, lanes=p, memory_cost=m).derive(password)


def write(contents: dict, password: bytes, cost=MIN_COST, salt=None, nonce=None) -> bytes:
    m, t, p = cost
    salt = salt if salt is not None else os.urandom(16)
    nonce = nonce if nonce is not None else os.urandom(12)
    plaintext = json.dumps(contents).encode()
    header = MAGIC + bytes([1, 1]) + struct.pack("<III", m, t, p) + salt + nonce
    header += struct.pack("<I", len(plaintext) + 16)
    assert len(header) == HEADER_LEN
    sealed = AESGCM(_key(password, salt, m, t, p)).encrypt(nonce, plaintext, header)
    body = header + sealed
    return body + hashlib.sha256(body).digest()


def read(data: bytes, password: bytes) -> dict:
    assert data[:8] == MAGIC, "magic"
    assert data[8] == 1 and data[9] == 1, "version 1, Argon2id"
    m, t, p = struct.unpack("<III", data[10:22])
    salt, nonce = data[22:38], data[38:50]
    (n,) = struct.unpack("<I", data[50:54])
    assert len(data) == HEADER_LEN + n + 32, "length"
    assert hashlib.sha256(data[:-32]).digest() == data[-32:], "checksum"
    plaintext = AESGCM(_key(password, salt, m, t, p)).decrypt(nonce, data[HEADER_LEN : HEADER_LEN + n], data[:HEADER_LEN])
    contents = json.loads(plaintext)
    assert contents["format"] == "softkey-backup" and contents["version"] == 1
    return contents
