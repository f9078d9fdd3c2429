"""Registrations and assertions from our authenticator, checked by two independent relying-party
libraries: py_webauthn (`webauthn`) and python-fido2 (`fido2`). Nothing here trusts our own
parsing: the verifiers decode CBOR, COSE, X.509 and signatures themselves.
"""

import base64
import hashlib
import json
import os

import pytest
import webauthn
from fido2.attestation import Attestation
from fido2.ctap1 import RegistrationData, SignatureData
from fido2.server import Fido2Server
from fido2.utils import websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AuthenticatorData,
    CollectedClientData,
    PublicKeyCredentialRpEntity,
)
from fido2.cose import ES256
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse

from harness import run_webauthn

ORIGIN = "https://signin.aws.amazon.com"
CONSOLE = "https://console.aws.amazon.com"
RP_ID = "amazon.com"
APP_ID = "https://u2f.aws.amazon.com/app-id.json"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def creation_options(challenge, attestation="direct", rp_id=RP_ID, **extra):
    options = {
        "rp": {"id": rp_id, "name": "Amazon Web Services"},
        "user": {"id": b64u(os.urandom(16)), "name": "alice", "displayName": "alice"},
        "challenge": b64u(challenge),
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 60000,
        "attestation": attestation,
        "authenticatorSelection": {"residentKey": "discouraged", "userVerification": "discouraged"},
    }
    options.update(extra)
    return options


def request_options(challenge, allow, rp_id=RP_ID, **extra):
    options = {
        "challenge": b64u(challenge),
        "rpId": rp_id,
        "allowCredentials": [
            {"type": "public-key", "id": i, "transports": ["usb", "nfc", "ble", "hybrid", "internal"]}
            for i in allow
        ],
        "userVerification": "discouraged",
        "timeout": 60000,
    }
    options.update(extra)
    return options


def fido2_server(rp_id=RP_ID, origin=ORIGIN):
    return Fido2Server(PublicKeyCredentialRpEntity(name="Amazon Web Services", id=rp_id), verify_origin=lambda o: o == origin)


def fido2_state(challenge):
    return {"challenge": websafe_encode(challenge), "user_verification": None}


@pytest.mark.parametrize("fmt,conveyance", [("none", "none"), ("packed", "direct"), ("fido-u2f", "direct")])
def test_registration_is_verified_by_both_libraries(fmt, conveyance):
    challenge = os.urandom(32)
    step = {"op": "create", "origin": CONSOLE, "options": creation_options(challenge, conveyance), "format": fmt}
    response = run_webauthn([step])["results"][0]["ok"]

    verified = webauthn.verify_registration_response(
        credential=response, expected_challenge=challenge, expected_origin=CONSOLE, expected_rp_id=RP_ID
    )
    assert verified.fmt == fmt
    assert verified.sign_count == 0
    assert verified.credential_id == unb64u(response["id"])

    # python-fido2: the full server-side ceremony, then the statement on its own.
    auth_data = fido2_server(origin=CONSOLE).register_complete(fido2_state(challenge), response)
    assert auth_data.credential_data.credential_id == verified.credential_id
    att_obj = AttestationObject(unb64u(response["response"]["attestationObject"]))
    client_data = CollectedClientData(unb64u(response["response"]["clientDataJSON"]))
    result = Attestation.for_type(att_obj.fmt)().verify(att_obj.att_stmt, att_obj.auth_data, client_data.hash)
    assert att_obj.fmt == fmt
    if fmt == "fido-u2f":
        assert len(result.trust_path) == 1  # our per-install certificate

    # getPublicKey() (SPKI DER) names the same key as the COSE key in the authenticator data.
    cose = auth_data.credential_data.public_key
    spki = cose.verify  # noqa: F841 (the COSE key object is what fido2 verifies with)
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    spki_key = load_der_public_key(unb64u(response["response"]["publicKey"]))
    assert spki_key.public_numbers().x == int.from_bytes(cose[-2], "big")
    assert spki_key.public_numbers().y == int.from_bytes(cose[-3], "big")
    assert response["response"]["publicKeyAlgorithm"] == -7


def register_and_sign(n_assertions, create_extra=None, get_extra=None, origin=ORIGIN):
    reg_challenge = os.urandom(32)
    challenges = [os.urandom(32) for _ in range(n_assertions)]
    steps = [{"op": "create", "origin": CONSOLE, "options": creation_options(reg_challenge, **(create_extra or {}))}]
    steps += [
        {"op": "get", "origin": origin, "options": request_options(c, ["$0"], **(get_extra or {}))} for c in challenges
    ]
    results = run_webauthn(steps)["results"]
    registration = webauthn.verify_registration_response(
        credential=results[0]["ok"], expected_challenge=reg_challenge, expected_origin=CONSOLE, expected_rp_id=RP_ID
    )
    return registration, list(zip(challenges, [r["ok"] for r in results[1:]]))


def test_assertions_verify_and_the_counter_grows():
    registration, assertions = register_and_sign(3)
    server = fido2_server()
    reg_auth_data = AttestationObject(registration.attestation_object).auth_data
    counter = registration.sign_count
    for challenge, assertion in assertions:
        verified = webauthn.verify_authentication_response(
            credential=assertion,
            expected_challenge=challenge,
            expected_origin=ORIGIN,
            expected_rp_id=RP_ID,
            credential_public_key=registration.credential_public_key,
            credential_current_sign_count=counter,
        )
        assert verified.new_sign_count > counter
        counter = verified.new_sign_count
        server.authenticate_complete(fido2_state(challenge), [reg_auth_data.credential_data], assertion)
        assert assertion["response"].get("userHandle") is None  # non-discoverable: no user handle
        assert assertion["clientExtensionResults"] == {}
    assert counter == 3


def test_verifiers_reject_wrong_origin_rp_id_and_any_changed_byte():
    registration, [(challenge, assertion)] = register_and_sign(1)

    def verify(credential, origin=ORIGIN, rp_id=RP_ID):
        return webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_origin=origin,
            expected_rp_id=rp_id,
            credential_public_key=registration.credential_public_key,
            credential_current_sign_count=0,
        )

    verify(assertion)  # the untouched assertion is good
    with pytest.raises(InvalidAuthenticationResponse):
        verify(assertion, origin="https://signin.aws.amazon.com.example.test")
    with pytest.raises(InvalidAuthenticationResponse):
        verify(assertion, rp_id="aws.amazon.com")
    for field in ["authenticatorData", "signature", "clientDataJSON"]:
        raw = bytearray(unb64u(assertion["response"][field]))
        for index in range(0, len(raw), max(1, len(raw) // 16)):
            tampered = json.loads(json.dumps(assertion))
            changed = bytearray(raw)
            changed[index] ^= 0x01
            tampered["response"][field] = b64u(bytes(changed))
            with pytest.raises(Exception):
                verify(tampered)

    # Registration too: a wrong origin, a wrong RP ID, a changed byte in the attestation object.
    challenge2 = os.urandom(32)
    reg = run_webauthn([{"op": "create", "origin": CONSOLE, "options": creation_options(challenge2)}])["results"][0]["ok"]
    with pytest.raises(InvalidRegistrationResponse):
        webauthn.verify_registration_response(
            credential=reg, expected_challenge=challenge2, expected_origin=ORIGIN, expected_rp_id=RP_ID
        )
    with pytest.raises(InvalidRegistrationResponse):
        webauthn.verify_registration_response(
            credential=reg, expected_challenge=challenge2, expected_origin=CONSOLE, expected_rp_id="aws.amazon.com"
        )
    att = bytearray(unb64u(reg["response"]["attestationObject"]))
    att[-40] ^= 0x01  # inside the signed authenticator data / key
    reg["response"]["attestationObject"] = b64u(bytes(att))
    with pytest.raises(Exception):
        webauthn.verify_registration_response(
            credential=reg, expected_challenge=challenge2, expected_origin=CONSOLE, expected_rp_id=RP_ID
        )


def test_discoverable_credential_is_found_without_allow_list_and_returns_user_handle():
    reg_challenge, get_challenge = os.urandom(32), os.urandom(32)
    options = creation_options(reg_challenge, extensions={"credProps": True})
    options["authenticatorSelection"]["residentKey"] = "required"
    results = run_webauthn(
        [
            {"op": "create", "origin": CONSOLE, "options": options},
            {"op": "get", "origin": ORIGIN, "options": request_options(get_challenge, [])},
        ]
    )["results"]
    created, asserted = results[0]["ok"], results[1]["ok"]
    assert created["clientExtensionResults"] == {"credProps": {"rk": True}}
    registration = webauthn.verify_registration_response(
        credential=created, expected_challenge=reg_challenge, expected_origin=CONSOLE, expected_rp_id=RP_ID
    )
    webauthn.verify_authentication_response(
        credential=asserted,
        expected_challenge=get_challenge,
        expected_origin=ORIGIN,
        expected_rp_id=RP_ID,
        credential_public_key=registration.credential_public_key,
        credential_current_sign_count=0,
    )
    assert unb64u(asserted["response"]["userHandle"]) == unb64u(options["user"]["id"])


def test_u2f_raw_messages_verify_and_the_key_works_through_webauthn_appid():
    reg_client_param = os.urandom(32)
    auth_client_params = [os.urandom(32) for _ in range(2)]
    get_challenge = os.urandom(32)
    results = run_webauthn(
        [
            {"op": "u2f_register", "challenge_hex": reg_client_param.hex(), "app_id": APP_ID},
            *[
                {"op": "u2f_authenticate", "challenge_hex": p.hex(), "app_id": APP_ID, "key_handle_hex": "$0"}
                for p in auth_client_params
            ],
            {
                "op": "get",
                "origin": ORIGIN,
                "options": request_options(get_challenge, ["$0"], extensions={"appid": APP_ID}),
            },
            # The same handle under the plain RP ID is not ours (it is bound to the AppID's hash).
            {"op": "get", "origin": ORIGIN, "options": request_options(os.urandom(32), ["$0"])},
            # A handle that is not ours: SW_WRONG_DATA; a check-only request for ours: 0x6985.
            {"op": "u2f_authenticate", "challenge_hex": os.urandom(32).hex(), "app_id": APP_ID, "key_handle_hex": "00" * 61},
            {"op": "u2f_authenticate", "challenge_hex": os.urandom(32).hex(), "app_id": APP_ID, "key_handle_hex": "$0", "control": 7},
            # Another AppID cannot use the handle.
            {"op": "u2f_authenticate", "challenge_hex": os.urandom(32).hex(), "app_id": "https://other.example/app-id.json", "key_handle_hex": "$0"},
        ]
    )["results"]
    app_param = hashlib.sha256(APP_ID.encode()).digest()
    registration = RegistrationData(bytes.fromhex(results[0]["ok"]["hex"]))
    registration.verify(app_param, reg_client_param)  # python-fido2 checks the attestation signature

    for expected_counter, (client_param, result) in enumerate(zip(auth_client_params, results[1:3]), start=1):
        signature = SignatureData(bytes.fromhex(result["ok"]["hex"]))
        signature.verify(app_param, client_param, registration.public_key)
        assert signature.user_presence & 1
        assert signature.counter == expected_counter

    # The WebAuthn assertion under the appid extension: rpIdHash = SHA-256(AppID), and the
    # counter continues from the U2F signatures.
    asserted = results[3]["ok"]
    assert asserted["clientExtensionResults"] == {"appid": True}
    import cbor2

    verified = webauthn.verify_authentication_response(
        credential=asserted,
        expected_challenge=get_challenge,
        expected_origin=ORIGIN,
        expected_rp_id=APP_ID,  # py_webauthn hashes this string: exactly the appid rule
        credential_public_key=cbor2.dumps(dict(ES256.from_ctap1(registration.public_key))),
        credential_current_sign_count=2,
    )
    assert verified.new_sign_count == 3
    assert results[4] == {"not_ours": "no credential of ours matches"}
    assert [r["error"]["name"] for r in results[5:8]] == ["6A80", "6985", "6A80"]


def test_browser_side_refusals_use_the_browsers_exception_names():
    challenge = os.urandom(32)
    results = run_webauthn(
        [
            {"op": "create", "origin": CONSOLE, "options": creation_options(challenge)},
            # Another site's RP ID from an AWS page: SecurityError, nothing signed.
            {"op": "get", "origin": ORIGIN, "options": request_options(challenge, ["$0"], rp_id="example.com")},
            # A look-alike host cannot claim amazon.com.
            {
                "op": "get",
                "origin": "https://signin.aws.amazon.com.example.test",
                "options": request_options(challenge, ["$0"]),
            },
            {"op": "get", "origin": "http://signin.aws.amazon.com", "options": request_options(challenge, ["$0"])},
            # Registering again for the same account: InvalidStateError.
            {
                "op": "create",
                "origin": CONSOLE,
                "options": creation_options(challenge, excludeCredentials=[{"type": "public-key", "id": "$0"}]),
            },
            # Only RS256 accepted: NotSupportedError.
            {
                "op": "create",
                "origin": CONSOLE,
                "options": creation_options(challenge, pubKeyCredParams=[{"type": "public-key", "alg": -257}]),
            },
            # A credential we do not hold, and user verification required: not ours (browser's).
            {"op": "get", "origin": ORIGIN, "options": request_options(challenge, [b64u(os.urandom(61))])},
            {"op": "get", "origin": ORIGIN, "options": request_options(challenge, ["$0"], userVerification="required")},
            # An AppID on another site: SecurityError.
            {
                "op": "get",
                "origin": ORIGIN,
                "options": request_options(challenge, ["$0"], extensions={"appid": "https://evil.example/app.json"}),
            },
            # A user.id longer than 64 bytes: TypeError, as browsers throw.
            {
                "op": "create",
                "origin": CONSOLE,
                "options": creation_options(challenge, user={"id": b64u(b"x" * 65), "name": "a", "displayName": "a"}),
            },
        ]
    )["results"]
    names = [r.get("error", {}).get("name") or ("not_ours" if "not_ours" in r else "ok") for r in results]
    assert names == [
        "ok",
        "SecurityError",
        "SecurityError",
        "SecurityError",
        "InvalidStateError",
        "NotSupportedError",
        "not_ours",
        "not_ours",
        "SecurityError",
        "TypeError",
    ]
    assert "example.com" in results[1]["error"]["message"]


def test_cross_origin_iframe_client_data_names_the_top_origin():
    challenge = os.urandom(32)
    step = {
        "op": "create",
        "origin": CONSOLE,
        "top_origin": "https://example.com",
        "options": creation_options(challenge, "none"),
    }
    response = run_webauthn([step])["results"][0]["ok"]
    client_data = json.loads(unb64u(response["response"]["clientDataJSON"]))
    assert list(client_data) == ["type", "challenge", "origin", "crossOrigin", "topOrigin"]
    assert client_data["crossOrigin"] is True and client_data["topOrigin"] == "https://example.com"
    webauthn.verify_registration_response(
        credential=response, expected_challenge=challenge, expected_origin=CONSOLE, expected_rp_id=RP_ID
    )


def test_client_data_strings_are_escaped_by_the_specs_serialization():
    # WebAuthn L3 §5.8.1.1 (CCDToString): `"` and `\` escaped, code points below 0x20 as \u and
    # four lower-case hex digits, everything else (DEL, U+2028, non-ASCII) as UTF-8. A ceremony
    # never writes such an origin (the next test), but the serialization must hold for any.
    top = 'https://a"b\\c\n\x1f\x7f\u00e9\u2028'
    challenge = os.urandom(32)
    step = {"op": "client_data", "type": "create", "challenge_hex": challenge.hex(), "origin": CONSOLE, "top_origin": top}
    raw = run_webauthn([step])["results"][0]["ok"]["json"].encode()
    client_data = json.loads(raw)
    assert list(client_data) == ["type", "challenge", "origin", "crossOrigin", "topOrigin"]
    assert client_data["topOrigin"] == top
    assert unb64u(client_data["challenge"]) == challenge
    expected_tail = ',"topOrigin":"https://a\\"b\\\\c\\u000a\\u001f\x7f\u00e9\u2028"}'.encode()
    assert raw.endswith(expected_tail), raw


def test_a_top_origin_no_browser_would_write_is_refused_before_any_signature():
    # When SoftKey cannot see the tab's URL, the embedder is the content script's report: the core
    # refuses one that is no https origin as a browser serializes it (Caller::checked_origin),
    # and hands an opaque one ("null", a sandboxed page) to the browser.
    challenge = os.urandom(32)
    for top in ['https://a"b\\c\n', "https://example.com/path", "http://example.com", "https://Example.com"]:
        for step in (
            {"op": "create", "origin": CONSOLE, "top_origin": top, "options": creation_options(challenge, "none")},
            {"op": "get", "origin": CONSOLE, "top_origin": top, "options": {"challenge": b64u(challenge), "rpId": RP_ID}},
        ):
            result = run_webauthn([step])["results"][0]
            assert result.get("error", {}).get("name") == "SecurityError", (top, step["op"], result)
    result = run_webauthn([{"op": "create", "origin": CONSOLE, "top_origin": "null", "options": creation_options(challenge, "none")}])
    assert "not_ours" in result["results"][0], result
