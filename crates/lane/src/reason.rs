//! Why a beat did not take the lane: one type for every decision, from the raw request to
//! the native answer's last check. Each value has a stable code (counters, the plugin's
//! translated messages) and an English description (logs, tests, the fallback text).

use crate::shape::Shape;
use std::fmt;

/// Who registered a callback or defined a function, judged from the file it lives in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Owner {
    /// WordPress core (`wp-includes/`, `wp-admin/`, or an internal function core's own
    /// files register).
    Core,
    /// This plugin or the extension.
    Fastbeat,
    /// A plugin, by its directory (or file) name under the plugins directory.
    Plugin(String),
    /// A must-use plugin, by file name.
    MuPlugin(String),
    /// A theme, by directory name.
    Theme(String),
    /// A drop-in (`db.php`, `object-cache.php`, `advanced-cache.php`) or `wp-config.php`.
    Site(String),
    /// A PHP built-in function (e.g. `trim`) that core's files do not register there.
    Internal,
    /// Anything else, by path.
    Other(String),
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Core => f.write_str("WordPress core"),
            Owner::Fastbeat => f.write_str("Fastbeat"),
            Owner::Plugin(p) => write!(f, "plugin {p}"),
            Owner::MuPlugin(p) => write!(f, "must-use plugin {p}"),
            Owner::Theme(t) => write!(f, "theme {t}"),
            Owner::Site(s) => write!(f, "site file {s}"),
            Owner::Internal => f.write_str("a PHP built-in function"),
            Owner::Other(p) => write!(f, "code in {p}"),
        }
    }
}

impl Owner {
    /// The owner as one token for manifests and PHP (`plugin:akismet`).
    pub fn tag(&self) -> String {
        match self {
            Owner::Core => "core".into(),
            Owner::Fastbeat => "fastbeat".into(),
            Owner::Plugin(p) => format!("plugin:{p}"),
            Owner::MuPlugin(p) => format!("mu-plugin:{p}"),
            Owner::Theme(t) => format!("theme:{t}"),
            Owner::Site(s) => format!("site:{s}"),
            Owner::Internal => "internal".into(),
            Owner::Other(p) => format!("other:{p}"),
        }
    }

    /// The inverse of [`Owner::tag`].
    pub fn from_tag(tag: &str) -> Owner {
        let (kind, rest) = tag.split_once(':').unwrap_or((tag, ""));
        match kind {
            "core" => Owner::Core,
            "fastbeat" => Owner::Fastbeat,
            "plugin" => Owner::Plugin(rest.into()),
            "mu-plugin" => Owner::MuPlugin(rest.into()),
            "theme" => Owner::Theme(rest.into()),
            "site" => Owner::Site(rest.into()),
            "internal" => Owner::Internal,
            _ => Owner::Other(rest.into()),
        }
    }
}

/// Why a beat takes the full path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reason {
    // ---- the request
    /// Not a POST with `action=heartbeat`.
    NotAHeartbeat,
    /// A customizer request.
    Customizer,
    /// A veto header or server variable.
    Vetoed(String),
    /// HTTP credentials (application passwords).
    Credentials,
    /// The recovery-mode cookie: core loads another set of plugins for it.
    RecoveryMode,
    /// `data` other than the shapes the lane models.
    DataNotModelled,
    /// A query string, or a POST field a heartbeat does not send (core code may act on
    /// such fields before the handler: 7.1's `?page=` admin pages, maintenance mode's
    /// scrape keys).
    ExtraField(String),

    // ---- the site and its manifest
    /// The lane is switched off (constant or filter).
    Disabled,
    /// This worker has not seen a full-path beat of this site yet.
    NotRegistered,
    /// No manifest (or an unreadable one).
    NoManifest,
    /// The manifest's site facts are past their time.
    Expired,
    /// A watched file changed since the manifest was written.
    FileChanged(String),
    /// No full-path beat of this shape (and role) has been recorded yet.
    NotRecorded(Shape),
    /// The self-check found this shape's evidence changing; it stays on the full path.
    Suspended(Shape),
    /// This beat was sent down the full path to check the evidence (1 in N).
    SelfCheck,
    /// Logged out, and no full-path request reached the database recently.
    DatabaseNotVouched,

    // ---- the evidence (what a full-path beat of this shape showed)
    /// A callback the native answer does not reproduce, on a hook its path reaches.
    Callback {
        hook: String,
        callback: String,
        owner: Owner,
    },
    /// A plugin callback declared to react only to its own `data` keys, which the
    /// full-path beats of this shape did not confirm (`check`: what it did instead).
    Unconfirmed {
        hook: String,
        callback: String,
        owner: Owner,
        check: String,
    },
    /// A callback core registers there is missing, moved or replaced.
    CoreCallbackChanged { hook: String, callback: String },
    /// `$wp_filter[hook]` is not a plain `WP_Hook`.
    NotAHook(String),
    /// A pluggable function the answer models was replaced.
    Pluggable { function: String, owner: Owner },
    /// A header sent before the handler that core's own steps do not send.
    HeaderBeforeHandler(String),
    /// Output before the handler.
    OutputBeforeHandler,
    /// A status other than 200 before the handler.
    StatusBeforeHandler(i64),
    /// An output buffer with a handler that would rewrite the response.
    OutputHandler(String),
    /// A PHP shutdown function that core does not register.
    ShutdownFunction(String),
    /// Something before the handler rewrote a request variable the handler reads.
    RequestRewritten(String),
    /// Something before the handler switched the current user.
    UserSwitched,
    /// The installed core's code for a modelled function matches no model.
    ModelMismatch { model: String, function: String },
    /// A persistent object cache drop-in on a multisite network.
    ObjectCache,
    /// A `db.php` drop-in (`wpdb` replaced).
    DatabaseDropIn,
    /// Core's `post` type or the roles are not what the post-lock model reads.
    PostTypeChanged,

    // ---- the native answer
    /// This worker has not learned the site's database and salts yet, or learned them
    /// before the manifest was written.
    NotLearned,
    /// A persistent object cache, and the installed `wp-settings.php` shows no point
    /// after the cache starts to answer at ([`crate::midboot::trigger`]), or the boot
    /// did not reach it.
    MidBootPoint,
    /// With a persistent object cache, what the answer reads was not in the cache (core
    /// then reads the database and fills it: the full path does).
    CacheMiss(&'static str),
    /// An option the answer depends on changed since it was learned.
    OptionsChanged,
    /// The database could not be read.
    DatabaseUnavailable,
    /// No evidence for the user's role (logged-in shapes are recorded per role).
    RoleNotRecorded(String),
    /// A check core makes came out otherwise than the native answer models (an expired
    /// or other-tick nonce, an invalid cookie or session, a held lock, ...).
    Declined(&'static str),
}

impl Reason {
    /// A stable code: counters, manifests and the plugin's messages use it.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NotAHeartbeat => "not-heartbeat",
            Reason::Customizer => "customizer",
            Reason::Vetoed(_) => "vetoed",
            Reason::Credentials => "credentials",
            Reason::RecoveryMode => "recovery-mode",
            Reason::DataNotModelled => "data-shape",
            Reason::ExtraField(_) => "extra-field",
            Reason::Disabled => "disabled",
            Reason::NotRegistered => "not-registered",
            Reason::NoManifest => "no-manifest",
            Reason::Expired => "expired",
            Reason::FileChanged(_) => "file-changed",
            Reason::NotRecorded(_) => "not-recorded",
            Reason::Suspended(_) => "suspended",
            Reason::SelfCheck => "self-check",
            Reason::DatabaseNotVouched => "database-not-vouched",
            Reason::Callback { .. } => "callback",
            Reason::Unconfirmed { .. } => "unconfirmed",
            Reason::CoreCallbackChanged { .. } => "core-callback-changed",
            Reason::NotAHook(_) => "not-a-hook",
            Reason::Pluggable { .. } => "pluggable",
            Reason::HeaderBeforeHandler(_) => "header",
            Reason::OutputBeforeHandler => "output",
            Reason::StatusBeforeHandler(_) => "status",
            Reason::OutputHandler(_) => "output-handler",
            Reason::ShutdownFunction(_) => "shutdown-function",
            Reason::RequestRewritten(_) => "request-rewritten",
            Reason::UserSwitched => "user-switched",
            Reason::ModelMismatch { .. } => "model-mismatch",
            Reason::ObjectCache => "object-cache",
            Reason::DatabaseDropIn => "db-dropin",
            Reason::PostTypeChanged => "post-type",
            Reason::NotLearned => "not-learned",
            Reason::MidBootPoint => "midboot-point",
            Reason::CacheMiss(_) => "cache-miss",
            Reason::OptionsChanged => "options-changed",
            Reason::DatabaseUnavailable => "database",
            Reason::RoleNotRecorded(_) => "role-not-recorded",
            Reason::Declined(_) => "declined",
        }
    }

    /// Every code, in declaration order: counters are kept per code.
    pub const CODES: [&'static str; 39] = [
        "not-heartbeat",
        "customizer",
        "vetoed",
        "credentials",
        "recovery-mode",
        "data-shape",
        "extra-field",
        "disabled",
        "not-registered",
        "no-manifest",
        "expired",
        "file-changed",
        "not-recorded",
        "suspended",
        "self-check",
        "database-not-vouched",
        "callback",
        "unconfirmed",
        "core-callback-changed",
        "not-a-hook",
        "pluggable",
        "header",
        "output",
        "status",
        "output-handler",
        "shutdown-function",
        "request-rewritten",
        "user-switched",
        "model-mismatch",
        "object-cache",
        "db-dropin",
        "post-type",
        "not-learned",
        "midboot-point",
        "cache-miss",
        "options-changed",
        "database",
        "role-not-recorded",
        "declined",
    ];

    /// Index of this reason's code in [`Reason::CODES`].
    pub fn index(&self) -> usize {
        let code = self.code();
        Reason::CODES
            .iter()
            .position(|c| *c == code)
            .unwrap_or(Reason::CODES.len() - 1)
    }

    /// The reason's details, by name, for messages: `hook`, `callback`, `owner`, `file`,
    /// `name`, `shape`, `model`, `function`, `status`, `check`.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        match self {
            Reason::Vetoed(v) | Reason::ExtraField(v) => {
                vec![("name", v.clone())]
            }
            Reason::FileChanged(p) => vec![("file", p.clone())],
            Reason::NotRecorded(s) | Reason::Suspended(s) => vec![("shape", s.key().into())],
            Reason::Callback {
                hook,
                callback,
                owner,
            } => vec![
                ("hook", hook.clone()),
                ("callback", callback.clone()),
                ("owner", owner.to_string()),
                ("owner_tag", owner.tag()),
            ],
            Reason::Unconfirmed {
                hook,
                callback,
                owner,
                check,
            } => vec![
                ("hook", hook.clone()),
                ("callback", callback.clone()),
                ("owner", owner.to_string()),
                ("owner_tag", owner.tag()),
                ("check", check.clone()),
            ],
            Reason::CoreCallbackChanged { hook, callback } => {
                vec![("hook", hook.clone()), ("callback", callback.clone())]
            }
            Reason::NotAHook(h) => vec![("hook", h.clone())],
            Reason::Pluggable { function, owner } => vec![
                ("function", function.clone()),
                ("owner", owner.to_string()),
                ("owner_tag", owner.tag()),
            ],
            Reason::HeaderBeforeHandler(h)
            | Reason::OutputHandler(h)
            | Reason::ShutdownFunction(h)
            | Reason::RequestRewritten(h) => vec![("name", h.clone())],
            Reason::StatusBeforeHandler(s) => vec![("status", s.to_string())],
            Reason::ModelMismatch { model, function } => {
                vec![("model", model.clone()), ("function", function.clone())]
            }
            Reason::RoleNotRecorded(r) => vec![("name", r.clone())],
            Reason::Declined(c) | Reason::CacheMiss(c) => vec![("check", (*c).into())],
            _ => Vec::new(),
        }
    }

    /// Whether this reason is about the site rather than one beat: such reasons are what
    /// the site owner is shown as "why the lane is not serving".
    pub fn is_site_wide(&self) -> bool {
        !matches!(
            self,
            Reason::NotAHeartbeat
                | Reason::Customizer
                | Reason::Vetoed(_)
                | Reason::Credentials
                | Reason::DataNotModelled
                | Reason::ExtraField(_)
                | Reason::SelfCheck
                | Reason::DatabaseNotVouched
                | Reason::Declined(_)
                | Reason::CacheMiss(_)
                | Reason::NotRegistered
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NotAHeartbeat => f.write_str("not a heartbeat POST"),
            Reason::Customizer => f.write_str("a customizer request"),
            Reason::Vetoed(v) => write!(f, "vetoed by {v}"),
            Reason::Credentials => f.write_str("HTTP credentials (application password)"),
            Reason::RecoveryMode => f.write_str("recovery mode cookie"),
            Reason::DataNotModelled => f.write_str("data the lane does not model"),
            Reason::ExtraField(v) => write!(f, "request field {v} a heartbeat does not send"),
            Reason::Disabled => f.write_str("the lane is switched off"),
            Reason::NotRegistered => f.write_str("this worker has seen no full-path beat yet"),
            Reason::NoManifest => f.write_str("no manifest yet"),
            Reason::Expired => f.write_str("the manifest expired"),
            Reason::FileChanged(p) => write!(f, "{p} changed since the manifest was written"),
            Reason::NotRecorded(s) => write!(f, "no full-path {} beat recorded yet", s.key()),
            Reason::Suspended(s) => {
                write!(
                    f,
                    "{} beats suspended: the self-check saw their evidence change",
                    s.key()
                )
            }
            Reason::SelfCheck => f.write_str("sampled for the self-check"),
            Reason::DatabaseNotVouched => {
                f.write_str("no recent full-path request vouched for the database")
            }
            Reason::Callback {
                hook,
                callback,
                owner,
            } => write!(f, "{owner} adds {callback} on {hook}"),
            Reason::Unconfirmed {
                hook,
                callback,
                owner,
                check,
            } => write!(
                f,
                "{owner} declares {callback} on {hook} reacts only to its own data, but a full-path beat saw it {check}"
            ),
            Reason::CoreCallbackChanged { hook, callback } => {
                write!(
                    f,
                    "core's {callback} on {hook} was removed, moved or replaced"
                )
            }
            Reason::NotAHook(h) => write!(f, "{h} is not a plain WP_Hook"),
            Reason::Pluggable { function, owner } => write!(f, "{owner} replaces {function}()"),
            Reason::HeaderBeforeHandler(h) => write!(f, "header {h} sent before the handler"),
            Reason::OutputBeforeHandler => f.write_str("output before the handler"),
            Reason::StatusBeforeHandler(s) => write!(f, "status {s} before the handler"),
            Reason::OutputHandler(h) => write!(f, "output handler {h}"),
            Reason::ShutdownFunction(h) => write!(f, "shutdown function {h}"),
            Reason::RequestRewritten(v) => write!(f, "{v} rewritten before the handler"),
            Reason::UserSwitched => f.write_str("the current user was switched before the handler"),
            Reason::ModelMismatch { model, function } => write!(
                f,
                "the {model} model does not match this WordPress's {function}"
            ),
            Reason::ObjectCache => f.write_str("a persistent object cache on a multisite network"),
            Reason::DatabaseDropIn => f.write_str("a db.php drop-in"),
            Reason::PostTypeChanged => f.write_str("the post type or roles differ from core's"),
            Reason::NotLearned => f.write_str("site facts not learned in this worker yet"),
            Reason::MidBootPoint => {
                f.write_str("no point after the object cache starts to answer at")
            }
            Reason::CacheMiss(what) => write!(f, "not in the object cache: {what}"),
            Reason::OptionsChanged => f.write_str("an option changed since it was learned"),
            Reason::DatabaseUnavailable => f.write_str("the database could not be read"),
            Reason::RoleNotRecorded(r) => write!(f, "no full-path beat recorded for role {r}"),
            Reason::Declined(c) => write!(f, "core's answer differs here ({c})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_listed_once_each_in_order() {
        let samples = [
            Reason::NotAHeartbeat,
            Reason::Customizer,
            Reason::Vetoed(String::new()),
            Reason::Credentials,
            Reason::RecoveryMode,
            Reason::DataNotModelled,
            Reason::ExtraField(String::new()),
            Reason::Disabled,
            Reason::NotRegistered,
            Reason::NoManifest,
            Reason::Expired,
            Reason::FileChanged(String::new()),
            Reason::NotRecorded(Shape::NoPriv),
            Reason::Suspended(Shape::NoPriv),
            Reason::SelfCheck,
            Reason::DatabaseNotVouched,
            Reason::Callback {
                hook: String::new(),
                callback: String::new(),
                owner: Owner::Core,
            },
            Reason::Unconfirmed {
                hook: String::new(),
                callback: String::new(),
                owner: Owner::Core,
                check: String::new(),
            },
            Reason::CoreCallbackChanged {
                hook: String::new(),
                callback: String::new(),
            },
            Reason::NotAHook(String::new()),
            Reason::Pluggable {
                function: String::new(),
                owner: Owner::Core,
            },
            Reason::HeaderBeforeHandler(String::new()),
            Reason::OutputBeforeHandler,
            Reason::StatusBeforeHandler(0),
            Reason::OutputHandler(String::new()),
            Reason::ShutdownFunction(String::new()),
            Reason::RequestRewritten(String::new()),
            Reason::UserSwitched,
            Reason::ModelMismatch {
                model: String::new(),
                function: String::new(),
            },
            Reason::ObjectCache,
            Reason::DatabaseDropIn,
            Reason::PostTypeChanged,
            Reason::NotLearned,
            Reason::MidBootPoint,
            Reason::CacheMiss(""),
            Reason::OptionsChanged,
            Reason::DatabaseUnavailable,
            Reason::RoleNotRecorded(String::new()),
            Reason::Declined(""),
        ];
        assert_eq!(samples.len(), Reason::CODES.len());
        for (i, r) in samples.iter().enumerate() {
            assert_eq!(r.code(), Reason::CODES[i]);
            assert_eq!(r.index(), i);
            assert!(!r.to_string().is_empty());
        }
    }

    #[test]
    fn owner_tags_round_trip() {
        for o in [
            Owner::Core,
            Owner::Fastbeat,
            Owner::Plugin("akismet".into()),
            Owner::MuPlugin("x.php".into()),
            Owner::Theme("twentytwentythree".into()),
            Owner::Site("object-cache.php".into()),
            Owner::Internal,
            Owner::Other("/srv/x.php".into()),
        ] {
            assert_eq!(Owner::from_tag(&o.tag()), o);
        }
    }
}
