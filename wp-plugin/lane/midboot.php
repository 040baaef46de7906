<?php
/**
 * Fastbeat fast lane, logged in, with a persistent object cache: the extension compiles
 * this file in place of the one wp-settings.php requires right after starting the object
 * cache (wp-includes/default-filters.php), for a dashboard or post-lock beat on a site
 * whose manifest vouches for it. WordPress has run wp-config.php, connected the database
 * and loaded the object-cache drop-in, nothing else.
 *
 * The extension reads the user, the session and the options as core does, through the
 * drop-in, and answers (the request ends there), or hands the beat back: the file this
 * one stands in for is then required, and WordPress carries on booting as if nothing had
 * happened (the full path).
 *
 * Top-level code runs in the scope wp-settings.php runs in (the global one): nothing
 * here assigns a variable.
 *
 * @package Fastbeat
 */

if ( function_exists( 'fastbeat_lane_midboot' ) ) {
	fastbeat_lane_midboot();
}

// Not answered: the file WordPress asked for. Requested directly, this file has no
// file to stand in for and does nothing.
if ( function_exists( 'fastbeat_lane_midboot_resume' ) && is_string( fastbeat_lane_midboot_resume() ) ) {
	require fastbeat_lane_midboot_resume();
}
