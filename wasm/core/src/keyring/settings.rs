//! The user's settings, checked before they are stored.

use softkey_webauthn::AttestationFormat;

use super::Keyring;
use crate::contents::Settings;
use crate::error::KeyringError;

impl Keyring {
    /// Replaces the settings.
    pub fn set_settings(&mut self, settings: Settings) -> Result<Vec<u8>, KeyringError> {
        if AttestationFormat::parse(&settings.attestation_format)
            .is_none_or(|f| f == AttestationFormat::None)
        {
            return Err(KeyringError::BadRequest(format!(
                "attestation format must be \"packed\" or \"fido-u2f\", not \"{}\"",
                settings.attestation_format
            )));
        }
        let range = Settings::CLEAR_CLIPBOARD_SECONDS;
        if !range.contains(&settings.clear_clipboard_seconds) {
            return Err(KeyringError::BadRequest(format!(
                "the clipboard is cleared after {} to {} seconds, not {}",
                range.start(),
                range.end(),
                settings.clear_clipboard_seconds
            )));
        }
        self.commit(|me| {
            me.contents.settings = settings;
            Ok(())
        })
        .map(|((), envelope)| envelope)
    }

    /// The statement format registrations use when a site asks for attestation.
    pub(super) fn attested_format(&self) -> AttestationFormat {
        AttestationFormat::parse(&self.contents.settings.attestation_format)
            .unwrap_or(AttestationFormat::PackedSelf)
    }
}

#[cfg(test)]
mod tests;
