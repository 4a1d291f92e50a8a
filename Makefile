# make demo: set up, then build the sample library into build/ (every format and language)
# make test: set up, then run every test (what CI runs), and ruff
# make test-fast: set up, then ruff and the quick tier (no audio, no browser, 250 fuzz cases)
# make bench: set up, then time the builds against pandoc (not part of make test)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast bench setup setup-test clean

demo: setup
	$(BIN)/leaflet build
	@echo "Open build/index.html, or run: $(BIN)/leaflet serve"

test: setup-test
	$(BIN)/ruff check
	$(BIN)/python -m pytest -q

test-fast: $(VENV)/.installed
	@scripts/system-packages.sh test
	$(BIN)/ruff check
	$(BIN)/python -m pytest -q -n 2 -m "not slow and not browser"

bench: setup-test
	$(BIN)/python benchmarks/bench.py

setup: $(VENV)/.installed
	@scripts/system-packages.sh runtime
	@scripts/system-packages.sh install-fonts .

setup-test: $(VENV)/.installed node_modules/.installed
	@scripts/system-packages.sh test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# axe-core, injected into pages by the browser tests, and DAISY Ace (run as ace-puppeteer
# with the system's Chromium) for the EPUBs: --ignore-scripts, as Ace's Electron runner
# would download Electron on install, and neither tool needs an install script
node_modules/.installed: package.json
	@scripts/system-packages.sh test
	npm install --no-audit --no-fund --silent --ignore-scripts
	touch $@

clean:
	rm -rf build $(VENV) node_modules
