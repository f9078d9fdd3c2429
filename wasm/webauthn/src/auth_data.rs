//! Authenticator data (WebAuthn §6.1): what the authenticator signs besides the client data.

/// The flags byte of authenticator data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags(pub u8);

impl Flags {
    /// User present.
    pub const UP: u8 = 0x01;
    /// User verified.
    pub const UV: u8 = 0x04;
    /// Backup eligible.
    pub const BE: u8 = 0x08;
    /// Backed up.
    pub const BS: u8 = 0x10;
    /// Attested credential data included.
    pub const AT: u8 = 0x40;
    /// Extension data included.
    pub const ED: u8 = 0x80;

    /// Whether every bit of `mask` is set.
    pub fn has(self, mask: u8) -> bool {
        self.0 & mask == mask
    }
}

/// The credential part of authenticator data at registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestedCredentialData {
    /// The authenticator model's AAGUID.
    pub aaguid: [u8; 16],
    /// The credential ID (our key handle).
    pub credential_id: Vec<u8>,
    /// The credential public key as a COSE_Key in canonical CBOR.
    pub public_key_cose: Vec<u8>,
}

/// Authenticator data, built field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatorData {
    /// SHA-256 of the RP ID (or of the AppID for U2F-era credentials).
    pub rp_id_hash: [u8; 32],
    /// UP/UV/BE/BS; AT and ED are derived from the fields below when encoding.
    pub flags: Flags,
    /// The signature counter.
    pub sign_count: u32,
    /// Present at registration only.
    pub attested_credential: Option<AttestedCredentialData>,
    /// Authenticator extension outputs, already CBOR-encoded.
    pub extensions: Option<Vec<u8>>,
}

impl AuthenticatorData {
    /// The byte layout of §6.1: rpIdHash ‖ flags ‖ signCount (big-endian) ‖ attestedCredentialData ‖ extensions.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut flags = self.flags.0 & !(Flags::AT | Flags::ED);
        if self.attested_credential.is_some() {
            flags |= Flags::AT;
        }
        if self.extensions.is_some() {
            flags |= Flags::ED;
        }
        let mut out = Vec::with_capacity(37 + 128);
        out.extend_from_slice(&self.rp_id_hash);
        out.push(flags);
        out.extend_from_slice(&self.sign_count.to_be_bytes());
        if let Some(acd) = &self.attested_credential {
            out.extend_from_slice(&acd.aaguid);
            // Credential IDs are at most 1023 bytes (§6.5.1), so the length fits in u16.
            let len = u16::try_from(acd.credential_id.len()).unwrap_or(u16::MAX);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&acd.credential_id);
            out.extend_from_slice(&acd.public_key_cose);
        }
        if let Some(ext) = &self.extensions {
            out.extend_from_slice(ext);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assertion_layout_is_37_bytes_with_big_endian_counter() {
        let ad = AuthenticatorData {
            rp_id_hash: [7; 32],
            flags: Flags(Flags::UP | Flags::AT),
            sign_count: 0x0102_0304,
            attested_credential: None,
            extensions: None,
        };
        let bytes = ad.to_bytes();
        assert_eq!(bytes.len(), 37);
        assert_eq!(
            bytes[32],
            Flags::UP,
            "AT is cleared when no credential data is present"
        );
        assert_eq!(&bytes[33..], &[1, 2, 3, 4]);
    }

    #[test]
    fn registration_layout_carries_credential_and_sets_at() {
        let ad = AuthenticatorData {
            rp_id_hash: [0; 32],
            flags: Flags(Flags::UP),
            sign_count: 0,
            attested_credential: Some(AttestedCredentialData {
                aaguid: [9; 16],
                credential_id: vec![0xaa; 300],
                public_key_cose: vec![0xa5],
            }),
            extensions: None,
        };
        let bytes = ad.to_bytes();
        assert_eq!(bytes[32], Flags::UP | Flags::AT);
        assert_eq!(&bytes[37..53], &[9; 16]);
        assert_eq!(&bytes[53..55], &300u16.to_be_bytes());
        assert_eq!(bytes.len(), 55 + 300 + 1);
    }
}
