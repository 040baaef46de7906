//! Fastbeat: WordPress heartbeat handlers in native code, byte-identical to core.
//!
//! This file is wiring only: the PHP-visible functions and module information.
//! Pure logic lives in the `fastbeat-lane` crate (`crates/lane`); the Zend engine boundary in
//! [`zend`]; WordPress semantics in [`wp`]; the handlers' flow in [`handler`].
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod handler;
pub mod lane;
pub mod wp;
pub mod zend;

pub use fastbeat_lane::{cookie, nonce, text};

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

/// The extension's version (the crate's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Serve a logged-in heartbeat, as `wp_ajax_heartbeat()` does. Like core's userland
/// handler it ignores any arguments (`do_action()` passes `''`).
#[php_function]
pub fn fastbeat_heartbeat(args: &[&Zval]) {
    let _ = args;
    // Err(Stop) means PHP already holds the outcome (exit or exception): just return.
    let _ = handler::heartbeat();
}

/// Serve a logged-out heartbeat, as `wp_ajax_nopriv_heartbeat()` does (arguments
/// ignored, as above).
#[php_function]
pub fn fastbeat_nopriv_heartbeat(args: &[&Zval]) {
    let _ = args;
    let _ = handler::nopriv_heartbeat();
}

/// Before core's handler runs on a full-path beat (the plugin calls this first thing on
/// `wp_ajax_heartbeat`): register the site in this worker and, when the beat's evidence
/// is to be recorded, capture it. `$note` is JSON (see `fastbeat_lane::facts::Note`).
/// Returns `['record' => bool, 'options' => string[], 'server' => string[],
/// 'network_options' => string[]]`: whether to hand over facts after the response, and
/// which.
#[php_function]
pub fn fastbeat_lane_note(
    note: &str,
) -> Option<ext_php_rs::boxed::ZBox<ext_php_rs::types::ZendHashTable>> {
    let gather = lane::capture::note(note.as_bytes());
    zend::compile::install(lane::entry::choose, lane::entry::failed);
    let mut ht = ext_php_rs::types::ZendHashTable::new();
    ht.insert("record", gather.record).ok()?;
    ht.insert("options", gather.options).ok()?;
    ht.insert("server", gather.server).ok()?;
    ht.insert("network_options", gather.network_options).ok()?;
    ht.insert("declarable", gather.declarable).ok()?;
    Some(ht)
}

/// After a recorded beat's response: the plugin's facts (JSON, see
/// `fastbeat_lane::facts::Handover`) and its settle window in seconds. Returns what to
/// write: `['manifest' => path, 'text' => json]` (absent: nothing), the evidence key
/// the self-check `suspended` and `why`, and the `verdict` in words.
#[php_function]
pub fn fastbeat_lane_evidence(
    facts: &str,
    settle: i64,
) -> Option<ext_php_rs::boxed::ZBox<ext_php_rs::types::ZendHashTable>> {
    let w = lane::handover::evidence(facts.as_bytes(), settle);
    let mut ht = ext_php_rs::types::ZendHashTable::new();
    if let Some((path, text)) = w.manifest {
        ht.insert("manifest", path).ok()?;
        ht.insert("text", text).ok()?;
    }
    if let Some((key, why)) = w.suspended {
        ht.insert("suspended", key).ok()?;
        ht.insert("why", why).ok()?;
    }
    ht.insert("verdict", w.verdict).ok()?;
    Some(ht)
}

/// In the logged-out lane (`lane/nopriv.php`): answer the beat natively and end the
/// request, as core would. Outside that lane it does nothing and returns false.
#[php_function]
pub fn fastbeat_lane_answer_nopriv() -> bool {
    let plan = lane::session::with(|s| match std::mem::take(&mut s.state) {
        lane::session::State::Lane {
            shape,
            plan: lane::session::Plan::NoPriv(p),
        } => {
            s.state = lane::session::State::Answered {
                shape,
                path: fastbeat_lane::tally::Path::NoPriv,
            };
            Some(p)
        }
        other => {
            s.state = other;
            None
        }
    });
    let Some(plan) = plan else {
        return false;
    };
    let origin = lane::getenv("HTTP_ORIGIN");
    lane::respond::send(&plan, origin.as_deref(), "", false, zend::php_time());
    true
}

/// Whether the compile hook chose the lane's script for this request (the lane scripts
/// do nothing when requested directly).
#[php_function]
pub fn fastbeat_lane_active() -> bool {
    lane::session::with(|s| matches!(s.state, lane::session::State::Lane { .. }))
}

/// In the native lane script: how to connect and which reads to run, or `null` when the
/// beat takes the full path (then require `fastbeat_lane_fallback()`).
#[php_function]
pub fn fastbeat_lane_native_plan(
) -> Option<ext_php_rs::boxed::ZBox<ext_php_rs::types::ZendHashTable>> {
    lane::native::plan()
}

/// In the native lane script: from the reads' rows, answer a beat without data and end
/// the request, or for a post-lock beat return `['write' => ?string]`, the query
/// `update_post_meta()` would run (then call `fastbeat_lane_native_commit()`). `null`
/// when the beat takes the full path.
#[php_function]
pub fn fastbeat_lane_native_answer(
    rows: &ext_php_rs::types::ZendHashTable,
) -> Option<std::collections::HashMap<String, Option<String>>> {
    let write = lane::native::answer(rows)?;
    let mut m = std::collections::HashMap::new();
    m.insert("write".to_string(), write);
    Some(m)
}

/// In the native lane script, after the post-lock write: send the answer and end the
/// request. False (nothing sent) when no answer is waiting.
#[php_function]
pub fn fastbeat_lane_native_commit() -> bool {
    lane::native::commit()
}

/// In `lane/midboot.php` (run in place of the file `wp-settings.php` requires after
/// starting a persistent object cache): answer the beat and end the request, or return
/// false (then require `fastbeat_lane_midboot_resume()`).
#[php_function]
pub fn fastbeat_lane_midboot() -> bool {
    lane::midboot::run().unwrap_or(false)
}

/// In `lane/midboot.php`: the file it stands in for, to require when the beat is not
/// answered (`null` when the extension did not choose it).
#[php_function]
pub fn fastbeat_lane_midboot_resume() -> Option<String> {
    lane::midboot::resume()
}

/// In the native lane script: the script to run for a beat it hands to the full path
/// (the site's admin-ajax.php), or `null`.
#[php_function]
pub fn fastbeat_lane_fallback() -> Option<String> {
    lane::native::fallback()
}

/// This worker's lane state and counts since it started, as JSON.
#[php_function]
pub fn fastbeat_lane_status() -> String {
    lane::status().to_string()
}

/// The site's lane, for its owner: the manifest at `$manifest` (shapes, verdicts,
/// suspensions) and the tally all workers added next to it, as JSON.
#[php_function]
pub fn fastbeat_lane_report(manifest: &str) -> String {
    lane::report(manifest).to_string()
}

/// A callable as the lane's evidence names it (`name`, `Class::method`, `Class->method`,
/// `closure@file:line`): how a plugin's data-key declaration names its callback.
#[php_function]
pub fn fastbeat_lane_callable_label(callable: &Zval) -> String {
    zend::inspect::callable(callable).0
}

/// Every reason a beat may take the full path for, by code.
#[php_function]
pub fn fastbeat_lane_reason_codes() -> Vec<&'static str> {
    lane::handover::reason_codes()
}

/// The extension's version string.
#[php_function]
pub fn fastbeat_version() -> String {
    VERSION.to_string()
}

extern "C" fn php_module_info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("fastbeat support", "enabled");
    info_table_row!("version", VERSION);
    // A binary loads only into the PHP (API and thread safety) it was built against.
    let built_for = format!(
        "{}, {}",
        env!("FASTBEAT_BUILT_FOR_PHP"),
        if ext_php_rs::PHP_ZTS { "ZTS" } else { "NTS" }
    );
    info_table_row!("built for PHP", built_for.as_str());
    info_table_row!(
        "WordPress heartbeat handlers",
        "fastbeat_heartbeat, fastbeat_nopriv_heartbeat"
    );
    // The releases the lane's models were written for (the installed core's code picks one).
    let releases = fastbeat_lane::known::RELEASES
        .iter()
        .map(|r| r.name)
        .collect::<Vec<_>>()
        .join(", ");
    info_table_row!("fast lane models for WordPress", releases.as_str());
    info_table_row!(
        "build",
        concat!("ext-php-rs 0.16.4, ", env!("FASTBEAT_BUILD_FACTS"))
    );
    info_table_end!();
}

fn startup(_ty: i32, _module_number: i32) -> i32 {
    // A panic is turned into a PHP Error by ext-php-rs; keep Rust's default hook from
    // also printing into the HTTP response (CGI/CLI stderr) or the FPM log.
    std::panic::set_hook(Box::new(|_| {}));
    0
}

extern "C" fn request_startup(_ty: i32, _module_number: i32) -> i32 {
    zend::memo::reset();
    lane::request_start();
    0
}

extern "C" fn request_shutdown(_ty: i32, _module_number: i32) -> i32 {
    lane::request_end();
    0
}

extern "C" fn module_shutdown(_ty: i32, _module_number: i32) -> i32 {
    zend::compile::uninstall();
    0
}

/// Module entry.
#[php_module]
#[php(startup = startup)]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(fastbeat_heartbeat))
        .function(wrap_function!(fastbeat_nopriv_heartbeat))
        .function(wrap_function!(fastbeat_version))
        .function(wrap_function!(fastbeat_lane_note))
        .function(wrap_function!(fastbeat_lane_evidence))
        .function(wrap_function!(fastbeat_lane_answer_nopriv))
        .function(wrap_function!(fastbeat_lane_active))
        .function(wrap_function!(fastbeat_lane_native_plan))
        .function(wrap_function!(fastbeat_lane_native_answer))
        .function(wrap_function!(fastbeat_lane_native_commit))
        .function(wrap_function!(fastbeat_lane_fallback))
        .function(wrap_function!(fastbeat_lane_midboot))
        .function(wrap_function!(fastbeat_lane_midboot_resume))
        .function(wrap_function!(fastbeat_lane_status))
        .function(wrap_function!(fastbeat_lane_report))
        .function(wrap_function!(fastbeat_lane_reason_codes))
        .function(wrap_function!(fastbeat_lane_callable_label))
        .request_startup_function(request_startup)
        .request_shutdown_function(request_shutdown)
        .shutdown_function(module_shutdown)
        .info_function(php_module_info)
}
