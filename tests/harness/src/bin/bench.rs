//! Native benchmarks, printed as JSON lines `{"name", "median_ms", "runs"}` for
//! `tests/bench/wasm-bench.mjs`, which puts them in one table with the wasm and WebCrypto rows
//! measured in the same run. Medians of batches: the machine is shared and noisy.

use std::hint::black_box;
use std::time::Instant;

use serde_json::json;
use softkey_core::{AwsContext, Caller, KdfParams, Keyring};
use softkey_webauthn::credential_key::CredentialKey;
use softkey_webauthn::json::{CreationOptionsJson, RequestOptionsJson};

/// Median per-call milliseconds over `samples` batches sized to last at least ~2 ms.
fn measure(name: &str, samples: usize, mut f: impl FnMut()) {
    let warm = Instant::now();
    while warm.elapsed().as_millis() < 200 {
        f();
    }
    let mut batch = 1usize;
    loop {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        if t.elapsed().as_secs_f64() * 1e3 >= 2.0 || batch >= 1 << 20 {
            break;
        }
        batch *= 2;
    }
    let mut per_call: Vec<f64> = (0..samples)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed().as_secs_f64() * 1e3 / batch as f64
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    let median = per_call[per_call.len() / 2];
    println!(
        "{}",
        json!({ "name": name, "median_ms": median, "runs": samples * batch })
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = softkey_core::rng::system_rng();
    let key = CredentialKey::generate(&mut rng);
    let message = [7u8; 69];
    measure("ES256 sign (p256)", 101, || {
        black_box(key.sign(black_box(&message)));
    });

    let (mut keyring, _) = Keyring::create(b"bench password", KdfParams::MIN, 1_767_225_600_000)?;
    let create: CreationOptionsJson = serde_json::from_value(json!({
        "rp": {"id": "amazon.com", "name": "Amazon Web Services"},
        "user": {"id": "AAECAwQFBgcICQoLDA0ODw", "name": "alice", "displayName": "alice"},
        "challenge": "Y2hhbGxlbmdl", "attestation": "none"
    }))?;
    let console = Caller {
        origin: "https://console.aws.amazon.com".into(),
        top_origin: None,
    };
    keyring.prepare_create("c", &console, &create)?;
    let (registration, _) = keyring.finish_create("c", AwsContext::default(), None, 0)?;
    let get: RequestOptionsJson = serde_json::from_value(json!({
        "challenge": "c2lnbi1pbg", "rpId": "amazon.com",
        "allowCredentials": [{"type": "public-key", "id": registration.id}]
    }))?;
    let signin = Caller {
        origin: "https://signin.aws.amazon.com".into(),
        top_origin: None,
    };
    measure("get_assertion, prepare + finish (Keyring)", 101, || {
        let _ = keyring.prepare_get("g", &signin, &get);
        black_box(keyring.finish_get("g", 1).ok());
    });

    let secret = softkey_otp::Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")?;
    let mut t = 59u64;
    measure("TOTP code (SHA-1, 6 digits)", 101, || {
        t += 30;
        black_box(softkey_otp::totp(&secret, t, 30, 6, softkey_otp::Algorithm::Sha1).ok());
    });

    let (_, envelope) = Keyring::create(b"bench password", KdfParams::DEFAULT, 0)?;
    measure("vault unlock, default Argon2id (64 MiB, t=3)", 7, || {
        black_box(Keyring::unlock(&envelope, b"bench password").ok());
    });
    Ok(())
}
