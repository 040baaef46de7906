--TEST--
fastbeat: extension loaded, functions and version
--DESCRIPTION--
The whole suite is meaningless if the extension is not loaded: this checks the
module, its three functions (internal, declared by the fastbeat module, with the
return types of the design contract) and that fastbeat_version() agrees with the
module version that `php --ri fastbeat` reports.
--EXTENSIONS--
fastbeat
--CGI--
--FILE--
<?php
var_dump( extension_loaded( 'fastbeat' ) );
foreach ( array( 'fastbeat_heartbeat', 'fastbeat_nopriv_heartbeat', 'fastbeat_version' ) as $f ) {
	$r = new ReflectionFunction( $f );
	echo $f, ': internal=', var_export( $r->isInternal(), true ), ' extension=', $r->getExtensionName(),
		' returns=', (string) $r->getReturnType(), ' required-params=', $r->getNumberOfRequiredParameters(), "\n";
}
$v = fastbeat_version();
var_dump( is_string( $v ), 1 === preg_match( '/^\d+\.\d+\.\d+/', $v ) );
var_dump( $v === ( new ReflectionExtension( 'fastbeat' ) )->getVersion() );
--EXPECTF--
bool(true)
fastbeat_heartbeat: internal=true extension=fastbeat returns=void required-params=0
fastbeat_nopriv_heartbeat: internal=true extension=fastbeat returns=void required-params=0
fastbeat_version: internal=true extension=fastbeat returns=string required-params=0
bool(true)
bool(true)
bool(true)
