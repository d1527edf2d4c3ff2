# Data Use Register. `make run` sets everything up and starts the site; `make test` runs every test.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH

.PHONY: help install build migrate demo run test test-postgres browser lint format messages compilemessages check-deploy docker-build clean

help: ## List the make targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static_build/.built: node_modules/.package-lock.json static_src/build.mjs $(wildcard static_src/scss/*.scss static_src/js/*.js static_src/favicon.*)
	npm run --silent build
	touch $@

install: $(BIN)/.installed node_modules/.package-lock.json ## Install Python (in .venv) and Node dependencies

# Compiled translation catalogues (polib, so GNU gettext is not needed to build).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(BIN)/.installed
	$(BIN)/python -c "import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@

build: install static_build/.built $(MO_FILES) ## Build the front end (govuk-frontend and our Sass) into static_build/, and the translations

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput

demo: migrate ## Load the demo register (safe to run again) and a demo admin login
	$(MANAGE) load_demo_register --demo-login

run: build demo ## Set up everything, then serve the site on http://127.0.0.1:8000 with the background worker
	@echo "Open http://127.0.0.1:8000 (the admin is at /admin/, login printed above)."
	$(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; $(MANAGE) runserver 127.0.0.1:8000

browser: ## Make sure Chromium is installed for the browser tests
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Browser tests need Chromium at $(CHROMIUM_PATH): install Debian's 'chromium' package, or set CHROMIUM_PATH."; exit 1; \
		fi; \
	fi

test: build browser ## Run every test (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder --durations=12 --cov --cov-report=term:skip-covered --cov-fail-under=90 $(PYTEST_ARGS)

test-postgres: ## Run every test against the local PostgreSQL server
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(MAKE) test

lint: install ## Check code style, templates, migrations and Django's system checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) check

format: install ## Format Python code and templates
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

messages: install ## Update the translation catalogues from the code
	$(MANAGE) makemessages --locale cy --ignore ".venv/*" --ignore "node_modules/*" --ignore "static_build/*" --ignore "static/*"

compilemessages: install $(MO_FILES) ## Compile the translation catalogues

check-deploy: install ## Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=example.org \
		$(MANAGE) check --deploy --fail-level WARNING

docker-build: ## Build the production image
	docker build -t data-use-register .

clean: ## Remove the virtualenv, node_modules, built files and the SQLite database
	rm -rf $(VENV) node_modules static_build static db.sqlite3
