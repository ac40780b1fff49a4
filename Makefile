# The one entry point. `make lab` and `make test` set everything up on a machine with python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8888
# JupyterLab refuses to run as root unless told to (containers and CI run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help lab instructor test test-quick lint browser postgres sandbox attacks grade screenshots demo exercises bench notebooks figures lock clean hub hub-deps hub-clean

help:
	@echo "make lab         start JupyterLab on notebooks/ (http://127.0.0.1:$(PORT))"
	@echo "make instructor  start JupyterLab at the course root, for nbgrader's formgrader"
	@echo "make test        the whole test suite, lint included"
	@echo "make test-quick  the fast tests only (seconds: no notebook runs, no browser)"
	@echo "make browser     install Debian's Chromium for the browser tests (needs root and apt-get)"
	@echo "make screenshots redraw docs/screenshots/ from the browser tests"
	@echo "make grade       grade every submission in submitted/ in parallel (GRADE_FLAGS=--force …)"
	@echo "make demo        the instructor workflow end to end on generated submissions"
	@echo "make exercises   every exercise against its catalogue of right and wrong answers: verdict, points"
	@echo "make bench       learner waits (notebook runs, explorers in the kernel and in Chromium) and class grading"
	@echo "make notebooks   regenerate notebooks/ from source/ (nbgrader generate_assignment)"
	@echo "make figures     redraw the static figures in source/ from the notebooks' own code"
	@echo "make lock        re-resolve and pin every dependency (requirements*.txt, environment.yml)"
	@echo "make attacks     grade the hostile submissions with nbgrader as shipped and with this course"
	@echo "make lint        ruff over the Python and the notebooks"
	@echo "make sandbox     install Debian's bubblewrap, which sandboxes graded kernels (as root)"
	@echo "make postgres    install Debian's PostgreSQL for the gradebook tests (as root)"
	@echo "make hub         the course on JupyterHub with a demo class (as root; prints the URL and logins)"
	@echo "make hub-deps    install the hub's environment and configurable-http-proxy (as root)"
	@echo "make hub-clean   remove the demo class: its users, their homes, the hub's state"
	@echo "make clean       remove .venv and the caches"
	@echo "(docs/architecture.md says which module each target runs)"

# jsonschema imports rfc3987_syntax, when it is installed, only to check the "iri" string format,
# which no notebook or Jupyter schema here uses; building that module's grammar took 1.5 s of every
# nbgrader command, JupyterLab start and grading worker (`python -X importtime -m nbgrader list`;
# `nbgrader --version` 3.1 s -> 1.6 s). A .pth file marks it absent in every process of the venv.
skip-rfc3987-syntax = echo 'import sys; sys.modules.setdefault("rfc3987_syntax", None)' \
	> "$$($(1) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/course-skip-rfc3987-syntax.pth"

# Create the venv if missing; reinstall when the pins or the package metadata change.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# Learners should not meet a "get Jupyter news?" pop-up on their first start.
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyterlab/apputils-extension:announcements >/dev/null
	$(call skip-rfc3987-syntax,$(BIN)/python)
	touch $(STAMP)

# Learners get the learner settings (jupyter-config/learner): no instructor menus, no news pop-up.
lab: $(STAMP)
	@echo "Open the URL printed below (with its token) in your browser."
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/learner" $(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) \
		--ServerApp.root_dir=notebooks $(ROOT_FLAG)

# Instructors: formgrader and nbgrader's commands read nbgrader_config.py from the course root.
instructor: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG)

test: $(STAMP) lint browser postgres sandbox hub-deps
	$(BIN)/python -m pytest --durations=15

test-quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser" -q

lint: $(STAMP)
	$(BIN)/ruff check .

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
# Installed when missing and possible; elsewhere the browser tests are skipped, except in CI.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: /usr/bin/chromium is missing, so the browser tests will be skipped"; fi

# The class-scale grading tests also run against a real PostgreSQL server, which they start
# themselves from Debian's binaries; installed when missing and possible, as above.
sandbox:
	@if command -v bwrap >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's bubblewrap, the sandbox for graded kernels"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	else echo "note: bubblewrap is missing, so grading runs unsandboxed and its sandbox tests are skipped"; fi

attacks: $(STAMP) sandbox
	$(BIN)/python -m autograder.devtools.attacks

postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's postgresql for the gradebook tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "note: PostgreSQL is missing, so its gradebook tests will be skipped"; fi

screenshots: $(STAMP) browser
	rm -rf docs/screenshots
	COURSE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/browser -k "redraws or untouched or partly_right" -q

# Grade every submission in submitted/ (this folder's course), in parallel, then write the CSV.
grade: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/course-grade --course . $(GRADE_FLAGS)

demo: $(STAMP)
	$(BIN)/python -m autograder.devtools.demo

# The learner's verdict and the graded points of every catalogued answer (EXERCISES_FLAGS=--visible …).
exercises: $(STAMP) sandbox
	$(BIN)/python -m autograder.devtools.answers $(EXERCISES_FLAGS)

# Every part always runs: a part that misses a target says so in its own output and in the summary,
# and the exit status at the end is non-zero if any part missed one.
bench: $(STAMP) browser
	@learner=0; browser=0; grading=0; \
	$(BIN)/python -m autograder.devtools.bench || learner=1; \
	$(BIN)/python -m autograder.devtools.bench_browser || browser=1; \
	$(BIN)/python -m autograder.devtools.bench_grading || grading=1; \
	say() { [ $$1 = 0 ] && echo "within target" || echo "MISSED A TARGET (see above)"; }; \
	echo "bench summary: notebook and explorer waits in the kernel: $$(say $$learner);" \
	     "explorers in the browser: $$(say $$browser); class grading: $$(say $$grading)"; \
	[ $$learner = 0 ] && [ $$browser = 0 ] && [ $$grading = 0 ]

notebooks: $(STAMP)
	$(BIN)/python -m autograder.devtools.release

figures: $(STAMP)
	$(BIN)/python -m autograder.devtools.figures
	$(BIN)/python -m autograder.devtools.release

lock:
	$(PYTHON) -m autograder.devtools.lock

# --- the course on JupyterHub (deploy/jupyterhub; README: "Running a class on JupyterHub") ---------
# The hub's own environment, as a hub image holds it: Debian's python3 (every user can run it, unlike
# a Python under /root), the pins of requirements-hub.txt and the course package from its wheel
# (not editable), reinstalled whenever the package or the pins change.
HUB_PREFIX ?= /opt/d2l-math-hub
HUB_VENV := $(HUB_PREFIX)/venv
HUB_PORT ?= 8000
HUB_IP ?= 127.0.0.1
HUB_STATE ?= /srv/d2l-math-hub
HUB_NODE := deploy/jupyterhub/node_modules/.bin/configurable-http-proxy

$(HUB_VENV)/.installed: requirements-hub.txt pyproject.toml $(shell find autograder -name '*.py' -o -name '*.js' -o -name '*.css')
	test -x $(HUB_VENV)/bin/python || /usr/bin/python3 -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet -r requirements-hub.txt
	# Built from a copy, so that the build leaves nothing in this checkout.
	tmp=$$(mktemp -d) && cp -r pyproject.toml README.md LICENSE autograder $$tmp/ && \
		$(HUB_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall $$tmp; \
		status=$$?; rm -rf $$tmp; exit $$status
	$(HUB_VENV)/bin/jupyter labextension disable --level=sys_prefix @jupyterlab/apputils-extension:announcements >/dev/null
	$(call skip-rfc3987-syntax,$(HUB_VENV)/bin/python)
	touch $@

$(HUB_NODE): deploy/jupyterhub/package.json deploy/jupyterhub/package-lock.json
	cd deploy/jupyterhub && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's nodejs/npm (configurable-http-proxy) and python3-venv, then the two environments. As root
# (CI runs `make test` so); elsewhere the hub test is skipped.
hub-deps: postgres sandbox
	@if [ "$$(id -u)" != 0 ]; then echo "note: not root, so the JupyterHub deployment is not installed and its test is skipped"; \
	else \
		missing=""; command -v npm >/dev/null || missing="nodejs npm"; \
		dpkg -s python3-venv >/dev/null 2>&1 || missing="$$missing python3-venv"; \
		if [ -n "$$missing" ]; then echo "installing Debian's $$missing for the JupyterHub deployment"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
		$(MAKE) --no-print-directory $(HUB_VENV)/.installed $(HUB_NODE); \
	fi

# Start the hub on $(HUB_IP):$(HUB_PORT) with the demo class of deploy/jupyterhub/class.toml (its
# users are created, with new passwords, on the first run); Ctrl-C stops it. As root.
# HUB_IP=0.0.0.0 listens beyond this machine: only behind HTTPS.
hub: hub-deps
	$(HUB_VENV)/bin/python deploy/jupyterhub/hubctl.py demo --state $(HUB_STATE) --ip $(HUB_IP) --port $(HUB_PORT)

# Remove the demo class: its system users, their homes, the hub's state.
hub-clean:
	$(HUB_VENV)/bin/python deploy/jupyterhub/hubctl.py teardown --state $(HUB_STATE)

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
