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
	@echo '$$ claimtrack show 8'
	@$(CLAIMTRACK) --db claims.db show 8
	@echo
	@echo '$$ claimtrack report --title "Sora and China'"'"'s AI industry, 2024"'
	@$(CLAIMTRACK) --db claims.db report --title "Sora and China's AI industry, 2024"

test: install
	$(BIN)/python -m pytest

# The bundled example database, rebuilt from the readable example file.
claims.db: examples/sora-china-2024.jsonl install
	rm -f claims.db claims.db-wal claims.db-shm
	$(CLAIMTRACK) --db claims.db import examples/sora-china-2024.jsonl

# Speed at 10,000, 100,000 and 1,000,000 claims (BENCH_SIZES to choose); writes BENCHMARKS.md.
# claimtrack is measured as users install it (pip install ., not the editable install of .venv).
BENCH_VENV := .venv-bench
bench:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet --force-reinstall --no-deps .
	$(BENCH_VENV)/bin/python -m pip install --quiet .
	$(BENCH_VENV)/bin/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) build *.egg-info .pytest_cache .hypothesis
