"""Runs the Rust test harness (`softkey-harness <area>.<command>`, JSON in and out)."""

import json
import os
import subprocess

import pytest


def harness_path():
    path = os.environ.get("SOFTKEY_HARNESS")
    if not path:
        pytest.fail("SOFTKEY_HARNESS is not set: point it at the built softkey-harness binary")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"SOFTKEY_HARNESS={path!r} is not an executable file")
    return path


def run(target, payload, path=None):
    """Runs `softkey-harness <target>` with `payload` as JSON; returns (exit code, parsed output)."""
    path = path or harness_path()
    proc = subprocess.run(
        [path, target],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"harness {target} printed no JSON (exit {proc.returncode}):\n"
            f"stdout: {proc.stdout!r}\nstderr: {proc.stderr!r}"
        )
    return proc.returncode, out


def call(target, payload):
    """Runs a harness command that must succeed and returns its output."""
    code, out = run(target, payload)
    if code != 0:
        pytest.fail(f"harness failed: {out.get('error')}")
    return out


def run_webauthn(steps):
    """Runs WebAuthn/U2F steps against one fresh authenticator; returns the per-step results."""
    return call("webauthn.run", {"steps": steps})
