"""The `softkey` command reads a backup written from docs/backup-format.md by Python alone
(softkey_backup_spec.py), and its codes equal oathtool's for the same secrets and times.

Needs SOFTKEY_CLI (the built `softkey` binary; ./build.sh test sets it) and oathtool on PATH.
"""

import os
import random
import shutil
import subprocess

import pytest

import softkey_backup_spec

PASSWORD = "cli backup password"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("SOFTKEY_CLI")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"SOFTKEY_CLI={path!r} is not the built softkey binary")
    return path


@pytest.fixture(scope="session")
def oathtool():
    path = shutil.which("oathtool")
    if path is None:
        pytest.fail("oathtool is not installed (apt-get install -y oathtool); this check must not be skipped")
    return path


def entries():
    rng = random.Random(20261128)
    out = []
    for i, (algorithm, digits, period) in enumerate(
        [("SHA1", 6, 30), ("SHA256", 8, 30), ("SHA512", 6, 60), ("SHA1", 7, 15), ("SHA1", 6, 30)]
    ):
        secret = "".join(rng.choice(B32) for _ in range(32))
        out.append(
            {
                "otp": {
                    "issuer": "Amazon Web Services",
                    "account": f"user{i}@11112222{i:04d}",
                    "secret": secret,
                    "algorithm": algorithm,
                    "digits": digits,
                    "kind": {"type": "totp", "period": period},
                },
                "label": f"entry {i}",
                "aws": {"account": f"11112222{i:04d}", "user": f"user{i}", "arn": f"arn:aws:iam::11112222{i:04d}:mfa/user{i}"},
            }
        )
    return out


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "backup.skbackup"
    contents = {"format": "softkey-backup", "version": 1, "totp": entries(), "securityKeys": []}
    path.write_bytes(softkey_backup_spec.write(contents, PASSWORD.encode()))
    return str(path)


def softkey(cli, *args, password=PASSWORD):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOFTKEY_BACKUP")}
    if password is not None:
        env["SOFTKEY_BACKUP_PASSWORD"] = password
    return subprocess.run([cli, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)


def test_codes_equal_oathtool(cli, oathtool, backup):
    rng = random.Random(7)
    times = [0, 59, 1111111109, 2000000000, 1767225600] + [rng.randrange(0, 2**32) for _ in range(5)]
    for entry in entries():
        otp = entry["otp"]
        for when in times:
            for query in (entry["label"], entry["aws"]["arn"], f"{entry['aws']['account']}/{entry['aws']['user']}"):
                ours = softkey(cli, "--file", backup, "--at", str(when), "code", query)
                assert ours.returncode == 0, ours.stderr
                assert ours.stderr == ""
                theirs = subprocess.run(
                    [oathtool, f"--totp={otp['algorithm']}", "-b", "-d", str(otp["digits"]), "-s", f"{otp['kind']['period']}s", "-N", f"@{when}", otp["secret"]],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                assert ours.stdout == theirs, (entry["label"], when, query)


def test_bad_passwords_and_files_fail_cleanly(cli, backup, tmp_path):
    for args, password, message in [
        (("code", "entry 0"), "wrong password", "wrong password"),
        (("code", "entry 0"), "", "SOFTKEY_BACKUP_PASSWORD is set but empty"),
        (("code", "entry 0"), None, "no password"),
        (("code", "nobody"), PASSWORD, "no TOTP entry matches"),
    ]:
        out = softkey(cli, "--file", backup, *args, password=password)
        assert out.returncode != 0 and out.stdout == "" and message in out.stderr, (args, out)
    missing = softkey(cli, "--file", str(tmp_path / "missing.skbackup"), "code", "entry 0")
    assert missing.returncode != 0 and missing.stdout == "" and "cannot read" in missing.stderr
    data = open(backup, "rb").read()
    for name, damaged, message in [
        ("truncated", data[:-1], "truncated"),
        ("corrupted", data[:100] + bytes([data[100] ^ 1]) + data[101:], "damaged"),
    ]:
        path = tmp_path / name
        path.write_bytes(damaged)
        out = softkey(cli, "--file", str(path), "verify-backup")
        assert out.returncode != 0 and out.stdout == "" and message in out.stderr, (name, out.stderr)
    out = softkey(cli, "--file", backup, "verify-backup")
    assert out.returncode == 0 and out.stdout == "ok: 5 TOTP entries, 0 security keys\n"
