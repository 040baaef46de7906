--TEST--
hooks: what callbacks see of a running hook (native WP_Hook stand-in)
--DESCRIPTION--
fastbeat runs apply_filters() and WP_Hook::apply_filters() natively. Callbacks must
see the same state as under core's PHP: current_filter(), doing_filter(),
current_priority(), nesting when a callback re-enters its own hook, a priority added
while the hook runs (it runs), a later callback removed while the hook runs (it does
not), every callable form, accepted_args 0 / 1 / 2 / 9, and the value threaded from
one callback to the next.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=edit-post&data[d]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );

class FB_Cb {
	public static function stat( $r ) { $r['static'] = fb_state(); return $r; }
	public function meth( $r, $screen ) { $r['method'] = $screen; return $r; }
	public function __invoke( $r ) { $r['invokable'] = true; return $r; }
}
function fb_state() {
	global $wp_filter, $wp_current_filter;
	return implode( ',', $wp_current_filter ) . ' doing=' . (int) doing_filter( 'heartbeat_send' )
		. ' prio=' . var_export( $wp_filter['heartbeat_send']->current_priority(), true );
}
function fb_named( $r ) { $r['named'] = fb_state(); return $r; }

add_filter( 'heartbeat_send', function ( $r, $screen ) {
	$r['first'] = fb_state();
	if ( 'nested' !== $screen ) {
		// Re-enter the running hook: a nested run with its own iteration.
		$inner = apply_filters( 'heartbeat_send', array( 'inner' => true ), 'nested' );
		fb_log( 'nested ' . fb_export( array_keys( $inner ) ) );
		// A new priority between this one and the next: it must run in this run.
		add_filter( 'heartbeat_send', function ( $r ) { $r['added-15'] = fb_state(); return $r; }, 15 );
		// A later callback removed: it must not run.
		remove_filter( 'heartbeat_send', 'fb_removed', 30 );
	}
	return $r;
}, 10, 2 );
function fb_removed( $r ) { $r['removed-ran'] = true; return $r; }
add_filter( 'heartbeat_send', 'fb_removed', 30 );
add_filter( 'heartbeat_send', 'fb_named', 20 );
add_filter( 'heartbeat_send', 'FB_Cb::stat', 20 );
add_filter( 'heartbeat_send', array( new FB_Cb(), 'meth' ), 20, 2 );
add_filter( 'heartbeat_send', new FB_Cb(), 20 );
add_filter( 'heartbeat_send', function () { fb_log( 'zero args: ' . func_num_args() ); return array( 'zero' => true ); }, 5, 0 );
add_filter( 'heartbeat_send', function ( ...$a ) { fb_log( 'nine: ' . count( $a ) ); return $a[0]; }, 50, 9 );
fb_compare();
--EXPECTF--
[log] zero args: 0
[log] zero args: 0
[log] nine: 2
[log] nested ["zero","wp-auth-check","first","named","static","method","invokable","removed-ran"]
[log] nine: 2
[log] (wp_die)
[body %d] {"zero":true,"wp-auth-check":true,"first":"wp_ajax_heartbeat,heartbeat_send doing=1 prio=10","added-15":"wp_ajax_heartbeat,heartbeat_send doing=1 prio=15","named":"wp_ajax_heartbeat,heartbeat_send doing=1 prio=20","static":"wp_ajax_heartbeat,heartbeat_send doing=1 prio=20","method":"edit-post","invokable":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_received+1 heartbeat_send+2 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
