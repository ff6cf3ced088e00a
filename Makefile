# patchmodel.ssm developer targets. `make demo` and `make test` are the two a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
COLLECTION_LINK := .collections/ansible_collections/patchmodel/ssm
PORT ?= 4566
PYTEST_WORKERS ?= 2

.PHONY: setup demo test test-python lint sanity molecule emulator clean

setup: $(STAMP) $(COLLECTION_LINK)

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -r requirements.txt
	touch $@

# The checkout itself is the collection: a link lets ansible find it as patchmodel.ssm, edits included.
$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn ../../.. $@

demo: setup
	$(PY) tools/demo.py

test: setup
	tools/ensure_chromium.sh
	$(PY) -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) tests
	$(MAKE) --no-print-directory lint

lint: setup
	$(VENV)/bin/ruff check $(wildcard plugins tools tests benchmarks)
	tools/sanity.sh

emulator: setup
	$(PY) -m tools.emulator --port $(PORT)

clean:
	rm -rf $(VENV) .collections .tmp tests/output
