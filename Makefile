# The two commands that matter: `make run` and `make test`. Both set up everything first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test fmt lint translations unit pg clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/python -m webapp.i18n compile

run: $(STAMP) translations
	$(BIN)/tafel migrate
	$(BIN)/tafel demo
	$(BIN)/tafel serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every test on SQLite; with TAFEL_TEST_DATABASE_URL set, the whole suite again on PostgreSQL.
# The two runs share nothing (each makes its own databases), so they run side by side.
test: $(STAMP) translations lint
	@if [ -n "$$TAFEL_TEST_DATABASE_URL" ]; then \
		echo "== the whole suite on SQLite and, alongside, on PostgreSQL =="; \
		TAFEL_TEST_BACKEND=postgresql $(BIN)/python -m pytest -p no:warnings > .pytest-postgresql.log 2>&1 & pg=$$!; \
		$(BIN)/python -m pytest -p no:warnings; sqlite=$$?; \
		wait $$pg; postgresql=$$?; \
		echo "== PostgreSQL =="; cat .pytest-postgresql.log; \
		exit $$(( sqlite || postgresql )); \
	else \
		$(BIN)/python -m pytest -p no:warnings; \
	fi

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data/*.db* translations/*/LC_MESSAGES/*.mo
