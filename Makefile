# Parcours — the README's two commands: `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
DB ?= data/parcours.sqlite
HOST ?= 127.0.0.1
PORT ?= 8080
DEMO_DB ?= data/demo.sqlite
DEMO_PARTICIPANTS ?= 2000
DEMO_SEED ?= 1
# The server's release build links the Swift runtime and Foundation statically: the process then
# maps only the parts it uses and resolves no Swift symbols at start. Idle RSS on the 100k demo
# database 29.6 -> 24.0 MiB, start-up 48 -> 30 ms (docs/PERFORMANCE.md, stop 13). The binary
# still links the system's libsqlite3 and libz.
RELEASE_BUILD = $(SWIFT) build -c release --static-swift-stdlib --product parcours

.PHONY: all deps build release run test fuzz openapi migrate clean demo bench soak

all: build

# A fresh machine has only the toolchain: install the C libraries we link when missing.
deps:
	@missing=""; \
	for p in libsqlite3-dev zlib1g-dev; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(RELEASE_BUILD)

run: release
	@mkdir -p $(dir $(DB))
	.build/release/parcours serve --db $(DB) --host $(HOST) --port $(PORT)

migrate: release
	@mkdir -p $(dir $(DB))
	.build/release/parcours migrate --db $(DB)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	python3 scripts/openapi.py --check
	$(MAKE) fuzz

# Schemathesis in a venv of its own, installed once (the version is pinned).
VENV := .build/venv
SCHEMATHESIS_VERSION := 4.32.5
$(VENV)/bin/schemathesis:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q schemathesis==$(SCHEMATHESIS_VERSION)

# The schema-driven fuzzer against a live server on a fresh database (scripts/fuzz.sh);
# FUZZ_EXAMPLES and FUZZ_MAX_TIME bound the run.
fuzz: deps $(VENV)/bin/schemathesis
	$(SWIFT) build --product parcours
	SCHEMATHESIS=$(VENV)/bin/schemathesis scripts/fuzz.sh

# Regenerates the OpenAPI document from its Python source.
openapi:
	python3 scripts/openapi.py

# A new database filled with a synthetic PLIE (docs/DEMO.md); then: make run DB=$(DEMO_DB)
demo: release
	@mkdir -p $(dir $(DEMO_DB))
	.build/release/parcours demo --db $(DEMO_DB) --participants $(DEMO_PARTICIPANTS) --seed $(DEMO_SEED)

# Figures at scale and the reference comparison (docs/PERFORMANCE.md). Prints, never fails on a budget.
bench: deps
	scripts/bench.sh

# Minutes of mixed load and slow clients; RSS and descriptors must stay flat. Not in CI.
soak: deps
	scripts/soak.sh

clean:
	rm -rf .build
