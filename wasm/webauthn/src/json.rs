//! WebAuthn's JSON forms (Level 3 §5.1.8, §5.1.9, §5.4, §5.5): options in, responses out, with
//! every binary field as unpadded base64url. Unknown members are ignored, as browsers ignore
//! unknown dictionary members.

use serde::{Deserialize, Serialize};

use crate::b64::Base64Url;
use crate::store::UserEntity;

/// `PublicKeyCredentialRpEntity`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RpEntityJson {
    /// The RP ID; the origin's host when absent.
    pub id: Option<String>,
    /// Human-palatable name.
    #[serde(default)]
    pub name: String,
}

/// `PublicKeyCredentialParameters`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CredParamJson {
    /// Always `public-key` today.
    #[serde(rename = "type")]
    pub kind: String,
    /// COSE algorithm identifier.
    pub alg: i64,
}

/// `PublicKeyCredentialDescriptor`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct DescriptorJson {
    /// Always `public-key` today.
    #[serde(rename = "type")]
    pub kind: String,
    /// The credential ID.
    pub id: Base64Url,
    /// Transport hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transports: Option<Vec<String>>,
}

/// `AuthenticatorSelectionCriteria`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorSelectionJson {
    /// `platform` or `cross-platform`.
    pub authenticator_attachment: Option<String>,
    /// `discouraged`, `preferred` or `required`.
    pub resident_key: Option<String>,
    /// Level 1's boolean form of `residentKey: "required"`.
    #[serde(default)]
    pub require_resident_key: bool,
    /// `discouraged`, `preferred` or `required`.
    pub user_verification: Option<String>,
}

/// Extensions we understand on `create`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateExtensionsJson {
    /// Report whether the credential is discoverable.
    #[serde(default)]
    pub cred_props: bool,
    /// Refuse if a U2F credential for this AppID is already held.
    pub appid_exclude: Option<String>,
}

/// `PublicKeyCredentialCreationOptionsJSON`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreationOptionsJson {
    /// The relying party.
    pub rp: RpEntityJson,
    /// The user.
    pub user: UserEntity,
    /// The RP's challenge.
    pub challenge: Base64Url,
    /// Acceptable algorithms; empty means ES256 and RS256.
    #[serde(default)]
    pub pub_key_cred_params: Vec<CredParamJson>,
    /// Milliseconds.
    pub timeout: Option<u64>,
    /// Credentials the user already has.
    #[serde(default)]
    pub exclude_credentials: Vec<DescriptorJson>,
    /// Requirements on the authenticator.
    #[serde(default)]
    pub authenticator_selection: AuthenticatorSelectionJson,
    /// `none`, `indirect`, `direct` or `enterprise`.
    pub attestation: Option<String>,
    /// Client extension inputs.
    #[serde(default)]
    pub extensions: CreateExtensionsJson,
}

/// Extensions we understand on `get`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetExtensionsJson {
    /// A legacy U2F AppID to also try credentials under.
    pub appid: Option<String>,
}

/// `PublicKeyCredentialRequestOptionsJSON`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestOptionsJson {
    /// The RP's challenge.
    pub challenge: Base64Url,
    /// Milliseconds.
    pub timeout: Option<u64>,
    /// The RP ID; the origin's host when absent.
    pub rp_id: Option<String>,
    /// Acceptable credentials; empty means discoverable ones.
    #[serde(default)]
    pub allow_credentials: Vec<DescriptorJson>,
    /// `discouraged`, `preferred` or `required`.
    pub user_verification: Option<String>,
    /// Client extension inputs.
    #[serde(default)]
    pub extensions: GetExtensionsJson,
}

/// `credProps` output.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct CredPropsJson {
    /// Whether the credential is discoverable.
    pub rk: bool,
}

/// `AuthenticationExtensionsClientOutputsJSON` for what we support.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientExtensionResultsJson {
    /// `credProps`, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cred_props: Option<CredPropsJson>,
    /// `appid`: whether the AppID was used, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appid: Option<bool>,
    /// `appidExclude`, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appid_exclude: Option<bool>,
}

/// `AuthenticatorAttestationResponseJSON`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttestationResponseJson {
    /// The client data JSON bytes.
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: Base64Url,
    /// Authenticator data (also inside the attestation object).
    pub authenticator_data: Base64Url,
    /// Transports of this authenticator.
    pub transports: Vec<String>,
    /// SubjectPublicKeyInfo DER of the credential key.
    pub public_key: Base64Url,
    /// COSE algorithm of the credential key.
    pub public_key_algorithm: i64,
    /// The attestation object.
    pub attestation_object: Base64Url,
}

/// `RegistrationResponseJSON`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationResponseJson {
    /// base64url credential ID.
    pub id: String,
    /// Same bytes as `id`.
    pub raw_id: Base64Url,
    /// The response.
    pub response: AttestationResponseJson,
    /// `cross-platform`: we behave as a roaming security key.
    pub authenticator_attachment: String,
    /// Client extension outputs.
    pub client_extension_results: ClientExtensionResultsJson,
    /// `public-key`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// `AuthenticatorAssertionResponseJSON`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssertionResponseJson {
    /// The client data JSON bytes.
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: Base64Url,
    /// Authenticator data.
    pub authenticator_data: Base64Url,
    /// DER ECDSA signature.
    pub signature: Base64Url,
    /// User handle of a discoverable credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_handle: Option<Base64Url>,
}

/// `AuthenticationResponseJSON`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationResponseJson {
    /// base64url credential ID.
    pub id: String,
    /// Same bytes as `id`.
    pub raw_id: Base64Url,
    /// The response.
    pub response: AssertionResponseJson,
    /// `cross-platform`.
    pub authenticator_attachment: String,
    /// Client extension outputs.
    pub client_extension_results: ClientExtensionResultsJson,
    /// `public-key`.
    #[serde(rename = "type")]
    pub kind: String,
}
