<?php
/**
 * FastbeatWP.NamingConventions.PrefixAllGlobals: a small WordPress.NamingConventions.PrefixAllGlobals.
 *
 * Global functions, classes, constants (define()), global variables and hook
 * names must carry the plugin's prefix, so the plugin can never collide with
 * WordPress, other plugins or the fastbeat extension's own functions.
 *
 * @package fastbeat
 */

namespace FastbeatWP\Sniffs\NamingConventions;

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
 * Checks prefixes of everything a plugin adds to the global scope.
 */
final class PrefixAllGlobalsSniff implements Sniff {

	/**
	 * Prefix of global function names.
	 *
	 * @var string
	 */
	public $function_prefix = 'fastbeat_plugin_';

	/**
	 * Prefix of class, interface and trait names (compared case-insensitively).
	 *
	 * @var string
	 */
	public $class_prefix = 'Fastbeat_Plugin_';

	/**
	 * Prefix of constants created with define().
	 *
	 * @var string
	 */
	public $constant_prefix = 'FASTBEAT_';

	/**
	 * Prefix of hook names fired with do_action() / apply_filters(), and of global variables.
	 *
	 * @var string
	 */
	public $hook_prefix = 'fastbeat_';

	/**
	 * WordPress constants a plugin may define (WPCS's list, abridged): request
	 * context flags and configuration that core reads.
	 *
	 * @var string[]
	 */
	public $allowed_core_constants = array(
		'DOING_AJAX',
		'DOING_AUTOSAVE',
		'DOING_CRON',
		'DONOTCACHEPAGE',
		'DONOTCACHEDB',
		'DONOTCACHEOBJECT',
		'IFRAME_REQUEST',
		'REST_REQUEST',
		'SHORTINIT',
		'WP_ADMIN',
		'WP_BLOG_ADMIN',
		'WP_INSTALLING',
		'WP_NETWORK_ADMIN',
		'WP_USER_ADMIN',
		'WP_USE_THEMES',
		'XMLRPC_REQUEST',
	);

	/**
	 * Variables that belong to WordPress or PHP.
	 *
	 * @var string[]
	 */
	private $allowed_variables = array( '$this', '$wpdb', '$wp_filter', '$GLOBALS', '$_GET', '$_POST', '$_REQUEST', '$_COOKIE', '$_FILES', '$_SERVER', '$_ENV', '$_SESSION' );

	/**
	 * Tokens to listen for.
	 *
	 * @return int[]
	 */
	public function register() {
		return array( T_FUNCTION, T_CLASS, T_INTERFACE, T_TRAIT, T_STRING, T_VARIABLE );
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
		if ( false !== $file->findPrevious( T_NAMESPACE, $ptr ) && T_STRING !== $tokens[ $ptr ]['code'] ) {
			return; // Namespaced declarations are not global.
		}
		switch ( $tokens[ $ptr ]['code'] ) {
			case T_FUNCTION:
				if ( $this->in_class_or_function( $file, $ptr ) ) {
					return;
				}
				$name = $file->getDeclarationName( $ptr );
				if ( null !== $name && 0 !== strpos( $name, $this->function_prefix ) ) {
					$file->addError( 'Global function "%s" must start with "%s".', $ptr, 'Function', array( $name, $this->function_prefix ) );
				}
				return;

			case T_CLASS:
			case T_INTERFACE:
			case T_TRAIT:
				$name = $file->getDeclarationName( $ptr );
				if ( null !== $name && 0 !== stripos( $name, $this->class_prefix ) ) {
					$file->addError( 'Class, interface or trait "%s" must start with "%s".', $ptr, 'Class', array( $name, $this->class_prefix ) );
				}
				return;

			case T_VARIABLE:
				$this->process_variable( $file, $ptr );
				return;

			default:
				$this->process_call( $file, $ptr );
		}
	}

	/**
	 * Whether a token is inside a class-like structure, a function or a closure.
	 *
	 * @param File $file File.
	 * @param int  $ptr  Token.
	 * @return bool
	 */
	private function in_class_or_function( File $file, $ptr ) {
		return $file->hasCondition( $ptr, array( T_CLASS, T_INTERFACE, T_TRAIT, T_ANON_CLASS, T_FUNCTION, T_CLOSURE ) );
	}

	/**
	 * Global variables assigned at file scope must be prefixed.
	 *
	 * @param File $file File.
	 * @param int  $ptr  T_VARIABLE token.
	 * @return void
	 */
	private function process_variable( File $file, $ptr ) {
		$tokens = $file->getTokens();
		$name   = $tokens[ $ptr ]['content'];
		if ( in_array( $name, $this->allowed_variables, true ) || $this->in_class_or_function( $file, $ptr ) ) {
			return;
		}
		$next = $file->findNext( Tokens::$emptyTokens, $ptr + 1, null, true );
		if ( false === $next || T_DOUBLE_ARROW === $tokens[ $next ]['code'] || ! isset( Tokens::$assignmentTokens[ $tokens[ $next ]['code'] ] ) ) {
			return;
		}
		if ( 0 !== strpos( $name, '$' . $this->hook_prefix ) ) {
			$file->addError( 'Global variable "%s" must start with "$%s".', $ptr, 'Variable', array( $name, $this->hook_prefix ) );
		}
	}

	/**
	 * Constants from define() and hooks fired by the plugin must be prefixed.
	 *
	 * @param File $file File.
	 * @param int  $ptr  T_STRING token.
	 * @return void
	 */
	private function process_call( File $file, $ptr ) {
		$tokens   = $file->getTokens();
		$function = strtolower( $tokens[ $ptr ]['content'] );
		$checks   = array(
			'define'                  => array( $this->constant_prefix, 'Constant' ),
			'do_action'               => array( $this->hook_prefix, 'Hook' ),
			'do_action_ref_array'     => array( $this->hook_prefix, 'Hook' ),
			'apply_filters'           => array( $this->hook_prefix, 'Hook' ),
			'apply_filters_ref_array' => array( $this->hook_prefix, 'Hook' ),
		);
		if ( ! isset( $checks[ $function ] ) ) {
			return;
		}
		$opener = SniffHelper::call_opener( $file, $ptr );
		if ( false === $opener ) {
			return;
		}
		$args = SniffHelper::arguments( $file, $opener );
		if ( ! $args ) {
			return;
		}
		list( $prefix, $code ) = $checks[ $function ];
		$name                  = SniffHelper::literal( $file, $args[0] );
		if ( null === $name ) {
			$file->addWarning( 'The name passed to %s() should be a string literal, so its prefix can be checked.', $ptr, $code . 'NotLiteral', array( $function ) );
		} elseif ( 0 !== strpos( $name, $prefix ) && ! ( 'Constant' === $code && in_array( $name, $this->allowed_core_constants, true ) ) ) {
			$file->addError( '"%s" passed to %s() must start with "%s".', $ptr, $code, array( $name, $function, $prefix ) );
		}
	}
}
