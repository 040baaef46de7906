//! `fingerprint`: which installed core function a native model may stand in for.
//!
//! Properties: `normalize`, `fingerprint` and `function_source` never panic on arbitrary
//! bytes; `normalize` is idempotent (its output has one space where any run of blanks
//! and comments was, which normalizes to itself), so `fingerprint(normalize(x)) ==
//! fingerprint(x)`; a fingerprint is 16 lower-case hex digits. For PHP files built from a
//! small grammar: replacing any blank between two tokens by other blanks and comments
//! leaves the function's normalized text and fingerprint unchanged, changing a literal
//! changes them; `function_source` finds the first top-level declaration (or the class's
//! method) by name in any letter case, skipping declarations in strings, comments,
//! heredocs, nested functions, brace-conditional blocks and methods of the same name, and
//! returns a slice of the input from `function` to its closing brace.
//!
//! Oracle: PHP includes the file (in a namespace of its own) and `ReflectionFunction` /
//! `ReflectionMethod` give the declaration's lines; the text from that `function` token
//! to its closing brace, by `token_get_all()`, must be what `function_source` returns.

use super::{pick, with_lane};
use crate::gen::Reader;
use crate::targets::{ensure, show, Check, Impl, Target};
use std::collections::HashMap;

const STRLITS: &[&str] = &[
    "'a  b'",
    "'a b'",
    "'# not a comment'",
    "'// nor this'",
    "'/* nor this */'",
    "'it\\'s'",
    "\"a\\\"b\"",
    "'}'",
    "'{'",
    "\"function fz_ghost() {}\"",
    "'\\\\'",
    "\"x {$y} }\"",
];

const NUMS: &[&str] = &["1", "0", "42", "0x1F", "1.5", "7"];

const HEREDOCS: &[&str] = &[
    "<<<EOT\n  a } { function fz_ghost() {\n  EOT",
    "<<<'NOW'\nb { // x\nNOW",
    "<<<\"EOT\"\n  }}}\n  EOT",
];

/// Blanks and comments a blank between tokens may become. The first (what an exhausted
/// input picks) is a comment, so layouts with comments are always tried.
const SEPS: &[&str] = &[
    " /* x */ ",
    " ",
    "\t",
    "\n",
    "\r\n",
    "  ",
    "/** doc { */",
    "// line } \n",
    "# hash {\n",
    "\n\t\t",
];

fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Tokens of an expression.
fn expr(r: &mut Reader, t: &mut Vec<String>, d: u8) {
    match r.byte() % 9 {
        1 => t.push(pick(r, NUMS).into()),
        2 => t.push(pick(r, STRLITS).into()),
        3 if d < 2 => {
            t.extend(["strlen".into(), "(".into()]);
            expr(r, t, d + 1);
            t.push(")".into());
        }
        4 if d < 2 => {
            expr(r, t, d + 1);
            t.push("+".into());
            expr(r, t, d + 1);
        }
        5 => t.extend(["$a", "[", "'k'", "]"].map(String::from)),
        6 => t.extend(["Foo", "::", "class"].map(String::from)),
        7 if d < 2 => {
            t.push("(".into());
            expr(r, t, d + 1);
            t.push(")".into());
        }
        _ => t.push("$x".into()),
    }
}

/// Tokens of a few statements (an exhausted input gives `echo 'a  b';`).
fn stmts(r: &mut Reader, t: &mut Vec<String>, d: u8) {
    let n = if d == 0 {
        1 + r.byte() % 4
    } else {
        r.byte() % 3
    };
    for _ in 0..n {
        match r.byte() % 10 {
            0 => {
                t.push("echo".into());
                t.push(pick(r, STRLITS).into());
                t.push(";".into());
            }
            1 => {
                t.push("return".into());
                expr(r, t, 0);
                t.push(";".into());
            }
            3 if d < 2 => {
                t.extend(["if", "("].map(String::from));
                expr(r, t, 0);
                t.extend([")", "{"].map(String::from));
                stmts(r, t, d + 1);
                t.push("}".into());
                if r.byte() % 2 == 1 {
                    t.extend(["else", "{"].map(String::from));
                    stmts(r, t, d + 1);
                    t.push("}".into());
                }
            }
            4 if d < 2 => {
                t.extend(
                    ["foreach", "(", "$v", "as", "$k", "=>", "$w", ")", "{"].map(String::from),
                );
                stmts(r, t, d + 1);
                t.push("}".into());
            }
            5 => t.extend(
                [
                    "$f", "=", "function", "(", "$x", ")", "use", "(", "$y", ")", "{", "return",
                    "$x", ";", "}", ";",
                ]
                .map(String::from),
            ),
            6 => {
                t.extend(["$h", "="].map(String::from));
                t.push(pick(r, HEREDOCS).into());
                t.push(";".into());
            }
            7 => t.extend(
                ["$o", "->", "call", "(", "Foo", "::", "class", ")", ";"].map(String::from),
            ),
            8 => t.extend(["$s", "=", "\"x {$y} }\"", ";"].map(String::from)),
            _ => {
                t.extend(["$v", "="].map(String::from));
                expr(r, t, 0);
                t.push(";".into());
            }
        }
    }
}

/// A function's tokens, `function` first, its closing brace last.
fn function_tokens(r: &mut Reader, name: &str) -> Vec<String> {
    let mut t = vec!["function".to_string()];
    if r.byte() % 8 == 7 {
        t.push("&".into());
    }
    t.push(name.into());
    t.push("(".into());
    let mut params: Vec<&[&str]> = (0..r.byte() % 3)
        .map(|_| {
            pick(
                r,
                &[
                    &["$a"][..],
                    &["$b", "=", "'x'"],
                    &["array", "$c", "=", "array", "(", ")"],
                    // By reference: `&` right before the variable (PHP's lexer needs it).
                    &["&$d"],
                    &["$e", "=", "null"],
                ],
            )
        })
        .collect();
    // Required parameters first (PHP deprecates an optional one before them).
    params.sort_by_key(|p| p.contains(&"="));
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            t.push(",".into());
        }
        // Parameter names unique per position.
        t.extend(p.iter().map(|s| {
            if s.starts_with('$') || s.starts_with("&$") {
                format!("{s}{i}")
            } else {
                (*s).to_string()
            }
        }));
    }
    t.push(")".into());
    if r.byte() % 4 == 3 {
        t.extend([":", "array"].map(String::from));
    }
    t.push("{".into());
    stmts(r, &mut t, 0);
    t.push("}".into());
    t
}

/// Whether a blank is needed between two tokens (two words would merge).
fn needs_blank(a: &str, b: &str) -> bool {
    let end = a.bytes().last().is_some_and(word);
    let start = b
        .bytes()
        .next()
        .is_some_and(|c| word(c) || matches!(c, b'$' | b'\'' | b'"' | b'&' | b'<'));
    end && start
}

/// The function as text twice: with single blanks where the layout has any (`base`), and
/// with each of those blanks made a run of blanks and comments (`variant`). Blanks after a
/// heredoc stay empty; those between `function`, `&` and the name stay blanks.
fn layout(r: &mut Reader, toks: &[String]) -> (String, String) {
    let mut base = String::new();
    let mut variant = String::new();
    for (i, tok) in toks.iter().enumerate() {
        if i > 0 {
            let prev = &toks[i - 1];
            let blank =
                !prev.starts_with("<<<") && (needs_blank(prev, tok) || r.byte().is_multiple_of(2));
            if blank {
                base.push(' ');
                let header = i <= 3 && toks[..i].iter().all(|t| t == "function" || t == "&");
                if header {
                    variant.push_str(pick(r, &[" ", "\n", "\t "]));
                } else {
                    for _ in 0..=r.byte() % 3 {
                        variant.push_str(pick(r, SEPS));
                    }
                }
            }
        }
        base.push_str(tok);
        variant.push_str(tok);
    }
    (base, variant)
}

/// `name` in another letter case (mode 0, an exhausted input: every letter swapped).
fn recase(r: &mut Reader, name: &str) -> String {
    match r.byte() % 4 {
        0 => name
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect(),
        1 => name.to_ascii_uppercase(),
        2 => name.to_ascii_lowercase(),
        _ => name.to_string(),
    }
}

/// A generated PHP file and what `function_source` must find in it.
struct File {
    src: Vec<u8>,
    /// First top-level declaration of each function (lower-case name): byte range.
    functions: HashMap<String, (usize, usize)>,
    /// Methods of `Fz_Thing` (lower-case name): byte range.
    methods: HashMap<String, (usize, usize)>,
    /// The target function as laid out with single blanks, and in the file.
    base: String,
    variant: String,
    /// The target's tokens.
    toks: Vec<String>,
    /// The query: class and name (in some letter case).
    class: Option<String>,
    name: String,
    /// PHP can include it: no function declared twice, none a brace block declares.
    oracle_ok: bool,
}

impl File {
    fn push(&mut self, s: &str) -> (usize, usize) {
        let a = self.src.len();
        self.src.extend_from_slice(s.as_bytes());
        (a, self.src.len())
    }

    fn function(&mut self, s: &str, lower: &str) {
        let span = self.push(s);
        self.functions.entry(lower.to_string()).or_insert(span);
    }
}

fn gen_file(r: &mut Reader) -> File {
    let items = r.byte();
    let (class, name): (Option<&str>, &str) = pick(
        r,
        &[
            (None, "fz_beat"),
            (None, "fz_plug"),
            (None, "fz_cond"),
            (None, "fz_inner"),
            (None, "fz_ghost"),
            (None, "fz_outer"),
            (None, "fz_beat_more"),
            (Some("Fz_Thing"), "verify"),
            (Some("fz_thing"), "fz_beat"),
            (Some("Nope"), "verify"),
            (Some("Fz_Thing"), "fz_ghost"),
        ],
    );
    let query = recase(r, name);
    let target = recase(r, "fz_Beat");
    let toks = function_tokens(r, &target);
    let (base, variant) = layout(r, &toks);
    let mut f = File {
        src: Vec::new(),
        functions: HashMap::new(),
        methods: HashMap::new(),
        base,
        variant: variant.clone(),
        toks,
        class: None,
        name: String::new(),
        oracle_ok: true,
    };
    f.push("<?php\nnamespace FZNS;\n\n");
    // Declarations PHP does not see.
    f.push(
        "$fz_d1 = 'function fz_beat() { }';\n/* function fz_beat() {} function fz_ghost() {} */\n",
    );
    f.push("// function fz_ghost() {\n# function fz_plug() {}\n$fz_d2 = <<<EOT\n  function fz_ghost() { }\n  EOT;\n");
    f.push("$fz_d3 = \"function fz_beat() {\";\n\n");
    // A method holding nested declarations before the ones looked for: the depth of
    // later candidates counts from the search start (a bug this found, fixed).
    let helper = items & 64 != 0;
    let add_class = |r: &mut Reader, f: &mut File| {
        f.push("class Fz_Thing {\n");
        if helper {
            f.push("\tpublic function helper() {\n\t\tfunction fz_beat() {}\n\t\tfunction verify() {}\n\t}\n");
        }
        f.push("\tpublic ");
        let name = recase(r, "verify");
        let toks = function_tokens(r, &name);
        let (text, _) = layout(r, &toks);
        let span = f.push(&text);
        f.methods.insert("verify".into(), span);
        f.push("\n\tpublic static ");
        // A method named like the top-level target.
        let toks = function_tokens(r, "FZ_BEAT");
        let (text, _) = layout(r, &toks);
        let span = f.push(&text);
        f.methods.insert("fz_beat".into(), span);
        f.push("\n}\n\n");
    };
    let class_first = items & 1 == 0;
    if class_first {
        add_class(r, &mut f);
    }
    let span = f.push(&variant);
    f.functions.insert("fz_beat".into(), span);
    f.push("\n\n");
    if !class_first {
        add_class(r, &mut f);
    }
    if items & 2 == 0 {
        f.push("if ( ! function_exists( 'fz_plug' ) ) :\n\t");
        let toks = function_tokens(r, "fz_plug");
        let (text, _) = layout(r, &toks);
        f.function(&text, "fz_plug");
        f.push("\nendif;\n\n");
    }
    if items & 4 == 0 {
        let a = f.src.len();
        f.push("function fz_outer() {\n\t");
        let toks = function_tokens(r, "fz_inner");
        let (text, _) = layout(r, &toks);
        f.push(&text);
        f.push("\n\treturn 1;\n}");
        let b = f.src.len();
        f.functions.entry("fz_outer".into()).or_insert((a, b));
        f.push("\n\n");
    }
    if items & 8 == 0 {
        let toks = function_tokens(r, "fz_beat_more");
        let (text, _) = layout(r, &toks);
        f.function(&text, "fz_beat_more");
        f.push("\n\n");
    }
    if items & 0x30 == 0x30 {
        // Declared inside a brace block: not at the top level.
        f.push("if ( ! function_exists( 'fz_cond' ) ) {\n\t");
        let toks = function_tokens(r, "fz_cond");
        let (text, _) = layout(r, &toks);
        f.push(&text);
        f.push("\n}\n\n");
        f.oracle_ok = false;
    }
    if items & 0x88 == 0x88 {
        // Declared again: the first one counts.
        f.push("function FZ_beat() { return 2; }\n");
        f.oracle_ok = false;
    }
    f.class = class.map(str::to_string);
    f.name = query;
    f
}

/// The token list with its first literal replaced by the next one of its pool.
fn change_literal(toks: &[String]) -> Option<Vec<String>> {
    let i = toks
        .iter()
        .position(|t| STRLITS.contains(&t.as_str()) || NUMS.contains(&t.as_str()))?;
    let pool = if STRLITS.contains(&toks[i].as_str()) {
        STRLITS
    } else {
        NUMS
    };
    let k = pool.iter().position(|p| *p == toks[i])?;
    let mut v = toks.to_vec();
    v[i] = pool[(k + 1) % pool.len()].to_string();
    Some(v)
}

fn is_fingerprint(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// What any input must satisfy. Idempotence is asked only of sources without a `<<<`
/// (valid PHP always follows one with a heredoc label): a bare `<<<` stays a three-byte
/// span, and the blank or comment after it collapses to one space, so that the next pass
/// can read `<<< LABEL` as a heredoc opener (`""<<<//\nEOT'\nEOT/*` normalizes to
/// `""<<< EOT'\nEOT/*`, then to `""<<< EOT'\nEOT`).
fn general(f: &Impl, x: &[u8]) -> Check {
    let n = (f.lane.normalize)(x);
    let nn = (f.lane.normalize)(&n);
    let bare_heredoc = x.windows(3).any(|w| w == b"<<<");
    ensure(nn == n || bare_heredoc, || {
        format!(
            "normalize is not idempotent: {} -> {} -> {}",
            show(x),
            show(&n),
            show(&nn)
        )
    })?;
    let fp = (f.lane.fingerprint)(x);
    ensure(is_fingerprint(&fp), || {
        format!("fingerprint {fp:?} is not 16 hex digits")
    })?;
    ensure((f.lane.fingerprint)(&n) == fp || bare_heredoc, || {
        format!(
            "fingerprint(normalize(x)) != fingerprint(x) for {}",
            show(x)
        )
    })
}

/// The name after `function`: blanks (and comments), at most one `&` (returns by
/// reference), blanks, then the word.
fn declared_name(rest: &[u8]) -> Vec<u8> {
    let mut i = 0;
    let blanks = |i: &mut usize| loop {
        if rest.get(*i).is_some_and(u8::is_ascii_whitespace) {
            *i += 1;
        } else if rest.get(*i..).is_some_and(|r| r.starts_with(b"/*")) {
            match rest[*i + 2..].windows(2).position(|w| w == b"*/") {
                Some(p) => *i += p + 4,
                None => *i = rest.len(),
            }
        } else if rest
            .get(*i..)
            .is_some_and(|r| r.starts_with(b"#") && !r.starts_with(b"#[") || r.starts_with(b"//"))
        {
            // A line comment: to the end of the line (or a closing tag).
            match rest[*i..].iter().position(|b| *b == b'\n') {
                Some(p) => *i += p + 1,
                None => *i = rest.len(),
            }
        } else {
            break;
        }
    };
    blanks(&mut i);
    if rest.get(i) == Some(&b'&') {
        i += 1;
        blanks(&mut i);
    }
    rest[i.min(rest.len())..]
        .iter()
        .copied()
        .take_while(|&b| word(b))
        .collect()
}

/// A found source must be a slice of the file, from `function` + the name to a `}`.
fn check_found(file: &[u8], got: Option<&[u8]>, name: &str) -> Check {
    let Some(s) = got else { return Ok(()) };
    let (start, end) = (file.as_ptr() as usize, file.as_ptr() as usize + file.len());
    let p = s.as_ptr() as usize;
    ensure(p >= start && p + s.len() <= end, || {
        "function_source returned bytes outside its input".into()
    })?;
    // The keyword in any case (PHP's keywords are case-insensitive).
    let keyword = s.len() >= 8 && s[..8].eq_ignore_ascii_case(b"function");
    let after = declared_name(if keyword { &s[8..] } else { b"\x00" });
    ensure(
        keyword && s.ends_with(b"}") && after.eq_ignore_ascii_case(name.as_bytes()),
        || {
            format!(
                "function_source(.., {name:?}) = {}: not `function {name}` .. `}}`",
                show(s)
            )
        },
    )
}

fn check_file(f: &Impl, file: &File) -> Check {
    let src = &file.src;
    let got = (f.lane.function_source)(src, file.class.as_deref(), &file.name);
    check_found(src, got, &file.name)?;
    let lower = file.name.to_ascii_lowercase();
    let want = match &file.class {
        None => file.functions.get(&lower),
        Some(c) if c.eq_ignore_ascii_case("fz_thing") => file.methods.get(&lower),
        Some(_) => None,
    }
    .map(|&(a, b)| &src[a..b]);
    ensure(got == want, || {
        format!(
            "function_source({:?}, {:?}) = {}, want {}\nfile: {}",
            file.class,
            file.name,
            got.map_or_else(|| "None".into(), show),
            want.map_or_else(|| "None".into(), show),
            String::from_utf8_lossy(src)
        )
    })?;
    // Blanks made comments and other blanks change nothing.
    let nb = (f.lane.normalize)(file.base.as_bytes());
    let nv = (f.lane.normalize)(file.variant.as_bytes());
    ensure(nb == nv, || {
        format!(
            "normalize differs after re-laying blanks:\n  {:?} -> {}\n  {:?} -> {}",
            file.base,
            show(&nb),
            file.variant,
            show(&nv)
        )
    })?;
    let fb = (f.lane.fingerprint)(file.base.as_bytes());
    let fv = (f.lane.fingerprint)(file.variant.as_bytes());
    ensure(fb == fv, || {
        format!(
            "fingerprint {fb} of {:?} != {fv} of {:?}",
            file.base, file.variant
        )
    })?;
    if let Some(found) = (f.lane.function_source)(src, None, "fz_beat") {
        let fp = (f.lane.fingerprint)(found);
        ensure(fp == fb, || {
            format!("the target found in the file has fingerprint {fp}, laid out plainly {fb}")
        })?;
    }
    // A changed literal changes the normalized text and the fingerprint.
    if let Some(changed) = change_literal(&file.toks) {
        let text = changed.join(" ");
        let plain = file.toks.join(" ");
        let (a, b) = (
            (f.lane.normalize)(plain.as_bytes()),
            (f.lane.normalize)(text.as_bytes()),
        );
        ensure(a != b, || {
            format!("normalize({plain:?}) == normalize({text:?})")
        })?;
        ensure(
            (f.lane.fingerprint)(plain.as_bytes()) != (f.lane.fingerprint)(text.as_bytes()),
            || format!("fingerprint({plain:?}) == fingerprint({text:?})"),
        )?;
    }
    general(f, src)
}

/// Names declared after `function` (and `class`) in arbitrary bytes, to look up.
fn declared(x: &[u8], keyword: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + keyword.len() <= x.len() && out.len() < 4 {
        if x[i..].starts_with(keyword) {
            let name = declared_name(&x[i + keyword.len()..]);
            out.push(String::from_utf8_lossy(&name).into_owned());
        }
        i += 1;
    }
    out
}

enum Case {
    Raw(Vec<u8>),
    Built(Box<File>),
}

fn case(x: &[u8]) -> Case {
    let mut r = Reader::new(x);
    if r.byte() < 64 {
        return Case::Raw(r.rest().to_vec());
    }
    Case::Built(Box::new(gen_file(&mut r)))
}

fn check(f: &Impl, x: &[u8]) -> Check {
    match case(x) {
        Case::Raw(b) => {
            general(f, &b)?;
            let classes = declared(&b, b"class");
            let mut names = declared(&b, b"function");
            names.push(String::new());
            for name in &names {
                for class in std::iter::once(None).chain(classes.iter().map(Some)) {
                    let got = (f.lane.function_source)(&b, class.map(String::as_str), name);
                    check_found(&b, got, name)?;
                }
            }
            Ok(())
        }
        Case::Built(file) => check_file(f, &file),
    }
}

fn php_args(x: &[u8]) -> Option<Vec<Vec<u8>>> {
    match case(x) {
        Case::Built(file) if file.oracle_ok => Some(vec![
            file.src,
            file.class.unwrap_or_default().into_bytes(),
            file.name.into_bytes(),
        ]),
        _ => None,
    }
}

fn php_expect(f: &Impl, x: &[u8]) -> Vec<u8> {
    match case(x) {
        Case::Built(file) => (f.lane.function_source)(&file.src, file.class.as_deref(), &file.name)
            .map_or_else(|| b"NONE".to_vec(), <[u8]>::to_vec),
        Case::Raw(_) => Vec::new(),
    }
}

fn label(x: &[u8]) -> &'static str {
    match case(x) {
        Case::Built(file) => {
            match (Impl::fastbeat().lane.function_source)(
                &file.src,
                file.class.as_deref(),
                &file.name,
            ) {
                Some(_) if file.class.is_some() => "method found",
                Some(_) => "function found",
                None => "not found",
            }
        }
        Case::Raw(_) => "",
    }
}

/// Include the file in a namespace of its own; the declaration's lines by reflection, its
/// text by the tokenizer from the `function` token on its first line to the brace that
/// closes its body (checked to be on its last line).
const PHP_BODY: &str = r#"
static $n = 0;
$n++;
if ( ! function_exists( 'token_get_all' ) ) {
	// php -n loads no ini file: Debian builds the tokenizer as a shared extension.
	@dl( 'tokenizer.so' );
	if ( ! function_exists( 'token_get_all' ) ) { return 'NO TOKENIZER (php -n without ext/tokenizer)'; }
}
$ns = 'fzo' . $n . '_' . getmypid();
$src = $a[0];
$path = tempnam( sys_get_temp_dir(), 'fbfz' );
file_put_contents( $path, str_replace( 'FZNS', $ns, $src ) );
$notices = array();
set_error_handler(
	static function ( $no, $str ) use ( &$notices ) {
		$notices[] = $str;
		return true;
	}
);
try {
	( static function ( $fz_path ) { include $fz_path; } )( $path );
} catch ( \Throwable $e ) {
	$notices[] = get_class( $e ) . ': ' . $e->getMessage();
}
restore_error_handler();
unlink( $path );
if ( $notices ) {
	return 'PHP SAYS: ' . implode( '; ', $notices );
}
try {
	$ref = '' === $a[1] ? new ReflectionFunction( $ns . '\\' . $a[2] ) : new ReflectionMethod( $ns . '\\' . $a[1], $a[2] );
} catch ( ReflectionException $e ) {
	return 'NONE';
}
$start = $ref->getStartLine();
$end   = $ref->getEndLine();
$toks  = token_get_all( $src );
$count = count( $toks );
$off   = 0;
for ( $i = 0; $i < $count; $i++ ) {
	$t    = $toks[ $i ];
	$text = is_array( $t ) ? $t[1] : $t;
	if ( is_array( $t ) && T_FUNCTION === $t[0] && $t[2] <= $start ) {
		for ( $j = $i + 1; $j < $count; $j++ ) {
			$u = $toks[ $j ];
			if ( is_array( $u ) && in_array( $u[0], array( T_WHITESPACE, T_COMMENT, T_DOC_COMMENT ), true ) ) { continue; }
			if ( '&' === ( is_array( $u ) ? $u[1] : $u ) ) { continue; }
			break;
		}
		if ( $j < $count && is_array( $toks[ $j ] ) && $toks[ $j ][2] >= $start && 0 === strcasecmp( $toks[ $j ][1], $a[2] ) ) {
			$out = ''; $depth = 0; $pos = $off;
			for ( $k = $i; $k < $count; $k++ ) {
				$w   = $toks[ $k ];
				$wt  = is_array( $w ) ? $w[1] : $w;
				$out .= $wt;
				$pos += strlen( $wt );
				if ( '{' === $wt || ( is_array( $w ) && in_array( $w[0], array( T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES ), true ) ) ) {
					$depth++;
				} elseif ( '}' === $wt ) {
					$depth--;
					if ( 0 === $depth ) {
						$line = 1 + substr_count( substr( $src, 0, $pos ), "\n" );
						return $line === $end ? $out : "ENDS ON LINE $line, REFLECTION SAYS $end";
					}
				}
			}
			return 'NO CLOSING BRACE';
		}
	}
	$off += strlen( $text );
}
return "NO function TOKEN FOR LINES $start-$end";
"#;

fn seeds() -> Vec<Vec<u8>> {
    let raw = |s: &[u8]| [&[0u8][..], s].concat();
    let mut v = vec![
        raw(br#"<?php
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
"#),
        raw(b"function"),
        raw(b"function f"),
        raw(b"function f("),
        raw(b"function f() {"),
        raw(b"function f() { } }"),
        raw(b"}}} function f() {{}"),
        raw(b"class C { function f() { } function f() {} } function f() {}"),
        raw(b"class C function f() {}"),
        raw(b"<<<"),
        raw(b"<<<EOT"),
        raw(b"<<<EOT\n"),
        raw(b"<<<'EOT\nEOT"),
        raw(b"<<< EOT\n  x\n  EOTX\n EOT; function g() {}"),
        raw(b"'unterminated \\"),
        raw(b"\"x\\"),
        raw(b"/* open"),
        raw(b"/*/ x */ function h() {}"),
        raw(b"#[Attr] function a() {} # c"),
        raw(b"a/ /**/ /b // c\n<</**/<EOT <<<<<<"),
        raw(b"function &r() { return $x; }"),
        raw(b"FUNCTION up() {}"),
        raw(b"function/**/c() {}"),
    ];
    // Built files: item combinations, each query, names in each letter case.
    for items in [0u8, 1, 2, 4, 8, 0x30, 0x88, 0x40, 0x41, 0xff, 0x2a, 0x15] {
        for q in 0u8..11 {
            v.push(vec![64, items, q, q % 4, q % 3]);
        }
    }
    v
}

fn mut_normalize_keeps_comments(src: &[u8]) -> Vec<u8> {
    // Collapses blanks only.
    let mut out = Vec::new();
    let mut blank = false;
    for &b in src {
        if b.is_ascii_whitespace() {
            blank = true;
        } else {
            if blank && !out.is_empty() {
                out.push(b' ');
            }
            blank = false;
            out.push(b);
        }
    }
    out
}

fn mut_normalize_inside_strings(src: &[u8]) -> Vec<u8> {
    // Also collapses blanks inside string literals.
    let mut out = fastbeat_lane::fingerprint::normalize(src);
    while let Some(i) = out.windows(2).position(|w| w == b"  ") {
        out.remove(i);
    }
    out
}

fn mut_source_case_sensitive<'a>(
    file: &'a [u8],
    class: Option<&str>,
    name: &str,
) -> Option<&'a [u8]> {
    fastbeat_lane::fingerprint::function_source(file, class, name)
        .filter(|s| declared_name(&s[b"function".len().min(s.len())..]) == name.as_bytes())
}

pub fn target() -> Target {
    Target {
        name: "fingerprint",
        about: "lane::fingerprint: normalize/fingerprint/function_source on arbitrary bytes and on grammar-built PHP (comments and blanks change nothing, literals do, found by name in any case); oracle: PHP Reflection lines + token_get_all()",
        dict: &[
            b"function", b"class", b"{", b"}", b"(", b")", b"'", b"\"", b"\\", b"/*", b"*/",
            b"//", b"#", b"#[", b"\n", b"<<<", b"EOT", b"'EOT'", b"?>", b"&", b" ", b"$x",
        ],
        seeds,
        check,
        php_args,
        php_expect,
        php_body: PHP_BODY,
        php_compare: |a, b| a == b,
        label,
        mutants: || {
            vec![
                ("normalize keeps comments", with_lane(|l| l.normalize = mut_normalize_keeps_comments)),
                ("normalize collapses blanks inside strings", with_lane(|l| l.normalize = mut_normalize_inside_strings)),
                ("function_source matches the name's case", with_lane(|l| l.function_source = mut_source_case_sensitive)),
            ]
        },
    }
}
