# The front door of the course kit. `make help` lists the targets.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
ASSIGNMENTS := step_by_step application
NOTEBOOKS := $(foreach a,$(ASSIGNMENTS),source/$(a)/*.ipynb) notebooks/*.ipynb
# nbgrader runs its own scripts (alembic) and Jupyter kernels from the environment's bin/.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PYTHONDONTWRITEBYTECODE := 1
export MPLBACKEND := Agg
# Matplotlib's font cache belongs to the environment whose fonts it lists: a cache shared between environments can
# name the fonts of one that is gone, and then every figure's text warns on stderr.
export MPLCONFIGDIR := $(CURDIR)/$(VENV)/matplotlib
# The companion notebooks run on the student's own work; in the tests, on the instructor's solutions.
export STEP_BY_STEP_NOTEBOOK := $(CURDIR)/source/step_by_step/Building_your_Deep_Neural_Network_Step_by_Step.ipynb
export APPLICATION_NOTEBOOK := $(CURDIR)/source/application/Deep_Neural_Network_Application.ipynb

.PHONY: help install sandbox browser postgres hub-packages hub test test-fast release reference expected figures datasets generate lock clean demo bench-grade bench-scale bench bench-diagnosis bench-similarity

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@
	@echo "installed the pinned dependencies into $(VENV)/"

install: $(VENV)/.installed sandbox browser  ## create .venv with the pinned dependencies

sandbox:  ## make sure bubblewrap, the grader's sandbox, is installed (Debian's package, when run as root)
	@command -v bwrap >/dev/null || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null \
		&& apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null && echo "installed bubblewrap"; } \
		|| { echo "bubblewrap is missing: install it (apt-get install bubblewrap), or grade with --no-sandbox"; exit 1; }

browser:  ## make sure chromium is installed (Debian's package, when run as root): the tests open graded pages in it
	@command -v chromium >/dev/null || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && echo "installed chromium"; } \
		|| { echo "chromium is missing: install it (apt-get install chromium); the browser tests need it"; exit 1; }

# The tests start their own PostgreSQL 15 server (tests/servers.py) from Debian's package; its binaries stay off PATH.
POSTGRES_BIN := /usr/lib/postgresql/15/bin
postgres:  ## make sure PostgreSQL 15 is installed (Debian's package, when run as root): the gradebook tests use it
	@test -x $(POSTGRES_BIN)/initdb || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
		&& { pg_ctlcluster --force 15 main stop 2>/dev/null || true; } \
		&& echo "installed postgresql (the tests start their own server; the package's own cluster stays stopped)"; } \
		|| { echo "PostgreSQL 15 is missing: install it (apt-get install postgresql); the gradebook tests need it"; exit 1; }

# The course hub (autograder/hub/, hub/jupyterhub_config.py): its proxy comes from npm, and its shared environment from
# a Python that every user can run (Debian's, with its venv module).
hub-packages:  ## make sure Node.js, npm and Debian's python3-venv are installed (as root): the course hub needs them
	@{ command -v npm >/dev/null && /usr/bin/python3 -c "import ensurepip, venv" 2>/dev/null; } \
		|| { test "$$(id -u)" = 0 && command -v apt-get >/dev/null && apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm python3-venv >/dev/null \
		&& echo "installed nodejs, npm and python3-venv"; } \
		|| { echo "the course hub needs Node.js, npm and python3-venv: apt-get install nodejs npm python3-venv"; exit 1; }

HUB_PREFIX := /opt/dnn-course
hub: install hub-packages  ## a trial course hub on this machine (as root): JupyterHub at http://localhost:8000/ for the trial roster
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' \
		|| { echo "the hub's proxy (configurable-http-proxy 5.2) needs Node.js 20 or later; this is $$(node --version)"; exit 1; }
	$(PY) -m autograder.hub setup --prefix $(HUB_PREFIX)
	$(PY) -m autograder.hub run --prefix $(HUB_PREFIX)

test: install postgres hub-packages  ## run every test: unit tests, generated files in sync, nbval, nbgrader validate, fair grading
	$(PY) -m autograder sync
	$(PY) -m pytest -q --nbval-lax --nbval-current-env tests $(NOTEBOOKS)

test-fast: install  ## the tests that start no kernel and ask no registry: each module's contract, in seconds
	$(PY) -m pytest -q -m "not kernels and not network" tests

reference: install  ## rebuild autograder/reference/ from the solution cells of source/
	$(PY) -m autograder.generators.reference_solutions $(ASSIGNMENTS)

expected: reference  ## rebuild testCases/expected.json, the expected values of the visible checks
	$(PY) -m autograder.generators.visible_expected

figures: install  ## redraw the notebook figures
	$(PY) -m autograder.generators.figures

datasets: install  ## rebuild the application's HDF5 data set from scikit-learn's digits (maintainer tool)
	$(PY) -m autograder.generators.datasets

generate: reference expected figures  ## rebuild every generated file but the releases

release: generate  ## generate the student versions in release/ with nbgrader
	$(PY) -m autograder release $(ASSIGNMENTS)

# The oldest Python the kit supports (pyproject.toml: requires-python = ">=3.11"). `make lock` resolves the pins
# for it, so that they install on every 3.11, Debian 12's /usr/bin/python3 (3.11.2) included, and on newer ones.
LOCK_PYTHON := 3.11.0

lock:  ## re-pin requirements.txt from requirements.in, resolved for the oldest supported Python (LOCK_PYTHON)
	rm -rf build/lock && python3 -m venv build/lock
	build/lock/bin/pip install --quiet --disable-pip-version-check --dry-run --ignore-installed --only-binary=:all: \
		--python-version $(LOCK_PYTHON) --target build/lock/target --report build/lock/report.json -r requirements.in
	build/lock/bin/python -m autograder.generators.lock build/lock/report.json requirements.txt

clean:  ## remove the environment, the gradebook and grading output
	rm -rf $(VENV) build gradebook.db submitted autograded feedback grades

DEMO := build/demo
# Not after `release`: nbgrader's generate_assignment records the assignments in the course's own gradebook, and
# release/ is committed and current (a test says so). The demo needs the shared modules beside the instructor notebooks.
demo: install  ## the instructor's demo: a sample class of the committed release, graded in a scratch course under build/demo/
	$(PY) -m autograder sync
	$(PY) -m autograder.generators.demo_course $(DEMO)/course
	$(PY) -m autograder.generators.sample_class $(DEMO)/submitted
	@$(PY) -m autograder grade $(DEMO)/submitted --assignment step_by_step --course $(DEMO)/course \
		--out $(DEMO)/grades --force; \
	status=$$?; test $$status -le 1 || exit $$status; \
	echo; echo "Open $(DEMO)/grades/report.html for the class report and $(DEMO)/grades/feedback/ for each student's page."; \
	echo "(The sample class has broken submissions on purpose: they are the ones listed as needing attention.)"

bench-grade: release  ## benchmark: the kit (warm kernels) against the fresh-kernel floor, its --cold-kernels, --no-sandbox and plain nbgrader
	$(PY) -m autograder.bench.grading --students 40

bench-scale: release postgres  ## benchmark: the local pool against a local Dask cluster, the gradebook recorder into SQLite and PostgreSQL, 10,000 students projected
	$(PY) -m autograder.bench.scale

bench-diagnosis: install  ## measure: caught bugs named with a right cause (target 80%), wrong causes and false fails (0), catalogue and real-style corpus
	$(PY) -m autograder.bench.diagnosis

bench-similarity: release  ## measure: the similarity check's precision and recall on a planted class, and its time beside grading's
	$(PY) -m autograder.bench.similarity

bench: install  ## benchmark: the NumPy layer functions against PyTorch at the original course's scale
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@$(PY) -c "import torch; print('PyTorch', torch.__version__, 'CUDA', torch.version.cuda, '(benchmark-only extra: requirements-bench.txt)')"
	$(PY) -m autograder.bench.layers
