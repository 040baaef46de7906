//! The engine side of native logged-in answers: the calls `lane/native.php` makes. It asks
//! for the reads to run ([`plan`]), hands over their rows ([`answer`]), writes a post lock
//! when asked and confirms it ([`commit`]); for a beat the answer declines it runs the
//! script [`fallback`] names (admin-ajax.php itself: the full path).

use super::session::{self, NoPrivPlan, Plan, State};
use super::{getenv, worker};
use crate::zend::hash;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ProcessGlobals;
use fastbeat_lane::evidence;
use fastbeat_lane::manifest::{Cookies, Manifest};
use fastbeat_lane::native::{self, Beat, Learned, Read, Rows, UserRow};
use fastbeat_lane::post_lock;
use fastbeat_lane::reason::Reason;
use fastbeat_lane::shape::Shape;
use fastbeat_lane::tally::Path;
use std::sync::Arc;

/// What a native answer to this beat works from.
#[derive(Debug)]
pub struct Context {
    pub script: String,
    pub key: String,
    pub manifest: Arc<Manifest>,
    pub learned: Learned,
    pub cookies: Cookies,
    /// A post-lock beat's post id (`None`: a beat without data).
    pub post_id: Option<u64>,
    /// The user id this worker last found for the cookie's login, which the reads then use.
    pub user_id: Option<u64>,
    pub plan: NoPrivPlan,
}

/// The context for a logged-in beat the manifest lets take the lane, or why not.
pub fn context(
    script: &str,
    key: &str,
    m: &Arc<Manifest>,
    post_id: Option<u64>,
) -> Result<Context, Reason> {
    let learned = worker::with_site(script, key, |s| s.learned.clone())
        .flatten()
        .ok_or(Reason::NotLearned)?;
    // Learned under the same state of the watched files, from the same option values
    // the manifest's facts came from.
    if learned.watch != m.site.watch_digest()
        || native::options_digest(&learned.options_seen) != m.site.options
    {
        return Err(Reason::NotLearned);
    }
    if post_id.is_some() && learned.post.is_none() {
        return Err(Reason::PostTypeChanged);
    }
    let headers = m.site.headers().ok_or_else(|| Reason::ModelMismatch {
        model: "headers".into(),
        function: String::new(),
    })?;
    Ok(Context {
        script: script.to_owned(),
        key: key.to_owned(),
        manifest: Arc::clone(m),
        learned,
        cookies: m.site.cookies.clone(),
        post_id,
        user_id: None,
        plan: NoPrivPlan {
            charset: m.site.charset.clone(),
            origins: m.site.origins.clone(),
            headers,
        },
    })
}

/// A cookie as the SAPI parsed it: `None` when absent, `Some(None)` when not a string
/// (`name[]=`, on which core's `explode()` throws).
fn cookie_slot(name: &str) -> Option<Option<Vec<u8>>> {
    let pg = ProcessGlobals::get();
    let v = pg
        .http_cookie_vars()
        .and_then(|c| hash::find(c, name))
        .map(|z| {
            (z.get_type() == DataType::String)
                .then(|| z.zend_str().map(|s| s.as_bytes().to_vec()))
                .flatten()
        });
    drop(pg);
    v
}

/// The beat's own inputs: the auth cookie for the scheme, the logged-in cookie (its
/// session token is the nonce's) and the nonce.
pub(super) struct Inputs {
    pub auth: Vec<u8>,
    pub logged_in: Vec<u8>,
    pub nonce: Vec<u8>,
}

pub(super) fn inputs(ctx: &Context) -> Result<Inputs, Reason> {
    let no = Reason::Declined("cookie or nonce shape");
    let auth_name = if ctx.learned.ssl {
        &ctx.cookies.secure_auth
    } else {
        &ctx.cookies.auth
    };
    let auth = cookie_slot(auth_name).flatten().ok_or_else(|| no.clone())?;
    // wp_get_session_token() reads the logged-in cookie; a missing one gives "".
    let logged_in = match cookie_slot(&ctx.cookies.logged_in) {
        None => Vec::new(),
        Some(v) => v.ok_or_else(|| no.clone())?,
    };
    let pg = ProcessGlobals::get();
    let nonce = pg
        .http_post_vars()
        .and_then(|p| hash::find(p, "_nonce"))
        .filter(|z| z.get_type() == DataType::String)
        .and_then(|z| z.zend_str())
        .map(|s| s.as_bytes().to_vec());
    drop(pg);
    let nonce = nonce.ok_or_else(|| no.clone())?;
    if !native::unslashed(&logged_in) || crate::text::php_string_is_empty(&nonce) {
        return Err(no);
    }
    Ok(Inputs {
        auth,
        logged_in,
        nonce,
    })
}

/// Hand the beat to the full path (native.php then runs admin-ajax.php).
pub(super) fn hand_over(shape: Shape, why: Reason) {
    session::with(|s| s.full(Some(shape), why));
}

fn lane_context() -> Option<(Shape, Box<Context>)> {
    session::with(|s| match std::mem::take(&mut s.state) {
        State::Lane {
            shape,
            plan: Plan::Native(ctx),
        } => Some((shape, ctx)),
        other => {
            s.state = other;
            None
        }
    })
}

fn put_back(shape: Shape, ctx: Box<Context>) {
    session::with(|s| {
        s.state = State::Lane {
            shape,
            plan: Plan::Native(ctx),
        };
    });
}

/// `fastbeat_lane_native_plan()`: how to connect and what to read, or `None` (the beat
/// then takes the full path).
pub fn plan() -> Option<ZBox<ZendHashTable>> {
    let (shape, mut ctx) = lane_context()?;
    let queries = inputs(&ctx).and_then(|i| {
        let cookie = native::parse_auth_cookie(&i.auth).ok_or(Reason::Declined("cookie shape"))?;
        ctx.user_id = native::sql_login(&ctx.learned, &cookie).and_then(|login| {
            worker::with_site(&ctx.script, &ctx.key, |s| {
                s.user_id(&ctx.learned.users, &login)
            })
            .flatten()
        });
        native::queries(&ctx.learned, &cookie, ctx.post_id, ctx.user_id)
            .map(|q| q.into_iter().map(|(_, sql)| sql).collect::<Vec<_>>())
            .ok_or(Reason::Declined("queries"))
    });
    let queries = match queries {
        Ok(q) => q,
        Err(why) => {
            hand_over(shape, why);
            return None;
        }
    };
    let db = &ctx.learned.db;
    let ini = mysqli_ini();
    let mut ht = ZendHashTable::new();
    let filled = ht.insert("host", db.host.as_str()).is_ok()
        && ht.insert("port", db.port).is_ok()
        && ht.insert("socket", db.socket.clone()).is_ok()
        && ht.insert("user", db.user.as_str()).is_ok()
        && ht.insert("password", db.password.as_str()).is_ok()
        && ht.insert("name", db.name.as_str()).is_ok()
        && ht.insert("charset", db.charset.as_str()).is_ok()
        && ht.insert("flags", db.flags).is_ok()
        && ht.insert("dsn", fastbeat_lane::pdo::dsn(db, &ini)).is_ok()
        && ht
            .insert(
                "persistent",
                fastbeat_lane::pdo::ini_bool(&ini.allow_persistent),
            )
            .is_ok()
        && ht.insert("queries", queries).is_ok();
    if !filled {
        hand_over(shape, Reason::Declined("plan"));
        return None;
    }
    put_back(shape, ctx);
    Some(ht)
}

/// The mysqli settings in force, read once per plan: they choose the client the reads use
/// (`fastbeat_lane::pdo::dsn`) and whether mysqli's link persists.
fn mysqli_ini() -> fastbeat_lane::pdo::MysqliIni {
    let ini = |name| crate::zend::call::ini_string(name).unwrap_or_default();
    fastbeat_lane::pdo::MysqliIni {
        allow_persistent: ini("mysqli.allow_persistent"),
        default_socket: ini("mysqli.default_socket"),
        default_port: ini("mysqli.default_port"),
    }
}

/// `fastbeat_lane_native_answer()`: given the reads' rows, answer a beat without data
/// and end the request; for a post-lock beat return the write `update_post_meta()` would
/// make (inner `None`: none) and keep the answer for [`commit`]. `None`: the beat takes
/// the full path.
pub fn answer(rows: &ZendHashTable) -> Option<Option<String>> {
    let (shape, ctx) = lane_context()?;
    match decide(shape, &ctx, rows) {
        Ok(Decision::Send { auth_check, now }) => {
            worker::with_site(&ctx.script, &ctx.key, |s| s.db_seen_ms = worker::now_ms());
            session::with(|s| {
                s.state = State::Answered {
                    shape,
                    path: Path::Native,
                }
            });
            let origin = getenv("HTTP_ORIGIN");
            super::respond::send(&ctx.plan, origin.as_deref(), "", auth_check, now);
            Some(None)
        }
        Ok(Decision::Write {
            sql,
            lock,
            auth_check,
            now,
        }) => {
            worker::with_site(&ctx.script, &ctx.key, |s| s.db_seen_ms = worker::now_ms());
            session::with(|s| {
                s.state = State::Pending {
                    shape,
                    ctx,
                    lock,
                    auth_check,
                    now,
                }
            });
            Some(sql)
        }
        Err(why) => {
            hand_over(shape, why);
            None
        }
    }
}

pub(super) enum Decision {
    Send {
        auth_check: bool,
        now: i64,
    },
    Write {
        sql: Option<String>,
        lock: String,
        auth_check: bool,
        now: i64,
    },
}

fn decide(shape: Shape, ctx: &Context, rows: &ZendHashTable) -> Result<Decision, Reason> {
    let sets: Vec<&ZendHashTable> = rows
        .values()
        .map(Zval::array)
        .collect::<Option<_>>()
        .ok_or(Reason::DatabaseUnavailable)?;
    let i = inputs(ctx)?;
    let cookie = native::parse_auth_cookie(&i.auth).ok_or(Reason::Declined("cookie shape"))?;
    // The rows come back in the order of the reads the plan asked for.
    let reads = native::queries(&ctx.learned, &cookie, ctx.post_id, ctx.user_id)
        .ok_or(Reason::Declined("queries"))?;
    if reads.len() != sets.len() {
        return Err(Reason::DatabaseUnavailable);
    }
    let sets: Vec<(Read, &ZendHashTable)> = reads.iter().map(|(k, _)| *k).zip(sets).collect();
    let parsed = to_rows(&sets).ok_or(Reason::DatabaseUnavailable)?;
    // The id the user row has now; the meta rows were read by the remembered one.
    let found = parsed
        .user
        .as_ref()
        .and_then(|u| std::str::from_utf8(&u.id).ok()?.parse::<u64>().ok());
    let login = native::sql_login(&ctx.learned, &cookie).ok_or(Reason::Declined("login"))?;
    let remember = |id: Option<u64>| {
        worker::with_site(&ctx.script, &ctx.key, |s| {
            s.remember_user_id(&ctx.learned.users, &login, id)
        })
    };
    if ctx.user_id.is_some() && ctx.user_id != found {
        remember(None);
        return Err(Reason::Declined("user id changed"));
    }
    let decision = decide_rows(shape, ctx, &i, &parsed, || post_facts(&sets, &parsed, ctx))?;
    if ctx.user_id.is_none() {
        remember(found);
    }
    Ok(decision)
}

/// The decision from what the reads returned (database rows, or the object cache's
/// values for a mid-boot answer): the beat's user, nonce and capability set, then for a
/// post lock the lock and its write.
pub(super) fn decide_rows(
    shape: Shape,
    ctx: &Context,
    i: &Inputs,
    parsed: &Rows,
    post: impl FnOnce() -> Option<post_lock::Facts>,
) -> Result<Decision, Reason> {
    let cookie = native::parse_auth_cookie(&i.auth).ok_or(Reason::Declined("cookie shape"))?;
    let now = crate::zend::php_time();
    let tick = tick(now).ok_or(Reason::Declined("tick"))?;
    let beat = Beat {
        cookie,
        nonce_token: crate::cookie::session_token(&i.logged_in),
        nonce: &i.nonce,
        tick: tick.as_bytes(),
        now,
    };
    let d = native::decide(&ctx.learned, &beat, parsed)?;
    // Logged-in evidence is kept per capability set: this user's must have been recorded.
    let key = evidence::key(
        shape.key(),
        Some(&d.caps),
        &fastbeat_lane::request::digest(&ctx.key),
    );
    ctx.manifest.allows(&key, now)?;
    let Some(post_id) = ctx.post_id else {
        return Ok(Decision::Send {
            auth_check: d.auth_check,
            now,
        });
    };
    let facts = post().ok_or(Reason::Declined("post rows"))?;
    let super_admin = native::is_super_admin(&ctx.learned, parsed, &d.login);
    let lock = post_lock::decide(d.uid, super_admin, post_id, now, &facts)
        .ok_or(Reason::Declined("post lock"))?;
    let postmeta = &ctx
        .learned
        .post
        .as_ref()
        .ok_or(Reason::PostTypeChanged)?
        .postmeta;
    Ok(Decision::Write {
        sql: post_lock::write_sql(postmeta, post_id, &lock),
        lock: lock.new_lock,
        auth_check: d.auth_check,
        now,
    })
}

/// `fastbeat_lane_native_commit()`: after the post-lock write, send the kept answer and
/// end the request. False when none is waiting.
pub fn commit() -> bool {
    let pending = session::with(|s| match std::mem::take(&mut s.state) {
        State::Pending {
            shape,
            ctx,
            lock,
            auth_check,
            now,
        } => {
            s.state = State::Answered {
                shape,
                path: Path::Native,
            };
            Some((ctx, lock, auth_check, now))
        }
        other => {
            s.state = other;
            None
        }
    });
    let Some((ctx, lock, auth_check, now)) = pending else {
        return false;
    };
    // wp_refresh_post_lock() runs on heartbeat_received, before heartbeat_send.
    let extra = format!("\"wp-refresh-post-lock\":{{\"new_lock\":\"{lock}\"}},");
    let origin = getenv("HTTP_ORIGIN");
    super::respond::send(&ctx.plan, origin.as_deref(), &extra, auth_check, now);
    true
}

/// `fastbeat_lane_fallback()`: the script to run for a beat the native answer did not
/// answer (the site's admin-ajax.php: the full path). A beat still in the lane here met
/// the database failing on the way (mysqli threw): it is handed over now.
pub fn fallback() -> Option<String> {
    session::with(|s| {
        match &s.state {
            State::Lane { shape, .. } | State::Pending { shape, .. } => {
                let shape = *shape;
                s.full(Some(shape), Reason::DatabaseUnavailable);
            }
            _ => {}
        }
        s.site.as_ref().map(|(script, _)| script.clone())
    })
}

/// `wp_nonce_tick()` with core's day-long nonce life, as the string core concatenates.
fn tick(now: i64) -> Option<String> {
    let t = crate::nonce::tick(now, 86_400)?;
    crate::text::php_integral_float(t, crate::zend::call::ini_long("precision"))
}

/// A column of a fetched row: `Some(None)` for SQL NULL or a missing column, `None`
/// when it is not a string.
fn field(row: &ZendHashTable, k: &str) -> Option<Option<Vec<u8>>> {
    match hash::find(row, k) {
        None => Some(None),
        Some(z) if z.is_null() => Some(None),
        Some(z) => Some(Some(z.zend_str()?.as_bytes().to_vec())),
    }
}

/// The rows of the read of kind `k`.
fn set<'a>(sets: &[(Read, &'a ZendHashTable)], k: Read) -> Option<&'a ZendHashTable> {
    sets.iter().find(|(r, _)| *r == k).map(|(_, t)| *t)
}

fn to_rows(sets: &[(Read, &ZendHashTable)]) -> Option<Rows> {
    let mut out = Rows::default();
    for row in set(sets, Read::Options)?.values() {
        let row = row.array()?;
        out.options
            .push((field(row, "option_name")??, field(row, "option_value")?));
    }
    if let Some(row) = set(sets, Read::User)?.values().next() {
        let row = row.array()?;
        out.user = Some(UserRow {
            id: field(row, "ID")??,
            login: field(row, "user_login")?,
            pass: field(row, "user_pass")?,
        });
    }
    for row in set(sets, Read::UserMeta)?.values() {
        let row = row.array()?;
        out.meta.push((
            field(row, "user_id")??,
            field(row, "meta_key")??,
            field(row, "meta_value")?,
        ));
    }
    if let Some(site) = set(sets, Read::Site) {
        if let Some(row) = site.values().next() {
            let row = row.array()?;
            out.site = Some([
                field(row, "deleted")?,
                field(row, "archived")?,
                field(row, "spam")?,
            ]);
        }
    }
    if let Some(network) = set(sets, Read::Network) {
        for row in network.values() {
            let row = row.array()?;
            out.network
                .push((field(row, "meta_key")??, field(row, "meta_value")?));
        }
    }
    Some(out)
}

/// The post-lock reads and the user's capabilities row.
fn post_facts(
    sets: &[(Read, &ZendHashTable)],
    rows: &Rows,
    ctx: &Context,
) -> Option<post_lock::Facts> {
    let tables = ctx.learned.post.as_ref()?;
    let caps_key = tables.caps_key.as_bytes();
    let (roles, post, locks) = (
        set(sets, Read::Roles)?,
        set(sets, Read::Post)?,
        set(sets, Read::Locks)?,
    );
    let caps = rows
        .meta
        .iter()
        .find(|(_, k, _)| k.as_slice() == caps_key)
        .and_then(|(_, _, v)| v.clone());
    let (mut roles_value, mut privacy_page) = (None, None);
    let roles_option = tables.roles_option.as_bytes();
    for r in roles.values() {
        let r = r.array()?;
        let name = field(r, "option_name")??;
        if name.as_slice() == roles_option {
            roles_value = field(r, "option_value")?;
        } else if name.as_slice() == post_lock::PRIVACY_PAGE.as_bytes() {
            privacy_page = field(r, "option_value")?;
        } else {
            // Matched by the collation only: not what core's lookups read.
            return None;
        }
    }
    let post = match post.values().next() {
        Some(r) => {
            let r = r.array()?;
            Some(post_lock::Post {
                author: field(r, "post_author")??,
                post_type: field(r, "post_type")??,
                status: field(r, "post_status")??,
            })
        }
        None => None,
    };
    let mut lock_rows = Vec::new();
    for r in locks.values() {
        let r = r.array()?;
        lock_rows.push((field(r, "meta_key")??, field(r, "meta_value")?));
    }
    Some(post_lock::Facts {
        post,
        locks: lock_rows,
        roles: roles_value,
        caps,
        privacy_page,
    })
}
