//! `softkey`: TOTP codes from a SoftKey encrypted backup, for the AWS CLI and aws-vault.
//!
//! Everything it prints on stdout is the answer and nothing else; every problem goes to stderr
//! with a non-zero exit status, so `--token-code "$(softkey code …)"` never receives a partial or
//! wrong code. See `softkey --help` and the README.

use std::io::{IsTerminal, Write};
use std::process::{Command, ExitCode, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use softkey_formats::{Backup, MAX_FILE_BYTES, TotpItem, backup};
use zeroize::Zeroizing;

mod select;

const USAGE: &str = "\
usage: softkey [options] <command>

commands:
  list                 the backup's TOTP entries and security keys (no secrets)
  code <entry>         the current code of one TOTP entry, digits only; <entry> is its name,
                       its MFA device ARN (arn:aws:iam::ACCOUNT:mfa/USER) or ACCOUNT/USER
  verify-backup        open the backup and say what it holds
  export-otpauth       every TOTP entry as an otpauth:// URI, one a line (secrets!)

options:
  --file <path>               the encrypted backup (default: $SOFTKEY_BACKUP)
  --password-command <cmd>    run <cmd> with sh -c; its output is the password
  --at <unix seconds>         compute codes for this time instead of now
  -h, --help                  this text

The password comes from --password-command, else $SOFTKEY_BACKUP_PASSWORD, else a prompt on
the terminal.
";

/// A failure: the message for stderr and the exit status.
struct Failure {
    message: String,
    status: u8,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            message: format!("{}\n\n{USAGE}", message.into()),
            status: 2,
        }
    }

    fn error(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: 1,
        }
    }
}

#[derive(Default)]
struct Options {
    file: Option<String>,
    password_command: Option<String>,
    at: Option<u64>,
    command: Vec<String>,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Options, Failure> {
    let mut options = Options::default();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| Failure::usage(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "-h" | "--help" => {
                return Err(Failure {
                    message: USAGE.into(),
                    status: 0,
                });
            }
            "--file" => options.file = Some(value("--file")?),
            "--password-command" => options.password_command = Some(value("--password-command")?),
            "--at" => {
                let text = value("--at")?;
                options.at = Some(text.parse().map_err(|_| {
                    Failure::usage(format!("--at takes Unix seconds, not \"{text}\""))
                })?);
            }
            other if other.starts_with("--") && options.command.is_empty() => {
                return Err(Failure::usage(format!("unknown option {other}")));
            }
            _ => options.command.push(arg),
        }
    }
    Ok(options)
}

fn password(options: &Options) -> Result<Zeroizing<String>, Failure> {
    if let Some(command) = &options.password_command {
        let output = Command::new("sh")
            .arg("-c")
            .arg(command)
            .stdin(Stdio::inherit())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| Failure::error(format!("could not run the password command: {e}")))?;
        let stdout = Zeroizing::new(output.stdout);
        if !output.status.success() {
            return Err(Failure::error(format!(
                "the password command failed ({})",
                output.status
            )));
        }
        let text = Zeroizing::new(String::from_utf8(stdout.to_vec()).map_err(|_| {
            Failure::error("the password command printed something that is not UTF-8")
        })?);
        let trimmed = text.strip_suffix('\n').unwrap_or(&text);
        let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
        if trimmed.is_empty() {
            return Err(Failure::error(
                "the password command printed an empty password",
            ));
        }
        return Ok(Zeroizing::new(trimmed.to_owned()));
    }
    match std::env::var("SOFTKEY_BACKUP_PASSWORD") {
        Ok(value) => {
            let value = Zeroizing::new(value);
            if value.is_empty() {
                return Err(Failure::error("SOFTKEY_BACKUP_PASSWORD is set but empty"));
            }
            Ok(value)
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(Failure::error("SOFTKEY_BACKUP_PASSWORD is not valid UTF-8"))
        }
        Err(std::env::VarError::NotPresent) => {
            if !std::io::stdin().is_terminal() && !std::io::stderr().is_terminal() {
                return Err(Failure::error(
                    "no password: set SOFTKEY_BACKUP_PASSWORD, pass --password-command, or run in a terminal",
                ));
            }
            let typed = Zeroizing::new(
                rpassword::prompt_password("SoftKey backup password: ")
                    .map_err(|e| Failure::error(format!("could not read the password: {e}")))?,
            );
            if typed.is_empty() {
                return Err(Failure::error("the password is empty"));
            }
            Ok(typed)
        }
    }
}

fn open_backup(options: &Options) -> Result<Backup, Failure> {
    let path = options
        .file
        .clone()
        .or_else(|| {
            std::env::var("SOFTKEY_BACKUP")
                .ok()
                .filter(|p| !p.is_empty())
        })
        .ok_or_else(|| Failure::usage("no backup file: pass --file or set SOFTKEY_BACKUP"))?;
    let size = std::fs::metadata(&path)
        .map_err(|e| Failure::error(format!("cannot read {path}: {e}")))?
        .len();
    if size > MAX_FILE_BYTES as u64 {
        return Err(Failure::error(format!(
            "{path} is too large to be a SoftKey backup: {size} bytes, the most accepted is {MAX_FILE_BYTES}"
        )));
    }
    let bytes =
        std::fs::read(&path).map_err(|e| Failure::error(format!("cannot read {path}: {e}")))?;
    // Refuse a file that is not a backup before asking for a password.
    backup::check(&bytes).map_err(|e| Failure::error(format!("{path}: {e}")))?;
    let password = password(options)?;
    backup::open(&bytes, password.as_bytes()).map_err(|e| Failure::error(format!("{path}: {e}")))
}

fn now(options: &Options) -> Result<u64, Failure> {
    match options.at {
        Some(at) => Ok(at),
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .map_err(|_| Failure::error("the system clock is before 1970")),
    }
}

fn aws_text(item: &TotpItem) -> String {
    match (&item.aws.account, &item.aws.user) {
        (Some(a), Some(u)) => format!("{a}/{u}"),
        (Some(a), None) => a.clone(),
        (None, Some(u)) => u.clone(),
        (None, None) => "-".into(),
    }
}

fn run(options: &Options) -> Result<Zeroizing<String>, Failure> {
    let Some((command, rest)) = options.command.split_first() else {
        return Err(Failure::usage("no command"));
    };
    let expect_args = |n: usize| {
        if rest.len() == n {
            Ok(())
        } else {
            Err(Failure::usage(format!(
                "{command} takes {n} argument{}",
                if n == 1 { "" } else { "s" }
            )))
        }
    };
    match command.as_str() {
        "list" => {
            expect_args(0)?;
            let backup = open_backup(options)?;
            let mut out = String::new();
            for item in &backup.totp {
                out.push_str(&format!(
                    "totp\t{}\t{}\t{}\n",
                    item.label,
                    aws_text(item),
                    item.aws.arn.as_deref().unwrap_or("-")
                ));
            }
            for key in &backup.security_keys {
                out.push_str(&format!(
                    "key\t{}\t{}\tcounter {}\n",
                    if key.label.is_empty() {
                        &key.rp_id
                    } else {
                        &key.label
                    },
                    key.rp_id,
                    key.sign_count
                ));
            }
            Ok(Zeroizing::new(out))
        }
        "code" => {
            expect_args(1)?;
            let at = now(options)?;
            let backup = open_backup(options)?;
            let item = select::one(&backup.totp, &rest[0]).map_err(Failure::error)?;
            let code = item
                .otp
                .code_at(at)
                .map_err(|e| Failure::error(format!("cannot compute the code: {e}")))?;
            Ok(Zeroizing::new(format!("{code}\n")))
        }
        "verify-backup" => {
            expect_args(0)?;
            let backup = open_backup(options)?;
            Ok(Zeroizing::new(format!(
                "ok: {} TOTP entries, {} security keys\n",
                backup.totp.len(),
                backup.security_keys.len()
            )))
        }
        "export-otpauth" => {
            expect_args(0)?;
            let backup = open_backup(options)?;
            Ok(softkey_formats::otpauth_list::write(&backup.totp))
        }
        other => Err(Failure::usage(format!("unknown command \"{other}\""))),
    }
}

fn main() -> ExitCode {
    let result = parse_args(std::env::args().skip(1)).and_then(|options| run(&options));
    match result {
        Ok(output) => {
            // One write of the whole answer: a failure part-way is reported, never half-printed
            // silently.
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(output.as_bytes())
                .and_then(|()| stdout.flush())
                .is_err()
            {
                eprintln!("softkey: could not write the output");
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(Failure { message, status: 0 }) => {
            print!("{message}");
            ExitCode::SUCCESS
        }
        Err(Failure { message, status }) => {
            eprintln!("softkey: {message}");
            ExitCode::from(status)
        }
    }
}
