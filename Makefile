# The two set-up commands of the README: `make run` and `make test`.
HOME_DIR ?= $(CURDIR)/sample-home
FM := .venv/bin/foldermind

.PHONY: setup run test test-fast lint

setup:
	./scripts/setup.sh
	./scripts/install-ocr.sh

run: setup
	@test -f "$(HOME_DIR)/config.toml" || { $(FM) --home "$(HOME_DIR)" init && cp -r sample/. "$(HOME_DIR)/context/"; }
	$(FM) --home "$(HOME_DIR)" run

test: setup
	./scripts/install-browser.sh
	.venv/bin/ruff check .
	.venv/bin/python -m pytest -q

# The edit loop: everything but the end-to-end tests that start real processes (`make test` runs those too).
test-fast: setup
	.venv/bin/python -m pytest -q -m "not slow"

lint: setup
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
