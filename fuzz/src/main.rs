//! fastbeat-fuzz: stable-toolchain fuzzing of Fastbeat's pure-Rust code.
//!
//! For each target it replays the corpus (`fuzz/corpus/<target>/`), then generates inputs
//! from a seeded xorshift generator (random dictionary-biased bytes and corpus mutations)
//! for a number of iterations or seconds, checking every result against an independent
//! model and properties. A sample of the inputs also goes, in one batch per target, through
//! real PHP running WordPress's own functions (the strongest oracle). Failing inputs are
//! written to `fuzz/artifacts/<target>/` with the command that replays them.
//!
//! ```text
//! fastbeat-fuzz [--target NAME[,NAME]] [--seed N] [--seconds T | --iters N] [--php N]
//!               [--corpus DIR] [--artifacts DIR] [--replay FILE] [--self-test]
//!               [--write-seeds] [--list]
//! ```
//! `--seconds` is the total budget, shared equally by the selected targets. The last line
//! is exactly `N passed, N failed` (one check per target and phase: model, and PHP for
//! the targets that have a PHP oracle).

mod gen;
mod lane_targets;
mod model;
mod targets;

use gen::{fnv, mutate, random_bytes, Rng};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use targets::{Check, Impl, Target};

struct Opts {
    targets: Vec<String>,
    seed: u64,
    seconds: Option<f64>,
    iters: Option<u64>,
    php: usize,
    php_bin: String,
    corpus: PathBuf,
    artifacts: PathBuf,
    replay: Option<PathBuf>,
    self_test: bool,
    write_seeds: bool,
    list: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: fastbeat-fuzz [--target NAME[,NAME]] [--seed N] [--seconds T | --iters N] [--php N]\n\
         \x20                    [--php-bin PATH] [--corpus DIR] [--artifacts DIR] [--replay FILE]\n\
         \x20                    [--self-test] [--write-seeds] [--list]"
    );
    std::process::exit(2)
}

fn parse() -> Opts {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut o = Opts {
        targets: Vec::new(),
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64 ^ u64::from(std::process::id())),
        seconds: None,
        iters: None,
        php: 0,
        php_bin: std::env::var("PHP").unwrap_or_else(|_| "php".into()),
        corpus: here.join("corpus"),
        artifacts: here.join("artifacts"),
        replay: None,
        self_test: false,
        write_seeds: false,
        list: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--target" | "-t" => o.targets.extend(val().split(',').map(str::to_string)),
            "--seed" => o.seed = val().parse().unwrap_or_else(|_| usage()),
            "--seconds" => o.seconds = Some(val().parse().unwrap_or_else(|_| usage())),
            "--iters" => o.iters = Some(val().parse().unwrap_or_else(|_| usage())),
            "--php" => o.php = val().parse().unwrap_or_else(|_| usage()),
            "--php-bin" => o.php_bin = val(),
            "--corpus" => o.corpus = PathBuf::from(val()),
            "--artifacts" => o.artifacts = PathBuf::from(val()),
            "--replay" => o.replay = Some(PathBuf::from(val())),
            "--self-test" => o.self_test = true,
            "--write-seeds" => o.write_seeds = true,
            "--list" => o.list = true,
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    if o.seconds.is_none() && o.iters.is_none() {
        o.iters = Some(100_000);
    }
    o
}

thread_local! {
    /// Where the last panic on this thread happened (set by the panic hook).
    static PANIC_AT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Runs one check, turning a panic inside fastbeat's code into a failure.
fn run_check(t: &Target, imp: &Impl, input: &[u8]) -> Check {
    match catch_unwind(AssertUnwindSafe(|| (t.check)(imp, input))) {
        Ok(r) => r,
        Err(e) => Err(format!(
            "PANIC: {} at {}",
            e.downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| e.downcast_ref::<&str>().copied())
                .unwrap_or("(non-string payload)"),
            PANIC_AT.with(|p| p.borrow().clone())
        )),
    }
}

fn load_corpus(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.is_file())
        .filter_map(|p| std::fs::read(&p).ok().map(|d| (p, d)))
        .collect()
}

fn save_artifact(o: &Opts, t: &Target, input: &[u8]) -> PathBuf {
    let dir = o.artifacts.join(t.name);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("crash-{:016x}", fnv(input)));
    let _ = std::fs::write(&path, input);
    path
}

/// Failure messages with the inputs that caused them.
type Failures = Vec<(String, Vec<u8>)>;

struct Stats {
    iters: u64,
    from_corpus: usize,
    failures: Failures,
    sample: Vec<Vec<u8>>,
}

/// Replays the corpus, then fuzzes until the budget is spent or a failure is found.
fn fuzz_target(
    o: &Opts,
    t: &Target,
    imp: &Impl,
    rng: &mut Rng,
    budget: Option<Duration>,
    iters: Option<u64>,
    sample_size: usize,
) -> Stats {
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    for input in load_corpus(&o.corpus.join(t.name))
        .into_iter()
        .map(|(_, d)| d)
        .chain((t.seeds)())
    {
        if !corpus.contains(&input) {
            corpus.push(input);
        }
    }
    let mut st = Stats {
        iters: 0,
        from_corpus: corpus.len(),
        failures: Vec::new(),
        sample: Vec::new(),
    };
    let start = Instant::now();
    let record = |st: &mut Stats, input: &[u8], rng: &mut Rng| {
        st.iters += 1;
        if st.sample.len() < sample_size {
            st.sample.push(input.to_vec());
        } else if sample_size > 0 && rng.chance(64) {
            // Keep the PHP sample spread over the whole run, not just its start.
            let i = rng.below(sample_size);
            st.sample[i] = input.to_vec();
        }
        if let Err(msg) = run_check(t, imp, input) {
            if st.failures.len() < 5 {
                st.failures.push((msg, input.to_vec()));
            }
        }
    };
    for input in &corpus {
        record(&mut st, input, rng);
    }
    loop {
        if let Some(b) = budget {
            if st.iters.is_multiple_of(256) && start.elapsed() >= b {
                break;
            }
        }
        if let Some(n) = iters {
            if st.iters >= n {
                break;
            }
        }
        if !st.failures.is_empty() {
            break;
        }
        let input = if !corpus.is_empty() && rng.below(10) < 6 {
            let a = &corpus[rng.below(corpus.len())];
            let b = &corpus[rng.below(corpus.len())];
            mutate(rng, a, b, t.dict)
        } else {
            random_bytes(rng, t.dict)
        };
        record(&mut st, &input, rng);
    }
    st
}

/// Sends `inputs` through real PHP in one process and compares with what fastbeat says.
/// Returns (checked, mismatches).
fn php_oracle(o: &Opts, t: &Target, inputs: &[Vec<u8>]) -> Result<(usize, Failures), String> {
    let imp = Impl::fastbeat();
    let mut batch = Vec::new();
    let mut kept = Vec::new();
    for input in inputs {
        let Some(args) = (t.php_args)(input) else {
            continue;
        };
        batch.extend_from_slice(&u32::try_from(args.len()).unwrap_or(0).to_be_bytes());
        for a in &args {
            batch.extend_from_slice(&u32::try_from(a.len()).unwrap_or(0).to_be_bytes());
            batch.extend_from_slice(a);
        }
        kept.push(input.clone());
    }
    if kept.is_empty() {
        return Ok((0, Vec::new()));
    }
    let script = format!(
        "<?php\nerror_reporting( E_ALL );\n{boot}\nfunction fastbeat_fuzz_oracle( array $a ) {{ {body} }}\n\
         $in = stream_get_contents( STDIN ); $o = 0; $n = strlen( $in ); $out = '';\n\
         while ( $o < $n ) {{\n\
           $c = unpack( 'N', $in, $o )[1]; $o += 4; $a = array();\n\
           for ( $i = 0; $i < $c; $i++ ) {{ $l = unpack( 'N', $in, $o )[1]; $o += 4; $a[] = (string) substr( $in, $o, $l ); $o += $l; }}\n\
           $r = (string) fastbeat_fuzz_oracle( $a ); $out .= pack( 'N', strlen( $r ) ) . $r;\n\
         }}\n\
         fwrite( STDOUT, $out );\n",
        boot = targets::PHP_WP_BOOT,
        body = t.php_body
    );
    let path = std::env::temp_dir().join(format!(
        "fastbeat-fuzz-{}-{}.php",
        t.name,
        std::process::id()
    ));
    std::fs::write(&path, script).map_err(|e| format!("writing {}: {e}", path.display()))?;
    // -n: no php.ini, so `precision` and friends are PHP's built-in defaults.
    let mut child = Command::new(&o.php_bin)
        .arg("-n")
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running {}: {e}", o.php_bin))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(&batch));
    let out = child.wait_with_output().map_err(|e| format!("php: {e}"))?;
    let _ = writer.join();
    let _ = std::fs::remove_file(&path);
    if !out.status.success() || !out.stderr.is_empty() {
        // PHP's CLI prints fatal errors on stdout: show its end too.
        let tail = String::from_utf8_lossy(&out.stdout[out.stdout.len().saturating_sub(600)..])
            .into_owned();
        return Err(format!(
            "php exited with {} : {} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
                .chars()
                .take(600)
                .collect::<String>(),
            tail
        ));
    }
    let mut results = Vec::new();
    let mut off = 0;
    let d = &out.stdout;
    while off + 4 <= d.len() {
        let n = u32::from_be_bytes([d[off], d[off + 1], d[off + 2], d[off + 3]]) as usize;
        off += 4;
        results.push(d.get(off..off + n).map(<[u8]>::to_vec).unwrap_or_default());
        off += n;
    }
    if results.len() != kept.len() {
        return Err(format!(
            "php returned {} results for {} inputs",
            results.len(),
            kept.len()
        ));
    }
    let mut bad = Vec::new();
    for (input, php) in kept.iter().zip(&results) {
        let ours = (t.php_expect)(&imp, input);
        if !(t.php_compare)(&ours, php) {
            bad.push((
                format!(
                    "PHP says {:?}, fastbeat {:?}",
                    String::from_utf8_lossy(php),
                    String::from_utf8_lossy(&ours)
                ),
                input.clone(),
            ));
        }
    }
    let mut labels: Vec<(&str, usize)> = Vec::new();
    for input in &kept {
        let l = (t.label)(input);
        if l.is_empty() {
            continue;
        }
        match labels.iter_mut().find(|(k, _)| *k == l) {
            Some((_, n)) => *n += 1,
            None => labels.push((l, 1)),
        }
    }
    if !labels.is_empty() {
        let parts: Vec<String> = labels.iter().map(|(k, n)| format!("{n} {k}")).collect();
        println!("{:<16}       PHP sample: {}", t.name, parts.join(", "));
    }
    Ok((kept.len(), bad))
}

fn select(o: &Opts) -> Vec<Target> {
    let all = targets::all();
    if o.targets.is_empty() || o.targets.iter().any(|t| t == "all") {
        return all;
    }
    for name in &o.targets {
        if !all.iter().any(|t| t.name == name) {
            eprintln!("unknown target {name} (try --list)");
            std::process::exit(2);
        }
    }
    all.into_iter()
        .filter(|t| o.targets.iter().any(|n| n == t.name))
        .collect()
}

fn main() {
    // Panics in checked code are reported as failures (with where they happened); keep
    // the default hook quiet.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(|| "?".to_string(), ToString::to_string);
        PANIC_AT.with(|p| *p.borrow_mut() = at);
    }));
    let o = parse();
    let selected = select(&o);

    if o.list {
        for t in &selected {
            println!("{:<16} {}", t.name, t.about);
        }
        return;
    }
    if o.write_seeds {
        for t in &selected {
            let dir = o.corpus.join(t.name);
            let _ = std::fs::create_dir_all(&dir);
            for s in (t.seeds)() {
                let _ = std::fs::write(dir.join(format!("seed-{:016x}", fnv(&s))), &s);
            }
            println!(
                "{}: {} seeds in {}",
                t.name,
                (t.seeds)().len(),
                dir.display()
            );
        }
        return;
    }
    if let Some(file) = &o.replay {
        let input = std::fs::read(file).unwrap_or_else(|e| {
            eprintln!("{}: {e}", file.display());
            std::process::exit(2)
        });
        let (mut pass, mut fail) = (0, 0);
        for t in &selected {
            match run_check(t, &Impl::fastbeat(), &input) {
                Ok(()) => {
                    pass += 1;
                    println!("{}: ok", t.name);
                }
                Err(m) => {
                    fail += 1;
                    println!("{}: FAIL {m}", t.name);
                }
            }
            if o.php > 0 && !t.php_body.is_empty() {
                match php_oracle(&o, t, std::slice::from_ref(&input)) {
                    Ok((_, bad)) if bad.is_empty() => println!("{}: php ok", t.name),
                    Ok((_, bad)) => {
                        fail += 1;
                        println!("{}: php FAIL {}", t.name, bad[0].0);
                    }
                    Err(e) => {
                        fail += 1;
                        println!("{}: php error {e}", t.name);
                    }
                }
            }
        }
        println!("{pass} passed, {fail} failed");
        std::process::exit(i32::from(fail > 0));
    }

    println!(
        "fastbeat-fuzz: seed {} (replay with --seed {})",
        o.seed, o.seed
    );
    let per_target = o
        .seconds
        .map(|s| Duration::from_secs_f64(s / selected.len().max(1) as f64));
    let (mut passed, mut failed) = (0u32, 0u32);

    if o.self_test {
        // Every mutant must be caught by the model/property checks alone.
        for t in &selected {
            for (what, imp) in (t.mutants)() {
                let mut rng = Rng::new(o.seed ^ fnv(what.as_bytes()));
                let st = fuzz_target(&o, t, &imp, &mut rng, per_target.map(|d| d / 4), o.iters, 0);
                if st.failures.is_empty() {
                    failed += 1;
                    println!(
                        "self-test {:<14} NOT CAUGHT  {what} ({} inputs)",
                        t.name, st.iters
                    );
                } else {
                    passed += 1;
                    println!(
                        "self-test {:<14} caught      {what} after {} inputs: {}",
                        t.name,
                        st.iters,
                        st.failures[0].0.chars().take(150).collect::<String>()
                    );
                }
            }
        }
        println!("{passed} passed, {failed} failed");
        std::process::exit(i32::from(failed > 0));
    }

    for t in &selected {
        let mut rng = Rng::new(o.seed ^ fnv(t.name.as_bytes()));
        let started = Instant::now();
        let st = fuzz_target(
            &o,
            t,
            &Impl::fastbeat(),
            &mut rng,
            per_target,
            o.iters,
            if t.php_body.is_empty() { 0 } else { o.php },
        );
        let secs = started.elapsed().as_secs_f64();
        if st.failures.is_empty() {
            passed += 1;
            println!(
                "{:<16} ok    {:>10} inputs ({} from corpus) in {:.1} s",
                t.name, st.iters, st.from_corpus, secs
            );
        } else {
            failed += 1;
            println!("{:<16} FAIL  after {} inputs", t.name, st.iters);
            for (msg, input) in &st.failures {
                let p = save_artifact(&o, t, input);
                println!("  {msg}");
                println!(
                    "  saved {} ; replay: cargo run --release --manifest-path fuzz/Cargo.toml -- --target {} --replay {}",
                    p.display(),
                    t.name,
                    p.display()
                );
            }
        }
        if o.php > 0 && !t.php_body.is_empty() {
            match php_oracle(&o, t, &st.sample) {
                Ok((n, bad)) if bad.is_empty() => {
                    passed += 1;
                    println!("{:<16} ok    {:>10} inputs agree with real PHP", t.name, n);
                }
                Ok((n, bad)) => {
                    failed += 1;
                    println!(
                        "{:<16} FAIL  {} of {} inputs differ from real PHP",
                        t.name,
                        bad.len(),
                        n
                    );
                    for (msg, input) in bad.iter().take(5) {
                        let p = save_artifact(&o, t, input);
                        println!("  {msg}\n  saved {}", p.display());
                    }
                }
                Err(e) => {
                    failed += 1;
                    println!("{:<16} FAIL  PHP oracle: {e}", t.name);
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    std::process::exit(i32::from(failed > 0));
}
