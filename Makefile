# The few targets a newcomer needs. `make demo` and `make test` work on a fresh Debian/Ubuntu
# machine: each first installs the Debian packages it needs (.ci/system-deps.sh: as root, else
# through sudo -n, else it stops with the exact apt-get line), then .venv with gongshi.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test check stats lint fmt clean system-deps system-deps-demo system-deps-test golden bench

$(STAMP): pyproject.toml | system-deps-demo
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## setup: create .venv and install gongshi with its test tools
setup: $(STAMP)

## system-deps: Debian packages for PDFs, fonts, QR decoding and browser tests (demo and test run it too)
system-deps: system-deps-test

system-deps-demo:
	bash .ci/system-deps.sh demo

system-deps-test:
	bash .ci/system-deps.sh test

## demo: validate the shipped content and build the demo site and boards into site/
demo: system-deps-demo $(STAMP)
	$(BIN)/python build.py stats
	-$(BIN)/python build.py admin-fetch   # the web editor's script from npm; optional, the site builds without it
	$(BIN)/python build.py
	@echo "完成：用浏览器打开 site/ 需经本地服务器：$(BIN)/python build.py serve ，然后访问 http://127.0.0.1:8000/"
	@echo "Done. Preview: $(BIN)/python build.py serve, then open http://127.0.0.1:8000/ ; boards are in site/boards/."

## test: run the whole test suite
test: system-deps-test $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/python build.py check

stats: $(STAMP)
	$(BIN)/python build.py stats

lint: $(STAMP)
	$(BIN)/ruff check generator tests build.py
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format generator tests build.py

clean:
	rm -rf site .cache .pytest_cache

## golden: regenerate tests/golden/ after an intended change to page templates (review the diff)
golden: $(STAMP)
	GOLDEN_UPDATE=1 $(BIN)/python -m pytest -q tests/test_golden.py

## bench: the province-scale comparison at 200 units (see benchmarks/README.md for the full run)
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py --units 200 --only gongshi,hugo
