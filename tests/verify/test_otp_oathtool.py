"""Cross-check softkey-otp against Debian's oathtool (OATH Toolkit), an independent implementation.

Needs:
  SOFTKEY_HARNESS  path to the built softkey-harness binary (runs `otp.<command>`, JSON on stdin)
  oathtool         on PATH (Debian package `oathtool`)

Random cases use a fixed seed so a failure can be replayed; set OTP_SEED to try others.
"""

import base64
import os
import random
import shutil
import subprocess

import pytest

from harness import harness_path, run

SEED = int(os.environ.get("OTP_SEED", "20260421"))
ALGORITHMS = ["SHA1", "SHA256", "SHA512"]
B32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@pytest.fixture(scope="session")
def harness():
    return harness_path()


@pytest.fixture(scope="session")
def oathtool():
    path = shutil.which("oathtool")
    if path is None:
        pytest.fail("oathtool is not installed (apt-get install -y oathtool); this check must not be skipped")
    return path


def run_harness(harness, command, payload):
    """Returns (exit code, parsed JSON output)."""
    return run(f"otp.{command}", payload, path=harness)


def harness_ok(harness, command, payload):
    code, out = run_harness(harness, command, payload)
    assert code == 0, f"otp.{command} failed: {out}"
    return out


def oath(oathtool, *args):
    proc = subprocess.run([oathtool, *args], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, f"oathtool {args} failed: {proc.stderr}"
    return proc.stdout.split()


def random_time(rng):
    return rng.choice(
        [
            0,
            rng.randrange(0, 2**31),
            rng.randrange(2**31, 2**32),
            2**32,
            rng.randrange(2**32 + 1, 2**40),
            rng.randrange(2**40, 2**62),
        ]
    )


def test_totp_matches_oathtool(harness, oathtool):
    rng = random.Random(SEED)
    cases = [
        {
            "secret_hex": rng.randbytes(rng.randint(10, 64)).hex(),
            "time": random_time(rng),
            "digits": rng.choice([6, 7, 8]),
            "period": rng.choice([15, 30, 60, 90]),
            "algorithm": rng.choice(ALGORITHMS),
        }
        for _ in range(200)
    ]
    # Make sure the edges are in, whatever the seed.
    cases[0]["time"] = 0
    cases[1]["time"] = 2**32 + 7
    cases[2]["secret_hex"] = rng.randbytes(10).hex()  # 80-bit secret
    ours = harness_ok(harness, "totp", {"cases": cases})["codes"]
    assert len(ours) == len(cases)
    mismatches = []
    for case, code in zip(cases, ours):
        theirs = oath(
            oathtool,
            f"--totp={case['algorithm']}",
            "-d", str(case["digits"]),
            "-s", f"{case['period']}s",
            "-N", f"@{case['time']}",
            case["secret_hex"],
        )
        if [code] != theirs:
            mismatches.append((case, code, theirs))
    assert not mismatches, f"{len(mismatches)} TOTP mismatches, first: {mismatches[0]}"


def test_hotp_matches_oathtool(harness, oathtool):
    # oathtool's HOTP is HMAC-SHA-1 only.
    rng = random.Random(SEED + 1)
    cases = [
        {
            "secret_hex": rng.randbytes(rng.randint(10, 64)).hex(),
            "counter": rng.choice([0, rng.randrange(0, 1000), rng.randrange(0, 2**63)]),
            "digits": rng.choice([6, 7, 8]),
            "algorithm": "SHA1",
        }
        for _ in range(60)
    ]
    ours = harness_ok(harness, "hotp", {"cases": cases})["codes"]
    for case, code in zip(cases, ours):
        theirs = oath(
            oathtool, "--hotp", "-d", str(case["digits"]), "-c", str(case["counter"]), case["secret_hex"]
        )
        assert [code] == theirs, case


def random_base32(rng, length):
    return "".join(rng.choice(B32_ALPHABET) for _ in range(length))


@pytest.mark.parametrize("length", [16, 26, 32, 52, 64, 103])
def test_base32_uris_match_oathtool(harness, oathtool, length):
    """Secrets as AWS (64 chars) and Amazon.com (52 chars, spare bits often non-zero) give them."""
    rng = random.Random(SEED + length)
    for _ in range(5):
        secret = random_base32(rng, length)
        if length % 8 in (1, 3, 6):
            continue
        time = random_time(rng)
        uri = (
            "otpauth://totp/Amazon%20Web%20Services:alice@123456789012"
            f"?secret={secret}&issuer=Amazon%20Web%20Services"
        )
        out = harness_ok(harness, "parse", {"uri": uri, "time": time})
        assert out["entry"]["issuer"] == "Amazon Web Services"
        assert out["entry"]["account"] == "alice@123456789012"
        assert [out["code"]] == oath(oathtool, "--totp", "-b", "-N", f"@{time}", secret), secret
        # The decoded bytes agree with Python's decoder once the spare bits are cleared.
        whole = (length * 5) // 8
        padded = secret + "=" * (-length % 8)
        try:
            expected = base64.b32decode(padded)[:whole]
        except ValueError:
            expected = None  # Python refuses non-zero spare bits in some versions
        if expected is not None:
            assert out["secret_hex"] == expected.hex()


def test_grouped_lowercase_secret_matches_oathtool(harness, oathtool):
    rng = random.Random(SEED + 99)
    secret = random_base32(rng, 52)
    grouped = " ".join(secret[i : i + 4] for i in range(0, 52, 4)).lower()
    uri = "otpauth://totp/Amazon:someone%40example.com?secret=" + grouped.replace(" ", "%20") + "&issuer=Amazon"
    out = harness_ok(harness, "parse", {"uri": uri, "time": 1_700_000_000})
    assert out["entry"]["account"] == "someone@example.com"
    assert [out["code"]] == oath(oathtool, "--totp", "-b", "-N", "@1700000000", secret)


@pytest.mark.parametrize("algorithm,digits,period", [("SHA1", 6, 30), ("SHA256", 8, 60), ("SHA512", 7, 15)])
def test_consecutive_pair_matches_oathtool_window(harness, oathtool, algorithm, digits, period):
    rng = random.Random(SEED + digits)
    secret = random_base32(rng, 32)
    uri = f"otpauth://totp/x?secret={secret}&algorithm={algorithm}&digits={digits}&period={period}"
    base = rng.randrange(2**30, 2**31) // period * period
    # Time offsets within a step, and how many seconds are then left in it.
    for offset in [0, 1, period - 6, period - 5, period - 4, period - 1]:
        time = base + offset
        left = period - offset
        out = harness_ok(harness, "pair", {"uri": uri, "time": time, "min_remaining": 5})
        start = time if left >= 5 else time + left
        # oathtool -w 1 prints the code at the given time and the one after it.
        theirs = oath(
            oathtool, f"--totp={algorithm}", "-b", "-d", str(digits), "-s", f"{period}s",
            "-w", "1", "-N", f"@{start}", secret,
        )
        assert out["codes"] == theirs, (offset, left)


@pytest.mark.parametrize(
    "uri,message",
    [
        ("https://example.com/", "not an otpauth:// URI"),
        ("otpauth://motp/x?secret=GEZDGNBV", "unsupported otpauth type 'motp'"),
        ("otpauth://totp/x?issuer=Foo", "missing secret parameter"),
        ("otpauth://totp/x?secret=ABCDEF1Q", "unexpected character '1' at position 7"),
        ("otpauth://totp/x?secret=GEZDGNBV&digits=10", "digits must be between 6 and 8, got 10"),
        ("otpauth://totp/x?secret=GEZDGNBV&period=0", "period must be between 1 and 3600 seconds"),
        ("otpauth://hotp/x?secret=GEZDGNBV", "counter"),
    ],
)
def test_parse_errors_are_reported(harness, uri, message):
    code, out = run_harness(harness, "parse", {"uri": uri})
    assert code == 1
    assert message in out["error"]
