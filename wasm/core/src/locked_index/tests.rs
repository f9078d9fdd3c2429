use super::*;
use crate::AwsContext;

fn key(id: &str, rp_id: &str, discoverable: bool) -> SecurityKeySummary {
    SecurityKeySummary {
        id: id.into(),
        rp_id: rp_id.into(),
        label: String::new(),
        user_name: None,
        aws: AwsContext::default(),
        sign_count: 0,
        discoverable,
        created_ms: 0,
        last_used_ms: None,
        ask_before_sign_in: false,
        made_with_u2f: false,
    }
}

#[test]
fn hashes_are_base64url_sha256_of_the_text() {
    // FIPS 180-2's "abc" vector, in base64url without padding.
    let index = LockedIndex::of(&[key("abc", "abc", true)]);
    assert_eq!(
        index.credentials,
        ["ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"]
    );
    assert_eq!(index.discoverable_rp_ids, index.credentials);
}

#[test]
fn might_hold_a_named_credential_or_a_discoverable_key_of_the_rp() {
    let index = LockedIndex::of(&[
        key("AAAA", "amazon.com", false),
        key("BBBB", "signin.aws", true),
    ]);
    let ids = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert!(index.might_hold(&ids(&["zzzz", "AAAA"]), "amazon.com"));
    assert!(!index.might_hold(&ids(&["zzzz"]), "amazon.com"));
    assert!(index.might_hold(&[], "signin.aws"));
    assert!(
        !index.might_hold(&[], "amazon.com"),
        "that key is not discoverable"
    );
    assert!(!LockedIndex::default().might_hold(&ids(&["AAAA"]), "amazon.com"));
}
