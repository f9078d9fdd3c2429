//! The public suffix list, pruned to the part that can decide an RP ID or AppID check of ours.
//!
//! SoftKey answers WebAuthn and U2F only on the hosts of the site table (`softkey_core::sites`);
//! every other request goes to the browser untouched. So instead of the whole list (~16 000
//! rules; Go's compact table of it was 72 KB of the wasm module), [`suffix_table`] keeps the
//! *zones* (the registrable domains of the table's hosts, `*` where a host pattern's placeholder
//! is part of it, as in `*.awsapps.com`) and only the rules that match a zone, one of its
//! parents, or a name inside it. A lookup depends only on the rules that match the
//! name looked up, so for a name inside or above a zone it gives what the full list gives; for any
//! other name it answers `None`, and the callers refuse, so the pruning can never allow more than
//! the full list would. `wasm/core/tests/public_suffix.rs` generates the table from the full list
//! (`data/public_suffix_list.dat`) and proves both properties over the site table's hosts.

use super::suffix_table::{RULES, ZONES};

/// Whether `name` is an instance of a zone (a zone's `*` stands for any one label), lies inside
/// one, or is one of an instance's parents: whether their last labels agree as far as both go.
fn covered(name: &str) -> bool {
    ZONES.iter().any(|zone| {
        name.rsplit('.')
            .zip(zone.rsplit('.'))
            .all(|(label, want)| want == "*" || want == label)
    })
}

/// Whether `rule`'s labels (`*` matching any one label) match the last labels of `name`.
fn rule_matches(rule: &str, name: &str) -> bool {
    let mut have = name.rsplit('.');
    rule.rsplit('.').all(|want| {
        have.next()
            .is_some_and(|label| want == "*" || want == label)
    })
}

/// The last `count` labels of `name` (all of it when it has fewer).
fn last_labels(name: &str, count: usize) -> &str {
    match count
        .checked_sub(1)
        .and_then(|n| name.rmatch_indices('.').nth(n))
    {
        Some((dot, _)) => &name[dot + 1..],
        None => name,
    }
}

/// The public suffix of `name` by the list's algorithm (an exception rule wins, else the
/// matching rule with the most labels, else `*`), from the ICANN and private sections as
/// browsers use both; `None` when `name` is outside what the pruned table can decide.
pub(super) fn public_suffix(name: &str) -> Option<&str> {
    if !covered(name) {
        return None;
    }
    let mut labels = 1; // the implicit rule `*`
    for rule in RULES {
        if let Some(exception) = rule.strip_prefix('!') {
            if rule_matches(exception, name) {
                return Some(last_labels(name, (exception.split('.').count() - 1).max(1)));
            }
        } else if rule_matches(rule, name) {
            labels = labels.max(rule.split('.').count());
        }
    }
    Some(last_labels(name, labels))
}

/// The registrable domain ("eTLD+1") of `name`; `None` when `name` is a public suffix or outside
/// what the pruned table can decide.
pub(super) fn registrable_domain(name: &str) -> Option<&str> {
    let suffix = public_suffix(name)?;
    if suffix.len() >= name.len() {
        return None;
    }
    Some(last_labels(name, suffix.split('.').count() + 1))
}
