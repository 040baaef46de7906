dnl Fastbeat for phpize: `phpize && ./configure && make && make install` in this
dnl directory builds the extension with cargo (release) and installs fastbeat.so into
dnl the extension directory of the PHP whose php-config configure used. This is the
dnl route PIE takes for a source build (composer.json: "build-path": "ext") and the
dnl one PECL takes. There is no C source: Makefile.frag runs cargo on the crate one
dnl directory up and copies its cdylib to modules/fastbeat.so, which Makefile.global's
dnl install-modules target copies to $(INSTALL_ROOT)$(EXTENSION_DIR).
dnl
dnl phpize builds every extension whose PHP_ARG_ENABLE it reads (PHP_ALWAYS_SHARED), so
dnl a plain `./configure` (what PIE runs when no option is given) enables fastbeat.

PHP_ARG_ENABLE([fastbeat],
  [whether to enable Fastbeat (native WordPress heartbeat handlers)],
  [AS_HELP_STRING([--enable-fastbeat],
    [Build Fastbeat with cargo (Rust >= 1.89 and libclang needed)])],
  [yes])

if test "$PHP_FASTBEAT" != "no"; then
  dnl The crate: this directory's parent holds Cargo.toml, Cargo.lock, build.rs, src/.
  FASTBEAT_ROOT=`cd "$abs_srcdir/.." && pwd`
  AC_MSG_CHECKING([for the Fastbeat crate])
  if test -f "$FASTBEAT_ROOT/Cargo.toml" && test -f "$FASTBEAT_ROOT/Cargo.lock" && test -d "$FASTBEAT_ROOT/src"; then
    AC_MSG_RESULT([$FASTBEAT_ROOT])
  else
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([$FASTBEAT_ROOT has no Cargo.toml, Cargo.lock and src/: run phpize in the ext/ directory of a complete Fastbeat source tree])
  fi

  dnl NTS only (composer.json: "support-zts": false). The answers keep per-process state.
  if test "$PHP_THREAD_SAFETY" = "yes"; then
    AC_MSG_ERROR([Fastbeat supports non-thread-safe (NTS) PHP only; $PHP_CONFIG reports a ZTS build])
  fi

  dnl cargo: PATH first, then rustup's default place (PIE may run with a reduced PATH).
  AC_PATH_PROG([FASTBEAT_CARGO], [cargo], [no], [$PATH:$HOME/.cargo/bin])
  if test "$FASTBEAT_CARGO" = "no"; then
    AC_MSG_ERROR([cargo not found. Fastbeat is written in Rust: install Rust >= 1.89 with rustup (https://rustup.rs; distribution packages are often older) so that cargo is on PATH or in ~/.cargo/bin, or install a prebuilt fastbeat.so instead (see README.md)])
  fi
  AC_MSG_CHECKING([cargo version])
  FASTBEAT_CARGO_VERSION=`"$FASTBEAT_CARGO" --version 2>/dev/null`
  AC_MSG_RESULT([$FASTBEAT_CARGO_VERSION])

  dnl bindgen (ext-php-rs's build script) loads libclang; without it the build fails late
  dnl with a long Rust backtrace, so say it here.
  AC_MSG_CHECKING([for libclang (bindgen)])
  fastbeat_libclang=""
  for fastbeat_dir in "$LIBCLANG_PATH" /usr/lib/llvm-*/lib /usr/lib64/llvm*/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
    for fastbeat_f in "$fastbeat_dir"/libclang.so "$fastbeat_dir"/libclang-*.so* "$fastbeat_dir"/libclang.so.*; do
      if test -z "$fastbeat_libclang" && test -f "$fastbeat_f"; then fastbeat_libclang="$fastbeat_f"; fi
    done
  done
  if test -n "$fastbeat_libclang"; then
    AC_MSG_RESULT([$fastbeat_libclang])
  else
    AC_MSG_RESULT([not found])
    AC_MSG_WARN([libclang not found: the build will fail unless LIBCLANG_PATH points at it (Debian/Ubuntu: apt-get install libclang-dev)])
  fi

  dnl cargo builds against the PHP configure was given (phpize: --with-php-config).
  FASTBEAT_PHP_CONFIG=`command -v "$PHP_CONFIG" 2>/dev/null`
  test -n "$FASTBEAT_PHP_CONFIG" || FASTBEAT_PHP_CONFIG="$PHP_CONFIG"
  fastbeat_php_version=`"$FASTBEAT_PHP_CONFIG" --version 2>/dev/null`
  AC_MSG_CHECKING([for the PHP cargo builds against])
  AC_MSG_RESULT([$PHP_EXECUTABLE, PHP $fastbeat_php_version ($FASTBEAT_PHP_CONFIG)])

  PHP_SUBST([FASTBEAT_ROOT])
  PHP_SUBST([FASTBEAT_CARGO])
  PHP_SUBST([FASTBEAT_PHP_CONFIG])
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/Makefile.frag])
fi
