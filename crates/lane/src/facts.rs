//! What the plugin hands over, as JSON: before the handler (the state only that moment
//! shows) and after the response (what only WordPress knows: directories, site facts, and
//! what a native answer needs, in the worker's memory only). Byte strings that may not be
//! UTF-8 (salts, option values) come hex-encoded.

use crate::evidence::Dirs;
use crate::manifest::Cookies;
use crate::native::{Db, Network, PostTables, NETWORK_OPTIONS};
use serde_json::Value;

/// Handed over just before the handler (`fastbeat_lane_note()`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Note {
    /// `ABSPATH . 'wp-admin/admin-ajax.php'`.
    pub admin_ajax: String,
    /// The plugin's `lane/` directory (`native.php`, `nopriv.php`).
    pub lane_dir: String,
    /// The lane is not switched off (constant, filter).
    pub enabled: bool,
    /// `ABSPATH`.
    pub abspath: String,
    /// `headers_list()`, `ob_get_length()`, `http_response_code()`, `headers_sent()`.
    pub headers: Vec<String>,
    pub output: i64,
    pub status: i64,
    pub headers_sent: bool,
    /// `ob_get_status( true )` handler names.
    pub buffers: Vec<String>,
    /// The ini settings that start output buffers for every request: `output_handler`,
    /// `output_buffering`, `zlib.output_compression` (as `ini_get()` returns them).
    pub ini_output_handler: String,
    pub ini_output_buffering: String,
    pub ini_zlib: String,
    pub cookies: Cookies,
    /// `is_ssl()`.
    pub ssl: bool,
    /// `$wpdb->get_blog_prefix() . 'user_roles'` and `... . 'capabilities'`.
    pub roles_option: String,
    pub caps_key: String,
    /// `is_multisite()`.
    pub multisite: bool,
}

/// Handed over after the response (`fastbeat_lane_evidence()`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Handover {
    /// Where the plugin keeps this site's manifest (known only once WordPress's upload
    /// directory may be asked for: asking fires hooks, which a beat must not see).
    pub manifest: String,
    pub dirs: Dirs,
    pub multisite: bool,
    pub ext_object_cache: bool,
    pub wpdb_class: String,
    /// Core's `post` type as registered: `map_meta_cap`, and its `cap` object.
    pub post_map_meta_cap: bool,
    pub post_caps: Vec<(String, String)>,
    /// `$wp_user_roles` is set (roles from `wp-config.php`, not the database).
    pub roles_global: bool,
    pub charset: String,
    pub origins: Vec<String>,
    /// Files whose change must send beats back to the full path (the extension adds the
    /// files of the functions it fingerprinted).
    pub watch: Vec<String>,
    pub veto_server: Vec<String>,
    /// The self-check interval the site asks for.
    pub self_check: u32,
    /// Raw option values the native answer depends on (`None`: not autoloaded).
    pub options: Vec<(String, Option<Vec<u8>>)>,
    /// Server variables as WordPress saw them (after `wp-config.php`).
    pub server: Vec<(String, Option<String>)>,
    /// What a native answer needs, when the site is one it models.
    pub learn: Option<Learn>,
    /// Plugins' declarations of the `data` keys their heartbeat callbacks react to.
    pub declared: Vec<crate::policy::Declared>,
}

/// Secrets and connection details, kept in the worker's memory only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learn {
    pub db: Db,
    pub users: String,
    pub usermeta: String,
    pub options: String,
    pub auth_salt: Vec<u8>,
    pub nonce_salt: Vec<u8>,
    pub post: Option<PostTables>,
    pub network: Option<Network>,
}

/// Bytes from lower-case or upper-case hex.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    s.as_bytes()
        .chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

fn text(v: &Value, k: &str) -> Option<String> {
    v.get(k)?.as_str().map(str::to_owned)
}

fn flag(v: &Value, k: &str) -> Option<bool> {
    v.get(k)?.as_bool()
}

fn strings(v: &Value, k: &str) -> Option<Vec<String>> {
    v.get(k)?
        .as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_owned))
        .collect()
}

impl Note {
    /// The output buffers PHP's settings start for every request, by handler name as
    /// `ob_get_status()` reports them (a native answer runs under them too).
    pub fn ini_buffers(&self) -> Vec<String> {
        let on = |v: &str| matches!(v.to_ascii_lowercase().as_str(), "1" | "on" | "true" | "yes");
        let mut out = Vec::new();
        if !self.ini_output_handler.is_empty() {
            out.push(self.ini_output_handler.clone());
        } else if self
            .ini_output_buffering
            .trim()
            .parse::<i64>()
            .is_ok_and(|n| n > 0)
            || on(&self.ini_output_buffering)
        {
            out.push(crate::policy::INI_BUFFERS[0].to_owned());
        }
        if on(&self.ini_zlib) {
            out.push(crate::policy::INI_BUFFERS[1].to_owned());
        }
        out
    }

    /// From the plugin's JSON.
    pub fn parse(json: &[u8]) -> Option<Note> {
        let v: Value = serde_json::from_slice(json).ok()?;
        let c = v.get("cookies")?;
        Some(Note {
            admin_ajax: text(&v, "admin_ajax")?,
            lane_dir: text(&v, "lane_dir")?,
            enabled: flag(&v, "enabled")?,
            abspath: text(&v, "abspath")?,
            headers: strings(&v, "headers")?,
            output: v.get("output")?.as_i64()?,
            status: v.get("status")?.as_i64()?,
            headers_sent: flag(&v, "headers_sent")?,
            buffers: strings(&v, "buffers")?,
            ini_output_handler: text(&v, "output_handler")?,
            ini_output_buffering: text(&v, "output_buffering")?,
            ini_zlib: text(&v, "zlib_output_compression")?,
            cookies: Cookies {
                auth: text(c, "auth")?,
                secure_auth: text(c, "secure_auth")?,
                logged_in: text(c, "logged_in")?,
                recovery: text(c, "recovery")?,
            },
            ssl: flag(&v, "ssl")?,
            roles_option: text(&v, "roles_option")?,
            caps_key: text(&v, "caps_key")?,
            multisite: flag(&v, "multisite")?,
        })
    }
}

impl Handover {
    /// Core's `post` type maps `edit_post` as core registers it (its capabilities are
    /// themselves) and the roles come from the database: what the post-lock model reads.
    pub fn post_caps_core(&self) -> bool {
        let own = |cap: &str| self.post_caps.iter().any(|(k, v)| k == cap && v == cap);
        self.post_map_meta_cap
            && !self.roles_global
            && [
                "edit_posts",
                "edit_others_posts",
                "edit_published_posts",
                "edit_private_posts",
            ]
            .iter()
            .all(|c| own(c))
    }

    /// From the plugin's JSON.
    pub fn parse(json: &[u8]) -> Option<Handover> {
        let v: Value = serde_json::from_slice(json).ok()?;
        let d = v.get("dirs")?;
        let dirs = Dirs {
            abspath: text(d, "abspath")?,
            plugins: text(d, "plugins")?,
            mu_plugins: text(d, "mu_plugins")?,
            content: text(d, "content")?,
            themes: strings(d, "themes")?,
            fastbeat: text(d, "fastbeat")?,
        };
        let options = v
            .get("options")?
            .as_object()?
            .iter()
            .map(|(k, val)| match val {
                Value::Null => Some((k.clone(), None)),
                Value::String(h) => Some((k.clone(), Some(unhex(h)?))),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        let server = v
            .get("server")?
            .as_object()?
            .iter()
            .map(|(k, val)| match val {
                Value::Null => Some((k.clone(), None)),
                Value::String(s) => Some((k.clone(), Some(s.clone()))),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        let learn = match v.get("learn")? {
            Value::Null => None,
            l => Some(parse_learn(l)?),
        };
        let declared = match v.get("declared") {
            None => Vec::new(),
            Some(d) => d
                .as_array()?
                .iter()
                .map(|d| {
                    Some(crate::policy::Declared {
                        hook: text(d, "hook")?,
                        callback: text(d, "callback")?,
                        keys: strings(d, "keys")?,
                    })
                })
                .collect::<Option<_>>()?,
        };
        Some(Handover {
            manifest: text(&v, "manifest")?,
            dirs,
            multisite: flag(&v, "multisite")?,
            ext_object_cache: flag(&v, "ext_object_cache")?,
            wpdb_class: text(&v, "wpdb_class")?,
            post_map_meta_cap: flag(&v, "post_map_meta_cap")?,
            post_caps: match v.get("post_caps")? {
                Value::Object(m) => m
                    .iter()
                    .map(|(k, val)| Some((k.clone(), val.as_str()?.to_owned())))
                    .collect::<Option<_>>()?,
                // An empty PHP array encodes as [].
                Value::Array(a) if a.is_empty() => Vec::new(),
                _ => return None,
            },
            roles_global: flag(&v, "roles_global")?,
            charset: text(&v, "charset")?,
            origins: strings(&v, "origins")?,
            watch: strings(&v, "watch")?,
            veto_server: strings(&v, "veto_server")?,
            // Any integer; clamped to 1..=SELF_CHECK_MAX when the manifest is written.
            self_check: match v.get("self_check")? {
                n if n.is_u64() => u32::try_from(n.as_u64()?).unwrap_or(u32::MAX),
                n => n.as_i64().map(|_| 1)?,
            },
            options,
            server,
            learn,
            declared,
        })
    }
}

fn parse_learn(l: &Value) -> Option<Learn> {
    let db = l.get("db")?;
    let opt_i64 = |k: &str| match db.get(k) {
        None | Some(Value::Null) => Some(None),
        Some(x) => x.as_i64().map(Some),
    };
    let opt_text = |k: &str| match db.get(k) {
        None | Some(Value::Null) => Some(None),
        Some(x) => x.as_str().map(|s| Some(s.to_owned())),
    };
    let table = |k: &str| text(l, k).filter(|t| crate::native::table_name_ok(t));
    let post = match l.get("post")? {
        Value::Null => None,
        p => {
            let key = |k: &str| {
                text(p, k).filter(|v| {
                    !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
            };
            Some(PostTables {
                posts: text(p, "posts").filter(|t| crate::native::table_name_ok(t))?,
                postmeta: text(p, "postmeta").filter(|t| crate::native::table_name_ok(t))?,
                roles_option: key("roles_option")?,
                caps_key: key("caps_key")?,
            })
        }
    };
    let network = match l.get("network")? {
        Value::Null => None,
        n => Some(parse_network(n)?),
    };
    Some(Learn {
        db: Db {
            host: text(db, "host")?,
            port: opt_i64("port")?,
            socket: opt_text("socket")?,
            user: text(db, "user")?,
            password: text(db, "password")?,
            name: text(db, "name")?,
            charset: text(db, "charset")?,
            flags: db.get("flags")?.as_i64()?,
        },
        users: table("users")?,
        usermeta: table("usermeta")?,
        options: table("options")?,
        auth_salt: unhex(&text(l, "salt_auth")?)?,
        nonce_salt: unhex(&text(l, "salt_nonce")?)?,
        post,
        network,
    })
}

/// A network site's facts: tables, ids, `$super_admins` (or null) and the raw values of
/// the network options the answer depends on.
fn parse_network(n: &Value) -> Option<Network> {
    let table = |k: &str| text(n, k).filter(|t| crate::native::table_name_ok(t));
    let id = |k: &str| n.get(k)?.as_u64().filter(|id| *id > 0);
    let super_admins = match n.get("super_admins")? {
        Value::Null => None,
        Value::Array(a) => Some(
            a.iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    };
    let options = n.get("options")?.as_object()?;
    let options_seen = NETWORK_OPTIONS
        .iter()
        .map(|name| match options.get(*name)? {
            Value::Null => Some(((*name).to_owned(), None)),
            Value::String(h) => Some(((*name).to_owned(), Some(unhex(h)?))),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Network {
        blogs: table("blogs")?,
        sitemeta: table("sitemeta")?,
        blog_id: id("blog_id")?,
        network_id: id("network_id")?,
        super_admins,
        options_seen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex() {
        assert_eq!(unhex("00ff7A"), Some(vec![0, 255, 0x7a]));
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex(""), Some(vec![]));
    }

    #[test]
    fn a_note_and_a_handover_as_the_plugin_writes_them() {
        let note = r#"{"admin_ajax":"/w/wp-admin/admin-ajax.php","lane_dir":"/p/fastbeat/lane","enabled":true,
            "abspath":"/w/","headers":["X-Robots-Tag: noindex"],"output":0,"status":200,"headers_sent":false,
            "buffers":["default output handler"],"output_handler":"","output_buffering":"4096","zlib_output_compression":"",
            "cookies":{"auth":"wordpress_h","secure_auth":"wordpress_sec_h","logged_in":"wordpress_logged_in_h","recovery":"wordpress_rec_h"},
            "ssl":false,"roles_option":"wp_user_roles","caps_key":"wp_capabilities","multisite":false}"#;
        let n = Note::parse(note.as_bytes());
        assert_eq!(
            n.as_ref().map(|n| n.cookies.recovery.as_str()),
            Some("wordpress_rec_h")
        );
        assert_eq!(Note::parse(b"{}"), None);
        let h = r#"{"manifest":"/u/fastbeat/lane-x.json","dirs":{"abspath":"/w/","plugins":"/c/plugins","mu_plugins":"/c/mu-plugins","content":"/c","themes":["/c/themes/t"],"fastbeat":"/c/plugins/fastbeat"},
            "multisite":false,"ext_object_cache":false,"wpdb_class":"wpdb","post_map_meta_cap":true,"post_caps":{"edit_posts":"edit_posts"},"roles_global":false,"charset":"UTF-8",
            "origins":["http://a"],"watch":["/w/wp-config.php"],"veto_server":[],"self_check":100,
            "options":{"blog_charset":"5554462d38","template":null},"server":{"HTTP_HOST":"a","HTTPS":null},
            "learn":{"db":{"host":"localhost","port":null,"socket":"/s.sock","user":"u","password":"p","name":"wp","charset":"utf8mb4","flags":0},
              "users":"wp_users","usermeta":"wp_usermeta","options":"wp_options","salt_auth":"6162","salt_nonce":"6364",
              "post":{"posts":"wp_posts","postmeta":"wp_postmeta","roles_option":"wp_user_roles","caps_key":"wp_capabilities"},
              "network":{"blogs":"wp_blogs","sitemeta":"wp_sitemeta","blog_id":2,"network_id":1,"super_admins":null,
                "options":{"siteurl":"687474703a2f2f6d73","active_sitewide_plugins":null}}}}"#;
        let h = Handover::parse(h.as_bytes());
        assert!(h.is_some());
        let Some(h) = h else { return };
        assert_eq!(
            h.options[0],
            ("blog_charset".to_string(), Some(b"UTF-8".to_vec()))
        );
        assert_eq!(
            h.learn.as_ref().map(|l| l.auth_salt.clone()),
            Some(b"ab".to_vec())
        );
        assert_eq!(
            h.learn
                .as_ref()
                .and_then(|l| l.db.socket.clone())
                .as_deref(),
            Some("/s.sock")
        );
        let n = h.learn.as_ref().and_then(|l| l.network.clone());
        assert_eq!(n.as_ref().map(|n| (n.blog_id, n.network_id)), Some((2, 1)));
        assert_eq!(
            n.map(|n| n.options_seen),
            Some(vec![
                ("siteurl".into(), Some(b"http://ms".to_vec())),
                ("active_sitewide_plugins".into(), None)
            ])
        );
    }
}
