//! The session token WordPress reads from the `logged_in` cookie. FFI-free.

/// What `wp_get_session_token()` returns for a `wordpress_logged_in_*` cookie value
/// (already magic-quoted, as WordPress sees it): `wp_parse_auth_cookie()` needs exactly
/// four `|`-separated parts and the token is the third; an empty or `"0"` cookie or
/// token gives `""`. The cookie is only parsed here, never validated, exactly like core.
pub fn session_token(cookie: &[u8]) -> &[u8] {
    if crate::text::php_string_is_empty(cookie) {
        return b"";
    }
    let Some([_user, _expiration, token, _hmac]) = parts(cookie) else {
        return b"";
    };
    if crate::text::php_string_is_empty(token) {
        b""
    } else {
        token
    }
}

/// `explode( '|', $cookie )` when it gives exactly the four elements
/// `wp_parse_auth_cookie()` requires: username, expiration, token, hmac.
pub fn parts(cookie: &[u8]) -> Option<[&[u8]; 4]> {
    let mut it = cookie.split(|b| *b == b'|');
    let four = [it.next()?, it.next()?, it.next()?, it.next()?];
    it.next().is_none().then_some(four)
}

#[cfg(test)]
mod tests {
    use super::session_token;

    #[test]
    fn four_parts_give_the_third() {
        assert_eq!(session_token(b"admin|1795551073|TOKEN|hmac"), b"TOKEN");
        assert_eq!(session_token(b"|||"), b"");
        assert_eq!(session_token(b"a|b|c\\'|d"), b"c\\'");
    }

    #[test]
    fn anything_else_gives_empty() {
        assert_eq!(session_token(b""), b"");
        assert_eq!(session_token(b"0"), b"");
        assert_eq!(session_token(b"a|b|c"), b"");
        assert_eq!(session_token(b"a|b|c|d|e"), b"");
        assert_eq!(session_token(b"a|b|0|d"), b"");
        assert_eq!(session_token(b"a|b||d"), b"");
    }
}
