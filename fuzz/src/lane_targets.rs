//! Fuzz targets for the fast lane's FFI-free parsing (`fastbeat_lane::manifest`).
//!
//! The manifest is written by the plugin, read by the extension before any PHP runs; a
//! hostile or corrupt file must never panic the worker and must never allow more than a
//! straightforward reading of the format would. Oracle: the same rules applied in PHP to
//! `json_decode()` (an independent JSON parser).

use crate::gen::Reader;
use crate::targets::{Check, Impl, Target};
use fastbeat_lane::manifest::{self, Manifest, Refusal};
use fastbeat_lane::request::Kind;

fn hexs(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

/// A canonical one-line description, identical to what the PHP oracle prints.
fn describe(r: &Result<Manifest, Refusal>) -> String {
    match r {
        Err(Refusal::Unreadable) => "ERR Unreadable".into(),
        Err(_) => "ERR Format".into(),
        Ok(m) => format!(
            "OK e={} n={} p={} v=[{}] w=[{}] np={}",
            m.expires,
            u8::from(m.nodata),
            u8::from(m.postdata),
            m.veto_server
                .iter()
                .map(|s| hexs(s.as_bytes()))
                .collect::<Vec<_>>()
                .join(","),
            m.watch
                .iter()
                .map(|(p, t)| format!("{}:{t}", hexs(p.as_bytes())))
                .collect::<Vec<_>>()
                .join(","),
            m.nopriv.as_ref().map_or_else(
                || "none".to_string(),
                |n| format!(
                    "[{},{},({}),({})]",
                    hexs(n.charset.as_bytes()),
                    hexs(n.referrer_policy.as_bytes()),
                    list_hex(&n.origins),
                    list_hex(&n.cookies)
                )
            )
        ),
    }
}

fn list_hex(v: &[String]) -> String {
    v.iter()
        .map(|s| hexs(s.as_bytes()))
        .collect::<Vec<_>>()
        .join(",")
}

/// JSON string literal for any UTF-8 text (the harness's own writer).
fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Re-encode a parsed manifest in the documented format.
fn encode(m: &Manifest) -> String {
    let strs = |v: &[String]| v.iter().map(|s| json_str(s)).collect::<Vec<_>>().join(",");
    let nopriv = m.nopriv.as_ref().map_or_else(
        || "null".to_string(),
        |n| {
            format!(
                "{{\"charset\":{},\"referrer_policy\":{},\"origins\":[{}],\"cookies\":[{}]}}",
                json_str(&n.charset),
                json_str(&n.referrer_policy),
                strs(&n.origins),
                strs(&n.cookies)
            )
        },
    );
    format!(
        "{{\"format\":1,\"expires\":{},\"lanes\":{{\"nodata\":{},\"postdata\":{}}},\"veto_server\":[{}],\"watch\":[{}],\"nopriv\":{nopriv}}}",
        m.expires,
        m.nodata,
        m.postdata,
        m.veto_server.iter().map(|s| json_str(s)).collect::<Vec<_>>().join(","),
        m.watch
            .iter()
            .map(|(p, t)| format!("[{},{t}]", json_str(p)))
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// A fuzz input becomes manifest text: either the bytes themselves (mode < 64), or a
/// near-valid manifest assembled from them field by field.
fn manifest_text(x: &[u8]) -> Vec<u8> {
    let mut r = Reader::new(x);
    let mode = r.byte();
    if mode < 64 {
        return r.rest().to_vec();
    }
    // Each field is well-formed unless its selector byte says "odd" (about 1 in 7; an
    // exhausted input reads zeros, i.e. well-formed), so most manifests get past syntax.
    let odd = |r: &mut Reader| r.byte() >= 220;
    let pick = |r: &mut Reader, opts: &[&str]| -> String {
        opts[usize::from(r.byte()) % opts.len()].to_string()
    };
    let mut fields: Vec<String> = Vec::new();
    let format = if odd(&mut r) {
        pick(
            &mut r,
            &["1.0", "\"1\"", "2", "0", "true", "-1", "1e0", "01", "null"],
        )
    } else {
        "1".into()
    };
    if r.byte() < 250 {
        fields.push(format!("\"format\":{format}"));
    }
    let e = r.u64() % 10_000_000_000;
    let expires = if odd(&mut r) {
        pick(
            &mut r,
            &[
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775808",
                "1795380600.0",
                "\"1795380600\"",
                "-0",
                "1e400",
                "-1",
                "0",
            ],
        )
    } else {
        e.to_string()
    };
    if r.byte() < 250 {
        fields.push(format!("\"expires\":{expires}"));
    }
    let flag = |r: &mut Reader| -> String {
        if odd(r) {
            pick(r, &["1", "0", "\"true\"", "null", "[]"])
        } else if r.byte() % 2 == 0 {
            "true".into()
        } else {
            "false".into()
        }
    };
    let nodata = flag(&mut r);
    let postdata = flag(&mut r);
    let lanes = if odd(&mut r) {
        match r.byte() % 4 {
            0 => "[true,false]".into(),
            1 => "null".into(),
            2 => format!("{{\"nodata\":{nodata}}}"),
            _ => format!("{{\"nodata\":{nodata},\"postdata\":{postdata},\"nodata\":false}}"),
        }
    } else {
        format!("{{\"nodata\":{nodata},\"postdata\":{postdata}}}")
    };
    fields.push(format!("\"lanes\":{lanes}"));
    let mut veto = Vec::new();
    for _ in 0..(r.byte() % 4) {
        veto.push(if odd(&mut r) {
            pick(&mut r, &["1", "null", "\"\\ud800\"", "[]"])
        } else {
            match r.byte() % 4 {
                0 => "\"HTTP_X_\\u0041\"".into(),
                1 => "\"\\ud83d\\ude00\\u0000\"".into(),
                2 => format!(
                    "\"{}\"",
                    String::from_utf8_lossy(r.field())
                        .replace(['"', '\\'], "")
                        .replace(|c: char| c.is_control(), "")
                ),
                _ => "\"HTTP_X_FASTBEAT_FIXTURE\"".into(),
            }
        });
    }
    fields.push(format!("\"veto_server\":[{}]", veto.join(",")));
    let mut watch = Vec::new();
    for _ in 0..(r.byte() % 4) {
        let t = r.u64() % 2_000_000_000;
        watch.push(if odd(&mut r) {
            match r.byte() % 5 {
                0 => format!("[\"/a\",{t},1]"),
                1 => "[\"/a\"]".into(),
                2 => format!("[{t},\"/a\"]"),
                3 => format!("{{\"0\":\"/a\",\"1\":{t}}}"),
                _ => format!("[\"/a\",{t}.5]"),
            }
        } else if r.byte() % 3 == 0 {
            "[\"/gone\",-1]".into()
        } else {
            format!("[\"/w/{}\",{t}]", r.byte())
        });
    }
    fields.push(format!("\"watch\":[{}]", watch.join(",")));
    match r.byte() % 4 {
        3 => {}
        1 => fields.push("\"nopriv\":null".into()),
        _ => {
            let text = |r: &mut Reader, good: &str| -> String {
                if odd(r) {
                    pick(
                        r,
                        &["\"a\\r\\nb\"", "\"x\\u0000\"", "\"\\n\"", "1", "null", "[]"],
                    )
                } else {
                    format!("\"{good}\"")
                }
            };
            let charset = text(&mut r, "UTF-8");
            let referrer = text(&mut r, "strict-origin-when-cross-origin");
            let mut origins = vec!["\"http://127.0.0.1:18081\"".to_string()];
            if odd(&mut r) {
                origins.push(pick(
                    &mut r,
                    &[
                        "\"http://x\\r\\nSet-Cookie: a=b\"",
                        "2",
                        "\"\"",
                        "\"\\u0000\"",
                    ],
                ));
            }
            let n_cookies = if odd(&mut r) {
                usize::from(r.byte() % 6)
            } else {
                3
            };
            let cookies: Vec<String> = (0..n_cookies)
                .map(|i| {
                    if odd(&mut r) {
                        pick(&mut r, &["0", "null", "\"\"", "\"a\\nb\""])
                    } else {
                        format!("\"wordpress_{i}\"")
                    }
                })
                .collect();
            let obj = format!(
                "{{\"charset\":{charset},\"referrer_policy\":{referrer},\"origins\":[{}],\"cookies\":[{}]}}",
                origins.join(","),
                cookies.join(",")
            );
            fields.push(format!(
                "\"nopriv\":{}",
                if odd(&mut r) { "[1]".to_string() } else { obj }
            ));
        }
    }
    if r.byte() % 4 == 1 {
        fields.push("\"extra\":{\"deep\":[[[[[[1]]]]]]}".into());
    }
    if r.byte() % 8 == 1 {
        fields.reverse();
    }
    let mut text = format!("{{{}}}", fields.join(","));
    if odd(&mut r) {
        match r.byte() % 5 {
            0 => text.push_str(" \n"),
            1 => text.insert(0, '\u{feff}'),
            2 => text.push(','),
            3 => text = format!("[{text}]"),
            _ => text = format!("{}{text}", "[".repeat(200)),
        }
    }
    text.into_bytes()
}

/// Deterministic fake file system for `allows()`: mtime from the path's bytes.
fn fake_mtime(salt: u8) -> impl Fn(&str) -> Option<i64> {
    move |p: &str| {
        let h = crate::gen::fnv(p.as_bytes()) ^ u64::from(salt);
        if h % 5 == 0 {
            None
        } else {
            Some(i64::try_from(h % 2_000_000_000).unwrap_or(0))
        }
    }
}

fn manifest_check(_f: &Impl, x: &[u8]) -> Check {
    let text = manifest_text(x);
    let parsed = manifest::parse(&text);
    let Ok(m) = parsed else {
        return Ok(());
    };
    // Round trip through the documented format.
    let again = manifest::parse(encode(&m).as_bytes());
    if again.as_ref() != Ok(&m) {
        return Err(format!(
            "manifest {:?} parsed to {m:?}, which re-encoded parses to {again:?}",
            String::from_utf8_lossy(&text)
        ));
    }
    // allows() against its definition, for both kinds and times around expiry.
    let salt = x.last().copied().unwrap_or(0);
    let fs = fake_mtime(salt);
    for kind in [Kind::NoData, Kind::PostData] {
        for now in [
            m.expires.saturating_sub(1),
            m.expires,
            m.expires.saturating_add(1),
            0,
        ] {
            let got = m.allows(kind, now, &fs).is_ok();
            let flag = match kind {
                Kind::NoData => m.nodata,
                Kind::PostData => m.postdata,
                Kind::NoPriv => m.nopriv.is_some(),
            };
            let want =
                now < m.expires && flag && m.watch.iter().all(|(p, t)| fs(p).unwrap_or(-1) == *t);
            if got != want {
                return Err(format!(
                    "allows({kind:?}, now={now}) = {got} for {m:?}, definition says {want}"
                ));
            }
        }
    }
    Ok(())
}

fn manifest_seeds() -> Vec<Vec<u8>> {
    let raw = |s: &str| {
        let mut v = vec![0u8];
        v.extend_from_slice(s.as_bytes());
        v
    };
    let mut v = vec![
        raw(
            r#"{"format":1,"expires":1000,"lanes":{"nodata":true,"postdata":false},"veto_server":["HTTP_X_FASTBEAT_FIXTURE"],"watch":[["/a",10],["/gone",-1]]}"#,
        ),
        raw(
            r#"{"format":1,"expires":1795380600,"lanes":{"nodata":true,"postdata":true},"veto_server":[],"watch":[]}"#,
        ),
        raw(""),
        raw("{}"),
        raw("[]"),
        raw("null"),
        raw(
            r#"{"format":1,"expires":-0,"lanes":{"nodata":true,"postdata":true},"veto_server":[],"watch":[]}"#,
        ),
        raw(
            r#"{"format":1,"expires":5,"lanes":{"nodata":true,"postdata":true},"veto_server":["\u0000x"],"watch":[["\ud83d\ude00",1]]}"#,
        ),
        raw(
            r#"{"format":1,"format":2,"expires":5,"lanes":{"nodata":true,"postdata":true},"veto_server":[],"watch":[]}"#,
        ),
    ];
    for i in 0u8..24 {
        v.push(vec![
            64 + i,
            i,
            i.wrapping_mul(7),
            i.wrapping_mul(13),
            3,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            i,
        ]);
    }
    v
}

/// PHP: the format's rules over `json_decode()` (objects as stdClass, so JSON objects and
/// arrays stay distinct). "SKIP" when PHP cannot represent the document as objects
/// (a property name starting with NUL).
const MANIFEST_PHP: &str = r#"
$v = json_decode( $a[0], false, 512 );
if ( JSON_ERROR_INVALID_PROPERTY_NAME === json_last_error() ) { return 'SKIP'; }
if ( null === $v && JSON_ERROR_NONE !== json_last_error() ) { return 'ERR Unreadable'; }
$F = 'ERR Format';
$get = static function ( $o, $k ) { return ( $o instanceof stdClass && property_exists( $o, $k ) ) ? array( $o->$k ) : null; };
$f = $get( $v, 'format' ); if ( ! $f || 1 !== $f[0] ) { return $F; }
$e = $get( $v, 'expires' ); if ( ! $e || ! is_int( $e[0] ) ) { return $F; }
$l = $get( $v, 'lanes' ); if ( ! $l ) { return $F; }
$n = $get( $l[0], 'nodata' ); if ( ! $n || ! is_bool( $n[0] ) ) { return $F; }
$p = $get( $l[0], 'postdata' ); if ( ! $p || ! is_bool( $p[0] ) ) { return $F; }
$vs = $get( $v, 'veto_server' ); if ( ! $vs || ! is_array( $vs[0] ) ) { return $F; }
$veto = array(); foreach ( $vs[0] as $s ) { if ( ! is_string( $s ) ) { return $F; } $veto[] = bin2hex( $s ); }
$ws = $get( $v, 'watch' ); if ( ! $ws || ! is_array( $ws[0] ) ) { return $F; }
$watch = array();
foreach ( $ws[0] as $pair ) {
	if ( ! is_array( $pair ) || 2 !== count( $pair ) || ! is_string( $pair[0] ) || ! is_int( $pair[1] ) ) { return $F; }
	$watch[] = bin2hex( $pair[0] ) . ':' . $pair[1];
}
$np = 'none';
$nv = $get( $v, 'nopriv' );
if ( $nv && null !== $nv[0] ) {
	$o = $nv[0];
	$c = $get( $o, 'charset' ); $r = $get( $o, 'referrer_policy' ); $og = $get( $o, 'origins' ); $ck = $get( $o, 'cookies' );
	if ( ! $c || ! is_string( $c[0] ) || ! $r || ! is_string( $r[0] ) || ! $og || ! is_array( $og[0] ) || ! $ck || ! is_array( $ck[0] ) ) { return $F; }
	foreach ( array_merge( $og[0], $ck[0] ) as $x ) { if ( ! is_string( $x ) ) { return $F; } }
	$safe = static function ( $s ) { return strcspn( $s, "\r\n\0" ) === strlen( $s ); };
	if ( ! $safe( $c[0] ) || ! $safe( $r[0] ) || count( array_filter( $og[0], $safe ) ) !== count( $og[0] ) || 3 !== count( $ck[0] ) ) { return $F; }
	$np = sprintf( '[%s,%s,(%s),(%s)]', bin2hex( $c[0] ), bin2hex( $r[0] ), implode( ',', array_map( 'bin2hex', $og[0] ) ), implode( ',', array_map( 'bin2hex', $ck[0] ) ) );
}
return sprintf( 'OK e=%d n=%d p=%d v=[%s] w=[%s] np=%s', $e[0], $n[0], $p[0], implode( ',', $veto ), implode( ',', $watch ), $np );
"#;

/// Equal (any refusal equals any refusal: the reason is not observable), or PHP could not
/// say, or the extension refused something PHP would read (the safe direction: serde_json
/// is stricter about nesting depth and out-of-range numbers).
fn manifest_compare(ours: &[u8], php: &[u8]) -> bool {
    ours == php || php == b"SKIP" || ours.starts_with(b"ERR")
}

pub fn all() -> Vec<Target> {
    vec![Target {
        name: "manifest",
        about: "lane::manifest::parse/allows (hostile manifest files) vs round trip and definition; oracle: the rules over PHP json_decode()",
        dict: &[b"{", b"}", b"[", b"]", b",", b":", b"\"", b"true", b"1", b"-1", b"\"format\":1", b"\\u0000", b"\\ud800", b" "],
        seeds: manifest_seeds,
        check: manifest_check,
        php_args: |x| Some(vec![manifest_text(x)]),
        php_expect: |_f, x| describe(&manifest::parse(&manifest_text(x))).into_bytes(),
        php_body: MANIFEST_PHP,
        php_compare: manifest_compare,
        label: |x| match manifest::parse(&manifest_text(x)) {
            Ok(m) if m.nopriv.is_some() => "accepted (nopriv)",
            Ok(_) => "accepted",
            Err(Refusal::Unreadable) => "unreadable",
            Err(_) => "refused",
        },
        mutants: Vec::new,
    }]
}
