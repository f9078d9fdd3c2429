use super::*;

fn caller(origin: &str, top: Option<&str>) -> Caller {
    Caller {
        origin: origin.into(),
        top_origin: top.map(Into::into),
    }
}

fn create(extra: serde_json::Value) -> CreationOptionsJson {
    let mut o = serde_json::json!({
        "rp": {"id": "amazon.com", "name": "AWS"},
        "user": {"id": "AAECAwQFBgcICQoLDA0ODw", "name": "alice", "displayName": "alice"},
        "challenge": "Y2hhbGxlbmdlLWNoYWxsZW5nZQ",
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}]
    });
    if let (Some(base), Some(more)) = (o.as_object_mut(), extra.as_object()) {
        for (k, v) in more {
            base.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(o).expect("options")
}

fn get(extra: serde_json::Value) -> RequestOptionsJson {
    let mut o = serde_json::json!({"challenge": "c2lnbi1pbi1jaGFsbGVuZ2U", "rpId": "amazon.com"});
    if let (Some(base), Some(more)) = (o.as_object_mut(), extra.as_object()) {
        for (k, v) in more {
            base.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(o).expect("options")
}

const CONSOLE: &str = "https://console.aws.amazon.com";

fn error_name(r: Result<Precheck, KeyringError>) -> &'static str {
    r.expect_err("refused").name()
}

#[test]
fn another_sites_rp_id_is_a_security_error_before_any_vault() {
    let c = caller(CONSOLE, None);
    let e = precheck_get(&c, &get(serde_json::json!({"rpId": "google.com"})));
    assert_eq!(error_name(e), "SecurityError");
    let e = precheck_create(
        &c,
        &create(serde_json::json!({"rp": {"id": "google.com", "name": "x"}})),
    );
    assert_eq!(error_name(e), "SecurityError");
    // A public suffix is no RP ID either.
    let e = precheck_get(&c, &get(serde_json::json!({"rpId": "com"})));
    assert_eq!(error_name(e), "SecurityError");
    let e = precheck_get(
        &c,
        &get(serde_json::json!({"extensions": {"appid": "https://evil.test/app.json"}})),
    );
    assert_eq!(error_name(e), "SecurityError");
}

#[test]
fn insecure_or_opaque_callers_are_security_errors() {
    for origin in [
        "http://console.aws.amazon.com",
        "null",
        "",
        "https://127.0.0.1",
    ] {
        let e = precheck_get(&caller(origin, None), &get(serde_json::json!({})));
        assert_eq!(error_name(e), "SecurityError", "{origin}");
    }
}

/// An embedder the browser would never write that way (a path, another scheme, capitals) is
/// refused before any prompt, for both ceremonies: it would go into the client data otherwise.
#[test]
fn malformed_top_origins_are_security_errors() {
    for top in [
        "http://console.aws.amazon.com",
        "https://embedder.test/path",
        "http://embedder.test",
        "javascript:alert(1)",
        "https://Embedder.test",
        "",
    ] {
        let c = caller(CONSOLE, Some(top));
        let e = precheck_get(&c, &get(serde_json::json!({})));
        assert_eq!(error_name(e), "SecurityError", "get, {top}");
        let e = precheck_create(&c, &create(serde_json::json!({})));
        assert_eq!(error_name(e), "SecurityError", "create, {top}");
    }
    // An opaque embedder (a sandboxed page) is the browser's to answer, as an opaque caller is.
    let c = caller(CONSOLE, Some("null"));
    assert!(matches!(
        precheck_get(&c, &get(serde_json::json!({}))),
        Ok(Precheck::NotOurs { .. })
    ));
    assert!(matches!(
        precheck_create(&c, &create(serde_json::json!({}))),
        Ok(Precheck::NotOurs { .. })
    ));
    let c = caller(CONSOLE, Some("https://embedder.test"));
    assert!(matches!(
        precheck_get(&c, &get(serde_json::json!({}))),
        Ok(Precheck::Continue {
            same_site: false,
            ..
        })
    ));
}

#[test]
fn requests_no_key_of_ours_can_serve_go_to_the_browser() {
    let c = caller(CONSOLE, None);
    for extra in [
        serde_json::json!({"pubKeyCredParams": [{"type": "public-key", "alg": -257}]}),
        serde_json::json!({"pubKeyCredParams": [{"type": "other", "alg": -7}]}),
        serde_json::json!({"authenticatorSelection": {"authenticatorAttachment": "platform"}}),
        serde_json::json!({"authenticatorSelection": {"userVerification": "required"}}),
    ] {
        let decision = precheck_create(&c, &create(extra.clone())).expect("checked");
        assert!(
            matches!(decision, Precheck::NotOurs { .. }),
            "{extra}: {decision:?}"
        );
    }
    let decision = precheck_get(
        &c,
        &get(serde_json::json!({"userVerification": "required"})),
    )
    .expect("ok");
    assert!(matches!(decision, Precheck::NotOurs { .. }));
    // The defaults (an empty list) include ES256.
    let decision =
        precheck_create(&c, &create(serde_json::json!({"pubKeyCredParams": []}))).expect("ok");
    assert!(matches!(decision, Precheck::Continue { .. }));
}

#[test]
fn a_user_id_longer_than_64_bytes_is_a_type_error() {
    let long = softkey_webauthn::b64::encode(&[7u8; 65]);
    let e = precheck_create(
        &caller(CONSOLE, None),
        &create(serde_json::json!({"user": {"id": long, "name": "a", "displayName": "a"}})),
    );
    assert_eq!(error_name(e), "TypeError");
}

#[test]
fn same_site_is_the_registrable_domain_of_the_top_level_document() {
    let cases = [
        (None, true),
        (Some("https://signin.aws.amazon.com"), true),
        (Some("https://www.amazon.com"), true),
        (Some("https://evil.test"), false),
        (Some("https://amazon.com.evil.test"), false),
    ];
    for (top, expected) in cases {
        let decision =
            precheck_get(&caller(CONSOLE, top), &get(serde_json::json!({}))).expect("checked");
        match decision {
            Precheck::Continue {
                same_site,
                ref host,
                ref rp_id,
            } => {
                assert_eq!(same_site, expected, "{top:?}");
                assert_eq!(host, "console.aws.amazon.com");
                assert_eq!(rp_id, "amazon.com");
            }
            other => panic!("{other:?}"),
        }
    }
}
