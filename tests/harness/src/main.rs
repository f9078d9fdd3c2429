//! A test harness: lets Python tests (independent verifiers, oathtool) drive the Rust core.
//!
//! `softkey-harness <area>.<command>` reads one JSON value on stdin and prints one JSON value on
//! stdout; on failure it prints `{"error": "..."}` and exits with status 1.

use std::io::Read;
use std::process::ExitCode;

use serde_json::{Value, json};

mod otp;
mod qr;
mod sites;
mod webauthn;

fn dispatch(target: &str, input: Value) -> Result<Value, String> {
    let (area, command) = target
        .split_once('.')
        .ok_or_else(|| format!("expected <area>.<command>, got '{target}'"))?;
    match area {
        "otp" => otp::run(command, input),
        "qr" => qr::run(command, input),
        "sites" => sites::run(command, input),
        "webauthn" => webauthn::run(command, input),
        other => Err(format!("unknown area '{other}'")),
    }
}

fn main() -> ExitCode {
    let Some(target) = std::env::args().nth(1) else {
        eprintln!("usage: softkey-harness <area>.<command> < input.json");
        return ExitCode::from(2);
    };
    let mut text = String::new();
    let result = std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("reading stdin: {e}"))
        .and_then(|_| serde_json::from_str(&text).map_err(|e| format!("input is not JSON: {e}")))
        .and_then(|input| dispatch(&target, input));
    match result {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            println!("{}", json!({ "error": message }));
            ExitCode::from(1)
        }
    }
}
