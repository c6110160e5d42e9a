# v8snap: `make demo` runs the main job on the default manifest; `make test` runs every test.
# Both install what is missing first (tools/install_deps.sh is a no-op when all is there).

OUT ?= out/release
GN_ARGS ?= is_debug=false
NINJA_JOBS ?= $(shell nproc)

.PHONY: all deps build demo test bench clean

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
	@bash tools/run_tests.sh $(OUT)

clean:
	rm -rf out
