# Copilote — two commands on a fresh machine:
#   make run    venv, dependencies, demo warehouse if none, then the app on http://localhost:8501
#   make test   venv, dev dependencies, the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
WAREHOUSE ?= $(or $(COPILOTE_WAREHOUSE),data/warehouse.duckdb)

.PHONY: run test lint demo templates bench bench-geo clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(WAREHOUSE): | $(VENV)/.installed
	$(PY) -m etl --warehouse $(WAREHOUSE) demo

run: $(VENV)/.installed $(WAREHOUSE)
	COPILOTE_WAREHOUSE=$(WAREHOUSE) $(VENV)/bin/streamlit run app.py

test: $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

demo: $(VENV)/.installed
	$(PY) -m etl --warehouse $(WAREHOUSE) demo --remplacer

templates: $(VENV)/.installed
	$(PY) -m etl templates

bench: $(VENV)/.installed
	$(PY) bench/etl.py

bench-geo: $(VENV)/.installed
	$(PY) bench/geo.py

clean:
	rm -rf $(VENV) data/reference data/demo data/modeles
