# The README's two commands are `make demo` and `make test`; the rest are their parts.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EARLYHELP := $(BIN)/earlyhelp
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
STYLESHEET := build/static/earlyhelp.css
GOVUK := node_modules/govuk-frontend/dist/govuk
DEMO_FAMILIES ?= 500
DEMO_SEED ?= 1
# The demo serves plain http on loopback, so cookies cannot be https-only there; its people
# are all made up, so NHS numbers of the test range (999...) are accepted.
DEMO_ENV := EARLYHELP_HTTPS=false EARLYHELP_SYNTHETIC_DATA=true

.PHONY: install assets keys chromium fonts demo test lint bench mutation lock clean

install: $(INSTALLED)

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(STYLESHEET): $(NODE_INSTALLED) src/earlyhelp/web/scss/earlyhelp.scss
	mkdir -p build/static/govuk
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
		--quiet-deps src/earlyhelp/web/scss/earlyhelp.scss $@
	cp $(GOVUK)/govuk-frontend.min.js $(GOVUK)/govuk-frontend.min.js.map build/static/govuk/
	rm -rf build/static/govuk/assets && cp -r $(GOVUK)/assets build/static/govuk/assets

# Subject access bundles are printed in DejaVu Sans, from Debian's fonts-dejavu-core.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
		echo "Installing Debian's fonts-dejavu-core for subject access bundles"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends fonts-dejavu-core; }

keys: $(INSTALLED)
	$(EARLYHELP) keys init

assets: $(INSTALLED) $(STYLESHEET) keys fonts
	$(EARLYHELP) collectstatic --no-input --verbosity 0

demo: assets
	$(EARLYHELP) migrate --no-input --verbosity 0
	$(EARLYHELP) generate --families $(DEMO_FAMILIES) --seed $(DEMO_SEED)
	$(EARLYHELP) demo_users
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl+C to stop)"
	$(DEMO_ENV) $(EARLYHELP) runserver 127.0.0.1:8000

# The browser journeys drive Debian's chromium (Playwright never downloads a browser here).
chromium:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser journeys"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium; }

test: assets chromium
	$(BIN)/pytest -n auto

lint: $(INSTALLED)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

# Figures on a million generated persons in SQLite and PostgreSQL, databases kept in
# bench/data/ (the first run builds them, untimed); BENCH_GENERATOR=1 also times the generator.
bench: assets
	$(BIN)/python bench/run.py

# Mutation testing (mutmut) of the access rules, audit chain, extracts, policy decisions and
# search, each against its own tests, in a copy under build/mutation/; not part of `make test`
# or CI. MUTATE="access policy" runs some groups only; MUTATION_MINUTES=30 stops each group
# after 30 minutes, keeping the verdicts so far. Figures go to bench/results/.
MUTATE ?=
mutation: assets
	$(BIN)/python bench/mutation.py $(MUTATE)

# Re-pin requirements.lock from pyproject.toml (needs the network; run by hand).
lock:
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet pip-tools
	PIP_CONFIG_FILE=/dev/null build/lock-venv/bin/pip-compile --quiet --generate-hashes \
		--allow-unsafe --all-build-deps --extra dev --strip-extras \
		--output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules build var
