//! The lane manifest: written by the plugin on full-path beats, read by the extension
//! before it lets the lane answer. FFI-free.
//!
//! ```json
//! {"format":1,"expires":1795380600,"lanes":{"nodata":true,"postdata":false},
//!  "veto_server":["HTTP_X_SOMETHING"],"watch":[["/abs/file",1795370000],["/abs/gone",-1]]}
//! ```
//! A manifest allows nothing unless every field is as expected: any parse problem,
//! an unknown format, expiry, or a watched file whose mtime changed means "full path".

use crate::request::Kind;
use serde_json::Value;

/// Manifest format this extension reads.
pub const FORMAT: i64 = 1;

/// A parsed manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub expires: i64,
    pub nodata: bool,
    pub postdata: bool,
    /// Logged-in beats without data may be answered natively (see [`crate::native`]):
    /// every hook that answer stands in for is idle or exactly core's.
    pub native: bool,
    /// Post-lock beats may be answered natively too ([`crate::post_lock`]).
    pub native_post: bool,
    /// When the manifest was written (s).
    pub generated: Option<i64>,
    /// Digest of the raw option values its facts were derived from
    /// ([`crate::native::options_digest`]).
    pub options: Option<String>,
    /// Server variables (e.g. `HTTP_X_FOO`) whose presence vetoes the lane.
    pub veto_server: Vec<String>,
    /// Files and the mtime they had when the manifest was written (-1: absent).
    pub watch: Vec<(String, i64)>,
    /// What a logged-out beat's response is made of, when the manifest allows answering
    /// it natively; `None` sends logged-out beats down the lane script or full path.
    pub nopriv: Option<NoPriv>,
}

/// The site facts a logged-out beat's response depends on (none of them secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoPriv {
    /// `get_option( 'blog_charset' )`.
    pub charset: String,
    /// `get_allowed_http_origins()`.
    pub origins: Vec<String>,
    /// The `Referrer-Policy` value `wp_admin_headers()` sends.
    pub referrer_policy: String,
    /// Names of the auth, secure-auth and logged-in cookies.
    pub cookies: Vec<String>,
}

/// Why a manifest does not allow the lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unreadable,
    Format,
    Expired,
    KindNotEligible,
    Changed(String),
}

/// Parse manifest JSON.
pub fn parse(json: &[u8]) -> Result<Manifest, Refusal> {
    let v: Value = serde_json::from_slice(json).map_err(|_| Refusal::Unreadable)?;
    if v.get("format").and_then(Value::as_i64) != Some(FORMAT) {
        return Err(Refusal::Format);
    }
    let expires = v
        .get("expires")
        .and_then(Value::as_i64)
        .ok_or(Refusal::Format)?;
    let lanes = v.get("lanes").ok_or(Refusal::Format)?;
    let flag = |k: &str| lanes.get(k).and_then(Value::as_bool).ok_or(Refusal::Format);
    let nodata = flag("nodata")?;
    let postdata = flag("postdata")?;
    // Optional: manifests without it allow no native answers.
    let native = lanes
        .get("native")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let native_post = lanes
        .get("native_post")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let generated = v.get("generated").and_then(Value::as_i64);
    let options = v.get("options").and_then(Value::as_str).map(str::to_owned);
    let veto_server = v
        .get("veto_server")
        .and_then(Value::as_array)
        .ok_or(Refusal::Format)?
        .iter()
        .map(|s| s.as_str().map(str::to_owned).ok_or(Refusal::Format))
        .collect::<Result<Vec<_>, _>>()?;
    let watch = v
        .get("watch")
        .and_then(Value::as_array)
        .ok_or(Refusal::Format)?
        .iter()
        .map(|pair| {
            let p = pair
                .as_array()
                .filter(|p| p.len() == 2)
                .ok_or(Refusal::Format)?;
            let path = p[0].as_str().ok_or(Refusal::Format)?.to_owned();
            let mtime = p[1].as_i64().ok_or(Refusal::Format)?;
            Ok((path, mtime))
        })
        .collect::<Result<Vec<_>, Refusal>>()?;
    let nopriv = match v.get("nopriv") {
        None | Some(Value::Null) => None,
        Some(n) => Some(parse_nopriv(n)?),
    };
    Ok(Manifest {
        expires,
        nodata,
        postdata,
        native,
        native_post,
        generated,
        options,
        veto_server,
        watch,
        nopriv,
    })
}

fn strings(v: Option<&Value>) -> Result<Vec<String>, Refusal> {
    v.and_then(Value::as_array)
        .ok_or(Refusal::Format)?
        .iter()
        .map(|s| s.as_str().map(str::to_owned).ok_or(Refusal::Format))
        .collect()
}

fn header_safe(s: &str) -> bool {
    !s.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0)
}

fn parse_nopriv(n: &Value) -> Result<NoPriv, Refusal> {
    let text = |k: &str| {
        n.get(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(Refusal::Format)
    };
    let charset = text("charset")?;
    let referrer_policy = text("referrer_policy")?;
    let origins = strings(n.get("origins"))?;
    let cookies = strings(n.get("cookies"))?;
    // Values header() would refuse are not modelled: such a site uses the lane script.
    let safe = header_safe(&charset)
        && header_safe(&referrer_policy)
        && origins.iter().all(|o| header_safe(o));
    if !safe || cookies.len() != 3 {
        return Err(Refusal::Format);
    }
    Ok(NoPriv {
        charset,
        origins,
        referrer_policy,
        cookies,
    })
}

impl Manifest {
    /// Whether the manifest allows the lane for `kind` at `now`, given a way to read
    /// a file's mtime (`None`: the file does not exist).
    pub fn allows(
        &self,
        kind: Kind,
        now: i64,
        mtime: impl Fn(&str) -> Option<i64>,
    ) -> Result<(), Refusal> {
        if now >= self.expires {
            return Err(Refusal::Expired);
        }
        let ok = match kind {
            Kind::NoData => self.nodata,
            // Native post-lock answers hand what they decline to the full path when
            // the lane script may not answer post-screen beats.
            Kind::PostData => self.postdata || self.native_post,
            Kind::NoPriv => self.nopriv.is_some(),
        };
        if !ok {
            return Err(Refusal::KindNotEligible);
        }
        for (path, want) in &self.watch {
            if mtime(path).unwrap_or(-1) != *want {
                return Err(Refusal::Changed(path.clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"format":1,"expires":1000,"lanes":{"nodata":true,"postdata":false},
        "veto_server":["HTTP_X_FASTBEAT_FIXTURE"],"watch":[["/a",10],["/gone",-1]]}"#;

    fn fs(path: &str) -> Option<i64> {
        match path {
            "/a" => Some(10),
            _ => None,
        }
    }

    #[test]
    fn a_fresh_manifest_allows_its_lanes_only() {
        let m = parse(GOOD.as_bytes()).ok();
        let m = m.as_ref();
        assert_eq!(m.map(|m| m.allows(Kind::NoData, 999, fs)), Some(Ok(())));
        assert_eq!(
            m.map(|m| m.allows(Kind::PostData, 999, fs)),
            Some(Err(Refusal::KindNotEligible))
        );
        assert_eq!(
            m.map(|m| m.veto_server.clone()),
            Some(vec!["HTTP_X_FASTBEAT_FIXTURE".to_string()])
        );
    }

    #[test]
    fn nopriv_answers_need_their_facts() {
        let with = GOOD.replace(
            r#""veto_server""#,
            r#""nopriv":{"charset":"UTF-8","origins":["http://a","https://a"],"referrer_policy":"strict-origin-when-cross-origin","cookies":["wordpress_x","wordpress_sec_x","wordpress_logged_in_x"]},"veto_server""#,
        );
        let m = parse(with.as_bytes()).ok();
        assert_eq!(
            m.as_ref().map(|m| m.allows(Kind::NoPriv, 999, fs)),
            Some(Ok(()))
        );
        assert_eq!(m.and_then(|m| m.nopriv).map(|n| n.origins.len()), Some(2));
        let without = parse(GOOD.as_bytes()).ok();
        assert_eq!(
            without.map(|m| m.allows(Kind::NoPriv, 999, fs)),
            Some(Err(Refusal::KindNotEligible))
        );
        let broken = with.replace("UTF-8", "UTF-8\\r\\nX-Evil: 1");
        assert!(parse(broken.as_bytes()).is_err());
    }

    #[test]
    fn expiry_and_changed_files_refuse() {
        let m = parse(GOOD.as_bytes()).ok();
        let m = m.as_ref();
        assert_eq!(
            m.map(|m| m.allows(Kind::NoData, 1000, fs)),
            Some(Err(Refusal::Expired))
        );
        let touched = |p: &str| if p == "/a" { Some(11) } else { None };
        assert_eq!(
            m.map(|m| m.allows(Kind::NoData, 5, touched)),
            Some(Err(Refusal::Changed("/a".into())))
        );
        let appeared = |p: &str| if p == "/gone" { Some(1) } else { fs(p) };
        assert_eq!(
            m.map(|m| m.allows(Kind::NoData, 5, appeared)),
            Some(Err(Refusal::Changed("/gone".into())))
        );
    }

    #[test]
    fn malformed_manifests_refuse() {
        for bad in [
            "",
            "{}",
            "[]",
            r#"{"format":2,"expires":1,"lanes":{"nodata":true,"postdata":true},"veto_server":[],"watch":[]}"#,
            r#"{"format":1,"lanes":{"nodata":true,"postdata":true},"veto_server":[],"watch":[]}"#,
            r#"{"format":1,"expires":1,"lanes":{"nodata":"yes","postdata":true},"veto_server":[],"watch":[]}"#,
            r#"{"format":1,"expires":1,"lanes":{"nodata":true,"postdata":true},"veto_server":[1],"watch":[]}"#,
            r#"{"format":1,"expires":1,"lanes":{"nodata":true,"postdata":true},"veto_server":[],"watch":[["/a"]]}"#,
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
