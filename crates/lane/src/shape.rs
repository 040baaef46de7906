//! Beat shapes: the kinds of heartbeat the lane may answer. Each shape has its own lane
//! path (the core code a native answer stands in for, see [`crate::policy`]) and its own
//! evidence: a full-path beat of one shape never vouches for a beat of another.

use crate::reason::Reason;

/// A kind of heartbeat, decided from the raw request before any PHP runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    /// No credentials at all and no `data`: `wp_ajax_nopriv_heartbeat()` without
    /// `heartbeat_nopriv_received`.
    NoPriv,
    /// No credentials, with `data`: the same plus `heartbeat_nopriv_received`.
    NoPrivData,
    /// Logged in (an auth cookie), no `data`: the dashboard's beat.
    NoData,
    /// Logged in, `data` holding only `wp-refresh-post-lock` with a plain post id: the
    /// block editor's beat.
    PostLock,
}

impl Shape {
    /// Every shape, in a fixed order (counters and reports use it).
    pub const ALL: [Shape; 4] = [
        Shape::NoPriv,
        Shape::NoPrivData,
        Shape::NoData,
        Shape::PostLock,
    ];

    /// The shape's name in manifests, counters and reports.
    pub fn key(self) -> &'static str {
        match self {
            Shape::NoPriv => "nopriv",
            Shape::NoPrivData => "nopriv-data",
            Shape::NoData => "nodata",
            Shape::PostLock => "postlock",
        }
    }

    /// The shape named `key`.
    pub fn from_key(key: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether the beat is answered as a logged-in user (its evidence is kept per role).
    pub fn logged_in(self) -> bool {
        matches!(self, Shape::NoData | Shape::PostLock)
    }

    /// Index into [`Shape::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The `data` keys every beat of the shape carries.
    pub fn data_keys(self) -> &'static [&'static str] {
        match self {
            Shape::PostLock => &[POST_LOCK_KEY],
            _ => &[],
        }
    }
}

/// The one `data` key of a post-lock beat.
pub const POST_LOCK_KEY: &str = "wp-refresh-post-lock";

/// The shape of `$_POST['data']` as the SAPI parsed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// What PHP's `empty()` calls empty: missing, `""`, `"0"`, an empty array.
    Empty,
    /// Exactly one entry, `wp-refresh-post-lock`, an array whose `post_id` is a plain
    /// positive decimal (what `absint()` leaves as it is).
    PostLock(u64),
    /// Anything else that is not empty.
    Other,
}

/// Facts about a request, read from the SAPI before any PHP runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFacts {
    pub method_post: bool,
    /// `$_POST['action'] === 'heartbeat'`.
    pub action_heartbeat: bool,
    /// `wp_customize` or `customize_changeset_uuid` in the query or the body.
    pub customizer: bool,
    pub data: Data,
    /// A header or server variable that vetoes the lane (`X-Fastbeat-Lane: off`, or one
    /// the site lists), by name.
    pub vetoed: Option<String>,
    /// One of WordPress's auth cookies (auth, secure auth, logged in) is present.
    pub auth_cookie: bool,
    /// HTTP credentials (application passwords log a request in through them).
    pub credentials: bool,
    /// The recovery-mode cookie: core then loads another set of plugins.
    pub recovery_cookie: bool,
    /// A query-string parameter or a POST field other than [`HEARTBEAT_FIELDS`], by name
    /// (`QUERY_STRING` for a query string that gives no parameter).
    pub extra_field: Option<String>,
}

/// The POST fields WordPress's heartbeat client sends.
pub const HEARTBEAT_FIELDS: [&str; 6] = [
    "action",
    "_nonce",
    "screen_id",
    "has_focus",
    "interval",
    "data",
];

/// The shape of a heartbeat request, or why it is not one the lane answers.
pub fn classify(f: &RequestFacts) -> Result<Shape, Reason> {
    if !f.method_post || !f.action_heartbeat {
        return Err(Reason::NotAHeartbeat);
    }
    if f.customizer {
        return Err(Reason::Customizer);
    }
    if let Some(var) = &f.vetoed {
        return Err(Reason::Vetoed(var.clone()));
    }
    if let Some(name) = &f.extra_field {
        return Err(Reason::ExtraField(name.clone()));
    }
    if f.recovery_cookie {
        return Err(Reason::RecoveryMode);
    }
    if f.credentials {
        return Err(Reason::Credentials);
    }
    if !f.auth_cookie {
        return Ok(match f.data {
            Data::Empty => Shape::NoPriv,
            Data::PostLock(_) | Data::Other => Shape::NoPrivData,
        });
    }
    match f.data {
        Data::Empty => Ok(Shape::NoData),
        Data::PostLock(_) => Ok(Shape::PostLock),
        Data::Other => Err(Reason::DataNotModelled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(data: Data, auth_cookie: bool) -> RequestFacts {
        RequestFacts {
            method_post: true,
            action_heartbeat: true,
            customizer: false,
            data,
            vetoed: None,
            auth_cookie,
            credentials: false,
            recovery_cookie: false,
            extra_field: None,
        }
    }

    #[test]
    fn each_shape_from_its_request() {
        assert_eq!(classify(&beat(Data::Empty, false)), Ok(Shape::NoPriv));
        assert_eq!(classify(&beat(Data::Other, false)), Ok(Shape::NoPrivData));
        assert_eq!(
            classify(&beat(Data::PostLock(7), false)),
            Ok(Shape::NoPrivData)
        );
        assert_eq!(classify(&beat(Data::Empty, true)), Ok(Shape::NoData));
        assert_eq!(
            classify(&beat(Data::PostLock(7), true)),
            Ok(Shape::PostLock)
        );
    }

    #[test]
    fn everything_else_has_a_reason() {
        assert_eq!(
            classify(&beat(Data::Other, true)),
            Err(Reason::DataNotModelled)
        );
        let cases = [
            (
                RequestFacts {
                    method_post: false,
                    ..beat(Data::Empty, false)
                },
                Reason::NotAHeartbeat,
            ),
            (
                RequestFacts {
                    action_heartbeat: false,
                    ..beat(Data::Empty, true)
                },
                Reason::NotAHeartbeat,
            ),
            (
                RequestFacts {
                    customizer: true,
                    ..beat(Data::Empty, true)
                },
                Reason::Customizer,
            ),
            (
                RequestFacts {
                    vetoed: Some("HTTP_X_FASTBEAT_LANE".into()),
                    ..beat(Data::Empty, false)
                },
                Reason::Vetoed("HTTP_X_FASTBEAT_LANE".into()),
            ),
            (
                RequestFacts {
                    credentials: true,
                    ..beat(Data::Empty, false)
                },
                Reason::Credentials,
            ),
            (
                RequestFacts {
                    extra_field: Some("page".into()),
                    ..beat(Data::Empty, true)
                },
                Reason::ExtraField("page".into()),
            ),
            (
                RequestFacts {
                    recovery_cookie: true,
                    ..beat(Data::Empty, true)
                },
                Reason::RecoveryMode,
            ),
        ];
        for (f, want) in cases {
            assert_eq!(classify(&f), Err(want), "{f:?}");
        }
    }

    #[test]
    fn keys_round_trip() {
        for s in Shape::ALL {
            assert_eq!(Shape::from_key(s.key()), Some(s));
            assert_eq!(Shape::ALL[s.index()], s);
        }
        assert_eq!(Shape::from_key("nodata/administrator"), None);
    }
}
