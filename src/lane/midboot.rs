//! The engine side of mid-boot answers (`fastbeat_lane::midboot`): on a site with a
//! persistent object cache, `lane/midboot.php` runs in place of the file `wp-settings.php`
//! requires right after starting the cache, calls [`run`], and requires [`resume`]'s
//! file when the beat is not answered.
//!
//! The reads are core's, in core's order, through the installed drop-in's `wp_cache_get()`
//! and, where core would fill the cache from the database, core's own
//! `update_meta_cache()`. What they return becomes the rows the native answer decides by
//! (`fastbeat_lane::midboot::Cached`); a post lock is written with `$wpdb` and followed by
//! the cache calls `update_metadata()` makes.

use super::native::{decide_rows, hand_over, inputs, Context, Decision};
use super::session::{self, Plan, State};
use super::worker;
use crate::zend::array::{entries, Key};
use crate::zend::call;
use crate::zend::value;
use crate::zend::Flow;
use ext_php_rs::types::Zval;
use fastbeat_lane::known::LastChanged;
use fastbeat_lane::midboot::{self, Cached, MetaCache};
use fastbeat_lane::native::{self as model, Column, UserRow};
use fastbeat_lane::post_lock::Post;
use fastbeat_lane::reason::Reason;
use fastbeat_lane::shape::Shape;
use fastbeat_lane::tally::Path;

/// Where the beat of `script` (a site's real admin-ajax.php) is taken over: the path, as
/// `wp-settings.php` requires it, of the file after `wp_start_object_cache()`.
pub fn target(script: &str) -> Option<String> {
    let abspath = script.strip_suffix("wp-admin/admin-ajax.php")?;
    let rel = worker::midboot_trigger(&format!("{abspath}wp-settings.php"))?;
    Some(format!("{abspath}{rel}"))
}

fn take() -> Option<(Shape, Box<Context>, String)> {
    session::with(|s| match std::mem::take(&mut s.state) {
        State::Lane {
            shape,
            plan: Plan::MidBoot(ctx, target),
        } => Some((shape, ctx, target)),
        other => {
            s.state = other;
            None
        }
    })
}

/// The file `midboot.php` stands in for (what it requires when the beat is not
/// answered): kept from the compile hook's choice.
pub fn resume() -> Option<String> {
    session::with(|s| match &s.state {
        State::Lane {
            plan: Plan::MidBoot(_, target),
            ..
        } => Some(target.clone()),
        _ => s.midboot_target.clone(),
    })
}

/// `fastbeat_lane_midboot()`: answer the beat (the request then ends) or hand it to the
/// full path (false). A PHP exception or exit on the way stops everything, as in core.
pub fn run() -> Flow<bool> {
    let Some((shape, ctx, target)) = take() else {
        return Ok(false);
    };
    session::with(|s| s.midboot_target = Some(target));
    match answer(shape, &ctx) {
        Ok(Some(answered)) => {
            worker::with_site(&ctx.script, &ctx.key, |s| s.db_seen_ms = worker::now_ms());
            session::with(|s| {
                s.state = State::Answered {
                    shape,
                    path: Path::Native,
                }
            });
            let origin = super::getenv("HTTP_ORIGIN");
            super::respond::send(
                &ctx.plan,
                origin.as_deref(),
                &answered.extra,
                answered.auth_check,
                answered.now,
            );
            Ok(true)
        }
        Ok(None) => Ok(false),
        Err(stop) => {
            // PHP threw (or exited) in a read: it stops here, as it would in core's.
            hand_over(shape, Reason::Declined("a read threw"));
            Err(stop)
        }
    }
}

struct Answered {
    extra: String,
    auth_check: bool,
    now: i64,
}

/// The reads and the decision; `Ok(None)` when the beat takes the full path (handed over).
fn answer(shape: Shape, ctx: &Context) -> Flow<Option<Answered>> {
    let decline = |why: Reason| {
        hand_over(shape, why);
        Ok(None)
    };
    let i = match inputs(ctx) {
        Ok(i) => i,
        Err(why) => return decline(why),
    };
    let Some(cookie) = model::parse_auth_cookie(&i.auth) else {
        return decline(Reason::Declined("cookie shape"));
    };
    // As sent: a network lower-cases it first (sanitize_user's strtolower, native::queries),
    // but policy keeps logged-in shapes off mid-boot answers on a network.
    let login = cookie.username.to_vec();
    let mut c = Cached::default();
    // wp_load_alloptions().
    let all = cache_get(
        value::string(midboot::ALLOPTIONS.0.as_bytes()),
        midboot::ALLOPTIONS.1,
    )?;
    let Some(all) = all.array() else {
        return decline(Reason::CacheMiss("alloptions"));
    };
    for (k, v) in entries(all) {
        let name = match k {
            Key::Str(s) => s.to_vec(),
            Key::Int(n) => n.to_string().into_bytes(),
        };
        c.alloptions
            .push((name, v.zend_str().map(|s| s.as_bytes().to_vec())));
    }
    // WP_User::get_data_by( 'login' ): the id by login, then the row by id.
    let uid = cache_get(value::string(&login), midboot::USERLOGINS)?;
    if uid.is_false() || !value::is_scalar(&uid) {
        return decline(Reason::CacheMiss("user login"));
    }
    let row = cache_get(uid.shallow_clone(), midboot::USERS)?;
    if !value::truthy(&row) || row.object().is_none() {
        return decline(Reason::CacheMiss("user"));
    }
    let Some(user) = user_row(&row)? else {
        return decline(Reason::Declined("user row"));
    };
    let Some(id) = std::str::from_utf8(&user.id)
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|id| *id > 0)
    else {
        return decline(Reason::Declined("user id"));
    };
    let uid_raw = user.id.clone();
    c.user = Some(user);
    // get_metadata_raw( 'user', $id ): the cache, or update_meta_cache() as core fills it.
    c.user_meta = match meta(midboot::USER_META, id)? {
        Some(m) => m,
        None => return decline(Reason::Declined("user meta")),
    };
    if let Some(post_id) = ctx.post_id {
        let Ok(pid) = i64::try_from(post_id) else {
            return decline(Reason::Declined("post id"));
        };
        // WP_Post::get_instance().
        let post = cache_get(value::long(pid), midboot::POSTS)?;
        if !value::truthy(&post) || post.object().is_none() {
            return decline(Reason::CacheMiss("post"));
        }
        let Some(p) = post_fields(&post)? else {
            return decline(Reason::Declined("post row"));
        };
        c.post = Some(p);
        c.post_meta = match meta(midboot::POST_META, pid)? {
            Some(m) => m,
            None => return decline(Reason::Declined("post meta")),
        };
    }
    let rows = c.rows(&uid_raw, &ctx.learned.caps_key);
    let post_tables = ctx.learned.post.clone();
    let decided = decide_rows(shape, ctx, &i, &rows, || {
        let t = post_tables.as_ref()?;
        c.post_facts(&t.roles_option, &t.caps_key)
    });
    match decided {
        Err(why) => decline(why),
        Ok(Decision::Send { auth_check, now }) => Ok(Some(Answered {
            extra: String::new(),
            auth_check,
            now,
        })),
        Ok(Decision::Write {
            sql,
            lock,
            auth_check,
            now,
        }) => {
            if let (Some(sql), Some(pid)) = (sql, ctx.post_id) {
                write_lock(&sql, pid, ctx.learned.last_changed)?;
            }
            // wp_refresh_post_lock() runs on heartbeat_received, before heartbeat_send.
            Ok(Some(Answered {
                extra: format!("\"wp-refresh-post-lock\":{{\"new_lock\":\"{lock}\"}},"),
                auth_check,
                now,
            }))
        }
    }
}

fn cache_get(key: Zval, group: &str) -> Flow<Zval> {
    call::call("wp_cache_get", &[&key, &value::string(group.as_bytes())])
}

/// An object's meta as `get_metadata_raw()` finds it: the cache entry, else what
/// `update_meta_cache()` loads (and adds to the cache, as core does). `None` when not in
/// the shape core stores (key => list of strings).
fn meta(kind: &str, id: i64) -> Flow<Option<MetaCache>> {
    let group = format!("{kind}_meta");
    let mut found = cache_get(value::long(id), &group)?;
    if !value::truthy(&found) {
        let mut ids = value::empty_array();
        if let Some(a) = value::array_separated(&mut ids) {
            let _ = a.push(id);
        }
        let all = call::call(
            "update_meta_cache",
            &[&value::string(kind.as_bytes()), &ids],
        )?;
        found = all
            .array()
            .and_then(|a| a.get_index(id))
            .map_or_else(value::empty_array, Zval::shallow_clone);
    }
    let Some(arr) = found.array() else {
        return Ok(None);
    };
    let mut out: MetaCache = Vec::new();
    for (k, values) in entries(arr) {
        let key = match k {
            Key::Str(s) => s.to_vec(),
            Key::Int(n) => n.to_string().into_bytes(),
        };
        let Some(list) = values.array() else {
            return Ok(None);
        };
        let vals: Vec<Column> = list
            .values()
            .map(|v| v.zend_str().map(|s| s.as_bytes().to_vec()))
            .collect();
        out.push((key, vals));
    }
    Ok(Some(out))
}

/// A property's value as PHP's string conversion gives it (`None`: unset or null).
fn prop(obj: &Zval, name: &'static str) -> Flow<Option<Vec<u8>>> {
    match value::read_property(obj, name)? {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(v) if value::is_scalar(&v) => value::to_php_string(&v).map(Some),
        Some(_) => Ok(None),
    }
}

/// The cached user row's fields the answer reads.
fn user_row(row: &Zval) -> Flow<Option<UserRow>> {
    let Some(id) = prop(row, "ID")? else {
        return Ok(None);
    };
    Ok(Some(UserRow {
        id,
        login: prop(row, "user_login")?,
        pass: prop(row, "user_pass")?,
    }))
}

/// The cached post's fields `map_meta_cap()` reads.
fn post_fields(post: &Zval) -> Flow<Option<Post>> {
    let (Some(author), Some(post_type), Some(status)) = (
        prop(post, "post_author")?,
        prop(post, "post_type")?,
        prop(post, "post_status")?,
    ) else {
        return Ok(None);
    };
    Ok(Some(Post {
        author,
        post_type,
        status,
    }))
}

/// `update_metadata()`'s write and what follows it when a row changed: the meta cache
/// entry deleted, then `wp_cache_set_posts_last_changed()` as the installed core has it.
fn write_lock(sql: &str, post_id: u64, last_changed: LastChanged) -> Flow<()> {
    let Some(wpdb) = crate::zend::inspect::global("wpdb") else {
        return Ok(());
    };
    let mut callable = value::empty_array();
    if let Some(a) = value::array_separated(&mut callable) {
        let _ = a.push(wpdb.shallow_clone());
        let _ = a.push("query");
    }
    let changed = call::callable(&callable, &[&value::string(sql.as_bytes())], false)?;
    // `if ( ! $result ) return false;` before the cache calls.
    if !value::truthy(&changed) {
        return Ok(());
    }
    let pid = value::long(i64::try_from(post_id).unwrap_or(0));
    let group = format!("{}_meta", midboot::POST_META);
    call::call("wp_cache_delete", &[&pid, &value::string(group.as_bytes())])?;
    let (key, group) = midboot::LAST_CHANGED;
    match last_changed {
        LastChanged::Helper => {
            call::call(
                "wp_cache_set_last_changed",
                &[&value::string(group.as_bytes())],
            )?;
        }
        LastChanged::Direct => {
            let time = call::call("microtime", &[])?;
            call::call(
                "wp_cache_set",
                &[
                    &value::string(key.as_bytes()),
                    &time,
                    &value::string(group.as_bytes()),
                ],
            )?;
        }
    }
    Ok(())
}
