--TEST--
input: unslashing a hashed data array keeps its collision chains intact (regression)
--DESCRIPTION--
Regression test for a hang found by the parity suite (autosave of another user's
draft). wp_unslash() on a data array whose values carry slashes makes the extension
build a new array and store new values in its buckets. A bucket's zval also holds the
hash collision chain (u2.next); overwriting the whole zval broke chains, and a lookup
then looped forever inside zend_hash_find(). Here 48 slashed values, then many
lookups (present and missing keys) from a heartbeat_received callback: with the bug
this hangs until max_execution_time; fixed, every lookup answers.
--EXTENSIONS--
fastbeat
--INI--
max_execution_time=10
--POST--
action=heartbeat&data[key0]=it%27s+0&data[key1]=it%27s+1&data[key2]=it%27s+2&data[key3]=it%27s+3&data[key4]=it%27s+4&data[key5]=it%27s+5&data[key6]=it%27s+6&data[key7]=it%27s+7&data[key8]=it%27s+8&data[key9]=it%27s+9&data[key10]=it%27s+10&data[key11]=it%27s+11&data[key12]=it%27s+12&data[key13]=it%27s+13&data[key14]=it%27s+14&data[key15]=it%27s+15&data[key16]=it%27s+16&data[key17]=it%27s+17&data[key18]=it%27s+18&data[key19]=it%27s+19&data[key20]=it%27s+20&data[key21]=it%27s+21&data[key22]=it%27s+22&data[key23]=it%27s+23&data[key24]=it%27s+24&data[key25]=it%27s+25&data[key26]=it%27s+26&data[key27]=it%27s+27&data[key28]=it%27s+28&data[key29]=it%27s+29&data[key30]=it%27s+30&data[key31]=it%27s+31&data[key32]=it%27s+32&data[key33]=it%27s+33&data[key34]=it%27s+34&data[key35]=it%27s+35&data[key36]=it%27s+36&data[key37]=it%27s+37&data[key38]=it%27s+38&data[key39]=it%27s+39&data[key40]=it%27s+40&data[key41]=it%27s+41&data[key42]=it%27s+42&data[key43]=it%27s+43&data[key44]=it%27s+44&data[key45]=it%27s+45&data[key46]=it%27s+46&data[key47]=it%27s+47
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter(
	'heartbeat_received',
	function ( $r, $d ) {
		$found = 0;
		for ( $i = 0; $i < 500; $i++ ) {
			$found += array_key_exists( "key$i", $d ) ? 1 : 0;
			$found += isset( $d[ "missing$i" ] ) ? 1 : 0;
		}
		$r['found'] = $found;
		$r['k7'] = $d['key7'];
		return $r;
	},
	10,
	2
);
fb_compare();
fb_run();
--EXPECTF--
%A[body %d] {"found":48,"k7":"it's 7","wp-auth-check":true,"server_time":%d}
%A[compare] fastbeat identical
%A[body %d] {"found":48,"k7":"it's 7","wp-auth-check":true,"server_time":%d}
%A
