//! What moves between SoftKey and a file: a neutral model that every format converts to and
//! from, and that `softkey-core` fills from (and merges into) the vault.

use p256::SecretKey;
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use softkey_otp::OtpAuth;
use zeroize::Zeroizing;

use crate::codec::{b64_decode_any, b64url_encode};

/// Which AWS account and user an entry or key belongs to, as seen on the page when it was added:
/// the one definition the vault (softkey-core re-exports it), the import and export files and
/// the command line share.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsContext {
    /// Account ID or alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// IAM user name, or the root user's e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The MFA device's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The IAM Identity Center directory or access-portal alias (Identity Center users have no
    /// account of their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
}

/// A TOTP entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TotpItem {
    /// Issuer, account, secret, algorithm, digits, period.
    pub otp: OtpAuth,
    /// The name the user gave it.
    pub label: String,
    /// AWS account and user.
    #[serde(default)]
    pub aws: AwsContext,
    /// When it was added (ms since the epoch; 0 when unknown).
    #[serde(default)]
    pub created_ms: u64,
}

impl TotpItem {
    /// An entry named after its issuer and account, as the vault names a pasted one.
    pub fn from_otp(otp: OtpAuth) -> Self {
        let label = match &otp.issuer {
            Some(issuer) if !otp.account.is_empty() => format!("{issuer}: {}", otp.account),
            Some(issuer) => issuer.clone(),
            None => otp.account.clone(),
        };
        Self {
            otp,
            label,
            aws: AwsContext::default(),
            created_ms: 0,
        }
    }
}

/// A P-256 private key. `SecretKey` wipes itself on drop; `Debug` prints nothing secret.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey(SecretKey);

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}

impl PrivateKey {
    /// From the big-endian scalar; refuses zero and values not below the group order.
    pub fn from_scalar(bytes: &[u8]) -> Result<Self, String> {
        SecretKey::from_slice(bytes)
            .map(Self)
            .map_err(|_| "not a valid P-256 private key".to_owned())
    }

    /// From PKCS#8 DER (RFC 5208 / RFC 5915 `ECPrivateKey`, curve P-256).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, String> {
        SecretKey::from_pkcs8_der(der)
            .map(Self)
            .map_err(|_| "not a PKCS#8 P-256 private key".to_owned())
    }

    /// The 32-byte big-endian scalar, in a buffer wiped on drop.
    pub fn scalar(&self) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&self.0.to_bytes());
        out
    }

    /// PKCS#8 DER, in a buffer wiped on drop.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, String> {
        self.0
            .to_pkcs8_der()
            .map(|doc| Zeroizing::new(doc.as_bytes().to_vec()))
            .map_err(|e| format!("PKCS#8 encoding failed: {e}"))
    }

    /// The uncompressed SEC1 public key (`04 ‖ x ‖ y`).
    pub fn public_key_sec1(&self) -> Vec<u8> {
        self.0.public_key().to_sec1_point(false).as_bytes().to_vec()
    }
}

impl Serialize for PrivateKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let der = self.to_pkcs8_der().map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&b64url_encode(&der))
    }
}

impl<'de> Deserialize<'de> for PrivateKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Zeroizing::new(String::deserialize(deserializer)?);
        let der = b64_decode_any(&text).map_err(serde::de::Error::custom)?;
        Self::from_pkcs8_der(&der).map_err(serde::de::Error::custom)
    }
}

/// Bytes as unpadded base64url in JSON.
pub(crate) mod b64url_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::codec::b64url_encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        crate::codec::b64_decode_any(&text)
            .map(|z| z.to_vec())
            .map_err(serde::de::Error::custom)
    }
}

/// The relying party's user entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyUser {
    /// User handle (1 to 64 bytes).
    #[serde(with = "b64url_bytes")]
    pub id: Vec<u8>,
    /// Account name.
    #[serde(default)]
    pub name: String,
    /// Display name.
    #[serde(default)]
    pub display_name: String,
}

/// A security-key credential with its private key: everything another authenticator needs to
/// go on signing for it, and everything the user sees of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyItem {
    /// The credential ID the relying party stored at registration.
    #[serde(with = "b64url_bytes")]
    pub credential_id: Vec<u8>,
    /// RP ID, or the AppID of a key made through the legacy U2F API.
    pub rp_id: String,
    /// SHA-256 of the RP ID or AppID (kept: a key made from only an AppID hash has no RP ID).
    #[serde(with = "b64url_bytes")]
    pub rp_id_hash: Vec<u8>,
    /// The user, for discoverable credentials and for display.
    #[serde(default)]
    pub user: Option<PasskeyUser>,
    /// The private key, as PKCS#8 DER in base64url.
    #[serde(rename = "privateKeyPkcs8")]
    pub private_key: PrivateKey,
    /// The highest signature counter this key may have given a site; the next signature must
    /// be above it.
    pub sign_count: u32,
    /// Whether `get` without `allowCredentials` may find it.
    #[serde(default)]
    pub discoverable: bool,
    /// The BE flag it was created with.
    #[serde(default)]
    pub backup_eligible: bool,
    /// The name the user gave it.
    #[serde(default)]
    pub label: String,
    /// AWS account and user.
    #[serde(default)]
    pub aws: AwsContext,
    /// When it was made (ms since the epoch; 0 when unknown).
    #[serde(default)]
    pub created_ms: u64,
    /// Made through the legacy U2F JavaScript API (`rp_id` is its AppID).
    #[serde(default)]
    pub made_with_u2f: bool,
    /// The key exists in more than one place (exported as a copy), so its counter follows the
    /// clock: see `docs/key-transfer.md`.
    #[serde(default)]
    pub clock_counter: bool,
}

/// An entry a reader left out because SoftKey cannot use it (a Steam code, say): its name and
/// why. The rest of the file is still read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The entry's name as the file gives it.
    pub label: String,
    /// Why it was left out.
    pub why: String,
}

/// Everything an encrypted backup holds (and what any import read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backup {
    /// When it was written (ms since the epoch).
    pub created_ms: u64,
    /// TOTP entries.
    pub totp: Vec<TotpItem>,
    /// Security keys.
    pub security_keys: Vec<PasskeyItem>,
    /// Entries of an imported file that were left out (never written to a backup).
    pub skipped: Vec<Skipped>,
}

/// Why one entry could not be read: a kind SoftKey does not support (skipped, the rest of the
/// file is read) or damage (the whole file is refused).
pub(crate) enum EntryError {
    Unsupported(String),
    Invalid(String),
}

impl From<String> for EntryError {
    fn from(why: String) -> Self {
        Self::Invalid(why)
    }
}

/// Sorts entry results into items and skipped entries; an invalid entry fails the file.
pub(crate) fn collect_entries(
    format: &'static str,
    results: impl IntoIterator<Item = (String, Result<TotpItem, EntryError>)>,
) -> Result<(Vec<TotpItem>, Vec<Skipped>), crate::FormatError> {
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    for (i, (label, result)) in results.into_iter().enumerate() {
        match result {
            Ok(item) => items.push(item),
            Err(EntryError::Unsupported(why)) => skipped.push(Skipped { label, why }),
            Err(EntryError::Invalid(why)) => {
                return Err(crate::FormatError::InvalidEntry {
                    format,
                    index: i + 1,
                    why,
                });
            }
        }
    }
    Ok((items, skipped))
}
