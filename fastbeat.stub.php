<?php
/**
 * IDE and static-analysis stubs for the Fastbeat PHP extension (module `fastbeat`).
 *
 * Declarations only, for PhpStorm, Intelephense, PHPStan and Psalm. Never include
 * this file at run time: the extension declares these functions, and PHP would
 * fail with "Cannot redeclare" next to it. The WordPress plugin never loads it.
 *
 * wp-plugin/tests/run.sh checks these signatures against `php --re fastbeat`
 * with the built extension, so they cannot drift; after changing the
 * extension's API, update this file (`php wp-plugin/tests/stub-check.php
 * --generate target/release/libfastbeat.so` prints a skeleton).
 *
 * @package fastbeat
 */

/**
 * Serves a logged-in heartbeat: a native replacement for WordPress core's wp_ajax_heartbeat().
 *
 * Same flow, hooks and output as core (WordPress 6.1.9): checks the
 * `heartbeat-nonce`, applies `heartbeat_received` / `heartbeat_send` and the
 * other heartbeat filters, fires `heartbeat_tick`, then sends the JSON
 * response with wp_send_json() semantics and ends with wp_die() in Ajax
 * context. When a `wp_die_ajax_handler` returns instead of exiting, this
 * function returns too. Exceptions thrown by callbacks propagate unchanged.
 *
 * Called by WordPress (through the Fastbeat plugin) from admin-ajax.php, not
 * by other code. Like core's handler it accepts and ignores arguments:
 * do_action() passes one ('').
 *
 * @param mixed ...$args Ignored.
 * @return void
 */
function fastbeat_heartbeat( mixed ...$args ): void {}

/**
 * Serves a logged-out heartbeat: a native replacement for WordPress core's wp_ajax_nopriv_heartbeat().
 *
 * Same flow, hooks and output as core (WordPress 6.1.9): applies
 * `heartbeat_nopriv_received` / `heartbeat_nopriv_send`, fires
 * `heartbeat_nopriv_tick`, then responds and ends like fastbeat_heartbeat().
 * Accepts and ignores arguments.
 *
 * @param mixed ...$args Ignored.
 * @return void
 */
function fastbeat_nopriv_heartbeat( mixed ...$args ): void {}

/**
 * The extension's version.
 *
 * @return string Semantic version, e.g. "0.1.0" (also shown by `php --ri fastbeat`).
 */
function fastbeat_version(): string {}

/**
 * Registers this WordPress install's fast lane in the current PHP worker.
 *
 * Called by the Fastbeat plugin on a full-path heartbeat. Later eligible beats
 * to `$admin_ajax` may then be answered by `$lane` (the plugin's lane script),
 * as the manifest file `$manifest` allows.
 *
 * @param string $admin_ajax The install's wp-admin/admin-ajax.php.
 * @param string $lane       The plugin's lane script (lane/lane.php).
 * @param string $manifest   The manifest file the plugin keeps.
 * @return bool Whether the lane was registered.
 */
function fastbeat_lane_register( string $admin_ajax, string $lane, string $manifest ): bool {}

/**
 * Inside the lane: the admin-ajax.php the lane stands in for.
 *
 * @return string|null The script path, or null outside the lane.
 */
function fastbeat_lane_script(): ?string {}

/**
 * Inside the lane: which kind of beat it answers.
 *
 * @return string|null "nodata", "postdata" or "nopriv"; null outside the lane.
 */
function fastbeat_lane_kind(): ?string {}

/**
 * Whether this worker's lane upkeep (manifest check, learning) for an install is due: true
 * at most once per `$seconds`, and always when the install is not registered in this worker.
 *
 * @param string $admin_ajax The install's wp-admin/admin-ajax.php.
 * @param int    $seconds    Minimum interval.
 * @return bool
 */
function fastbeat_lane_due(string $admin_ajax, int $seconds): bool {}

/**
 * Inside the logged-out lane: sends the response core would send and ends the request.
 *
 * @return bool False (and nothing sent) outside that lane.
 */
function fastbeat_lane_answer_nopriv(): bool {}

/**
 * Keeps, in this worker's memory only, what a full WordPress request of this site knows and
 * a native answer to a logged-in beat needs: `script` (admin-ajax.php), `server` (HTTP_HOST,
 * SERVER_NAME, SERVER_PORT, HTTPS as WordPress saw them), `ssl`, `db` (host, port, socket,
 * user, password, name, charset, flags), `tables` (users, usermeta, options), `auth_salt`,
 * `nonce_salt` and the raw `options` values. Incomplete facts forget the site's.
 *
 * @param array<string, mixed> $facts What includes/learn.php gathers.
 * @return bool Whether they were kept.
 */
function fastbeat_lane_learn(array $facts): bool {}

/**
 * Inside the native lane script: how to connect (`host`, `port`, `socket`, `user`,
 * `password`, `name`, `charset`, `flags`) and the `queries` to run.
 *
 * @return array<string, mixed>|null Null when this beat is not one answered natively.
 */
function fastbeat_lane_native_plan(): ?array {}

/**
 * Inside the native lane script: from the queries' rows (one list of associative rows per
 * query), answers a beat without data and ends the request, or for a post-lock beat returns
 * the query `update_post_meta()` would run (then call fastbeat_lane_native_commit()), when
 * core would answer the beat as logged in with a current nonce.
 *
 * @param array<int, array<int, array<string, string|null>>> $rows
 * @return array{write: string|null}|null Null (nothing sent) when the beat is not answered here.
 */
function fastbeat_lane_native_answer(array $rows): ?array {}

/**
 * Inside the native lane script, after the post-lock write: sends the answer and ends the
 * request.
 *
 * @return bool False (nothing sent) when no answer is waiting.
 */
function fastbeat_lane_native_commit(): bool {}

/**
 * Inside the native lane script: the script to run for a beat it does not answer (the lane
 * script, or admin-ajax.php itself when the lane script may not answer its kind).
 *
 * @return string|null Null outside that script, or once asked.
 */
function fastbeat_lane_fallback(): ?string {}

/**
 * This worker's lane state.
 *
 * @return array<string, string> `registered` installs, whether the hook is `installed`
 *                               ("1"/"0"), the `last` decision taken for an admin-ajax.php
 *                               request, and the `lane` / `full` request counts (`native`:
 *                               lane beats answered natively while logged in).
 */
function fastbeat_lane_status(): array {}
