# The two commands that matter: `make run` and `make test`. Both set up everything first.
# `make help` lists every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Running needs requirements.lock only; the tests add requirements-test.lock on top.
RUN_STAMP := $(VENV)/.run-stamp
STAMP := $(VENV)/.installed-stamp
TOOLS := .venv-tools
UV_VERSION := 0.13.9
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: help install checkers run test fmt lint translations pot update-po add-language lock clean bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

# The lock files are installed by uv (pinned, in the venv: the same packages and hashes as
# pip installs, in a few seconds instead of half a minute, which every clean CI run pays);
# where uv cannot be had, pip installs them.
INSTALL = $(BIN)/uv pip install --quiet --python $(BIN)/python
$(RUN_STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/pip install --quiet uv==$(UV_VERSION) || \
		$(BIN)/pip install --quiet --upgrade pip
	if test -x $(BIN)/uv; then $(INSTALL) --require-hashes -r requirements.lock && \
		$(INSTALL) --no-deps -e .; else $(BIN)/pip install --quiet --require-hashes -r \
		requirements.lock && $(BIN)/pip install --quiet --no-deps -e .; fi
	touch $(RUN_STAMP)

$(STAMP): requirements-test.lock $(RUN_STAMP)
	if test -x $(BIN)/uv; then $(INSTALL) --require-hashes -r requirements-test.lock; \
		else $(BIN)/pip install --quiet --require-hashes -r requirements-test.lock; fi
	touch $(STAMP)

install: $(RUN_STAMP) translations ## the venv with what running needs (exact versions, hashes checked)

translations: $(RUN_STAMP) ## compile the .po files
	$(BIN)/python -m webapp.i18n compile

# For translators: docs/translating.md. The template is committed; a test fails when it is stale.
# Both targets change nothing on an up-to-date checkout (tests/core/test_translations.py).
pot: $(RUN_STAMP) ## write translations/tafel.pot from webapp/, models/ and templates/ (babel.cfg)
	$(BIN)/python -m webapp.i18n extract

update-po: pot ## merge the template into every .po file (new messages empty; the rest as written)
	$(BIN)/python -m webapp.i18n update

add-language: pot ## start a language from the template: make add-language CODE=de
	@test -n "$(CODE)" || (echo "Say which language: make add-language CODE=de"; exit 2)
	$(BIN)/python -m webapp.i18n add $(CODE)

run: install ## migrate, load the demo, serve it (HOST=127.0.0.1, PORT=8000)
	$(BIN)/tafel migrate
	$(BIN)/tafel demo
	$(BIN)/tafel serve --host $(HOST) --port $(PORT)

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every test on SQLite; with TAFEL_TEST_DATABASE_URL set, the whole suite again on PostgreSQL,
# but for the browser tests: what a browser sees does not depend on the database, and every
# page and form is also tested on PostgreSQL through the app. The runs share nothing (each
# makes its own databases), so they run side by side: on SQLite the browser tests beside the
# rest, on PostgreSQL two halves (a run waits on the database's disk about half the time, so
# four processes keep two cores busy). The PostgreSQL runs' databases are thrown away, so
# their commits need not wait for the disk (PGOPTIONS: synchronous_commit off, per session).
PG_TEST := PGOPTIONS="-c synchronous_commit=off" TAFEL_TEST_BACKEND=postgresql
PG_HALF := tests/web tests/accounts tests/core
# Folders the PostgreSQL run leaves to another (`.ci/run` runs tests/federation behind
# PgBouncer beside this one, so it is not run twice): PG_ELSEWHERE=tests/federation.
PG_ELSEWHERE ?=
# Each run ends with its slowest tests, so a CI log shows where the time went.
PYTEST := $(BIN)/python -m pytest -p no:warnings --durations=12 --durations-min=2
# On SQLite the browser tests leave room beside them (chromium waits on its pages): this part
# of the rest runs in their process, so the two SQLite processes end at about the same time.
SQLITE_BESIDE := tests/accounts
# The W3C Nu HTML checker for tests/web/test_valid_html.py (npm's vnu-jar, pinned in
# package-lock.json; it runs on Java). Without npm the test is skipped (CI requires it).
VNU := node_modules/vnu-jar/build/dist/vnu.jar
$(VNU): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $(VNU); \
	else echo "npm is missing: the HTML checker test will be skipped (apt-get install npm)"; fi

checkers: $(VNU) ## the outside checkers the tests use (the Nu HTML checker)

test: $(STAMP) $(VNU) translations lint ## lint and every test (also on PostgreSQL with TAFEL_TEST_DATABASE_URL)
	@if [ -n "$$TAFEL_TEST_DATABASE_URL" ]; then \
		echo "== the whole suite on SQLite and, alongside, on PostgreSQL =="; \
		$(PG_TEST) $(PYTEST) $(PG_HALF) > .pytest-postgresql-1.log 2>&1 & pg1=$$!; \
		$(PG_TEST) $(PYTEST) --ignore=tests/browser $(addprefix --ignore=,$(PG_HALF) $(PG_ELSEWHERE)) > .pytest-postgresql-2.log 2>&1 & pg2=$$!; \
		$(PYTEST) tests/browser $(SQLITE_BESIDE) > .pytest-browser.log 2>&1 & browser=$$!; \
		$(PYTEST) --ignore=tests/browser $(addprefix --ignore=,$(SQLITE_BESIDE)); sqlite=$$?; \
		wait $$browser; b=$$?; wait $$pg1; p1=$$?; wait $$pg2; p2=$$?; \
		echo "== SQLite, the browser tests and $(SQLITE_BESIDE) =="; cat .pytest-browser.log; \
		echo "== PostgreSQL, $(PG_HALF) =="; cat .pytest-postgresql-1.log; \
		echo "== PostgreSQL, the rest =="; cat .pytest-postgresql-2.log; \
		exit $$(( sqlite || b || p1 || p2 )); \
	else \
		$(BIN)/python -m pytest -p no:warnings; \
	fi

# The whole bench (bench/run.py; bench/README.md says how to read it): build and check the
# federation at SCALE (1), every page with CPU per request beside latency (wrk when
# installed), the 51% report, a year's summary, a 10,000-line import; PG=postgresql://…/empty
# also on PostgreSQL. Results in bench/results.md. Run it on an idle machine.
bench: $(STAMP) translations ## the whole bench into bench/results.md (SCALE=1, PG=postgresql://... too)
	$(BIN)/python bench/run.py --scale $(or $(SCALE),1) $(if $(PG),--postgresql $(PG))

fmt: $(STAMP) ## format the code and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Pins every dependency of pyproject.toml, for every platform and Python 3.11+, with hashes.
# The test lock is constrained by the runtime lock, so both hold the same versions.
lock: ## regenerate requirements.lock and requirements-test.lock (needs PyPI)
	test -x $(TOOLS)/bin/uv || ($(PYTHON) -m venv $(TOOLS) && $(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION))
	$(TOOLS)/bin/uv pip compile pyproject.toml --extra postgres --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --quiet -o requirements.lock
	$(TOOLS)/bin/uv pip compile pyproject.toml --extra postgres --extra test -c requirements.lock \
		--universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
		--quiet -o requirements-test.lock

clean: ## remove the venvs, the demo database and compiled translations
	rm -rf $(VENV) $(TOOLS) data/*.db* translations/*/LC_MESSAGES/*.mo
