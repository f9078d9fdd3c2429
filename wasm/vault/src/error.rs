use core::fmt;

/// Which Argon2 parameter a [`VaultError::KdfParamsOutOfBounds`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KdfParam {
    /// Memory cost `m`, in KiB.
    Memory,
    /// Time cost `t` (passes over memory).
    Iterations,
    /// Parallelism `p` (lanes).
    Parallelism,
}

/// Everything that can go wrong creating, opening or resealing a vault.
///
/// The `Display` text is meant to be shown to the user as is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VaultError {
    /// The bytes do not start with the vault magic: this is not a vault at all.
    NotAVault,
    /// The bytes start like a vault but are too short to be one.
    Truncated,
    /// The checksum does not match: the vault was damaged in storage or transit.
    Corrupted,
    /// A format version this build cannot read.
    UnsupportedVersion {
        /// The version byte found in the vault.
        version: u8,
    },
    /// A key-derivation function this build does not know.
    UnsupportedKdf {
        /// The KDF id byte found in the vault.
        kdf_id: u8,
    },
    /// Argon2 parameters outside [`KdfParams::MIN`](crate::KdfParams::MIN) ..=
    /// [`KdfParams::MAX`](crate::KdfParams::MAX), refused before any key derivation runs. Reported
    /// for the first offending parameter (memory, then iterations, then parallelism).
    KdfParamsOutOfBounds {
        /// The offending parameter.
        param: KdfParam,
        /// Its value.
        value: u32,
        /// The smallest value allowed.
        min: u32,
        /// The largest value allowed.
        max: u32,
    },
    /// The password does not unwrap the master key. Also what a header altered by someone who
    /// fixed the checksum looks like: the two cannot be told apart.
    WrongPassword,
    /// The master key unwrapped, but the data failed authentication: it was altered after being
    /// written (the checksum was recomputed, so this was not accidental damage).
    Tampered,
    /// [`UnlockedVault::resume`](crate::UnlockedVault::resume) was given a master key that does not
    /// decrypt this vault: the vault was replaced since the key was saved, or altered.
    MasterKeyRejected,
    /// An empty password was offered for a new vault or as a new password.
    EmptyPassword,
    /// The plaintext or ciphertext is larger than AES-GCM allows or than memory permits.
    TooLarge,
    /// Argon2id could not run, most likely because the memory it needs could not be allocated.
    KdfFailed,
    /// The random number generator failed.
    RandomnessUnavailable,
}

impl fmt::Display for VaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAVault => f.write_str("this is not a SoftKey vault"),
            Self::Truncated => {
                f.write_str("the vault data is incomplete (it was cut short); nothing was changed")
            }
            Self::Corrupted => {
                f.write_str("the vault data is damaged (checksum mismatch); nothing was changed")
            }
            Self::UnsupportedVersion { version } if *version > crate::FORMAT_VERSION => write!(
                f,
                "this vault was written by a newer version (format {version}); \
                 update the extension to open it"
            ),
            Self::UnsupportedVersion { version } => {
                write!(f, "this vault uses an unknown format ({version})")
            }
            Self::UnsupportedKdf { kdf_id } => write!(
                f,
                "this vault uses an unknown password-hashing method ({kdf_id}); \
                 it may have been written by a newer version"
            ),
            Self::KdfParamsOutOfBounds {
                param,
                value,
                min,
                max,
            } => {
                let (what, too_high) = (param_noun(*param), value > max);
                let limit = if too_high { max } else { min };
                let (v, l) = (Amount(*param, *value), Amount(*param, *limit));
                let (asks, bound, rule) = if too_high {
                    ("asks for", "at most", "allowed")
                } else {
                    ("asks for only", "at least", "required")
                };
                write!(
                    f,
                    "the vault {asks} {v} {what} to unlock; {bound} {l} is {rule}, \
                     so it was refused"
                )
            }
            Self::WrongPassword => f.write_str("wrong password"),
            Self::Tampered => f.write_str(
                "the vault was modified by something other than this extension \
                 (its contents failed authentication); it was not opened and nothing was changed",
            ),
            Self::MasterKeyRejected => f.write_str(
                "the saved unlock key no longer opens this vault; unlock it with the password",
            ),
            Self::EmptyPassword => f.write_str("the password must not be empty"),
            Self::TooLarge => f.write_str("the vault is too large"),
            Self::KdfFailed => f.write_str(
                "the password could not be processed (not enough memory?); nothing was changed",
            ),
            Self::RandomnessUnavailable => {
                f.write_str("the system's random number generator failed; nothing was changed")
            }
        }
    }
}

impl core::error::Error for VaultError {}

fn param_noun(param: KdfParam) -> &'static str {
    match param {
        KdfParam::Memory => "of memory",
        KdfParam::Iterations => "passes of password hashing",
        KdfParam::Parallelism => "parallel lanes of password hashing",
    }
}

/// Shows memory in MiB when it is a whole number of MiB (as people think of it), else in KiB.
struct Amount(KdfParam, u32);

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Amount(KdfParam::Memory, kib) if kib.is_multiple_of(1024) => {
                write!(f, "{} MiB", kib / 1024)
            }
            Amount(KdfParam::Memory, kib) => write!(f, "{kib} KiB"),
            Amount(_, n) => write!(f, "{n}"),
        }
    }
}
