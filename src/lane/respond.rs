//! Sends a native answer: the plan from `fastbeat_lane::answer`, carried out with PHP's
//! own header machinery, then the body, then `exit` (as `_ajax_wp_die_handler()` ends).

use super::session::NoPrivPlan;
use crate::zend::output;
use fastbeat_lane::answer::{self, Op};

fn apply(ops: &[Op]) {
    for op in ops {
        match op {
            Op::Set(line) => output::header(line.as_bytes()),
            Op::Remove(name) => output::header_remove(name.as_bytes()),
        }
    }
}

/// The whole response: admin-ajax.php's and `admin_init`'s headers, `wp_send_json()`'s,
/// the body (`extra` is what callbacks added before `wp_auth_check()`), and the end.
pub fn send(plan: &NoPrivPlan, origin: Option<&str>, extra: &str, auth_check: bool, now: i64) {
    let site = answer::Site {
        charset: &plan.charset,
        origins: &plan.origins,
        headers: plan.headers,
    };
    apply(&answer::before_handler(&site, origin));
    let (json, nocache) = answer::json_die(&site);
    apply(&json);
    output::echo(&answer::body(extra, auth_check, now));
    apply(&nocache);
    output::exit();
}
