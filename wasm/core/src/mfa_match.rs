//! Which TOTP entries may answer an MFA prompt: the sign-in page shows an AWS account (ID or
//! alias) and a user, or Amazon.com knows an e-mail address; the vault's entries carry the same
//! facts in their `otpauth` label (`Amazon Web Services:alice@123456789012`, `Amazon:bob@example.com`)
//! and in the AWS context recorded when they were added. Both are used.
//!
//! The result is the best group of candidates, never a guess across groups: an entry that names
//! another account, another user or another e-mail is never offered.

use serde::Deserialize;

use crate::contents::TotpEntry;
use softkey_otp::OtpKind;

/// Longest value of any query field that is still considered (longer ones are ignored).
const MAX_FIELD: usize = 256;

/// Where the prompt is (decided from the browser-reported URL and the site table, never by the
/// page).
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MfaSite {
    /// An AWS sign-in host of any partition (IAM and root users).
    #[default]
    Aws,
    /// Amazon.com's login pages (`www.amazon.com/ap/`) for Amazon.com's own two-step
    /// verification: only Amazon.com entries answer there.
    Amazon,
    /// Amazon.com's login pages in the AWS root user's older flow (they return to AWS): AWS
    /// entries answer there, not Amazon.com's.
    AmazonAwsRoot,
    /// IAM Identity Center or AWS Builder ID sign-in: only entries of a directory answer.
    IdentityCenter,
}

/// What the page shows about who is signing in (every field optional, as read from the page),
/// plus the entry the user chose earlier for the same account and user, if any.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MfaQuery {
    /// The site of the prompt (from the browser, not the page).
    pub site: MfaSite,
    /// AWS account ID (with or without dashes) or alias.
    pub account: Option<String>,
    /// IAM user name (a root user's e-mail is accepted here too).
    pub user: Option<String>,
    /// The e-mail address signing in (Amazon.com, AWS root user).
    pub email: Option<String>,
    /// The Identity Center directory (`d-…`) or portal alias of the sign-in, from its URL.
    pub directory: Option<String>,
    /// Entry id the user picked before for this account and user.
    pub remembered: Option<String>,
    /// The prompt's URL as the browser reports it. When given, it alone decides `site` and
    /// `directory` (see [`MfaQuery::resolve`]): the page's own claims never do.
    pub url: Option<String>,
    /// The content script saw this Amazon.com sign-in start from AWS (its return address is an
    /// AWS sign-in page): the AWS root user's older flow.
    pub aws_root_flow: bool,
}

impl MfaQuery {
    /// Fixes `site` and `directory` from `url` through the site table; a per-account sign-in
    /// host (`123456789012.signin.aws.amazon.com`) also names the account when the page did not.
    /// `None` when the URL is not a surface where codes are filled: nothing may answer there.
    pub fn resolve(mut self) -> Option<Self> {
        let Some(url) = self.url.as_deref() else {
            return Some(self);
        };
        let found = crate::sites::surface_of(url)?;
        if !found.surface.caps.fill {
            return None;
        }
        use crate::sites::SurfaceKind as K;
        self.site = match found.surface.kind {
            K::AmazonLogin if self.aws_root_flow => MfaSite::AmazonAwsRoot,
            K::AmazonLogin | K::AmazonSetup => MfaSite::Amazon,
            K::IdentityCenterPortal | K::IdentityCenterSignin | K::BuilderIdProfile => {
                MfaSite::IdentityCenter
            }
            K::AwsSignin | K::Console => MfaSite::Aws,
        };
        self.directory = found.directory;
        if self.site == MfaSite::Aws && self.account.is_none() {
            self.account = found.account;
        }
        Some(self)
    }

    /// What keys the user's choice among several entries for this prompt (SHA-256, hex, so the
    /// stored map names no account, user or e-mail): the site (with its directory), the
    /// account's digits, the user and the e-mail, case-folded. The AWS and Amazon.com keys are
    /// the ones earlier versions computed, so their remembered choices still count.
    /// `None` when the URL is not a surface where codes are filled.
    pub fn choice_key(&self) -> Option<String> {
        use sha2::{Digest, Sha256};
        let q = self.clone().resolve()?;
        let norm = |v: Option<&str>| v.map(str::trim).unwrap_or("").to_ascii_lowercase();
        let site = match q.site {
            MfaSite::Aws => "aws".to_owned(),
            MfaSite::Amazon => "amazon".to_owned(),
            MfaSite::AmazonAwsRoot => "amazonAwsRoot".to_owned(),
            MfaSite::IdentityCenter => format!("identityCenter/{}", norm(q.directory.as_deref())),
        };
        let account: String = norm(q.account.as_deref())
            .chars()
            .filter(|c| *c != '-' && !c.is_whitespace())
            .collect();
        let text = [
            "softkey-mfa-choice",
            &site,
            &account,
            &norm(q.user.as_deref()),
            &norm(q.email.as_deref()),
        ]
        .join("\n");
        let digest = Sha256::digest(text.as_bytes());
        Some(digest.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// An AWS account as written on a page or in a label.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AccountRef {
    /// 12 digits.
    Id(String),
    /// An account alias (lower case).
    Alias(String),
}

impl AccountRef {
    fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() || text.len() > MAX_FIELD {
            return None;
        }
        let digits: String = text.chars().filter(|c| *c != '-' && *c != ' ').collect();
        if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Self::Id(digits));
        }
        let alias = text.to_ascii_lowercase();
        let bytes = alias.as_bytes();
        let shaped = (3..=63).contains(&bytes.len())
            && bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            && bytes.first() != Some(&b'-')
            && bytes.last() != Some(&b'-');
        shaped.then_some(Self::Alias(alias))
    }

    fn same_kind(&self, other: &Self) -> bool {
        matches!(
            (self, other),
            (Self::Id(_), Self::Id(_)) | (Self::Alias(_), Self::Alias(_))
        )
    }
}

/// How an entry relates to one fact of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    /// Both name it and agree.
    Same,
    /// Only a weak hint agrees (the device name equals the user name).
    Weak,
    /// Both name it and disagree: never a candidate.
    Different,
    /// One side does not say.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An IAM or root user's device.
    Aws,
    /// Amazon.com's own two-step verification.
    Amazon,
    /// An IAM Identity Center or Builder ID user's device.
    IdentityCenter,
}

/// An Identity Center directory as a URL or label names it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DirectoryRef {
    /// `d-` and ten letters or digits.
    Id(String),
    /// An access-portal alias (`my-company` of `my-company.awsapps.com`).
    Alias(String),
}

impl DirectoryRef {
    fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        let b = text.as_bytes();
        if b.is_empty()
            || b.len() > 63
            || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            return None;
        }
        let id =
            b.len() == 12 && text.starts_with("d-") && b[2..].iter().all(u8::is_ascii_alphanumeric);
        Some(if id {
            Self::Id(text)
        } else {
            Self::Alias(text)
        })
    }

    fn same_kind(&self, other: &Self) -> bool {
        matches!(
            (self, other),
            (Self::Id(_), Self::Id(_)) | (Self::Alias(_), Self::Alias(_))
        )
    }
}

/// What an entry says about itself.
#[derive(Debug, Default)]
struct Facts {
    accounts: Vec<AccountRef>,
    users: Vec<String>,
    device: Option<String>,
    emails: Vec<String>,
    directories: Vec<DirectoryRef>,
}

// ASCII case folding only: IAM user names, account aliases and ARNs are ASCII, and full Unicode
// lowercasing would put ~18 KB of case tables into the wasm for e-mail local parts alone.
fn clean(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= MAX_FIELD)
        .map(str::to_ascii_lowercase)
}

fn is_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.'),
        None => false,
    }
}

/// `arn:<partition>:iam::123456789012:<resource>` → account and, for `user/...`, `mfa/...`
/// with a user path or `u2f/user/...`, the user name. Only the partitions AWS has (commercial,
/// GovCloud, China, European Sovereign Cloud).
fn parse_arn(arn: &str) -> (Option<AccountRef>, Option<String>) {
    let mut parts = arn.trim().splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(_region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return (None, None);
    };
    if crate::sites::Partition::from_arn_name(partition).is_none() {
        return (None, None);
    }
    let account = AccountRef::parse(account).filter(|a| matches!(a, AccountRef::Id(_)));
    let user = resource
        .strip_prefix("user/")
        .or_else(|| {
            resource
                .strip_prefix("u2f/user/")
                .and_then(|p| p.rsplit_once('/').map(|(u, _)| u))
        })
        .and_then(|path| path.rsplit('/').next())
        .filter(|u| !u.is_empty())
        .map(str::to_ascii_lowercase);
    (account, user)
}

fn kind_and_facts(entry: &TotpEntry) -> Option<(Kind, Facts)> {
    if !matches!(entry.otp.kind, OtpKind::Totp { .. }) {
        return None;
    }
    let issuer = entry.otp.issuer.as_deref().map(str::trim).unwrap_or("");
    let amazon = issuer.eq_ignore_ascii_case("amazon");
    let aws_issuer = issuer.eq_ignore_ascii_case("amazon web services");
    let mut facts = Facts::default();
    if let Some(directory) = entry.aws.directory.as_deref().and_then(DirectoryRef::parse) {
        // An Identity Center user: a directory and a user name, no account of its own.
        facts.directories.push(directory);
        // Builder ID users sign in with an e-mail address, Identity Center users with a name.
        if let Some(user) = clean(entry.aws.user.as_deref()) {
            if is_email(&user) {
                facts.emails.push(user);
            } else {
                facts.users.push(user);
            }
        }
        let label = entry.otp.account.trim();
        if is_email(label) {
            facts.emails.push(label.to_ascii_lowercase());
        }
        facts.device = clean(Some(entry.otp.account.trim()));
        return Some((Kind::IdentityCenter, facts));
    }

    let label_account = entry.otp.account.trim();
    if amazon {
        if is_email(label_account) {
            facts.emails.push(label_account.to_ascii_lowercase());
        }
    } else if issuer.is_empty() || aws_issuer {
        match label_account.rsplit_once('@') {
            Some((device, account)) => {
                if let Some(account) = AccountRef::parse(account) {
                    facts.accounts.push(account);
                    facts.device = clean(Some(device));
                } else if aws_issuer && is_email(label_account) {
                    facts.emails.push(label_account.to_ascii_lowercase());
                }
            }
            None if aws_issuer => facts.device = clean(Some(label_account)),
            None => {}
        }
    }

    if let Some(account) = entry.aws.account.as_deref().and_then(AccountRef::parse) {
        facts.accounts.push(account);
    }
    if let Some(user) = clean(entry.aws.user.as_deref()) {
        if is_email(&user) {
            facts.emails.push(user);
        } else {
            facts.users.push(user);
        }
    }
    let has_arn = if let Some(arn) = entry.aws.arn.as_deref() {
        let (account, user) = parse_arn(arn);
        facts.accounts.extend(account);
        facts.users.extend(user);
        true
    } else {
        false
    };

    let kind = if amazon {
        Kind::Amazon
    } else if aws_issuer
        || has_arn
        || !facts.accounts.is_empty()
        || entry.aws.user.is_some()
        || entry.aws.account.is_some()
    {
        Kind::Aws
    } else {
        return None;
    };
    Some((kind, facts))
}

fn account_rel(query: Option<&AccountRef>, entry: &[AccountRef]) -> Rel {
    let Some(query) = query else {
        return Rel::Unknown;
    };
    if entry.contains(query) {
        Rel::Same
    } else if entry.iter().any(|a| a.same_kind(query)) {
        Rel::Different
    } else {
        // An alias on the page and an ID in the entry (or the reverse): cannot tell.
        Rel::Unknown
    }
}

fn user_rel(query: Option<&str>, facts: &Facts) -> Rel {
    let Some(query) = query else {
        return Rel::Unknown;
    };
    if !facts.users.is_empty() {
        if facts.users.iter().any(|u| u == query) {
            Rel::Same
        } else {
            Rel::Different
        }
    } else if facts.device.as_deref() == Some(query) {
        Rel::Weak
    } else {
        Rel::Unknown
    }
}

fn directory_rel(query: Option<&DirectoryRef>, entry: &[DirectoryRef]) -> Rel {
    let Some(query) = query else {
        return Rel::Unknown;
    };
    if entry.contains(query) {
        Rel::Same
    } else if entry.iter().any(|d| d.same_kind(query)) {
        Rel::Different
    } else {
        // A directory ID in the URL and a portal alias in the entry: cannot tell.
        Rel::Unknown
    }
}

fn email_rel(query: Option<&str>, facts: &Facts) -> Rel {
    match query {
        None => Rel::Unknown,
        Some(_) if facts.emails.is_empty() => Rel::Unknown,
        Some(q) if facts.emails.iter().any(|e| e == q) => Rel::Same,
        Some(_) => Rel::Different,
    }
}

/// Rank of an entry for the query (lower is better), or `None` when it must not be offered.
fn rank(
    query: &MfaQuery,
    account: Option<&AccountRef>,
    user: Option<&str>,
    email: Option<&str>,
    directory: Option<&DirectoryRef>,
    entry: &TotpEntry,
) -> Option<u8> {
    let (kind, facts) = kind_and_facts(entry)?;
    let account = account_rel(account, &facts.accounts);
    let user = user_rel(user, &facts);
    let email = email_rel(email, &facts);
    let directory = directory_rel(directory, &facts.directories);
    if [account, user, email, directory].contains(&Rel::Different) {
        return None;
    }
    let fits = match (query.site, kind) {
        // Amazon.com's retail prompt takes Amazon.com's own entries only.
        (MfaSite::Amazon, Kind::Amazon) => true,
        (MfaSite::Amazon, _) => false,
        // The AWS root user's flow on Amazon.com's login page takes AWS entries only.
        (MfaSite::AmazonAwsRoot, kind) => kind == Kind::Aws,
        (MfaSite::IdentityCenter, kind) => kind == Kind::IdentityCenter,
        // Amazon.com's own codes are no use on an AWS sign-in page, unless the e-mail says so
        // (a root user whose account still uses Amazon.com's two-step verification); even then
        // an AWS entry of the same e-mail comes first (see the ranks below).
        (MfaSite::Aws, Kind::Amazon) => email == Rel::Same,
        (MfaSite::Aws, Kind::IdentityCenter) => false,
        (MfaSite::Aws, Kind::Aws) => true,
    };
    if !fits {
        return None;
    }
    if kind == Kind::IdentityCenter {
        let person = if email == Rel::Same { Rel::Same } else { user };
        return Some(match (directory, person) {
            (Rel::Same, Rel::Same) => 0,
            (Rel::Same, Rel::Weak) => 1,
            (Rel::Same, _) => 2,
            (_, Rel::Same) => 3,
            _ => 4,
        });
    }
    if kind == Kind::Amazon && query.site == MfaSite::Aws {
        return Some(5);
    }
    Some(match (email, account, user) {
        (Rel::Same, _, _) | (_, Rel::Same, Rel::Same) => 0,
        (_, Rel::Same, Rel::Weak) => 1,
        (_, Rel::Same, _) => 2,
        (_, _, Rel::Same) => 3,
        _ => 4,
    })
}

/// Indices (in vault order) of the entries that may answer `query`: the best-ranked group, or the
/// remembered entry alone when it is still an acceptable candidate. Empty when nothing fits.
pub fn choose(query: &MfaQuery, entries: &[TotpEntry]) -> Vec<usize> {
    let account = query.account.as_deref().and_then(AccountRef::parse);
    let mut user = clean(query.user.as_deref());
    let mut email = clean(query.email.as_deref()).filter(|e| is_email(e));
    // The root user signs in with an e-mail address where an IAM user gives a name.
    if let Some(u) = user.as_deref()
        && is_email(u)
    {
        email.get_or_insert_with(|| u.to_owned());
        user = None;
    }
    let directory = query.directory.as_deref().and_then(DirectoryRef::parse);
    let ranked: Vec<(usize, u8)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            rank(
                query,
                account.as_ref(),
                user.as_deref(),
                email.as_deref(),
                directory.as_ref(),
                e,
            )
            .map(|r| (i, r))
        })
        .collect();
    if let Some(remembered) = query.remembered.as_deref()
        && let Some(&(i, _)) = ranked.iter().find(|(i, _)| entries[*i].id == remembered)
    {
        return vec![i];
    }
    let Some(best) = ranked.iter().map(|(_, r)| *r).min() else {
        return Vec::new();
    };
    ranked
        .into_iter()
        .filter(|(_, r)| *r == best)
        .map(|(i, _)| i)
        .collect()
}

/// Whom an entry's codes are for, as the popup groups them.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "camelCase")]
pub enum Owner {
    /// An AWS account: its 12-digit ID, or its alias when no source names the ID.
    Account(String),
    /// An IAM Identity Center directory (`d-…`) or access-portal alias.
    Directory(String),
}

impl Owner {
    /// The account ID, alias or directory.
    pub fn name(&self) -> &str {
        match self {
            Self::Account(name) | Self::Directory(name) => name,
        }
    }
}

/// The AWS account (an ID before an alias) or Identity Center directory an entry belongs to,
/// from any source that names it; `None` for Amazon.com entries and entries that name none.
pub fn owner_of(entry: &TotpEntry) -> Option<Owner> {
    let (kind, facts) = kind_and_facts(entry)?;
    match kind {
        Kind::Amazon => None,
        Kind::IdentityCenter => facts.directories.first().map(|d| match d {
            DirectoryRef::Id(s) | DirectoryRef::Alias(s) => Owner::Directory(s.clone()),
        }),
        Kind::Aws => {
            let id = facts.accounts.iter().find_map(|a| match a {
                AccountRef::Id(s) => Some(s.clone()),
                AccountRef::Alias(_) => None,
            });
            id.or_else(|| {
                facts.accounts.first().map(|a| match a {
                    AccountRef::Id(s) | AccountRef::Alias(s) => s.clone(),
                })
            })
            .map(Owner::Account)
        }
    }
}

/// What the sign-in page said that `entry` does not know yet, once the user picked it for that
/// prompt: the user name (or the root user's e-mail), the account and the directory. Facts the
/// entry already has are never overwritten. `None` when there is nothing to add.
pub fn learned_context(query: &MfaQuery, entry: &TotpEntry) -> Option<crate::AwsContext> {
    let mut aws = entry.aws.clone();
    let mut changed = false;
    let mut learn = |slot: &mut Option<String>, value: Option<&str>| {
        if slot.is_none()
            && let Some(v) = value
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.len() <= MAX_FIELD)
        {
            *slot = Some(v.to_owned());
            changed = true;
        }
    };
    let (_, facts) = kind_and_facts(entry)?;
    if facts.users.is_empty() && facts.emails.is_empty() {
        let user = query.user.as_deref().or(query.email.as_deref());
        learn(&mut aws.user, user);
    }
    if query.site == MfaSite::IdentityCenter {
        learn(&mut aws.directory, query.directory.as_deref());
    } else if facts.accounts.is_empty() {
        let account = query.account.as_deref().and_then(AccountRef::parse);
        let account = account.map(|a| match a {
            AccountRef::Id(s) | AccountRef::Alias(s) => s,
        });
        learn(&mut aws.account, account.as_deref());
    }
    changed.then_some(aws)
}

#[cfg(test)]
mod tests;
