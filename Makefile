# The two commands: `make run` (product on its embedded default) and `make test` (whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

# Compiled translations (not committed): one messages.mo next to each messages.po.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

.PHONY: setup translations run test bench clean

setup: $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

translations: $(MO_FILES)

# Recompiled whenever its .po is newer; pybabel comes with the venv (Flask-Babel's Babel).
app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -d app/translations -l $*

run: setup
	PORT=$(PORT) $(BIN)/pqrsf run --port $(PORT)

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/step_cost.py

clean:
	rm -rf $(VENV) instance .pytest_cache
