<?php
/**
 * Benchmark floor: the cheapest PHP answer php-fpm can give, a JSON literal shaped like a
 * heartbeat response. No WordPress, no database. bench/bench.py uses it when the test bed
 * serves it at /__fastbeat-testbed/floor.php (falls back to the test bed probe otherwise).
 */
header( 'Content-Type: application/json; charset=UTF-8' );
echo '{"wp-auth-check":true,"server_time":1700000000}';
