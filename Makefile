# kubecis — the front door. `make` (or `make help`) lists the targets.
#
# Tool versions are pinned here and nowhere else. The tools are built from their Go
# modules into .tools/ (git-ignored); nothing is downloaded as a release binary.
OPA_VERSION      := v1.22.3
CONFTEST_VERSION := v0.69.0
ACTIONLINT_VERSION := v1.7.12
# Regal: the Go module proxy answers 403 for github.com/open-policy-agent/regal and
# github.com/StyraInc/regal (checked 2026-11-28), so `make lint` uses `opa check --strict`
# and `opa fmt` only. Set REGAL_VERSION and add the install rule once it is served.

SHELL       := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TOOLS    := $(CURDIR)/.tools
OPA      := $(TOOLS)/bin/opa
CONFTEST := $(TOOLS)/bin/conftest
ACTIONLINT := $(TOOLS)/bin/actionlint
OUT      := build/out
POLICY_SOURCES := $(shell find policies -type f \( -name '*.rego' -o -name '*.yaml' -o -name '*.json' -o -name .manifest \) 2>/dev/null)
TS_SOURCES     := $(shell find src -type f -name '*.ts' 2>/dev/null)

export KUBECIS_OPA := $(OPA)
export KUBECIS_CONFTEST := $(CONFTEST)

##@ General

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target>\n"} \
	  /^[a-zA-Z0-9_.-]+:.*?##/ { printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2 } \
	  /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

.PHONY: demo
demo: build ## Scan the bundled sample (a kubeadm v1.33 static pod manifest)
	@node dist/kubecis.mjs test samples/kubeadm-v1.33/kube-apiserver.yaml || [ $$? -eq 1 ]

##@ Build

.PHONY: tools
tools: $(OPA) $(CONFTEST) $(ACTIONLINT) ## Build the pinned opa, conftest and actionlint into .tools/

$(TOOLS)/opa-$(OPA_VERSION):
	@mkdir -p $(TOOLS)/bin
	GOBIN=$(TOOLS)/gobin go install github.com/open-policy-agent/opa@$(OPA_VERSION)
	mv $(TOOLS)/gobin/opa $@

$(TOOLS)/conftest-$(CONFTEST_VERSION):
	@mkdir -p $(TOOLS)/bin
	GOBIN=$(TOOLS)/gobin go install github.com/open-policy-agent/conftest@$(CONFTEST_VERSION)
	mv $(TOOLS)/gobin/conftest $@

$(TOOLS)/actionlint-$(ACTIONLINT_VERSION):
	@mkdir -p $(TOOLS)/bin
	GOBIN=$(TOOLS)/gobin go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	mv $(TOOLS)/gobin/actionlint $@

$(OPA): $(TOOLS)/opa-$(OPA_VERSION)
	ln -sf ../$(notdir $<) $@
$(CONFTEST): $(TOOLS)/conftest-$(CONFTEST_VERSION)
	ln -sf ../$(notdir $<) $@
$(ACTIONLINT): $(TOOLS)/actionlint-$(ACTIONLINT_VERSION)
	ln -sf ../$(notdir $<) $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# What `build` makes and the npm package ships (package.json "files").
ARTIFACTS := src/rbac-snapshot.ts $(OUT)/bundle.wasm.tar.gz $(OUT)/bundle.rego.tar.gz $(OUT)/catalog.json $(OUT)/host-data.json dist/cli/index.js

.PHONY: build
build: $(ARTIFACTS) ## Compile policies (WASM + Rego bundles, catalogue) and the TypeScript host

# npm pack's prepack (package.json): a tarball packed from a clone without the build, or with
# a build older than its sources, would ship no CLI or a stale one. `make -q` asks the rules
# above, so "stale" means what `make build` would rebuild.
.PHONY: check-built
check-built:
	@$(MAKE) --no-print-directory --question $(ARTIFACTS) || { \
	  echo "kubecis: npm pack: the build (dist/, build/out/) is missing or older than its sources; run \`make release\` (it builds, then packs into build/release/)" >&2; exit 1; }

.PHONY: bundle
bundle: build ## Write the OPA bundles (Rego + WASM, .manifest with revision and roots) and the unpacked Rego bundle for conftest to build/out/opa/
	node dist/kubecis.mjs bundle $(OUT)/opa

$(OUT)/capabilities.json: build/wasm-builtins.json build/policies.mjs $(OPA)
	node build/policies.mjs capabilities

$(OUT)/bundle.wasm.tar.gz: $(POLICY_SOURCES) $(OUT)/capabilities.json build/policies.mjs $(OPA)
	node build/policies.mjs wasm

$(OUT)/bundle.rego.tar.gz: $(POLICY_SOURCES) $(OUT)/capabilities.json build/policies.mjs $(OPA)
	node build/policies.mjs rego

$(OUT)/catalog.json: $(OUT)/bundle.rego.tar.gz build/policies.mjs $(OPA)
	node build/policies.mjs catalog

$(OUT)/host-data.json: $(OUT)/bundle.wasm.tar.gz build/policies.mjs
	node build/policies.mjs host-data

# The RbacSnapshot type, generated from its schema (committed; test/schema-types.test.ts checks it).
src/rbac-snapshot.ts: schemas/rbacsnapshot.schema.json build/schema-types.mjs
	node build/schema-types.mjs

dist/cli/index.js: src/rbac-snapshot.ts $(TS_SOURCES) tsconfig.json tsconfig.build.json build/bundle-cli.mjs node_modules/.package-lock.json
	npx tsc -p tsconfig.build.json
	node build/bundle-cli.mjs
	@chmod +x $@ dist/kubecis.mjs

.PHONY: clean
clean: ## Remove generated artifacts (not the tools)
	rm -rf $(OUT) dist coverage

.PHONY: docs
docs: docs/controls.md ## Regenerate docs/controls.md (the control catalogue page) from the policies' METADATA

docs/controls.md: $(OUT)/catalog.json build/docs.mjs
	node build/docs.mjs

##@ Release

VERSION := $(shell node -p 'require("./package.json").version')
RELEASE := build/release

.PHONY: release
release: $(RELEASE)/SHA256SUMS ## Pack the npm tarball (the release artifact) into build/release/ with SHA256SUMS

$(RELEASE)/SHA256SUMS: build
	rm -rf $(RELEASE) && mkdir -p $(RELEASE)
	npm pack --pack-destination $(RELEASE) --silent > /dev/null
	cd $(RELEASE) && sha256sum kubecis-$(VERSION).tgz > SHA256SUMS
	@cat $@

##@ Quality

.PHONY: test
test: build $(CONFTEST) test-rego test-ts ## Run every test: Rego unit tests with coverage, then vitest (fixtures, parity with opa eval, CLI)

.PHONY: test-rego
test-rego: $(OPA) ## Rego unit tests (opa test) with the coverage threshold
	$(OPA) test policies --timeout 120s $(if $(TEST),--run '$(TEST)')
	$(OPA) test policies --timeout 120s --coverage --threshold 95 > /dev/null

.PHONY: test-ts
test-ts: build ## vitest over fixtures through the public API, parity and build tests
	npx vitest run --reporter=default --reporter=json --outputFile=$(OUT)/vitest.json

.PHONY: lint
lint: $(OUT)/capabilities.json $(OPA) $(ACTIONLINT) node_modules/.package-lock.json ## opa check --strict against the WASM capabilities and the input schemas, opa fmt, tsc, actionlint
	$(ACTIONLINT) .github/workflows/*.yml
	$(OPA) check --strict --capabilities $(OUT)/capabilities.json --ignore '*_test.rego' policies
	$(OPA) check --strict --schema schemas policies
	$(OPA) fmt --list --fail policies
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p bench/floor/tsconfig.json --noEmit

.PHONY: fmt
fmt: $(OPA) ## Format the Rego sources
	$(OPA) fmt --write policies

.PHONY: bench
bench: build ## Benchmarks (see BENCHMARKS.md)
	npx tsc -p bench/floor/tsconfig.json
	node bench/run.mjs

.PHONY: bench-rbac
bench-rbac: build ## RBAC at scale: 1k, 10k and 100k generated bindings (BENCHMARKS.md, section RBAC)
	node bench/rbac.mjs
