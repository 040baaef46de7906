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
 * Just before core's handler runs on a full-path heartbeat: registers the site in this
 * PHP worker and, when the beat's evidence is to be recorded, captures it (the hook
 * tables on the beat's path, the current user, the request as the handler sees it).
 *
 * Called by the Fastbeat plugin first thing on `wp_ajax_heartbeat`.
 *
 * @param string $note JSON: the state only that moment shows (headers, output, buffers
 *                     so far) and where the site's manifest lives.
 * @return array{record: bool, options: string[], server: string[], network_options: string[]}|null What to hand
 *                     over after the response (fastbeat_lane_evidence()), and which.
 */
function fastbeat_lane_note( string $note ): ?array {}

/**
 * After a recorded heartbeat's response: judges its evidence and returns the manifest
 * text for the plugin to write; keeps what a native answer needs in this worker's memory.
 *
 * @param string $facts  JSON: directories, site facts, connection details and salts.
 * @param int    $settle Seconds a watched file must have been unchanged.
 * @return array{manifest?: string, text?: string, suspended?: string, why?: string, verdict: string}|null
 */
function fastbeat_lane_evidence( string $facts, int $settle ): ?array {}

/**
 * In the logged-out lane script: answers the beat natively and ends the request, as core
 * would. Outside that lane it does nothing.
 *
 * @return bool False outside the lane.
 */
function fastbeat_lane_answer_nopriv(): bool {}

/**
 * Whether the extension chose a lane script for this request (a lane script requested
 * directly does nothing).
 *
 * @return bool
 */
function fastbeat_lane_active(): bool {}

/**
 * In the logged-in lane script: how to connect and which reads to run.
 *
 * @return array<string, mixed>|null Null when the beat takes the full path.
 */
function fastbeat_lane_native_plan(): ?array {}

/**
 * In the logged-in lane script: from the reads' rows, answers a beat without data and
 * ends the request; for a post-lock beat returns the write update_post_meta() would make.
 *
 * @param array<int, array<int, array<string, string|null>>> $rows Each read's rows.
 * @return array{write: string|null}|null Null when the beat takes the full path.
 */
function fastbeat_lane_native_answer( array $rows ): ?array {}

/**
 * In the logged-in lane script, after the post-lock write: sends the answer and ends the
 * request.
 *
 * @return bool False when no answer is waiting.
 */
function fastbeat_lane_native_commit(): bool {}

/**
 * In the logged-in lane script: the site's admin-ajax.php, to run for a beat the native
 * answer does not take (the full path).
 *
 * @return string|null
 */
function fastbeat_lane_fallback(): ?string {}

/**
 * A callable as the fast lane's evidence names it (`name`, `Class::method`,
 * `Class->method`, `closure@file:line`).
 *
 * @param mixed $callable A callable as registered on a hook.
 * @return string
 */
function fastbeat_lane_callable_label( mixed $callable ): string {}

/**
 * In the mid-boot lane script (a site with a persistent object cache, once WordPress has
 * started the cache): answers the beat through the cache and ends the request, or returns
 * false.
 *
 * @return bool
 */
function fastbeat_lane_midboot(): bool {}

/**
 * In the mid-boot lane script: the file it stands in for, to require when the beat was
 * not answered.
 *
 * @return string|null
 */
function fastbeat_lane_midboot_resume(): ?string {}

/**
 * This PHP worker's lane state and the beats it counted since it started, by path and
 * reason.
 *
 * @return string JSON.
 */
function fastbeat_lane_status(): string {}

/**
 * The site's lane, for its owner: the manifest's verdicts and suspensions, and the beats
 * all workers counted (with the CPU time each path cost on this site).
 *
 * @param string $manifest The site's manifest file.
 * @return string JSON.
 */
function fastbeat_lane_report( string $manifest ): string {}

/**
 * Every reason a heartbeat may take the full path for, by code.
 *
 * @return string[]
 */
function fastbeat_lane_reason_codes(): array {}
