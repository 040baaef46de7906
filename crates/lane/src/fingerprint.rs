//! Which model fits the installed WordPress: each native answer stands in for a handful of
//! core functions, and a model is used only when the installed code of every one of them
//! is code the model was written for. The code is compared by fingerprint: a hash of the
//! function's source with comments and whitespace runs left out, so a release that leaves
//! the functions alone keeps the lane, and one that changes any of them loses only the
//! answers that depend on it (and never gets another version's model).
//!
//! The fingerprints of the releases the models were written for are in [`known`]; `cargo
//! test` checks them against the trees when `FASTBEAT_WP_TREES` names them.

use sha2::{Digest, Sha256};

/// Kinds of source spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    Code,
    Space,
    Comment,
    Str,
}

/// Splits PHP source into code, whitespace, comments and string literals: enough to
/// strip comments and to match braces, not a full tokenizer (what matters is that the
/// same source always gives the same result).
fn spans(src: &[u8]) -> Vec<(Span, usize, usize)> {
    let mut out = Vec::new();
    let n = src.len();
    let mut i = 0;
    let mut code_start = 0;
    let flush = |out: &mut Vec<(Span, usize, usize)>, a: usize, b: usize| {
        if b > a {
            out.push((Span::Code, a, b));
        }
    };
    while i < n {
        let c = src[i];
        let next = src.get(i + 1).copied();
        let (kind, end) = if c.is_ascii_whitespace() {
            let mut j = i;
            while j < n && src[j].is_ascii_whitespace() {
                j += 1;
            }
            (Span::Space, j)
        } else if (c == b'/' && next == Some(b'/')) || (c == b'#' && next != Some(b'[')) {
            let mut j = i;
            while j < n && src[j] != b'\n' {
                j += 1;
            }
            (Span::Comment, j)
        } else if c == b'/' && next == Some(b'*') {
            let mut j = i + 2;
            while j + 1 < n && !(src[j] == b'*' && src[j + 1] == b'/') {
                j += 1;
            }
            (Span::Comment, (j + 2).min(n))
        } else if c == b'\'' || c == b'"' || c == b'`' {
            let mut j = i + 1;
            while j < n && src[j] != c {
                if src[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            (Span::Str, (j + 1).min(n))
        } else if src[i..].starts_with(b"<<<") {
            (Span::Str, heredoc_end(src, i))
        } else {
            i += 1;
            continue;
        };
        flush(&mut out, code_start, i);
        out.push((kind, i, end));
        i = end.max(i + 1);
        code_start = i;
    }
    flush(&mut out, code_start, n);
    out
}

/// End of a heredoc or nowdoc starting at `at` (`<<<`).
fn heredoc_end(src: &[u8], at: usize) -> usize {
    let mut j = at + 3;
    while j < src.len() && (src[j] == b' ' || src[j] == b'\t') {
        j += 1;
    }
    let quoted = matches!(src.get(j), Some(b'\'' | b'"'));
    if quoted {
        j += 1;
    }
    let id_start = j;
    while j < src.len() && (src[j].is_ascii_alphanumeric() || src[j] == b'_') {
        j += 1;
    }
    let id = &src[id_start..j];
    if id.is_empty() {
        return at + 3;
    }
    // The body ends at a line whose first non-blank characters are the identifier.
    let mut line = match src[j..].iter().position(|&b| b == b'\n') {
        Some(p) => j + p + 1,
        None => return src.len(),
    };
    while line < src.len() {
        let mut k = line;
        while k < src.len() && (src[k] == b' ' || src[k] == b'\t') {
            k += 1;
        }
        if src[k..].starts_with(id)
            && !src
                .get(k + id.len())
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            return k + id.len();
        }
        line = match src[line..].iter().position(|&b| b == b'\n') {
            Some(p) => line + p + 1,
            None => return src.len(),
        };
    }
    src.len()
}

/// The source without comments, every whitespace run made one space.
pub fn normalize(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut pending_space = false;
    for (kind, a, b) in spans(src) {
        match kind {
            Span::Space | Span::Comment => pending_space = true,
            Span::Code | Span::Str => {
                if pending_space && !out.is_empty() {
                    out.push(b' ');
                }
                pending_space = false;
                out.extend_from_slice(&src[a..b]);
            }
        }
    }
    out
}

/// The fingerprint of some source: the first 16 hex digits of the SHA-256 of its
/// normalized form.
pub fn fingerprint(src: &[u8]) -> String {
    let d = Sha256::digest(normalize(src));
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Offsets of code spans' bytes (`None` for bytes inside strings or comments).
fn is_code(spans: &[(Span, usize, usize)], len: usize) -> Vec<bool> {
    let mut code = vec![false; len];
    for &(kind, a, b) in spans {
        if kind == Span::Code {
            for c in &mut code[a..b] {
                *c = true;
            }
        }
    }
    code
}

/// Where a keyword followed by a name starts (`function wp_die`, `class WP_User`), in
/// code, at or after `from` and before `to`; the name compared case-insensitively.
fn find_decl(
    src: &[u8],
    code: &[bool],
    keyword: &[u8],
    name: &str,
    from: usize,
    to: usize,
) -> Option<usize> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    if name.is_empty() {
        return None;
    }
    let mut i = from;
    while i + keyword.len() < to {
        // Keywords are case-insensitive; comments may sit before the name.
        if code[i]
            && src[i..i + keyword.len()].eq_ignore_ascii_case(keyword)
            && (i == 0 || !word(src[i - 1]))
            && !word(src[i + keyword.len()])
        {
            let mut j = skip_gap(src, i + keyword.len(), to);
            if j < to && src[j] == b'&' {
                j = skip_gap(src, j + 1, to);
            }
            let s = j;
            while j < to && word(src[j]) {
                j += 1;
            }
            if src[s..j].eq_ignore_ascii_case(name.as_bytes()) {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// The end (one past the matching `}`) of the block whose `{` is the first one in code
/// at or after `from`.
/// Past whitespace and comments (`/* */`, `#`, `//`) from `j`: what may separate a
/// keyword from a name.
fn skip_gap(src: &[u8], mut j: usize, to: usize) -> usize {
    loop {
        let rest = &src[j.min(to)..to];
        if rest.first().is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        } else if rest.starts_with(b"/*") {
            j = rest[2..]
                .windows(2)
                .position(|w| w == b"*/")
                .map_or(to, |p| j + p + 4);
        } else if rest.starts_with(b"#") && !rest.starts_with(b"#[") || rest.starts_with(b"//") {
            j = rest
                .iter()
                .position(|b| *b == b'\n')
                .map_or(to, |p| j + p + 1);
        } else {
            return j.min(to);
        }
    }
}

fn block_end(src: &[u8], code: &[bool], from: usize) -> Option<usize> {
    let open = (from..src.len()).find(|&i| code[i] && src[i] == b'{')?;
    let mut depth = 0usize;
    for i in open..src.len() {
        if !code[i] {
            continue;
        }
        match src[i] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Brace depth at `at`, counting code braces from `from` (where the depth is 0, or 0
/// just before a class's opening brace).
fn depth_at(src: &[u8], code: &[bool], from: usize, at: usize) -> usize {
    let mut depth: usize = 0;
    for i in from..at {
        if code[i] {
            match src[i] {
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    depth
}

/// The source of a function (`class` `None`) or method, from `function` to its closing
/// brace; the first declaration in the file when a name is declared more than once.
pub fn function_source<'a>(file: &'a [u8], class: Option<&str>, name: &str) -> Option<&'a [u8]> {
    let sp = spans(file);
    let code = is_code(&sp, file.len());
    let (start, to, want_depth) = match class {
        None => (0, file.len(), 0),
        Some(c) => {
            let at = find_decl(file, &code, b"class", c, 0, file.len())?;
            (at, block_end(file, &code, at)?, 1)
        }
    };
    // Only declarations at the top level of the file or of the class: a method of some
    // class may share a function's name (the customizer's wp_die()). Depth is counted
    // from where the search started, whatever candidates were skipped.
    let mut from = start;
    loop {
        let at = find_decl(file, &code, b"function", name, from, to)?;
        if depth_at(file, &code, start, at) == want_depth {
            let end = block_end(file, &code, at)?;
            return (end <= to).then(|| &file[at..end]);
        }
        from = at + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &[u8] = br#"<?php
/** Doc. */
if ( ! function_exists( 'wp_hash' ) ) :
	function wp_hash( $data, $scheme = 'auth' ) {
		$salt = wp_salt( $scheme ); // the salt
		# another comment with a } brace
		return hash_hmac( 'md5', $data, $salt ); /* } */
	}
endif;
$s = "a } \" {";
$h = <<<EOT
  } { function fake() {}
  EOT;
class WP_Thing {
	public function verify( $token ) {
		if ( $token ) { return '}'; }
		return false;
	}
}
function after() { return 1; }
"#;

    #[test]
    fn functions_and_methods_by_name() {
        let f = function_source(SRC, None, "wp_hash");
        assert_eq!(
            f.map(normalize).as_deref(),
            Some(&b"function wp_hash( $data, $scheme = 'auth' ) { $salt = wp_salt( $scheme ); return hash_hmac( 'md5', $data, $salt ); }"[..])
        );
        let m = function_source(SRC, Some("WP_Thing"), "VERIFY");
        assert!(m.is_some_and(|m| m.ends_with(b"return false;\n\t}")));
        assert_eq!(
            function_source(SRC, None, "after")
                .map(normalize)
                .as_deref(),
            Some(&b"function after() { return 1; }"[..])
        );
        // Inside strings and heredocs is not code.
        assert_eq!(function_source(SRC, None, "fake"), None);
        // Skipped candidates do not reset the depth (found by the fuzzer).
        let nested: &[u8] = b"<?php class A { public function m() { function f() {} } public function f() {} } function f() { return 2; }";
        assert_eq!(
            function_source(nested, None, "f"),
            Some(&b"function f() { return 2; }"[..])
        );
        let inner: &[u8] =
            b"<?php class A { public function m() { function verify() {} } public function verify() { return 3; } }";
        assert_eq!(
            function_source(inner, Some("A"), "verify"),
            Some(&b"function verify() { return 3; }"[..])
        );
        // Keywords in any case, comments before the name.
        assert!(function_source(b"<?php FUNCTION g() {}", None, "g").is_some());
        assert!(function_source(b"<?php function /* c */ g() {}", None, "g").is_some());
        assert_eq!(function_source(SRC, Some("Nope"), "verify"), None);
    }

    #[test]
    fn comments_and_layout_do_not_change_a_fingerprint_code_does() {
        let a = b"function f( $x ) {\n\treturn $x + 1; // add\n}";
        let b = b"function f( $x ) { /* same */ return $x + 1;\n\n}";
        let c = b"function f( $x ) { return $x + 2; }";
        assert_eq!(fingerprint(a), fingerprint(b));
        assert_ne!(fingerprint(a), fingerprint(c));
        assert_eq!(fingerprint(a).len(), 16);
        // A comment marker inside a string is part of the string.
        assert_ne!(fingerprint(b"f('#a');"), fingerprint(b"f('#b');"));
    }
}
