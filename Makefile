# v8snap: `make demo` runs the main job on the default manifest; `make test` runs every test.
# Both install what is missing first (tools/install_deps.sh is a no-op when all is there).

OUT ?= out/release
GN_ARGS ?= is_debug=false
NINJA_JOBS ?= $(shell nproc)

.PHONY: all deps build demo test test-asan test-tsan fuzz bench install clean \
  demo-v8-13 test-v8-13 bench-v8-13

all: build

deps:
	@bash tools/install_deps.sh

$(OUT)/build.ninja: deps
	@gn gen $(OUT) --args='$(GN_ARGS)' >/dev/null

# Builds the three tools, the default snapshot and every test binary.
build: deps $(OUT)/build.ninja
	@ninja -C $(OUT) -j $(NINJA_JOBS)

demo: build
	@bash tools/demo.sh $(OUT)

# Ends with "N passed, N failed"; exits non-zero if anything failed.
test: build
	@bash tools/install_deps.sh --test
	@bash tools/run_tests.sh $(OUT)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (out/asan). The options
# apply to the build too: it runs the instrumented snapshot_builder to make the default snapshot.
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tools/lsan_suppressions.txt \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
test-asan: deps
	@bash tools/install_deps.sh --test
	@gn gen out/asan --args='use_asan=true' >/dev/null
	@$(ASAN_ENV) ninja -C out/asan -j $(NINJA_JOBS)
	@$(ASAN_ENV) bash tools/run_tests.sh out/asan

# Everything that runs on more than one thread, under ThreadSanitizer (out/tsan): many isolates
# at once, the runtime pool's maker thread, and through snapshot_run the async-op thread pool
# and the --timeout-ms watchdog.
TSAN_ENV = TSAN_OPTIONS=suppressions=$(CURDIR)/tools/tsan_suppressions.txt:halt_on_error=1
test-tsan: deps
	@gn gen out/tsan --args='use_tsan=true' >/dev/null
	@$(TSAN_ENV) ninja -C out/tsan -j $(NINJA_JOBS) tests:concurrency_tests \
	  runtime:runtime_pool_tests tests:runtime_tests
	@$(TSAN_ENV) V8SNAP_STRESS_SCALE=10 bash tools/run_tests.sh out/tsan

# libFuzzer on every parser of untrusted bytes, FUZZ_SECONDS (default 60) per target.
fuzz:
	@bash tools/fuzz.sh

# The tools, static libraries, headers, libnode and pkg-config files, for projects that embed
# v8snap (docs/embedding.md): make install PREFIX=$HOME/.local
PREFIX ?= /usr/local
install: build
	@bash tools/install.sh --out $(OUT) --prefix $(abspath $(PREFIX)) $(if $(DESTDIR),--destdir $(DESTDIR))

# The benchmark suite (bench/run_bench.sh, docs/performance.md) in its own build folder: prints
# the table of ratios and writes $(BENCH_OUT)/summary.json. Takes about seven minutes.
BENCH_OUT ?= out/bench
bench:
	@bash tools/install_deps.sh --bench
	@gn gen $(BENCH_OUT) --args='$(GN_ARGS)' >/dev/null
	@ninja -C $(BENCH_OUT) -j $(NINJA_JOBS) bench
	@bash bench/run_bench.sh $(BENCH_OUT)

# The same on V8 13.6 (Node 24's libnode137), built and run in a Debian unstable root made in
# third_party/sid-root (tools/sid_root.sh, about a minute the first time; docs/v8_versions.md).
# Each prints one SKIPPED line instead when unstable's packages cannot be installed.
demo-v8-13:
	@bash tools/v8_13.sh demo

test-v8-13:
	@bash tools/v8_13.sh test

bench-v8-13:
	@bash tools/v8_13.sh bench

clean:
	rm -rf out
