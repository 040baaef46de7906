//! Fastbeat's FFI-free core, in a crate of its own so that the compiler keeps it free of
//! the PHP engine: WordPress's byte-level semantics the handlers share ([`text`],
//! [`cookie`], [`nonce`]) and everything the fast lane decides ([`request`],
//! [`manifest`], [`native`], [`post_lock`], [`unserialize`]).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod cookie;
pub mod manifest;
pub mod native;
pub mod nonce;
pub mod post_lock;
pub mod request;
pub mod text;
pub mod unserialize;

/// The action heartbeat nonces are made for.
pub const HEARTBEAT_ACTION: &str = "heartbeat-nonce";
