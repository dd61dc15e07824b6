# Two commands after cloning: `make book` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book site test test-fast speed data clean pdf notebooks chapter

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "error: could not create $(VENV); is python3-venv installed?" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --path-output . -n -W --keep-going

# Everything the published site offers: the HTML, each chapter's notebook and the whole-book PDF.
site: book
	$(BIN)/python -m analysis.site.notebooks
	$(BIN)/python -m analysis.site.pdf

test: $(STAMP)
	$(BIN)/python -m pytest

# The tests that build no book, on two processes (pytest-xdist): about half the time of one on 2 cores.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -n 2

# The whole report as one PDF (offline): single-page HTML printed by Chromium -> _build/pdf/doubling-time.pdf
# (also copied into _build/html, where every page's footer links it). Run after `make book`.
pdf: $(STAMP)
	$(BIN)/python -m analysis.site.pdf

# Each chapter as an executed notebook -> _build/notebooks/<name>.ipynb (and _build/html/notebooks/).
notebooks: $(STAMP)
	$(BIN)/python -m analysis.site.notebooks

# Run one chapter: make chapter NAME=trend (then open _build/notebooks/trend.ipynb in Jupyter).
chapter: $(STAMP)
	@test -n "$(NAME)" || { echo "error: say which chapter: make chapter NAME=trend" >&2; exit 1; }
	$(BIN)/python -m analysis.site.notebooks $(NAME)

# Build from scratch and report build time, per-chapter execution time, page weights, first paint.
# Options: make speed SPEED="--runs 5 --tests --no-paint"; SPEED=--record also times the tests and
# writes book/speed.json, the measurements the reproducibility page shows (commit it).
speed: $(STAMP)
	$(BIN)/python -m analysis.site.speed $(SPEED)

# Re-create data/metr, data/compute and data/benchmarks from the upstream files beside the repository (../shared/data).
data: $(STAMP)
	for f in benchmark_results_1_0.yaml history/benchmark_results_1_1_2026-01-30.yaml \
	         history/benchmark_results_1_1_2026-03-03.yaml benchmark_results_1_1.yaml task_results_1_1.yaml; do \
	  $(BIN)/python -m analysis.metr import ../shared/data/metr/$$f || exit 1; done
	$(BIN)/python -m analysis.epoch import   # data/compute from ../shared/data/epoch
	$(BIN)/python -m analysis.benchmarks import

clean:
	rm -rf _build
