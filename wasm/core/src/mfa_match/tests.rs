use super::*;
use crate::contents::AwsContext;
use softkey_otp::OtpAuth;

const SECRET: &str = "JBSWY3DPEHPK3PXP";

fn entry(id: &str, uri_label: &str, aws: AwsContext) -> TotpEntry {
    let uri = format!("otpauth://totp/{uri_label}?secret={SECRET}");
    TotpEntry {
        id: id.into(),
        otp: OtpAuth::parse(&uri).expect("uri"),
        label: id.into(),
        aws,
        created_ms: 0,
        unconfirmed: false,
    }
}

fn aws(account: Option<&str>, user: Option<&str>, arn: Option<&str>) -> AwsContext {
    AwsContext {
        account: account.map(Into::into),
        user: user.map(Into::into),
        arn: arn.map(Into::into),
        ..AwsContext::default()
    }
}

fn q(account: Option<&str>, user: Option<&str>) -> MfaQuery {
    MfaQuery {
        account: account.map(Into::into),
        user: user.map(Into::into),
        ..MfaQuery::default()
    }
}

fn ids(entries: &[TotpEntry], query: &MfaQuery) -> Vec<String> {
    choose(query, entries)
        .into_iter()
        .map(|i| entries[i].id.clone())
        .collect()
}

fn vault() -> Vec<TotpEntry> {
    vec![
        // Added on the IAM page: label and context agree.
        entry(
            "alice-prod",
            "Amazon%20Web%20Services:alice-phone@111122223333",
            aws(Some("111122223333"), Some("alice"), None),
        ),
        // Same account, another user.
        entry(
            "bob-prod",
            "Amazon%20Web%20Services:bob@111122223333",
            aws(Some("111122223333"), Some("bob"), None),
        ),
        // Another account, alice again, known only from the ARN.
        entry(
            "alice-dev",
            "Amazon%20Web%20Services:dev-device@444455556666",
            aws(None, None, Some("arn:aws:iam::444455556666:user/eng/alice")),
        ),
        // Old-style label, no issuer, no context: device named after its user.
        entry("carol-old", "carol@777788889999", AwsContext::default()),
        // Amazon.com two-step verification.
        entry(
            "amazon-shop",
            "Amazon:shopper@example.com",
            AwsContext::default(),
        ),
        // Not AWS at all.
        entry("github", "GitHub:alice", AwsContext::default()),
    ]
}

#[test]
fn account_and_user_pick_exactly_one() {
    let v = vault();
    assert_eq!(
        ids(&v, &q(Some("111122223333"), Some("alice"))),
        ["alice-prod"]
    );
    assert_eq!(ids(&v, &q(Some("111122223333"), Some("bob"))), ["bob-prod"]);
    assert_eq!(
        ids(&v, &q(Some("444455556666"), Some("alice"))),
        ["alice-dev"]
    );
}

#[test]
fn account_id_is_read_with_dashes_and_user_case_insensitively() {
    let v = vault();
    assert_eq!(
        ids(&v, &q(Some("1111-2222-3333"), Some("ALICE"))),
        ["alice-prod"]
    );
    assert_eq!(
        ids(&v, &q(Some(" 1111 2222 3333 "), Some("Bob"))),
        ["bob-prod"]
    );
}

#[test]
fn another_account_or_user_is_never_offered() {
    let v = vault();
    assert!(ids(&v, &q(Some("999999999999"), Some("alice"))).is_empty());
    assert!(ids(&v, &q(Some("111122223333"), Some("mallory"))).is_empty());
    // carol's entry names its account in the label.
    assert!(ids(&v, &q(Some("111122223333"), Some("carol"))).is_empty());
}

#[test]
fn account_only_offers_every_entry_of_that_account() {
    let v = vault();
    assert_eq!(
        ids(&v, &q(Some("111122223333"), None)),
        ["alice-prod", "bob-prod"]
    );
}

#[test]
fn label_only_entries_match_by_account_and_device_name() {
    let v = vault();
    assert_eq!(
        ids(&v, &q(Some("777788889999"), Some("carol"))),
        ["carol-old"]
    );
    assert_eq!(ids(&v, &q(Some("777788889999"), None)), ["carol-old"]);
    // An entry with a user recorded beats one whose device name merely equals it.
    let mut v = vault();
    v.push(entry(
        "carol-new",
        "Amazon%20Web%20Services:phone@777788889999",
        aws(Some("777788889999"), Some("carol"), None),
    ));
    assert_eq!(
        ids(&v, &q(Some("777788889999"), Some("carol"))),
        ["carol-new"]
    );
}

#[test]
fn an_alias_on_the_page_cannot_exclude_an_entry_stored_by_id() {
    let v = vault();
    // "acme-prod" might be 111122223333 or 444455556666: alice's two entries are candidates.
    assert_eq!(
        ids(&v, &q(Some("acme-prod"), Some("alice"))),
        ["alice-prod", "alice-dev"]
    );
    let mut v = vault();
    v.push(entry(
        "alice-alias",
        "Amazon%20Web%20Services:alice@acme-prod",
        aws(None, Some("alice"), None),
    ));
    assert_eq!(
        ids(&v, &q(Some("ACME-PROD"), Some("alice"))),
        ["alice-alias"]
    );
    // Two different aliases disagree; bob's entry is stored by ID, so an alias cannot rule it out.
    assert_eq!(ids(&v, &q(Some("acme-dev"), Some("bob"))), ["bob-prod"]);
    assert!(!ids(&v, &q(Some("acme-dev"), Some("alice"))).contains(&"alice-alias".to_owned()));
}

#[test]
fn nothing_on_the_page_offers_every_aws_entry_but_not_amazon_or_others() {
    let v = vault();
    assert_eq!(
        ids(&v, &q(None, None)),
        ["alice-prod", "bob-prod", "alice-dev", "carol-old"]
    );
}

#[test]
fn amazon_com_matches_by_email_only() {
    let v = vault();
    let query = MfaQuery {
        site: MfaSite::Amazon,
        email: Some("Shopper@Example.com".into()),
        ..MfaQuery::default()
    };
    assert_eq!(ids(&v, &query), ["amazon-shop"]);
    let other = MfaQuery {
        site: MfaSite::Amazon,
        email: Some("someone@example.com".into()),
        ..MfaQuery::default()
    };
    assert!(!ids(&v, &other).contains(&"amazon-shop".to_owned()));
    // On an AWS sign-in page an Amazon.com entry is only used for its own e-mail.
    assert!(!ids(&v, &q(None, None)).contains(&"amazon-shop".to_owned()));
}

#[test]
fn root_user_email_matches_aws_context_user() {
    let mut v = vault();
    v.push(entry(
        "root",
        "Amazon%20Web%20Services:root-account-mfa-device@111122223333",
        aws(Some("111122223333"), Some("root@corp.example"), None),
    ));
    // The root user's e-mail arrives as the user or as the e-mail.
    assert_eq!(ids(&v, &q(None, Some("ROOT@corp.example"))), ["root"]);
    // The root user's older flow on Amazon.com's login page takes the AWS entry…
    let root_flow = MfaQuery {
        site: MfaSite::AmazonAwsRoot,
        email: Some("root@corp.example".into()),
        ..MfaQuery::default()
    };
    assert_eq!(ids(&v, &root_flow), ["root"]);
    // …and Amazon.com's own prompt never does.
    let retail = MfaQuery {
        site: MfaSite::Amazon,
        ..root_flow
    };
    assert!(ids(&v, &retail).is_empty());
}

#[test]
fn amazon_retail_prompt_offers_amazon_entries_only() {
    // Every AWS entry of the vault plus one Amazon.com entry: no chooser on Amazon.com.
    let v = vault();
    let amazon_ids: Vec<String> = v
        .iter()
        .filter(|e| e.otp.issuer.as_deref() == Some("Amazon"))
        .map(|e| e.id.clone())
        .collect();
    assert_eq!(
        amazon_ids.len(),
        1,
        "the test vault has one Amazon.com entry"
    );
    let retail = MfaQuery {
        site: MfaSite::Amazon,
        ..MfaQuery::default()
    };
    assert_eq!(ids(&v, &retail), amazon_ids);
    // Nor does the AWS root flow offer the Amazon.com entry.
    let root_flow = MfaQuery {
        site: MfaSite::AmazonAwsRoot,
        ..MfaQuery::default()
    };
    assert!(!ids(&v, &root_flow).iter().any(|id| amazon_ids.contains(id)));
}

fn idc(id: &str, directory: &str, user: Option<&str>) -> TotpEntry {
    entry(
        id,
        &format!("AWS%20IAM%20Identity%20Center:{}", user.unwrap_or("phone")),
        AwsContext {
            directory: Some(directory.into()),
            user: user.map(Into::into),
            ..AwsContext::default()
        },
    )
}

fn idc_query(directory: &str, user: Option<&str>) -> MfaQuery {
    MfaQuery {
        site: MfaSite::IdentityCenter,
        directory: Some(directory.into()),
        user: user.map(Into::into),
        ..MfaQuery::default()
    }
}

#[test]
fn identity_center_entries_belong_to_a_directory_and_a_user() {
    let mut v = vault();
    v.push(idc("idc-carol", "d-9067abcdef", Some("carol")));
    v.push(idc("idc-dave", "d-9067abcdef", Some("dave")));
    v.push(idc("idc-other", "d-1111111111", Some("carol")));
    v.push(idc("idc-alias", "my-company", Some("carol")));
    // The directory from the URL and the user typed earlier pick one entry, without a chooser.
    assert_eq!(
        ids(&v, &idc_query("d-9067abcdef", Some("carol"))),
        ["idc-carol"]
    );
    assert_eq!(
        ids(&v, &idc_query("D-9067ABCDEF", Some("dave"))),
        ["idc-dave"]
    );
    // Another directory's entry is never offered; an alias entry cannot be told apart from the ID.
    assert_eq!(
        ids(&v, &idc_query("d-1111111111", Some("carol"))),
        ["idc-other"]
    );
    assert_eq!(
        ids(&v, &idc_query("my-company", Some("carol"))),
        ["idc-alias"]
    );
    // IAM entries never answer an Identity Center prompt, nor Identity Center entries an IAM one.
    assert!(
        ids(&v, &idc_query("d-2222222222", Some("alice")))
            .iter()
            .all(|i| i == "idc-alias")
    );
    assert!(
        !ids(&v, &q(None, Some("carol")))
            .iter()
            .any(|i| i.starts_with("idc"))
    );
}

#[test]
fn arns_of_every_partition() {
    for (partition, account) in [
        ("aws", "111122223333"),
        ("aws-us-gov", "222233334444"),
        ("aws-cn", "333344445555"),
        ("aws-eusc", "444455556666"),
    ] {
        let arn = format!("arn:{partition}:iam::{account}:mfa/users/eng/erin-phone");
        let user_arn = format!("arn:{partition}:iam::{account}:user/eng/erin");
        let key_arn =
            format!("arn:{partition}:iam::{account}:u2f/user/erin/key-ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        assert_eq!(
            parse_arn(&user_arn),
            (Some(AccountRef::Id(account.into())), Some("erin".into())),
            "{user_arn}"
        );
        assert_eq!(parse_arn(&key_arn).1.as_deref(), Some("erin"), "{key_arn}");
        assert_eq!(
            parse_arn(&arn).0,
            Some(AccountRef::Id(account.into())),
            "{arn}"
        );
        // An entry known only by its ARN answers its own account and user, in any partition.
        let v = vec![entry("e", "erin-phone", aws(None, None, Some(&user_arn)))];
        assert_eq!(
            ids(&v, &q(Some(account), Some("erin"))),
            ["e"],
            "{partition}"
        );
        assert!(
            ids(&v, &q(Some("999999999999"), Some("erin"))).is_empty(),
            "{partition}"
        );
    }
    // A partition AWS does not have is not an ARN we understand.
    assert_eq!(
        parse_arn("arn:aws-evil:iam::111122223333:user/erin"),
        (None, None)
    );
}

#[test]
fn owner_comes_from_any_source() {
    // Only the otpauth label names the account: the popup still groups it there.
    let e = entry(
        "x",
        "Amazon%20Web%20Services:carol@210987654321",
        AwsContext::default(),
    );
    assert_eq!(owner_of(&e), Some(Owner::Account("210987654321".into())));
    let e = entry(
        "y",
        "Amazon%20Web%20Services:carol",
        aws(None, None, Some("arn:aws-cn:iam::333344445555:mfa/carol")),
    );
    assert_eq!(owner_of(&e), Some(Owner::Account("333344445555".into())));
    assert_eq!(
        owner_of(&idc("z", "d-9067abcdef", None)),
        Some(Owner::Directory("d-9067abcdef".into()))
    );
    let shop = entry("s", "Amazon:shopper@example.com", AwsContext::default());
    let shop = TotpEntry {
        otp: OtpAuth {
            issuer: Some("Amazon".into()),
            ..shop.otp
        },
        ..shop
    };
    assert_eq!(owner_of(&shop), None);
}

#[test]
fn a_chosen_entry_learns_the_user_it_lacked() {
    let e = entry(
        "x",
        "Amazon%20Web%20Services:phone@210987654321",
        AwsContext::default(),
    );
    let query = q(Some("2109-8765-4321"), Some("carol"));
    let learned = learned_context(&query, &e).expect("something to learn");
    assert_eq!(learned.user.as_deref(), Some("carol"));
    // The account came from the label already: it is not copied into the context.
    assert_eq!(learned.account, None);
    // What the entry knows is never overwritten.
    let e = entry("y", "x", aws(Some("210987654321"), Some("dave"), None));
    assert_eq!(learned_context(&query, &e), None);
    // Identity Center: the directory from the URL.
    let e = idc("z", "d-9067abcdef", None);
    let learned = learned_context(&idc_query("d-9067abcdef", Some("carol")), &e).expect("user");
    assert_eq!(learned.user.as_deref(), Some("carol"));
}

#[test]
fn a_remembered_choice_wins_only_among_acceptable_entries() {
    let v = vault();
    let mut query = q(Some("111122223333"), None);
    query.remembered = Some("bob-prod".into());
    assert_eq!(ids(&v, &query), ["bob-prod"]);
    // Remembered for an account it does not belong to: ignored.
    let mut query = q(Some("444455556666"), Some("alice"));
    query.remembered = Some("bob-prod".into());
    assert_eq!(ids(&v, &query), ["alice-dev"]);
    // An unknown id changes nothing.
    let mut query = q(Some("111122223333"), Some("alice"));
    query.remembered = Some("nope".into());
    assert_eq!(ids(&v, &query), ["alice-prod"]);
}

#[test]
fn hotp_entries_and_oversized_fields_are_ignored() {
    let mut v = vault();
    v.push(TotpEntry {
        id: "hotp".into(),
        otp: OtpAuth::parse(&format!(
            "otpauth://hotp/Amazon%20Web%20Services:x@111122223333?secret={SECRET}&counter=1"
        ))
        .expect("uri"),
        label: "hotp".into(),
        aws: AwsContext::default(),
        created_ms: 0,
        unconfirmed: false,
    });
    assert_eq!(
        ids(&v, &q(Some("111122223333"), None)),
        ["alice-prod", "bob-prod"]
    );
    let long = "a".repeat(MAX_FIELD + 1);
    // Too long: treated as not shown, so every AWS entry is a candidate, none excluded wrongly.
    assert_eq!(ids(&v, &q(Some(&long), Some(&long))).len(), 4);
}

#[test]
fn query_json_shape() {
    let query: MfaQuery = serde_json::from_str(
        r#"{"site":"amazon","account":null,"email":"a@b.example","remembered":"x"}"#,
    )
    .expect("json");
    assert_eq!(query.site, MfaSite::Amazon);
    assert_eq!(query.email.as_deref(), Some("a@b.example"));
    assert!(serde_json::from_str::<MfaQuery>(r#"{"site":"evil"}"#).is_err());
    let empty: MfaQuery = serde_json::from_str("{}").expect("json");
    assert_eq!(empty.site, MfaSite::Aws);
}

#[test]
fn arn_parsing() {
    assert_eq!(
        parse_arn("arn:aws:iam::123456789012:user/path/to/alice"),
        (
            Some(AccountRef::Id("123456789012".into())),
            Some("alice".into())
        )
    );
    assert_eq!(
        parse_arn("arn:aws:iam::123456789012:mfa/alice-phone"),
        (Some(AccountRef::Id("123456789012".into())), None)
    );
    assert_eq!(parse_arn("arn:aws:s3:::bucket"), (None, None));
    assert_eq!(parse_arn("nonsense"), (None, None));
}

#[test]
fn the_url_decides_the_site_and_directory_not_the_page() {
    let mut v = vault();
    v.push(idc("idc-carol", "d-9067abcdef", Some("carol")));
    let at = |url: &str, user: Option<&str>| MfaQuery {
        url: Some(url.into()),
        user: user.map(Into::into),
        // A page claiming another site or directory is overruled by its URL.
        site: MfaSite::Amazon,
        directory: Some("d-0000000000".into()),
        ..MfaQuery::default()
    };
    let idc_prompt = at(
        "https://us-east-1.signin.aws/platform/d-9067abcdef/login?workflowStateHandle=x",
        Some("carol"),
    );
    assert_eq!(
        ids(&v, &idc_prompt.resolve().expect("a fill surface")),
        ["idc-carol"]
    );
    // A per-account sign-in host names the account.
    let q = at(
        "https://444455556666.signin.aws.amazon.com/oauth",
        Some("alice"),
    )
    .resolve()
    .expect("fill");
    assert_eq!(q.site, MfaSite::Aws);
    assert_eq!(q.account.as_deref(), Some("444455556666"));
    // Amazon.com: retail unless the content script saw the AWS root flow.
    let q = at("https://www.amazon.com/ap/mfa", None)
        .resolve()
        .expect("fill");
    assert_eq!(q.site, MfaSite::Amazon);
    let q = MfaQuery {
        aws_root_flow: true,
        ..at("https://www.amazon.com/ap/mfa", None)
    };
    assert_eq!(q.resolve().expect("fill").site, MfaSite::AmazonAwsRoot);
    // Where codes are not filled, or not ours at all: nothing.
    for url in [
        "https://console.aws.amazon.com/iam",
        "https://www.amazon.com/a/settings/approval",
        "https://signin.aws.evil.test/oauth",
        "http://signin.aws.amazon.com/oauth",
    ] {
        assert!(at(url, None).resolve().is_none(), "{url}");
    }
}

#[test]
fn choice_keys_follow_the_site_and_the_people_not_the_spelling() {
    let key = |url: &str, account: Option<&str>, user: Option<&str>| {
        MfaQuery {
            url: Some(url.into()),
            account: account.map(Into::into),
            user: user.map(Into::into),
            ..MfaQuery::default()
        }
        .choice_key()
    };
    let signin = "https://signin.aws.amazon.com/oauth";
    let a = key(signin, Some("1111-2222-3333"), Some("Alice")).expect("a fill surface");
    // Spelling does not matter; the account, the user and the site do.
    assert_eq!(
        Some(a.clone()),
        key(
            "https://eu-west-1.signin.aws.amazon.com/oauth",
            Some("111122223333"),
            Some("alice ")
        )
    );
    assert_ne!(
        Some(a.clone()),
        key(signin, Some("111122223333"), Some("bob"))
    );
    assert_ne!(
        Some(a.clone()),
        key(
            "https://www.amazon.com/ap/mfa",
            Some("111122223333"),
            Some("alice")
        )
    );
    let idc = |dir: &str| {
        key(
            &format!("https://us-east-1.signin.aws/platform/{dir}/login"),
            None,
            Some("alice"),
        )
    };
    assert_ne!(idc("d-1111111111"), idc("d-2222222222"));
    assert_eq!(key("https://console.aws.amazon.com/iam", None, None), None);
    // The key earlier versions stored for the same prompt: SHA-256 of
    // "softkey-mfa-choice\naws\n111122223333\nalice\n" (computed independently with sha256sum).
    assert_eq!(
        a,
        "5f9acddbadcc34a82a2a7d2e245b58a5cad94c71e48e119eeb561d94f14bac8a"
    );
}

#[test]
fn on_an_aws_sign_in_the_aws_root_entry_beats_the_amazon_entry_of_the_same_e_mail() {
    let root = entry(
        "root",
        "Amazon%20Web%20Services:root-device@111122223333",
        aws(Some("111122223333"), Some("owner@example.com"), None),
    );
    let shop = entry("shop", "Amazon:owner@example.com", AwsContext::default());
    let v = vec![shop.clone(), root];
    assert_eq!(ids(&v, &q(None, Some("owner@example.com"))), ["root"]);
    // Alone, the Amazon.com entry still answers (a root user on Amazon.com's two-step verification).
    assert_eq!(ids(&[shop], &q(None, Some("owner@example.com"))), ["shop"]);
}

#[test]
fn builder_id_users_are_told_apart_by_their_e_mail() {
    let builder = idc("builder", "builder-id", Some("builder@example.com"));
    let other = idc("other", "ssoins-7223abcdef012345", Some("dave"));
    let v = vec![other, builder];
    let query = MfaQuery {
        site: MfaSite::IdentityCenter,
        directory: Some("d-9067000000".into()),
        email: Some("Builder@Example.com".into()),
        ..MfaQuery::default()
    };
    assert_eq!(ids(&v, &query), ["builder"]);
}
