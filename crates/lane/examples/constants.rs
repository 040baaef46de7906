//! Prints, as a JSON list, every string the lane's rules are made of (hook and callback
//! names, server variables, request fields, option names, modelled functions, reason
//! codes, ...). `tests/lane/literals.php` checks that the plugin's PHP holds none of them
//! outside a short reviewed list of names both sides must share: a rule kept in Rust is
//! not kept again in PHP. (Reason codes are not listed: the plugin's translated message
//! for each is keyed by code, a pairing tests/lane/reason-messages.php checks.)

use fastbeat_lane::policy;
use fastbeat_lane::shape::{Shape, HEARTBEAT_FIELDS};
use std::collections::BTreeSet;

fn main() {
    let mut all: BTreeSet<String> = BTreeSet::new();
    for s in Shape::ALL {
        all.insert(s.key().to_owned());
        for (hook, tables) in policy::path(s, policy::ROLES, true) {
            all.insert(hook);
            for t in tables {
                for cb in *t {
                    all.insert(cb.callback.to_owned());
                    all.insert(cb.id.to_owned());
                }
            }
        }
        for f in policy::modelled_functions(s) {
            all.insert(f.label());
        }
    }
    let lists: [&[&str]; 11] = [
        &policy::SHUTDOWN_FUNCTIONS,
        &policy::INI_BUFFERS,
        &policy::SERVER_READ,
        &policy::SCHEME_VARS,
        &policy::SITE_VARS,
        &policy::FORWARDED,
        &policy::CREDENTIALS,
        &HEARTBEAT_FIELDS,
        &fastbeat_lane::native::OPTIONS,
        &fastbeat_lane::native::NETWORK_OPTIONS,
        &[
            fastbeat_lane::native::SUPER_ADMINS_OPTION,
            fastbeat_lane::request::REQUEST_URI,
            fastbeat_lane::request::REMOTE_ADDR,
        ],
    ];
    for l in lists {
        all.extend(l.iter().map(|s| (*s).to_owned()));
    }
    all.insert(fastbeat_lane::answer::REFERRER_POLICY.to_owned());
    let list: Vec<String> = all.into_iter().collect();
    println!("{}", serde_json::to_string(&list).unwrap_or_default());
}
