//! `wp_refresh_post_lock()` for a native answer: `current_user_can( 'edit_post' )` over
//! core's `post` type and roles, `wp_check_post_lock()`, and the write `wp_set_post_lock()`
//! makes through `update_post_meta()`. FFI-free.
//!
//! As in [`super::native`], it only says yes: another user's live lock (core answers with
//! a `lock_error` naming them), a post it cannot edit, a page, a trashed post, or a role,
//! capability or lock value in a shape not modelled here all go to the lane script.

use crate::unserialize::{self, Key, Value};

/// The option `map_meta_cap()` reads for the privacy policy page.
pub const PRIVACY_PAGE: &str = "wp_page_for_privacy_policy";

/// `wp_check_post_lock_window`'s default.
const LOCK_WINDOW: i64 = 150;

/// The post row's fields `map_meta_cap()` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub author: Vec<u8>,
    pub post_type: Vec<u8>,
    pub status: Vec<u8>,
}

/// What the reads returned for the post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub post: Option<Post>,
    /// `(meta_key, meta_value)` of the post's `_edit_lock` rows, by `meta_id`.
    pub locks: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    /// The roles option's raw value.
    pub roles: Option<Vec<u8>>,
    /// The user's capabilities meta value (first row), if any.
    pub caps: Option<Vec<u8>>,
    /// `wp_page_for_privacy_policy`'s raw value, if set.
    pub privacy_page: Option<Vec<u8>>,
}

/// How `update_post_meta()` writes the new lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// The one existing value is already the new one.
    None,
    Update,
    Insert,
}

/// The new lock and how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    pub new_lock: String,
    pub write: Write,
}

/// The lock core would set for user `uid` (a multisite super admin or not) on post
/// `post_id` at `now`, when the beat is one answered natively.
pub fn decide(uid: u64, super_admin: bool, post_id: u64, now: i64, f: &Facts) -> Option<Lock> {
    let post = f.post.as_ref()?;
    // map_meta_cap() adds manage_privacy_options for the privacy policy page: not
    // modelled, so that post (and any value not a plain id) is declined.
    if let Some(page) = f.privacy_page.as_deref().filter(|p| !p.is_empty()) {
        let id = std::str::from_utf8(page).ok()?.parse::<u64>().ok()?;
        if id == post_id || page.first() == Some(&b'0') && page.len() > 1 {
            return None;
        }
    }
    if !can_edit_post(
        uid,
        super_admin,
        post,
        f.roles.as_deref(),
        f.caps.as_deref(),
    )? {
        return None;
    }
    // wp_check_post_lock(): the first _edit_lock value.
    if f.locks.iter().any(|(k, _)| k != b"_edit_lock") {
        return None;
    }
    let current = f
        .locks
        .first()
        .map(|(_, v)| v.as_deref().unwrap_or_default());
    if let Some(lock) = current.filter(|l| !crate::text::php_string_is_empty(l)) {
        let (time, user) = parse_lock(lock)?;
        if user != uid && time != 0 && time > now - LOCK_WINDOW {
            return None;
        }
    }
    let new_lock = format!("{now}:{uid}");
    // update_metadata(): no write when the key's one value is already this string.
    let write = match f.locks.as_slice() {
        [(_, Some(v))] if v.as_slice() == new_lock.as_bytes() => Write::None,
        [] => Write::Insert,
        _ => Write::Update,
    };
    Some(Lock { new_lock, write })
}

/// `update_post_meta()`'s query for the new lock (wpdb's own text), if it writes.
pub fn write_sql(postmeta: &str, post_id: u64, lock: &Lock) -> Option<String> {
    let v = &lock.new_lock;
    match lock.write {
        Write::None => None,
        Write::Update => Some(format!(
            "UPDATE `{postmeta}` SET `meta_value` = '{v}' WHERE `post_id` = {post_id} AND `meta_key` = '_edit_lock'"
        )),
        Write::Insert => Some(format!(
            "INSERT INTO `{postmeta}` (`post_id`, `meta_key`, `meta_value`) VALUES ({post_id}, '_edit_lock', '{v}')"
        )),
    }
}

/// `"time:user"` with both parts plain decimals.
fn parse_lock(lock: &[u8]) -> Option<(i64, u64)> {
    let mut parts = lock.splitn(2, |b| *b == b':');
    let (time, user) = (parts.next()?, parts.next()?);
    let digits = |s: &[u8]| !s.is_empty() && s.len() <= 18 && s.iter().all(u8::is_ascii_digit);
    if !digits(time) || !digits(user) {
        return None;
    }
    Some((
        std::str::from_utf8(time).ok()?.parse().ok()?,
        std::str::from_utf8(user).ok()?.parse().ok()?,
    ))
}

/// `current_user_can( 'edit_post', $post )` for core's `post` type: `map_meta_cap()`'s
/// capabilities, then `WP_User::has_cap()`: a multisite super admin may (none of the
/// capabilities is `do_not_allow` for the posts modelled here), anyone else by the
/// roles' and their own capabilities. `None` when a value is not in a modelled shape.
fn can_edit_post(
    uid: u64,
    super_admin: bool,
    post: &Post,
    roles: Option<&[u8]>,
    caps: Option<&[u8]>,
) -> Option<bool> {
    if post.post_type != b"post" {
        return None;
    }
    let status = post.status.as_slice();
    if status == b"trash" {
        return None;
    }
    let published = matches!(status, b"publish" | b"future");
    // post_author is a plain decimal ("" and "0": no author).
    let author = std::str::from_utf8(&post.author).ok()?;
    if !author.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let own = !crate::text::php_string_is_empty(author.as_bytes())
        && author.parse::<u64>().ok() == Some(uid);
    let mut required: Vec<&[u8]> = Vec::new();
    if own {
        required.push(if published {
            b"edit_published_posts"
        } else {
            b"edit_posts"
        });
    } else {
        required.push(b"edit_others_posts");
        if published {
            required.push(b"edit_published_posts");
        } else if status == b"private" {
            required.push(b"edit_private_posts");
        }
    }
    if super_admin {
        return Some(true);
    }
    let allcaps = allcaps(roles?, caps?)?;
    Some(required.iter().all(|cap| {
        allcaps
            .iter()
            .rev()
            .find(|(k, _)| k == cap)
            .is_some_and(|(_, v)| *v)
    }))
}

/// `WP_User::get_role_caps()`: each role the user's capabilities name (in their order),
/// merged, then the user's own capabilities over them; `(cap, truthy)`, later wins.
fn allcaps(roles: &[u8], caps: &[u8]) -> Option<Vec<(Vec<u8>, bool)>> {
    let Value::Arr(roles) = unserialize::maybe_unserialize(roles)? else {
        return None;
    };
    let Value::Arr(user) = unserialize::maybe_unserialize(caps)? else {
        return None;
    };
    // WP_Roles::init_roles() reads every role's name and capabilities.
    let mut known: Vec<(&[u8], &Entries<'_>)> = Vec::new();
    for (key, role) in &roles {
        let Value::Arr(fields) = role else {
            return None;
        };
        let (Some(name), Some(Value::Arr(role_caps))) = (
            unserialize::get(fields, b"name"),
            unserialize::get(fields, b"capabilities"),
        ) else {
            return None;
        };
        if !matches!(name, Value::Str(_) | Value::Scalar { .. }) || !name.truthy() {
            return None;
        }
        known.push((string_key(key)?, role_caps.as_slice()));
    }
    // A key twice keeps its first position in PHP, which the merge order depends on.
    let mut seen: Vec<&[u8]> = Vec::new();
    for (key, _) in &user {
        let k = string_key(key)?;
        if seen.contains(&k) {
            return None;
        }
        seen.push(k);
    }
    let mut all = Vec::new();
    for (key, _) in &user {
        let name = string_key(key)?;
        // The last definition of a role wins, as in the unserialized array.
        let Some((_, role_caps)) = known.iter().rev().find(|(n, _)| *n == name) else {
            continue;
        };
        for (cap, v) in *role_caps {
            all.push((string_key(cap)?.to_vec(), v.truthy()));
        }
    }
    for (key, v) in &user {
        all.push((string_key(key)?.to_vec(), v.truthy()));
    }
    // has_cap(): 'exist' is granted and 'do_not_allow' denied whatever the roles say.
    all.push((b"exist".to_vec(), true));
    all.push((b"do_not_allow".to_vec(), false));
    Some(all)
}

/// An unserialized array's entries.
type Entries<'a> = [(Key<'a>, Value<'a>)];

fn string_key<'a>(k: &Key<'a>) -> Option<&'a [u8]> {
    match k {
        Key::Str(s) if !unserialize::numeric_key(s) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: &[u8] = b"a:2:{s:13:\"administrator\";a:2:{s:4:\"name\";s:13:\"Administrator\";s:12:\"capabilities\";a:4:{s:10:\"edit_posts\";b:1;s:17:\"edit_others_posts\";b:1;s:20:\"edit_published_posts\";b:1;s:18:\"edit_private_posts\";b:1;}}s:11:\"contributor\";a:2:{s:4:\"name\";s:11:\"Contributor\";s:12:\"capabilities\";a:1:{s:10:\"edit_posts\";b:1;}}}";
    const ADMIN: &[u8] = b"a:1:{s:13:\"administrator\";b:1;}";
    const CONTRIBUTOR: &[u8] = b"a:1:{s:11:\"contributor\";b:1;}";

    fn facts(author: &[u8], status: &[u8], caps: &[u8], locks: &[&[u8]]) -> Facts {
        Facts {
            post: Some(Post {
                author: author.to_vec(),
                post_type: b"post".to_vec(),
                status: status.to_vec(),
            }),
            locks: locks
                .iter()
                .map(|l| (b"_edit_lock".to_vec(), Some(l.to_vec())))
                .collect(),
            roles: Some(ROLES.to_vec()),
            caps: Some(caps.to_vec()),
            privacy_page: Some(b"3".to_vec()),
        }
    }

    #[test]
    fn a_lock_is_taken_or_refreshed() {
        let now = 1_000_000;
        let free = decide(1, false, 4, now, &facts(b"1", b"draft", ADMIN, &[]));
        assert_eq!(
            free,
            Some(Lock {
                new_lock: "1000000:1".into(),
                write: Write::Insert
            })
        );
        let mine = decide(
            1,
            false,
            4,
            now,
            &facts(b"2", b"publish", ADMIN, &[b"999990:1"]),
        );
        assert_eq!(mine.map(|l| l.write), Some(Write::Update));
        let same = decide(
            1,
            false,
            4,
            now,
            &facts(b"1", b"draft", ADMIN, &[b"1000000:1"]),
        );
        assert_eq!(same.map(|l| l.write), Some(Write::None));
        let two = decide(
            1,
            false,
            4,
            now,
            &facts(b"1", b"draft", ADMIN, &[b"1000000:1", b"5:1"]),
        );
        assert_eq!(two.map(|l| l.write), Some(Write::Update));
        let stale = decide(
            1,
            false,
            4,
            now,
            &facts(b"1", b"draft", ADMIN, &[b"999850:2"]),
        );
        assert_eq!(stale.map(|l| l.write), Some(Write::Update));
        let zero = decide(1, false, 4, now, &facts(b"1", b"draft", ADMIN, &[b"0"]));
        assert_eq!(zero.map(|l| l.write), Some(Write::Update));
    }

    #[test]
    fn someone_elses_lock_or_no_right_to_edit_is_not_answered() {
        let now = 1_000_000;
        assert_eq!(
            decide(
                1,
                false,
                4,
                now,
                &facts(b"1", b"draft", ADMIN, &[b"999851:2"])
            ),
            None
        );
        // A contributor may edit their own draft, not someone else's or a published one.
        assert!(decide(3, false, 4, now, &facts(b"3", b"draft", CONTRIBUTOR, &[])).is_some());
        assert_eq!(
            decide(3, false, 4, now, &facts(b"1", b"draft", CONTRIBUTOR, &[])),
            None
        );
        assert_eq!(
            decide(3, false, 4, now, &facts(b"3", b"publish", CONTRIBUTOR, &[])),
            None
        );
        // A user capability overrides the role's.
        let denied = b"a:2:{s:13:\"administrator\";b:1;s:17:\"edit_others_posts\";b:0;}";
        assert_eq!(
            decide(1, false, 4, now, &facts(b"2", b"draft", denied, &[])),
            None
        );
        // Not modelled: pages, trash, odd locks and caps.
        let mut page = facts(b"1", b"draft", ADMIN, &[]);
        if let Some(p) = page.post.as_mut() {
            p.post_type = b"page".to_vec();
        }
        assert_eq!(decide(1, false, 4, now, &page), None);
        assert_eq!(
            decide(1, false, 4, now, &facts(b"1", b"trash", ADMIN, &[])),
            None
        );
        assert_eq!(
            decide(1, false, 4, now, &facts(b"1", b"draft", ADMIN, &[b"abc"])),
            None
        );
        assert_eq!(
            decide(
                1,
                false,
                4,
                now,
                &facts(b"1", b"draft", b"s:5:\"admin\";", &[])
            ),
            None
        );
        let mut odd_key = facts(b"1", b"draft", ADMIN, &[]);
        odd_key.locks = vec![(b"_Edit_Lock".to_vec(), Some(b"1:1".to_vec()))];
        assert_eq!(decide(1, false, 4, now, &odd_key), None);
        let mut privacy = facts(b"1", b"draft", ADMIN, &[]);
        privacy.privacy_page = Some(b"4".to_vec());
        assert_eq!(decide(1, false, 4, now, &privacy), None);
        let twice = b"a:2:{s:13:\"administrator\";b:1;s:13:\"administrator\";b:1;}";
        assert_eq!(
            decide(1, false, 4, now, &facts(b"1", b"draft", twice, &[])),
            None
        );
        let mut gone = facts(b"1", b"draft", ADMIN, &[]);
        gone.post = None;
        assert_eq!(decide(1, false, 4, now, &gone), None);
    }

    #[test]
    fn a_multisite_super_admin_may_edit_without_a_role_here() {
        let now = 1_000_000;
        let mut f = facts(b"2", b"publish", b"a:0:{}", &[]);
        f.caps = None;
        assert_eq!(decide(1, false, 4, now, &f), None);
        assert_eq!(
            decide(1, true, 4, now, &f).map(|l| l.write),
            Some(Write::Insert)
        );
        // Still not for what is not modelled, nor against another user's live lock.
        assert_eq!(
            decide(1, true, 4, now, &facts(b"1", b"trash", ADMIN, &[])),
            None
        );
        assert_eq!(
            decide(
                1,
                true,
                4,
                now,
                &facts(b"1", b"draft", ADMIN, &[b"999851:2"])
            ),
            None
        );
    }

    #[test]
    fn writes_are_wpdb_own_queries() {
        let l = Lock {
            new_lock: "5:1".into(),
            write: Write::Update,
        };
        assert_eq!(
            write_sql("wp_postmeta", 7, &l).as_deref(),
            Some("UPDATE `wp_postmeta` SET `meta_value` = '5:1' WHERE `post_id` = 7 AND `meta_key` = '_edit_lock'")
        );
        let l = Lock {
            write: Write::Insert,
            ..l
        };
        assert_eq!(
            write_sql("wp_postmeta", 7, &l).as_deref(),
            Some("INSERT INTO `wp_postmeta` (`post_id`, `meta_key`, `meta_value`) VALUES (7, '_edit_lock', '5:1')")
        );
    }
}
