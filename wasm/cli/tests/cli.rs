//! The `softkey` binary end to end: what reaches stdout, stderr and the exit status.

use std::path::PathBuf;
use std::process::{Command, Output};

use softkey_formats::{AwsContext, Backup, TotpItem, backup};
use softkey_otp::OtpAuth;
use softkey_vault::KdfParams;

const PASSWORD: &str = "cli test password";

fn write_backup(name: &str) -> PathBuf {
    let mut item = TotpItem::from_otp(
        OtpAuth::parse(
            "otpauth://totp/AWS:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=AWS",
        )
        .expect("uri"),
    );
    item.label = "prod alice".into();
    item.aws = AwsContext {
        account: Some("111122223333".into()),
        user: Some("alice".into()),
        arn: Some("arn:aws:iam::111122223333:mfa/alice".into()),
        directory: None,
    };
    let model = Backup {
        created_ms: 0,
        totp: vec![item],
        ..Backup::default()
    };
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    let file = backup::seal(&model, PASSWORD.as_bytes(), KdfParams::MIN, &mut rng).expect("seal");
    let path = std::env::temp_dir().join(format!(
        "softkey-cli-{}-{name}.skbackup",
        std::process::id()
    ));
    std::fs::write(&path, file).expect("write");
    path
}

fn softkey(args: &[&str], password: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_softkey"));
    command
        .args(args)
        .env_remove("SOFTKEY_BACKUP")
        .env_remove("SOFTKEY_BACKUP_PASSWORD");
    if let Some(password) = password {
        command.env("SOFTKEY_BACKUP_PASSWORD", password);
    }
    command.output().expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_fails(out: &Output, stderr_has: &str) {
    assert!(!out.status.success(), "must fail: {out:?}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {:?}",
        text(&out.stdout)
    );
    let err = text(&out.stderr);
    assert!(
        err.contains(stderr_has),
        "stderr {err:?} should say {stderr_has:?}"
    );
}

#[test]
fn code_prints_only_the_digits() {
    let path = write_backup("code");
    let file = path.to_str().expect("utf-8 path");
    // RFC 6238 Appendix B: SHA-1 secret "12345678901234567890", T = 59 → 94287082 (8 digits),
    // whose last six digits are the 6-digit code.
    for query in [
        "prod alice",
        "arn:aws:iam::111122223333:mfa/alice",
        "111122223333/alice",
    ] {
        let out = softkey(
            &["--file", file, "--at", "59", "code", query],
            Some(PASSWORD),
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "287082\n", "{query}");
        assert!(out.stderr.is_empty());
    }
    let out = softkey(
        &[
            "--file",
            file,
            "--password-command",
            &format!("printf '%s\\n' '{PASSWORD}'"),
            "--at",
            "59",
            "code",
            "prod alice",
        ],
        None,
    );
    assert_eq!(text(&out.stdout), "287082\n", "{}", text(&out.stderr));
    std::fs::remove_file(path).ok();
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit_and_nothing_on_stdout() {
    let path = write_backup("errors");
    let file = path.to_str().expect("utf-8 path");
    assert_fails(
        &softkey(&["--file", file, "code", "prod alice"], Some("wrong")),
        "wrong password",
    );
    assert_fails(
        &softkey(&["--file", file, "code", "prod alice"], Some("")),
        "SOFTKEY_BACKUP_PASSWORD is set but empty",
    );
    assert_fails(
        &softkey(&["--file", file, "code", "prod alice"], None),
        "no password",
    );
    assert_fails(
        &softkey(
            &["--file", "/nonexistent/backup", "code", "x"],
            Some(PASSWORD),
        ),
        "cannot read /nonexistent/backup",
    );
    assert_fails(
        &softkey(&["--file", file, "code", "nobody"], Some(PASSWORD)),
        "no TOTP entry matches",
    );
    assert_fails(
        &softkey(
            &["--file", file, "--password-command", "exit 3", "code", "x"],
            None,
        ),
        "password command failed",
    );
    assert_fails(&softkey(&["code", "x"], Some(PASSWORD)), "no backup file");
    assert_fails(
        &softkey(&["--file", file, "frobnicate"], Some(PASSWORD)),
        "unknown command",
    );

    let mut bytes = std::fs::read(&path).expect("read");
    let cut = path.with_extension("cut");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).expect("write");
    assert_fails(
        &softkey(
            &["--file", cut.to_str().expect("path"), "verify-backup"],
            Some(PASSWORD),
        ),
        "truncated",
    );
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&cut, &bytes).expect("write");
    assert_fails(
        &softkey(
            &["--file", cut.to_str().expect("path"), "verify-backup"],
            Some(PASSWORD),
        ),
        "damaged",
    );
    std::fs::write(&cut, b"{\"not\": \"a backup\"}").expect("write");
    assert_fails(
        &softkey(
            &["--file", cut.to_str().expect("path"), "list"],
            Some(PASSWORD),
        ),
        "not a SoftKey backup",
    );
    std::fs::remove_file(cut).ok();
    std::fs::remove_file(path).ok();
}

#[test]
fn list_verify_and_export() {
    let path = write_backup("list");
    let file = path.to_str().expect("utf-8 path");
    let out = softkey(&["--file", file, "list"], Some(PASSWORD));
    let listed = text(&out.stdout);
    assert!(
        listed.contains("prod alice\t111122223333/alice\tarn:aws:iam::111122223333:mfa/alice"),
        "{listed}"
    );
    assert!(!listed.contains("GEZDGNBV"), "list shows no secrets");
    let out = softkey(&["--file", file, "verify-backup"], Some(PASSWORD));
    assert_eq!(text(&out.stdout), "ok: 1 TOTP entries, 0 security keys\n");
    let out = softkey(&["--file", file, "export-otpauth"], Some(PASSWORD));
    let uri = text(&out.stdout);
    assert!(
        uri.starts_with("otpauth://totp/")
            && uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
        "{uri}"
    );
    std::fs::remove_file(path).ok();
}
