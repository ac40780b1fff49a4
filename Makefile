# The one entry point. `make lab` and `make test` set everything up on a machine with python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8888
# JupyterLab refuses to run as root unless told to (containers and CI run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help lab instructor test test-quick lint browser postgres sandbox attacks grade screenshots demo exercises bench notebooks figures lock clean

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
	@echo "make bench       notebook run time and widget update time (medians)"
	@echo "make notebooks   regenerate notebooks/ from source/ (nbgrader generate_assignment)"
	@echo "make figures     redraw the static figures in source/ from the notebooks' own code"
	@echo "make lock        re-resolve and pin every dependency (requirements*.txt, environment.yml)"

# Create the venv if missing; reinstall when the pins or the package metadata change.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# Learners should not meet a "get Jupyter news?" pop-up on their first start.
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyterlab/apputils-extension:announcements >/dev/null
	touch $(STAMP)

# Learners get the learner settings (jupyter-config/learner): no instructor menus, no news pop-up.
lab: $(STAMP)
	@echo "Open the URL printed below (with its token) in your browser."
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/learner" $(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) \
		--ServerApp.root_dir=notebooks $(ROOT_FLAG)

# Instructors: formgrader and nbgrader's commands read nbgrader_config.py from the course root.
instructor: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG)

test: $(STAMP) lint browser postgres sandbox
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
	$(BIN)/python -m autograder.attacks

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
	$(BIN)/python -m autograder.demo

# The learner's verdict and the graded points of every catalogued answer (EXERCISES_FLAGS=--visible …).
exercises: $(STAMP) sandbox
	$(BIN)/python -m autograder.answers $(EXERCISES_FLAGS)

# Both parts always run: a part that misses a target says so in its own output and in the summary,
# and the exit status at the end is non-zero if any part missed one.
bench: $(STAMP)
	@learner=0; grading=0; \
	$(BIN)/python -m autograder.bench || learner=1; \
	$(BIN)/python -m autograder.bench_grading || grading=1; \
	say() { [ $$1 = 0 ] && echo "within target" || echo "MISSED A TARGET (see above)"; }; \
	echo "bench summary: notebook and widget waits: $$(say $$learner); class grading: $$(say $$grading)"; \
	[ $$learner = 0 ] && [ $$grading = 0 ]

notebooks: $(STAMP)
	$(BIN)/python -m autograder.release

figures: $(STAMP)
	$(BIN)/python -m autograder.figures
	$(BIN)/python -m autograder.release

lock:
	$(PYTHON) -m autograder.lock

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
