<?php
/**
 * Helpers shared by the FastbeatWP sniffs.
 *
 * @package fastbeat
 */

namespace FastbeatWP\Sniffs;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Util\Tokens;

// Only PHP_CodeSniffer loads this file; a web request for it does nothing.
if ( ! interface_exists( 'PHP_CodeSniffer\Sniffs\Sniff' ) ) {
	return;
}

/**
 * Token helpers.
 */
final class SniffHelper {

	/**
	 * If the T_STRING at $ptr is a call of a global function, the opening parenthesis.
	 *
	 * @param File $file File.
	 * @param int  $ptr  T_STRING token.
	 * @return int|false
	 */
	public static function call_opener( File $file, $ptr ) {
		$tokens = $file->getTokens();
		$next   = $file->findNext( Tokens::$emptyTokens, $ptr + 1, null, true );
		if ( false === $next || T_OPEN_PARENTHESIS !== $tokens[ $next ]['code'] || ! isset( $tokens[ $next ]['parenthesis_closer'] ) ) {
			return false;
		}
		$prev = $file->findPrevious( Tokens::$emptyTokens, $ptr - 1, null, true );
		if ( false !== $prev ) {
			$not_global = array( T_OBJECT_OPERATOR, T_NULLSAFE_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION, T_NEW, T_CONST );
			if ( in_array( $tokens[ $prev ]['code'], $not_global, true ) ) {
				return false;
			}
			if ( T_NS_SEPARATOR === $tokens[ $prev ]['code'] ) {
				$before = $file->findPrevious( Tokens::$emptyTokens, $prev - 1, null, true );
				if ( false !== $before && T_STRING === $tokens[ $before ]['code'] ) {
					return false; // Namespaced call.
				}
			}
		}
		return $next;
	}

	/**
	 * Splits a call's arguments at top-level commas.
	 *
	 * @param File $file   File.
	 * @param int  $opener Opening parenthesis.
	 * @return array<int, array{start: int, end: int}> Non-empty token ranges, one per argument.
	 */
	public static function arguments( File $file, $opener ) {
		$tokens = $file->getTokens();
		$closer = $tokens[ $opener ]['parenthesis_closer'];
		$args   = array();
		$start  = $opener + 1;
		for ( $i = $opener + 1; $i <= $closer; $i++ ) {
			if ( $i < $closer ) {
				if ( isset( $tokens[ $i ]['parenthesis_closer'] ) && $tokens[ $i ]['parenthesis_closer'] > $i ) {
					$i = $tokens[ $i ]['parenthesis_closer'];
					continue;
				}
				if ( isset( $tokens[ $i ]['bracket_closer'] ) && $tokens[ $i ]['bracket_closer'] > $i ) {
					$i = $tokens[ $i ]['bracket_closer'];
					continue;
				}
				if ( T_COMMA !== $tokens[ $i ]['code'] ) {
					continue;
				}
			}
			$first = $file->findNext( Tokens::$emptyTokens, $start, $i, true );
			if ( false !== $first ) {
				$last   = $file->findPrevious( Tokens::$emptyTokens, $i - 1, $first, true );
				$args[] = array(
					'start' => $first,
					'end'   => false === $last ? $first : $last,
				);
			}
			$start = $i + 1;
		}
		return $args;
	}

	/**
	 * The value of an argument that is a single plain string literal.
	 *
	 * @param File  $file File.
	 * @param array $arg  Range from arguments().
	 * @return string|null Null when the argument is anything else.
	 */
	public static function literal( File $file, array $arg ) {
		$tokens = $file->getTokens();
		if ( $arg['start'] !== $arg['end'] || T_CONSTANT_ENCAPSED_STRING !== $tokens[ $arg['start'] ]['code'] ) {
			return null;
		}
		$content = $tokens[ $arg['start'] ]['content'];
		$quote   = $content[0];
		$inner   = substr( $content, 1, -1 );
		if ( "'" === $quote ) {
			return str_replace( array( "\\\\", "\\'" ), array( "\\", "'" ), $inner );
		}
		return stripcslashes( $inner );
	}
}
