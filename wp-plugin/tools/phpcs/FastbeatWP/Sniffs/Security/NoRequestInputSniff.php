<?php
/**
 * FastbeatWP.Security.NoRequestInput: the plugin never reads request input itself.
 *
 * WordPress's own APIs (check_admin_referer(), wp_get_referer() …) validate
 * and sanitize what they read; Fastbeat has no reason to touch the
 * superglobals directly, so any use is an error. This stands in for
 * WordPress.Security.ValidatedSanitizedInput and NonceVerification.
 *
 * @package fastbeat
 */

namespace FastbeatWP\Sniffs\Security;

use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Sniffs\Sniff;

// Only PHP_CodeSniffer loads this file; a web request for it does nothing.
if ( ! interface_exists( 'PHP_CodeSniffer\Sniffs\Sniff' ) ) {
	return;
}

/**
 * Flags request superglobals.
 */
final class NoRequestInputSniff implements Sniff {

	/**
	 * Superglobals holding request input.
	 *
	 * @var string[]
	 */
	private $superglobals = array( '$_GET', '$_POST', '$_REQUEST', '$_COOKIE', '$_FILES', '$_SERVER', '$_ENV' );

	/**
	 * Tokens to listen for.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_VARIABLE );
	}

	/**
	 * Processes a token.
	 *
	 * @param File $file File.
	 * @param int  $ptr  T_VARIABLE token.
	 * @return void
	 */
	public function process( File $file, $ptr ) {
		$tokens = $file->getTokens();
		if ( in_array( $tokens[ $ptr ]['content'], $this->superglobals, true ) ) {
			$file->addError( 'Do not read %s directly; use a WordPress API that validates and sanitizes it.', $ptr, 'Found', array( $tokens[ $ptr ]['content'] ) );
		}
	}
}
