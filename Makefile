# VirtLab — `make demo` builds the course site into output/, `make test` runs the tests.
SWIFT ?= swift
OUTPUT ?= output
FUZZ_SECONDS ?= 60
PYTHON ?= python3
# The Python package's virtual environment (inside .build/, so `make clean` and git ignore it).
PYENV := .build/pyenv

.PHONY: demo test build release deps bench bench-analysis fuzz fuzz-scenarios clean site-check python-test course-check help-examples fixtures samples

# Cairo and the DejaVu fonts (and poppler-utils, whose pdftoppm the tests use to render PDFs)
# SQLite's development files and librsvg's rsvg-convert (the tests rasterise SVGs to compare them
# with the PNGs) come from apt when they are missing.
deps:
	@if ! pkg-config --exists cairo 2>/dev/null || ! pkg-config --exists sqlite3 2>/dev/null || ! command -v pdftoppm >/dev/null 2>&1 || ! command -v rsvg-convert >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else \
	    echo "Cairo, SQLite, pdftoppm or rsvg-convert is missing: install libcairo2-dev, libsqlite3-dev, fonts-dejavu-core, poppler-utils and librsvg2-bin (apt-get install libcairo2-dev libsqlite3-dev fonts-dejavu-core poppler-utils librsvg2-bin), then run make again."; exit 1; fi; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "Cairo, SQLite, pdftoppm or rsvg-convert is missing and apt-get is not available: install the Cairo and SQLite development files (libcairo2-dev, libsqlite3-dev), DejaVu fonts and poppler-utils, then run make again."; exit 1; fi; \
	  echo "Installing libcairo2-dev, libsqlite3-dev, fonts-dejavu-core, poppler-utils and librsvg2-bin with apt-get…"; \
	  $$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y libcairo2-dev libsqlite3-dev fonts-dejavu-core poppler-utils librsvg2-bin || { \
	    echo "Could not install Cairo and SQLite: run 'apt-get install libcairo2-dev libsqlite3-dev fonts-dejavu-core poppler-utils librsvg2-bin' as root, then make again."; exit 1; }; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: release
	.build/release/virtlab course -o $(OUTPUT) --strict

test: deps
	$(SWIFT) test
	$(MAKE) python-test
	$(MAKE) course-check
	$(MAKE) help-examples

# Regenerates the trace reader's generated corpus (Tests/TraceFormatTests/Fixtures/*-v2.vlt and the
# other generated bad-* files) after a deliberate format change; `make test` checks it is fresh.
fixtures:
	VIRTLAB_WRITE_FIXTURES=$(CURDIR)/Tests/TraceFormatTests/Fixtures $(SWIFT) test --filter corpusIsWhatTheGeneratorMakes

# The small sample traces the Analysis and Reports tests read (Traces/samples/NAME.vlt from NAME.yaml);
# `make test` checks they are what their scenarios give today.
samples: release
	for f in Traces/samples/*.yaml; do .build/release/virtlab run "$$f" -o "$${f%.yaml}.vlt" --quiet || exit 1; done

# Every example in every `virtlab … --help` runs (release build) and must succeed.
help-examples: release
	python3 scripts/help-examples.py .build/release/virtlab

# The shipped course built strictly (release): every claim its lessons make must hold; then, in
# headless Chromium, its "predict, then check" boxes played (wrong, right, kept after a reload)
# and the trace explorers driven (keys, wheel, drag, hover, pin, deep links; a comparison's
# explorers zooming together).
course-check: release
	.build/release/virtlab course -o .build/course-check --strict --quiet --force
	.build/release/virtlab report .build/course-check/traces/fork-heavy-shadow.vlt .build/course-check/traces/fork-heavy-nested.vlt \
	  -o .build/compare-check --force
	.build/release/virtlab report .build/course-check/traces/precopy-busy.vlt .build/course-check/traces/postcopy-push.vlt \
	  -o .build/compare-migration-check --force
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
	  python3 scripts/site-check.py --interactive .build/course-check && python3 scripts/site-check.py --interactive .build/compare-check && \
	  python3 scripts/site-check.py --interactive .build/compare-migration-check --align stop_and_copy; \
	else echo "course-check: no Chromium, the prediction boxes were not played (apt-get install chromium)"; fi

# The Python package (python/) in a fresh virtual environment, tested against the debug binary.
python-test: build
	@test -x $(PYENV)/bin/python || $(PYTHON) -m venv $(PYENV) || { \
	  echo "Cannot make a Python virtual environment: install python3-venv (apt-get install python3-venv), then make again."; exit 1; }
	$(PYENV)/bin/python -m pip install --quiet --upgrade './python[test]'
	VIRTLAB=$(CURDIR)/.build/debug/virtlab $(PYENV)/bin/python -m pytest -q python/tests

# Open every page of the site in headless Chromium: fails on console errors, missing resources or
# anything loaded from the network; screenshots (light, dark, phone width) go to site-check/.
site-check: demo
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else echo "site-check needs Chromium: apt-get install chromium"; exit 1; fi; }
	@python3 -c "import html5lib" 2>/dev/null || python3 -m pip install --quiet html5lib || echo "(html5lib not installed: the HTML parse check will be skipped)"
	python3 scripts/site-check.py $(OUTPUT) site-check

# Benchmarks build with functions aligned to 64 bytes (a steadier trace benchmark; see
# docs/architecture.md), given on the command line so the manifest has no unsafe flags, in their
# own folder so switching never rebuilds the normal build.
bench: deps
	$(SWIFT) build -c release --scratch-path .build-align -Xswiftc -Xllvm -Xswiftc -align-all-functions=6
	.build-align/release/virtlab bench all --json

# The student's analysis path on a 10 M-event trace: CSV + pandas, the pure-Python reader,
# SQLite export and query, .npz → DataFrame (time and peak memory of each; bench/analysis.py).
bench-analysis: release
	@test -x $(PYENV)/bin/python || $(PYTHON) -m venv $(PYENV)
	$(PYENV)/bin/python -m pip install --quiet --upgrade './python[fast]'
	$(PYENV)/bin/python bench/analysis.py --virtlab .build/release/virtlab

# Fuzz the trace reader with libFuzzer + AddressSanitizer for FUZZ_SECONDS (corpus in fuzz-corpus/,
# seeded from the test fixtures). A crashing input is written to ./crash-*: add it to
# Tests/TraceFormatTests/Fixtures/ (named bad-*.vlt) so the tests replay it for ever.
fuzz: deps
	$(SWIFT) build -c debug --scratch-path .build-fuzz --product TraceFuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
	mkdir -p fuzz-corpus && cp Tests/TraceFormatTests/Fixtures/*.vlt fuzz-corpus/
	.build-fuzz/debug/TraceFuzz fuzz-corpus -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=2048

# Fuzz the scenario decoder, sweep files and the sweep-axis parser the same way, seeded from
# Tests/SimulationTests/ScenarioCorpus/ and Traces/scenarios/ (keep every crashing input in the
# former: the tests replay both).
fuzz-scenarios: deps
	$(SWIFT) build -c debug --scratch-path .build-fuzz --product ScenarioFuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
	mkdir -p fuzz-scenarios && cp Tests/SimulationTests/ScenarioCorpus/* Traces/scenarios/*.yaml fuzz-scenarios/
	.build-fuzz/debug/ScenarioFuzz fuzz-scenarios -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -rss_limit_mb=2048

clean:
	rm -rf .build .build-fuzz
