# Fastbeat (see config.m4). `make` runs cargo and copies its cdylib to
# modules/fastbeat.so; `make install` (Makefile.global's install-modules) copies
# modules/* to $(INSTALL_ROOT)$(EXTENSION_DIR) and never runs cargo when the module
# is already built: PIE may run that step under sudo, where cargo is not on PATH.
#
# CARGO_TARGET_DIR, when set, is where cargo builds (e.g. a target directory shared
# with other builds); otherwise target/ next to Cargo.toml.

FASTBEAT_TARGET_DIR = $(if $(CARGO_TARGET_DIR),$(CARGO_TARGET_DIR),$(FASTBEAT_ROOT)/target)
FASTBEAT_MODULE = $(phplibdir)/fastbeat.so

all: fastbeat-cargo
install-modules: $(FASTBEAT_MODULE)

# cargo decides what is stale; the copy only happens when its output changed.
fastbeat-cargo:
	+PHP="$(PHP_EXECUTABLE)" PHP_CONFIG="$(FASTBEAT_PHP_CONFIG)" "$(FASTBEAT_CARGO)" build \
		--release --locked --lib --manifest-path "$(FASTBEAT_ROOT)/Cargo.toml" \
		--target-dir "$(FASTBEAT_TARGET_DIR)"
	@mkdir -p "$(phplibdir)"
	@if ! cmp -s "$(FASTBEAT_TARGET_DIR)/release/libfastbeat.so" "$(FASTBEAT_MODULE)"; then \
		echo "cp $(FASTBEAT_TARGET_DIR)/release/libfastbeat.so $(FASTBEAT_MODULE)"; \
		cp "$(FASTBEAT_TARGET_DIR)/release/libfastbeat.so" "$(FASTBEAT_MODULE)"; \
	fi

$(FASTBEAT_MODULE):
	$(MAKE) fastbeat-cargo

.PHONY: fastbeat-cargo
