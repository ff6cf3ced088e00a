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
	$(MAKE) --no-print-directory test-next
	$(MAKE) --no-print-directory lint

lint: setup
	$(VENV)/bin/ruff check $(wildcard plugins tools tests benchmarks)
	tools/changelog_lint.sh
	tools/sanity.sh
	$(MAKE) --no-print-directory importer

emulator: setup
	$(PY) -m tools.emulator --port $(PORT)

# The second ansible-core leg: ansible 14 (ansible-core 2.21, amazon.aws 11) on Python 3.13, in .venv-next from
# requirements-next.txt. tools/find_python.sh finds python3.13 on PATH or through pyenv; or set PYTHON_NEXT.
# `make test-next` runs LEG2_TESTS there (README, "Two ansible-core versions"): pytest runs from .venv-next, so the
# tests' ansible and ansible-playbook are 2.21's; the local endpoint stays the main .venv's, the same on both legs.
PYTHON_NEXT ?= $(shell tools/find_python.sh 3.13)
VENV_NEXT := .venv-next
STAMP_NEXT := $(VENV_NEXT)/.installed
LEG2_TESTS := $(addprefix tests/integration/,test_patching_model.py test_section_modules.py \
	test_ssm_patch_baseline.py test_ssm_patch_baseline_info.py test_ssm_document.py test_ssm_document_info.py \
	test_ssm_maintenance_window.py test_ssm_maintenance_window_info.py test_ssm_window_target.py \
	test_ssm_window_task.py test_ssm_patch_compliance_info.py test_ssm_patch_group_membership.py \
	test_ssm_baseline_preview_info.py test_document_permissions.py test_document_attachments.py test_result_arns.py) \
	tests/unit/test_tested_versions.py
# The second seed model and the thousand-instance fleet repeat what leg one covers at a cost of ~2 minutes.
LEG2_DESELECT := $(addprefix --deselect tests/integration/test_patching_model.py::, \
	test_windows_model_converges_reruns_without_change_and_tears_down \
	test_a_fleet_of_a_thousand_instances_joins_its_patch_group_in_one_task_with_few_calls)
.PHONY: setup-next test-next
setup-next: $(STAMP_NEXT) $(COLLECTION_LINK)

$(STAMP_NEXT): requirements-next.txt requirements.txt
	@test -n "$(PYTHON_NEXT)" || { echo "make: the second leg needs Python 3.13: install it (e.g. pyenv install 3.13)" \
		"or pass PYTHON_NEXT=/path/to/python3.13" >&2; exit 1; }
	$(PYTHON_NEXT) -m venv $(VENV_NEXT)
	$(VENV_NEXT)/bin/pip install --quiet --disable-pip-version-check -r requirements-next.txt -r requirements.txt
	touch $@

test-next: setup setup-next
	@$(VENV_NEXT)/bin/python -c 'import ansible.release, sys; \
		print("== second leg: ansible-core", ansible.release.__version__, "on Python", sys.version.split()[0])'
	PATCHMODEL_ENDPOINT_PYTHON=$(CURDIR)/$(PY) $(VENV_NEXT)/bin/python -m pytest -p no:cacheprovider \
		-n $(PYTEST_WORKERS) $(LEG2_TESTS) $(LEG2_DESELECT)

# The execution environment image (execution-environment.yml); without podman or docker it stops after
# `ansible-builder create` and says so. EE_TAG, EE_BASE_IMAGE and EE_RUNTIME are passed on (tools/build_ee.sh).
.PHONY: ee
ee: setup
	tools/build_ee.sh

# The docs site (antsibull-docs + Sphinx, warnings are errors): regenerates docs/docsite/rst/ from docs/*.md and
# the playbooks, then builds .docsite/build/html/index.html (tools/docsite.py).
.PHONY: docs
docs: setup
	$(PY) tools/docsite.py generate
	$(PY) tools/docsite.py build .docsite

# galaxy-importer, the checks Galaxy runs on an upload, on the built tarball (tools/galaxy_importer.sh): it fails on
# any warning or error it logs. It pins its own ansible-lint and attrs, so it gets a venv of its own.
IMPORTER_VENV := .venv-importer
IMPORTER_STAMP := $(IMPORTER_VENV)/.installed
.PHONY: importer
importer: $(IMPORTER_STAMP)
	tools/galaxy_importer.sh

$(IMPORTER_STAMP): requirements-importer.txt
	$(PYTHON) -m venv $(IMPORTER_VENV)
	$(IMPORTER_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-importer.txt
	touch $@

clean:
	rm -rf $(VENV) $(VENV_NEXT) $(IMPORTER_VENV) .collections .tmp tests/output
