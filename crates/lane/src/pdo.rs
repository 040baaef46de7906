//! Which client native answers read with: a PDO data source name that reaches exactly the
//! server, database and account `wpdb::db_connect()` reaches with mysqli, or `None` where
//! only mysqli can say it. PDO is preferred because its persistent connection is reused as
//! it stands (a ping), where mysqli's `p:` link is reset with COM_CHANGE_USER, SET NAMES
//! and a multi-statement switch: three more round trips per beat.

use crate::native::Db;

/// The mysqli settings that decide where and how `mysqli_real_connect()` connects when
/// wpdb leaves a value out (`ini_get()`'s strings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MysqliIni {
    /// `mysqli.allow_persistent`: off, the host wants no connection kept between
    /// requests, so the reads connect per beat with mysqli as wpdb does.
    pub allow_persistent: String,
    /// `mysqli.default_socket`: the socket for "localhost" when wpdb names none.
    pub default_socket: String,
    /// `mysqli.default_port`: the port for a TCP host when wpdb names none.
    pub default_port: String,
}

/// PHP's reading of a boolean ini value (`zend_ini_parse_bool()`).
pub fn ini_bool(v: &str) -> bool {
    ["true", "yes", "on"]
        .iter()
        .any(|t| v.eq_ignore_ascii_case(t))
        || leading_int(v) != 0
}

/// `atoi()`: the leading decimal integer, 0 when there is none.
fn leading_int(v: &str) -> i64 {
    let v = v.trim_start();
    let (sign, digits) = match v.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, v.strip_prefix('+').unwrap_or(v)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse::<i64>().map_or(0, |n| sign * n)
}

/// The DSN for `db`, or `None`: persistent connections off, client flags (PDO has no
/// equivalent of `MYSQL_CLIENT_FLAGS`), an IPv6 or empty host (mysqli's own defaults),
/// no socket for "localhost", no port for a TCP host, a charset PDO may read otherwise, or
/// a value a DSN cannot carry (';' and '=' split it; PDO cuts values at a NUL, mysqli
/// does not).
pub fn dsn(db: &Db, ini: &MysqliIni) -> Option<String> {
    if !ini_bool(&ini.allow_persistent) || db.flags != 0 {
        return None;
    }
    let charset_ok = !db.charset.is_empty()
        && db
            .charset
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let socket = db.socket.as_deref().unwrap_or("");
    let carried = |v: &str| !v.contains([';', '=', '\0']);
    if !charset_ok
        || db.host.is_empty()
        || db.host.starts_with('[')
        || ![db.host.as_str(), db.name.as_str(), socket]
            .iter()
            .all(|v| carried(v))
        || db.user.contains('\0')
        || db.password.contains('\0')
    {
        return None;
    }
    let (name, charset) = (&db.name, &db.charset);
    // mysqlnd takes "localhost" in any case for its Unix socket; pdo_mysql passes the
    // socket on only with a lower-case one.
    if db.host.eq_ignore_ascii_case("localhost") {
        let socket = if socket.is_empty() {
            ini.default_socket.as_str()
        } else {
            socket
        };
        if socket.is_empty() || !carried(socket) {
            return None;
        }
        return Some(format!(
            "mysql:host=localhost;unix_socket={socket};dbname={name};charset={charset}"
        ));
    }
    let port = db.port.unwrap_or_else(|| leading_int(&ini.default_port));
    if port <= 0 {
        return None;
    }
    Some(format!(
        "mysql:host={};port={port};dbname={name};charset={charset}",
        db.host
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(host: &str, port: Option<i64>, socket: Option<&str>) -> Db {
        Db {
            host: host.into(),
            port,
            socket: socket.map(str::to_owned),
            user: "wp".into(),
            password: "pw".into(),
            name: "wpdb".into(),
            charset: "utf8mb4".into(),
            flags: 0,
        }
    }

    fn ini(persistent: &str, socket: &str, port: &str) -> MysqliIni {
        MysqliIni {
            allow_persistent: persistent.into(),
            default_socket: socket.into(),
            default_port: port.into(),
        }
    }

    #[test]
    fn booleans_as_php_reads_them() {
        for on in ["1", "On", "on", "YES", "true", " 2", "7x", "+1"] {
            assert!(ini_bool(on), "{on}");
        }
        for off in ["", "0", "Off", "no", "false", "x1", "-0", " on"] {
            assert!(!ini_bool(off), "{off}");
        }
    }

    #[test]
    fn sockets_for_localhost_in_any_case() {
        let std = ini("1", "/run/mysqld/mysqld.sock", "3306");
        assert_eq!(
            dsn(&db("localhost", None, Some("/tmp/x.sock")), &std).as_deref(),
            Some("mysql:host=localhost;unix_socket=/tmp/x.sock;dbname=wpdb;charset=utf8mb4")
        );
        // A port does not matter over a socket, for mysqli as for PDO.
        assert_eq!(
            dsn(&db("LocalHost", Some(3307), None), &std).as_deref(),
            Some("mysql:host=localhost;unix_socket=/run/mysqld/mysqld.sock;dbname=wpdb;charset=utf8mb4")
        );
        // No socket anywhere: mysqlnd's built-in default, which only mysqli knows.
        assert_eq!(
            dsn(&db("localhost", None, None), &ini("1", "", "3306")),
            None
        );
    }

    #[test]
    fn tcp_hosts_with_their_port_or_mysqli_default() {
        let std = ini("On", "/run/mysqld/mysqld.sock", "3306");
        // A socket given with a TCP host is ignored by mysqli: TCP, as here.
        assert_eq!(
            dsn(&db("127.0.0.1", None, Some("/tmp/x.sock")), &std).as_deref(),
            Some("mysql:host=127.0.0.1;port=3306;dbname=wpdb;charset=utf8mb4")
        );
        assert_eq!(
            dsn(&db("db.example", Some(3310), None), &std).as_deref(),
            Some("mysql:host=db.example;port=3310;dbname=wpdb;charset=utf8mb4")
        );
        assert_eq!(dsn(&db("db.example", None, None), &ini("1", "", "")), None);
    }

    #[test]
    fn mysqli_where_pdo_cannot_say_it() {
        let std = ini("1", "/s.sock", "3306");
        assert_eq!(
            dsn(&db("localhost", None, Some("/s")), &ini("Off", "", "")),
            None
        );
        assert_eq!(
            dsn(&db("localhost", None, Some("/s")), &ini("0", "", "")),
            None
        );
        for host in ["", "[::1]"] {
            assert_eq!(dsn(&db(host, Some(3306), None), &std), None, "{host}");
        }
        let mut flagged = db("localhost", None, None);
        flagged.flags = 2048;
        assert_eq!(dsn(&flagged, &std), None);
        for (field, value) in [
            ("name", "a;b"),
            ("name", "a=b"),
            ("socket", "/a;b"),
            ("user", "u\0"),
            ("password", "p\0x"),
            ("charset", "utf8;x"),
            ("charset", ""),
        ] {
            let mut d = db("localhost", None, Some("/s"));
            match field {
                "name" => d.name = value.into(),
                "socket" => d.socket = Some(value.into()),
                "user" => d.user = value.into(),
                "password" => d.password = value.into(),
                _ => d.charset = value.into(),
            }
            assert_eq!(dsn(&d, &std), None, "{field} {value:?}");
        }
        // A default socket a DSN cannot carry.
        assert_eq!(
            dsn(&db("localhost", None, None), &ini("1", "/a;b", "")),
            None
        );
    }
}
