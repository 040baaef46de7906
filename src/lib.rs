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

/// Register this WordPress install's fast lane in this worker: `$admin_ajax` is the
/// install's `wp-admin/admin-ajax.php`, `$lane` the plugin's lane script, `$manifest`
/// the manifest file the plugin keeps. Returns whether it was registered.
#[php_function]
pub fn fastbeat_lane_register(admin_ajax: &str, lane: &str, manifest: &str) -> bool {
    lane::intercept::register(admin_ajax, lane, manifest)
}

/// Whether this worker's lane upkeep for the install whose `wp-admin/admin-ajax.php` is
/// `$admin_ajax` (manifest check, learning) is due: true at most once per `$seconds`.
#[php_function]
pub fn fastbeat_lane_due(admin_ajax: &str, seconds: i64) -> bool {
    lane::intercept::due(admin_ajax, u64::try_from(seconds).unwrap_or(0))
}

/// In the lane: the `admin-ajax.php` it stands in for; otherwise `null`.
#[php_function]
pub fn fastbeat_lane_script() -> Option<String> {
    lane::intercept::current_script()
}

/// In the lane: which kind of beat it is answering ("nodata", "postdata", "nopriv").
#[php_function]
pub fn fastbeat_lane_kind() -> Option<String> {
    lane::intercept::current_kind().map(str::to_owned)
}

/// In the logged-out lane: answer the beat natively and end the request, as core would.
/// Outside that lane it does nothing and returns false.
#[php_function]
pub fn fastbeat_lane_answer_nopriv() -> bool {
    let Some(n) = lane::intercept::current_nopriv() else {
        return false;
    };
    let origin = lane::intercept::request_origin();
    let _ = lane::answer::answer(&n, origin.as_deref(), "", false, wp::nonce::time());
    true
}

/// Keep, in this worker's memory, what a full WordPress request of this site knows and a
/// native answer to a logged-in beat needs (database, salts, option values). Returns
/// whether it was kept.
#[php_function]
pub fn fastbeat_lane_learn(facts: &ext_php_rs::types::ZendHashTable) -> bool {
    lane::learn::learn(facts)
}

/// In the native lane script: how to connect and which reads to run, or `null` when this
/// beat is not one answered natively.
#[php_function]
pub fn fastbeat_lane_native_plan(
) -> Option<ext_php_rs::boxed::ZBox<ext_php_rs::types::ZendHashTable>> {
    lane::learn::plan()
}

/// In the native lane script: from the reads' rows, answer a beat without data and end
/// the request, or for a post-lock beat return `['write' => ?string]`, the query
/// `update_post_meta()` would run (then call `fastbeat_lane_native_commit()`), when core
/// would answer the beat as logged in with a current nonce. `null` otherwise.
#[php_function]
pub fn fastbeat_lane_native_answer(
    rows: &ext_php_rs::types::ZendHashTable,
) -> Option<std::collections::HashMap<String, Option<String>>> {
    let write = lane::learn::answer(rows)?;
    let mut m = std::collections::HashMap::new();
    m.insert("write".to_string(), write);
    Some(m)
}

/// In the native lane script, after the post-lock write: send the answer and end the
/// request. False (nothing sent) when no answer is waiting.
#[php_function]
pub fn fastbeat_lane_native_commit() -> bool {
    lane::learn::commit()
}

/// In the native lane script: the script to run for a beat it does not answer (the lane
/// script, or admin-ajax.php itself when the lane script may not answer its kind);
/// `null` outside that script or once asked.
#[php_function]
pub fn fastbeat_lane_fallback() -> Option<String> {
    lane::learn::fallback()
}

/// This worker's lane state: `registered` installs, whether the hook is `installed`,
/// the `last` decision taken for an admin-ajax.php request, and how many such requests
/// this worker answered through the `lane` (`native`: of those, answered without the
/// lane script) or the `full` path.
#[php_function]
pub fn fastbeat_lane_status() -> std::collections::HashMap<String, String> {
    let s = lane::intercept::status();
    let mut m = std::collections::HashMap::new();
    m.insert("registered".to_string(), s.registered.to_string());
    m.insert("installed".to_string(), u8::from(s.installed).to_string());
    m.insert("last".to_string(), s.last);
    m.insert("lane".to_string(), s.lane.to_string());
    m.insert("full".to_string(), s.full.to_string());
    m.insert("native".to_string(), s.native.to_string());
    m
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
    info_table_row!(
        "WordPress heartbeat handlers",
        "fastbeat_heartbeat, fastbeat_nopriv_heartbeat"
    );
    info_table_row!("reference WordPress", "6.1.9");
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
    lane::intercept::request_start();
    0
}

extern "C" fn module_shutdown(_ty: i32, _module_number: i32) -> i32 {
    lane::intercept::uninstall();
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
        .function(wrap_function!(fastbeat_lane_register))
        .function(wrap_function!(fastbeat_lane_script))
        .function(wrap_function!(fastbeat_lane_due))
        .function(wrap_function!(fastbeat_lane_status))
        .function(wrap_function!(fastbeat_lane_kind))
        .function(wrap_function!(fastbeat_lane_answer_nopriv))
        .function(wrap_function!(fastbeat_lane_learn))
        .function(wrap_function!(fastbeat_lane_native_plan))
        .function(wrap_function!(fastbeat_lane_native_answer))
        .function(wrap_function!(fastbeat_lane_native_commit))
        .function(wrap_function!(fastbeat_lane_fallback))
        .request_startup_function(request_startup)
        .shutdown_function(module_shutdown)
        .info_function(php_module_info)
}
