# The two commands of the README: `make run` and `make test`.

PORT     ?= 8080
DATA_DIR ?= ./data
GO       ?= go
BIN_DIR  := $(CURDIR)/bin

export PORT DATA_DIR

# Debian packages the service and its tests need, installed when missing:
# command:package pairs (python3, node and ruby run the generated scripts
# in internal/formats/names_test.go; unzip and python3 check the zips;
# chromium is the browser of e2e/browser_test.go).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT  := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

.PHONY: run test lint build deps clean fuzz bench

build:
	$(GO) build -o $(BIN_DIR)/ ./fcgi ./worker ./converter

deps:
	@missing=""; \
	for cp in lighttpd:lighttpd memcached:memcached python3:python3 node:nodejs ruby:ruby unzip:unzip chromium:chromium; do \
	  c=$${cp%%:*}; p=$${cp#*:}; \
	  command -v $$c >/dev/null 2>&1 || [ -x /usr/sbin/$$c ] || [ -x /usr/bin/$$c ] || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(APT) update -qq && $(APT) install -y -qq --no-install-recommends $$missing; \
	fi

run: deps build
	@BIN_DIR=$(BIN_DIR) exec scripts/run-service.sh

# Pinned, so that a new release of a checker never fails a build by itself.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The packages that run goroutines or processes: tested again under the
# race detector.
RACE_PKGS := ./internal/pipeline ./internal/jobs ./internal/status ./internal/proc \
	./internal/web ./internal/runner ./internal/dispatch ./worker ./fcgi

test: deps lint
	$(GO) test -timeout 25m ./...
	$(GO) test -race -timeout 25m $(RACE_PKGS)
	scripts/fuzz.sh 5s

lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt wants to change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOBIN=$(BIN_DIR)/tools $(GO) install $(STATICCHECK)
	$(BIN_DIR)/tools/staticcheck ./...

fuzz:
	scripts/fuzz.sh 2m

# The benchmarks, not part of `make test`: the service from upload to
# download through lighttpd (e2e/bench_test.go, on free local ports, wrk
# from Debian's packages; README, "Speed"), the largest corpus files,
# then memory per keyframe on generated files of 1 M and 10 M keyframes
# in a fresh converter process (README, "Limits"). About 17 minutes on
# the 2-core VM, and up to 17 GB of disk at a time.
bench: deps
	@command -v wrk >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq --no-install-recommends wrk; }
	TRACKS_BENCH=1 $(GO) test -count=1 -run '^TestBench$$' -v -timeout 30m ./e2e
	$(GO) test -run '^$$' -bench LargestFiles ./converter
	$(GO) test -run '^$$' -bench MemoryPerKeyframe -benchtime 1x -timeout 60m ./converter

clean:
	rm -rf $(BIN_DIR)
