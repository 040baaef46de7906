//! `shape`: which kind of beat a request is.
//!
//! The table, from `shape.rs`'s documentation: a request that is not a POST with
//! `action=heartbeat` is `NotAHeartbeat`; otherwise a customizer request, a veto, an extra
//! field, the recovery-mode cookie or HTTP credentials each send it down the full path
//! with that reason (any one of those present may be named), and so does `data` other
//! than the post-lock shape with an auth cookie (`DataNotModelled`). What is left: no
//! auth cookie → `NoPriv` without `data`, `NoPrivData` with any; an auth cookie →
//! `NoData` without `data`, `PostLock` with the post-lock shape.
//!
//! The empty input checks every combination (2,880 of them); other inputs one each, with
//! names from the input.

use super::{text, with_lane};
use crate::gen::Reader;
use crate::targets::{ensure, Check, Impl, Target};
use fastbeat_lane::reason::Reason;
use fastbeat_lane::shape::{classify, Data, RequestFacts, Shape};

fn facts(bits: u8, data: u8, vetoed: Option<String>, extra: Option<String>) -> RequestFacts {
    RequestFacts {
        method_post: bits & 1 == 0,
        action_heartbeat: bits & 2 == 0,
        customizer: bits & 4 != 0,
        auth_cookie: bits & 8 != 0,
        credentials: bits & 16 != 0,
        recovery_cookie: bits & 32 != 0,
        data: match data % 5 {
            0 => Data::Empty,
            1 => Data::PostLock(1),
            2 => Data::PostLock(0),
            3 => Data::PostLock(u64::MAX),
            _ => Data::Other,
        },
        vetoed,
        extra_field: extra,
    }
}

/// The shape, or every reason that may be given.
fn table(f: &RequestFacts) -> Result<Shape, Vec<Reason>> {
    if !f.method_post || !f.action_heartbeat {
        return Err(vec![Reason::NotAHeartbeat]);
    }
    let mut why = Vec::new();
    if f.customizer {
        why.push(Reason::Customizer);
    }
    if let Some(v) = &f.vetoed {
        why.push(Reason::Vetoed(v.clone()));
    }
    if let Some(n) = &f.extra_field {
        why.push(Reason::ExtraField(n.clone()));
    }
    if f.recovery_cookie {
        why.push(Reason::RecoveryMode);
    }
    if f.credentials {
        why.push(Reason::Credentials);
    }
    if f.auth_cookie && f.data == Data::Other {
        why.push(Reason::DataNotModelled);
    }
    if !why.is_empty() {
        return Err(why);
    }
    Ok(match (f.auth_cookie, &f.data) {
        (false, Data::Empty) => Shape::NoPriv,
        (false, _) => Shape::NoPrivData,
        (true, Data::Empty) => Shape::NoData,
        (true, _) => Shape::PostLock,
    })
}

fn check_one(i: &Impl, f: &RequestFacts) -> Check {
    let got = (i.lane.classify)(f);
    let want = table(f);
    let ok = match (&got, &want) {
        (Ok(s), Ok(w)) => s == w,
        (Err(r), Err(any)) => any.contains(r),
        _ => false,
    };
    ensure(ok, || {
        format!("classify({f:?}) = {got:?}, the table says {want:?}")
    })
}

fn check(i: &Impl, x: &[u8]) -> Check {
    if x.is_empty() {
        for bits in 0u8..64 {
            for data in 0u8..5 {
                for vetoed in [None, Some("HTTP_X_FASTBEAT_LANE"), Some("")] {
                    for extra in [None, Some("page"), Some("")] {
                        let f = facts(
                            bits,
                            data,
                            vetoed.map(str::to_string),
                            extra.map(str::to_string),
                        );
                        check_one(i, &f)?;
                    }
                }
            }
        }
        return Ok(());
    }
    let mut r = Reader::new(x);
    let bits = r.byte();
    let data = r.byte();
    let name = |r: &mut Reader| match r.byte() % 3 {
        0 => None,
        _ => Some(text(
            r,
            &["HTTP_X_FASTBEAT_LANE", "page", "_wp_http_referer"],
        )),
    };
    let vetoed = name(&mut r);
    let extra = name(&mut r);
    check_one(i, &facts(bits, data, vetoed, extra))
}

fn seeds() -> Vec<Vec<u8>> {
    let mut v = vec![Vec::new()];
    for bits in [0u8, 8, 40, 24, 12, 1, 2] {
        for data in 0u8..5 {
            v.push(vec![bits, data]);
        }
    }
    v
}

fn mut_ignores_recovery(f: &RequestFacts) -> Result<Shape, Reason> {
    classify(&RequestFacts {
        recovery_cookie: false,
        ..f.clone()
    })
}

fn mut_postlock_without_cookie(f: &RequestFacts) -> Result<Shape, Reason> {
    match classify(f) {
        Ok(Shape::NoPrivData) if matches!(f.data, Data::PostLock(_)) => Ok(Shape::PostLock),
        r => r,
    }
}

fn mut_credentials_with_cookie(f: &RequestFacts) -> Result<Shape, Reason> {
    classify(&RequestFacts {
        credentials: f.credentials && !f.auth_cookie,
        ..f.clone()
    })
}

pub fn target() -> Target {
    Target {
        name: "shape",
        about: "lane::shape::classify over every RequestFacts combination vs the table from shape.rs's documentation",
        dict: &[],
        seeds,
        check,
        php_args: |_| None,
        php_expect: |_, _| Vec::new(),
        php_body: "",
        php_compare: |a, b| a == b,
        label: |_| "",
        mutants: || {
            vec![
                ("classify ignores the recovery-mode cookie", with_lane(|l| l.classify = mut_ignores_recovery)),
                ("classify gives PostLock without an auth cookie", with_lane(|l| l.classify = mut_postlock_without_cookie)),
                ("classify ignores credentials with an auth cookie", with_lane(|l| l.classify = mut_credentials_with_cookie)),
            ]
        },
    }
}
