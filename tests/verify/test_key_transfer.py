"""Moving a security key to another vault keeps it working at the relying party: a key
registered in vault A, exported and imported into vault B (another password), signs from B, and
py_webauthn verifies B's assertions with the credential ID and public key from A's registration,
the counter still growing. After a move A no longer signs; after a copy both do, by the clock.
"""

import os

import webauthn

from harness import call

ORIGIN = "https://signin.aws.amazon.com"
CONSOLE = "https://console.aws.amazon.com"
RP_ID = "amazon.com"


def b64u(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def create_step(vault, challenge):
    return {
        "op": "create",
        "vault": vault,
        "origin": CONSOLE,
        "options": {
            "rp": {"id": RP_ID, "name": "Amazon Web Services"},
            "user": {"id": b64u(os.urandom(16)), "name": "root", "displayName": "root"},
            "challenge": b64u(challenge),
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
            "attestation": "none",
        },
    }


def get_step(vault, challenge, now_ms=None):
    step = {
        "op": "get",
        "vault": vault,
        "origin": ORIGIN,
        "options": {"challenge": b64u(challenge), "rpId": RP_ID, "allowCredentials": [{"type": "public-key", "id": "$2"}]},
    }
    if now_ms is not None:
        step["now_ms"] = now_ms
    return step


def verify(registration, challenge, assertion, counter):
    verified = webauthn.verify_authentication_response(
        credential=assertion,
        expected_challenge=challenge,
        expected_origin=ORIGIN,
        expected_rp_id=RP_ID,
        credential_public_key=registration.credential_public_key,
        credential_current_sign_count=counter,
    )
    assert verified.credential_id == registration.credential_id
    assert verified.new_sign_count > counter
    return verified.new_sign_count


def run_transfer(mode):
    reg = os.urandom(32)
    challenges = [os.urandom(32) for _ in range(5)]
    steps = [
        {"op": "vault", "vault": "A", "password": "password of A"},
        {"op": "vault", "vault": "B", "password": "a different password for B"},
        create_step("A", reg),
        get_step("A", challenges[0]),
        get_step("A", challenges[1]),
        {"op": "export", "vault": "A", "mode": mode, "password": "backup password"},
        {"op": "import", "vault": "B", "password": "backup password"},
        get_step("B", challenges[2], now_ms=1_767_225_700_000),
        get_step("B", challenges[3], now_ms=1_767_225_800_000),
        get_step("A", challenges[4], now_ms=1_767_225_900_000),
    ]
    results = call("transfer.run", {"steps": steps})["results"]
    registration = webauthn.verify_registration_response(
        credential=results[2]["ok"], expected_challenge=reg, expected_origin=CONSOLE, expected_rp_id=RP_ID
    )
    return registration, challenges, results


def test_a_moved_key_signs_from_the_new_vault_and_not_the_old():
    registration, challenges, results = run_transfer("move")
    counter = registration.sign_count
    for challenge, result in [(challenges[0], results[3]), (challenges[1], results[4])]:
        counter = verify(registration, challenge, result["ok"], counter)
    assert results[6]["ok"]["keysAdded"] == ["amazon.com (root)"]
    for challenge, result in [(challenges[2], results[7]), (challenges[3], results[8])]:
        counter = verify(registration, challenge, result["ok"], counter)
    assert "not_ours" in results[9], "A must not sign a key it moved away"


def test_a_copied_key_signs_from_both_with_counters_that_keep_growing():
    registration, challenges, results = run_transfer("copy")
    counter = registration.sign_count
    for challenge, result in zip(challenges, [results[3], results[4], results[7], results[8], results[9]]):
        counter = verify(registration, challenge, result["ok"], counter)
    assert counter >= 1_767_225_900, "copies count by the clock (Unix seconds)"
