//! A plain list of `otpauth://` URIs, one a line: what most authenticators import and export.
//! URIs are written and read by `softkey-otp` ([`OtpAuth::to_uri`], [`OtpAuth::parse`]).

use softkey_otp::OtpAuth;
use zeroize::Zeroizing;

use crate::model::TotpItem;
use crate::{FormatError, check_count, check_size};

const FORMAT: &str = "otpauth list";

/// One URI a line, `\n`-terminated.
pub fn write(items: &[TotpItem]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::new());
    for item in items {
        out.push_str(&item.otp.to_uri());
        out.push('\n');
    }
    out
}

/// Reads one URI a line; blank lines and lines starting with `#` are skipped. Any invalid line
/// fails the whole list, naming the line.
pub fn read(text: &str) -> Result<Vec<TotpItem>, FormatError> {
    check_size(FORMAT, text.len())?;
    let mut items = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let otp = OtpAuth::parse(line).map_err(|e| FormatError::InvalidEntry {
            format: FORMAT,
            index: n + 1,
            why: e.to_string(),
        })?;
        items.push(TotpItem::from_otp(otp));
        check_count(FORMAT, items.len())?;
    }
    if items.is_empty() {
        return Err(FormatError::NotThisFormat {
            format: FORMAT,
            why: "no otpauth:// line".into(),
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_line_numbers() {
        let text = "# comment\n\notpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME\n\
                    otpauth://totp/bob?secret=GEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&period=60\n";
        let items = read(text).expect("reads");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].label, "ACME: alice");
        assert_eq!(items[1].otp.digits, 8);
        let again = read(&write(&items)).expect("reads its own output");
        assert_eq!(
            again.iter().map(|i| &i.otp).collect::<Vec<_>>(),
            items.iter().map(|i| &i.otp).collect::<Vec<_>>()
        );
        let err =
            read("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP\nnot a uri\n").expect_err("line 2");
        assert!(
            matches!(err, FormatError::InvalidEntry { index: 2, .. }),
            "{err}"
        );
        assert_eq!(read("\n\n").expect_err("empty").kind(), "NotThisFormat");
    }
}
