# The two commands: `make run` (product on its embedded default) and `make test` (whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

# Compiled translations (not committed): one messages.mo next to each messages.po.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

.PHONY: setup translations frontend run test bench clean

setup: $(VENV)/.installed translations frontend

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --quiet --upgrade pip
	$(BIN)/pip install --quiet --quiet -e '.[test]'
	touch $@

translations: $(MO_FILES)

# Recompiled whenever its .po is newer; pybabel comes with the venv (Flask-Babel's Babel).
app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -d app/translations -l $*

# Front end of the process editor (bpmn-js and its properties panel) and of the decision-table
# editor (dmn-js), from the npm registry; never
# committed): `npm ci` when package-lock.json is newer than the installed tree (or there is none),
# then esbuild bundles app/static/src/ into app/static/build/ (gitignored) when a source (any file
# below it, sub-folders too) is newer.
NPM ?= npm
FRONTEND_SOURCES := $(shell find app/static/src -type f)
FRONTEND_BUILD := app/static/build/editor.js app/static/build/viewer.js app/static/build/path.js app/static/build/editor.css \
	app/static/build/dmn-editor.js app/static/build/dmn-editor.css

frontend: $(FRONTEND_BUILD)

node_modules/.package-lock.json: package-lock.json package.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

$(FRONTEND_BUILD) &: $(FRONTEND_SOURCES) node_modules/.package-lock.json
	$(NPM) run --silent build
	touch $(FRONTEND_BUILD)

# exec: `pqrsf run` is make's own child, so stopping make (SIGTERM) stops it too (it asks the
# kernel for a signal when its parent ends)
run: setup
	exec env PORT=$(PORT) $(BIN)/pqrsf run --port $(PORT)

# The import contracts first (pyproject.toml [tool.importlinter]): a broken one fails the run.
test: setup
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/step_cost.py

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules app/static/build
