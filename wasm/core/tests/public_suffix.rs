//! softkey-webauthn's pruned public suffix table against the full list.
//!
//! The wasm module carries only the rules that can decide an RP ID or AppID check on a host of
//! the site table (`wasm/webauthn/src/origin/suffix.rs` says why). This test
//! - generates that table from the full list (`wasm/webauthn/data/public_suffix_list.dat`) and
//!   the site table, and fails when the committed one differs (`SOFTKEY_BLESS=1` rewrites it);
//! - checks, for every host pattern of the site table filled with realistic values and with every
//!   label the full list knows, that the RP IDs and AppIDs allowed are exactly those the full
//!   list allows;
//! - checks that for hosts outside the table the pruned table never allows what the full list
//!   refuses, and that such hosts are not served at all.
//!
//! The reference is the list's own algorithm over all of its rules, itself compared with the
//! `public-suffix` crate (Go's table and lookup, the implementation the module used before).

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use public_suffix::EffectiveTLDProvider;
use softkey_core::sites::{self, SURFACES};
use softkey_webauthn::origin::Origin;

const LIST: &str = "wasm/webauthn/data/public_suffix_list.dat";
const TABLE: &str = "wasm/webauthn/src/origin/suffix_table.rs";

fn repo_file(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// The whole list: every rule of both sections, as written (`*.x`, `!y.x`).
struct FullList {
    version: String,
    rules: Vec<String>,
    plain: HashSet<String>,
    exceptions: HashSet<String>,
}

fn full() -> &'static FullList {
    static LIST_CELL: OnceLock<FullList> = OnceLock::new();
    LIST_CELL.get_or_init(|| {
        let text = std::fs::read_to_string(repo_file(LIST)).expect("read the full list");
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix("// VERSION: "))
            .expect("the list names its version")
            .to_owned();
        let rules: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .map(str::to_owned)
            .collect();
        let plain = rules
            .iter()
            .filter(|r| !r.starts_with('!'))
            .cloned()
            .collect();
        let exceptions = rules
            .iter()
            .filter_map(|r| r.strip_prefix('!'))
            .map(str::to_owned)
            .collect();
        FullList {
            version,
            rules,
            plain,
            exceptions,
        }
    })
}

/// `name` and each of its parents, longest first.
fn dot_suffixes(name: &str) -> Vec<&str> {
    let mut out = vec![name];
    let mut rest = name;
    while let Some((_, parent)) = rest.split_once('.') {
        out.push(parent);
        rest = parent;
    }
    out
}

fn label_count(name: &str) -> usize {
    name.split('.').count()
}

impl FullList {
    /// The list's algorithm: an exception wins, else the longest matching rule, else `*`.
    fn public_suffix<'a>(&self, name: &'a str) -> &'a str {
        let suffixes = dot_suffixes(name);
        for s in &suffixes {
            if self.exceptions.contains(*s) {
                return s.split_once('.').map_or(s, |(_, parent)| parent);
            }
        }
        for s in &suffixes {
            let wildcard = s
                .split_once('.')
                .is_some_and(|(_, parent)| self.plain.contains(&format!("*.{parent}")));
            if self.plain.contains(*s) || wildcard {
                return s;
            }
        }
        suffixes.last().copied().unwrap_or(name)
    }

    fn registrable<'a>(&self, name: &'a str) -> Option<&'a str> {
        let ps = self.public_suffix(name);
        dot_suffixes(name)
            .into_iter()
            .find(|s| label_count(s) == label_count(ps) + 1)
    }

    /// HTML's "is a registrable domain suffix of or is equal to", as Chrome applies it to RP
    /// IDs: equal, or a parent of the host no shorter than the host's registrable domain.
    fn allows_rp_id(&self, host: &str, rp_id: &str) -> bool {
        if rp_id == host {
            return true;
        }
        host.ends_with(&format!(".{rp_id}"))
            && self
                .registrable(host)
                .is_some_and(|r| rp_id == r || rp_id.ends_with(&format!(".{r}")))
    }

    /// An AppID host is allowed when it has the caller's registrable domain.
    fn allows_app_id(&self, host: &str, app_id_host: &str) -> bool {
        matches!((self.registrable(host), self.registrable(app_id_host)), (Some(a), Some(b)) if a == b)
    }
}

// ---------------------------------------------------------------- the site table's hosts

const LABELS: &[&str] = &[
    "d-9067abcdef",
    "view",
    "my-alias",
    "123456789012",
    "eu-west-1",
    "us-gov-west-1",
    "cn-north-1",
    "eusc-de-east-1",
    "ssoins-7223abcdef012345",
    "a",
    "www",
    "xn--80ak6aa92e",
];
const REGIONS: &[&str] = &[
    "us-east-1",
    "eu-west-1",
    "ap-southeast-2",
    "us-gov-west-1",
    "us-gov-east-1",
    "cn-north-1",
    "cn-northwest-1",
    "eusc-de-east-1",
    "me-central-1",
    "il-central-1",
    "mx-central-1",
];
const SESSIONS: &[&str] = &["123456789012-abcd1234", "000000000000-aaaaaaaa"];

fn is_ldh(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Every label the full list uses: the values a placeholder could take that some rule names.
fn list_labels() -> &'static BTreeSet<&'static str> {
    static LABELS_CELL: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    LABELS_CELL.get_or_init(|| {
        full()
            .rules
            .iter()
            .flat_map(|r| r.trim_start_matches('!').split('.'))
            .filter(|l| is_ldh(l))
            .collect()
    })
}

fn values(placeholder: &str, every: bool) -> Vec<String> {
    let realistic: &[&str] = match placeholder {
        "{label}" => LABELS,
        "{region}" => REGIONS,
        "{session}" => SESSIONS,
        _ => unreachable!("placeholder {placeholder}"),
    };
    let mut out: Vec<String> = realistic.iter().map(|s| (*s).to_owned()).collect();
    if every {
        let fits = |l: &str| match placeholder {
            "{region}" => sites::is_region(l),
            "{session}" => false,
            _ => true,
        };
        out.extend(
            list_labels()
                .iter()
                .filter(|l| fits(l))
                .map(|l| (*l).to_owned()),
        );
    }
    out
}

/// Hosts of one pattern: every combination of realistic values, then, one placeholder at a
/// time, every label of the list there (the others realistic).
fn instances(pattern: &str, every: bool) -> BTreeSet<String> {
    let labels: Vec<&str> = pattern.split('.').collect();
    let holes: Vec<usize> = (0..labels.len())
        .filter(|&i| labels[i].starts_with('{'))
        .collect();
    let mut out = BTreeSet::new();
    let fill = |choice: &[String]| {
        let mut l: Vec<String> = labels.iter().map(|s| (*s).to_owned()).collect();
        for (hole, value) in holes.iter().zip(choice) {
            l[*hole] = value.clone();
        }
        l.join(".")
    };
    let mut combos: Vec<Vec<String>> = vec![vec![]];
    for &h in &holes {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                values(labels[h], false).into_iter().map(move |v| {
                    let mut c = c.clone();
                    c.push(v);
                    c
                })
            })
            .collect();
    }
    for c in &combos {
        out.insert(fill(c));
    }
    if every {
        for (k, &h) in holes.iter().enumerate() {
            for v in values(labels[h], true) {
                let mut c = combos[0].clone();
                c[k] = v;
                out.insert(fill(&c));
            }
        }
    }
    out
}

/// The hosts of every surface, each confirmed to be in the table.
fn table_hosts(every: bool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in SURFACES {
        for host in instances(s.host, every) {
            let path = s.path.unwrap_or("/");
            if sites::surface_of(&format!("https://{host}{path}")).is_some() {
                out.insert(host);
            }
        }
    }
    out
}

// ---------------------------------------------------------------- the generator

/// The registrable domains of the table's hosts, as patterns: a label that a placeholder of the
/// host pattern fills is `*` (every `{label}.awsapps.com` is a registrable domain of its own, as
/// `awsapps.com` is a public suffix).
fn zones() -> &'static BTreeSet<String> {
    static ZONES_CELL: OnceLock<BTreeSet<String>> = OnceLock::new();
    ZONES_CELL.get_or_init(compute_zones)
}

fn compute_zones() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in SURFACES {
        let pattern: Vec<&str> = s.host.split('.').collect();
        for host in instances(s.host, true) {
            let r = full()
                .registrable(&host)
                .unwrap_or_else(|| panic!("{host} is a public suffix"));
            let zone: Vec<&str> = pattern[pattern.len() - label_count(r)..]
                .iter()
                .map(|l| if l.starts_with('{') { "*" } else { l })
                .collect();
            out.insert(zone.join("."));
        }
    }
    out
}

/// Whether two patterns agree on their last labels as far as both go (`*` agrees with any).
fn agree(a: &str, b: &str) -> bool {
    a.rsplit('.')
        .zip(b.rsplit('.'))
        .all(|(x, y)| x == "*" || y == "*" || x == y)
}

/// Rules that match an instance of a zone or one of its parents, or lie inside one.
fn pruned_rules(zones: &BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = full()
        .rules
        .iter()
        .filter(|rule| zones.iter().any(|z| agree(rule.trim_start_matches('!'), z)))
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

fn generated_table() -> String {
    let zones = zones();
    let rules = pruned_rules(zones);
    let list = |items: &mut dyn Iterator<Item = &String>| -> String {
        items.map(|s| format!("    {s:?},\n")).collect()
    };
    format!(
        "// GENERATED by `SOFTKEY_BLESS=1 cargo test -p softkey-core --test public_suffix` from\n\
         // {LIST} (VERSION: {version}, {count} rules) and the site table\n\
         // (wasm/core/src/sites.rs). Do not edit; see suffix.rs.\n\
         \n\
         /// The registrable domains of the site table's hosts (`*`: any one label).\n\
         #[rustfmt::skip]\n\
         pub(super) const ZONES: &[&str] = &[\n{zones}];\n\
         \n\
         /// The rules of the full list that match a zone, one of its parents, or a name inside one.\n\
         #[rustfmt::skip]\n\
         pub(super) const RULES: &[&str] = &[\n{rules}];\n",
        version = full().version,
        count = full().rules.len(),
        zones = list(&mut zones.iter()),
        rules = list(&mut rules.iter()),
    )
}

#[test]
fn the_pruned_table_is_generated_from_the_full_list_and_the_site_table() {
    let expected = generated_table();
    let path = repo_file(TABLE);
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        if std::env::var_os("SOFTKEY_BLESS").is_some() {
            std::fs::write(&path, &expected).expect("write the pruned table");
            return;
        }
        panic!(
            "{TABLE} is not what the full list and the site table generate: run `SOFTKEY_BLESS=1 cargo test -p softkey-core --test public_suffix`"
        );
    }
}

// ---------------------------------------------------------------- the checks

fn pruned_allows_rp_id(host: &str, rp_id: &str) -> bool {
    Origin::parse(&format!("https://{host}"))
        .expect("origin")
        .check_rp_id(rp_id)
        .is_ok()
}

fn pruned_allows_app_id(host: &str, app_id_host: &str) -> bool {
    Origin::parse(&format!("https://{host}"))
        .expect("origin")
        .check_app_id(&format!("https://{app_id_host}/app-id.json"))
        .is_ok()
}

#[test]
fn the_reference_agrees_with_the_public_suffix_crate() {
    let provider = &public_suffix::DEFAULT_PROVIDER;
    let mut names: BTreeSet<String> = table_hosts(false);
    names.extend(
        [
            "www.example.co.uk",
            "alice.github.io",
            "github.io",
            "a.b.c.kawasaki.jp",
            "city.kawasaki.jp",
            "www.ck",
            "a.www.ck",
            "foo.ck",
            "x.on.aws",
            "repost.aws",
            "example.test",
            "s3.amazonaws.com",
        ]
        .map(str::to_owned),
    );
    for name in &names {
        assert_eq!(
            full().public_suffix(name),
            provider.public_suffix(name),
            "public suffix of {name}"
        );
        assert_eq!(
            full().registrable(name),
            provider.effective_tld_plus_one(name).ok(),
            "registrable domain of {name}"
        );
    }
}

#[test]
fn rp_ids_on_every_table_host_are_decided_as_the_full_list_decides() {
    let hosts = table_hosts(true);
    assert!(hosts.len() > 10_000, "only {} hosts", hosts.len());
    let mut allowed = 0usize;
    for host in &hosts {
        for rp_id in dot_suffixes(host) {
            let want = full().allows_rp_id(host, rp_id);
            assert_eq!(
                pruned_allows_rp_id(host, rp_id),
                want,
                "{host} asks for {rp_id}"
            );
            allowed += usize::from(want);
        }
        // Not a parent: never.
        assert!(!pruned_allows_rp_id(host, &format!("x.{host}")));
    }
    // Each host allows at least itself and its registrable domain.
    assert!(allowed >= 2 * hosts.len());
}

#[test]
fn app_ids_for_table_hosts_are_decided_as_the_full_list_decides() {
    // One host of each surface (its placeholders filled with the first realistic value).
    let hosts: BTreeSet<String> = SURFACES
        .iter()
        .filter_map(|s| instances(s.host, false).into_iter().next())
        .collect();
    // Every rule of the list made a host, and a name under it: the other sites an AppID could
    // name, including every private suffix the pruning left out.
    let mut candidates: BTreeSet<String> = BTreeSet::new();
    for rule in &full().rules {
        let name = rule.trim_start_matches('!').replace('*', "x");
        if name.split('.').all(is_ldh) {
            candidates.insert(format!("u2f.{name}"));
            candidates.insert(name);
        }
    }
    for host in &hosts {
        let mut mine: BTreeSet<String> = BTreeSet::new();
        for s in dot_suffixes(host) {
            mine.insert(s.to_owned());
            mine.insert(format!("u2f.{s}"));
        }
        for app in mine.iter().chain(&candidates) {
            assert_eq!(
                pruned_allows_app_id(host, app),
                full().allows_app_id(host, app),
                "{host} names the AppID host {app}"
            );
        }
    }
}

#[test]
fn hosts_outside_the_table_are_never_served_and_never_allowed_more() {
    let mut outside: BTreeSet<String> = [
        "www.example.co.uk",
        "alice.github.io",
        "signin.aws.amazon.com.evil.test",
        "signin.aws.evil.test",
        "x-awsapps.com",
        "evilamazon.com",
        "a.b.signin.aws.amazon.com",
        "aws.amazon.com",
        "amazon.com",
        "foo.on.aws",
        "a.sagemaker.aws",
        "example.com",
    ]
    .map(str::to_owned)
    .into();
    for rule in &full().rules {
        let name = rule.trim_start_matches('!').replace('*', "x");
        if name.split('.').all(is_ldh) {
            outside.insert(format!("a.{name}"));
        }
    }
    let mut checked = 0usize;
    let served =
        |host: &str| sites::origin_has(&format!("https://{host}"), |c| c.webauthn || c.u2f);
    for look_alike in [
        "signin.aws.amazon.com.evil.test",
        "x-awsapps.com",
        "a.b.signin.aws.amazon.com",
    ] {
        assert!(!served(look_alike), "{look_alike} is served");
    }
    for host in &outside {
        if served(host) {
            continue;
        }
        for rp_id in dot_suffixes(host) {
            if pruned_allows_rp_id(host, rp_id) {
                assert!(full().allows_rp_id(host, rp_id), "{host} may use {rp_id}");
            }
        }
        checked += 1;
    }
    assert!(checked > 5_000, "only {checked} outside hosts");
}

#[test]
fn the_pruned_table_is_small() {
    let rules = pruned_rules(zones());
    // A handful of TLDs and whatever the list has inside the zones, not thousands of rules.
    assert!(rules.len() < 200, "{} rules", rules.len());
    for tld in ["com", "aws", "cn", "eu"] {
        assert!(rules.iter().any(|r| r == tld), "{tld} missing");
    }
}
