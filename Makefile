# A newcomer types `make run` and `make test`; both install dependencies first when they are missing.
.DEFAULT_GOAL := help
.PHONY: help install run dev test lint format typecheck build bench client fuzz migrate soak

DEPS := node_modules/.package-lock.json

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(DEPS): package.json package-lock.json
	npm ci --no-audit --no-fund

install: $(DEPS) ## install dependencies exactly as locked

run: $(DEPS) ## serve the API on :3000 (zero configuration)
	node --import tsx src/bootstrap/cli.ts serve

dev: $(DEPS) ## serve with restart on change
	node --import tsx --watch src/bootstrap/cli.ts serve

# `npm test` runs the suites under c8 (.c8rc.json; report in coverage/), then the gate prints one
# coverage line; with CI=true it also fails below a threshold. The tests' own failure wins the exit code.
test: $(DEPS) ## run every test suite (service-backed suites run when their service answers), with coverage
	@status=0; gate=0; npm test || status=$$?; \
	node --import tsx test/support/coverage-gate.ts || gate=$$?; \
	exit $$(( status ? status : gate ))

lint: $(DEPS) ## formatting, lint rules and the import rules
	npm run lint

format: $(DEPS) ## fix formatting and safe lint findings
	npm run format

typecheck: $(DEPS) ## type-check everything, tests included
	npm run typecheck

build: $(DEPS) ## compile to dist/
	npm run build

bench: $(DEPS) ## benchmarks; figures printed and written to bench-results/
	npm run bench

soak: $(DEPS) ## 10 min at 70 % of measured capacity on the production profile (needs PostgreSQL, Redis, NATS); SOAK_MINUTES, SOAK_SHARE
	node --import tsx test/scale/soak.ts

client: $(DEPS) ## regenerate the typed client's types, client/<version>.d.ts, from the OpenAPI documents
	npm run client

fuzz: $(DEPS) ## spec-driven API fuzz, FUZZ_RUNS requests (100000); FUZZ_SEED replays, FUZZ_ONLY narrows
	npm run fuzz

migrate: $(DEPS) ## apply pending migrations (keel migrate up; MIGRATE=status|down|"to <name>")
	node --import tsx src/bootstrap/cli.ts migrate $(or $(MIGRATE),up)
