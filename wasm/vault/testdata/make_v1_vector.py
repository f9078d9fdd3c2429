#!/usr/bin/env python3
"""Independent implementation of the softkey-vault v1 envelope (see wasm/vault/src/lib.rs docs).

Written from the format description, not from the Rust code, using Python's `cryptography`
package (Argon2id needs cryptography >= 44) and hashlib. Two uses:

    python3 make_v1_vector.py > v1_min.txt     # write the fixed vector the Rust tests open
    python3 make_v1_vector.py open HEXFILE PW  # open an envelope written by the Rust code
"""
import hashlib
import struct
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"SKVAULT\0"


def argon2id(password, salt, m, t, p):
    return Argon2id(salt=salt, length=32, iterations=t, lanes=p, memory_cost=m).derive(password)


def hkdf(master_key, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"softkey-vault/v1", info=info).derive(master_key)


def seal(password, plaintext, master_key, salt, wrap_nonce, data_nonce, m, t, p):
    head = MAGIC + bytes([1, 1]) + struct.pack("<III", m, t, p) + salt
    wrapped = AESGCM(argon2id(password, salt, m, t, p)).encrypt(wrap_nonce, master_key, head)
    head += wrap_nonce + wrapped + data_nonce
    data_key = hkdf(master_key, b"softkey-vault/v1/data")
    body = head + AESGCM(data_key).encrypt(data_nonce, plaintext, head)
    return body + hashlib.sha256(body).digest()


def open_envelope(env, password):
    body, checksum = env[:-32], env[-32:]
    assert env[:8] == MAGIC and hashlib.sha256(body).digest() == checksum, "damaged"
    assert env[8] == 1 and env[9] == 1, "version / kdf"
    m, t, p = struct.unpack("<III", env[10:22])
    salt, wrap_nonce, wrapped, data_nonce = env[22:38], env[38:50], env[50:98], env[98:110]
    master_key = AESGCM(argon2id(password, salt, m, t, p)).decrypt(wrap_nonce, wrapped, env[:38])
    data_key = hkdf(master_key, b"softkey-vault/v1/data")
    return master_key, AESGCM(data_key).decrypt(data_nonce, body[110:], env[:110])


def main():
    if sys.argv[1:2] == ["open"]:
        env = bytes.fromhex(open(sys.argv[2]).read().strip())
        master_key, plaintext = open_envelope(env, sys.argv[3].encode())
        print("master_key:", master_key.hex())
        print("plaintext:", plaintext.decode(errors="replace"))
        return
    password = "pässwörd \U0001F511".encode()  # NFC UTF-8, as the caller is told to pass it
    plaintext = b'{"totp":[{"label":"aws-prod","secret":"JBSWY3DPEHPK3PXP"}]}'
    master_key = bytes(range(0x40, 0x60))
    salt = bytes(range(0x10, 0x20))
    wrap_nonce = bytes(range(0xA0, 0xAC))
    data_nonce = bytes(range(0xB0, 0xBC))
    m, t, p = 19456, 2, 1  # KdfParams::MIN
    env = seal(password, plaintext, master_key, salt, wrap_nonce, data_nonce, m, t, p)
    assert open_envelope(env, password) == (master_key, plaintext)
    print("# softkey-vault v1 vector, written by testdata/make_v1_vector.py (Python cryptography).")
    print("# KdfParams::MIN; fixed salt and nonces so the file is reproducible.")
    print("password:", password.hex())
    print("plaintext:", plaintext.hex())
    print("master_key:", master_key.hex())
    print("subkey_key-handle/v1:", hkdf(master_key, b"softkey-vault/v1/subkey/key-handle/v1").hex())
    print("envelope:", env.hex())


if __name__ == "__main__":
    main()
