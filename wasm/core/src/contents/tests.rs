use super::*;

#[test]
fn settings_from_an_older_vault_get_the_clipboard_defaults() {
    // A vault written before the clipboard settings existed: both take their defaults.
    let old = r#"{"autoLockMinutes":5,"attestationFormat":"fido-u2f","autoApproveSignIn":false,"autoSubmit":true}"#;
    let settings: Settings = serde_json::from_str(old).expect("old settings");
    assert_eq!(settings.auto_lock_minutes, 5);
    assert!(settings.clear_clipboard);
    assert_eq!(settings.clear_clipboard_seconds, 30);
}

#[test]
fn auto_submit_from_the_single_flag_of_older_vaults() {
    // Before it was per site, one flag applied to both sites.
    for (old, aws, amazon) in [
        (
            r#"{"autoLockMinutes":15,"attestationFormat":"packed","autoApproveSignIn":true,"autoSubmit":false}"#,
            false,
            false,
        ),
        (r#"{"autoSubmit":true}"#, true, true),
        // Written before auto-submit existed at all.
        (r#"{"autoLockMinutes":5}"#, true, true),
        // The per-site form, a site missing: on.
        (r#"{"autoSubmit":{"amazon":false}}"#, true, false),
        (r#"{"autoSubmit":{"aws":false}}"#, false, true),
        (r#"{"autoSubmit":{}}"#, true, true),
        // A field some later version might add is ignored.
        (
            r#"{"autoSubmit":{"aws":true,"amazon":false,"elsewhere":7}}"#,
            true,
            false,
        ),
    ] {
        let settings: Settings = serde_json::from_str(old).expect(old);
        assert_eq!(settings.auto_submit, AutoSubmit { aws, amazon }, "{old}");
    }
    for bad in [
        r#"{"autoSubmit":null}"#,
        r#"{"autoSubmit":"yes"}"#,
        r#"{"autoSubmit":1}"#,
        r#"{"autoSubmit":{"aws":"no"}}"#,
    ] {
        let error = serde_json::from_str::<Settings>(bad).expect_err(bad);
        assert!(error.to_string().contains("invalid type"), "{bad}: {error}");
    }
}
