<?php
/**
 * Fastbeat fast lane, logged out: the extension compiles this file in place of
 * wp-admin/admin-ajax.php for a heartbeat that carries no credentials at all, on a site
 * whose manifest vouches that the logged-out path is core's own. The response then depends
 * only on the time and the request's Origin, and the extension sends it, header for header.
 *
 * @package Fastbeat
 */

// Only ever entered by the extension; a direct request does nothing.
if ( ! function_exists( 'fastbeat_lane_answer_nopriv' ) || ! fastbeat_lane_answer_nopriv() ) {
	exit;
}
