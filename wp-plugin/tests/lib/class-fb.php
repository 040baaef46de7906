<?php
/**
 * Checks and counters of the plugin tests.
 *
 * @package fastbeat
 */

/**
 * Checks and their counts.
 */
final class FB {
	/**
	 * Passed checks.
	 *
	 * @var integer
	 */
	public static $passed = 0;

	/**
	 * Failed checks.
	 *
	 * @var integer
	 */
	public static $failed = 0;

	/**
	 * Names of failed checks.
	 *
	 * @var string[]
	 */
	public static $failures = array();

	/**
	 * Records one check.
	 *
	 * @param bool   $ok     Result.
	 * @param string $name   What was checked.
	 * @param mixed  $detail Shown on failure.
	 * @return bool $ok
	 */
	public static function check( $ok, $name, $detail = null ) {
		if ( $ok ) {
			++self::$passed;
			echo "ok - $name\n";
		} else {
			++self::$failed;
			self::$failures[] = $name;
			echo "not ok - $name\n";
			if ( null !== $detail ) {
				$text = is_string( $detail ) ? $detail : json_encode( $detail, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR );
				echo '  ', str_replace( "\n", "\n  ", rtrim( substr( $text, 0, 4000 ) ) ), "\n";
			}
		}
		return (bool) $ok;
	}

	/**
	 * Equality check.
	 *
	 * @param mixed  $expected Expected.
	 * @param mixed  $actual   Actual.
	 * @param string $name     What was checked.
	 * @return bool
	 */
	public static function same( $expected, $actual, $name ) {
		return self::check(
			$expected === $actual,
			$name,
			array(
				'expected' => $expected,
				'actual'   => $actual,
			)
		);
	}

	/**
	 * Section header.
	 *
	 * @param string $title Title.
	 */
	public static function section( $title ) {
		echo "# $title\n";
	}

	/**
	 * Prints the summary line and exits.
	 */
	public static function finish() {
		if ( self::$failures ) {
			echo "# failed:\n#   ", implode( "\n#   ", self::$failures ), "\n";
		}
		echo self::$passed, ' passed, ', self::$failed, " failed\n";
		exit( self::$failed > 0 ? 1 : 0 );
	}
}
