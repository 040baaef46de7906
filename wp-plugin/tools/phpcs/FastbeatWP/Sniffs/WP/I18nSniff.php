<?php
/**
 * FastbeatWP.WP.I18n: a small WordPress.WP.I18n.
 *
 * Every gettext call passes the plugin's text domain as a string literal,
 * translatable text is a single string literal, and text with placeholders has
 * a "translators:" comment right before the call.
 *
 * @package fastbeat
 */

namespace FastbeatWP\Sniffs\WP;

use FastbeatWP\Sniffs\SniffHelper;
use PHP_CodeSniffer\Files\File;
use PHP_CodeSniffer\Sniffs\Sniff;
use PHP_CodeSniffer\Util\Tokens;

// Only PHP_CodeSniffer loads this file; a web request for it does nothing.
if ( ! interface_exists( 'PHP_CodeSniffer\Sniffs\Sniff' ) ) {
	return;
}

require_once dirname( __DIR__ ) . '/SniffHelper.php';

/**
 * Checks gettext calls.
 */
final class I18nSniff implements Sniff {

	/**
	 * The text domain every call must pass.
	 *
	 * @var string
	 */
	public $text_domain = 'fastbeat';

	/**
	 * Gettext functions: name => list of argument roles, in order.
	 *
	 * @var array<string, string[]>
	 */
	private $functions = array(
		'__'         => array( 'text', 'domain' ),
		'_e'         => array( 'text', 'domain' ),
		'_x'         => array( 'text', 'context', 'domain' ),
		'_ex'        => array( 'text', 'context', 'domain' ),
		'_n'         => array( 'single', 'plural', 'number', 'domain' ),
		'_nx'        => array( 'single', 'plural', 'number', 'context', 'domain' ),
		'_n_noop'    => array( 'single', 'plural', 'domain' ),
		'_nx_noop'   => array( 'single', 'plural', 'context', 'domain' ),
		'esc_html__' => array( 'text', 'domain' ),
		'esc_html_e' => array( 'text', 'domain' ),
		'esc_html_x' => array( 'text', 'context', 'domain' ),
		'esc_attr__' => array( 'text', 'domain' ),
		'esc_attr_e' => array( 'text', 'domain' ),
		'esc_attr_x' => array( 'text', 'context', 'domain' ),
	);

	/**
	 * Tokens to listen for.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_STRING );
	}

	/**
	 * Processes a token.
	 *
	 * @param File $file File.
	 * @param int  $ptr  T_STRING token.
	 * @return void
	 */
	public function process( File $file, $ptr ) {
		$tokens   = $file->getTokens();
		$function = strtolower( $tokens[ $ptr ]['content'] );
		if ( ! isset( $this->functions[ $function ] ) ) {
			return;
		}
		$opener = SniffHelper::call_opener( $file, $ptr );
		if ( false === $opener ) {
			return;
		}
		$roles = $this->functions[ $function ];
		$args  = SniffHelper::arguments( $file, $opener );
		if ( count( $args ) !== count( $roles ) ) {
			$file->addError( '%s() expects %d arguments, the last being the text domain "%s"; found %d.', $ptr, 'ArgumentCount', array( $function, count( $roles ), $this->text_domain, count( $args ) ) );
			return;
		}
		$placeholders = false;
		foreach ( $roles as $i => $role ) {
			$value = SniffHelper::literal( $file, $args[ $i ] );
			if ( 'number' === $role ) {
				continue;
			}
			if ( 'domain' === $role ) {
				if ( $value !== $this->text_domain ) {
					$file->addError( '%s() must use the text domain "%s" as a string literal.', $args[ $i ]['start'], 'TextDomain', array( $function, $this->text_domain ) );
				}
				continue;
			}
			if ( null === $value ) {
				$file->addError( 'The %s passed to %s() must be a single string literal, so it can be extracted for translation.', $args[ $i ]['start'], 'NonLiteral', array( $role, $function ) );
				continue;
			}
			if ( '' === $value ) {
				$file->addError( 'The %s passed to %s() is empty.', $args[ $i ]['start'], 'Empty', array( $role, $function ) );
			}
			if ( 'context' !== $role && preg_match( '/%(?:\d+\$)?[-+ 0\'.\d]*[bcdeEfFgGosuxX]/', str_replace( '%%', '', $value ) ) ) {
				$placeholders = true;
			}
		}
		if ( $placeholders && ! $this->has_translators_comment( $file, $ptr ) ) {
			$file->addError( 'Text with placeholders needs a "/* translators: … */" comment on the line before the %s() call.', $ptr, 'MissingTranslatorsComment', array( $function ) );
		}
	}

	/**
	 * Whether a "translators:" comment ends on the line before the call, or only
	 * whitespace separates such a comment from the call's line.
	 *
	 * @param File $file File.
	 * @param int  $ptr  The gettext call.
	 * @return bool
	 */
	private function has_translators_comment( File $file, $ptr ) {
		$tokens  = $file->getTokens();
		$comment = $file->findPrevious( Tokens::$commentTokens, $ptr - 1 );
		if ( false === $comment ) {
			return false;
		}
		$placed = $tokens[ $comment ]['line'] + 1 === $tokens[ $ptr ]['line'];
		if ( ! $placed ) {
			$next   = $file->findNext( T_WHITESPACE, $comment + 1, $ptr, true );
			$placed = false === $next || $tokens[ $next ]['line'] === $tokens[ $ptr ]['line'];
		}
		if ( ! $placed ) {
			return false;
		}
		// Collect the whole comment (a doc block or consecutive // lines).
		$text  = '';
		$start = $comment;
		while ( $start >= 0 && ( isset( Tokens::$commentTokens[ $tokens[ $start ]['code'] ] ) || T_WHITESPACE === $tokens[ $start ]['code'] ) ) {
			$text = $tokens[ $start ]['content'] . $text;
			--$start;
		}
		return (bool) preg_match( '/translators:/i', $text );
	}
}
