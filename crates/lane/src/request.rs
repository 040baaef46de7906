//! The request facts a worker's sites, what it learned from them and the evidence of
//! full-path beats are keyed on.
//!
//! The lane never runs `wp-config.php`, which may choose the site, its database and its
//! salts, and may set `$_SERVER['HTTPS']`, from the request. Whatever it derives is
//! learned from a full-path beat and applied only to beats with the same raw values of
//! what it plausibly reads:
//!
//! - always [`SITE_VARS`](crate::policy::SITE_VARS) (Host, server name and port, `HTTPS`,
//!   Debian's `WORDPRESS_CONFIG`) and the path of `REQUEST_URI` (a multisite network
//!   picks the site by it);
//! - when the request carries any of the headers by which proxies describe the original
//!   request ([`FORWARDED`](crate::policy::FORWARDED)), also `REMOTE_ADDR` and each of
//!   those headers as sent: careful sites trust them only from their proxy's address, so
//!   the same header from another address is another request key.
//!
//! `X-Forwarded-For` (and kin) is not part of the key: it names the client, a value
//! `wp-config.php` uses for logging or rate limits, not for the scheme or the site. A
//! configuration that answers differently by client address is outside what the lane
//! models; the self-check is what would notice it.

use crate::policy::{FORWARDED, SITE_VARS};
use sha2::{Digest, Sha256};

/// The server variable whose path part is keyed on.
pub const REQUEST_URI: &str = "REQUEST_URI";

/// The client address, keyed on when a forwarding header is present.
pub const REMOTE_ADDR: &str = "REMOTE_ADDR";

/// A request's key: its facts as text, a short digest (what evidence is kept by) and a
/// label for the site owner.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestKey {
    pub text: String,
    pub digest: String,
    pub label: String,
}

/// The key of the request whose server variables `get` returns (raw, as the web server
/// passed them).
pub fn key(get: impl Fn(&str) -> Option<String>) -> RequestKey {
    let mut facts: Vec<(&str, Option<String>)> = SITE_VARS.iter().map(|v| (*v, get(v))).collect();
    let path = get(REQUEST_URI).map(|u| u.split('?').next().unwrap_or_default().to_owned());
    facts.push((REQUEST_URI, path.clone()));
    let forwarded: Vec<(&str, String)> = FORWARDED
        .iter()
        .filter_map(|v| get(v).map(|val| (*v, val)))
        .collect();
    let via = if forwarded.is_empty() {
        None
    } else {
        let addr = get(REMOTE_ADDR);
        facts.push((REMOTE_ADDR, addr.clone()));
        facts.extend(forwarded.iter().map(|(k, v)| (*k, Some(v.clone()))));
        Some(addr.unwrap_or_default())
    };
    // Present and empty differ from absent.
    let text = facts
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => (*k).to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let digest = digest(&text);
    let https = get("HTTPS").is_some_and(|h| !h.is_empty() && !h.eq_ignore_ascii_case("off"));
    let mut label = format!(
        "{}{}{}",
        if https { "https://" } else { "http://" },
        get("HTTP_HOST").unwrap_or_default(),
        path.unwrap_or_default()
    );
    if let Some(addr) = via {
        let headers: Vec<String> = forwarded
            .iter()
            .map(|(k, v)| format!("{}: {v}", header_name(k)))
            .collect();
        label.push_str(&format!(" via {addr} ({})", headers.join(", ")));
    }
    RequestKey {
        text,
        digest,
        label,
    }
}

/// The digest of a key's text (what evidence is kept by).
pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `HTTP_X_FORWARDED_PROTO` → `X-Forwarded-Proto`.
fn header_name(var: &str) -> String {
    var.trim_start_matches("HTTP_")
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> RequestKey {
        key(|n| {
            pairs
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_site_vars_and_the_path_make_the_key() {
        let a = from(&[
            ("HTTP_HOST", "example.test"),
            ("REQUEST_URI", "/wp-admin/admin-ajax.php"),
        ]);
        let b = from(&[
            ("HTTP_HOST", "example.test"),
            ("REQUEST_URI", "/wp-admin/admin-ajax.php?x=1"),
            ("REMOTE_ADDR", "192.0.2.7"),
            ("HTTP_X_FORWARDED_FOR", "198.51.100.1"),
        ]);
        assert_eq!(
            a, b,
            "query string, client address and X-Forwarded-For alone"
        );
        assert_eq!(a.label, "http://example.test/wp-admin/admin-ajax.php");
        let sub = from(&[
            ("HTTP_HOST", "example.test"),
            ("REQUEST_URI", "/site2/wp-admin/admin-ajax.php"),
        ]);
        assert_ne!(a.digest, sub.digest, "a sub-site's path");
        let tls = from(&[
            ("HTTP_HOST", "example.test"),
            ("REQUEST_URI", "/wp-admin/admin-ajax.php"),
            ("HTTPS", "on"),
        ]);
        assert_ne!(a.digest, tls.digest);
        assert!(tls.label.starts_with("https://"));
        let empty = from(&[
            ("HTTP_HOST", "example.test"),
            ("REQUEST_URI", "/wp-admin/admin-ajax.php"),
            ("HTTPS", ""),
        ]);
        assert_ne!(a.digest, empty.digest, "present but empty is not absent");
    }

    #[test]
    fn a_forwarding_header_adds_the_sender_and_the_headers() {
        let base = [
            ("HTTP_HOST", "example.test"),
            ("REQUEST_URI", "/wp-admin/admin-ajax.php"),
        ];
        let via = |addr: &str, proto: &str| {
            let mut p = base.to_vec();
            p.push(("REMOTE_ADDR", addr));
            p.push(("HTTP_X_FORWARDED_PROTO", proto));
            from(&p)
        };
        let proxy = via("127.0.0.1", "https");
        assert_ne!(proxy.digest, from(&base).digest);
        assert_ne!(
            proxy.digest,
            via("127.0.0.2", "https").digest,
            "forged elsewhere"
        );
        assert_ne!(proxy.digest, via("127.0.0.1", "http").digest);
        assert_eq!(proxy.digest, via("127.0.0.1", "https").digest);
        assert_eq!(
            proxy.label,
            "http://example.test/wp-admin/admin-ajax.php via 127.0.0.1 (X-Forwarded-Proto: https)"
        );
        let mut cf = base.to_vec();
        cf.push(("REMOTE_ADDR", "127.0.0.1"));
        cf.push(("HTTP_CF_VISITOR", "{\"scheme\":\"https\"}"));
        assert!(from(&cf)
            .label
            .contains("Cf-Visitor: {\"scheme\":\"https\"}"));
    }
}
