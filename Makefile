# lkmlab: build kernel modules, boot them in QEMU, check their kernel log.
#   make          build every module in modules/ (KDIR=... to use another kernel tree)
#   make check    build, boot, verify; prints a verdict table (installs missing tools)
#   make test     the test suite (VM tests included)
#   make bench    source-to-verdict timings

GO      ?= go
LKMLAB  := bin/lkmlab
KERNEL  ?=
KDIR    ?=
GOTEST_TIMEOUT ?= 40m

kflag = $(if $(KERNEL),--kernel $(KERNEL))

.PHONY: all modules check test bench lint setup clean $(LKMLAB)

all: modules

$(LKMLAB):
	$(GO) build -o $@ ./lab/cmd/lkmlab

modules: $(LKMLAB)
	$(LKMLAB) build $(kflag) $(if $(KDIR),--kdir $(KDIR))

setup: $(LKMLAB)
	$(LKMLAB) setup

check: $(LKMLAB)
	$(LKMLAB) check $(kflag)

test: $(LKMLAB)
	$(LKMLAB) setup
	$(GO) test -count=1 -timeout $(GOTEST_TIMEOUT) ./...

bench: $(LKMLAB)
	$(LKMLAB) bench $(kflag)

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: run gofmt -w on the files above"; exit 1; }
	$(GO) vet ./...
	$(GO) tool actionlint

clean:
	rm -rf bin out
