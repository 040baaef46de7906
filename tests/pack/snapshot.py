#!/usr/bin/env python3
"""What an install left behind: snapshots of directories and of a WordPress database,
taken before Fastbeat is installed and after it is uninstalled, and their differences.

  snapshot.py files OUT NAME=DIR...        every entry under each DIR: type, mode, owner,
                                           sha256 of a file, target of a link
  snapshot.py db OUT SOCKET DATABASE       SHOW TABLES, wp_options (name and a hash of the
                                           value), WP-Cron's events, wp_usermeta and
                                           wp_postmeta meta_keys
  snapshot.py diff BEFORE AFTER            prints every difference; those on the allow list
                                           (WordPress's own bookkeeping, each with its
                                           reason) are shown but pass. Exit status 1 when
                                           any other difference remains.

Stdlib only; the database is read with the mariadb client as root over its socket.
"""
import hashlib
import json
import os
import re
import stat
import subprocess
import sys

# Differences WordPress itself makes between the two snapshots, whatever the plugin does.
# (kind, regex on the name, what changed: added/removed/changed, reason). Anything else
# fails the test.
ALLOW = [
    ("file", r"^wordpress:wp-content/upgrade$", "added",
     "WP_Upgrader::unpack_package() makes wp-content/upgrade/ to unpack any uploaded package into "
     "and leaves the folder, empty, behind (Plugins > Add New > Upload Plugin does the same)"),
    ("file", r"^wordpress:wp-content/upgrade/index\.php$", "added",
     "WordPress (6.8.13 and 7.1.4 here; not 6.1.9) puts a 'Silence is golden' index.php into "
     "wp-content/upgrade/ when it first unpacks a package there (WP_Upgrader::unpack_package())"),
    ("cron-event", r"^wp_delete_temp_updater_backups$", "added",
     "WP_Upgrader (6.3+) schedules its weekly cleanup of update backups the first time any "
     "upgrader runs (WP_Upgrader::schedule_temp_backup_cleanup())"),
    ("option", r"^cron$", "changed",
     "the cron option holds the events above; the events themselves are compared one by one "
     "(cron-event); allowed only while the new value does not mention fastbeat"),
    ("option", r"^_site_transient_update_(plugins|themes|core)$", "changed",
     "core's update checks (wp_update_plugins(), wp_update_themes(), wp_version_check(): hooked to "
     "upgrader_process_complete and run by wp-admin requests) rewrite their caches with a new "
     "last_checked time; allowed only while the new value does not mention fastbeat"),
]


def files(out, specs):
    snap = {}
    for spec in specs:
        name, _, root = spec.partition("=")
        if not os.path.isdir(root):
            snap[f"{name}:"] = "missing"
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for entry in [""] + sorted(dirnames) + sorted(filenames):
                path = os.path.join(dirpath, entry) if entry else dirpath
                rel = os.path.relpath(path, root)
                st = os.lstat(path)
                kind = "link" if stat.S_ISLNK(st.st_mode) else "dir" if stat.S_ISDIR(st.st_mode) else "file"
                desc = f"{kind} {stat.S_IMODE(st.st_mode):o} {st.st_uid}:{st.st_gid}"
                if kind == "link":
                    desc += " -> " + os.readlink(path)
                elif kind == "file":
                    h = hashlib.sha256()
                    with open(path, "rb") as f:
                        for chunk in iter(lambda: f.read(1 << 20), b""):
                            h.update(chunk)
                    desc += " " + h.hexdigest()
                snap[f"{name}:{'' if rel == '.' else rel}"] = desc
    with open(out, "w") as f:
        json.dump({"files": snap}, f, indent=0, sort_keys=True)
    print(f"snapshot: {len(snap)} entries under {', '.join(s.partition('=')[0] for s in specs)} -> {out}")


def db(out, socket, database):
    def q(sql):
        r = subprocess.run(["mariadb", "--no-defaults", f"--socket={socket}", "-uroot", "-N", "-B", "-r",
                            database, "-e", sql], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"snapshot: mariadb failed: {r.stderr.strip()}")
        return [line.split("\t") for line in r.stdout.splitlines()]
    # WP-Cron's events by hook: the serialized array's hook keys, each followed by its
    # entries keyed by md5(serialize(args)).
    cron = "".join(row[0] for row in q("SELECT option_value FROM wp_options WHERE option_name = 'cron'"))
    snap = {
        "cron-event": {hook: "" for hook in re.findall(r's:\d+:"([^"]+)";a:\d+:\{s:32:"[0-9a-f]{32}";', cron)},
        "table": {row[0]: "" for row in q("SHOW TABLES")},
        # A hash of the value, and whether it mentions fastbeat (a changed value that does is
        # never allowed).
        "option": {row[0]: row[1] + (" mentions-fastbeat" if row[2] == "1" else "") for row in q(
            "SELECT option_name, MD5(option_value), option_value LIKE '%fastbeat%' FROM wp_options")},
        "usermeta": {row[0]: "" for row in q("SELECT DISTINCT meta_key FROM wp_usermeta")},
        "postmeta": {row[0]: "" for row in q("SELECT DISTINCT meta_key FROM wp_postmeta")},
    }
    with open(out, "w") as f:
        json.dump(snap, f, indent=0, sort_keys=True)
    print(f"snapshot: {len(snap['table'])} tables, {len(snap['option'])} options, {len(snap['cron-event'])} cron "
          f"events, {len(snap['usermeta'])} usermeta keys, {len(snap['postmeta'])} postmeta keys -> {out}")


def allowed(kind, name, change, after):
    if "fastbeat" in (after or ""):
        return None
    for k, rx, changes, why in ALLOW:
        if k == kind and re.search(rx, name) and change in changes.split("|"):
            return why
    return None


def diff(before_path, after_path):
    before, after = json.load(open(before_path)), json.load(open(after_path))
    bad = shown = 0
    for kind in sorted(set(before) | set(after)):
        b, a = before.get(kind, {}), after.get(kind, {})
        label = kind[:-1] if kind == "files" else kind
        for name in sorted(set(b) | set(a)):
            if name not in a:
                change, detail = "removed", b[name]
            elif name not in b:
                change, detail = "added", a[name]
            elif a[name] != b[name]:
                change, detail = "changed", f"{b[name]} => {a[name]}"
            else:
                continue
            shown += 1
            why = allowed(label, name, change, a.get(name))
            if why:
                print(f"  allowed  {label} {change}: {name} ({detail[:120]})\n           why: {why}")
            else:
                bad += 1
                print(f"  LEFT     {label} {change}: {name} ({detail[:200]})")
    counts = {k: len(v) for k, v in after.items()}
    print(f"diff: {shown} differences, {bad} not allowed (compared {counts})")
    return bad == 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "files":
        files(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 5 and sys.argv[1] == "db":
        db(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        sys.exit(0 if diff(sys.argv[2], sys.argv[3]) else 1)
    else:
        sys.exit(__doc__)
