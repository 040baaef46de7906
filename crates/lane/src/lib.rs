//! Fastbeat's FFI-free core, in a crate of its own so that the compiler keeps it free of
//! the PHP engine: WordPress's byte-level semantics the handlers share ([`text`],
//! [`cookie`], [`nonce`]) and everything the fast lane decides: beat shapes ([`shape`]),
//! the reasons for the full path ([`reason`]), the evidence of full-path beats
//! ([`evidence`], [`facts`]) and the request facts it is keyed on ([`request`]), the rules it is judged by ([`policy`], [`known`],
//! [`fingerprint`]), the manifest ([`manifest`]), the native answers' models ([`native`],
//! [`midboot`] with a persistent object cache,
//! [`post_lock`], [`unserialize`], [`answer`], the client their reads use: [`pdo`]) and the counts the site owner sees
//! ([`tally`]).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod answer;
pub mod cookie;
pub mod evidence;
pub mod facts;
pub mod fingerprint;
pub mod known;
pub mod manifest;
pub mod midboot;
pub mod native;
pub mod nonce;
pub mod pdo;
pub mod policy;
pub mod post_lock;
pub mod reason;
pub mod request;
pub mod shape;
pub mod tally;
pub mod text;
pub mod unserialize;

/// The action heartbeat nonces are made for.
pub const HEARTBEAT_ACTION: &str = "heartbeat-nonce";
