use super::*;
use crate::keyring::tests::{ORIGIN, caller, get_options, new_keyring, register};
use crate::keyring::{GetDecision, Keyring};

fn prepare(keyring: &mut Keyring, id: &str, request: &str) -> Result<(), KeyringError> {
    keyring
        .prepare_get(request, &caller(ORIGIN), &get_options(id))
        .map(|decision| {
            assert!(
                matches!(decision, GetDecision::Ready { .. }),
                "{decision:?}"
            )
        })
}

#[test]
fn a_tab_over_its_cap_is_refused_and_never_evicts_another_tabs_request() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    // Tab 1 waits (a consent window, say); tab 2 then fills its own allowance.
    prepare(&mut keyring, &id, "1.1.waiting").expect("tab 1");
    for n in 0..MAX_PENDING_PER_CALLER {
        prepare(&mut keyring, &id, &format!("2.1.r{n:03}")).expect("within the cap");
    }
    let refused = prepare(&mut keyring, &id, "2.1.one-too-many").expect_err("over the cap");
    assert_eq!(refused.name(), "NotAllowedError");
    assert!(matches!(refused, KeyringError::TooManyPending { ref caller } if caller == "2"));
    // Nothing was pushed out: tab 1's request and every one of tab 2's still finish.
    keyring
        .finish_get("1.1.waiting", 1)
        .expect("tab 1 still pending");
    for n in 0..MAX_PENDING_PER_CALLER {
        keyring
            .finish_get(&format!("2.1.r{n:03}"), 1)
            .expect("still pending");
    }
    // Finished requests free their places.
    prepare(&mut keyring, &id, "2.1.again").expect("room again");
}

#[test]
fn a_cancelled_request_frees_its_place_and_a_repeated_id_takes_none() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    for n in 0..MAX_PENDING_PER_CALLER {
        prepare(&mut keyring, &id, &format!("7.1.r{n}")).expect("within the cap");
    }
    // Preparing a pending id again replaces it rather than taking another place.
    prepare(&mut keyring, &id, "7.1.r0").expect("same id");
    assert!(prepare(&mut keyring, &id, "7.1.new").is_err());
    keyring.cancel("7.1.r3");
    prepare(&mut keyring, &id, "7.1.new").expect("a place was freed");
    assert_eq!(
        keyring
            .finish_get("7.1.r3", 1)
            .expect_err("cancelled")
            .name(),
        "UnknownRequest"
    );
}

#[test]
fn all_callers_together_are_bounded_too() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    for n in 0..MAX_PENDING {
        prepare(&mut keyring, &id, &format!("{n}.1.r")).expect("one per caller");
    }
    let refused = prepare(&mut keyring, &id, "fresh.1.r").expect_err("over the total");
    assert_eq!(refused.name(), "NotAllowedError");
    keyring
        .finish_get("0.1.r", 1)
        .expect("the first is still pending");
}
