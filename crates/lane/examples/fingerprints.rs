//! Prints the fingerprints of every function the lane's models stand in for, as found in a
//! WordPress tree: `cargo run -p fastbeat-lane --example fingerprints -- /usr/share/wordpress`.
//! The output is the format of `src/known/<release>.tsv` (label, file, fingerprint).

use fastbeat_lane::policy::{self, Function};
use fastbeat_lane::shape::Shape;
use std::path::{Path, PathBuf};

fn php_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            php_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "php") {
            out.push(p);
        }
    }
}

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: fingerprints <wordpress-dir>");
        std::process::exit(2);
    };
    let root = PathBuf::from(root);
    let mut files = Vec::new();
    php_files(&root.join("wp-includes"), &mut files);
    php_files(&root.join("wp-admin"), &mut files);
    let mut funcs: Vec<Function> = Vec::new();
    for s in Shape::ALL {
        for f in policy::modelled_functions(s) {
            if !funcs.contains(&f) {
                funcs.push(f);
            }
        }
    }
    for f in funcs.into_iter().filter(|f| !f.name.contains('/')) {
        let found = files.iter().find_map(|path| {
            let bytes = std::fs::read(path).ok()?;
            let fp = policy::fingerprint_of(&bytes, &f)?;
            let rel = path
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .into_owned();
            Some((rel, fp))
        });
        match found {
            Some((rel, fp)) => println!("{}\t{rel}\t{fp}", f.label()),
            None => println!("{}\t-\t-", f.label()),
        }
    }
    let ajax = std::fs::read(root.join(policy::ADMIN_AJAX)).unwrap_or_default();
    println!(
        "{}\t{}\t{}",
        policy::ADMIN_AJAX,
        policy::ADMIN_AJAX,
        fastbeat_lane::fingerprint::fingerprint(&ajax)
    );
}
