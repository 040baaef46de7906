//! The fast lane: answering an eligible heartbeat without booting all of WordPress.
//!
//! When a request's primary script is a registered `wp-admin/admin-ajax.php` and the
//! beat is eligible, the extension compiles the plugin's lane script in its place.
//! The decision is made before any PHP runs, from the raw request and a manifest the
//! plugin writes on full-path beats; anything unexpected means "full path".
//! [`manifest`] and [`request`] are FFI-free; [`intercept`] is the engine side.

pub mod answer;
pub mod intercept;
pub mod learn;

pub use fastbeat_lane::{manifest, native, post_lock, request, unserialize};
