# The one entry point. `make lab` and `make test` set everything up on a machine with python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8888
# JupyterLab refuses to run as root unless told to (containers and CI run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help lab instructor test test-quick lint demo bench notebooks figures lock clean

help:
	@echo "make lab         start JupyterLab on notebooks/ (http://127.0.0.1:$(PORT))"
	@echo "make instructor  start JupyterLab at the course root, for nbgrader's formgrader"
	@echo "make test        the whole test suite, lint included"
	@echo "make test-quick  the fast tests only (seconds)"
	@echo "make demo        the instructor workflow end to end on generated submissions"
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

lab: $(STAMP)
	@echo "Open the URL printed below (with its token) in your browser."
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) \
		--ServerApp.root_dir=notebooks $(ROOT_FLAG)

# Instructors: formgrader and nbgrader's commands read nbgrader_config.py from the course root.
instructor: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG)

test: $(STAMP) lint
	$(BIN)/python -m pytest

test-quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

lint: $(STAMP)
	$(BIN)/ruff check .

demo: $(STAMP)
	$(BIN)/python -m autograder.demo

bench: $(STAMP)
	$(BIN)/python -m autograder.bench

notebooks: $(STAMP)
	$(BIN)/python -m autograder.release

figures: $(STAMP)
	$(BIN)/python -m autograder.figures
	$(BIN)/python -m autograder.release

lock:
	$(PYTHON) -m autograder.lock

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
