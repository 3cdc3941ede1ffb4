# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CLAIMTRACK := $(BIN)/claimtrack

.PHONY: demo test install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	@echo '$$ claimtrack speakers'
	@$(CLAIMTRACK) --db claims.db speakers
	@echo
	@echo '$$ claimtrack list --speaker "Zhou Hongyi"'
	@$(CLAIMTRACK) --db claims.db list --speaker "Zhou Hongyi"
	@echo
	@echo '$$ claimtrack show 7'
	@$(CLAIMTRACK) --db claims.db show 7

test: install
	$(BIN)/python -m pytest

# The bundled example database, rebuilt from ordinary claimtrack commands.
claims.db: examples/build-claims-db.sh install
	rm -f claims.db claims.db-wal claims.db-shm
	CLAIMTRACK=$(CLAIMTRACK) bash examples/build-claims-db.sh claims.db

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
