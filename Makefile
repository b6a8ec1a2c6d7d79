# vigil: see README.md. Every target installs what it needs (scripts/setup.sh).
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# `make fuzz`: seconds per fuzz target (FUZZ_ONLY=a,b: only those); `make test` runs each
# for FUZZ_TEST_SECONDS.
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 10
FUZZ_ONLY ?=
VIGIL      := $(BUILD)/vigil
DEMO_DB    := demo/vigil.db
CMAKE_FLAGS ?=

.PHONY: all setup tooling configure build build-asan build-fuzz test test-fast test-asan test-fuzz fuzz tidy \
        tidy-changed \
        demo bench format format-check clean package

all: build

setup:
	@scripts/setup.sh

# Test-only tools: Chromium from Debian, and from the npm registry
# (tests/tooling/package-lock.json) the CycloneDX JSON schemas with their validator and
# Playwright to drive Chromium. Reinstalled only when the lock file changes.
TOOLING_STAMP := tests/tooling/node_modules/.installed

tooling: setup
	@scripts/setup.sh --test
	@$(MAKE) --no-print-directory $(TOOLING_STAMP)

$(TOOLING_STAMP): tests/tooling/package-lock.json
	@cd tests/tooling && npm ci --no-audit --no-fund --fetch-retries=4 >/dev/null
	@touch $@

# The release build's configuration; it also writes the compile commands clang-tidy reads.
configure: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIGIL_WERROR=ON \
	  -DCMAKE_INSTALL_PREFIX=/usr $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD)

# The Debian package (docs/deployment.md): build/vigil_VERSION_ARCH.deb.
package: build
	@cd $(BUILD) && cpack -G DEB >/dev/null && ls -1 $(CURDIR)/$(BUILD)/vigil_*.deb

# The sanitizer build: -O1 with line tables (fast to compile, readable reports, assertions on)
# and precompiled third-party headers.
build-asan: setup
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
	  -DVIGIL_SANITIZE=ON -DVIGIL_PCH=ON -DVIGIL_WERROR=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD)

# The libFuzzer targets of fuzz/ (clang from Debian): the libraries they test instrumented for
# fuzzing, under AddressSanitizer + UBSan, at -O1 with line tables and assertions on.
build-fuzz: setup
	@scripts/setup.sh --fuzz
	@cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DVIGIL_FUZZ=ON -DVIGIL_TESTS=OFF \
	  -DVIGIL_WERROR=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) --target fuzzers

# Every fuzz target for FUZZ_SECONDS, after replaying fuzz/regressions/ (fuzz/README.md).
fuzz: build-fuzz
	@python3 fuzz/run_fuzzers.py --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS) \
	  $(if $(FUZZ_ONLY),--only $(FUZZ_ONLY))

# Formatting, static analysis, every test on the release build, then again under
# AddressSanitizer + UBSan, then a brief run of every fuzz target (fixed seed, so that a failure
# reproduces).
test: format-check tidy-changed test-fast test-asan test-fuzz

test-fast: build tooling
	@cd $(BUILD) && ctest -j2 --output-on-failure

# The XML mutation test runs a quarter of its release-build rounds under the sanitizers.
test-asan: build-asan tooling
	@cd $(ASAN_BUILD) && VIGIL_MUTATION_ROUNDS=1500 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest -j2 --output-on-failure

test-fuzz: build-fuzz
	@python3 fuzz/run_fuzzers.py --build $(FUZZ_BUILD) --seconds $(FUZZ_TEST_SECONDS) --seed 1

demo: build
	@scripts/demo.sh $(VIGIL) $(DEMO_DB)

bench: build
	@bench/run_import_bench.sh --vigil $(VIGIL)

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

format-check: setup
	@clang-format --dry-run --Werror $$(git ls-files '*.cc' '*.h') && echo "format: clean"

# clang-tidy with .clang-tidy over every .cc file of src/, every finding an error, on all cores
# (docs/development.md, "Static analysis"). Needs the configured build, not the built one.
# Once every file is clean on a committed tree, it records that commit in .tidy-clean (commit
# the file).
tidy: configure
	@scripts/tidy.sh $(BUILD)
	@if git diff --quiet HEAD -- src .clang-tidy && [ -z "$$(git ls-files --others --exclude-standard src)" ]; then \
	  git rev-parse HEAD > .tidy-clean; echo "tidy: recorded $$(git rev-parse --short HEAD) in .tidy-clean"; fi

# `make test`'s form: only the .cc files that changed since the commit in .tidy-clean, or
# include a header that did (scripts/tidy_changed.py); every file when that commit is unknown
# or .clang-tidy or the build's configuration changed.
tidy-changed: configure
	@files="$$(scripts/tidy_changed.py $$(cat .tidy-clean))"; \
	if [ "$$files" = ALL ]; then scripts/tidy.sh $(BUILD); \
	elif [ -z "$$files" ]; then echo "tidy: no file changed since $$(cut -c1-7 .tidy-clean)"; \
	else echo "tidy: the files changed since $$(cut -c1-7 .tidy-clean)"; scripts/tidy.sh $(BUILD) $$files; fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) demo
