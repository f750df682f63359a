# The two commands a newcomer needs are `make run` and `make test`; everything else is a step of those.
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
DOULA := $(BIN)/doula

# Rasa's telemetry and Sentry error reporting try the network: off for every command run from here.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help install run test train validate check lint chat lock clean bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements/requirements.lock pyproject.toml scripts/install.sh
	@scripts/install.sh

install: $(VENV)/.installed  ## create .venv and install the exact lock (quick when nothing changed)

run: install  ## train if the model is stale, then serve the bot with the local web chat
	$(DOULA) run

train: install  ## train the model if its inputs changed
	$(DOULA) train

validate: install  ## check content and Rasa training data (warnings fail)
	$(DOULA) content check
	$(DOULA) validate

lint: install  ## static checks on the Python code
	$(BIN)/ruff check bot actions tests bench

test: install lint validate train  ## everything CI runs: lint, validate, train, then unit, action and end-to-end tests
	$(BIN)/pytest -q

chat: install  ## a conversation in this terminal (starts the action server for you)
	$(DOULA) chat

# BENCH_ARGS passes options through, e.g. make bench BENCH_ARGS="-n 400 -c 20 --profile production --json bench.json"
bench: install train  ## throughput and latency of the whole product against bare Rasa, and the own layers' cost
	$(BIN)/python -m bench $(BENCH_ARGS)

lock:  ## re-resolve requirements/requirements.lock from requirements/requirements.in
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile requirements/requirements.in --override requirements/overrides.txt \
	  --python-version 3.10 --python-platform x86_64-manylinux_2_28 --generate-hashes --no-header \
	  -o requirements/requirements.lock

clean:  ## remove trained models and local databases (keeps .venv)
	rm -rf models var .pytest_cache
