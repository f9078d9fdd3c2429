//! Which TOTP entry `softkey code <entry>` means.

use softkey_formats::TotpItem;

/// The account and user named by an IAM MFA device ARN, `arn:PARTITION:iam::ACCOUNT:mfa/USER`
/// (a path may sit before the user: `mfa/path/USER`).
fn arn_parts(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let user = resource.strip_prefix("mfa/")?.rsplit('/').next()?;
    Some((account, user))
}

fn same(a: Option<&str>, b: &str) -> bool {
    a.is_some_and(|a| a.eq_ignore_ascii_case(b))
}

/// The one entry `query` names: an MFA device ARN (exact, else its account and user), an
/// `ACCOUNT/USER` pair, or a name (the entry's label, `issuer:account`, account or issuer,
/// ignoring case). None or several is an error naming the candidates.
pub(crate) fn one<'a>(items: &'a [TotpItem], query: &str) -> Result<&'a TotpItem, String> {
    let query = query.trim();
    if query.is_empty() {
        return Err("the entry to show is empty".into());
    }
    let matches: Vec<&TotpItem> = if query.starts_with("arn:") {
        let exact: Vec<_> = items
            .iter()
            .filter(|i| i.aws.arn.as_deref() == Some(query))
            .collect();
        if !exact.is_empty() {
            exact
        } else if let Some((account, user)) = arn_parts(query) {
            items
                .iter()
                .filter(|i| {
                    i.aws.account.as_deref() == Some(account) && same(i.aws.user.as_deref(), user)
                })
                .collect()
        } else {
            return Err(format!("\"{query}\" is not an IAM MFA device ARN"));
        }
    } else if let Some((account, user)) = query.split_once('/') {
        items
            .iter()
            .filter(|i| {
                same(i.aws.account.as_deref(), account) && same(i.aws.user.as_deref(), user)
            })
            .collect()
    } else {
        let by_label: Vec<_> = items
            .iter()
            .filter(|i| i.label.eq_ignore_ascii_case(query))
            .collect();
        if !by_label.is_empty() {
            by_label
        } else {
            items
                .iter()
                .filter(|i| {
                    let otp = &i.otp;
                    let full = otp
                        .issuer
                        .as_ref()
                        .map(|iss| format!("{iss}:{}", otp.account));
                    same(full.as_deref(), query)
                        || otp.account.eq_ignore_ascii_case(query)
                        || same(otp.issuer.as_deref(), query)
                })
                .collect()
        }
    };
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no TOTP entry matches \"{query}\" (see softkey list)"
        )),
        several => Err(format!(
            "\"{query}\" matches {} entries: {}; name one exactly",
            several.len(),
            several
                .iter()
                .map(|i| format!("\"{}\"", i.label))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use softkey_formats::AwsContext;
    use softkey_otp::OtpAuth;

    use super::*;

    fn item(
        uri: &str,
        label: &str,
        account: Option<&str>,
        user: Option<&str>,
        arn: Option<&str>,
    ) -> TotpItem {
        let mut item = TotpItem::from_otp(OtpAuth::parse(uri).expect("uri"));
        item.label = label.into();
        item.aws = AwsContext {
            account: account.map(Into::into),
            user: user.map(Into::into),
            arn: arn.map(Into::into),
            directory: None,
        };
        item
    }

    #[test]
    fn finds_by_arn_account_user_and_name() {
        let items = vec![
            item(
                "otpauth://totp/AWS:alice@111122223333?secret=JBSWY3DPEHPK3PXP&issuer=AWS",
                "prod",
                Some("111122223333"),
                Some("alice"),
                Some("arn:aws:iam::111122223333:mfa/alice-phone"),
            ),
            item(
                "otpauth://totp/AWS:bob?secret=GEZDGNBVGY3TQOJQ&issuer=AWS",
                "dev",
                Some("444455556666"),
                Some("bob"),
                None,
            ),
        ];
        let label = |q: &str| one(&items, q).map(|i| i.label.clone());
        assert_eq!(
            label("arn:aws:iam::111122223333:mfa/alice-phone"),
            Ok("prod".into())
        );
        assert_eq!(label("arn:aws:iam::444455556666:mfa/bob"), Ok("dev".into()));
        assert_eq!(
            label("arn:aws:iam::444455556666:mfa/team/bob"),
            Ok("dev".into())
        );
        assert_eq!(label("444455556666/BOB"), Ok("dev".into()));
        assert_eq!(label("PROD"), Ok("prod".into()));
        assert_eq!(label("aws:bob"), Ok("dev".into()));
        assert!(label("AWS").expect_err("two").contains("matches 2 entries"));
        assert!(label("nobody").expect_err("none").contains("no TOTP entry"));
        assert!(label("arn:aws:s3:::bucket").is_err());
    }
}
