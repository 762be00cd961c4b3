# ganad: `make course` runs the course, `make test` runs the tests. Both set things up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PROFILE ?= $(or $(GANAD_PROFILE),)
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
NB_TIMEOUT ?= 1800

.PHONY: setup course lab test unit nbtest lint data clean help judges pretrained notebook-text

help:
	@echo "make setup   - create $(VENV) and install ganad_lib (editable) with its dev tools"
	@echo "make course  - set up, prepare data, run every notebook into build/ (ipynb + html)"
	@echo "make lab     - open JupyterLab on notebooks/"
	@echo "make test    - set up, then unit tests + every notebook under nbval (smoke profile)"
	@echo "make slides  - build the seminar deck into build/slides/ (HTML + PDF; RESULTS=path/to/runs.csv)"
	@echo "make notebook-text - regenerate notebooks/text/*.py, the reviewable twins of the notebooks"
	@echo "make judges  - retrain the judges (classifiers that measure generators; ganad_lib/judges/)"
	@echo "make pretrained - retrain the shipped long-trained GAN, BiGAN, GANomaly (ganad_lib/pretrained/)"
	@echo "profile: GANAD_PROFILE=smoke|cpu|full (default: full with CUDA, else cpu)"

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ganad)" >/dev/null
	@touch $@

setup: $(VENV)/.installed

data: setup
	$(PY) -m ganad_lib.data

course: data
	@mkdir -p build/notebooks
	@for nb in $(NOTEBOOKS); do \
	  echo "== $$nb (profile: $${GANAD_PROFILE:-default})"; \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=$(NB_TIMEOUT) \
	    --output-dir build/notebooks "$$nb" || exit 1; \
	  $(VENV)/bin/jupyter nbconvert --to html --output-dir build/notebooks \
	    --TagRemovePreprocessor.remove_input_tags=hide-input \
	    "build/notebooks/$$(basename $$nb)" >/dev/null || exit 1; \
	done
	@echo "executed notebooks and HTML are in build/notebooks/"

lab: setup
	$(VENV)/bin/jupyter lab notebooks/

unit: setup
	$(PY) -m pytest tests -q

nbtest: setup
	GANAD_PROFILE=smoke MPLBACKEND= $(PY) -m pytest -q --nbval-lax --nbval-current-env \
	  --nbval-kernel-startup-timeout 180 --nbval-cell-timeout 600 -p no:python notebooks

test: setup
	GANAD_PROFILE=smoke MPLBACKEND= $(PY) -m pytest -q tests notebooks --nbval-lax --nbval-current-env \
	  --nbval-kernel-startup-timeout 180 --nbval-cell-timeout 600

lint: setup notebook-text
	$(VENV)/bin/ruff check ganad_lib tests notebooks/text

# A text twin of every notebook (jupytext percent format, no outputs) for reviews and the linter;
# tests/test_notebook_text.py fails when a twin is out of date.
notebook-text: setup
	@mkdir -p notebooks/text
	@for nb in $(NOTEBOOKS); do \
	  $(PY) -c "import sys, jupytext; nb = jupytext.read(sys.argv[1]); \
nb.metadata = {k: v for k, v in nb.metadata.items() if k == 'kernelspec'}; \
open(sys.argv[2], 'w').write(jupytext.writes(nb, fmt='py:percent'))" "$$nb" "notebooks/text/$$(basename $$nb .ipynb).py"; \
	done

clean:
	rm -rf build .pytest_cache

# The seminar deck (slides/README.md): reveal.js HTML and a PDF, built from the results in RESULTS.
RESULTS ?= $(or $(GANAD_SLIDES_RESULTS),results/cpu/runs.csv)
SLIDES_OUT ?= build/slides
.PHONY: slides
# the title slide: make slides PRESENTER="Ada Lovelace" AFFILIATION="Univ. X" DATE="1 Dec 2026"
TITLE ?=
PRESENTER ?=
AFFILIATION ?=
DATE ?=
slides: setup
	$(PY) slides/build.py --results "$(RESULTS)" --out "$(SLIDES_OUT)" \
	  $(if $(TITLE),--title "$(TITLE)") $(if $(PRESENTER),--presenter "$(PRESENTER)") $(if $(AFFILIATION),--affiliation "$(AFFILIATION)") \
	  $(if $(DATE),--date "$(DATE)")

# The judges (ganad_lib/judge.py) and the long-trained models (ganad_lib/pretrained.py), shipped in
# ganad_lib/; both write a manifest with the weights' SHA-256. Training checkpoints every epoch into
# checkpoints/ and resumes from there when interrupted.
judges: setup
	$(PY) -m ganad_lib.judge train --dataset fashion_mnist
	$(PY) -m ganad_lib.judge train --dataset mnist

pretrained: setup
	$(PY) -m ganad_lib.pretrained build all
