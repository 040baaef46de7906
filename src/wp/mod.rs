//! WordPress semantics on top of the Zend layer: hooks, nonces, request fields and
//! the `wp_send_json()` / `wp_die()` ending. Each function either reproduces core's
//! code path natively where that provably changes nothing, or calls core in PHP.

pub mod array;
pub mod auth_check;
pub mod constants;
pub mod core_callbacks;
pub mod declared;
pub mod hook_run;
pub mod hooks;
pub mod names;
pub mod nonce;
pub mod observe;
pub mod option;
pub mod request;
pub mod send;
pub mod user;

/// `$action` of the heartbeat nonce.
pub use fastbeat_lane::HEARTBEAT_ACTION;
