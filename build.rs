//! Build facts for `php --ri fastbeat` (among them the PHP it is built for), and
//! `cfg(php84)` when building against PHP 8.4 or later (engine layouts that differ live in
//! `src/zend/` behind it). ext-php-rs's own build script finds PHP (php-config on PATH, or
//! `PHP_CONFIG`) and generates the bindings.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
    println!("cargo:rerun-if-changed=build.rs");
    let php = std::env::var("PHP_CONFIG").unwrap_or_else(|_| "php-config".to_string());
    let php_config = |arg: &str| {
        Command::new(&php)
            .arg(arg)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map_or_else(|| "unknown".to_string(), |s| s.trim().to_string())
    };
    let version = php_config("--version");
    // The PHP this build is for, as `php --ri fastbeat` shows it: a binary only loads into
    // the PHP API it was built against.
    let api = php_config("--phpapi");
    println!("cargo:rustc-env=FASTBEAT_BUILT_FOR_PHP={version} (PHP API {api})");
    println!("cargo::rustc-check-cfg=cfg(php84)");
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    if let (Some(Some(major)), Some(Some(minor))) = (parts.next(), parts.next()) {
        if (major, minor) >= (8, 4) {
            println!("cargo:rustc-cfg=php84");
        }
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let rust = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(
            || "unknown".to_string(),
            |s| s.split_whitespace().nth(1).unwrap_or("?").to_string(),
        );
    let profile = std::env::var("PROFILE").unwrap_or_default();
    println!("cargo:rustc-env=FASTBEAT_BUILD_FACTS=PHP {version}, rustc {rust}, {profile}");
}
