//! Policy cases: evidence as a bare WordPress 6.1.9 site shows it, then each way a plugin
//! or the site can change what a beat depends on.

use super::*;
use crate::evidence::{Observed, User};

const ABS: &str = "/usr/share/wordpress/";

fn dirs() -> Dirs {
    Dirs {
        abspath: ABS.into(),
        plugins: "/srv/wp-content/plugins".into(),
        mu_plugins: "/srv/wp-content/mu-plugins".into(),
        content: "/srv/wp-content".into(),
        themes: vec!["/srv/wp-content/themes/twentytwentythree".into()],
        fastbeat: "/srv/wp-content/plugins/fastbeat".into(),
    }
}

fn site() -> Site {
    Site {
        dirs: dirs(),
        multisite: false,
        ext_object_cache: false,
        wpdb_class: "wpdb".into(),
        post_caps_core: true,
        roles_option: "wp_user_roles".into(),
        charset: "UTF-8".into(),
        origins: vec!["http://127.0.0.1".into(), "https://127.0.0.1".into()],
        origin: None,
        declared: vec![],
    }
}

/// Where core defines a function a table names (any core file will do for the owner).
fn core_file(callback: &str) -> Option<String> {
    Some(format!("{ABS}wp-includes/{}.php", callback.len() % 7))
}

fn entry(c: &Cb) -> Entry {
    Entry {
        priority: c.priority,
        id: c.id.to_owned(),
        callback: c.callback.to_owned(),
        accepted_args: c.accepted_args,
        file: match c.who {
            Who::Core => core_file(c.callback),
            Who::Fastbeat if c.callback.starts_with("fastbeat_plugin_") => {
                Some("/srv/wp-content/plugins/fastbeat/includes/wiring.php".into())
            }
            Who::Fastbeat => Some("ext:fastbeat".into()),
            Who::Builtin => Some("ext:standard".into()),
        },
    }
}

/// A bare site's evidence for a shape.
fn bare(shape: Shape) -> Evidence {
    let hooks = path(shape, "wp_user_roles", false)
        .into_iter()
        .map(|(hook, tables)| HookTable {
            hook,
            plain: true,
            entries: tables[0].iter().map(entry).collect(),
        })
        .collect();
    let r = &crate::known::RELEASES[0];
    let functions = modelled_functions(shape)
        .iter()
        .map(|f| {
            let label = f.label();
            let line = r
                .data
                .lines()
                .find(|l| l.starts_with(&format!("{label}\t")));
            let mut cols = line.unwrap_or("").split('\t').skip(1);
            let file = cols.next().map(|f| format!("{ABS}{f}"));
            (label, file, cols.next().unwrap_or("").to_owned())
        })
        .collect();
    let s = site();
    let headers = answer::headers_list(
        &["X-Powered-By: PHP/8.2.36".to_string()],
        &answer::before_handler(
            &answer::Site {
                charset: &s.charset,
                origins: &s.origins,
                headers: answer::HEADERS_61,
            },
            None,
        ),
    );
    Evidence {
        shape: shape.key().into(),
        hooks,
        headers,
        output: 0,
        status: 200,
        headers_sent: false,
        buffers: vec!["default output handler".into()],
        ini_buffers: vec!["default output handler".into()],
        shutdown: vec![
            "shutdown_action_hook".into(),
            "WP_Fatal_Error_Handler->handle".into(),
            "wpdb->__destruct".into(),
        ],
        rewritten: vec![],
        user: Some(if shape.logged_in() {
            User {
                class: "WP_User".into(),
                id: 1,
                login: "admin".into(),
                cookie_login: "admin".into(),
                set_count: 1,
                roles: vec!["administrator".into()],
            }
        } else {
            User {
                class: "WP_User".into(),
                set_count: 1,
                ..User::default()
            }
        }),
        functions,
        request: "0a1b2c".into(),
        request_label: String::new(),
        observed: vec![],
    }
}

fn hook<'a>(ev: &'a mut Evidence, name: &str) -> &'a mut HookTable {
    let i = ev.hooks.iter().position(|h| h.hook == name);
    assert!(i.is_some(), "{name} not on the path");
    &mut ev.hooks[i.unwrap_or(0)]
}

fn plugin_cb(callback: &str, priority: i64) -> Entry {
    Entry {
        priority,
        id: callback.into(),
        callback: callback.into(),
        accepted_args: 1,
        file: Some("/srv/wp-content/plugins/login-popup-off/plugin.php".into()),
    }
}

#[test]
fn a_bare_site_allows_every_shape() {
    for s in Shape::ALL {
        assert_eq!(
            judge(&bare(s), &site()).map(|v| v.headers),
            Ok(answer::HEADERS_61),
            "{s:?}"
        );
    }
}

#[test]
fn a_plugin_callback_on_a_reached_hook_names_hook_and_plugin() {
    let mut ev = bare(Shape::NoData);
    hook(&mut ev, "heartbeat_send")
        .entries
        .push(plugin_cb("my_send", 10));
    assert_eq!(
        judge(&ev, &site()),
        Err(Reason::Callback {
            hook: "heartbeat_send".into(),
            callback: "my_send".into(),
            owner: Owner::Plugin("login-popup-off".into()),
        })
    );
}

#[test]
fn removed_moved_reprioritised_or_replaced_core_callbacks_count_against() {
    let changed = |ev: Evidence| judge(&ev, &site());
    // Removed (the "turn off the login pop-up" snippet).
    let mut ev = bare(Shape::NoData);
    hook(&mut ev, "heartbeat_send").entries.clear();
    assert_eq!(
        changed(ev),
        Err(Reason::CoreCallbackChanged {
            hook: "heartbeat_send".into(),
            callback: "wp_auth_check".into()
        })
    );
    let mut ev = bare(Shape::NoPriv);
    hook(&mut ev, "heartbeat_nopriv_send").entries.clear();
    assert!(matches!(
        changed(ev),
        Err(Reason::CoreCallbackChanged { .. })
    ));
    // Re-added at another priority, or with other accepted args (core's file, so core's
    // owner: still not core's registration).
    for (prio, args) in [(20, 1), (10, 2)] {
        let mut ev = bare(Shape::NoData);
        let e = &mut hook(&mut ev, "heartbeat_send").entries[0];
        e.priority = prio;
        e.accepted_args = args;
        assert!(matches!(
            changed(ev),
            Err(Reason::CoreCallbackChanged { .. })
        ));
    }
    // Swapped for another callable under core's id and priority.
    let mut ev = bare(Shape::NoData);
    let e = &mut hook(&mut ev, "heartbeat_send").entries[0];
    e.callback = "my_auth_check".into();
    e.file = Some("/srv/wp-content/mu-plugins/swap.php".into());
    assert_eq!(
        changed(ev),
        Err(Reason::Callback {
            hook: "heartbeat_send".into(),
            callback: "my_auth_check".into(),
            owner: Owner::MuPlugin("swap.php".into())
        })
    );
    // The same function name defined by a plugin (not core's file).
    let mut ev = bare(Shape::NoData);
    hook(&mut ev, "set_current_user").entries[0].file =
        Some("/srv/wp-content/plugins/x/x.php".into());
    assert!(matches!(changed(ev), Err(Reason::Callback { .. })));
    // Order at one priority matters.
    let mut ev = bare(Shape::NoPriv);
    hook(&mut ev, "option_blog_charset").entries.reverse();
    assert!(matches!(
        changed(ev),
        Err(Reason::CoreCallbackChanged { .. })
    ));
}

#[test]
fn a_shape_is_judged_only_on_its_own_path() {
    // heartbeat_received is not reached by a beat without data, but is by a post lock.
    for s in [Shape::NoData, Shape::PostLock] {
        let mut ev = bare(s);
        ev.hooks.push(HookTable {
            hook: "user_has_cap".into(),
            plain: true,
            entries: vec![],
        });
        if let Some(h) = ev.hooks.iter_mut().find(|h| h.hook == "heartbeat_received") {
            h.entries.push(plugin_cb("my_received", 10));
        }
        let got = judge(&ev, &site());
        if s == Shape::NoData {
            assert!(got.is_ok(), "{got:?}");
        } else {
            assert!(matches!(got, Err(Reason::Callback { .. })), "{got:?}");
        }
    }
    // Capability filters (real plugins grant their own caps) only matter to post locks.
    let mut ev = bare(Shape::PostLock);
    hook(&mut ev, "user_has_cap")
        .entries
        .push(plugin_cb("grant", 10));
    assert!(matches!(judge(&ev, &site()), Err(Reason::Callback { .. })));
    assert!(path(Shape::NoData, "wp_user_roles", false)
        .iter()
        .all(|(h, _)| h != "user_has_cap" && h != "map_meta_cap" && h != "heartbeat_received"));
    assert!(path(Shape::NoPriv, "wp_user_roles", false)
        .iter()
        .all(|(h, _)| h != "heartbeat_nopriv_received"));
    // The roles option's hooks are named by the site's prefix.
    assert!(path(Shape::PostLock, "xy_user_roles", false)
        .iter()
        .any(|(h, _)| h == "option_xy_user_roles"));
}

#[test]
fn wpdb_may_add_its_placeholder_filter() {
    let mut ev = bare(Shape::NoData);
    hook(&mut ev, "query").entries.push(Entry {
        priority: 0,
        id: "0123abcremove_placeholder_escape".into(),
        callback: "wpdb->remove_placeholder_escape".into(),
        accepted_args: 1,
        file: Some(format!("{ABS}wp-includes/wp-db.php")),
    });
    assert!(judge(&ev, &site()).is_ok());
}

#[test]
fn what_happened_before_the_handler() {
    let mut cases: Vec<(Evidence, Reason)> = Vec::new();
    let mut ev = bare(Shape::NoPriv);
    ev.headers.push("X-Plugin: 1".into());
    cases.push((ev, Reason::HeaderBeforeHandler("X-Plugin".into())));
    let mut ev = bare(Shape::NoPriv);
    ev.output = 3;
    cases.push((ev, Reason::OutputBeforeHandler));
    let mut ev = bare(Shape::NoPriv);
    ev.status = 503;
    cases.push((ev, Reason::StatusBeforeHandler(503)));
    let mut ev = bare(Shape::NoData);
    ev.buffers.push("minify_html".into());
    cases.push((ev, Reason::OutputHandler("minify_html".into())));
    let mut ev = bare(Shape::NoData);
    ev.shutdown.push("my_shutdown".into());
    cases.push((ev, Reason::ShutdownFunction("my_shutdown".into())));
    let mut ev = bare(Shape::NoData);
    ev.rewritten.push("$_POST[data]".into());
    cases.push((ev, Reason::RequestRewritten("$_POST[data]".into())));
    let mut ev = bare(Shape::NoData);
    ev.rewritten.push("$_SERVER[HTTP_ORIGIN]".into());
    cases.push((ev, Reason::RequestRewritten("$_SERVER[HTTP_ORIGIN]".into())));
    let mut ev = bare(Shape::NoData);
    if let Some(u) = ev.user.as_mut() {
        u.set_count = 2;
    }
    cases.push((ev, Reason::UserSwitched));
    let mut ev = bare(Shape::NoData);
    if let Some(u) = ev.user.as_mut() {
        u.login = "editor".into();
    }
    cases.push((ev, Reason::UserSwitched));
    let mut ev = bare(Shape::NoPriv);
    if let Some(u) = ev.user.as_mut() {
        u.id = 3;
    }
    cases.push((ev, Reason::UserSwitched));
    for (ev, want) in cases {
        assert_eq!(judge(&ev, &site()), Err(want));
    }
    // An allowed Origin: core's own two headers come first.
    let mut s = site();
    s.origin = Some("http://127.0.0.1".into());
    let ev = bare(Shape::NoPriv);
    assert_eq!(
        judge(&ev, &s),
        Err(Reason::HeaderBeforeHandler(
            "Access-Control-Allow-Origin".into()
        ))
    );
}

#[test]
fn replaced_pluggables_and_unknown_core_code() {
    let mut ev = bare(Shape::NoData);
    if let Some(f) = ev
        .functions
        .iter_mut()
        .find(|f| f.0 == "wp_validate_auth_cookie")
    {
        f.1 = Some("/srv/wp-content/plugins/sso/sso.php".into());
    }
    assert_eq!(
        judge(&ev, &site()),
        Err(Reason::Pluggable {
            function: "wp_validate_auth_cookie".into(),
            owner: Owner::Plugin("sso".into())
        })
    );
    // A release with other code for one function: that model, and only the shapes using
    // it, are off; a beat without credentials does not use the auth model.
    let mut ev = bare(Shape::NoData);
    if let Some(f) = ev.functions.iter_mut().find(|f| f.0 == "wp_hash") {
        f.2 = "0000000000000000".into();
    }
    assert_eq!(
        judge(&ev, &site()),
        Err(Reason::ModelMismatch {
            model: "auth".into(),
            function: "wp_hash".into()
        })
    );
    let mut ev = bare(Shape::NoPriv);
    ev.functions.retain(|f| f.0 != "wp_hash");
    assert!(judge(&ev, &site()).is_ok());
}

/// A bare site of a multisite network, as WordPress shows it there: `ms-default-filters.php`
/// removed `_config_wp_home` and `_config_wp_siteurl` and added `strtolower` on
/// `sanitize_user`; the network hooks of logged-in shapes idle.
fn network_bare(shape: Shape) -> Evidence {
    let mut ev = bare(shape);
    for h in &mut ev.hooks {
        if h.hook == "option_home" || h.hook == "option_siteurl" {
            h.entries.clear();
        }
        if h.hook == "sanitize_user" {
            h.entries = vec![Entry {
                priority: 10,
                id: "strtolower".into(),
                callback: "strtolower".into(),
                accepted_args: 1,
                file: Some("ext:standard".into()),
            }];
        }
    }
    for (hook, _) in path(shape, "wp_user_roles", true) {
        if !ev.hooks.iter().any(|h| h.hook == hook) {
            ev.hooks.push(HookTable {
                hook,
                plain: true,
                entries: vec![],
            });
        }
    }
    ev
}

#[test]
fn a_network_site_as_wordpress_shows_it() {
    // Every shape of a bare network site may take the lane (before: every one was refused,
    // "core's _config_wp_home on option_home was removed, moved or replaced").
    let mut s = site();
    s.multisite = true;
    for shape in [
        Shape::NoPriv,
        Shape::NoPrivData,
        Shape::NoData,
        Shape::PostLock,
    ] {
        let verdict = judge(&network_bare(shape), &s);
        assert!(verdict.is_ok(), "{shape:?}: {verdict:?}");
        // A single site's filters on a network, or a network's on a single site: refused.
        assert!(judge(&bare(shape), &s).is_err(), "{shape:?}");
        assert!(judge(&network_bare(shape), &site()).is_err(), "{shape:?}");
    }
    for shape in [Shape::NoData, Shape::PostLock] {
        // strtolower is what the native answer's user read reproduces: anything else
        // there, or nothing, is not.
        let mut ev = network_bare(shape);
        hook(&mut ev, "sanitize_user").entries[0].callback = "strtoupper".into();
        hook(&mut ev, "sanitize_user").entries[0].id = "strtoupper".into();
        assert!(judge(&ev, &s).is_err());
        let mut ev = network_bare(shape);
        hook(&mut ev, "sanitize_user").entries.clear();
        assert!(judge(&ev, &s).is_err());
        let mut ev = network_bare(shape);
        hook(&mut ev, "sanitize_user").entries[0].file =
            Some("/srv/wp-content/plugins/p/p.php".into());
        assert!(
            judge(&ev, &s).is_err(),
            "a plugin's function named strtolower"
        );
    }
}

#[test]
fn site_conditions() {
    // A multisite network: logged-out shapes as on a single site; logged-in ones also
    // need the network hooks on their path captured, and idle.
    let mut s = site();
    s.multisite = true;
    assert!(judge(&network_bare(Shape::NoPriv), &s).is_ok());
    let mut ev = network_bare(Shape::NoData);
    ev.hooks.retain(|h| h.hook != "get_site");
    assert_eq!(judge(&ev, &s), Err(Reason::NotAHook("get_site".into())));
    for shape in [Shape::NoData, Shape::PostLock] {
        let mut ev = network_bare(shape);
        assert!(judge(&ev, &s).is_ok(), "{shape:?}");
        hook(&mut ev, "get_site").entries.push(Entry {
            priority: 10,
            id: "my_site".into(),
            callback: "my_site".into(),
            accepted_args: 1,
            file: Some("/srv/wp-content/plugins/p/p.php".into()),
        });
        assert!(matches!(judge(&ev, &s), Err(Reason::Callback { .. })));
    }
    assert!(path(Shape::PostLock, "wp_2_user_roles", true)
        .iter()
        .any(|(h, _)| h == "site_option_site_admins"));
    assert!(!path(Shape::NoData, "wp_2_user_roles", true)
        .iter()
        .any(|(h, _)| h == "site_option_site_admins"));
    let mut s = site();
    s.ext_object_cache = true;
    assert!(judge(&bare(Shape::NoData), &s).is_ok());
    s.multisite = true;
    assert_eq!(
        judge(&network_bare(Shape::NoData), &s),
        Err(Reason::ObjectCache)
    );
    assert!(judge(&network_bare(Shape::NoPriv), &s).is_ok());
    let mut s = site();
    s.wpdb_class = "hyperdb".into();
    assert_eq!(
        judge(&bare(Shape::PostLock), &s),
        Err(Reason::DatabaseDropIn)
    );
    let mut s = site();
    s.post_caps_core = false;
    assert_eq!(
        judge(&bare(Shape::PostLock), &s),
        Err(Reason::PostTypeChanged)
    );
    assert!(judge(&bare(Shape::NoData), &s).is_ok());
    let mut ev = bare(Shape::NoData);
    hook(&mut ev, "heartbeat_send").plain = false;
    assert_eq!(
        judge(&ev, &site()),
        Err(Reason::NotAHook("heartbeat_send".into()))
    );
}

#[test]
fn the_scheme_may_be_set_from_the_request_key() {
    // wp-config.php behind a TLS-terminating proxy: HTTPS set from X-Forwarded-Proto.
    let mut ev = bare(Shape::NoData);
    ev.rewritten.push("$_SERVER[HTTPS]=on".into());
    ev.rewritten.push("$_SERVER[SERVER_PORT]=443".into());
    assert!(judge(&ev, &site()).is_ok());
    // The name alone (any other variable) still counts against the lane.
    ev.rewritten.push("$_SERVER[HTTPS]".into());
    assert_eq!(
        judge(&ev, &site()).err(),
        Some(Reason::RequestRewritten("$_SERVER[HTTPS]".into()))
    );
}

#[test]
fn a_declared_heartbeat_callback_counts_only_while_confirmed() {
    let cb = "my_plugin_received";
    let plugin_entry = Entry {
        priority: 10,
        id: cb.into(),
        callback: cb.into(),
        accepted_args: 2,
        file: Some("/srv/wp-content/plugins/p/p.php".into()),
    };
    let mut ev = bare(Shape::PostLock);
    hook(&mut ev, "heartbeat_received")
        .entries
        .push(plugin_entry);
    let seen = |unchanged: bool, queries: i64| Observed {
        hook: "heartbeat_received".into(),
        callback: cb.into(),
        unchanged,
        queries,
        output: 0,
        headers: 0,
    };
    let declared = |keys: &[&str]| Declared {
        hook: "heartbeat_received".into(),
        callback: cb.into(),
        keys: keys.iter().map(|k| (*k).to_owned()).collect(),
    };
    // Undeclared: a plugin callback on the path.
    assert!(matches!(judge(&ev, &site()), Err(Reason::Callback { .. })));
    let mut s = site();
    s.declared.push(declared(&["my-key"]));
    // Declared, but this beat did not watch it run.
    let code = |r: Result<Verdict, Reason>| r.err().map(|r| (r.code(), r.details()));
    let check = |r: Result<Verdict, Reason>| {
        code(r).and_then(|(c, d)| {
            (c == "unconfirmed").then(|| d.into_iter().find(|(k, _)| *k == "check").map(|(_, v)| v))
        })
    };
    assert_eq!(
        check(judge(&ev, &s)),
        Some(Some("not run (it was not watched)".into()))
    );
    ev.observed.push(seen(true, 0));
    assert!(judge(&ev, &s).is_ok());
    ev.observed.push(seen(true, 2));
    assert_eq!(
        check(judge(&ev, &s)),
        Some(Some("run a database query".into()))
    );
    ev.observed[1] = seen(false, 0);
    assert_eq!(
        check(judge(&ev, &s)),
        Some(Some("change the response".into()))
    );
    ev.observed.truncate(1);
    // Declared for the key post locks carry, or for no key: not vouched for.
    s.declared[0] = declared(&["wp-refresh-post-lock"]);
    assert!(check(judge(&ev, &s)).is_some());
    s.declared[0] = declared(&[]);
    assert!(check(judge(&ev, &s)).is_some());
    // Only heartbeat_received, and only for post locks: heartbeat_send runs for every beat.
    assert_eq!(declarable(Shape::NoData), None);
    assert_eq!(declarable(Shape::PostLock), Some("heartbeat_received"));
}
