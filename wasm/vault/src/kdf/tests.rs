use argon2::{AssociatedData, ParamsBuilder};

use super::*;

/// RFC 9106 §5.3 (Argon2id, version 0x13): m = 32 KiB, t = 3, p = 4, password = 32 × 0x01,
/// salt = 16 × 0x02, secret = 8 × 0x03, associated data = 12 × 0x04, tag length 32.
/// <https://www.rfc-editor.org/rfc/rfc9106.html#section-5.3>
///
/// Run through `argon2id_v13`, the same function the vault calls, so this fails if the vault ever
/// used another variant (Argon2d / Argon2i give the §5.1 / §5.2 tags) or version 0x10.
#[test]
fn argon2id_matches_rfc9106_section_5_3() -> Result<(), VaultError> {
    let params = ParamsBuilder::new()
        .m_cost(32)
        .t_cost(3)
        .p_cost(4)
        .output_len(32)
        .data(AssociatedData::new(&[0x04; 12]).map_err(|_| VaultError::KdfFailed)?)
        .build()
        .map_err(|_| VaultError::KdfFailed)?;
    let mut tag = [0u8; 32];
    argon2id_v13(params, &[0x03; 8], &[0x01; 32], &[0x02; 16], &mut tag)?;
    let expected = [
        0x0d, 0x64, 0x0d, 0xf5, 0x8d, 0x78, 0x76, 0x6c, 0x08, 0xc0, 0x37, 0xa3, 0x4a, 0x8b, 0x53,
        0xc9, 0xd0, 0x1e, 0xf0, 0x45, 0x2d, 0x75, 0xb6, 0x5e, 0xb5, 0x25, 0x20, 0xe9, 0x6b, 0x01,
        0xe6, 0x59,
    ];
    assert_eq!(tag, expected);
    Ok(())
}

#[test]
fn named_params_are_within_bounds() {
    for p in [KdfParams::DEFAULT, KdfParams::MIN, KdfParams::MAX] {
        assert_eq!(p.validate(), Ok(()), "{p:?}");
    }
    assert_eq!(KdfParams::default(), KdfParams::DEFAULT);
}

#[test]
fn each_param_just_outside_its_bounds_is_refused() {
    let (min, max) = (KdfParams::MIN, KdfParams::MAX);
    let cases = [
        (
            KdfParams {
                m_cost_kib: min.m_cost_kib - 1,
                ..min
            },
            KdfParam::Memory,
        ),
        (
            KdfParams {
                m_cost_kib: max.m_cost_kib + 1,
                ..max
            },
            KdfParam::Memory,
        ),
        (
            KdfParams {
                t_cost: min.t_cost - 1,
                ..min
            },
            KdfParam::Iterations,
        ),
        (
            KdfParams {
                t_cost: max.t_cost + 1,
                ..max
            },
            KdfParam::Iterations,
        ),
        (
            KdfParams {
                p_cost: min.p_cost - 1,
                ..min
            },
            KdfParam::Parallelism,
        ),
        (
            KdfParams {
                p_cost: max.p_cost + 1,
                ..max
            },
            KdfParam::Parallelism,
        ),
    ];
    for (params, which) in cases {
        match params.validate() {
            Err(VaultError::KdfParamsOutOfBounds { param, .. }) => assert_eq!(param, which),
            other => panic!("{params:?} gave {other:?}"),
        }
    }
}

/// The bound check lives inside `derive_wrapping_key` too, so a future caller that forgot to
/// validate still cannot start an absurd derivation. The parameters here are ones Argon2 itself
/// accepts and runs quickly, so a missing check fails this test at once instead of hanging it.
#[test]
fn wrapping_key_derivation_refuses_out_of_bounds_params() {
    let cheap_but_weak = [
        KdfParams {
            m_cost_kib: 8,
            ..KdfParams::MIN
        },
        KdfParams {
            t_cost: 1,
            ..KdfParams::MIN
        },
    ];
    for params in cheap_but_weak {
        assert!(
            matches!(
                derive_wrapping_key(b"pw", &[0; SALT_LEN], params),
                Err(VaultError::KdfParamsOutOfBounds { .. })
            ),
            "{params:?}"
        );
    }
}

#[test]
fn out_of_bounds_messages_read_well() {
    let too_much = KdfParams {
        m_cost_kib: 4 * 1024 * 1024,
        ..KdfParams::MIN
    };
    let too_little = KdfParams {
        p_cost: 0,
        ..KdfParams::MIN
    };
    let msg = |p: KdfParams| p.validate().map_err(|e| alloc::format!("{e}"));
    assert_eq!(
        msg(too_much),
        Err(
            "the vault asks for 4096 MiB of memory to unlock; at most 256 MiB is allowed, \
             so it was refused"
                .into()
        )
    );
    assert_eq!(
        msg(too_little),
        Err(
            "the vault asks for only 0 parallel lanes of password hashing to unlock; \
             at least 1 is required, so it was refused"
                .into()
        )
    );
}
