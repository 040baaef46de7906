<?php
/**
 * A persistent object cache drop-in backed by Redis (phpredis), of the kind sites install
 * (wp-content/object-cache.php): WordPress's WP_Object_Cache API, values serialized into
 * Redis, a per-request runtime copy, global and non-persistent groups, per-site key
 * prefixes on multisite, and hit/miss counters. Nothing suitable is packaged by Debian,
 * so the test bed carries this one.
 *
 * Configured from wp-config.php:
 *   WP_REDIS_SOCKET      unix socket (or WP_REDIS_HOST / WP_REDIS_PORT)
 *   WP_CACHE_KEY_SALT    prefix for every key
 *
 * When Redis cannot be reached, it behaves as WordPress's own non-persistent cache for
 * the rest of the request (as widely used drop-ins do), so the site keeps working.
 *
 * @package Fastbeat
 */

// phpcs:disable WordPress.NamingConventions, Squiz.Commenting, Generic.Commenting, WordPress.PHP.DiscouragedPHPFunctions

/**
 * Sets up the cache.
 */
function wp_cache_init() {
	$GLOBALS['wp_object_cache'] = new WP_Object_Cache();
}

function wp_cache_add( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->add( $key, $data, $group, (int) $expire );
}

function wp_cache_add_multiple( array $data, $group = '', $expire = 0 ) {
	$out = array();
	foreach ( $data as $key => $value ) {
		$out[ $key ] = wp_cache_add( $key, $value, $group, $expire );
	}
	return $out;
}

function wp_cache_replace( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->replace( $key, $data, $group, (int) $expire );
}

function wp_cache_set( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->set( $key, $data, $group, (int) $expire );
}

function wp_cache_set_multiple( array $data, $group = '', $expire = 0 ) {
	$out = array();
	foreach ( $data as $key => $value ) {
		$out[ $key ] = wp_cache_set( $key, $value, $group, $expire );
	}
	return $out;
}

function wp_cache_get( $key, $group = '', $force = false, &$found = null ) {
	return $GLOBALS['wp_object_cache']->get( $key, $group, $force, $found );
}

function wp_cache_get_multiple( $keys, $group = '', $force = false ) {
	$out = array();
	foreach ( $keys as $key ) {
		$out[ $key ] = wp_cache_get( $key, $group, $force );
	}
	return $out;
}

function wp_cache_delete( $key, $group = '' ) {
	return $GLOBALS['wp_object_cache']->delete( $key, $group );
}

function wp_cache_delete_multiple( array $keys, $group = '' ) {
	$out = array();
	foreach ( $keys as $key ) {
		$out[ $key ] = wp_cache_delete( $key, $group );
	}
	return $out;
}

function wp_cache_incr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->incr( $key, (int) $offset, $group );
}

function wp_cache_decr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->incr( $key, -(int) $offset, $group );
}

function wp_cache_flush() {
	return $GLOBALS['wp_object_cache']->flush();
}

function wp_cache_flush_runtime() {
	return $GLOBALS['wp_object_cache']->flush_runtime();
}

function wp_cache_flush_group( $group ) {
	return $GLOBALS['wp_object_cache']->flush_group( $group );
}

function wp_cache_supports( $feature ) {
	return in_array( $feature, array( 'add_multiple', 'set_multiple', 'get_multiple', 'delete_multiple', 'flush_runtime', 'flush_group' ), true );
}

function wp_cache_close() {
	return true;
}

function wp_cache_add_global_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_global_groups( $groups );
}

function wp_cache_add_non_persistent_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_non_persistent_groups( $groups );
}

function wp_cache_switch_to_blog( $blog_id ) {
	$GLOBALS['wp_object_cache']->switch_to_blog( (int) $blog_id );
}

function wp_cache_reset() {
	$GLOBALS['wp_object_cache']->switch_to_blog( (int) $GLOBALS['wp_object_cache']->blog_id );
}

/**
 * The cache: a runtime copy in front of Redis.
 */
class WP_Object_Cache {
	public $cache_hits   = 0;
	public $cache_misses = 0;
	public $blog_id      = 1;

	private $cache         = array();
	private $global_groups = array();
	private $local_groups  = array();
	private $redis         = null;
	private $salt          = '';

	public function __construct() {
		$this->salt    = defined( 'WP_CACHE_KEY_SALT' ) ? (string) WP_CACHE_KEY_SALT : '';
		$this->blog_id = function_exists( 'get_current_blog_id' ) ? (int) get_current_blog_id() : 1;
		if ( ! class_exists( 'Redis' ) ) {
			return;
		}
		try {
			$redis = new Redis();
			$ok    = defined( 'WP_REDIS_SOCKET' )
				? $redis->connect( WP_REDIS_SOCKET )
				: $redis->connect( defined( 'WP_REDIS_HOST' ) ? WP_REDIS_HOST : '127.0.0.1', defined( 'WP_REDIS_PORT' ) ? (int) WP_REDIS_PORT : 6379, 1.0 );
			if ( $ok ) {
				$this->redis = $redis;
			}
		} catch ( Throwable $e ) {
			$this->redis = null;
		}
	}

	/** Whether a group is kept in Redis. */
	private function persistent( $group ) {
		return null !== $this->redis && ! isset( $this->local_groups[ $group ] );
	}

	private function key( $key, $group ) {
		$prefix = isset( $this->global_groups[ $group ] ) ? '' : $this->blog_id . ':';
		return $this->salt . $prefix . $group . ':' . $key;
	}

	private function remote( callable $call ) {
		try {
			return $call( $this->redis );
		} catch ( Throwable $e ) {
			// Redis went away: the rest of the request runs on the runtime copy.
			$this->redis = null;
			return false;
		}
	}

	public function get( $key, $group = 'default', $force = false, &$found = null ) {
		$group = '' === $group ? 'default' : $group;
		$k     = $this->key( $key, $group );
		if ( ! $force && array_key_exists( $k, $this->cache ) ) {
			$found = true;
			++$this->cache_hits;
			$v = $this->cache[ $k ];
			return is_object( $v ) ? clone $v : $v;
		}
		if ( $this->persistent( $group ) ) {
			$raw = $this->remote(
				static function ( $r ) use ( $k ) {
					return $r->get( $k );
				}
			);
			if ( is_string( $raw ) ) {
				$found             = true;
				++$this->cache_hits;
				$v                 = unserialize( $raw ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_unserialize -- values this class serialized.
				$this->cache[ $k ] = $v;
				return is_object( $v ) ? clone $v : $v;
			}
		}
		$found = false;
		++$this->cache_misses;
		return false;
	}

	public function set( $key, $data, $group = 'default', $expire = 0 ) {
		$group = '' === $group ? 'default' : $group;
		$k     = $this->key( $key, $group );
		$data  = is_object( $data ) ? clone $data : $data;
		$this->cache[ $k ] = $data;
		if ( $this->persistent( $group ) ) {
			$raw = serialize( $data ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_serialize
			$this->remote(
				static function ( $r ) use ( $k, $raw, $expire ) {
					return $expire > 0 ? $r->setex( $k, $expire, $raw ) : $r->set( $k, $raw );
				}
			);
		}
		return true;
	}

	public function add( $key, $data, $group = 'default', $expire = 0 ) {
		if ( function_exists( 'wp_suspend_cache_addition' ) && wp_suspend_cache_addition() ) {
			return false;
		}
		$found = false;
		$this->get( $key, $group, false, $found );
		// add() does not count as a lookup.
		$found ? --$this->cache_hits : --$this->cache_misses;
		return $found ? false : $this->set( $key, $data, $group, $expire );
	}

	public function replace( $key, $data, $group = 'default', $expire = 0 ) {
		$found = false;
		$this->get( $key, $group, false, $found );
		$found ? --$this->cache_hits : --$this->cache_misses;
		return $found ? $this->set( $key, $data, $group, $expire ) : false;
	}

	public function delete( $key, $group = 'default' ) {
		$group = '' === $group ? 'default' : $group;
		$k     = $this->key( $key, $group );
		$had   = array_key_exists( $k, $this->cache );
		unset( $this->cache[ $k ] );
		if ( $this->persistent( $group ) ) {
			$n = $this->remote(
				static function ( $r ) use ( $k ) {
					return $r->del( $k );
				}
			);
			return $had || $n > 0;
		}
		return $had;
	}

	public function incr( $key, $offset = 1, $group = 'default' ) {
		$value = $this->get( $key, $group );
		if ( false === $value ) {
			return false;
		}
		$value = max( 0, (int) $value + $offset );
		$this->set( $key, $value, $group );
		return $value;
	}

	public function flush() {
		$this->cache = array();
		if ( null !== $this->redis ) {
			$salt = $this->salt;
			$this->remote(
				static function ( $r ) use ( $salt ) {
					if ( '' === $salt ) {
						return $r->flushDb();
					}
					$it = null;
					while ( $keys = $r->scan( $it, $salt . '*', 500 ) ) { // phpcs:ignore Generic.CodeAnalysis.AssignmentInCondition
						$r->del( $keys );
					}
					return true;
				}
			);
		}
		return true;
	}

	public function flush_runtime() {
		$this->cache = array();
		return true;
	}

	public function flush_group( $group ) {
		$this->flush();
		return true;
	}

	public function add_global_groups( $groups ) {
		foreach ( (array) $groups as $g ) {
			$this->global_groups[ $g ] = true;
		}
	}

	public function add_non_persistent_groups( $groups ) {
		foreach ( (array) $groups as $g ) {
			$this->local_groups[ $g ] = true;
		}
	}

	public function switch_to_blog( $blog_id ) {
		$this->blog_id = (int) $blog_id;
	}

	public function stats() {
		echo '<p><strong>Cache Hits:</strong> ' . (int) $this->cache_hits . '<br /><strong>Cache Misses:</strong> ' . (int) $this->cache_misses . '</p>';
	}
}
