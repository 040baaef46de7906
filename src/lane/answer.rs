//! The native answer to a beat, for sites whose manifest vouches that its path is core's
//! own (logged out; logged in without data after [`super::native`] said yes): what admin-ajax.php, `send_origin_headers()`, the
//! `admin_init` headers and `wp_ajax_nopriv_heartbeat()` would send, header call for
//! header call, so PHP's header list ends up in the same order.

use super::manifest::NoPriv;
use crate::zend::output;
use crate::zend::Flow;
use crate::zend::Stop;

/// `get_http_origin()` after `wp_magic_quotes()`, checked against the allowed origins:
/// the origin to echo in `Access-Control-Allow-Origin`, if any.
pub fn allowed_origin(origin: Option<&str>, allowed: &[String]) -> Option<String> {
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
    allowed
        .iter()
        .any(|a| a == origin)
        .then(|| origin.to_owned())
}

/// The header calls, in order, then the body, then `exit`. `extra` is what callbacks
/// added before `wp_auth_check()` (JSON members with a trailing comma, or empty), and
/// `auth_check` what it adds (false for a logged-out beat).
pub fn answer(
    n: &NoPriv,
    origin: Option<&str>,
    extra: &str,
    auth_check: bool,
    now: i64,
) -> Flow<()> {
    // send_origin_headers()
    if let Some(o) = allowed_origin(origin, &n.origins) {
        output::header(format!("Access-Control-Allow-Origin: {o}").as_bytes());
        output::header(b"Access-Control-Allow-Credentials: true");
    }
    // admin-ajax.php
    output::header(format!("Content-Type: text/html; charset={}", n.charset).as_bytes());
    output::header(b"X-Robots-Tag: noindex");
    output::header(b"X-Content-Type-Options: nosniff");
    nocache();
    // admin_init: wp_admin_headers(), send_frame_options_header()
    output::header(format!("Referrer-Policy: {}", n.referrer_policy).as_bytes());
    output::header(b"X-Frame-Options: SAMEORIGIN");
    // wp_ajax_(nopriv_)heartbeat() → wp_send_json() → wp_die() → _ajax_wp_die_handler()
    output::header(format!("Content-Type: application/json; charset={}", n.charset).as_bytes());
    output::echo(
        format!("{{{extra}\"wp-auth-check\":{auth_check},\"server_time\":{now}}}").as_bytes(),
    );
    nocache();
    output::exit();
    Err(Stop)
}

/// `nocache_headers()` (WordPress 6.1/6.2 values; the manifest is only written there).
fn nocache() {
    output::header_remove(b"Last-Modified");
    output::header(b"Expires: Wed, 11 Jan 1984 05:00:00 GMT");
    output::header(b"Cache-Control: no-cache, must-revalidate, max-age=0");
}

#[cfg(test)]
mod tests {
    use super::allowed_origin;

    #[test]
    fn only_listed_origins_are_echoed() {
        let allowed = vec![
            "http://127.0.0.1".to_string(),
            "https://127.0.0.1".to_string(),
        ];
        assert_eq!(
            allowed_origin(Some("http://127.0.0.1"), &allowed).as_deref(),
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
}
