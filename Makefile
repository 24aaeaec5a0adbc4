# pollscope: the two commands are `make run` and `make test`. Everything else is
# for developers. Every target installs missing Debian packages first.
.PHONY: all deps build run test test-all test-unit test-asan test-go test-clang test-cross test-web test-portable test-tsan bench bench-viewer-10m bench-echo fuzz soak soak-load format clean traces web web-serve web-bench

BUILD      ?= build
JOBS       ?= $(shell nproc)
GENERATOR  := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
SCENARIO   ?= scenarios/echo.json
OUT        ?= $(BUILD)/out

all: build

deps:
	@tools/install-deps

# configure + build one tree: $(call build_tree,DIR,EXTRA_CMAKE_ARGS)
define build_tree
	@cmake -S . -B $(1) -G "$(GENERATOR)" $(2) >/dev/null
	@cmake --build $(1) -j $(JOBS)
endef

build: deps
	$(call build_tree,$(BUILD),-DCMAKE_BUILD_TYPE=RelWithDebInfo)

# The main job: the viewer on the default classroom scenario. Without a display it
# says so and runs the scenario headless: trace, narrated transcript and diagrams.
run: build
	@mkdir -p $(OUT)
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
	  $(BUILD)/bin/pollscope-gui $(SCENARIO); \
	else \
	  echo "make run: no display (DISPLAY is not set), so running the scenario headless instead of opening the viewer"; \
	  $(BUILD)/bin/pollscope run $(SCENARIO) -o $(OUT)/echo.trace.json --explain && \
	  $(BUILD)/bin/pollscope export mermaid-sequence $(OUT)/echo.trace.json -o $(OUT)/echo.sequence.mmd && \
	  $(BUILD)/bin/pollscope export mermaid-state $(OUT)/echo.trace.json -o $(OUT)/echo.state.mmd && \
	  $(BUILD)/bin/pollscope export chrome $(OUT)/echo.trace.json -o $(OUT)/echo.perfetto.json && \
	  echo "make run: wrote $(OUT)/echo.trace.json, echo.sequence.mmd, echo.state.mmd and echo.perfetto.json"; \
	fi

# Every test, as CI runs it: the normal build (g++) and its tests (the engine against
# the real Go runtime included); one clang 14 tree (every target with -Werror, the
# engine tests under ASan+UBSan, the four fuzzers for FUZZ_SECONDS each); the engine
# tests built with the macOS/BSD fallbacks (portable); and the CLI cross-compiled and
# linked for macOS on arm64 and x86_64; and the web page, built with Emscripten,
# in headless chromium (docs/development.md says what each costs).
test: test-unit test-clang test-portable test-cross test-web

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE 'cross|web'

# Everything: make test, the g++ ASan tree and ThreadSanitizer.
test-all: test test-asan test-tsan

# Just the engine against the real Go runtime, scenario by scenario (pollscope
# compare-go; part of make test). Go's own blocking order varies from run to run, so
# compare-go runs each Go program up to 3 times and tells that from a fidelity gap.
test-go: build
	cd $(BUILD) && ctest --output-on-failure -R '^go\.compare_'

test-asan: deps
	@grep -qs 'CMAKE_CXX_COMPILER:.*clang++-14' build-asan/CMakeCache.txt && rm -rf build-asan || true  # was a clang tree
	$(call build_tree,build-asan,-DCMAKE_BUILD_TYPE=Debug -DPOLLSCOPE_SANITIZE=address -DPOLLSCOPE_BENCHMARKS=OFF)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L engine

# One clang 14 tree: every target built with clang -Werror, the engine tests under
# ASan+UBSan, and the four libFuzzer targets run for FUZZ_SECONDS each (trace
# reader, scenario parser, lesson reader, scenario runner), each reporting its corpus.
CLANG_TREE := -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 \
  -DPOLLSCOPE_SANITIZE=address -DPOLLSCOPE_FUZZ=ON -DPOLLSCOPE_BENCHMARKS=OFF
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
FUZZ_SECONDS ?= 15
test-clang: deps
	$(call build_tree,build-clang,$(CLANG_TREE) -DFUZZ_SECONDS=$(FUZZ_SECONDS))
	cd build-clang && $(ASAN_ENV) ctest --output-on-failure -j $(JOBS) -L engine

# The macOS cross builds (tools/cross-macos, label "cross") and the web page in
# headless chromium (label "web").
test-cross: build
	cd $(BUILD) && ctest --output-on-failure -L cross

test-web: build web
	cd $(BUILD) && ctest --output-on-failure -L web

# The macOS/BSD code paths on Linux: pipe wakeup, accept + fcntl, socket + fcntl,
# no MAP_POPULATE, path-named Unix sockets (POLLSCOPE_PORTABLE, platform/platform.hpp).
# Only the test programs that run the engine are built there (not the viewer, the
# CLI tests or the benchmarks); ctest -L engine skips the targets not built.
PORTABLE_TARGETS := engine_tests scenario_tests live_gate_tests export_tests format_tests
test-portable: deps
	@cmake -S . -B build-portable -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOLLSCOPE_PORTABLE=ON \
	  -DPOLLSCOPE_BENCHMARKS=OFF >/dev/null
	@cmake --build build-portable -j $(JOBS) --target $(PORTABLE_TARGETS)
	cd build-portable && ctest --output-on-failure -j $(JOBS) -L engine -LE fuzz

test-tsan: deps
	$(call build_tree,build-tsan,-DCMAKE_BUILD_TYPE=Debug -DPOLLSCOPE_SANITIZE=thread -DPOLLSCOPE_BENCHMARKS=OFF)
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ctest --output-on-failure -j $(JOBS) -L engine

# The web page (docs/web.md): the viewer compiled with Emscripten into $(WEB_OUT),
# a static site. ImGui's sources come from Debian's source package
# (tools/fetch-imgui-source, run by deps).
WEB_OUT    := $(BUILD)/web
WEB_TREE   := $(BUILD)/web-cmake
WEB_PORT   ?= 8000
WEB_ENV    := NODE_PATH=/usr/share/nodejs
# ccache caches em++ like any compiler (as the desktop trees use it), so a rebuild,
# or a fresh clone on the same machine, compiles only what changed.
WEB_CCACHE := $(shell command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
web: deps
	@$(WEB_ENV) emcmake cmake -S viz/web -B $(WEB_TREE) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=Release \
	  -DIMGUI_DIR=$(CURDIR)/.cache/imgui/imgui-1.86 -DWEB_OUT=$(CURDIR)/$(WEB_OUT) $(WEB_CCACHE) >/dev/null
	@$(WEB_ENV) cmake --build $(WEB_TREE) -j $(JOBS)
	@echo "make web: $(WEB_OUT) ($$(du -sh $(WEB_OUT) | cut -f1)); serve it with make web-serve"

# The page on http://127.0.0.1:$(WEB_PORT)/ (any static file server will do).
web-serve: web
	@echo "make web-serve: http://127.0.0.1:$(WEB_PORT)/  (Ctrl+C stops it)"
	cd $(WEB_OUT) && python3 -m http.server --bind 127.0.0.1 $(WEB_PORT)

# The web page's figures (docs/performance.md#web-page): a million-event trace's
# load, and frame times at 1920x1080, in headless chromium with swiftshader.
web-bench: build web
	@$(MAKE) --no-print-directory $(BENCH_TRACE)
	PUPPETEER_CORE=$(CURDIR)/tools/mermaid/node_modules/puppeteer-core SOURCE_DIR=$(CURDIR) \
	  node tests/web/browser_test.mjs bench $(WEB_OUT) $(BUILD)/web-bench $(BENCH_TRACE)

# Golden traces: one per scenario, what the engine records today (tests compare them).
traces: build
	@for f in scenarios/*.json; do \
	  n=$$(basename $$f .json); \
	  grep -q '"serve": true' $$f && continue; \
	  $(BUILD)/bin/pollscope run $$f -o traces/$$n.trace.json || exit 1; \
	done

# Benchmarks (figures, not pass/fail): the recorder, then the viewer on a
# generated million-event trace (a real engine run, kept until the engine changes).
BENCH_TRACE := $(BUILD)/bench/million.trace.json
# Made again when the engine is newer (a trace of an older format would be refused).
$(BENCH_TRACE): tests/bench/million-events.json $(BUILD)/bin/pollscope
	@mkdir -p $(dir $@)
	$(BUILD)/bin/pollscope run $< -o $@
bench: build
	$(BUILD)/bin/pollscope-bench-recorder
	@$(MAKE) --no-print-directory $(BENCH_TRACE)
	xvfb-run -a -s '-screen 0 1400x900x24' $(BUILD)/bin/pollscope-bench-viewer $(BENCH_TRACE)

# The viewer on ten million events (tests/bench/ten-million-events.json, a real
# run: about 1.5 GB of JSON, made once and kept; delete it when disk is short).
# Not part of `make bench` or `make test`: it takes a minute and 2 GB of memory.
BENCH_TRACE_10M := $(BUILD)/bench/ten-million.trace.json
bench-viewer-10m: build
	@mkdir -p $(BUILD)/bench
	@test -f $(BENCH_TRACE_10M) || $(BUILD)/bin/pollscope run tests/bench/ten-million-events.json -o $(BENCH_TRACE_10M)
	xvfb-run -a -s '-screen 0 1400x900x24' $(BUILD)/bin/pollscope-bench-viewer $(BENCH_TRACE_10M)

# Echo under load (docs/performance.md): a raw-epoll echo, a Go echo (GOMAXPROCS=1)
# and pollscope serving echo-server.json (trace off, and the default ring), driven by
# our own pinned load generator; one table of req/s and p50/p99 latency.
# BENCH_SECONDS (3) per cell, BENCH_CONNS (1,100,1000,10000). ctest bench.echo_smoke
# runs a short version in make test.
bench-echo: build
	/usr/bin/python3 tests/bench/echo/bench_echo.py $(BUILD)/bin scenarios/echo-server.json $(BUILD)/bench-echo

# The same fuzzers for longer (make fuzz FUZZ_SECONDS=600); each corpus grows in build-clang/tests/fuzz.
fuzz: FUZZ_SECONDS = 60
fuzz: deps
	$(call build_tree,build-clang,$(CLANG_TREE) -DFUZZ_SECONDS=$(FUZZ_SECONDS))
	cd build-clang && $(ASAN_ENV) ctest --output-on-failure -L fuzz

# Serve scenarios/echo-server.json under hostile clients for SOAK_SECONDS (tests/soak/soak.py);
# `make test` runs a 20 s version (ctest cli.soak_short).
SOAK_SECONDS ?= 600
soak: build
	@mkdir -p $(OUT)
	/usr/bin/python3 tests/soak/soak.py $(BUILD)/bin/pollscope scenarios/echo-server.json $(OUT) $(SOAK_SECONDS)

# Issue 14's memory goal: soak under full load (SOAK_LOAD_CONNS connections of
# ping-pong from the echo load generator, besides the hostile clients) with serving's
# default recording; memory must stay under 256 MB and flat (16 MB) after the first minute.
SOAK_LOAD_CONNS ?= 1000
soak-load: build
	@mkdir -p $(OUT)
	SOAK_LOAD_CONNS=$(SOAK_LOAD_CONNS) SOAK_WARMUP=60 RSS_LIMIT_MB=256 RSS_GROWTH_MB=16 \
	  /usr/bin/python3 tests/soak/soak.py $(BUILD)/bin/pollscope scenarios/echo-server.json $(OUT) $(SOAK_SECONDS)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz build-clang build-portable
