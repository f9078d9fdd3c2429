use super::*;

fn allowed(origin: &str, rp_id: &str) -> bool {
    Origin::parse(origin)
        .and_then(|o| o.check_rp_id(rp_id).map(|_| ()))
        .is_ok()
}

#[test]
fn rp_id_equal_to_host_or_registrable_suffix_is_allowed() {
    assert!(allowed(
        "https://signin.aws.amazon.com",
        "signin.aws.amazon.com"
    ));
    assert!(allowed("https://signin.aws.amazon.com", "aws.amazon.com"));
    assert!(allowed("https://signin.aws.amazon.com", "amazon.com"));
    assert!(allowed(
        "https://eu-west-1.signin.aws.amazon.com",
        "amazon.com"
    ));
    assert!(allowed("https://console.aws.amazon.com:8443", "amazon.com"));
    assert!(allowed(
        "https://ssoins-7223abcdef012345.portal.us-east-1.app.aws",
        "app.aws"
    ));
    assert!(allowed(
        "https://d-9067abcdef.awsapps.com",
        "d-9067abcdef.awsapps.com"
    ));
}

#[test]
fn names_outside_the_site_tables_zones_are_refused_unless_equal() {
    // The pruned suffix table cannot decide these, so it refuses (the full list would allow
    // the first); SoftKey never answers such origins anyway.
    assert!(!allowed("https://www.example.co.uk", "example.co.uk"));
    assert!(!allowed("https://a.b.example.test", "b.example.test"));
    assert!(allowed("https://www.example.co.uk", "www.example.co.uk"));
    let o = Origin::parse("https://www.example.co.uk").expect("origin");
    assert!(o.check_app_id("https://example.co.uk/app-id.json").is_err());
}

#[test]
fn a_private_suffix_inside_a_zone_still_separates_sites() {
    // awsapps.com is a public suffix (private section): each Identity Center alias is a site.
    assert!(!allowed("https://d-9067abcdef.awsapps.com", "awsapps.com"));
    let o = Origin::parse("https://d-9067abcdef.awsapps.com").expect("origin");
    assert!(
        o.check_app_id("https://view.awsapps.com/app-id.json")
            .is_err()
    );
    assert!(
        o.check_app_id("https://x.d-9067abcdef.awsapps.com/app-id.json")
            .is_ok()
    );
}

#[test]
fn rp_id_that_is_not_a_suffix_or_is_a_public_suffix_is_refused() {
    // Plain string suffix without a dot boundary.
    assert!(!allowed("https://evilamazon.com", "amazon.com"));
    // Look-alike host: amazon.com is not a suffix of it at all.
    assert!(!allowed(
        "https://signin.aws.amazon.com.example.test",
        "amazon.com"
    ));
    assert!(!allowed("https://signin-aws-amazon.com", "amazon.com"));
    // Public suffixes, from the list (co.uk) and implicit (unknown TLD).
    assert!(!allowed("https://www.example.co.uk", "co.uk"));
    assert!(!allowed("https://signin.aws.amazon.com", "com"));
    assert!(!allowed("https://a.example.test", "test"));
    // A private-registry suffix from the PSL: github.io users are separate sites.
    assert!(!allowed("https://alice.github.io", "github.io"));
    // Another site entirely, and a more specific name than the host.
    assert!(!allowed("https://signin.aws.amazon.com", "example.com"));
    assert!(!allowed("https://aws.amazon.com", "signin.aws.amazon.com"));
    // Malformed RP IDs.
    assert!(!allowed("https://signin.aws.amazon.com", ""));
    assert!(!allowed("https://signin.aws.amazon.com", ".amazon.com"));
    assert!(!allowed("https://signin.aws.amazon.com", "amazon.com."));
    assert!(!allowed("https://signin.aws.amazon.com", "Amazon.com"));
}

#[test]
fn only_secure_domain_origins_are_accepted() {
    for bad in [
        "http://signin.aws.amazon.com",
        "https://",
        "https://127.0.0.1",
        "https://[::1]",
        "https://signin.aws.amazon.com/",
        "https://signin.aws.amazon.com:",
        "https://signin.aws.amazon.com:99999x",
        "https://SIGNIN.aws.amazon.com",
        "null",
        "chrome-extension://abc",
    ] {
        let err = Origin::parse(bad).expect_err(bad);
        assert_eq!(err.dom_name(), crate::DomErrorName::SecurityError, "{bad}");
    }
}

#[test]
fn app_id_must_share_the_registrable_domain() {
    let o = Origin::parse("https://signin.aws.amazon.com").expect("origin");
    assert!(
        o.check_app_id("https://u2f.aws.amazon.com/app-id.json")
            .is_ok()
    );
    assert!(o.check_app_id("https://amazon.com/app-id.json").is_ok());
    assert!(
        o.check_app_id("http://u2f.aws.amazon.com/app-id.json")
            .is_err()
    );
    assert!(
        o.check_app_id("https://u2f.example.com/app-id.json")
            .is_err()
    );
    assert!(
        o.check_app_id("https://amazon.com.evil.test/app-id.json")
            .is_err()
    );
    assert!(o.check_app_id("not a url").is_err());
}
