use super::*;

/// A host that fits a pattern, with placeholders filled in.
fn example_host(pattern: &str) -> String {
    pattern
        .replace("{session}", "123456789012-abcd1234")
        .replace("{region}", "eu-west-1")
        .replace("{label}", "d-9067abcdef")
}

fn id_of(url: &str) -> Option<&'static str> {
    surface_of(url).map(|m| m.surface.id)
}

#[test]
fn every_surface_matches_its_own_example() {
    for s in SURFACES {
        let path = s.path.map_or("/".to_owned(), |p| format!("{p}/x"));
        let url = format!("https://{}{}?q=1#f", example_host(s.host), path);
        let m = surface_of(&url).unwrap_or_else(|| panic!("{url} matched nothing"));
        // A more specific surface earlier in the table may win; it must be of the same partition.
        assert_eq!(m.surface.partition, s.partition, "{url}");
    }
}

#[test]
fn the_surfaces_the_issue_names() {
    let cases = [
        ("https://signin.aws.amazon.com/signin?x", "aws-signin"),
        (
            "https://us-east-1.signin.aws.amazon.com/oauth?x",
            "aws-signin-sub",
        ),
        (
            "https://123456789012.signin.aws.amazon.com/console",
            "aws-signin-sub",
        ),
        (
            "https://my-alias.signin.aws.amazon.com/console",
            "aws-signin-sub",
        ),
        (
            "https://console.aws.amazon.com/iam/home#/security_credentials",
            "aws-console",
        ),
        (
            "https://eu-west-1.console.aws.amazon.com/iam/home",
            "aws-console-region",
        ),
        (
            "https://000000000000-aaaaaaaa.us-east-1.console.aws.amazon.com/iam/home",
            "aws-console-session",
        ),
        ("https://d-9067abcdef.awsapps.com/start/#/", "idc-portal"),
        ("https://d-9067abcdef.awsapps.com/start", "idc-portal"),
        ("https://view.awsapps.com/start", "idc-portal"),
        (
            "https://ssoins-7223abcdef012345.portal.us-east-1.app.aws/",
            "idc-portal-app",
        ),
        (
            "https://us-east-1.signin.aws/platform/d-9067abcdef/login?workflowStateHandle=x",
            "idc-signin",
        ),
        (
            "https://profile.aws.amazon.com/#/profile/details",
            "builder-id-profile",
        ),
        ("https://signin.amazonaws-us-gov.com/oauth", "gov-signin"),
        (
            "https://123456789012.signin.amazonaws-us-gov.com/console",
            "gov-signin-sub",
        ),
        ("https://console.amazonaws-us-gov.com/iam", "gov-console"),
        (
            "https://us-gov-west-1.console.amazonaws-us-gov.com/iam",
            "gov-console-region",
        ),
        ("https://signin.amazonaws.cn/", "cn-signin"),
        (
            "https://123456789012.signin.amazonaws.cn/console",
            "cn-signin-sub",
        ),
        ("https://console.amazonaws.cn/", "cn-console"),
        (
            "https://cn-north-1.console.amazonaws.cn/",
            "cn-console-region",
        ),
        (
            "https://eusc-de-east-1.signin.amazonaws-eusc.eu/oauth",
            "eusc-signin-sub",
        ),
        (
            "https://eusc-de-east-1.console.amazonaws-eusc.eu/",
            "eusc-console-region",
        ),
        ("https://www.amazon.com/ap/mfa?arb=x", "amazon-login"),
        ("https://www.amazon.com/ap/signin", "amazon-login"),
        ("https://www.amazon.com/a/settings/approval", "amazon-setup"),
        (
            "https://www.amazon.com/a/settings/approval/setup/register",
            "amazon-setup",
        ),
    ];
    for (url, id) in cases {
        assert_eq!(id_of(url), Some(id), "{url}");
    }
}

#[test]
fn look_alikes_and_other_shapes_match_nothing() {
    for url in [
        "https://signin.aws.evil.test/",
        "https://signin.aws.amazon.com.evil.test/",
        "https://awsapps.com.evil.test/start",
        "https://x-awsapps.com/start",
        "https://d-9067abcdef.x-awsapps.com/start",
        "https://awsapps.com/start",
        "https://evilsignin.aws.amazon.com.evil/",
        "https://signin.aws.evil.test/platform/d-1/login",
        "https://us-east-1.signin.aws.evil.test/platform/d-1/login",
        "https://not-a-region.signin.aws/platform/d-1/login",
        "https://console.aws.amazon.co/",
        "https://a.b.c.console.aws.amazon.com/",
        "https://1234-abc.us-east-1.console.aws.amazon.com/",
        "http://signin.aws.amazon.com/",
        "https://signin.aws.amazon.com:8443/",
        "https://signin.aws.amazon.com:443/",
        "https://user:pw@signin.aws.amazon.com/",
        "https://signin.aws.amazon.com./",
        "https://-x.signin.aws.amazon.com/",
        "https://x_y.signin.aws.amazon.com/",
        "https://SIGNIN.AWS.AMAZON.COM/",
        "https://www.amazon.com/apple",
        "https://www.amazon.com/a/settings/approvalx",
        "https://smile.amazon.com/ap/mfa",
        "https://d-9067abcdef.awsapps.com/other",
        "https://ssoins-1.portal.not-region.app.aws/",
        "javascript:alert(1)",
        "null",
        "",
    ] {
        assert_eq!(id_of(url), None, "{url}");
    }
}

#[test]
fn regions_of_every_partition() {
    for r in [
        "us-east-1",
        "eu-west-1",
        "ap-southeast-2",
        "us-gov-west-1",
        "cn-north-1",
        "cn-northwest-1",
        "eusc-de-east-1",
        "me-central-1",
    ] {
        assert!(is_region(r), "{r}");
    }
    for r in [
        "us-east",
        "east-1",
        "us-east-1a",
        "u-east-1",
        "us--1",
        "usgovwest1",
        "us-east-123",
    ] {
        assert!(!is_region(r), "{r}");
    }
}

#[test]
fn what_a_match_says_about_the_url() {
    let m = surface_of("https://000000000000-aaaaaaaa.us-east-1.console.aws.amazon.com/iam")
        .expect("a surface");
    assert_eq!(m.account.as_deref(), Some("000000000000"));
    assert_eq!(m.region.as_deref(), Some("us-east-1"));
    let m = surface_of("https://us-east-1.signin.aws/platform/d-9067abcdef/login?w=1")
        .expect("a surface");
    assert_eq!(m.directory.as_deref(), Some("d-9067abcdef"));
    assert_eq!(m.region.as_deref(), Some("us-east-1"));
    let m = surface_of("https://my-company.awsapps.com/start/").expect("a surface");
    assert_eq!(m.directory.as_deref(), Some("my-company"));
    let m = surface_of("https://210987654321.signin.aws.amazon.com/console").expect("a surface");
    assert_eq!(m.account.as_deref(), Some("210987654321"));
    let m = surface_of("https://eu-west-1.signin.aws.amazon.com/oauth").expect("a surface");
    assert_eq!((m.account, m.region.as_deref()), (None, Some("eu-west-1")));
}

#[test]
fn origins_for_webauthn_ignore_paths_but_not_hosts() {
    let webauthn = |c: &Capabilities| c.webauthn;
    assert!(origin_has("https://www.amazon.com", webauthn));
    assert!(origin_has("https://us-east-1.signin.aws", webauthn));
    assert!(origin_has("https://d-9067abcdef.awsapps.com", webauthn));
    assert!(!origin_has("https://www.amazon.com/ap", webauthn));
    assert!(!origin_has("https://awsapps.com.evil.test", webauthn));
    assert!(!origin_has("null", webauthn));
    assert!(!origin_has("https://signin.aws.amazon.com:8443", webauthn));
    assert!(origin_has("https://signin.aws.amazon.com", |c| c.u2f));
    assert!(!origin_has("https://d-9067abcdef.awsapps.com", |c| c.u2f));
}

#[test]
fn arn_partitions() {
    for p in [
        Partition::Aws,
        Partition::AwsUsGov,
        Partition::AwsCn,
        Partition::AwsEusc,
    ] {
        let name = p.arn_name().expect("a surface");
        assert_eq!(Partition::from_arn_name(name), Some(p));
    }
    assert_eq!(Partition::from_arn_name("aws-iso"), None);
}

// ---------------------------------------------------------------- generated files

fn repo_file(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// Compares a committed file with what the table generates; `SOFTKEY_BLESS=1` rewrites it.
fn check_generated(rel: &str, expected: &str) {
    let path = repo_file(rel);
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        if std::env::var_os("SOFTKEY_BLESS").is_some() {
            std::fs::write(&path, expected).expect("write generated file");
            return;
        }
        panic!(
            "{rel} is not what wasm/core/src/sites.rs generates: run `SOFTKEY_BLESS=1 cargo test -p softkey-core sites`"
        );
    }
}

#[test]
fn sites_js_is_generated_from_the_table() {
    check_generated("extension/shared/sites.js", &javascript());
}

#[test]
fn readme_table_is_generated_from_the_table() {
    const BEGIN: &str = "<!-- sites-table: generated from wasm/core/src/sites.rs -->\n";
    const END: &str = "<!-- /sites-table -->";
    let path = repo_file("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let start = readme
        .find(BEGIN)
        .expect("README has the sites-table marker")
        + BEGIN.len();
    let end = start
        + readme[start..]
            .find(END)
            .expect("README has the end marker");
    let mut expected = readme.clone();
    expected.replace_range(start..end, &markdown_table());
    check_generated("README.md", &expected);
}

#[test]
fn manifest_matches_the_table() {
    let text = std::fs::read_to_string(repo_file("manifest.json")).expect("manifest.json");
    let manifest: serde_json::Value = serde_json::from_str(&text).expect("manifest is JSON");
    let strings = |v: &serde_json::Value| -> Vec<String> {
        let mut out: Vec<String> = v
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    };
    let scripts = manifest["content_scripts"]
        .as_array()
        .expect("content_scripts");
    for group in ScriptGroup::ALL {
        let entries: Vec<_> = scripts
            .iter()
            .filter(|e| strings(&e["js"]).iter().any(|j| j == group.marker_script()))
            .collect();
        assert!(
            !entries.is_empty(),
            "no manifest entry runs {}",
            group.marker_script()
        );
        for entry in entries {
            assert_eq!(
                strings(&entry["matches"]),
                match_patterns(group),
                "{group:?}"
            );
        }
    }
    // The MAIN-world and page-context entries have no marker: they cover what the bridge covers.
    let context = |e: &&serde_json::Value| {
        strings(&e["js"])
            .iter()
            .any(|j| j.ends_with("aws-context.js"))
    };
    for entry in scripts
        .iter()
        .filter(|e| e["world"] == "MAIN" || context(e))
    {
        assert_eq!(
            strings(&entry["matches"]),
            match_patterns(ScriptGroup::Credentials)
        );
    }
    assert_eq!(strings(&manifest["host_permissions"]), host_permissions());
}

/// Prints the groups' match patterns as JSON (`cargo test -p softkey-core print_groups -- --ignored --nocapture`).
#[test]
#[ignore]
fn print_groups() {
    let mut out = serde_json::Map::new();
    for g in ScriptGroup::ALL {
        out.insert(format!("{g:?}"), serde_json::json!(match_patterns(g)));
    }
    out.insert("all".into(), serde_json::json!(host_permissions()));
    println!("GROUPS {}", serde_json::Value::Object(out));
}
