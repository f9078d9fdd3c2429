//! The one error type of this crate.

use core::fmt;

/// Why a file could not be read or written. Each variant names one problem, so the UI can say
/// "wrong password" rather than "could not import"; [`FormatError::kind`] is a stable name for
/// code to branch on. Messages never contain secret material.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormatError {
    /// The file is larger than the reader accepts.
    TooLarge {
        /// Format being read.
        format: &'static str,
        /// Size found (or declared), in bytes.
        size: usize,
        /// Largest accepted.
        max: usize,
    },
    /// More entries than the reader accepts.
    TooManyEntries {
        /// Format being read.
        format: &'static str,
        /// Entries found.
        count: usize,
        /// Most accepted.
        max: usize,
    },
    /// The input is not this format at all (wrong magic, not JSON, wrong top-level shape).
    NotThisFormat {
        /// Format expected.
        format: &'static str,
        /// What gave it away.
        why: String,
    },
    /// The file ends before its own header says it should.
    Truncated {
        /// Format being read.
        format: &'static str,
        /// Bytes present.
        found: usize,
        /// Bytes the header promises.
        expected: usize,
    },
    /// The bytes were damaged (checksum mismatch, trailing bytes, undecodable fields).
    Corrupted {
        /// Format being read.
        format: &'static str,
        /// What is damaged.
        why: String,
    },
    /// A version this reader does not know.
    UnsupportedVersion {
        /// Format being read.
        format: &'static str,
        /// Version found.
        version: u64,
    },
    /// A key-derivation function this reader does not know.
    UnsupportedKdf {
        /// Format being read.
        format: &'static str,
        /// What the file names.
        kdf: String,
    },
    /// The file asks for a KDF cost outside the accepted bounds (too weak to be safe, or so
    /// expensive that opening it would exhaust memory or time).
    KdfParamsOutOfBounds {
        /// Format being read.
        format: &'static str,
        /// Which parameter.
        param: &'static str,
        /// Value found.
        value: u64,
        /// Smallest accepted.
        min: u64,
        /// Largest accepted.
        max: u64,
    },
    /// The password does not open the file (the file itself is intact).
    WrongPassword {
        /// Format being read.
        format: &'static str,
    },
    /// The file is encrypted and no password was given.
    PasswordRequired {
        /// Format being read.
        format: &'static str,
    },
    /// A valid file using a feature this reader does not support.
    Unsupported {
        /// Format being read.
        format: &'static str,
        /// The feature.
        what: String,
    },
    /// One entry is invalid; the others are not imported either, so nothing is half-done.
    InvalidEntry {
        /// Format being read.
        format: &'static str,
        /// 1-based position of the entry in the file.
        index: usize,
        /// What is wrong.
        why: String,
    },
    /// Writing failed (an entry cannot be expressed in the format).
    CannotExport {
        /// Format being written.
        format: &'static str,
        /// Why.
        why: String,
    },
}

impl FormatError {
    /// A stable name for code to branch on.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "TooLarge",
            Self::TooManyEntries { .. } => "TooManyEntries",
            Self::NotThisFormat { .. } => "NotThisFormat",
            Self::Truncated { .. } => "Truncated",
            Self::Corrupted { .. } => "Corrupted",
            Self::UnsupportedVersion { .. } => "UnsupportedVersion",
            Self::UnsupportedKdf { .. } => "UnsupportedKdf",
            Self::KdfParamsOutOfBounds { .. } => "KdfParamsOutOfBounds",
            Self::WrongPassword { .. } => "WrongPassword",
            Self::PasswordRequired { .. } => "PasswordRequired",
            Self::Unsupported { .. } => "Unsupported",
            Self::InvalidEntry { .. } => "InvalidEntry",
            Self::CannotExport { .. } => "CannotExport",
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { format, size, max } => write!(
                f,
                "this {format} file is too large: {size} bytes, the most accepted is {max}"
            ),
            Self::TooManyEntries { format, count, max } => write!(
                f,
                "this {format} file has too many entries: {count}, the most accepted is {max}"
            ),
            Self::NotThisFormat { format, why } => write!(f, "this is not a {format} file: {why}"),
            Self::Truncated {
                format,
                found,
                expected,
            } => write!(
                f,
                "this {format} file is truncated: {found} bytes of the {expected} it should have"
            ),
            Self::Corrupted { format, why } => {
                write!(f, "this {format} file is damaged: {why}")
            }
            Self::UnsupportedVersion { format, version } => write!(
                f,
                "this {format} file is version {version}, which this version of SoftKey cannot read"
            ),
            Self::UnsupportedKdf { format, kdf } => write!(
                f,
                "this {format} file uses the key derivation \"{kdf}\", which SoftKey does not support"
            ),
            Self::KdfParamsOutOfBounds {
                format,
                param,
                value,
                min,
                max,
            } => write!(
                f,
                "this {format} file asks for an unreasonable key-derivation cost: {param} is {value}, \
                 accepted is {min} to {max}"
            ),
            Self::WrongPassword { format } => {
                write!(f, "wrong password for this {format} file")
            }
            Self::PasswordRequired { format } => {
                write!(f, "this {format} file is encrypted: a password is needed")
            }
            Self::Unsupported { format, what } => {
                write!(
                    f,
                    "this {format} file uses {what}, which SoftKey does not support"
                )
            }
            Self::InvalidEntry { format, index, why } => {
                write!(f, "entry {index} of this {format} file is invalid: {why}")
            }
            Self::CannotExport { format, why } => write!(f, "cannot write {format}: {why}"),
        }
    }
}

impl std::error::Error for FormatError {}
