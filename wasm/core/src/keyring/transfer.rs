//! Exporting and importing: the encrypted backup and other authenticators' formats, and moving
//! a security key to another vault so that it keeps signing at the relying party. See
//! `docs/key-transfer.md` for the design (move vs copy, counters).
//!
//! Every export is built from the decrypted contents without changing them, except where the
//! export itself changes what this vault may do: moving a key out marks it moved (it stops
//! signing here), copying it switches it to clock-based counters. Those changes are committed
//! like any other (applied to a copy, kept only once sealed), and only after the file was
//! written successfully. Imports go through [`Keyring::preview_import`] (nothing stored) and
//! [`Keyring::import`] (one commit: all or nothing).

use serde::{Deserialize, Serialize};
use softkey_formats::{
    Backup, PasskeyItem, PasskeyUser, PrivateKey, TotpItem, aegis, bitwarden, google, otpauth_list,
};
use softkey_otp::OtpKind;
use softkey_vault::{KdfParams, Vault};
use softkey_webauthn::b64::Base64Url;
use softkey_webauthn::credential_key::CredentialKey;
use softkey_webauthn::{CredentialRecord, UserEntity};
use zeroize::Zeroizing;

use super::{Keyring, unix_seconds};
use crate::contents::transfer::ImportedKey;
use crate::contents::{KeyTransfer, SecurityKey, TotpEntry, VaultContents};
use crate::error::KeyringError;

/// What an export does with the security keys.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyExport {
    /// Export them and stop signing with them here (the default): one place counts.
    #[default]
    Move,
    /// Export them and keep signing here too; both copies switch to clock-based counters.
    Copy,
    /// Leave them out (TOTP only, e.g. a backup for the command-line companion).
    Omit,
}

/// The files [`Keyring::export`] writes.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// SoftKey's encrypted backup: everything (needs a password).
    Backup,
    /// TOTP entries as `otpauth://` lines.
    Otpauth,
    /// TOTP entries as Google Authenticator migration URIs (one file per QR code of ten).
    GoogleMigration,
    /// TOTP entries as a plain Aegis vault.
    AegisPlain,
    /// TOTP entries as an encrypted Aegis vault (needs a password).
    AegisEncrypted,
    /// TOTP entries and security keys as a Bitwarden JSON export.
    Bitwarden,
}

/// One exported file.
#[derive(Debug, Clone)]
pub struct ExportedFile {
    /// Suggested file name.
    pub name: String,
    /// Its media type.
    pub mime: &'static str,
    /// Its contents (secrets: wiped on drop).
    pub bytes: Zeroizing<Vec<u8>>,
}

/// What a file import found.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify), tsify(missing_as_null))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileImport {
    /// The recognised format (`softkey-backup`, `aegis`, `bitwarden`, …).
    pub format: &'static str,
    /// What it adds, skips and updates.
    pub preview: ImportPreview,
}

/// A security key whose counter an import raises.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyUpdate {
    /// Its name.
    pub label: String,
    /// The counter ceiling in the vault.
    pub from: u32,
    /// The higher one from the file.
    pub to: u32,
    /// It had been moved out of this vault and comes back (it will sign here again).
    pub returns: bool,
}

/// What an import would do (or did), for the preview.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// TOTP entries that would be added.
    pub totp_added: Vec<String>,
    /// Already in the vault (same secret, same account): skipped.
    pub totp_duplicates: Vec<String>,
    /// Same issuer and account as an entry in the vault but another secret: added, flagged.
    pub totp_conflicts: Vec<String>,
    /// Entries the vault cannot keep, with why (e.g. HOTP).
    pub totp_skipped: Vec<(String, String)>,
    /// Security keys that would be added.
    pub keys_added: Vec<String>,
    /// Security keys already here whose counter the file raises (or that come back).
    pub keys_updated: Vec<KeyUpdate>,
    /// Security keys already here with a counter at or above the file's: unchanged.
    pub keys_unchanged: Vec<String>,
    /// Security keys that cannot be imported, with why.
    pub keys_skipped: Vec<(String, String)>,
}

fn totp_item(entry: &TotpEntry) -> TotpItem {
    TotpItem {
        otp: entry.otp.clone(),
        label: entry.label.clone(),
        aws: entry.aws.clone(),
        created_ms: entry.created_ms,
    }
}

/// For a key exported as a copy, counters follow the clock: before signing, the next value is
/// raised to at least the current Unix time in seconds. Two copies each doing so present
/// increasing counters as long as their clocks agree and their sign-ins are a second apart.
pub(super) fn raise_clock_counter(contents: &mut VaultContents, credential_id: &[u8], now_ms: u64) {
    let Some(key) = contents
        .security_keys
        .iter_mut()
        .find(|k| k.record.id.0 == credential_id && k.transfer.clock_counter)
    else {
        return;
    };
    let now = u32::try_from(unix_seconds(now_ms)).unwrap_or(u32::MAX);
    let floor = now.saturating_sub(1);
    if key.sign_count() < floor {
        key.issued_count = Some(floor);
    }
}

impl Keyring {
    /// Checks `password` against the stored `envelope` of this same vault: every export asks for
    /// the vault password again, so an unlocked, unattended browser does not hand keys out.
    pub fn confirm_password(&self, envelope: &[u8], password: &[u8]) -> Result<(), KeyringError> {
        let (vault, _) = Vault::unlock(envelope, password)?;
        if *vault.master_key().to_bytes() != *self.vault.master_key().to_bytes() {
            return Err(KeyringError::BadRequest(
                "that envelope belongs to another vault".into(),
            ));
        }
        Ok(())
    }

    /// The private key of one of our security keys.
    fn private_key_of(&self, key: &SecurityKey) -> Result<PrivateKey, KeyringError> {
        let scalar = match &key.transfer.imported_key {
            Some(imported) => CredentialKey::from_bytes(&imported.0.0)?.to_bytes(),
            None => {
                let hash: [u8; 32] =
                    key.record.rp_id_hash.0.as_slice().try_into().map_err(|_| {
                        KeyringError::Contents("a security key has a malformed RP ID hash".into())
                    })?;
                self.key_handles
                    .unwrap(&key.record.id.0, &hash)
                    .ok_or_else(|| {
                        KeyringError::Contents(format!(
                            "the key of \"{}\" does not open with this vault's key",
                            key.label
                        ))
                    })?
                    .to_bytes()
            }
        };
        PrivateKey::from_scalar(scalar.as_slice()).map_err(KeyringError::Contents)
    }

    fn passkey_item(&self, key: &SecurityKey, copy: bool) -> Result<PasskeyItem, KeyringError> {
        Ok(PasskeyItem {
            credential_id: key.record.id.0.clone(),
            rp_id: key.record.rp_id.clone(),
            rp_id_hash: key.record.rp_id_hash.0.clone(),
            user: key.record.user.as_ref().map(|u| PasskeyUser {
                id: u.id.0.clone(),
                name: u.name.clone(),
                display_name: u.display_name.clone(),
            }),
            private_key: self.private_key_of(key)?,
            // The stored value is a ceiling at or above every counter given to a site, so the
            // importing vault continues above anything the relying party has seen.
            sign_count: key.record.sign_count,
            discoverable: key.record.discoverable,
            backup_eligible: key.record.backup_eligible,
            label: key.label.clone(),
            aws: key.aws.clone(),
            created_ms: key.created_ms,
            made_with_u2f: key.made_with_u2f,
            clock_counter: copy || key.transfer.clock_counter,
        })
    }

    /// Everything exportable: the TOTP entries and, unless `keys` is [`KeyExport::Omit`], the
    /// security keys that still sign here.
    pub fn export_model(&self, keys: KeyExport, now_ms: u64) -> Result<Backup, KeyringError> {
        let security_keys = match keys {
            KeyExport::Omit => Vec::new(),
            KeyExport::Move | KeyExport::Copy => self
                .contents
                .security_keys
                .iter()
                .filter(|k| k.transfer.signs_here())
                .map(|k| self.passkey_item(k, keys == KeyExport::Copy))
                .collect::<Result<_, _>>()?,
        };
        Ok(Backup {
            created_ms: now_ms,
            totp: self.contents.totp.iter().map(totp_item).collect(),
            security_keys,
            skipped: Vec::new(),
        })
    }

    /// Records in this vault what exporting `exported` with `keys` means: moved keys stop
    /// signing, copied keys count by the clock. `None` when nothing changes.
    pub fn mark_exported(
        &mut self,
        exported: &Backup,
        keys: KeyExport,
        now_ms: u64,
    ) -> Result<Option<Vec<u8>>, KeyringError> {
        if keys == KeyExport::Omit || exported.security_keys.is_empty() {
            return Ok(None);
        }
        self.commit(|me| {
            for item in &exported.security_keys {
                let key = me
                    .contents
                    .security_keys
                    .iter_mut()
                    .find(|k| k.record.id.0 == item.credential_id)
                    .ok_or_else(|| {
                        KeyringError::NotFound(softkey_webauthn::b64::encode(&item.credential_id))
                    })?;
                match keys {
                    KeyExport::Move => key.transfer.moved_ms = Some(now_ms),
                    KeyExport::Copy => key.transfer.clock_counter = true,
                    KeyExport::Omit => {}
                }
            }
            Ok(())
        })
        .map(|((), envelope)| Some(envelope))
    }

    /// The encrypted backup (see `docs/backup-format.md`) under `backup_password`, and the new
    /// vault envelope to store when the export moved or copied security keys.
    pub fn export_backup(
        &mut self,
        backup_password: &[u8],
        keys: KeyExport,
        params: KdfParams,
        now_ms: u64,
    ) -> Result<(Vec<u8>, Option<Vec<u8>>), KeyringError> {
        let model = self.export_model(keys, now_ms)?;
        let file = softkey_formats::backup::seal(&model, backup_password, params, &mut self.rng)?;
        let envelope = self.mark_exported(&model, keys, now_ms)?;
        Ok((file, envelope))
    }

    /// Writes `format` (see [`ExportFormat`]); `password` seals the encrypted ones. Returns the
    /// files and, when security keys were moved or copied, the envelope to store.
    pub fn export(
        &mut self,
        format: ExportFormat,
        keys: KeyExport,
        password: Option<&[u8]>,
        now_ms: u64,
    ) -> Result<(Vec<ExportedFile>, Option<Vec<u8>>), KeyringError> {
        let keys = match format {
            ExportFormat::Backup | ExportFormat::Bitwarden => keys,
            _ => KeyExport::Omit,
        };
        let need_password = || {
            password
                .filter(|p| !p.is_empty())
                .ok_or_else(|| KeyringError::BadRequest("this export needs a password".into()))
        };
        let model = self.export_model(keys, now_ms)?;
        let text = |name: &str, mime: &'static str, body: &str| ExportedFile {
            name: name.into(),
            mime,
            bytes: Zeroizing::new(body.as_bytes().to_vec()),
        };
        let files = match format {
            ExportFormat::Backup => {
                let file = softkey_formats::backup::seal(
                    &model,
                    need_password()?,
                    KdfParams::DEFAULT,
                    &mut self.rng,
                )?;
                vec![ExportedFile {
                    name: "softkey-backup.skbackup".into(),
                    mime: "application/octet-stream",
                    bytes: Zeroizing::new(file),
                }]
            }
            ExportFormat::Otpauth => vec![text(
                "softkey-otpauth.txt",
                "text/plain",
                &otpauth_list::write(&model.totp),
            )],
            ExportFormat::GoogleMigration => {
                let mut id = [0u8; 4];
                rand_core::Rng::fill_bytes(&mut self.rng, &mut id);
                let batch_id = i32::from_le_bytes(id) & i32::MAX;
                google::write(&model.totp, batch_id)?
                    .iter()
                    .enumerate()
                    .map(|(i, uri)| {
                        text(
                            &format!("google-migration-{}.txt", i + 1),
                            "text/plain",
                            uri,
                        )
                    })
                    .collect()
            }
            ExportFormat::AegisPlain => vec![text(
                "aegis-export-plain.json",
                "application/json",
                &aegis::write_plain(&model.totp, &mut self.rng)?,
            )],
            ExportFormat::AegisEncrypted => vec![text(
                "aegis-export.json",
                "application/json",
                &aegis::write_encrypted(&model.totp, need_password()?, &mut self.rng)?,
            )],
            ExportFormat::Bitwarden => vec![text(
                "bitwarden-export.json",
                "application/json",
                &bitwarden::write(&model.totp, &model.security_keys, now_ms, &mut self.rng)?,
            )],
        };
        let envelope = self.mark_exported(&model, keys, now_ms)?;
        Ok((files, envelope))
    }

    /// Recognises and reads a file (any supported format) and says what importing it would do.
    pub fn preview_file(
        &self,
        bytes: &[u8],
        password: Option<&[u8]>,
    ) -> Result<FileImport, KeyringError> {
        let (format, model) = softkey_formats::import::read_any(bytes, password)?;
        Ok(FileImport {
            format: format.name(),
            preview: self.preview_import(&model),
        })
    }

    /// Reads a file and imports it; returns what was done and the envelope to store. A file that
    /// does not open leaves the vault as it was.
    pub fn import_file(
        &mut self,
        bytes: &[u8],
        password: Option<&[u8]>,
        now_ms: u64,
    ) -> Result<(FileImport, Vec<u8>), KeyringError> {
        let (format, model) = softkey_formats::import::read_any(bytes, password)?;
        let (preview, envelope) = self.import(&model, now_ms)?;
        Ok((
            FileImport {
                format: format.name(),
                preview,
            },
            envelope,
        ))
    }

    /// What importing `backup` would change, without changing anything.
    pub fn preview_import(&self, backup: &Backup) -> ImportPreview {
        let mut contents = self.contents.clone();
        merge(&mut contents, backup, 0, &self.key_handles)
    }

    /// Merges `backup` into the vault: new TOTP entries and security keys are added, duplicates
    /// skipped, and a security key already here takes the higher counter. Returns what was done
    /// and the envelope to store. On any error the vault is unchanged.
    pub fn import(
        &mut self,
        backup: &Backup,
        now_ms: u64,
    ) -> Result<(ImportPreview, Vec<u8>), KeyringError> {
        self.commit(|me| {
            let mut contents = me.contents.clone();
            let mut ids = Vec::new();
            for _ in &backup.totp {
                let mut id = [0u8; 8];
                rand_core::Rng::fill_bytes(&mut me.rng, &mut id);
                ids.push(id.iter().map(|b| format!("{b:02x}")).collect::<String>());
            }
            let preview = merge_with_ids(&mut contents, backup, now_ms, &me.key_handles, ids);
            me.contents = contents;
            Ok(preview)
        })
    }
}

fn merge(
    contents: &mut VaultContents,
    backup: &Backup,
    now_ms: u64,
    key_handles: &softkey_webauthn::KeyHandleKey,
) -> ImportPreview {
    let ids = (0..backup.totp.len())
        .map(|i| format!("preview-{i}"))
        .collect();
    merge_with_ids(contents, backup, now_ms, key_handles, ids)
}

fn merge_with_ids(
    contents: &mut VaultContents,
    backup: &Backup,
    now_ms: u64,
    key_handles: &softkey_webauthn::KeyHandleKey,
    ids: Vec<String>,
) -> ImportPreview {
    let mut preview = ImportPreview::default();
    // Entries the reader left out (kinds SoftKey does not support) are listed with the others.
    for skipped in &backup.skipped {
        preview
            .totp_skipped
            .push((skipped.label.clone(), skipped.why.clone()));
    }
    for (item, id) in backup.totp.iter().zip(ids) {
        let label = if item.label.trim().is_empty() {
            item.otp.account.clone()
        } else {
            item.label.trim().to_owned()
        };
        if matches!(item.otp.kind, OtpKind::Hotp { .. }) {
            preview.totp_skipped.push((
                label,
                "counter-based (HOTP) codes are not kept: SoftKey keeps time-based codes".into(),
            ));
            continue;
        }
        if contents
            .totp
            .iter()
            .any(|e| e.otp.secret == item.otp.secret && e.otp.account == item.otp.account)
        {
            preview.totp_duplicates.push(label);
            continue;
        }
        if contents
            .totp
            .iter()
            .any(|e| e.otp.issuer == item.otp.issuer && e.otp.account == item.otp.account)
        {
            preview.totp_conflicts.push(label.clone());
        }
        contents.totp.push(TotpEntry {
            id,
            otp: item.otp.clone(),
            label: label.clone(),
            aws: item.aws.clone(),
            created_ms: if item.created_ms == 0 {
                now_ms
            } else {
                item.created_ms
            },
            unconfirmed: false,
        });
        preview.totp_added.push(label);
    }
    for item in &backup.security_keys {
        let label = if item.label.is_empty() {
            item.rp_id.clone()
        } else {
            item.label.clone()
        };
        if let Some(key) = contents
            .security_keys
            .iter_mut()
            .find(|k| k.record.id.0 == item.credential_id)
        {
            let returns = !key.transfer.signs_here();
            if item.sign_count > key.record.sign_count || returns {
                preview.keys_updated.push(KeyUpdate {
                    label,
                    from: key.record.sign_count,
                    to: item.sign_count.max(key.record.sign_count),
                    returns,
                });
                key.record.sign_count = item.sign_count.max(key.record.sign_count);
                // The memory-only last value must not hold the counter below the new ceiling.
                key.issued_count = None;
                key.transfer.moved_ms = None;
                key.transfer.clock_counter |= item.clock_counter;
            } else {
                preview.keys_unchanged.push(label);
            }
            continue;
        }
        let Ok(hash) = <[u8; 32]>::try_from(item.rp_id_hash.as_slice()) else {
            preview
                .keys_skipped
                .push((label, "its RP ID hash is not 32 bytes".into()));
            continue;
        };
        // A key this vault made (deleted, then restored from a backup) opens from its handle;
        // any other needs its private key kept.
        let native = key_handles.unwrap(&item.credential_id, &hash).is_some();
        let imported_key =
            (!native).then(|| ImportedKey(Base64Url(item.private_key.scalar().to_vec())));
        contents.security_keys.push(SecurityKey {
            record: CredentialRecord {
                id: Base64Url(item.credential_id.clone()),
                rp_id: item.rp_id.clone(),
                rp_id_hash: Base64Url(item.rp_id_hash.clone()),
                user: item.user.as_ref().map(|u| UserEntity {
                    id: Base64Url(u.id.clone()),
                    name: u.name.clone(),
                    display_name: u.display_name.clone(),
                }),
                discoverable: item.discoverable,
                sign_count: item.sign_count,
                backup_eligible: item.backup_eligible,
            },
            label: label.clone(),
            aws: item.aws.clone(),
            created_ms: if item.created_ms == 0 {
                now_ms
            } else {
                item.created_ms
            },
            last_used_ms: None,
            ask_before_sign_in: false,
            made_with_u2f: item.made_with_u2f,
            transfer: KeyTransfer {
                imported_key,
                moved_ms: None,
                clock_counter: item.clock_counter,
            },
            issued_count: None,
        });
        preview.keys_added.push(label);
    }
    preview
}

#[cfg(test)]
mod tests;
