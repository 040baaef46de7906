//! `answer`: the header plan of a native answer.
//!
//! Properties: `headers_list` over random `header()` / `header_remove()` sequences is
//! PHP's list (SAPI.c: a header of the same name is one whose bytes before the new line's
//! first `:` match case-insensitively and are followed by `:`; removed, then the new line
//! appended), for the well-formed lines the lane sends (`Name: value`, no blank before the
//! colon, none at the end); `allowed_origin` never echoes anything but the request's
//! `Origin` when it is in the allowed list, and agrees with core's `send_origin_headers()`
//! after `wp_magic_quotes()` (`addslashes()`, then `empty()`) whenever no allowed origin
//! holds a backslash; the plan before the handler and `wp_die()`'s leave one header per
//! name, core's values, and the order core leaves.

use super::{list, pick, with_lane};
use crate::gen::Reader;
use crate::targets::{ensure, Check, Impl, Target};
use fastbeat_lane::answer::{self, HeaderModel, Op, Site, HEADERS_61};

const NAMES: &[&str] = &[
    "Content-Type",
    "content-type",
    "CONTENT-TYPE",
    "X-Foo",
    "x-foo",
    "X-Foo-Bar",
    "X-Fo",
    "Expires",
    "expires",
    "Last-Modified",
    "last-modified",
    "Cache-Control",
    "Access-Control-Allow-Origin",
    "X-Powered-By",
    "x-powered-by",
    "X-Robots-Tag",
];

const VALUES: &[&str] = &[
    "1",
    "a: b",
    "text/html; charset=UTF-8",
    "no-cache, must-revalidate, max-age=0",
    "Wed, 11 Jan 1984 05:00:00 GMT",
    "x:y:z",
    "-",
    "\u{e9}t\u{e9}",
];

const ORIGINS: &[&str] = &[
    "http://127.0.0.1",
    "https://127.0.0.1",
    "0",
    "",
    "http://127.0.0.1:18081",
    "HTTP://127.0.0.1",
    "http://127.0.0.1 ",
    "http://a'b",
    "http://a\\'b",
    "http://a\"b",
    "null",
];

fn line(r: &mut Reader) -> String {
    format!("{}: {}", pick(r, NAMES), pick(r, VALUES))
}

fn ops(r: &mut Reader) -> (Vec<String>, Vec<Op>) {
    let start = (0..r.byte() % 4).map(|_| line(r)).collect();
    let ops = (0..r.byte() % 12)
        .map(|_| {
            if r.byte() % 4 == 3 {
                Op::Remove(pick(r, NAMES))
            } else {
                Op::Set(line(r))
            }
        })
        .collect();
    (start, ops)
}

/// Whether PHP's `sapi_remove_header()` removes `existing` for `name`.
fn same_name(existing: &str, name: &str) -> bool {
    let (e, n) = (existing.as_bytes(), name.as_bytes());
    e.len() > n.len() && e[n.len()] == b':' && e[..n.len()].eq_ignore_ascii_case(n)
}

/// `header( $line )` (replace) and `header_remove( $name )` as SAPI.c does them.
fn php_headers(start: &[String], ops: &[Op]) -> Vec<String> {
    let mut l = start.to_vec();
    for op in ops {
        match op {
            Op::Set(line) => {
                if let Some(c) = line.find(':') {
                    let name = &line[..c];
                    l.retain(|h| !same_name(h, name));
                }
                l.push(line.clone());
            }
            Op::Remove(name) => l.retain(|h| !same_name(h, name)),
        }
    }
    l
}

fn addslashes(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        match c {
            '\'' | '"' | '\\' => {
                o.push('\\');
                o.push(c);
            }
            '\0' => o.push_str("\\0"),
            c => o.push(c),
        }
    }
    o
}

/// Core: `get_http_origin()` over the slashed `$_SERVER['HTTP_ORIGIN']` (`empty()`
/// gives ''), `is_allowed_http_origin()` (`in_array( ..., true )`), then the header.
fn php_origin(origin: Option<&str>, allowed: &[String]) -> Option<String> {
    let o = addslashes(origin?);
    (!o.is_empty() && o != "0" && allowed.contains(&o)).then_some(o)
}

fn name_of(h: &str) -> String {
    h.split(':').next().unwrap_or(h).to_ascii_lowercase()
}

fn check(f: &Impl, x: &[u8]) -> Check {
    let mut r = Reader::new(x);
    let (start, ops) = ops(&mut r);
    let got = (f.lane.headers_list)(&start, &ops);
    let want = php_headers(&start, &ops);
    ensure(got == want, || {
        format!("headers_list({start:?}, {ops:?}) = {got:?}, PHP leaves {want:?}")
    })?;

    let allowed = list(&mut r, ORIGINS, 3);
    let origin: Option<String> = match r.byte() % 4 {
        0 if !allowed.is_empty() => Some(allowed[usize::from(r.byte()) % allowed.len()].clone()),
        1 => None,
        3 => Some(String::from_utf8_lossy(r.field()).into_owned()),
        _ => Some(pick(&mut r, ORIGINS).to_string()),
    };
    let echoed = (f.lane.allowed_origin)(origin.as_deref(), &allowed);
    ensure(
        echoed.is_none_or(|e| Some(e) == origin.as_deref() && allowed.iter().any(|a| a == e)),
        || format!("allowed_origin({origin:?}, {allowed:?}) echoes {echoed:?}"),
    )?;
    if !allowed.iter().any(|a| a.contains('\\')) {
        let core = php_origin(origin.as_deref(), &allowed);
        ensure(echoed.map(str::to_string) == core, || {
            format!("allowed_origin({origin:?}, {allowed:?}) = {echoed:?}, core sends {core:?}")
        })?;
    }

    let headers = pick(
        &mut r,
        &[
            HEADERS_61,
            HeaderModel {
                cache_control: "no-cache, must-revalidate, max-age=0, no-store, private",
                csp: true,
            },
        ],
    );
    let charset = pick(&mut r, &["UTF-8", "ISO-8859-1", "", "utf-8"]);
    let site = Site {
        charset,
        origins: &allowed,
        headers,
    };
    let powered = if r.byte() % 2 == 1 {
        vec!["X-Powered-By: PHP/8.2".to_string()]
    } else {
        Vec::new()
    };
    let pre = (f.lane.headers_list)(&powered, &answer::before_handler(&site, origin.as_deref()));
    let mut names: Vec<String> = pre.iter().map(|h| name_of(h)).collect();
    names.sort();
    let n = names.len();
    names.dedup();
    ensure(names.len() == n, || {
        format!("two headers of one name: {pre:?}")
    })?;
    let has = |l: &[String], h: &str| l.iter().any(|x| x == h);
    let acao = pre
        .iter()
        .find(|h| name_of(h) == "access-control-allow-origin");
    ensure(
        acao.cloned() == echoed.map(|o| format!("Access-Control-Allow-Origin: {o}")),
        || format!("before the handler {pre:?}, origin {origin:?} echoed {echoed:?}"),
    )?;
    ensure(
        has(&pre, &format!("Content-Type: text/html; charset={charset}"))
            && has(&pre, &format!("Cache-Control: {}", headers.cache_control))
            && has(&pre, "Expires: Wed, 11 Jan 1984 05:00:00 GMT")
            && has(&pre, "X-Frame-Options: SAMEORIGIN")
            && has(&pre, "Referrer-Policy: strict-origin-when-cross-origin")
            && has(&pre, "Content-Security-Policy: frame-ancestors 'self';") == headers.csp
            && (powered.is_empty() || pre[0] == powered[0]),
        || format!("before the handler for {headers:?}, charset {charset:?}: {pre:?}"),
    )?;
    let (a, b) = answer::json_die(&site);
    let all = (f.lane.headers_list)(&(f.lane.headers_list)(&pre, &a), &b);
    let tail = [
        format!("Content-Type: application/json; charset={charset}"),
        "Expires: Wed, 11 Jan 1984 05:00:00 GMT".to_string(),
        format!("Cache-Control: {}", headers.cache_control),
    ];
    ensure(all.len() == pre.len() && all.ends_with(&tail), || {
        format!("after wp_die(): {all:?}")
    })
}

/// Seed bytes: start lines, ops, then the origin part.
fn seed(start: &[(u8, u8)], ops: &[(bool, u8, u8)], rest: &[u8]) -> Vec<u8> {
    let mut v = vec![u8::try_from(start.len()).unwrap_or(0)];
    for (n, val) in start {
        v.extend([*n, *val]);
    }
    v.push(u8::try_from(ops.len()).unwrap_or(0));
    for (remove, n, val) in ops {
        if *remove {
            v.extend([3, *n]);
        } else {
            v.extend([0, *n, *val]);
        }
    }
    v.extend_from_slice(rest);
    v
}

fn seeds() -> Vec<Vec<u8>> {
    vec![
        // Content-Type then content-type: replaced, whatever the case.
        seed(&[(0, 0)], &[(false, 1, 2)], &[]),
        // X-Foo removed by name; X-Foo-Bar and X-Fo are other names.
        seed(
            &[(3, 0), (5, 1), (6, 5)],
            &[(true, 4, 0), (false, 3, 6)],
            &[],
        ),
        // Expires removed case-insensitively, value with colons.
        seed(&[(7, 5), (11, 3)], &[(true, 8, 0), (false, 9, 5)], &[]),
        // Allowed "0": core's empty() never echoes it.
        seed(&[], &[], &[1, 2, 0, 0]),
        // A port the list lacks; the list's own origin; a quote.
        seed(&[], &[], &[1, 0, 2, 4]),
        seed(&[], &[], &[2, 0, 1, 0, 1]),
        seed(&[], &[], &[1, 7, 2, 7]),
        seed(&[], &[], &[1, 8, 2, 7, 1, 1, 1]),
        seed(&[], &[], &[0, 1, 1, 3, 1]),
    ]
}

fn mut_headers_case_sensitive(start: &[String], ops: &[Op]) -> Vec<String> {
    let name = |h: &str| h.split(':').next().unwrap_or("").trim().to_string();
    let mut l = start.to_vec();
    for op in ops {
        match op {
            Op::Set(line) => {
                let n = name(line);
                l.retain(|h| name(h) != n);
                l.push(line.clone());
            }
            Op::Remove(n) => l.retain(|h| name(h) != *n),
        }
    }
    l
}

fn mut_headers_no_remove(start: &[String], ops: &[Op]) -> Vec<String> {
    let kept: Vec<Op> = ops
        .iter()
        .filter(|o| matches!(o, Op::Set(_)))
        .cloned()
        .collect();
    answer::headers_list(start, &kept)
}

fn mut_origin_zero<'o>(origin: Option<&'o str>, allowed: &[String]) -> Option<&'o str> {
    // Forgets empty(): "0" and "" are echoed when listed.
    let o = origin?;
    (!o.bytes().any(|b| matches!(b, b'\'' | b'"' | b'\\' | 0)) && allowed.iter().any(|a| a == o))
        .then_some(o)
}

fn mut_origin_prefix<'o>(origin: Option<&'o str>, allowed: &[String]) -> Option<&'o str> {
    let o = origin?;
    (!o.is_empty()
        && allowed
            .iter()
            .any(|a| !a.is_empty() && o.starts_with(a.as_str())))
    .then_some(o)
}

pub fn target() -> Target {
    Target {
        name: "answer",
        about: "lane::answer: headers_list vs PHP's header() replace semantics, allowed_origin vs core's send_origin_headers(), the plan before the handler and wp_die()'s",
        dict: &[],
        seeds,
        check,
        php_args: |_| None,
        php_expect: |_, _| Vec::new(),
        php_body: "",
        php_compare: |a, b| a == b,
        label: |_| "",
        mutants: || {
            vec![
                ("headers_list compares names case-sensitively", with_lane(|l| l.headers_list = mut_headers_case_sensitive)),
                ("headers_list ignores header_remove()", with_lane(|l| l.headers_list = mut_headers_no_remove)),
                ("allowed_origin echoes a listed \"0\"", with_lane(|l| l.allowed_origin = mut_origin_zero)),
                ("allowed_origin matches a prefix", with_lane(|l| l.allowed_origin = mut_origin_prefix)),
            ]
        },
    }
}
