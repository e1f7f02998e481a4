PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck layers pytest bench content installer clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,server,bench,installer]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pixdesk demo $(DEMO_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check pixdesk tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy pixdesk/engine pixdesk/content pixdesk/store pixdesk/sync pixdesk/server \
		pixdesk/lockdown pixdesk/room pixdesk/crypto.py pixdesk/errors.py pixdesk/chain.py pixdesk/sqlite.py pixdesk/session.py \
		pixdesk/exam.py pixdesk/demo.py pixdesk/paths.py pixdesk/config.py pixdesk/doctor.py \
		pixdesk/trust.py pixdesk/invigilator.py pixdesk/logs.py pixdesk/roomlink.py pixdesk/room_pc.py
	$(BIN)/mypy pixdesk/ui pixdesk/commands pixdesk/app.py pixdesk/cli.py

layers: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q $(PYTEST_ARGS)

test: lint typecheck layers pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/engine_vs_catsim.py
	$(BIN)/python benchmarks/store.py
	$(BIN)/python benchmarks/server_ingest.py --attempts 60

content: $(STAMP)
	$(BIN)/pixdesk content build resources/content pixdesk/resources/demo/demo.pixpkg \
		--signing-key resources/keys/demo-content-authority.key \
		--content-key pixdesk/resources/demo/demo-content.key
	$(BIN)/python scripts/make_demo_session.py resources/keys/demo-server.key

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

installer: $(STAMP)
	$(BIN)/pip install -q -e '.[installer]'
	PYTHON=$(BIN)/python installer/build.sh
