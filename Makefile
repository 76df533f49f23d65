# Two commands matter (see README.md): `make run` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
RUN_DEBS := chromium fonts-noto-cjk fontconfig
TEST_DEBS := $(RUN_DEBS) postgresql libreoffice-writer-nogui

.PHONY: run test setup system-deps test-deps lint bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

system-deps:
	scripts/install_system_deps.sh $(RUN_DEBS)

test-deps:
	scripts/install_system_deps.sh $(TEST_DEBS)

setup: system-deps $(VENV)/.installed

## Start the dashboard on the embedded SQLite database (loads the demo data on an empty database).
run: setup
	$(PY) -m indicators init-db
	$(PY) -m indicators demo --if-empty
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## Install everything and run the whole test suite (SQLite and a real PostgreSQL server, real Chromium).
test: test-deps $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
