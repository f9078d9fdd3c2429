"""Writes the generated sample files of this folder from the formats' public specifications,
with Python's `cryptography` only (no SoftKey code), deterministically (fixed salts and nonces).
Run from the repository root: `.venv/bin/python tests/vectors/formats/make_vectors.py`.
"""

import base64
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "verify"))
import softkey_backup_spec  # noqa: E402

# RFC 6979 A.2.5's P-256 private key: its public key is published, so tests can check it.
RFC6979_D = int("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721", 16)


def pkcs8_b64url() -> str:
    key = ec.derive_private_key(RFC6979_D, ec.SECP256R1())
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return base64.urlsafe_b64encode(der).rstrip(b"=").decode()


def aegis_encrypted():
    """Aegis docs/vault.md: scrypt(N=2^15, r=8, p=1) wraps a master key (AES-256-GCM, nonce and tag
    apart, hex); the content JSON is AES-256-GCM under the master key, base64 in `db`."""
    with open(os.path.join(HERE, "aegis_plain.json")) as f:
        content = json.dumps(json.load(f)["db"]).encode()
    password = b"test"
    salt = bytes(range(32))
    master = bytes([0x42] * 32)
    slot_nonce, db_nonce = bytes([1] * 12), bytes([2] * 12)
    wrapping = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(password)
    wrapped = AESGCM(wrapping).encrypt(slot_nonce, master, None)
    sealed = AESGCM(master).encrypt(db_nonce, content, None)
    vault = {
        "version": 1,
        "header": {
            "slots": [
                {
                    "type": 1,
                    "uuid": "8f9b7c1e-2d3a-4b5c-9d6e-7f8091a2b3c4",
                    "key": wrapped[:-16].hex(),
                    "key_params": {"nonce": slot_nonce.hex(), "tag": wrapped[-16:].hex()},
                    "n": 2**15,
                    "r": 8,
                    "p": 1,
                    "salt": salt.hex(),
                }
            ],
            "params": {"nonce": db_nonce.hex(), "tag": sealed[-16:].hex()},
        },
        "db": base64.b64encode(sealed[:-16]).decode(),
    }
    with open(os.path.join(HERE, "aegis_encrypted.json"), "w") as f:
        json.dump(vault, f, indent=4)
        f.write("\n")


def bitwarden():
    """Bitwarden's unencrypted JSON export: items of type 1 with login.totp and
    login.fido2Credentials (string fields, keyValue = base64url PKCS#8, credentialId a GUID)."""
    export = {
        "encrypted": False,
        "folders": [],
        "items": [
            {
                "id": "3c0e6d4e-6c1f-4b0b-9a57-2b1d9e1c7a10",
                "organizationId": None,
                "folderId": None,
                "type": 1,
                "reprompt": 0,
                "name": "AWS prod",
                "notes": None,
                "favorite": False,
                "login": {
                    "uris": [{"match": None, "uri": "https://signin.aws.amazon.com"}],
                    "username": "alice",
                    "password": None,
                    "totp": "otpauth://totp/Amazon%20Web%20Services:alice@111122223333?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Amazon%20Web%20Services",
                },
                "collectionIds": None,
            },
            {
                "id": "5b8f0a52-0f4e-4d33-8d0b-6f0f9a3e2b21",
                "organizationId": None,
                "folderId": None,
                "type": 1,
                "reprompt": 0,
                "name": "Example",
                "notes": None,
                "favorite": False,
                "login": {"uris": [], "username": "bob", "password": "hunter2", "totp": "JBSWY3DPEHPK3PXP"},
                "collectionIds": None,
            },
            {
                "id": "9d6a3f1c-8e2b-4c7d-a5f0-1b2c3d4e5f60",
                "organizationId": None,
                "folderId": None,
                "type": 1,
                "reprompt": 0,
                "name": "amazon.com passkey",
                "notes": None,
                "favorite": False,
                "login": {
                    "uris": [{"match": None, "uri": "https://amazon.com"}],
                    "username": "carol",
                    "password": None,
                    "totp": None,
                    "fido2Credentials": [
                        {
                            "credentialId": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                            "keyType": "public-key",
                            "keyAlgorithm": "ECDSA",
                            "keyCurve": "P-256",
                            "keyValue": pkcs8_b64url(),
                            "rpId": "amazon.com",
                            "userHandle": "AAECAwQFBgcICQoLDA0ODw",
                            "userName": "carol",
                            "counter": "17",
                            "rpName": "Amazon",
                            "userDisplayName": "Carol",
                            "discoverable": "true",
                            "creationDate": "2025-01-02T03:04:05.000Z",
                        }
                    ],
                },
                "collectionIds": None,
            },
            {"id": "0b7e", "type": 2, "name": "a secure note", "notes": "ignored", "secureNote": {"type": 0}},
        ],
    }
    with open(os.path.join(HERE, "bitwarden.json"), "w") as f:
        json.dump(export, f, indent=2)
        f.write("\n")


def softkey_backup():
    """docs/backup-format.md, through tests/verify/softkey_backup_spec.py; password "vector"."""
    contents = {
        "format": "softkey-backup",
        "version": 1,
        "createdMs": 1767225600000,
        "totp": [
            {
                "otp": {
                    "issuer": "Amazon Web Services",
                    "account": "alice@111122223333",
                    "secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
                    "algorithm": "SHA1",
                    "digits": 6,
                    "kind": {"type": "totp", "period": 30},
                },
                "label": "prod alice",
                "aws": {"account": "111122223333", "user": "alice", "arn": "arn:aws:iam::111122223333:mfa/alice"},
                "createdMs": 1767225600000,
            }
        ],
        "securityKeys": [
            {
                "credentialId": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
                "rpId": "amazon.com",
                # SHA-256("amazon.com")
                "rpIdHash": base64.urlsafe_b64encode(__import__("hashlib").sha256(b"amazon.com").digest()).rstrip(b"=").decode(),
                "user": {"id": "AAECAwQFBgcICQoLDA0ODw", "name": "root", "displayName": "root"},
                "privateKeyPkcs8": pkcs8_b64url(),
                "signCount": 48,
                "discoverable": False,
                "backupEligible": True,
                "label": "break-glass",
                "aws": {"account": "111122223333", "user": "root"},
                "createdMs": 1767225600000,
                "madeWithU2f": False,
                "clockCounter": False,
            }
        ],
    }
    data = softkey_backup_spec.write(contents, b"vector", salt=bytes(range(16)), nonce=bytes(range(12)))
    with open(os.path.join(HERE, "softkey_backup_v1.skbackup"), "wb") as f:
        f.write(data)


if __name__ == "__main__":
    aegis_encrypted()
    bitwarden()
    softkey_backup()
