//! Evidence: what a full-path beat of one shape showed at the moment core's handler ran.
//! The extension captures it (hook tables, the request as the handler saw it, the current
//! user, the engine's shutdown functions); the plugin adds what only WordPress knows
//! (headers, output and buffers before the handler, directories, site facts). The policy
//! ([`crate::policy`]) judges it; the manifest keeps it, so that a later full-path beat of
//! the same shape can be compared with it (the self-check).

use crate::reason::Owner;
use crate::shape::Shape;
use serde_json::{json, Value};

/// One callback as `$wp_filter[$hook]->callbacks[$priority][$id]` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub priority: i64,
    /// The array key (`_wp_filter_build_unique_id()`); for a function, its name.
    pub id: String,
    /// The callable, canonically: `name`, `Class::method`, `Class->method`,
    /// `closure@file:line`.
    pub callback: String,
    pub accepted_args: i64,
    /// Where the callable is defined: a file, `ext:<module>` for a function of a PHP
    /// extension, or `None` when it does not resolve.
    pub file: Option<String>,
}

/// A hook's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookTable {
    pub hook: String,
    /// `$wp_filter[$hook]` is unset or an exact `WP_Hook` (false: something else).
    pub plain: bool,
    pub entries: Vec<Entry>,
}

/// The current user as the handler found it (logged-in shapes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct User {
    /// `get_class( $current_user )`.
    pub class: String,
    pub id: i64,
    pub login: String,
    /// The user name in the request's auth cookie (the one `wp_validate_auth_cookie()`
    /// reads), as sent.
    pub cookie_login: String,
    /// `did_action( 'set_current_user' )`.
    pub set_count: i64,
    /// The user's roles, sorted (what logged-in evidence is kept by).
    pub roles: Vec<String>,
}

/// What one plugin callback did when a full-path beat's evidence was recorded (the
/// extension watches the callbacks of `heartbeat_received`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Observed {
    pub hook: String,
    /// As [`Entry::callback`] names it.
    pub callback: String,
    /// It returned the response it was given (`===`).
    pub unchanged: bool,
    /// Database queries it ran (`$wpdb->num_queries` after less before; -1: unknown).
    pub queries: i64,
    /// Bytes of output it printed, headers it added.
    pub output: i64,
    pub headers: i64,
}

impl Observed {
    /// Returned the response untouched, queried nothing, printed and sent nothing.
    pub fn inert(&self) -> bool {
        self.unchanged && self.queries == 0 && self.output == 0 && self.headers == 0
    }
}

/// Everything a full-path beat showed, before and at the handler.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evidence {
    /// The shape's key ([`Shape::key`]).
    pub shape: String,
    pub hooks: Vec<HookTable>,
    /// `headers_list()` before the handler.
    pub headers: Vec<String>,
    /// Bytes of output before the handler.
    pub output: i64,
    /// `http_response_code()` before the handler (0 for none set).
    pub status: i64,
    /// `headers_sent()` before the handler.
    pub headers_sent: bool,
    /// Output buffers before the handler, by handler name (`ob_get_status( true )`).
    pub buffers: Vec<String>,
    /// Output buffers the ini settings start (what a native answer also runs under).
    pub ini_buffers: Vec<String>,
    /// PHP shutdown functions registered (canonical callables).
    pub shutdown: Vec<String>,
    /// Request variables the handler reads that differ from the raw request (after core's
    /// own `wp_magic_quotes()`), by name.
    pub rewritten: Vec<String>,
    pub user: Option<User>,
    /// Modelled functions: name, defining file (`None`: not defined) and fingerprint.
    pub functions: Vec<(String, Option<String>, String)>,
    /// The request key's digest and label ([`crate::request`]): evidence speaks only for
    /// beats with the same raw request facts.
    pub request: String,
    pub request_label: String,
    /// What plugin callbacks on watched hooks did during the handler.
    pub observed: Vec<Observed>,
}

impl Evidence {
    /// The shape this evidence is for.
    pub fn shape(&self) -> Option<Shape> {
        Shape::from_key(&self.shape)
    }

    /// The key evidence is kept under: shape, roles for logged-in shapes, and the
    /// request key (`nodata/administrator@0a1b2c3d4e5f`).
    pub fn key(&self) -> String {
        key(
            &self.shape,
            self.user.as_ref().map(|u| u.roles.as_slice()),
            &self.request,
        )
    }

    /// The evidence as JSON (manifests keep it for the self-check and for reports).
    pub fn to_json(&self) -> Value {
        json!({
            "shape": self.shape,
            "hooks": self.hooks.iter().map(|h| json!({
                "hook": h.hook,
                "plain": h.plain,
                "entries": h.entries.iter().map(|e| json!([e.priority, e.id, e.callback, e.accepted_args, e.file])).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "headers": self.headers,
            "output": self.output,
            "status": self.status,
            "headers_sent": self.headers_sent,
            "buffers": self.buffers,
            "ini_buffers": self.ini_buffers,
            "shutdown": self.shutdown,
            "rewritten": self.rewritten,
            "user": self.user.as_ref().map(|u| json!({
                "class": u.class, "id": u.id, "login": u.login, "cookie_login": u.cookie_login,
                "set_count": u.set_count, "roles": u.roles,
            })),
            "functions": self.functions.iter().map(|(n, f, h)| json!([n, f, h])).collect::<Vec<_>>(),
            "request": self.request,
            "request_label": self.request_label,
            "observed": self.observed.iter().map(|o| json!([o.hook, o.callback, o.unchanged, o.queries, o.output, o.headers])).collect::<Vec<_>>(),
        })
    }

    /// Evidence from [`Evidence::to_json`]; `None` for anything else.
    pub fn from_json(v: &Value) -> Option<Evidence> {
        let strings = |k: &str| -> Option<Vec<String>> {
            v.get(k)?
                .as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect()
        };
        let mut hooks = Vec::new();
        for h in v.get("hooks")?.as_array()? {
            let mut entries = Vec::new();
            for e in h.get("entries")?.as_array()? {
                let e = e.as_array()?;
                entries.push(Entry {
                    priority: e.first()?.as_i64()?,
                    id: e.get(1)?.as_str()?.to_owned(),
                    callback: e.get(2)?.as_str()?.to_owned(),
                    accepted_args: e.get(3)?.as_i64()?,
                    file: e.get(4)?.as_str().map(str::to_owned),
                });
            }
            hooks.push(HookTable {
                hook: h.get("hook")?.as_str()?.to_owned(),
                plain: h.get("plain")?.as_bool()?,
                entries,
            });
        }
        let user = match v.get("user") {
            None | Some(Value::Null) => None,
            Some(u) => Some(User {
                class: u.get("class")?.as_str()?.to_owned(),
                id: u.get("id")?.as_i64()?,
                login: u.get("login")?.as_str()?.to_owned(),
                cookie_login: u.get("cookie_login")?.as_str()?.to_owned(),
                set_count: u.get("set_count")?.as_i64()?,
                roles: u
                    .get("roles")?
                    .as_array()?
                    .iter()
                    .map(|s| s.as_str().map(str::to_owned))
                    .collect::<Option<_>>()?,
            }),
        };
        let mut functions = Vec::new();
        for f in v.get("functions")?.as_array()? {
            let f = f.as_array()?;
            functions.push((
                f.first()?.as_str()?.to_owned(),
                f.get(1)?.as_str().map(str::to_owned),
                f.get(2)?.as_str()?.to_owned(),
            ));
        }
        Some(Evidence {
            shape: v.get("shape")?.as_str()?.to_owned(),
            hooks,
            headers: strings("headers")?,
            output: v.get("output")?.as_i64()?,
            status: v.get("status")?.as_i64()?,
            headers_sent: v.get("headers_sent")?.as_bool()?,
            buffers: strings("buffers")?,
            ini_buffers: strings("ini_buffers")?,
            shutdown: strings("shutdown")?,
            rewritten: strings("rewritten")?,
            user,
            functions,
            request: v.get("request")?.as_str()?.to_owned(),
            request_label: v.get("request_label")?.as_str()?.to_owned(),
            observed: v
                .get("observed")?
                .as_array()?
                .iter()
                .map(|o| {
                    let o = o.as_array()?;
                    Some(Observed {
                        hook: o.first()?.as_str()?.to_owned(),
                        callback: o.get(1)?.as_str()?.to_owned(),
                        unchanged: o.get(2)?.as_bool()?,
                        queries: o.get(3)?.as_i64()?,
                        output: o.get(4)?.as_i64()?,
                        headers: o.get(5)?.as_i64()?,
                    })
                })
                .collect::<Option<_>>()?,
        })
    }

    /// How `later` (a newer full-path beat of the same shape) differs from this evidence,
    /// as the first difference found, with the hook and owner involved when there is one.
    /// `None`: the same.
    pub fn differs(&self, later: &Evidence, dirs: &Dirs) -> Option<String> {
        for h in &later.hooks {
            let before = self.hooks.iter().find(|o| o.hook == h.hook);
            let same = before.is_some_and(|b| b.plain == h.plain && b.entries == h.entries);
            if same {
                continue;
            }
            let gone = before
                .map(|b| {
                    b.entries
                        .iter()
                        .filter(|e| !h.entries.contains(e))
                        .map(|e| e.callback.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let added = h
                .entries
                .iter()
                .filter(|e| before.is_none_or(|b| !b.entries.contains(e)))
                .map(|e| format!("{} ({})", e.callback, dirs.owner(e.file.as_deref())))
                .collect::<Vec<_>>();
            if added.is_empty() && gone.is_empty() {
                let what = match before {
                    None => "now on the path",
                    Some(b) if b.plain != h.plain && h.plain => "now a plain WP_Hook",
                    Some(b) if b.plain != h.plain => "no longer a plain WP_Hook",
                    Some(_) => "callbacks reordered",
                };
                return Some(format!("hook {}: {what}", h.hook));
            }
            return Some(format!(
                "hook {}: {}{}",
                h.hook,
                if added.is_empty() {
                    String::new()
                } else {
                    format!("now also {}", added.join(", "))
                },
                if gone.is_empty() {
                    String::new()
                } else {
                    format!(
                        "{}no longer {}",
                        if added.is_empty() { "" } else { "; " },
                        gone.join(", ")
                    )
                }
            ));
        }
        if let Some(h) = self
            .hooks
            .iter()
            .find(|h| !later.hooks.iter().any(|l| l.hook == h.hook))
        {
            return Some(format!("hook {}: no longer captured", h.hook));
        }
        let fields: [(&str, bool); 10] = [
            ("headers before the handler", self.headers != later.headers),
            ("output before the handler", self.output != later.output),
            ("status before the handler", self.status != later.status),
            (
                "headers sent before the handler",
                self.headers_sent != later.headers_sent,
            ),
            ("output buffers", self.buffers != later.buffers),
            ("shutdown functions", self.shutdown != later.shutdown),
            (
                "request variables rewritten",
                self.rewritten != later.rewritten,
            ),
            (
                "the current user",
                self.user
                    .as_ref()
                    .map(|u| (u.set_count, &u.class, u.login == u.cookie_login))
                    != later
                        .user
                        .as_ref()
                        .map(|u| (u.set_count, &u.class, u.login == u.cookie_login)),
            ),
            ("modelled functions", self.functions != later.functions),
            (
                "what plugin heartbeat callbacks did",
                self.observed
                    .iter()
                    .map(Observed::inert)
                    .collect::<Vec<_>>()
                    != later
                        .observed
                        .iter()
                        .map(Observed::inert)
                        .collect::<Vec<_>>(),
            ),
        ];
        fields
            .iter()
            .find(|(_, differs)| *differs)
            .map(|(what, _)| (*what).to_string())
    }
}

/// The key evidence is kept under: `shape[/roles]@request`.
pub fn key(shape: &str, roles: Option<&[String]>, request: &str) -> String {
    let who = match roles {
        None => shape.to_owned(),
        Some([]) => format!("{shape}/-"),
        Some(r) => format!("{shape}/{}", r.join("+")),
    };
    format!("{who}@{request}")
}

/// A key's parts: shape, roles (logged-in shapes) and request digest.
pub fn key_parts(key: &str) -> (&str, Option<&str>, &str) {
    let (who, request) = key.rsplit_once('@').unwrap_or((key, ""));
    match who.split_once('/') {
        Some((shape, roles)) => (shape, Some(roles), request),
        None => (who, None, request),
    }
}

/// The directories that tell who owns a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dirs {
    /// `ABSPATH`, with its trailing slash.
    pub abspath: String,
    pub plugins: String,
    pub mu_plugins: String,
    pub content: String,
    /// Theme directories (stylesheet, template).
    pub themes: Vec<String>,
    /// This plugin's directory.
    pub fastbeat: String,
}

impl Dirs {
    /// Who owns the code defined in `file` (`ext:<module>` for an extension function).
    pub fn owner(&self, file: Option<&str>) -> Owner {
        let Some(file) = file else {
            return Owner::Other("(unresolved)".into());
        };
        if let Some(module) = file.strip_prefix("ext:") {
            return if module == "fastbeat" {
                Owner::Fastbeat
            } else {
                Owner::Internal
            };
        }
        let under = |dir: &str| -> Option<String> {
            if dir.is_empty() {
                return None;
            }
            let dir = dir.trim_end_matches('/');
            file.strip_prefix(dir)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(str::to_owned)
        };
        if !self.fastbeat.is_empty() && under(&self.fastbeat).is_some() {
            return Owner::Fastbeat;
        }
        if let Some(rest) = under(&self.abspath) {
            if rest.starts_with("wp-includes/") || rest.starts_with("wp-admin/") {
                return Owner::Core;
            }
            if rest == "wp-config.php" {
                return Owner::Site(rest);
            }
        }
        if let Some(rest) = under(&self.mu_plugins) {
            return Owner::MuPlugin(first_part(&rest));
        }
        if let Some(rest) = under(&self.plugins) {
            return Owner::Plugin(first_part(&rest));
        }
        for t in &self.themes {
            if under(t).is_some() {
                let slug = t.trim_end_matches('/').rsplit('/').next().unwrap_or(t);
                return Owner::Theme(slug.to_owned());
            }
        }
        if let Some(rest) = under(&self.content) {
            if !rest.contains('/') {
                return Owner::Site(rest);
            }
        }
        Owner::Other(file.to_owned())
    }
}

/// A plugin's directory (or its file, for a single-file plugin).
fn first_part(rest: &str) -> String {
    rest.split('/').next().unwrap_or(rest).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs() -> Dirs {
        Dirs {
            abspath: "/usr/share/wordpress/".into(),
            plugins: "/srv/wp-content/plugins".into(),
            mu_plugins: "/srv/wp-content/mu-plugins".into(),
            content: "/srv/wp-content".into(),
            themes: vec!["/usr/share/wordpress/wp-content/themes/twentytwentythree".into()],
            fastbeat: "/srv/wp-content/plugins/fastbeat".into(),
        }
    }

    #[test]
    fn owners_by_file() {
        let d = dirs();
        let o = |f: &str| d.owner(Some(f));
        assert_eq!(
            o("/usr/share/wordpress/wp-includes/pluggable.php"),
            Owner::Core
        );
        assert_eq!(
            o("/usr/share/wordpress/wp-admin/includes/misc.php"),
            Owner::Core
        );
        assert_eq!(
            o("/srv/wp-content/plugins/fastbeat/includes/lane.php"),
            Owner::Fastbeat
        );
        assert_eq!(o("ext:fastbeat"), Owner::Fastbeat);
        assert_eq!(o("ext:standard"), Owner::Internal);
        assert_eq!(
            o("/srv/wp-content/plugins/akismet/class.akismet.php"),
            Owner::Plugin("akismet".into())
        );
        assert_eq!(
            o("/srv/wp-content/plugins/hello.php"),
            Owner::Plugin("hello.php".into())
        );
        assert_eq!(
            o("/srv/wp-content/mu-plugins/x.php"),
            Owner::MuPlugin("x.php".into())
        );
        assert_eq!(
            o("/usr/share/wordpress/wp-content/themes/twentytwentythree/functions.php"),
            Owner::Theme("twentytwentythree".into())
        );
        assert_eq!(
            o("/srv/wp-content/object-cache.php"),
            Owner::Site("object-cache.php".into())
        );
        assert_eq!(
            o("/usr/share/wordpress/wp-config.php"),
            Owner::Site("wp-config.php".into())
        );
        // A directory that merely starts like another is not inside it.
        assert_eq!(
            o("/srv/wp-content/plugins-old/x.php"),
            Owner::Other("/srv/wp-content/plugins-old/x.php".into())
        );
        assert_eq!(d.owner(None), Owner::Other("(unresolved)".into()));
    }

    fn sample() -> Evidence {
        Evidence {
            shape: "nodata".into(),
            hooks: vec![HookTable {
                hook: "heartbeat_send".into(),
                plain: true,
                entries: vec![Entry {
                    priority: 10,
                    id: "wp_auth_check".into(),
                    callback: "wp_auth_check".into(),
                    accepted_args: 1,
                    file: Some("/usr/share/wordpress/wp-includes/functions.php".into()),
                }],
            }],
            headers: vec!["X-Robots-Tag: noindex".into()],
            user: Some(User {
                class: "WP_User".into(),
                id: 1,
                login: "admin".into(),
                cookie_login: "admin".into(),
                set_count: 1,
                roles: vec!["administrator".into()],
            }),
            functions: vec![("wp_auth_check".into(), None, "ab".into())],
            request: "0a1b2c".into(),
            request_label: "http://example.test/wp-admin/admin-ajax.php".into(),
            ..Evidence::default()
        }
    }

    #[test]
    fn json_round_trip_and_key() {
        let e = sample();
        assert_eq!(Evidence::from_json(&e.to_json()), Some(e.clone()));
        assert_eq!(e.key(), "nodata/administrator@0a1b2c");
        assert_eq!(key("nopriv", None, "0a1b2c"), "nopriv@0a1b2c");
        assert_eq!(key_parts("nopriv@0a"), ("nopriv", None, "0a"));
        assert_eq!(
            key_parts("postlock/editor+author@0a"),
            ("postlock", Some("editor+author"), "0a")
        );
        assert_eq!(Evidence::from_json(&json!({"shape": 1})), None);
    }

    #[test]
    fn differences_name_the_hook_and_owner() {
        let a = sample();
        assert_eq!(a.differs(&a, &dirs()), None);
        let mut b = a.clone();
        b.hooks[0].entries.push(Entry {
            priority: 10,
            id: "x".into(),
            callback: "my_send".into(),
            accepted_args: 1,
            file: Some("/srv/wp-content/plugins/foo/foo.php".into()),
        });
        let d = a.differs(&b, &dirs());
        assert_eq!(
            d.as_deref(),
            Some("hook heartbeat_send: now also my_send (plugin foo)")
        );
        let mut c = a.clone();
        c.hooks[0].entries.clear();
        assert_eq!(
            a.differs(&c, &dirs()).as_deref(),
            Some("hook heartbeat_send: no longer wp_auth_check")
        );
        let mut h = a.clone();
        h.headers.push("X-Foo: 1".into());
        assert_eq!(
            a.differs(&h, &dirs()).as_deref(),
            Some("headers before the handler")
        );
    }
}
