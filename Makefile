# Fastbeat: native WordPress heartbeat handlers. Targets for root on Debian 12.
SHELL := /bin/bash
PREFIX_WP ?=
EXT_SO := target/release/libfastbeat.so

.PHONY: all setup build demo test install install-plugin uninstall down clean dist

all: build

setup:
	bash tools/setup.sh

build:
	cargo build --release --locked

# The main job: build, stand up WordPress with Fastbeat on 127.0.0.1, show it working.
demo:
	bash tools/demo.sh

# Every test: fmt, clippy, cargo test, phpt, plugin lint + tests, parity against core.
test:
	bash tools/test-all.sh

# Install into this machine's PHP (CLI and FPM) and, with WP=/path/to/wordpress, the plugin.
install: build
	bash tools/install.sh install "$(WP)"

uninstall:
	bash tools/install.sh uninstall "$(WP)"

down:
	bash testbed/down.sh

# Release artifacts in dist/: fastbeat.so for PHP 8.2 and 8.4 under PIE's asset names,
# the plugin zip, SHA256SUMS, BUILDINFO.txt (tools/dist.sh).
dist:
	bash tools/dist.sh

clean:
	cargo clean
