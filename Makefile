# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8080
WORKERS ?= 2
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run lint test test-fast bench system-deps test-system-deps messages fonts clean

# System packages: venv for Python, FriBiDi for Pillow's Thai layout.
system-deps:
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null && dpkg -s libfribidi0 >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv libfribidi0; }

test-system-deps: system-deps
	@[ -x /usr/bin/chromium ] || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	@command -v systemd-analyze >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq systemd; }
	@[ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx-light openssl; }
	@command -v pdftoppm >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq poppler-utils; }

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## run: install and start the kiosk on the demo station at http://127.0.0.1:8080
run: system-deps $(VENV)/.runtime
	$(BIN)/python -m kiosk serve --host $(HOST) --port $(PORT)

## lint: ruff (lint and format) and the layer contracts (import-linter)
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports

## test: install what the tests need (chromium included), lint, then run every test on
## $(WORKERS) workers; the tests marked serial (timing bounds) run afterwards, alone
test: test-system-deps $(VENV)/.dev lint
	$(BIN)/pytest -n $(WORKERS) --dist loadscope -m "not serial"
	$(BIN)/pytest -m serial

## test-fast: the tests that take seconds: no browser, nothing marked slow
test-fast: $(VENV)/.dev
	$(BIN)/pytest -n $(WORKERS) -m "not e2e and not slow"

## bench: measure speed, weight, memory and cold start (prints a table; asserts nothing)
bench: test-system-deps $(VENV)/.dev
	$(BIN)/python -m tests.bench.bench_kiosk
	$(BIN)/python -m tests.bench.bench_tallies
	$(BIN)/python -m tests.bench.bench_crowd
	$(BIN)/python -m tests.bench.bench_national  # a national year from the rollups; NATIONAL=1 for more real events
	$(BIN)/python -m tests.bench.bench_paint  # tap to paint at 6x CPU throttling; Lighthouse if LIGHTHOUSE is set
	-$(BIN)/python -m tests.bench.bench_public  # Lighthouse: set LIGHTHOUSE (see its docstring)

## messages: extract the translatable strings and update the Thai catalogue
## fonts: rebuild the Myanmar/Khmer/Lao/Chinese fonts in static/fonts (npm, fontTools); after changing Chinese texts
fonts: $(VENV)/.dev
	$(BIN)/python tools/build_fonts.py

messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k bi -k Label:1,1t -k Label:1,2c,2t -k translate:1 -k translate_plural:1,2 -k N_ -k field:3 --no-location --project=kiosk --version=0.1 -o kiosk/translations/messages.pot .
	$(BIN)/pybabel update -i kiosk/translations/messages.pot -d kiosk/translations --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache
