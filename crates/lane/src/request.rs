//! Which beats the lane may answer, judged from the raw request alone. FFI-free.

/// What the lane would have to do for a beat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No `data`: only core's `wp_auth_check` and the nonce refresh.
    NoData,
    /// Only the post-screen keys core's callbacks implement.
    PostData,
    /// No credentials at all: the logged-out handler, answered natively (its response
    /// depends only on the time and the request's `Origin` when the manifest allows it).
    NoPriv,
}

/// `data` keys the lane implements (core's own heartbeat callbacks).
pub const POST_KEYS: [&str; 4] = [
    "wp-refresh-post-lock",
    "wp-check-locked-posts",
    "wp-refresh-post-nonces",
    "wp-refresh-metabox-loader-nonces",
];

/// The shape of `$_POST['data']` as the SAPI parsed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// Missing, or what PHP's `empty()` calls empty (`""`, `"0"`).
    Empty,
    /// An array: how many entries, and which of [`POST_KEYS`] are present as arrays.
    Array {
        len: usize,
        post_keys_as_arrays: usize,
    },
    /// Anything else (a non-empty scalar).
    Other,
}

/// Facts about a request, read from the SAPI before any PHP runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub method_post: bool,
    /// `$_POST['action'] === 'heartbeat'`.
    pub action_heartbeat: bool,
    /// `wp_customize` or `customize_changeset_uuid` in the query or the body.
    pub customizer: bool,
    pub data: Data,
    /// A header or server variable that the manifest (or the built-in
    /// `X-Fastbeat-Lane: off`) says must take the full path.
    pub vetoed: bool,
    /// None of WordPress's auth cookies (auth, secure auth, logged in) and no HTTP
    /// credentials: core's `determine_current_user` cannot log this request in.
    pub anonymous: bool,
}

/// The lane kind for a request, or `None` for the full path.
pub fn classify(f: &Facts) -> Option<Kind> {
    if !f.method_post || !f.action_heartbeat || f.customizer || f.vetoed {
        return None;
    }
    // With core-only nopriv hooks, data and screen_id cannot change the answer.
    if f.anonymous {
        return Some(Kind::NoPriv);
    }
    match f.data {
        Data::Empty => Some(Kind::NoData),
        Data::Array {
            len,
            post_keys_as_arrays,
        } if len > 0 && len == post_keys_as_arrays => Some(Kind::PostData),
        Data::Array { .. } | Data::Other => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(data: Data) -> Facts {
        Facts {
            method_post: true,
            action_heartbeat: true,
            customizer: false,
            data,
            vetoed: false,
            anonymous: false,
        }
    }

    #[test]
    fn dashboard_and_post_screen_beats_are_eligible() {
        assert_eq!(classify(&beat(Data::Empty)), Some(Kind::NoData));
        let d = Data::Array {
            len: 2,
            post_keys_as_arrays: 2,
        };
        assert_eq!(classify(&beat(d)), Some(Kind::PostData));
    }

    #[test]
    fn anonymous_beats_are_answered_natively_whatever_their_data() {
        let shapes = [
            Data::Empty,
            Data::Other,
            Data::Array {
                len: 3,
                post_keys_as_arrays: 0,
            },
        ];
        for data in shapes {
            let f = Facts {
                anonymous: true,
                ..beat(data)
            };
            assert_eq!(classify(&f), Some(Kind::NoPriv));
        }
    }

    #[test]
    fn anything_else_takes_the_full_path() {
        // A key no core callback implements (e.g. wp_autosave), next to a known one.
        let d = Data::Array {
            len: 2,
            post_keys_as_arrays: 1,
        };
        assert_eq!(classify(&beat(d)), None);
        assert_eq!(classify(&beat(Data::Other)), None);
        let empty_array = Data::Array {
            len: 0,
            post_keys_as_arrays: 0,
        };
        assert_eq!(classify(&beat(empty_array)), None);
        for f in [
            Facts {
                method_post: false,
                ..beat(Data::Empty)
            },
            Facts {
                action_heartbeat: false,
                ..beat(Data::Empty)
            },
            Facts {
                customizer: true,
                ..beat(Data::Empty)
            },
            Facts {
                vetoed: true,
                ..beat(Data::Empty)
            },
            Facts {
                vetoed: true,
                anonymous: true,
                ..beat(Data::Empty)
            },
            Facts {
                method_post: false,
                anonymous: true,
                ..beat(Data::Empty)
            },
        ] {
            assert_eq!(classify(&f), None, "{f:?}");
        }
    }
}
