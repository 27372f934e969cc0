# 清单监督 — two commands: `make run` (install, migrate, demo data, serve) and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# pip on some machines warns about every missing local index path; keep real errors only.
QUIET_PIP := 2>&1 | (grep -v '^WARNING: Location' || true)
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi.py
# pytest-xdist workers for `make test` (logical: one per logical CPU); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= logical

RUN_APT := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
TEST_APT := $(RUN_APT) chromium chromium-driver poppler-utils zbar-tools postgresql-client pgbouncer

.PHONY: run test rehearsal system-run system-test install install-dev translations db extract lint typecheck clean

run: system-run install translations db
	@echo ""
	@echo "  清单监督 is serving on http://$(HOST):$(PORT)"
	@echo "  演示账号 / demo accounts (password: supervise-demo): chair gov deputy county admin"
	@echo "  (and one queue worker beside it, for PDFs and reminders: see Procfile)"
	@echo ""
	HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho start

test: system-test install-dev translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Several servers on this machine (bench/rehearsal.py): 2 gunicorn servers, 2 queue workers, a local S3
# server, against PostgreSQL and Redis on 127.0.0.1; checks sessions, caches, limits, documents, uploads.
rehearsal: install-dev translations
	$(BIN)/python bench/rehearsal.py $(REHEARSAL_ARGS)

# System packages: installed with apt-get when root, otherwise one clear line naming the command.
define ensure_apt
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "缺少系统软件包 / missing system packages — run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

system-run:
	$(call ensure_apt,$(RUN_APT))

system-test:
	$(call ensure_apt,$(TEST_APT))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt $(QUIET_PIP)
	@touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt $(QUIET_PIP)
	@touch $(VENV)/.requirements $@

install: $(VENV)/.requirements
install-dev: $(VENV)/.requirements-dev

translations: $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.requirements
	@$(BIN)/pybabel compile -f -i $< -o $@ 2>&1 | (grep -v '^compiling catalog' || true)

db: install
	@mkdir -p instance
	@$(BIN)/flask db upgrade
	@$(BIN)/flask seed-demo --if-empty

# Maintainers: refresh the catalogs after changing texts, then translate translations/en.
# --ignore-dirs: pybabel skips directories starting with "_" by default, which would miss templates/_macros.
extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k lazy_pgettext:1c,2 --ignore-dirs ".* __pycache__" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Over the files listed in [tool.mypy] of pyproject.toml (core, workflow and operations modules).
typecheck: install-dev
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
