//! Where SoftKey works: the one table of AWS and Amazon.com surfaces (host pattern, path, partition)
//! and what the extension may do on each (answer WebAuthn, answer the legacy U2F API, fill an MFA
//! code, submit it, offer "Add to SoftKey").
//!
//! Every other place that asks "is this an AWS page?" derives from this table: the JavaScript
//! checks use `extension/shared/sites.js`, which [`javascript`] generates; `manifest.json`'s
//! matches and host permissions are checked against [`match_patterns`] by a test; the README's
//! table of surfaces is [`markdown_table`]. A test fails when any of them drifts from the table.
//!
//! Input is a URL as the browser serializes it (`sender.url`, `location.href`): lower-case ASCII
//! host, no default port. Anything else (http, another port, credentials in the URL, a trailing
//! dot, a host that only ends like ours) matches nothing.

use serde::Serialize;

/// An AWS partition, or Amazon.com's retail site.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Partition {
    /// The commercial partition (`arn:aws:`).
    Aws,
    /// AWS GovCloud (US) (`arn:aws-us-gov:`).
    AwsUsGov,
    /// AWS China (`arn:aws-cn:`).
    AwsCn,
    /// AWS European Sovereign Cloud (`arn:aws-eusc:`).
    AwsEusc,
    /// Amazon.com, whose login pages also serve the AWS root user's older flow.
    Amazon,
}

impl Partition {
    /// The partition as an ARN names it (`aws`, `aws-us-gov`, …); Amazon.com has no ARNs.
    pub fn arn_name(self) -> Option<&'static str> {
        match self {
            Self::Aws => Some("aws"),
            Self::AwsUsGov => Some("aws-us-gov"),
            Self::AwsCn => Some("aws-cn"),
            Self::AwsEusc => Some("aws-eusc"),
            Self::Amazon => None,
        }
    }

    /// The partition of an ARN's second field, if it is one we know.
    pub fn from_arn_name(name: &str) -> Option<Self> {
        [Self::Aws, Self::AwsUsGov, Self::AwsCn, Self::AwsEusc]
            .into_iter()
            .find(|p| p.arn_name() == Some(name))
    }

    /// What a person calls it.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Aws => "AWS",
            Self::AwsUsGov => "AWS GovCloud (US)",
            Self::AwsCn => "AWS China",
            Self::AwsEusc => "AWS European Sovereign Cloud",
            Self::Amazon => "Amazon.com",
        }
    }
}

/// What kind of page a surface is: decides which fields, buttons and wording the content
/// scripts look for, and which TOTP entries may answer there.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SurfaceKind {
    /// The AWS sign-in for IAM and root users (classic and 2024 pages).
    AwsSignin,
    /// An AWS Management Console, where IAM users register MFA devices.
    Console,
    /// The IAM Identity Center access portal (also the AWS Builder ID portal).
    IdentityCenterPortal,
    /// The Identity Center / Builder ID login and MFA pages (`<region>.signin.aws`).
    IdentityCenterSignin,
    /// The AWS Builder ID profile, where Builder ID users register MFA devices.
    BuilderIdProfile,
    /// Amazon.com's login pages (`/ap/…`): its own two-step verification, and the AWS root user's
    /// older flow.
    AmazonLogin,
    /// Amazon.com's two-step verification settings, where an authenticator app is added.
    AmazonSetup,
}

/// What the extension may do on a surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Capabilities {
    /// Answer `navigator.credentials.create/get`.
    pub webauthn: bool,
    /// Provide the legacy FIDO U2F JavaScript API (`window.u2f`).
    pub u2f: bool,
    /// Fill a TOTP code into the page's MFA prompt.
    pub fill: bool,
    /// Submit the prompt after filling (subject to the user's per-site setting).
    pub submit: bool,
    /// Offer "Add to SoftKey" where the page shows a new authenticator app's secret.
    pub capture: bool,
}

/// How sure we are of a surface: public sources show it, or we inferred it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "source", rename_all = "camelCase")]
pub enum Basis {
    /// A public source (AWS documentation, automation scripts, bug threads) shows it.
    Evidence(&'static str),
    /// Nothing public shows it; we handle it because it is plausible.
    Inferred(&'static str),
}

/// One place where an AWS person meets sign-in or MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Surface {
    /// Stable name, used by tests and the generated JavaScript.
    pub id: &'static str,
    /// What kind of page it is.
    pub kind: SurfaceKind,
    /// The partition it belongs to.
    pub partition: Partition,
    /// Host pattern: dot-separated labels, each literal or a placeholder: `{label}` (any DNS
    /// label), `{region}` (an AWS region name), `{session}` (a multi-session console prefix,
    /// `<12-digit account>-<8 characters>`).
    pub host: &'static str,
    /// Path prefix where one matters: the path equals it or continues it after a `/`.
    pub path: Option<&'static str>,
    /// What SoftKey does there.
    pub caps: Capabilities,
    /// Why we believe the surface exists in this shape.
    pub basis: Basis,
}

const SIGNIN: Capabilities = Capabilities {
    webauthn: true,
    u2f: true,
    fill: true,
    submit: true,
    capture: false,
};
const CONSOLE: Capabilities = Capabilities {
    webauthn: true,
    u2f: true,
    fill: false,
    submit: false,
    capture: true,
};
const PORTAL: Capabilities = Capabilities {
    webauthn: true,
    u2f: false,
    fill: true,
    submit: true,
    capture: true,
};
const PROFILE: Capabilities = Capabilities {
    webauthn: true,
    u2f: false,
    fill: true,
    submit: true,
    capture: true,
};
const AMAZON_LOGIN: Capabilities = Capabilities {
    webauthn: true,
    u2f: false,
    fill: true,
    submit: true,
    capture: false,
};
const AMAZON_SETUP: Capabilities = Capabilities {
    webauthn: false,
    u2f: false,
    fill: false,
    submit: false,
    capture: true,
};

const fn surface(
    id: &'static str,
    kind: SurfaceKind,
    partition: Partition,
    host: &'static str,
    path: Option<&'static str>,
    caps: Capabilities,
    basis: Basis,
) -> Surface {
    Surface {
        id,
        kind,
        partition,
        host,
        path,
        caps,
        basis,
    }
}

use Basis::{Evidence, Inferred};
use Partition::{Amazon, Aws, AwsCn, AwsEusc, AwsUsGov};
use SurfaceKind::{
    AmazonLogin, AmazonSetup, AwsSignin, BuilderIdProfile, Console, IdentityCenterPortal,
    IdentityCenterSignin,
};

/// Every surface, most specific first (the first match wins).
#[rustfmt::skip]
pub const SURFACES: &[Surface] = &[
    // ---- AWS commercial partition
    surface("aws-signin", AwsSignin, Aws, "signin.aws.amazon.com", None, SIGNIN,
        Evidence("AWS documentation; MFA pages under /signin?… in userscripts")),
    surface("aws-signin-sub", AwsSignin, Aws, "{label}.signin.aws.amazon.com", None, SIGNIN,
        Evidence("regional and per-account sign-in hosts; MFA under /oauth?… in userscripts")),
    surface("aws-console", Console, Aws, "console.aws.amazon.com", None, CONSOLE,
        Evidence("AWS documentation (IAM security credentials page)")),
    surface("aws-console-session", Console, Aws, "{session}.{region}.console.aws.amazon.com", None, CONSOLE,
        Evidence("AWS documentation of multi-session sign-in")),
    surface("aws-console-region", Console, Aws, "{label}.console.aws.amazon.com", None, CONSOLE,
        Evidence("regional console hosts")),
    surface("idc-portal", IdentityCenterPortal, Aws, "{label}.awsapps.com", Some("/start"), PORTAL,
        Evidence("d-xxxxxxxxxx.awsapps.com/start and view.awsapps.com/start (Builder ID)")),
    surface("idc-portal-app", IdentityCenterPortal, Aws, "{label}.portal.{region}.app.aws", None, PORTAL,
        Evidence("ssoins-<id>.portal.<region>.app.aws")),
    surface("idc-signin", IdentityCenterSignin, Aws, "{region}.signin.aws", None, PORTAL,
        Evidence("<region>.signin.aws/platform/<directory>/login?workflowStateHandle=…")),
    surface("builder-id-profile", BuilderIdProfile, Aws, "profile.aws.amazon.com", None, PROFILE,
        Evidence("Builder ID: view.awsapps.com/start → us-east-1.signin.aws → profile.aws.amazon.com")),
    // ---- AWS GovCloud (US)
    surface("gov-signin", AwsSignin, AwsUsGov, "signin.amazonaws-us-gov.com", None, SIGNIN,
        Evidence("GovCloud sign-in host")),
    surface("gov-signin-sub", AwsSignin, AwsUsGov, "{label}.signin.amazonaws-us-gov.com", None, SIGNIN,
        Evidence("GovCloud account and region sign-in hosts")),
    surface("gov-console", Console, AwsUsGov, "console.amazonaws-us-gov.com", None, CONSOLE,
        Evidence("GovCloud console host")),
    surface("gov-console-session", Console, AwsUsGov, "{session}.{region}.console.amazonaws-us-gov.com", None, CONSOLE,
        Inferred("multi-session sign-in as in the commercial partition")),
    surface("gov-console-region", Console, AwsUsGov, "{label}.console.amazonaws-us-gov.com", None, CONSOLE,
        Evidence("GovCloud region console hosts")),
    // ---- AWS China
    surface("cn-signin", AwsSignin, AwsCn, "signin.amazonaws.cn", None, SIGNIN,
        Evidence("China sign-in host")),
    surface("cn-signin-sub", AwsSignin, AwsCn, "{label}.signin.amazonaws.cn", None, SIGNIN,
        Evidence("<account>.signin.amazonaws.cn")),
    surface("cn-console", Console, AwsCn, "console.amazonaws.cn", None, CONSOLE,
        Evidence("China console host")),
    surface("cn-console-session", Console, AwsCn, "{session}.{region}.console.amazonaws.cn", None, CONSOLE,
        Inferred("multi-session sign-in as in the commercial partition")),
    surface("cn-console-region", Console, AwsCn, "{label}.console.amazonaws.cn", None, CONSOLE,
        Inferred("region console hosts as in the commercial partition")),
    // ---- AWS European Sovereign Cloud
    surface("eusc-signin", AwsSignin, AwsEusc, "signin.amazonaws-eusc.eu", None, SIGNIN,
        Inferred("a global sign-in host as in the other partitions")),
    surface("eusc-signin-sub", AwsSignin, AwsEusc, "{label}.signin.amazonaws-eusc.eu", None, SIGNIN,
        Evidence("eusc-de-east-1.signin.amazonaws-eusc.eu")),
    surface("eusc-console", Console, AwsEusc, "console.amazonaws-eusc.eu", None, CONSOLE,
        Inferred("the console host by the partition's naming")),
    surface("eusc-console-session", Console, AwsEusc, "{session}.{region}.console.amazonaws-eusc.eu", None, CONSOLE,
        Inferred("multi-session sign-in as in the commercial partition")),
    surface("eusc-console-region", Console, AwsEusc, "{label}.console.amazonaws-eusc.eu", None, CONSOLE,
        Inferred("region console hosts by the partition's naming")),
    // ---- Amazon.com
    surface("amazon-login", AmazonLogin, Amazon, "www.amazon.com", Some("/ap"), AMAZON_LOGIN,
        Evidence("/ap/mfa with #auth-mfa-otpcode; the AWS root user's older flow on /ap/signin")),
    surface("amazon-setup", AmazonSetup, Amazon, "www.amazon.com", Some("/a/settings/approval"), AMAZON_SETUP,
        Evidence("/a/settings/approval/setup/register and the bare /a/settings/approval page")),
];

/// A URL that matched a surface, with what its host and path say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteMatch {
    /// The surface.
    pub surface: &'static Surface,
    /// The host, as matched.
    pub host: String,
    /// The region the host names (`us-east-1`, `us-gov-west-1`, …), if it names one.
    pub region: Option<String>,
    /// The 12-digit account the host names (multi-session consoles, per-account sign-in).
    pub account: Option<String>,
    /// The Identity Center directory or portal alias the URL names (`d-…`, a start-URL alias).
    pub directory: Option<String>,
}

/// The surface a browser-serialized URL belongs to, or `None` when it is not one of ours.
pub fn surface_of(url: &str) -> Option<SiteMatch> {
    let (host, path) = split_https_url(url)?;
    SURFACES
        .iter()
        .find(|s| host_matches(s.host, host) && path_matches(s.path, path))
        .map(|s| describe(s, host, path))
}

/// The surfaces a serialized origin (`https://host`) may belong to, ignoring paths: what
/// WebAuthn, which sees only the origin, asks. `None` when none has `want`.
pub fn origin_has(origin: &str, want: fn(&Capabilities) -> bool) -> bool {
    let Some((host, path)) = split_https_url(origin) else {
        return false;
    };
    path == "/"
        && SURFACES
            .iter()
            .any(|s| want(&s.caps) && host_matches(s.host, host))
}

/// `https://host[/path…]` → (host, path). Refuses anything a browser would not serialize this way
/// for a default-port https page.
fn split_https_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let path = match &tail[..path_end] {
        "" => "/",
        p => p,
    };
    if authority.is_empty() || authority.contains(['@', ':']) {
        return None;
    }
    Some((authority, path))
}

fn host_matches(pattern: &str, host: &str) -> bool {
    let mut want = pattern.split('.');
    let mut have = host.split('.');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), Some(h)) if label_matches(w, h) => {}
            _ => return false,
        }
    }
}

fn label_matches(pattern: &str, label: &str) -> bool {
    match pattern {
        "{label}" => is_dns_label(label),
        "{region}" => is_region(label),
        "{session}" => is_session(label),
        literal => literal == label,
    }
}

/// A lower-case LDH label: what a browser gives for any AWS host.
fn is_dns_label(label: &str) -> bool {
    let b = label.as_bytes();
    (1..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eusc-de-east-1`, `ap-southeast-2`: two to four
/// letters, one or two more words, and a number.
pub fn is_region(label: &str) -> bool {
    let parts: Vec<&str> = label.split('-').collect();
    let letters = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_lowercase())
    };
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    (1..=2).contains(&number.len())
        && number.bytes().all(|c| c.is_ascii_digit())
        && (2..=3).contains(&words.len())
        && letters(words[0], 2, 4)
        && words[1..].iter().all(|w| letters(w, 2, 12))
}

/// `<12-digit account>-<8 lower-case letters or digits>`: a multi-session console prefix.
fn is_session(label: &str) -> bool {
    let b = label.as_bytes();
    b.len() == 21
        && b[..12].iter().all(u8::is_ascii_digit)
        && b[12] == b'-'
        && b[13..]
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

fn path_matches(prefix: Option<&str>, path: &str) -> bool {
    match prefix {
        None => true,
        Some(p) => {
            path == p
                || path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
    }
}

fn describe(surface: &'static Surface, host: &str, path: &str) -> SiteMatch {
    let labels: Vec<&str> = host.split('.').collect();
    let pattern: Vec<&str> = surface.host.split('.').collect();
    let mut region = None;
    let mut account = None;
    let mut directory = None;
    for (p, label) in pattern.iter().zip(&labels) {
        match *p {
            "{region}" => region = Some((*label).to_owned()),
            "{session}" => account = Some(label[..12].to_owned()),
            "{label}" if is_region(label) => region = Some((*label).to_owned()),
            "{label}" if surface.kind == SurfaceKind::AwsSignin => {
                // `<account-id-or-alias>.signin…`: the account the user signs in to.
                account = Some((*label).to_owned());
            }
            "{label}" if surface.kind == SurfaceKind::IdentityCenterPortal => {
                directory = Some((*label).to_owned());
            }
            _ => {}
        }
    }
    if surface.kind == SurfaceKind::IdentityCenterSignin {
        // `/platform/<directory-id>/login`
        directory = path
            .strip_prefix("/platform/")
            .and_then(|rest| rest.split('/').next())
            .filter(|d| is_dns_label(d))
            .map(str::to_owned);
    }
    SiteMatch {
        surface,
        host: host.to_owned(),
        region,
        account,
        directory,
    }
}

/// A content-script group of the manifest, and which surfaces it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptGroup {
    /// `bridge.js`, `page-main.js` and `aws-context.js`: WebAuthn and U2F.
    Credentials,
    /// `mfa-fill.js`: MFA code prompts.
    Fill,
    /// `mfa-capture.js`: "Add to SoftKey" on AWS pages.
    AwsCapture,
    /// `amazon-capture.js`: "Add to SoftKey" on Amazon.com.
    AmazonCapture,
}

impl ScriptGroup {
    /// Every group.
    pub const ALL: [Self; 4] = [
        Self::Credentials,
        Self::Fill,
        Self::AwsCapture,
        Self::AmazonCapture,
    ];

    /// Whether the group's scripts run on `surface`.
    pub fn covers(self, surface: &Surface) -> bool {
        match self {
            Self::Credentials => surface.caps.webauthn || surface.caps.u2f,
            Self::Fill => surface.caps.fill,
            Self::AwsCapture => surface.caps.capture && surface.partition != Partition::Amazon,
            Self::AmazonCapture => surface.caps.capture && surface.kind == SurfaceKind::AmazonSetup,
        }
    }

    /// The script (after the shared ones) that identifies the group in `manifest.json`.
    pub fn marker_script(self) -> &'static str {
        match self {
            Self::Credentials => "extension/content/bridge.js",
            Self::Fill => "extension/content/mfa-fill.js",
            Self::AwsCapture => "extension/content/mfa-capture.js",
            Self::AmazonCapture => "extension/content/amazon-capture.js",
        }
    }
}

/// The Chrome match pattern that covers a surface: a leading placeholder becomes `*.` over the
/// literal labels after the last placeholder. Patterns are broader than the table (`*.` covers any
/// depth); the scripts narrow them again with the generated table.
pub fn match_pattern(surface: &Surface) -> String {
    let labels: Vec<&str> = surface.host.split('.').collect();
    let literal_from = labels
        .iter()
        .rposition(|l| l.starts_with('{'))
        .map_or(0, |i| i + 1);
    let host = if literal_from == 0 {
        surface.host.to_owned()
    } else {
        format!("*.{}", labels[literal_from..].join("."))
    };
    let path = surface.path.map_or("/*".to_owned(), |p| format!("{p}*"));
    format!("https://{host}{path}")
}

/// The sorted, de-duplicated match patterns of a group (for `manifest.json`).
pub fn match_patterns(group: ScriptGroup) -> Vec<String> {
    let mut out: Vec<String> = SURFACES
        .iter()
        .filter(|s| group.covers(s))
        .map(match_pattern)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Every host permission the extension needs: the union of all groups.
pub fn host_permissions() -> Vec<String> {
    let mut out: Vec<String> = SURFACES.iter().map(match_pattern).collect();
    out.sort();
    out.dedup();
    out
}

mod generate;
pub use generate::{javascript, markdown_table};

#[cfg(test)]
mod tests;
