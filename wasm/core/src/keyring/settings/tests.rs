use super::*;
use crate::contents::AutoSubmit;
use crate::keyring::tests::new_keyring;

#[test]
fn settings_are_validated() {
    let (mut keyring, _) = new_keyring();
    let settings = Settings {
        attestation_format: "none".into(),
        ..Settings::default()
    };
    assert_eq!(
        keyring.set_settings(settings).expect_err("none").name(),
        "BadRequest"
    );
    let settings = Settings {
        attestation_format: "fido-u2f".into(),
        ..Settings::default()
    };
    keyring.set_settings(settings).expect("fido-u2f is fine");
    for (seconds, ok) in [(2, false), (3, true), (30, true), (600, true), (601, false)] {
        let settings = Settings {
            clear_clipboard_seconds: seconds,
            ..Settings::default()
        };
        assert_eq!(keyring.set_settings(settings).is_ok(), ok, "{seconds} s");
    }
}

#[test]
fn auto_submit_is_per_site_and_on_by_default() {
    let (mut keyring, _) = new_keyring();
    assert_eq!(
        keyring.contents().settings.auto_submit,
        AutoSubmit {
            aws: true,
            amazon: true
        }
    );
    let settings = Settings {
        auto_submit: AutoSubmit {
            aws: false,
            amazon: true,
        },
        ..Settings::default()
    };
    let envelope = keyring.set_settings(settings).expect("set");
    let reopened = Keyring::unlock(&envelope, b"correct horse").expect("unlock");
    let stored = &reopened.contents().settings.auto_submit;
    assert!(!stored.aws);
    assert!(stored.amazon);
    // The stored shape, as the service worker and the popup read it.
    let json = serde_json::to_value(&reopened.contents().settings).expect("json");
    assert_eq!(
        json["autoSubmit"],
        serde_json::json!({"aws": false, "amazon": true})
    );
}
