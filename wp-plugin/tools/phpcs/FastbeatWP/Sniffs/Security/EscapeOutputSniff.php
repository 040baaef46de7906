<?php
/**
 * FastbeatWP.Security.EscapeOutput: a small, strict WordPress.Security.EscapeOutput.
 *
 * What echo, print and <?= output must be built only from string and number
 * literals and calls of escaping functions, joined with ".". Functions that
 * print unescaped text (_e(), printf() …) are not allowed at all.
 *
 * @package fastbeat
 */

namespace FastbeatWP\Sniffs\Security;

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
 * Checks output.
 */
final class EscapeOutputSniff implements Sniff {

	/**
	 * Functions whose result is safe to output.
	 *
	 * @var string[]
	 */
	public $escaping_functions = array(
		'esc_html',
		'esc_attr',
		'esc_url',
		'esc_js',
		'esc_textarea',
		'esc_html__',
		'esc_attr__',
		'esc_html_x',
		'esc_attr_x',
		'wp_kses',
		'wp_kses_post',
		'wp_kses_data',
		'absint',
		'intval',
		'number_format_i18n',
	);

	/**
	 * Functions that print their arguments unescaped, with the alternative.
	 *
	 * @var array<string, string>
	 */
	private $printing_functions = array(
		'_e'       => 'esc_html_e() or esc_attr_e()',
		'_ex'      => 'echo esc_html_x()',
		'printf'   => 'echo esc_html( sprintf() )',
		'vprintf'  => 'echo esc_html( vsprintf() )',
		'print_r'  => 'nothing: debugging output',
		'var_dump' => 'nothing: debugging output',
	);

	/**
	 * Tokens to listen for.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_ECHO, T_PRINT, T_OPEN_TAG_WITH_ECHO, T_STRING, T_EXIT );
	}

	/**
	 * Processes a token.
	 *
	 * @param File $file File.
	 * @param int  $ptr  Token.
	 * @return void
	 */
	public function process( File $file, $ptr ) {
		$tokens = $file->getTokens();
		$code   = $tokens[ $ptr ]['code'];

		if ( T_STRING === $code ) {
			$function = strtolower( $tokens[ $ptr ]['content'] );
			if ( isset( $this->printing_functions[ $function ] ) && false !== SniffHelper::call_opener( $file, $ptr ) ) {
				$file->addError( '%s() prints unescaped output; use %s.', $ptr, 'UnescapedFunction', array( $function, $this->printing_functions[ $function ] ) );
			}
			if ( 'wp_die' === $function ) {
				// wp_die() prints its message (and title) as HTML.
				$opener = SniffHelper::call_opener( $file, $ptr );
				$args   = false === $opener ? array() : SniffHelper::arguments( $file, $opener );
				foreach ( array_slice( $args, 0, 2 ) as $arg ) {
					$this->check_expression( $file, $arg['start'], $arg['end'] + 1 );
				}
			}
			return;
		}

		if ( T_EXIT === $code ) {
			// exit( 'message' ) and die( 'message' ) print their argument.
			$opener = $file->findNext( Tokens::$emptyTokens, $ptr + 1, null, true );
			if ( false === $opener || T_OPEN_PARENTHESIS !== $tokens[ $opener ]['code'] || ! isset( $tokens[ $opener ]['parenthesis_closer'] ) ) {
				return;
			}
			$closer = $tokens[ $opener ]['parenthesis_closer'];
			$first  = $file->findNext( Tokens::$emptyTokens, $opener + 1, $closer, true );
			if ( false === $first || T_LNUMBER === $tokens[ $first ]['code'] ) {
				return;
			}
			$this->check_expression( $file, $first, $closer );
			return;
		}

		$end = $file->findNext( array( T_SEMICOLON, T_CLOSE_TAG ), $ptr + 1 );
		if ( false === $end ) {
			return;
		}
		$this->check_expression( $file, $ptr + 1, $end );
	}

	/**
	 * Checks the tokens [$start, $end) of an output expression.
	 *
	 * @param File $file  File.
	 * @param int  $start First token.
	 * @param int  $end   Token after the expression.
	 * @return void
	 */
	private function check_expression( File $file, $start, $end ) {
		$tokens = $file->getTokens();
		$safe   = array(
			T_CONSTANT_ENCAPSED_STRING => true,
			T_LNUMBER                  => true,
			T_DNUMBER                  => true,
			T_STRING_CONCAT            => true,
			T_COMMA                    => true,
		);
		for ( $i = $start; $i < $end; $i++ ) {
			$token = $tokens[ $i ];
			if ( isset( Tokens::$emptyTokens[ $token['code'] ] ) || isset( $safe[ $token['code'] ] ) ) {
				continue;
			}
			if ( T_STRING === $token['code'] && in_array( strtolower( $token['content'] ), $this->escaping_functions, true ) ) {
				$opener = SniffHelper::call_opener( $file, $i );
				if ( false !== $opener ) {
					$i = $tokens[ $opener ]['parenthesis_closer'];
					continue;
				}
			}
			$file->addError( 'Output must be escaped: "%s" is not a literal or an escaping function call (%s).', $i, 'OutputNotEscaped', array( $token['content'], implode( ', ', $this->escaping_functions ) ) );
			return;
		}
	}
}
