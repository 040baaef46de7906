//! The bytes of a native answer, as a plan: the header calls admin-ajax.php, core's
//! `admin_init` callbacks and the handler make, in order, and the body. The extension
//! carries the plan out with PHP's own `header()` machinery; the same plan, applied here
//! to a list ([`headers_list`]), is what the policy compares a full-path beat's headers
//! with.

/// How the installed core sends its headers (chosen by the core's code, see
/// [`crate::fingerprint`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderModel {
    /// `wp_get_nocache_headers()`'s `Cache-Control` (6.8 added `no-store, private`).
    pub cache_control: &'static str,
    /// `send_frame_options_header()` also sends `Content-Security-Policy:
    /// frame-ancestors 'self';` (7.1).
    pub csp: bool,
}

/// WordPress 6.1's headers.
pub const HEADERS_61: HeaderModel = HeaderModel {
    cache_control: "no-cache, must-revalidate, max-age=0",
    csp: false,
};

/// The `Referrer-Policy` `wp_admin_headers()` sends when `admin_referrer_policy` has no
/// callbacks.
pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";

/// One header call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `header( $line )` (replacing headers of the same name).
    Set(String),
    /// `header_remove( $name )`.
    Remove(&'static str),
}

/// The site facts a response is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site<'a> {
    pub charset: &'a str,
    /// `get_allowed_http_origins()`.
    pub origins: &'a [String],
    pub headers: HeaderModel,
}

/// `get_http_origin()` after `wp_magic_quotes()`, checked against the allowed origins:
/// the origin to echo in `Access-Control-Allow-Origin`, if any.
pub fn allowed_origin<'o>(origin: Option<&'o str>, allowed: &[String]) -> Option<&'o str> {
    let origin = origin?;
    // empty() in get_http_origin(); magic quotes would add slashes to these bytes, and no
    // allowed origin contains them, so such an origin never matches.
    if crate::text::php_string_is_empty(origin.as_bytes())
        || origin
            .bytes()
            .any(|b| matches!(b, b'\'' | b'"' | b'\\' | 0))
    {
        return None;
    }
    allowed.iter().any(|a| a == origin).then_some(origin)
}

fn nocache(m: &HeaderModel, ops: &mut Vec<Op>) {
    ops.push(Op::Remove("Last-Modified"));
    ops.push(Op::Set("Expires: Wed, 11 Jan 1984 05:00:00 GMT".into()));
    ops.push(Op::Set(format!("Cache-Control: {}", m.cache_control)));
}

/// What admin-ajax.php and core's `admin_init` callbacks send before the handler runs.
pub fn before_handler(site: &Site<'_>, origin: Option<&str>) -> Vec<Op> {
    let mut ops = Vec::new();
    // send_origin_headers()
    if let Some(o) = allowed_origin(origin, site.origins) {
        ops.push(Op::Set(format!("Access-Control-Allow-Origin: {o}")));
        ops.push(Op::Set("Access-Control-Allow-Credentials: true".into()));
    }
    // admin-ajax.php
    ops.push(Op::Set(format!(
        "Content-Type: text/html; charset={}",
        site.charset
    )));
    ops.push(Op::Set("X-Robots-Tag: noindex".into()));
    ops.push(Op::Set("X-Content-Type-Options: nosniff".into()));
    nocache(&site.headers, &mut ops);
    // admin_init: wp_admin_headers(), send_frame_options_header()
    ops.push(Op::Set(format!("Referrer-Policy: {REFERRER_POLICY}")));
    ops.push(Op::Set("X-Frame-Options: SAMEORIGIN".into()));
    if site.headers.csp {
        ops.push(Op::Set(
            "Content-Security-Policy: frame-ancestors 'self';".into(),
        ));
    }
    ops
}

/// `wp_send_json()` → `wp_die()` → `_ajax_wp_die_handler()`: the JSON content type, then
/// the no-cache headers again (the body is echoed between the two).
pub fn json_die(site: &Site<'_>) -> (Vec<Op>, Vec<Op>) {
    let before = vec![Op::Set(format!(
        "Content-Type: application/json; charset={}",
        site.charset
    ))];
    let mut after = Vec::new();
    nocache(&site.headers, &mut after);
    (before, after)
}

/// The body of an answered beat: what callbacks added before `wp_auth_check()` (JSON
/// members with a trailing comma, or empty), `wp-auth-check` and `server_time`.
pub fn body(extra: &str, auth_check: bool, now: i64) -> Vec<u8> {
    format!("{{{extra}\"wp-auth-check\":{auth_check},\"server_time\":{now}}}").into_bytes()
}

/// PHP's header list after `ops`, starting from `start` (as `headers_list()` shows it):
/// `header()` replaces every header of the same name and appends the new one.
pub fn headers_list(start: &[String], ops: &[Op]) -> Vec<String> {
    let name = |h: &str| {
        h.split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let mut list: Vec<String> = start.to_vec();
    for op in ops {
        match op {
            Op::Set(line) => {
                let n = name(line);
                list.retain(|h| name(h) != n);
                list.push(line.clone());
            }
            Op::Remove(n) => {
                let n = n.to_ascii_lowercase();
                list.retain(|h| name(h) != n);
            }
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(origins: &[String]) -> Site<'_> {
        Site {
            charset: "UTF-8",
            origins,
            headers: HEADERS_61,
        }
    }

    #[test]
    fn only_listed_origins_are_echoed() {
        let allowed = vec![
            "http://127.0.0.1".to_string(),
            "https://127.0.0.1".to_string(),
        ];
        assert_eq!(
            allowed_origin(Some("http://127.0.0.1"), &allowed),
            Some("http://127.0.0.1")
        );
        assert_eq!(
            allowed_origin(Some("http://127.0.0.1:18081"), &allowed),
            None
        );
        assert_eq!(allowed_origin(Some("http://evil.example"), &allowed), None);
        assert_eq!(allowed_origin(Some("0"), &allowed), None);
        assert_eq!(allowed_origin(Some(""), &allowed), None);
        assert_eq!(allowed_origin(None, &allowed), None);
        let quoted = vec!["http://a'b".to_string()];
        assert_eq!(allowed_origin(Some("http://a'b"), &quoted), None);
    }

    #[test]
    fn the_list_core_leaves_before_the_handler_and_after_it() {
        let origins = vec!["http://127.0.0.1".to_string()];
        let s = site(&origins);
        let pre = headers_list(&[], &before_handler(&s, Some("http://127.0.0.1")));
        assert_eq!(
            pre,
            [
                "Access-Control-Allow-Origin: http://127.0.0.1",
                "Access-Control-Allow-Credentials: true",
                "Content-Type: text/html; charset=UTF-8",
                "X-Robots-Tag: noindex",
                "X-Content-Type-Options: nosniff",
                "Expires: Wed, 11 Jan 1984 05:00:00 GMT",
                "Cache-Control: no-cache, must-revalidate, max-age=0",
                "Referrer-Policy: strict-origin-when-cross-origin",
                "X-Frame-Options: SAMEORIGIN",
            ]
        );
        let (a, b) = json_die(&s);
        let all = headers_list(&headers_list(&pre, &a), &b);
        // The phpt suite's expectation for every answered beat, Origin headers aside.
        assert_eq!(
            &all[2..],
            [
                "X-Robots-Tag: noindex",
                "X-Content-Type-Options: nosniff",
                "Referrer-Policy: strict-origin-when-cross-origin",
                "X-Frame-Options: SAMEORIGIN",
                "Content-Type: application/json; charset=UTF-8",
                "Expires: Wed, 11 Jan 1984 05:00:00 GMT",
                "Cache-Control: no-cache, must-revalidate, max-age=0",
            ]
        );
        assert_eq!(
            body("", false, 5),
            br#"{"wp-auth-check":false,"server_time":5}"#.to_vec()
        );
    }

    #[test]
    fn later_cores_headers() {
        let m = HeaderModel {
            cache_control: "no-cache, must-revalidate, max-age=0, no-store, private",
            csp: true,
        };
        let s = Site {
            charset: "UTF-8",
            origins: &[],
            headers: m,
        };
        let pre = headers_list(
            &["X-Powered-By: PHP/8.4".to_string()],
            &before_handler(&s, None),
        );
        assert_eq!(pre[0], "X-Powered-By: PHP/8.4");
        assert_eq!(
            pre.last().map(String::as_str),
            Some("Content-Security-Policy: frame-ancestors 'self';")
        );
        assert!(pre.contains(
            &"Cache-Control: no-cache, must-revalidate, max-age=0, no-store, private".to_string()
        ));
    }
}
