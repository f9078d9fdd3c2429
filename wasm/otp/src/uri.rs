//! `otpauth://` URIs (Google Authenticator "Key Uri Format") and the entry they describe.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use zeroize::Zeroize;

use crate::code::{check_digits, check_period, hotp, seconds_remaining, totp};
use crate::error::echo;
use crate::{Algorithm, OtpError, Secret};

/// Longest `otpauth://` URI accepted, in bytes: room for a [`crate::MAX_SECRET_BYTES`] secret and
/// two fully percent-encoded [`MAX_NAME_LEN`] names.
pub const MAX_URI_LEN: usize = 8192;
/// Longest issuer or account name accepted, in bytes (after percent-decoding).
pub const MAX_NAME_LEN: usize = 512;
/// Digits used when a URI has no `digits` parameter.
pub const DEFAULT_DIGITS: u8 = 6;
/// Period used when a TOTP URI has no `period` parameter.
pub const DEFAULT_PERIOD: u32 = 30;
/// How an authenticator URI starts (matched without regard to case).
pub const OTPAUTH_SCHEME: &str = "otpauth://";
/// How a Google Authenticator transfer code starts (matched without regard to case).
pub const MIGRATION_SCHEME: &str = "otpauth-migration:";

/// Everything but RFC 3986 "unreserved" characters gets percent-encoded when we write a URI. That
/// is stricter than needed (`@` may stay literal in a path), but every reader understands it, and a
/// space always becomes `%20`, never `+`, which some readers take literally in the label.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Time-based or counter-based, with what each needs.
///
/// Serialized as `{"type":"totp","period":30}` or `{"type":"hotp","counter":0}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", try_from = "OtpKindFields")]
pub enum OtpKind {
    /// RFC 6238: a new code every `period` seconds (T0 = 0).
    Totp {
        /// Seconds per step, 1..=3600.
        period: u32,
    },
    /// RFC 4226: a new code each time `counter` is advanced (by the caller, after use).
    Hotp {
        /// The counter value of the next code.
        counter: u64,
    },
}

/// How an [`OtpKind`] is read: the same members, in one pass. serde's reader for an internally
/// tagged enum buffers the whole map before it knows the variant, which compiled a second
/// deserializer into the wasm module for every vault read.
#[derive(serde::Deserialize)]
struct OtpKindFields {
    #[serde(rename = "type")]
    tag: OtpKindTag,
    period: Option<u32>,
    counter: Option<u64>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum OtpKindTag {
    Totp,
    Hotp,
}

impl TryFrom<OtpKindFields> for OtpKind {
    type Error = &'static str;

    fn try_from(f: OtpKindFields) -> Result<Self, Self::Error> {
        match (f.tag, f.period, f.counter) {
            (OtpKindTag::Totp, Some(period), _) => Ok(Self::Totp { period }),
            (OtpKindTag::Hotp, _, Some(counter)) => Ok(Self::Hotp { counter }),
            (OtpKindTag::Totp, None, _) => Err("missing field `period`"),
            (OtpKindTag::Hotp, _, None) => Err("missing field `counter`"),
        }
    }
}

impl Default for OtpKind {
    fn default() -> Self {
        Self::Totp {
            period: DEFAULT_PERIOD,
        }
    }
}

/// One authenticator entry, as an `otpauth://` URI describes it.
///
/// Fields are public for convenience; [`OtpAuth::parse`] and deserialization check them, and
/// [`OtpAuth::validate`] checks a value built by hand. Code computation re-checks digits and period,
/// so a bad hand-built value gives an error, never a panic or a wrong code.
///
/// Serialized (for the vault) as
/// `{"issuer":…,"account":…,"secret":"<BASE32>","algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30}}`,
/// the secret as unpadded upper-case base32.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "OtpAuthFields")]
pub struct OtpAuth {
    /// Who issued the key (`Amazon Web Services`), if known.
    pub issuer: Option<String>,
    /// The account it belongs to (`alice@123456789012`); may be empty.
    pub account: String,
    /// The shared secret.
    pub secret: Secret,
    /// HMAC hash function.
    pub algorithm: Algorithm,
    /// Code length, 6..=8.
    pub digits: u8,
    /// TOTP or HOTP.
    pub kind: OtpKind,
}

/// The serialized shape, checked by `TryFrom` before it becomes an [`OtpAuth`].
#[derive(serde::Deserialize)]
struct OtpAuthFields {
    issuer: Option<String>,
    account: String,
    secret: Secret,
    #[serde(default)]
    algorithm: Algorithm,
    #[serde(default = "default_digits")]
    digits: u8,
    #[serde(default)]
    kind: OtpKind,
}

fn default_digits() -> u8 {
    DEFAULT_DIGITS
}

impl TryFrom<OtpAuthFields> for OtpAuth {
    type Error = OtpError;

    fn try_from(f: OtpAuthFields) -> Result<Self, OtpError> {
        let entry = OtpAuth {
            issuer: f.issuer,
            account: f.account,
            secret: f.secret,
            algorithm: f.algorithm,
            digits: f.digits,
            kind: f.kind,
        };
        entry.validate()?;
        Ok(entry)
    }
}

/// The raw (still percent-encoded) values of the parameters we know; the first occurrence wins.
#[derive(Default)]
struct RawParams<'a> {
    secret: Option<&'a str>,
    issuer: Option<&'a str>,
    algorithm: Option<&'a str>,
    digits: Option<&'a str>,
    period: Option<&'a str>,
    counter: Option<&'a str>,
}

impl<'a> RawParams<'a> {
    fn read(query: &'a str) -> Self {
        let mut params = Self::default();
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match key.to_ascii_lowercase().as_str() {
                "secret" => &mut params.secret,
                "issuer" => &mut params.issuer,
                "algorithm" => &mut params.algorithm,
                "digits" => &mut params.digits,
                "period" => &mut params.period,
                "counter" => &mut params.counter,
                // `image`, `color` and friends: not ours to judge.
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        params
    }
}

/// Percent-decodes a query value. `+` means a space here (form encoding, as `url`'s
/// `query_pairs` and the common authenticator apps read it); a literal plus must be `%2B`.
fn decode_query(value: &str, field: &'static str) -> Result<String, OtpError> {
    let value = value.replace('+', " ");
    percent_decode_str(&value)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| OtpError::InvalidUtf8 { field })
}

/// An optional parameter that is present but empty counts as absent.
fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn parse_number(value: &str, parameter: &'static str) -> Result<u64, OtpError> {
    value
        .trim()
        .parse::<u64>()
        .map_err(|_| OtpError::InvalidNumber {
            parameter,
            value: echo(value),
        })
}

fn check_name(name: &str, field: &'static str) -> Result<(), OtpError> {
    if name.len() > MAX_NAME_LEN {
        return Err(OtpError::NameTooLong {
            field,
            length: name.len(),
        });
    }
    if name.chars().any(char::is_control) {
        return Err(OtpError::ControlCharacter { field });
    }
    Ok(())
}

impl OtpAuth {
    /// Reads an `otpauth://TYPE/LABEL?PARAMETERS` URI.
    ///
    /// Choices made where the format is loose:
    /// - The scheme and type are case-insensitive; surrounding whitespace is ignored.
    /// - The label is percent-decoded first (`+` stays a plus there), then split at the first
    ///   `:` into issuer and account, both trimmed of spaces. An empty prefix (`:alice`) means no
    ///   issuer. If the `issuer` parameter is present and the label starts with it plus `:`, the
    ///   split happens there instead, so an issuer that itself contains a colon survives.
    /// - If the label prefix and the `issuer` parameter disagree, the parameter wins (the spec
    ///   calls it the preferred source) and the prefix is dropped; parsing goes on.
    /// - Parameter names are case-insensitive; the first occurrence of a repeated one wins;
    ///   unknown ones (`image`, ...) are ignored; optional ones present but empty count as absent.
    /// - `period` is ignored for `hotp`, `counter` for `totp`.
    /// - No fragment handling: real otpauth URIs have none, and a stray `#` then shows up as a
    ///   bad parameter value instead of silently cutting the URI short.
    pub fn parse(uri: &str) -> Result<Self, OtpError> {
        let uri = uri.trim();
        if uri.len() > MAX_URI_LEN {
            return Err(OtpError::UriTooLong { length: uri.len() });
        }
        let rest = match (
            uri.get(..OTPAUTH_SCHEME.len()),
            uri.get(OTPAUTH_SCHEME.len()..),
        ) {
            (Some(scheme), Some(rest)) if scheme.eq_ignore_ascii_case(OTPAUTH_SCHEME) => rest,
            _ => return Err(OtpError::NotOtpauthUri),
        };
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (type_name, raw_label) = path.split_once('/').unwrap_or((path, ""));
        let is_hotp = match type_name.to_ascii_lowercase().as_str() {
            "totp" => false,
            "hotp" => true,
            _ => return Err(OtpError::UnsupportedType(echo(type_name))),
        };

        let params = RawParams::read(query);

        let mut secret_text =
            decode_query(params.secret.ok_or(OtpError::MissingSecret)?, "secret")?;
        let secret = Secret::from_base32(&secret_text);
        secret_text.zeroize();
        let secret = secret?;

        let issuer_param = match non_empty(params.issuer) {
            Some(raw) => Some(decode_query(raw, "issuer")?.trim().to_owned()),
            None => None,
        }
        .filter(|i| !i.is_empty());

        let label = percent_decode_str(raw_label)
            .decode_utf8()
            .map_err(|_| OtpError::InvalidUtf8 { field: "label" })?;
        let after_param_issuer = issuer_param.as_deref().and_then(|issuer| {
            label
                .strip_prefix(issuer)
                .and_then(|rest| rest.strip_prefix(':'))
        });
        let (prefix, account) = match after_param_issuer {
            Some(account) => (None, account),
            None => match label.split_once(':') {
                Some((prefix, account)) => (Some(prefix.trim()), account),
                None => (None, label.as_ref()),
            },
        };
        let prefix = prefix.filter(|p| !p.is_empty()).map(str::to_owned);
        let issuer = issuer_param.or(prefix);
        let account = account.trim().to_owned();

        let algorithm = match non_empty(params.algorithm) {
            Some(raw) => decode_query(raw, "algorithm")?.parse()?,
            None => Algorithm::Sha1,
        };
        let digits = match non_empty(params.digits) {
            Some(raw) => {
                let n = parse_number(raw, "digits")?;
                u8::try_from(n).map_err(|_| OtpError::DigitsOutOfRange(n))?
            }
            None => DEFAULT_DIGITS,
        };
        let kind = if is_hotp {
            let raw = non_empty(params.counter).ok_or(OtpError::MissingCounter)?;
            OtpKind::Hotp {
                counter: parse_number(raw, "counter")?,
            }
        } else {
            let period = match non_empty(params.period) {
                Some(raw) => {
                    let n = parse_number(raw, "period")?;
                    u32::try_from(n).map_err(|_| OtpError::PeriodOutOfRange(n))?
                }
                None => DEFAULT_PERIOD,
            };
            OtpKind::Totp { period }
        };

        let entry = OtpAuth {
            issuer,
            account,
            secret,
            algorithm,
            digits,
            kind,
        };
        entry.validate()?;
        Ok(entry)
    }

    /// Checks what the type system cannot: digits, period, and the names' length and characters.
    pub fn validate(&self) -> Result<(), OtpError> {
        check_digits(self.digits)?;
        if let OtpKind::Totp { period } = self.kind {
            check_period(period)?;
        }
        if let Some(issuer) = &self.issuer {
            check_name(issuer, "issuer")?;
        }
        check_name(&self.account, "account")
    }

    /// Writes the canonical URI: `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=ISSUER`, names
    /// percent-encoded (`%20` for spaces), secret as unpadded upper-case base32.
    ///
    /// Parameters at their default value (SHA1, 6 digits, 30 s) are left out: the spec makes them
    /// optional, AWS's own URIs omit them, and an app that ignores `algorithm`/`digits`/`period`
    /// (some do) then still computes the right code for the common case. `counter` is always
    /// written for HOTP. The issuer goes both in the label and in the
    /// parameter, as the spec recommends. With no issuer and a `:` in the account, the label
    /// starts with `:` so that the account is not mistaken for an issuer when read back.
    ///
    /// For a value that passes [`OtpAuth::validate`] and has trimmed names,
    /// `OtpAuth::parse(&e.to_uri()) == Ok(e)`.
    pub fn to_uri(&self) -> String {
        let mut uri = String::from("otpauth://");
        uri.push_str(match self.kind {
            OtpKind::Totp { .. } => "totp/",
            OtpKind::Hotp { .. } => "hotp/",
        });
        let issuer = self.issuer.as_deref().filter(|i| !i.is_empty());
        match issuer {
            Some(issuer) => {
                uri.extend(utf8_percent_encode(issuer, ENCODE));
                uri.push(':');
            }
            None if self.account.contains(':') => uri.push(':'),
            None => {}
        }
        uri.extend(utf8_percent_encode(&self.account, ENCODE));
        uri.push_str("?secret=");
        uri.push_str(&self.secret.to_base32());
        if let Some(issuer) = issuer {
            uri.push_str("&issuer=");
            uri.extend(utf8_percent_encode(issuer, ENCODE));
        }
        if self.algorithm != Algorithm::Sha1 {
            uri.push_str("&algorithm=");
            uri.push_str(self.algorithm.as_str());
        }
        if self.digits != DEFAULT_DIGITS {
            uri.push_str(&format!("&digits={}", self.digits));
        }
        match self.kind {
            OtpKind::Totp { period } if period != DEFAULT_PERIOD => {
                uri.push_str(&format!("&period={period}"));
            }
            OtpKind::Totp { .. } => {}
            OtpKind::Hotp { counter } => uri.push_str(&format!("&counter={counter}")),
        }
        uri
    }

    /// Whether `base32` (as a page shows it: any case, spaces, padding) is this entry's secret.
    /// A page showing a QR code and a secret key that differ is not to be trusted with either.
    pub fn secret_matches(&self, base32: &str) -> Result<bool, OtpError> {
        Ok(Secret::from_base32(base32)? == self.secret)
    }

    /// The code to show at `unix_seconds` (for HOTP: the code for the current counter; the time
    /// is ignored).
    pub fn code_at(&self, unix_seconds: u64) -> Result<String, OtpError> {
        match self.kind {
            OtpKind::Totp { period } => totp(
                &self.secret,
                unix_seconds,
                period,
                self.digits,
                self.algorithm,
            ),
            OtpKind::Hotp { counter } => hotp(&self.secret, counter, self.digits, self.algorithm),
        }
    }
}

/// The texts of QR codes (a page's, a screenshot's, a picture's) that are for an authenticator,
/// trimmed, in the order read: the one place that tells them from a link or a Wi-Fi code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthenticatorTexts<'a> {
    /// `otpauth://` URIs (one entry each).
    pub uris: Vec<&'a str>,
    /// Google Authenticator's `otpauth-migration://` transfer codes (up to ten entries each).
    pub transfers: Vec<&'a str>,
}

/// Sorts the texts read from QR codes into [`AuthenticatorTexts`]; schemes are matched without
/// regard to case, as URI schemes are; anything else is dropped.
pub fn authenticator_texts<S: AsRef<str>>(texts: &[S]) -> AuthenticatorTexts<'_> {
    let has_scheme = |text: &str, scheme: &str| {
        text.get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    };
    let mut found = AuthenticatorTexts::default();
    for text in texts {
        let text = text.as_ref().trim();
        if has_scheme(text, OTPAUTH_SCHEME) {
            found.uris.push(text);
        } else if has_scheme(text, MIGRATION_SCHEME) {
            found.transfers.push(text);
        }
    }
    found
}

/// Of the texts read from the QR codes on a page, the first `otpauth://` URI that parses, with
/// its text (trimmed) and what it parses to.
///
/// A page may show other codes beside the authenticator's (a link, a transfer code); those are
/// skipped. When no URI parses, the error says why the first was refused, or
/// [`OtpError::NotOtpauthUri`] when there is none, so a caller can tell "not an authenticator
/// code" from "an authenticator code we cannot use".
pub fn first_otpauth<S: AsRef<str>>(texts: &[S]) -> Result<(&str, OtpAuth), OtpError> {
    let mut refused = None;
    for text in authenticator_texts(texts).uris {
        match OtpAuth::parse(text) {
            Ok(entry) => return Ok((text, entry)),
            Err(e) => {
                refused.get_or_insert(e);
            }
        }
    }
    Err(refused.unwrap_or(OtpError::NotOtpauthUri))
}

/// Two consecutive codes, for forms like AWS's "MFA code 1" / "MFA code 2".
///
/// TOTP: the codes of the current step and the one after, unless the current step has fewer than
/// `min_remaining_secs` seconds left, in which case the codes of the next two steps: a pair that
/// straddles a step change while the user submits is the usual reason this form fails. With
/// `min_remaining_secs = 0` the current step is always used.
///
/// HOTP: the codes for `counter` and `counter + 1`; the caller must then store `counter + 2`.
pub fn consecutive_pair(
    entry: &OtpAuth,
    unix_seconds: u64,
    min_remaining_secs: u32,
) -> Result<(String, String), OtpError> {
    let first = match entry.kind {
        OtpKind::Totp { period } => {
            let remaining = seconds_remaining(unix_seconds, period)?;
            // `seconds_remaining` has checked that `period` is not 0.
            let step = unix_seconds / u64::from(period);
            if remaining < min_remaining_secs {
                step.checked_add(1).ok_or(OtpError::CounterOverflow)?
            } else {
                step
            }
        }
        OtpKind::Hotp { counter } => counter,
    };
    let second = first.checked_add(1).ok_or(OtpError::CounterOverflow)?;
    // TOTP at step T is HOTP with counter T (RFC 6238 section 4.2), so counters cover both kinds
    // without computing times that could overflow near u64::MAX.
    Ok((
        hotp(&entry.secret, first, entry.digits, entry.algorithm)?,
        hotp(&entry.secret, second, entry.digits, entry.algorithm)?,
    ))
}
