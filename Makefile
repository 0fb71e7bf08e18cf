# CrisisDesk: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
#: pytest processes (pytest-xdist): one per core; each has its own PostgreSQL database and Chromium
TEST_WORKERS ?= auto

.PHONY: screens run test test-fast test-slow lint bench install install-dev translations extract-messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Compile the German and English catalogues (.po → .mo). The compiled catalogues are committed, so every
## way of installing serves German; a test fails when they lag behind the .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d crisisdesk/translations

## Serve the desk on http://127.0.0.1:5000 with the worker in-process (development);
## mail is kept in the desk's development mailbox instead of sent.
run: install
	$(FLASK) db upgrade
	$(FLASK) playbooks sync
	$(FLASK) demo
	CRISISDESK_INPROCESS_WORKER=1 CRISISDESK_MAIL_CAPTURE=true $(FLASK) run --host 127.0.0.1 --port 5000

## Lint and format check (ruff, settings in pyproject.toml); `make test` runs it first.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Run every test: SQLite, PostgreSQL (if reachable, or required by CRISISDESK_REQUIRE_POSTGRES=1) and Chromium;
## the quick part first, then the slow part (`make test-slow`).
test: install-dev lint
	CRISISDESK_TEST_DATABASE_URL=$${CRISISDESK_TEST_DATABASE_URL:-$(PG_TEST_URL)} $(BIN)/pytest -q -n $(TEST_WORKERS) -m "not slow"
	$(MAKE) --no-print-directory test-slow

## Only the slow tests: generated API and form input, kill -9 crashes, the benchmark smoke run.
test-slow: install-dev
	CRISISDESK_TEST_DATABASE_URL=$${CRISISDESK_TEST_DATABASE_URL:-$(PG_TEST_URL)} $(BIN)/pytest -q -n $(TEST_WORKERS) -m slow

## SQLite only, no browser: the quick loop while editing.
test-fast: install-dev
	CRISISDESK_TEST_DATABASE_URL= $(BIN)/pytest -q -n $(TEST_WORKERS) -m "not browser and not slow"

## Phone screenshots (375 px) of the room, the draft form and the response page, from the browser story.
screens: install-dev
	CRISISDESK_SCREENS_DIR=docs/screens CRISISDESK_TEST_DATABASE_URL= $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_phone_story.py tests/browser/test_internal_first.py

## Benchmark against a bare Flask app (needs wrk: apt-get install wrk). ARGS="--quick" for the small size.
bench: install-dev
	$(BIN)/python bench/run.py $(ARGS)

## Re-extract user-facing strings and update both catalogues.
extract-messages: $(VENV)/.installed
	$(BIN)/python scripts/sync_catalogues.py; status=$$?; $(MAKE) --no-print-directory translations; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache
