//! The browser's side of WebAuthn (§5.1.3 create, §5.1.4 get): check the request against the
//! caller's origin, decide whether this authenticator can serve it, build the client data, and
//! shape the result as WebAuthn JSON.
//!
//! Each ceremony has two steps so the caller can ask the user in between: `prepare_*` checks
//! everything and changes nothing; `finish_*` makes or signs. A request this authenticator cannot
//! serve is reported as [`Plan::NotOurs`], never as an error, so the extension hands it to the
//! browser untouched.

use rand_core::CryptoRng;

use crate::attestation::AttestationFormat;
use crate::authenticator::{Authenticator, MakeCredentialRequest, rp_id_hash};
use crate::b64::{self, Base64Url};
use crate::client_data::{CeremonyType, ClientData, client_data_hash};
use crate::credential_key::ES256;
use crate::error::WebAuthnError;
use crate::json::{
    AssertionResponseJson, AttestationResponseJson, AuthenticationResponseJson,
    ClientExtensionResultsJson, CreationOptionsJson, CredPropsJson, RegistrationResponseJson,
    RequestOptionsJson,
};
use crate::origin::Origin;
use crate::store::{CredentialRecord, CredentialStore, UserEntity};

/// Who is calling: the frame's origin, and the top-level origin when the frame is cross-origin.
/// Both come from the browser (the extension's bridge and `sender`), never from the page.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The calling frame's origin.
    pub origin: String,
    /// The top-level origin, only when it differs from `origin`'s site (a cross-origin iframe).
    pub top_origin: Option<String>,
}

impl Caller {
    /// The calling origin, checked. The top-level origin is checked too, though only the client
    /// data carries it: when SoftKey cannot see the tab's URL (a site it has no access to), the
    /// embedder named is the content script's report, and it must at least be an https origin as
    /// a browser serializes one before it is written into what the relying party verifies.
    pub fn checked_origin(&self) -> Result<Origin, WebAuthnError> {
        self.checked_origins().map(|(origin, _)| origin)
    }

    /// [`Self::checked_origin`] and the top-level origin it checked, for a caller that also
    /// compares the two (the precheck's same-site rule).
    pub fn checked_origins(&self) -> Result<(Origin, Option<Origin>), WebAuthnError> {
        // An opaque embedder is the browser's to answer (`in_opaque_top`); were it to get here,
        // "null" is no https origin to write into client data.
        let top = self.top_origin.as_deref().map(Origin::parse).transpose()?;
        Ok((Origin::parse(&self.origin)?, top))
    }

    /// The frame is embedded by a document with an opaque origin (a sandboxed page): as with an
    /// opaque caller, such a request is never ours, and the browser answers it.
    pub fn in_opaque_top(&self) -> bool {
        self.top_origin.as_deref() == Some("null")
    }
}

/// Whether we serve a request.
#[derive(Debug, Clone)]
pub enum Plan<T> {
    /// We can serve it; ask the user if needed, then call `finish_*`.
    Ready(T),
    /// Not ours to serve (why, for logs); the browser's own authenticator should get it.
    NotOurs(&'static str),
}

/// A checked registration waiting for the user's consent.
#[derive(Debug, Clone)]
pub struct PreparedCreate {
    /// The RP ID the credential will be bound to.
    pub rp_id: String,
    /// The RP's name, for the consent prompt.
    pub rp_name: String,
    /// The user, for the consent prompt.
    pub user: UserEntity,
    /// The calling origin.
    pub origin: String,
    /// Whether the credential will be discoverable.
    pub discoverable: bool,
    /// Whether the RP asked for attestation (`direct`, `indirect`, `enterprise`).
    pub attestation_requested: bool,
    client_data_json: Vec<u8>,
    cred_props: bool,
    appid_exclude: bool,
}

/// A checked assertion waiting for user presence.
#[derive(Debug, Clone)]
pub struct PreparedGet {
    /// The RP ID.
    pub rp_id: String,
    /// The calling origin.
    pub origin: String,
    /// The credential that will sign.
    pub credential: CredentialRecord,
    /// Other discoverable credentials that could have been used (for an account chooser).
    pub alternatives: Vec<CredentialRecord>,
    /// Whether the match was under the `appid` extension's AppID.
    pub used_app_id: bool,
    client_data_json: Vec<u8>,
    sign_hash: [u8; 32],
    app_id_requested: bool,
}

fn is_public_key(kind: &str) -> bool {
    kind == "public-key"
}

/// Checks a `create` request. `Err` is what the page should be rejected with; `NotOurs` sends
/// it to the browser.
pub fn prepare_create(
    authenticator: &Authenticator<'_>,
    store: &dyn CredentialStore,
    caller: &Caller,
    options: &CreationOptionsJson,
) -> Result<Plan<PreparedCreate>, WebAuthnError> {
    if caller.in_opaque_top() {
        return Ok(Plan::NotOurs("the top-level document has an opaque origin"));
    }
    let origin = caller.checked_origin()?;
    let rp_id = match &options.rp.id {
        Some(id) => origin.check_rp_id(id)?.to_owned(),
        None => origin.host().to_owned(),
    };
    let user_id_len = options.user.id.0.len();
    if !(1..=64).contains(&user_id_len) {
        return Err(WebAuthnError::InvalidOptions(format!(
            "user.id must be 1 to 64 bytes long, not {user_id_len}"
        )));
    }
    let wants_es256 = options.pub_key_cred_params.is_empty()
        || options
            .pub_key_cred_params
            .iter()
            .any(|p| is_public_key(&p.kind) && p.alg == ES256);
    if !wants_es256 {
        return Err(WebAuthnError::NoSupportedAlgorithm);
    }
    let selection = &options.authenticator_selection;
    if selection.authenticator_attachment.as_deref() == Some("platform") {
        return Ok(Plan::NotOurs("the site asked for a platform authenticator"));
    }
    if selection.user_verification.as_deref() == Some("required") {
        return Ok(Plan::NotOurs("the site requires user verification"));
    }
    let discoverable = selection.require_resident_key
        || matches!(
            selection.resident_key.as_deref(),
            Some("required" | "preferred")
        );

    let rp_hash = rp_id_hash(&rp_id);
    let mut appid_exclude = false;
    let app_id_hash = match &options.extensions.appid_exclude {
        Some(app_id) => {
            origin.check_app_id(app_id)?;
            appid_exclude = true;
            Some(rp_id_hash(app_id))
        }
        None => None,
    };
    for excluded in options
        .exclude_credentials
        .iter()
        .filter(|d| is_public_key(&d.kind))
    {
        let held = authenticator
            .lookup(store, &excluded.id.0, &rp_hash)
            .is_some()
            || app_id_hash
                .is_some_and(|h| authenticator.lookup(store, &excluded.id.0, &h).is_some());
        if held {
            return Err(WebAuthnError::CredentialExcluded);
        }
    }

    let client_data_json = ClientData {
        ceremony: CeremonyType::Create,
        challenge: options.challenge.0.clone(),
        origin: caller.origin.clone(),
        top_origin: caller.top_origin.clone(),
    }
    .to_json();
    Ok(Plan::Ready(PreparedCreate {
        rp_id,
        rp_name: options.rp.name.clone(),
        user: options.user.clone(),
        origin: caller.origin.clone(),
        discoverable,
        attestation_requested: matches!(
            options.attestation.as_deref(),
            Some("direct" | "indirect" | "enterprise")
        ),
        client_data_json,
        cred_props: options.extensions.cred_props,
        appid_exclude,
    }))
}

/// Makes the credential after the user agreed. `attested_format` is used when the RP asked for
/// attestation (`packed` self or `fido-u2f`); otherwise the statement is `none`.
pub fn finish_create<R: CryptoRng + ?Sized>(
    authenticator: &Authenticator<'_>,
    store: &mut dyn CredentialStore,
    prepared: &PreparedCreate,
    attested_format: AttestationFormat,
    backup_eligible: bool,
    rng: &mut R,
) -> Result<RegistrationResponseJson, WebAuthnError> {
    let format = if prepared.attestation_requested {
        attested_format
    } else {
        AttestationFormat::None
    };
    let made = authenticator.make_credential(
        store,
        &MakeCredentialRequest {
            rp_id: prepared.rp_id.clone(),
            client_data_hash: client_data_hash(&prepared.client_data_json),
            user: Some(prepared.user.clone()),
            discoverable: prepared.discoverable,
            format,
            backup_eligible,
        },
        rng,
    )?;
    Ok(RegistrationResponseJson {
        id: b64::encode(&made.credential_id),
        raw_id: Base64Url(made.credential_id),
        response: AttestationResponseJson {
            client_data_json: Base64Url(prepared.client_data_json.clone()),
            authenticator_data: Base64Url(made.auth_data),
            transports: vec!["usb".into()],
            public_key: Base64Url(made.key.public_key_spki_der()?),
            public_key_algorithm: ES256,
            attestation_object: Base64Url(made.attestation_object),
        },
        authenticator_attachment: "cross-platform".into(),
        client_extension_results: ClientExtensionResultsJson {
            cred_props: prepared.cred_props.then_some(CredPropsJson {
                rk: prepared.discoverable,
            }),
            appid: None,
            appid_exclude: prepared.appid_exclude.then_some(false),
        },
        kind: "public-key".into(),
    })
}

/// Checks a `get` request and picks the credential. `selected` chooses among several
/// discoverable credentials (by ID); without it the newest is used and the rest are listed in
/// [`PreparedGet::alternatives`].
pub fn prepare_get(
    authenticator: &Authenticator<'_>,
    store: &dyn CredentialStore,
    caller: &Caller,
    options: &RequestOptionsJson,
    selected: Option<&[u8]>,
) -> Result<Plan<PreparedGet>, WebAuthnError> {
    if caller.in_opaque_top() {
        return Ok(Plan::NotOurs("the top-level document has an opaque origin"));
    }
    let origin = caller.checked_origin()?;
    let rp_id = match &options.rp_id {
        Some(id) => origin.check_rp_id(id)?.to_owned(),
        None => origin.host().to_owned(),
    };
    let app_id = match &options.extensions.appid {
        Some(app_id) => {
            origin.check_app_id(app_id)?;
            Some(app_id.as_str())
        }
        None => None,
    };
    if options.user_verification.as_deref() == Some("required") {
        return Ok(Plan::NotOurs("the site requires user verification"));
    }
    let rp_hash = rp_id_hash(&rp_id);

    let mut alternatives = Vec::new();
    let found = if options.allow_credentials.is_empty() {
        let mut candidates = store.discoverable(&rp_hash);
        let index = match selected {
            Some(id) => candidates.iter().position(|c| c.id.0 == id),
            None => (!candidates.is_empty()).then_some(0),
        };
        index.map(|i| {
            let chosen = candidates.remove(i);
            alternatives = candidates;
            (chosen, rp_hash, false)
        })
    } else {
        options
            .allow_credentials
            .iter()
            .filter(|d| is_public_key(&d.kind))
            .find_map(|d| {
                if let Some((record, _)) = authenticator.lookup(store, &d.id.0, &rp_hash) {
                    return Some((record, rp_hash, false));
                }
                let app_hash = rp_id_hash(app_id?);
                authenticator
                    .lookup(store, &d.id.0, &app_hash)
                    .map(|(record, _)| (record, app_hash, true))
            })
    };
    let Some((credential, sign_hash, used_app_id)) = found else {
        return Ok(Plan::NotOurs("no credential of ours matches"));
    };
    let client_data_json = ClientData {
        ceremony: CeremonyType::Get,
        challenge: options.challenge.0.clone(),
        origin: caller.origin.clone(),
        top_origin: caller.top_origin.clone(),
    }
    .to_json();
    Ok(Plan::Ready(PreparedGet {
        rp_id,
        origin: caller.origin.clone(),
        credential,
        alternatives,
        used_app_id,
        client_data_json,
        sign_hash,
        app_id_requested: app_id.is_some(),
    }))
}

/// Signs the prepared assertion. The counter is incremented in `store` first; the caller must
/// persist the store before handing the result to the page.
pub fn finish_get(
    authenticator: &Authenticator<'_>,
    store: &mut dyn CredentialStore,
    prepared: &PreparedGet,
    user_present: bool,
) -> Result<AuthenticationResponseJson, WebAuthnError> {
    let assertion = authenticator.get_assertion(
        store,
        &prepared.credential.id.0,
        &prepared.sign_hash,
        &client_data_hash(&prepared.client_data_json),
        user_present,
    )?;
    Ok(AuthenticationResponseJson {
        id: b64::encode(&assertion.credential_id),
        raw_id: Base64Url(assertion.credential_id),
        response: AssertionResponseJson {
            client_data_json: Base64Url(prepared.client_data_json.clone()),
            authenticator_data: Base64Url(assertion.auth_data),
            signature: Base64Url(assertion.signature),
            user_handle: assertion.user_handle.map(Base64Url),
        },
        authenticator_attachment: "cross-platform".into(),
        client_extension_results: ClientExtensionResultsJson {
            cred_props: None,
            appid: prepared.app_id_requested.then_some(prepared.used_app_id),
            appid_exclude: None,
        },
        kind: "public-key".into(),
    })
}
